//! Plans compared: each evaluated with the first plan's seed, so that the same demand meets
//! each, on its own thread; their figures row by row with the better plan on each. What
//! `gigafactory compare` prints and writes, decided here so that any front end gives the
//! same answer.

use serde::Serialize;
use std::collections::BTreeMap;

use super::{PlanFigures, best, figures};
use crate::catalog::Catalog;
use crate::run::{self, Plan, Sample, SimError, SimOptions, SimOutcome};

/// How a compared figure reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A whole count.
    Count,
    /// Money, EUR.
    Eur,
    /// A share (0 to 1), shown as a percentage.
    Share,
    /// Megawatts.
    Mw,
    /// Hours.
    Hours,
    /// Floating-point operations (a training run's compute).
    Flop,
    /// A day, as days since 1970-01-01.
    Date,
}

/// One figure of every plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The figure's key in `compare.json`'s `better`.
    pub key: &'static str,
    /// Its label in tables.
    pub label: &'static str,
    /// How it reads.
    pub unit: Unit,
    /// Each plan's value (`None` where a plan does not have the figure).
    pub values: Vec<Option<f64>>,
    /// The index of the better plan, where lower or higher is better and they differ.
    pub better: Option<usize>,
}

/// Plans compared.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The seed every plan ran with.
    pub seed: u64,
    /// The plans' labels.
    pub labels: Vec<String>,
    /// Each plan's figures.
    pub figures: Vec<PlanFigures>,
    /// Each plan's simulation outcome, if it has a workload.
    pub outcomes: Vec<Option<SimOutcome>>,
    /// The figures row by row.
    pub rows: Vec<Row>,
}

/// A plan that could not be evaluated.
#[derive(Debug, thiserror::Error)]
#[error("{label}: {source}")]
pub struct CompareError {
    /// The plan's label.
    pub label: String,
    /// Why.
    pub source: SimError,
}

/// `compare.json`: the seed, each plan's figures with its label, and the better plan per
/// figure.
#[derive(Debug, Serialize)]
pub struct ComparisonJson<'a> {
    /// The seed every plan ran with.
    pub seed: u64,
    /// Each plan's figures.
    pub plans: Vec<LabelledFigures<'a>>,
    /// The better plan's label, per figure key.
    pub better: BTreeMap<&'static str, &'a str>,
}

/// A plan's figures with its label.
#[derive(Debug, Serialize)]
pub struct LabelledFigures<'a> {
    /// The plan's label.
    pub label: &'a str,
    /// Its figures.
    #[serde(flatten)]
    pub figures: &'a PlanFigures,
}

impl Comparison {
    /// What `compare.json` holds.
    #[must_use]
    pub fn json(&self) -> ComparisonJson<'_> {
        ComparisonJson {
            seed: self.seed,
            plans: self
                .labels
                .iter()
                .zip(&self.figures)
                .map(|(label, figures)| LabelledFigures { label, figures })
                .collect(),
            better: self
                .rows
                .iter()
                .filter_map(|r| r.better.map(|b| (r.key, self.labels[b].as_str())))
                .collect(),
        }
    }
}

/// Evaluate `plans`, each with the first plan's seed and sampled as `sample` says (as `run`
/// samples it, so that a plan's figures here are those `run` gives it), each on its own
/// thread, and set their figures side by side.
///
/// # Errors
/// The first plan, in order, that could not be evaluated.
pub fn compare(
    mut plans: Vec<Plan>,
    catalog: &Catalog,
    sample: Sample,
) -> Result<Comparison, CompareError> {
    // The same seed for every plan, so that the same demand meets each.
    let seed = plans.first().map_or(0, |p| p.scenario.seed);
    for p in &mut plans {
        p.scenario.seed = seed;
    }
    type Ran = (PlanFigures, Option<SimOutcome>);
    let results: Vec<Result<Ran, CompareError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = plans
            .iter()
            .map(|p| {
                scope.spawn(move || {
                    let e = run::evaluate(p, catalog, sample, SimOptions::default()).map_err(
                        |source| CompareError {
                            label: p.label.clone(),
                            source,
                        },
                    )?;
                    let f = figures(&p.scenario, &p.facility, &e.assessment, e.outcome.as_ref());
                    Ok((f, e.outcome))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a plan's thread does not panic"))
            .collect()
    });
    let (figures, outcomes): (Vec<PlanFigures>, Vec<Option<SimOutcome>>) = results
        .into_iter()
        .collect::<Result<Vec<Ran>, _>>()?
        .into_iter()
        .unzip();
    Ok(Comparison {
        seed,
        labels: plans.into_iter().map(|p| p.label).collect(),
        rows: rows(&figures),
        figures,
        outcomes,
    })
}

/// The compared figures, in the order tables show them.
#[must_use]
pub fn rows(f: &[PlanFigures]) -> Vec<Row> {
    let row = |key, label, unit, values: Vec<Option<f64>>, lower: Option<bool>| Row {
        key,
        label,
        unit,
        better: lower.and_then(|l| best(&values, l)),
        values,
    };
    let get = |g: &dyn Fn(&PlanFigures) -> Option<f64>| f.iter().map(g).collect::<Vec<_>>();
    vec![
        row(
            "gpus",
            "Accelerators",
            Unit::Count,
            get(&|p| Some(p.gpus as f64)),
            None,
        ),
        row(
            "h100_equivalents",
            "H100-equivalents",
            Unit::Count,
            get(&|p| Some(p.h100_equivalents)),
            Some(false),
        ),
        row(
            "capex_eur",
            "Capex",
            Unit::Eur,
            get(&|p| Some(p.capex_eur)),
            Some(true),
        ),
        row(
            "capex_share_of_budget",
            "Capex ÷ budget",
            Unit::Share,
            get(&|p| p.budget_eur.map(|b| p.capex_eur / b)),
            Some(true),
        ),
        row(
            "facility_power_mw",
            "Facility power MW",
            Unit::Mw,
            get(&|p| Some(p.facility_power_mw)),
            Some(true),
        ),
        row(
            "total_cost_eur",
            "Total cost (capex + opex)",
            Unit::Eur,
            get(&|p| Some(p.total_cost_eur)),
            Some(true),
        ),
        row(
            "utilization",
            "Utilisation",
            Unit::Share,
            get(&|p| Some(p.utilization)),
            Some(false),
        ),
        row(
            "served_h100_hours",
            "Served H100-hours",
            Unit::Count,
            get(&|p| Some(p.served_h100_hours)),
            Some(false),
        ),
        row(
            "cost_per_h100_hour_eur",
            "Cost per served H100-hour",
            Unit::Eur,
            get(&|p| Some(p.cost_per_h100_hour_eur)),
            Some(true),
        ),
        row(
            "rent_baseline_eur",
            "Rent baseline (same hours)",
            Unit::Eur,
            get(&|p| Some(p.rent_baseline_eur)),
            None,
        ),
        row(
            "cost_over_rent",
            "Cost ÷ rent baseline",
            Unit::Share,
            get(&|p| Some(p.total_cost_eur / p.rent_baseline_eur.max(1e-9))),
            Some(true),
        ),
        row(
            "energy_mwh",
            "Energy MWh",
            Unit::Count,
            get(&|p| Some(p.energy_mwh)),
            Some(true),
        ),
        row(
            "co2_t",
            "CO2 t",
            Unit::Count,
            get(&|p| Some(p.co2_t)),
            Some(true),
        ),
        row(
            "wait_s_p95",
            "Wait p95 h",
            Unit::Hours,
            get(&|p| p.wait_s_p95.map(|s| s / 3600.0)),
            Some(true),
        ),
        row(
            "lost_demand_gpu_hours",
            "Lost demand GPU-h",
            Unit::Count,
            get(&|p| p.lost_demand_gpu_hours),
            Some(true),
        ),
        row(
            "jobs_refused",
            "Jobs refused",
            Unit::Count,
            get(&|p| p.jobs_refused.map(|n| n as f64)),
            Some(true),
        ),
        row(
            "cross_site_runs",
            "Runs across sites",
            Unit::Count,
            get(&|p| p.cross_site_runs.map(|n| n as f64)),
            None,
        ),
        row(
            "largest_run_flop",
            "Largest training run, first year",
            Unit::Flop,
            get(&|p| Some(p.largest_run_flop)),
            Some(false),
        ),
        row(
            "largest_run_frontier_date",
            "Its size was the frontier's on",
            Unit::Date,
            get(&|p| p.largest_run_frontier_day),
            Some(false),
        ),
        row(
            "frontier_behind_from",
            "Behind the frontier run from",
            Unit::Date,
            get(&|p| p.frontier_behind_from_day),
            Some(false),
        ),
    ]
}
