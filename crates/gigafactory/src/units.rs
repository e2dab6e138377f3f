//! Units and calendar dates.
//!
//! Quantities in this crate carry their unit in their name (`power_mw`, `cost_eur`); the
//! constants here are the few conversions that are definitions, not data.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Hours in a (non-leap) year: 365 × 24. The assessment's yearly figures (energy, hours
/// delivered, cost per hour) are for a year of this length.
pub const HOURS_PER_YEAR: f64 = 8760.0;

/// Days in a Julian year (365.25), the length of a year in the simulation's time-based
/// amounts: a yearly amount spread over calendar time (fixed opex over the days a phase is
/// in service), growth per year of generated demand, a useful life in fractional years;
/// so that whole years of a horizon add up to whole yearly amounts on average. Calendar
/// years themselves (the year rows, generated arrivals' horizon) are counted by date: 365
/// or 366 days. The assessment's yearly figures are for a year of [`HOURS_PER_YEAR`].
pub const MEAN_YEAR_DAYS: f64 = 365.25;

/// Days in a Gregorian year on average (365.2425, the calendar's 400-year mean): a date as
/// a fractional year, for the rent curve. (That this and [`MEAN_YEAR_DAYS`] differ moves
/// no figure by more than 0.02%; making them one would change every simulated figure's
/// random path, and is a change of its own.)
pub const GREGORIAN_YEAR_DAYS: f64 = 365.2425;

/// Seconds in a year of [`MEAN_YEAR_DAYS`].
pub const MEAN_YEAR_S: f64 = MEAN_YEAR_DAYS * 86_400.0;

/// Seconds in a day: the simulation's clock counts seconds from the start of the horizon,
/// and calendar dates are whole days from it.
pub const SECONDS_PER_DAY: u64 = 86_400;

/// Seconds in an hour.
pub const SECONDS_PER_HOUR: u64 = 3_600;

/// Accelerators in a node (an HGX/DGX board of 8): jobs larger than a node take whole
/// nodes, and the cluster is built of such nodes.
pub const NODE_GPUS: u32 = 8;

/// The label of the `k`-th year (from 0) of a horizon starting on `start`, as every table
/// prints it: the calendar year ("2027") when the horizon starts on 1 January, else the
/// two years it spans ("2027-28").
pub fn year_label(start: &Date, k: u32) -> String {
    let y = start.year() + k as i32;
    if matches!(start.ymd(), (_, 1, 1)) {
        y.to_string()
    } else {
        format!("{y}-{:02}", (y + 1).rem_euclid(100))
    }
}

/// `n` with thousands separated by commas, as messages and tables print counts: 1,234,567.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A calendar day (proleptic Gregorian), stored as days since 1970-01-01.
///
/// Time inside the simulation is integer seconds from the scenario's start; dates are
/// only used at the edges (scenario files and reports).
///
/// # Example
/// ```
/// use gigafactory::units::Date;
/// let d: Date = "2027-07-01".parse().unwrap();
/// assert_eq!(d.to_string(), "2027-07-01");
/// assert_eq!(d.days_since(&"2027-01-01".parse().unwrap()), 181);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    days: i32,
}

/// Why a date string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD`.
    #[error("expected a date written YYYY-MM-DD")]
    Format,
    /// The month or day does not exist (for example `2027-02-30`).
    #[error("there is no such day in the calendar")]
    NoSuchDay,
}

impl Date {
    /// The date of `year`-`month`-`day`.
    ///
    /// # Errors
    /// [`DateError::NoSuchDay`] when the month is not 1–12 or the day is past the month's
    /// end, or the year is outside 1–9999.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Self, DateError> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return Err(DateError::NoSuchDay);
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(DateError::NoSuchDay);
        }
        Ok(Date {
            days: days_from_civil(year, month, day),
        })
    }

    /// Year, month and day.
    pub fn ymd(&self) -> (i32, u32, u32) {
        civil_from_days(self.days)
    }

    /// The calendar year.
    pub fn year(&self) -> i32 {
        self.ymd().0
    }

    /// Whole days from `earlier` to `self` (negative when `self` is earlier).
    pub fn days_since(&self, earlier: &Date) -> i64 {
        i64::from(self.days) - i64::from(earlier.days)
    }

    /// The same day `years` later; 29 February becomes 28 February in a common year.
    pub fn add_years(&self, years: u32) -> Date {
        let (y, m, d) = self.ymd();
        let y = y + years as i32;
        let d = d.min(days_in_month(y, m));
        Date {
            days: days_from_civil(y, m, d),
        }
    }

    /// Days since 1970-01-01 (negative before it).
    pub fn days_since_epoch(&self) -> i64 {
        i64::from(self.days)
    }

    /// The same day `months` calendar months later, clamped to the month's end
    /// (2027-01-31 + 1 month = 2027-02-28).
    pub fn add_months(&self, months: u32) -> Date {
        let (y, m, d) = self.ymd();
        let total = (m - 1) + months;
        let (y, m) = (y + (total / 12) as i32, total % 12 + 1);
        Date {
            days: days_from_civil(y, m, d.min(days_in_month(y, m))),
        }
    }

    /// The date `days` days later.
    pub fn add_days(&self, days: i64) -> Date {
        Date {
            days: (i64::from(self.days) + days) as i32,
        }
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

// Days from civil and back: the era-based algorithm of H. Hinnant's "chrono-compatible
// low-level date algorithms" (public domain), written out here.
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl std::str::FromStr for Date {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) {
            return Err(DateError::Format);
        }
        if !digits(5..7) || !digits(8..10) {
            return Err(DateError::Format);
        }
        let y: i32 = s[0..4].parse().map_err(|_| DateError::Format)?;
        let m: u32 = s[5..7].parse().map_err(|_| DateError::Format)?;
        let d: u32 = s[8..10].parse().map_err(|_| DateError::Format)?;
        Date::from_ymd(y, m, d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "description": "A calendar day, YYYY-MM-DD (a quoted string or a TOML local date)."
        })
    }
}

/// Euros in words for messages: `EUR 26.91 bn`, `EUR 12.5 M`, `EUR 950`.
///
/// # Example
/// ```
/// use gigafactory::units::eur_words;
/// assert_eq!(eur_words(26.914e9), "EUR 26.91 bn");
/// assert_eq!(eur_words(12.5e6), "EUR 12.5 M");
/// assert_eq!(eur_words(950.0), "EUR 950");
/// ```
pub fn eur_words(x: f64) -> String {
    let a = x.abs();
    if a >= 1e9 {
        format!("EUR {:.2} bn", x / 1e9)
    } else if a >= 1e6 {
        format!("EUR {:.1} M", x / 1e6)
    } else {
        format!("EUR {x:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_known_days() {
        // 2000-03-01 is day 11,017 after 1970-01-01: 30 years of 365 days plus 7 leap
        // days (1972..1996) plus 1 (2000-02-29) plus Jan (31) and Feb (29) of 2000.
        let d: Date = "2000-03-01".parse().unwrap();
        assert_eq!(d.days, 30 * 365 + 7 + 31 + 29);
        assert_eq!(d.to_string(), "2000-03-01");
        let e: Date = "1970-01-01".parse().unwrap();
        assert_eq!(e.days, 0);
    }

    #[test]
    fn rejects_bad_dates() {
        assert_eq!("2027-02-29".parse::<Date>(), Err(DateError::NoSuchDay));
        assert_eq!("2027-13-01".parse::<Date>(), Err(DateError::NoSuchDay));
        assert_eq!("2027-1-01".parse::<Date>(), Err(DateError::Format));
        assert_eq!("July 2027".parse::<Date>(), Err(DateError::Format));
        assert!("2028-02-29".parse::<Date>().is_ok());
    }

    #[test]
    fn add_months_clamps_to_the_month_end() {
        let d: Date = "2027-01-31".parse().unwrap();
        assert_eq!(d.add_months(1).to_string(), "2027-02-28");
        assert_eq!(d.add_months(13).to_string(), "2028-02-29");
        assert_eq!(
            "2027-11-01"
                .parse::<Date>()
                .unwrap()
                .add_months(3)
                .to_string(),
            "2028-02-01"
        );
    }

    #[test]
    fn add_years_clamps_leap_day() {
        let d: Date = "2028-02-29".parse().unwrap();
        assert_eq!(d.add_years(1).to_string(), "2029-02-28");
        assert_eq!(d.add_years(4).to_string(), "2032-02-29");
    }
}
