//! Obsolescence: the market rent of an H100-hour over time, and when an accelerator's
//! hour stops being worth its running cost.

use serde::Serialize;

use crate::units::Date;

/// Days in a mean Gregorian year, to turn dates into fractional years.
use crate::units::GREGORIAN_YEAR_DAYS as DAYS_PER_YEAR;

/// A date as a fractional year (2027-01-01 is 2027.0).
pub fn year_of(d: &Date) -> f64 {
    1970.0 + d.days_since_epoch() as f64 / DAYS_PER_YEAR
}

/// The date of a fractional year.
pub fn date_of(year: f64) -> Date {
    let epoch = Date::from_ymd(1970, 1, 1).expect("a valid day");
    epoch.add_days(((year - 1970.0) * DAYS_PER_YEAR).floor() as i64)
}

/// The market rent of an H100-hour: `eur_per_h100_hour` at `year0`, changing by
/// `change_per_year` (−0.18 = 18% cheaper each year) exponentially.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, schemars::JsonSchema)]
pub struct RentCurve {
    /// Rent at `year0`, EUR per H100-hour.
    pub eur_per_h100_hour: f64,
    /// When that rent held, fractional year.
    pub year0: f64,
    /// Relative change per year.
    pub change_per_year: f64,
}

impl RentCurve {
    /// Rent at fractional year `y`, EUR per H100-hour.
    ///
    /// # Example
    /// ```
    /// use gigafactory::model::RentCurve;
    /// let r = RentCurve { eur_per_h100_hour: 2.0, year0: 2026.0, change_per_year: -0.5 };
    /// assert_eq!(r.at(2028.0), 0.5);
    /// ```
    pub fn at(&self, y: f64) -> f64 {
        self.eur_per_h100_hour * (1.0 + self.change_per_year).powf(y - self.year0)
    }

    /// Mean rent over the years `a` to `b` (the exact integral of the exponential).
    pub fn mean(&self, a: f64, b: f64) -> f64 {
        let k = (1.0 + self.change_per_year).ln();
        let span = b - a;
        if span <= 0.0 || k.abs() * span < 1e-12 {
            return self.at(a);
        }
        self.at(a) * ((k * span).exp() - 1.0) / (k * span)
    }

    /// The first fractional year at which an hour worth `relative_throughput` H100-hours
    /// rents for less than `cost_eur_per_hour`, not before `from`; `None` if never (the
    /// rent does not fall and is above the cost at `from`).
    pub fn uneconomic_from(
        &self,
        relative_throughput: f64,
        cost_eur_per_hour: f64,
        from: f64,
    ) -> Option<f64> {
        if relative_throughput * self.at(from) < cost_eur_per_hour {
            return Some(from);
        }
        if self.change_per_year >= 0.0 {
            return None;
        }
        let k = (1.0 + self.change_per_year).ln();
        let y = self.year0
            + (cost_eur_per_hour / (relative_throughput * self.eur_per_h100_hour)).ln() / k;
        Some(y.max(from))
    }
}

/// One build phase's economics over time.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct PhaseValue {
    /// Site name.
    pub site: String,
    /// Accelerator id.
    pub accelerator: String,
    /// Accelerators.
    pub count: u32,
    /// In service from.
    pub online: String,
    /// Energy (at busy draw) plus maintenance per accelerator-hour, EUR.
    pub running_cost_eur_per_gpu_hour: f64,
    /// Market value of one of its hours when it comes online, EUR.
    pub market_value_eur_per_gpu_hour_at_online: f64,
    /// The day its hour's market value falls below its running cost (`None`: never, as the
    /// rent does not fall); its economic life ends there.
    pub economic_life_end: Option<String>,
}
