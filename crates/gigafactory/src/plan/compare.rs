//! Plans compared: each evaluated with the first plan's seed, so that the same demand meets
//! each, on its own thread; their figures row by row with the better plan on each. What
//! `gigafactory compare` prints and writes, decided here so that any front end gives the
//! same answer.

use serde::Serialize;
use std::collections::BTreeMap;

use super::seeds::par_map;
use super::verdict::{Runs, Sensitivity, Verdict, verdict};
use super::{PlanFigures, figures, t_975};
use crate::catalog::Catalog;
use crate::run::{self, Plan, Sample, SimError, SimOptions, SimOutcome, TenantOutcome};

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
    /// How it depends on the simulation.
    pub sensitivity: Sensitivity,
    /// Each plan's value, the mean over the seeds (`None` where a plan does not have the
    /// figure).
    pub values: Vec<Option<f64>>,
    /// Half the width of the 95% interval of each plan's mean over the seeds (`None` with
    /// one seed or where a plan lacks the figure).
    pub half_width_95: Vec<Option<f64>>,
    /// The index of the plan named better by [`verdict`], if any.
    pub better: Option<usize>,
    /// The verdict, and why.
    pub verdict: Verdict,
}

/// Plans compared.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The first seed every plan ran with (the first plan's).
    pub seed: u64,
    /// Every seed each plan ran with, in order (one unless replicated).
    pub seeds: Vec<u64>,
    /// The plans' labels.
    pub labels: Vec<String>,
    /// Each plan's figures under the first seed.
    pub figures: Vec<PlanFigures>,
    /// Each plan's figures under each seed (`per_seed[plan][seed]`).
    pub per_seed: Vec<Vec<PlanFigures>>,
    /// Each plan's simulation outcome under the first seed, if it has a workload.
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
    /// The first seed every plan ran with.
    pub seed: u64,
    /// Every seed each plan ran with.
    pub seeds: &'a [u64],
    /// Each plan's figures under the first seed.
    pub plans: Vec<LabelledFigures<'a>>,
    /// The label of the plan named better, per figure key (only where one is).
    pub better: BTreeMap<&'static str, &'a str>,
    /// Per figure key: the verdict and what it rests on.
    pub verdicts: BTreeMap<&'static str, VerdictJson<'a>>,
    /// The service of each tenant that two plans or more have, in each plan, under the
    /// first seed.
    pub tenants: Vec<TenantRow>,
}

/// One tenant (by name) in every plan, under the first seed: what the plans' differences
/// (a placement rule, a size, a policy) do to it. `None` where a plan has no such tenant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenantRow {
    /// The tenant's name.
    pub name: String,
    /// GPU-hours served to it (services' replicas included).
    pub served_gpu_hours: Vec<Option<f64>>,
    /// Its lost demand: the remaining work of jobs withdrawn, refused or unfinished,
    /// GPU-hours.
    pub lost_demand_gpu_hours: Vec<Option<f64>>,
    /// Its jobs refused.
    pub jobs_refused: Vec<Option<u64>>,
    /// Its 95th percentile of the wait to first start, hours.
    pub wait_p95_h: Vec<Option<f64>>,
}

/// The verdict on one figure in `compare.json`.
#[derive(Debug, Serialize)]
pub struct VerdictJson<'a> {
    /// The plan named better, if any.
    pub better: Option<&'a str>,
    /// What the verdict rests on: `exact` (not simulated), `beyond seed noise and
    /// tolerance`, `one replication`, `about equal: within seed noise`, `about equal:
    /// within sampling tolerance`, `about equal: queueing under sampling`, `unranked`.
    pub basis: &'static str,
    /// Each plan's mean over the seeds.
    pub mean: &'a [Option<f64>],
    /// Half the width of the 95% interval of each plan's mean (null with one seed).
    pub half_width_95: &'a [Option<f64>],
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
            seeds: &self.seeds,
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
            verdicts: self
                .rows
                .iter()
                .map(|r| {
                    let v = VerdictJson {
                        better: r.better.map(|b| self.labels[b].as_str()),
                        basis: r.verdict.basis(),
                        mean: &r.values,
                        half_width_95: &r.half_width_95,
                    };
                    (r.key, v)
                })
                .collect(),
            tenants: self.tenants(),
        }
    }

    /// Each tenant named in the outcomes of at least two plans (a trace's users, named in
    /// one plan only, are left out), in order of first appearance, with its service in
    /// every plan.
    #[must_use]
    pub fn tenants(&self) -> Vec<TenantRow> {
        let mut names: Vec<&str> = Vec::new();
        for t in self.outcomes.iter().flatten().flat_map(|o| &o.tenants) {
            if !names.contains(&t.name.as_str()) {
                names.push(&t.name);
            }
        }
        let plans_with = |name: &str| {
            self.outcomes
                .iter()
                .flatten()
                .filter(|o| o.tenants.iter().any(|t| t.name == name))
                .count()
        };
        names.retain(|n| plans_with(n) >= 2);
        names
            .into_iter()
            .map(|name| {
                fn of<'o>(o: &'o Option<SimOutcome>, name: &str) -> Option<&'o TenantOutcome> {
                    o.as_ref()
                        .and_then(|o| o.tenants.iter().find(|t| t.name == name))
                }
                let each = |f: &dyn Fn(&TenantOutcome) -> f64| {
                    self.outcomes.iter().map(|o| of(o, name).map(f)).collect()
                };
                TenantRow {
                    name: name.to_string(),
                    served_gpu_hours: each(&|t| t.served_gpu_hours),
                    lost_demand_gpu_hours: each(&|t| t.lost_demand_gpu_hours),
                    jobs_refused: self
                        .outcomes
                        .iter()
                        .map(|o| of(o, name).map(|t| t.jobs_rejected))
                        .collect(),
                    wait_p95_h: each(&|t| t.wait_s_p95 / 3600.0),
                }
            })
            .collect()
    }
}

/// Evaluate `plans` under the same `seeds` (the first plan's seed and the `seeds - 1`
/// after it, so that the same demand meets each plan under each seed and their differences
/// are paired), each sampled as `run` samples it (so that a plan's figures here are those
/// `run` gives it), on all cores, and set their figures side by side with a verdict on
/// each.
///
/// # Errors
/// The first plan, in order, that could not be evaluated.
pub fn compare(
    mut plans: Vec<Plan>,
    catalog: &Catalog,
    sample: Sample,
    seeds: u32,
) -> Result<Comparison, CompareError> {
    let seed = plans.first().map_or(0, |p| p.scenario.seed);
    let seeds: Vec<u64> = (0..u64::from(seeds.max(1)))
        .map(|i| seed.wrapping_add(i))
        .collect();
    for p in &mut plans {
        p.scenario.seed = seed;
    }
    let work: Vec<(usize, u64)> = (0..plans.len())
        .flat_map(|i| seeds.iter().map(move |&s| (i, s)))
        .collect();
    type Ran = (PlanFigures, Option<SimOutcome>);
    let ran: Vec<Result<Ran, CompareError>> = par_map(&work, |&(i, s)| {
        let mut p = plans[i].clone();
        p.scenario.seed = s;
        let e = run::evaluate(&p, catalog, sample, SimOptions::default()).map_err(|source| {
            CompareError {
                label: if s == seed {
                    p.label.clone()
                } else {
                    format!("{} (seed {s})", p.label)
                },
                source,
            }
        })?;
        let f = figures(&p.scenario, &p.facility, &e.assessment, e.outcome.as_ref());
        // Only the first seed's outcome is kept (for the report's charts).
        Ok((f, e.outcome.filter(|_| s == seed)))
    });
    let mut ran = ran.into_iter();
    let mut per_seed = Vec::new();
    let mut outcomes = Vec::new();
    for _ in &plans {
        let mut mine = Vec::new();
        for k in 0..seeds.len() {
            let (f, o) = ran.next().expect("one result per plan and seed")?;
            if k == 0 {
                outcomes.push(o);
            }
            mine.push(f);
        }
        per_seed.push(mine);
    }
    Ok(Comparison {
        seed,
        rows: rows_over_seeds(&per_seed),
        figures: per_seed.iter().map(|s| s[0].clone()).collect(),
        seeds,
        per_seed,
        labels: plans.into_iter().map(|p| p.label).collect(),
        outcomes,
    })
}

/// A compared figure: how to read it from a plan's figures, and which way is better.
pub(crate) struct Spec {
    /// Its key (`compare.json`'s, and a sweep's column).
    pub(crate) key: &'static str,
    /// Its label in tables.
    pub(crate) label: &'static str,
    /// How it reads.
    pub(crate) unit: Unit,
    /// How the simulation draws it.
    pub(crate) sensitivity: Sensitivity,
    /// Whether lower is better (`None`: neither).
    pub(crate) lower: Option<bool>,
    /// Its value in a plan's figures.
    pub(crate) get: fn(&PlanFigures) -> Option<f64>,
}

/// The compared figures, in the order tables show them.
#[allow(clippy::too_many_lines)] // one entry per figure
pub(crate) fn specs() -> Vec<Spec> {
    use Sensitivity::{Exact, Queueing, Share, Total};
    let spec = |key, label, unit, sensitivity, lower, get| Spec {
        key,
        label,
        unit,
        sensitivity,
        lower,
        get,
    };
    vec![
        spec("gpus", "Accelerators", Unit::Count, Exact, None, |p| {
            Some(p.gpus as f64)
        }),
        spec(
            "h100_equivalents",
            "H100-equivalents",
            Unit::Count,
            Exact,
            Some(false),
            |p| Some(p.h100_equivalents),
        ),
        spec("capex_eur", "Capex", Unit::Eur, Exact, Some(true), |p| {
            Some(p.capex_eur)
        }),
        spec(
            "capex_share_of_budget",
            "Capex ÷ budget",
            Unit::Share,
            Exact,
            Some(true),
            |p| p.budget_eur.map(|b| p.capex_eur / b),
        ),
        spec(
            "facility_power_mw",
            "Facility power MW",
            Unit::Mw,
            Exact,
            Some(true),
            |p| Some(p.facility_power_mw),
        ),
        spec(
            "total_cost_eur",
            "Total cost (capex + opex)",
            Unit::Eur,
            Total,
            Some(true),
            |p| Some(p.total_cost_eur),
        ),
        spec(
            "utilization",
            "Utilisation",
            Unit::Share,
            Share,
            Some(false),
            |p| Some(p.utilization),
        ),
        spec(
            "served_h100_hours",
            "Served H100-hours",
            Unit::Count,
            Total,
            Some(false),
            |p| Some(p.served_h100_hours),
        ),
        spec(
            "cost_per_h100_hour_eur",
            "Cost per served H100-hour",
            Unit::Eur,
            Total,
            Some(true),
            |p| Some(p.cost_per_h100_hour_eur),
        ),
        spec(
            "rent_baseline_eur",
            "Rent baseline (same hours)",
            Unit::Eur,
            Total,
            None,
            |p| Some(p.rent_baseline_eur),
        ),
        spec(
            "cost_over_rent",
            "Cost ÷ rent baseline",
            Unit::Share,
            Total,
            Some(true),
            |p| Some(p.total_cost_eur / p.rent_baseline_eur.max(1e-9)),
        ),
        spec(
            "energy_mwh",
            "Energy MWh",
            Unit::Count,
            Total,
            Some(true),
            |p| Some(p.energy_mwh),
        ),
        spec("co2_t", "CO2 t", Unit::Count, Total, Some(true), |p| {
            Some(p.co2_t)
        }),
        spec(
            "wait_s_p95",
            "Wait p95 h",
            Unit::Hours,
            Queueing,
            Some(true),
            |p| p.wait_s_p95.map(|s| s / 3600.0),
        ),
        spec(
            "lost_demand_gpu_hours",
            "Lost demand GPU-h",
            Unit::Count,
            Queueing,
            Some(true),
            |p| p.lost_demand_gpu_hours,
        ),
        spec(
            "jobs_refused",
            "Jobs refused",
            Unit::Count,
            Queueing,
            Some(true),
            |p| p.jobs_refused.map(|n| n as f64),
        ),
        spec(
            "cross_site_runs",
            "Runs across sites",
            Unit::Count,
            Queueing,
            None,
            |p| p.cross_site_runs.map(|n| n as f64),
        ),
        spec(
            "largest_run_flop",
            "Largest training run, first year",
            Unit::Flop,
            Exact,
            Some(false),
            |p| Some(p.largest_run_flop),
        ),
        spec(
            "largest_run_frontier_date",
            "Its size was the frontier's on",
            Unit::Date,
            Exact,
            Some(false),
            |p| p.largest_run_frontier_day,
        ),
        spec(
            "frontier_behind_from",
            "Behind the frontier run from",
            Unit::Date,
            Exact,
            Some(false),
            |p| p.frontier_behind_from_day,
        ),
    ]
}

/// Every compared figure of `f` by key (as `compare.json` keys them), in the order tables
/// show them: a sweep's columns.
#[must_use]
pub fn figure_values(f: &PlanFigures) -> Vec<(&'static str, Option<f64>)> {
    specs().iter().map(|s| (s.key, (s.get)(f))).collect()
}

/// The compared figures of one replication of each plan, in the order tables show them.
#[must_use]
pub fn rows(f: &[PlanFigures]) -> Vec<Row> {
    let per_plan: Vec<Vec<PlanFigures>> = f.iter().map(|p| vec![p.clone()]).collect();
    rows_over_seeds(&per_plan)
}

/// The compared figures of each plan under each of the same seeds (`per_plan[plan][seed]`):
/// each plan's mean and the 95% interval of its mean (with two seeds or more), and the
/// verdict by [`verdict`].
#[must_use]
pub fn rows_over_seeds(per_plan: &[Vec<PlanFigures>]) -> Vec<Row> {
    let all = || per_plan.iter().flatten();
    let runs = Runs {
        simulated: all().any(|p| p.simulated),
        sampled: all().any(|p| p.sampling.is_some()),
    };
    specs()
        .into_iter()
        .map(|s| {
            let values: Vec<Vec<Option<f64>>> = per_plan
                .iter()
                .map(|seeds| seeds.iter().map(s.get).collect())
                .collect();
            let stats: Vec<Option<(f64, f64)>> = values
                .iter()
                .map(|v| {
                    v.iter()
                        .copied()
                        .collect::<Option<Vec<f64>>>()
                        .map(|x| mean_and_half_width(&x))
                })
                .collect();
            let verdict = verdict(&values, s.lower, s.sensitivity, runs);
            Row {
                key: s.key,
                label: s.label,
                unit: s.unit,
                sensitivity: s.sensitivity,
                values: stats.iter().map(|m| m.map(|m| m.0)).collect(),
                half_width_95: stats
                    .iter()
                    .map(|m| m.filter(|_| values[0].len() > 1).map(|m| m.1))
                    .collect(),
                better: verdict.better(),
                verdict,
            }
        })
        .collect()
}

/// The mean of `x` and half the width of its 95% interval (Student's t; 0 for one value).
#[must_use]
pub fn mean_and_half_width(x: &[f64]) -> (f64, f64) {
    let n = x.len();
    if n == 0 {
        return (f64::NAN, 0.0);
    }
    let mean = x.iter().sum::<f64>() / n as f64;
    // Values all equal: no spread (their mean may differ from them in the last bit).
    if n == 1 || x.iter().all(|v| *v == x[0]) {
        return (x[0], 0.0);
    }
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    (mean, t_975(n - 1) * (var / n as f64).sqrt())
}
