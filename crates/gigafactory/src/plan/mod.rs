//! Plans side by side: the figures `gigafactory compare` sets against each other, and the
//! rent baseline (buying the same compute from the market instead).

mod compare;
mod seeds;
pub mod sensitivity;
pub mod sweep;
pub mod sweep_setup;
pub mod swings;
mod verdict;

pub use compare::{
    CompareError, Comparison, ComparisonJson, LabelledFigures, Row, TenantRow, Unit, VerdictJson,
    compare, figure_values, mean_and_half_width, rows, rows_over_seeds,
};
pub use seeds::{Spread, replicate, spread, t_975};
pub use verdict::{
    Basis, Runs, SAMPLED_SHARE, SAMPLED_TOTAL, Sensitivity, Verdict, Within, verdict,
};

use serde::{Deserialize, Deserializer, Serialize};

use crate::model::{Assessment, Facility, year_of};
use crate::scenario::Scenario;
use crate::sim::SimOutcome;
use crate::units::HOURS_PER_YEAR;

/// One plan's figures over its horizon.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PlanFigures {
    /// Scenario name.
    pub name: String,
    /// Whether the figures come from a job-level simulation (else an assumed utilisation).
    pub simulated: bool,
    /// Accelerators.
    pub gpus: u64,
    /// H100-equivalents.
    pub h100_equivalents: f64,
    /// Capex, EUR.
    pub capex_eur: f64,
    /// Capex budget, EUR.
    pub budget_eur: Option<f64>,
    /// Capex plus opex over the horizon, EUR.
    pub total_cost_eur: f64,
    /// Rated facility power, MW.
    pub facility_power_mw: f64,
    /// Share of GPU-time in use.
    pub utilization: f64,
    /// H100-equivalent hours served over the horizon.
    pub served_h100_hours: f64,
    /// Total cost per served H100-equivalent hour, EUR (infinite with no hours served,
    /// which JSON writes as null and reads back as infinite).
    #[serde(deserialize_with = "null_is_infinite")]
    pub cost_per_h100_hour_eur: f64,
    /// The rent baseline: renting the same H100-hours at the market rent of their time, EUR.
    pub rent_baseline_eur: f64,
    /// Energy over the horizon, MWh.
    pub energy_mwh: f64,
    /// Emissions over the horizon, t CO2e.
    pub co2_t: f64,
    /// 95th percentile wait, s (simulated plans).
    pub wait_s_p95: Option<f64>,
    /// Demand lost (withdrawn or refused), GPU-hours (simulated plans).
    pub lost_demand_gpu_hours: Option<f64>,
    /// The largest training run the plan can complete in its first year, FLOP (one site,
    /// one build phase, the longest run a lab accepts).
    pub largest_run_flop: f64,
    /// When the frontier run was as large as the plan's largest run of its first year, as
    /// days since 1970-01-01 (`None`: it holds no whole run).
    pub largest_run_frontier_day: Option<f64>,
    /// The first day the plan's largest run is smaller than the frontier run, as days
    /// since 1970-01-01 (`None`: it never holds a whole run).
    pub frontier_behind_from_day: Option<f64>,
    /// Jobs refused (simulated plans): larger than any phase could hold (or than the
    /// phases of one accelerator together, where runs may span them), over their tenant's
    /// quota, or arriving to a full queue.
    pub jobs_refused: Option<u64>,
    /// Runs that ran across sites (simulated plans).
    pub cross_site_runs: Option<u64>,
    /// How the simulation was sampled, if it was.
    pub sampling: Option<String>,
    /// The simulation's warnings (e.g. arrivals refused at a full queue): what the figures
    /// cannot show.
    pub warnings: Vec<String>,
}

/// A number that JSON wrote as null because it was infinite.
fn null_is_infinite<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::INFINITY))
}

/// A plan's figures from its assessment and, when simulated, its simulation's outcome.
///
/// Without a simulation, every phase is taken to be in service over the whole horizon at
/// the assessment's utilisation, and the rent baseline values its hours at the rent of
/// each year (the exact mean of the declining rent).
pub fn figures(
    s: &Scenario,
    f: &Facility,
    a: &Assessment,
    sim: Option<&SimOutcome>,
) -> PlanFigures {
    let years = f64::from(s.years);
    let (served_h100_hours, rent_baseline_eur, total_cost_eur, energy_mwh, co2_t) = match sim {
        Some(o) => {
            let ref_h: f64 = o
                .phases
                .iter()
                .zip(&f.builds)
                .map(|(p, b)| p.served_gpu_hours * b.relative_throughput)
                .sum();
            let cost: f64 = o.years.iter().map(|y| y.capex_eur + y.opex_eur).sum();
            let value: f64 = o.years.iter().map(|y| y.market_value_eur).sum();
            (ref_h, value, cost, o.energy_mwh, o.co2_t)
        }
        None => {
            let per_year = a.h100_equivalents * HOURS_PER_YEAR * a.assumed_utilization;
            let y0 = year_of(&s.start);
            let baseline: f64 = (0..s.years)
                .map(|k| per_year * a.rent.mean(y0 + f64::from(k), y0 + f64::from(k + 1)))
                .sum();
            (
                per_year * years,
                baseline,
                a.capex_eur + a.opex_eur_per_year * years,
                a.energy_mwh_per_year * years,
                a.co2_t_per_year * years,
            )
        }
    };
    PlanFigures {
        name: s.name.clone(),
        simulated: sim.is_some(),
        gpus: a.gpus,
        h100_equivalents: a.h100_equivalents,
        capex_eur: a.capex_eur,
        budget_eur: a.budget_eur,
        total_cost_eur,
        facility_power_mw: a.facility_power_mw,
        utilization: sim.map_or(a.assumed_utilization, |o| o.utilization),
        served_h100_hours,
        cost_per_h100_hour_eur: if served_h100_hours > 0.0 {
            total_cost_eur / served_h100_hours
        } else {
            f64::INFINITY
        },
        rent_baseline_eur,
        energy_mwh,
        co2_t,
        wait_s_p95: sim.map(|o| o.wait_s_p95),
        lost_demand_gpu_hours: sim.map(|o| o.tenants.iter().map(|t| t.lost_demand_gpu_hours).sum()),
        largest_run_flop: a.capability.years.first().map_or(0.0, |y| y.plan_flop),
        largest_run_frontier_day: a
            .capability
            .years
            .first()
            .and_then(|y| y.plan_matches_frontier_of)
            .map(|d| d.days_since_epoch() as f64),
        frontier_behind_from_day: a
            .capability
            .plan
            .behind_from
            .map(|d| d.days_since_epoch() as f64),
        jobs_refused: sim.map(|o| o.jobs_rejected),
        cross_site_runs: sim.map(|o| o.cross_site_runs),
        sampling: sim.and_then(|o| o.sampling.as_ref().map(|x| x.note.clone())),
        warnings: sim.map_or_else(Vec::new, |o| o.warnings.clone()),
    }
}

/// Which plan is better on one figure: the index of the best value (lowest when
/// `lower_is_better`), `None` when all are equal or none has the figure.
pub fn best(values: &[Option<f64>], lower_is_better: bool) -> Option<usize> {
    let known: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|x| (i, x)))
        .collect();
    let first = known.first()?.1;
    if known.iter().all(|(_, x)| *x == first) {
        return None;
    }
    let pick = |a: &(usize, f64), b: &(usize, f64)| a.1.total_cmp(&b.1);
    if lower_is_better {
        known.iter().min_by(|a, b| pick(a, b))
    } else {
        known.iter().max_by(|a, b| pick(a, b))
    }
    .map(|x| x.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::model;

    #[test]
    fn best_picks_the_lowest_or_highest() {
        assert_eq!(best(&[Some(3.0), Some(1.0), Some(2.0)], true), Some(1));
        assert_eq!(best(&[Some(3.0), Some(1.0), Some(2.0)], false), Some(0));
        assert_eq!(best(&[Some(1.0), Some(1.0)], true), None);
        assert_eq!(best(&[None, Some(1.0), None], true), None);
        assert_eq!(best(&[None, Some(1.0), Some(2.0)], false), Some(2));
    }

    #[test]
    fn the_rent_baseline_of_an_unsimulated_plan_is_its_hours_at_each_years_rent() {
        // 1,000 H100 at 80% for 2 years; rent EUR 2 at the start, halving yearly: the
        // mean rent over year k is 2 x 0.5^k x (1 - 0.5) / ln 2 = 0.5^k / ln 2.
        let text = r#"
name = "p"
start = "2027-01-01"
years = 2
[[site]]
name = "s"
country = "FI"
grid_mw = 10
[[build]]
site = "s"
accelerator = "H100"
count = 1000
online = "2027-01-01"
[economics]
assumed_utilization = 0.8
eur_per_usd = 1.0
market_rent_usd_per_gpu_hour = 2.0
rent_change_per_year = -0.5
"#;
        let (s, f) = model::prepare(text, Catalog::builtin()).unwrap();
        let a = model::assess(&f);
        let p = figures(&s, &f, &a, None);
        let per_year = 1000.0 * 8760.0 * 0.8;
        assert!((p.served_h100_hours - 2.0 * per_year).abs() < 1e-6);
        let ln2 = std::f64::consts::LN_2;
        assert!(
            (p.rent_baseline_eur / (per_year * (1.0 + 0.5) / ln2) - 1.0).abs() < 1e-9,
            "{}",
            p.rent_baseline_eur
        );
        assert!((p.total_cost_eur - (a.capex_eur + 2.0 * a.opex_eur_per_year)).abs() < 1e-6);
    }
}
