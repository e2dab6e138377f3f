//! Sweeps (issue 17): plans evaluated over samples of their uncertain inputs, each under
//! R seeds, the same samples and seeds for every plan (paired), on all cores; and what the
//! results say: each figure's distribution per plan, the simulation's own noise, the odds
//! that each plan is best, and which inputs decide.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::compare::specs;
use super::sensitivity::{Design, Sobol, latin, quantile, saltelli, sobol_indices, spearman};
use super::verdict::{Runs, Verdict, verdict};
use super::{PlanFigures, figures};
use crate::catalog::Catalog;
use crate::run::{self, Plan, Sample, SimOptions};
use crate::scenario::uncertain::{Doc, Uncertain};

/// What to sweep.
#[derive(Debug, Clone)]
pub struct SweepSpec {
    /// The uncertain inputs (the first plan's `[[uncertain]]` tables).
    pub inputs: Vec<Uncertain>,
    /// How the inputs are sampled.
    pub design: Design,
    /// Base samples: the points under [`Design::Latin`], the base rows under
    /// [`Design::Saltelli`] (N × (k + 2) points).
    pub samples: usize,
    /// The simulation's seeds for every point (the first plan's seed and those after it).
    pub seeds: Vec<u64>,
    /// How simulated plans are sampled.
    pub sample: Sample,
    /// The design's own seed.
    pub design_seed: u64,
    /// Threads (at most the machine's cores).
    pub threads: usize,
}

/// One evaluated point: a plan, a sample of the inputs, a seed.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SweepRow {
    /// The plan's index.
    pub plan: usize,
    /// The sample's index (a row of the design).
    pub sample: usize,
    /// The seed.
    pub seed: u64,
    /// The plan's figures there, or why the plan cannot be built at these values (e.g.
    /// over its budget at a drawn price): an outcome of the sweep, counted, not an error.
    pub figures: Result<PlanFigures, String>,
}

/// A sweep's results.
#[derive(Debug, Clone)]
pub struct Sweep {
    /// The plans' labels.
    pub labels: Vec<String>,
    /// The inputs' paths, in the order of each sample's values.
    pub inputs: Vec<String>,
    /// Each sample's input values.
    pub values: Vec<Vec<f64>>,
    /// The design.
    pub design: Design,
    /// The seeds.
    pub seeds: Vec<u64>,
    /// Every point, ordered by sample, then plan, then seed.
    pub rows: Vec<SweepRow>,
}

/// Why a sweep stopped.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A plan does not take one of the inputs.
    #[error("{label}: {message}")]
    Input {
        /// The plan.
        label: String,
        /// What is wrong.
        message: String,
    },
    /// A point could not be evaluated.
    #[error("{label}, sample {sample} ({values}), seed {seed}: {message}")]
    Point {
        /// The plan.
        label: String,
        /// The sample.
        sample: usize,
        /// Its values, as `path = value` pairs.
        values: String,
        /// The seed.
        seed: u64,
        /// What went wrong.
        message: String,
    },
    /// Cancelled.
    #[error("cancelled")]
    Cancelled,
}

/// What makes two runs the same sweep, as text: the version, each plan's label and
/// scenario (as read, after its demand file), the inputs, the design, the samples, the
/// seeds and how plans are sampled. A sweep resumes only points of the same identity.
#[must_use]
pub fn identity(plans: &[Plan], spec: &SweepSpec) -> String {
    // FNV-1a: stable across builds, unlike the standard library's hasher.
    let fnv = |text: &str| {
        text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
    };
    let plans: Vec<String> = plans
        .iter()
        .map(|p| {
            let json = serde_json::to_string(&p.scenario).expect("a scenario is JSON");
            format!("{} {:016x}", p.label, fnv(&json))
        })
        .collect();
    serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "plans": plans,
        "inputs": spec.inputs,
        "design": format!("{:?}", spec.design),
        "samples": spec.samples,
        "seeds": spec.seeds,
        "design_seed": spec.design_seed,
        "sample": format!("{:?}", spec.sample),
    })
    .to_string()
}

/// Each plan's scenario (without its own `[[uncertain]]` tables) and the catalogue, for
/// drawn values to be applied to.
pub(crate) fn docs(plans: &[Plan], catalog: &Catalog) -> Vec<Doc> {
    plans
        .iter()
        .map(|p| {
            let mut s = p.scenario.clone();
            s.uncertain.clear();
            Doc::of(&s, catalog)
        })
        .collect()
}

/// The design's points as input values: each row's quantiles through each input's
/// distribution.
#[must_use]
pub fn design_values(spec: &SweepSpec) -> Vec<Vec<f64>> {
    let k = spec.inputs.len();
    let q = match spec.design {
        Design::Latin => latin(spec.samples, k, spec.design_seed),
        Design::Saltelli => saltelli(spec.samples, k, spec.design_seed),
    };
    q.iter()
        .map(|row| {
            row.iter()
                .zip(&spec.inputs)
                .map(|(u, i)| i.quantile(*u))
                .collect()
        })
        .collect()
}

/// `plan` with `values` of `inputs` applied, run under `seed`: its figures, or (inner
/// error) why the plan cannot be built at these values (a value the scenario refuses, a
/// phase over budget).
///
/// # Errors
/// A path that does not apply to this plan, or a run that fails.
pub fn evaluate_point(
    plan: &Plan,
    doc: &Doc,
    inputs: &[Uncertain],
    values: &[f64],
    seed: u64,
    catalog: &Catalog,
    sample: Sample,
) -> Result<Result<PlanFigures, String>, String> {
    let mut d = doc.clone();
    for (u, x) in inputs.iter().zip(values) {
        for path in std::iter::once(&u.path).chain(&u.also) {
            d.apply(path, *x, u.apply)
                .map_err(|m| format!("{path}: {m}"))?;
        }
    }
    let (mut s, c) = d.read(catalog)?;
    s.seed = seed;
    s.uncertain.clear();
    let p = match Plan::from_scenario(&plan.label, s, plan.base_dir.clone(), &c) {
        Ok(p) => p,
        Err(ps) => {
            return Ok(Err(ps
                .iter()
                .map(|p| format!("{}: {}", p.path, p.message))
                .collect::<Vec<_>>()
                .join("; ")));
        }
    };
    let e = run::evaluate(&p, &c, sample, SimOptions::default()).map_err(|e| e.to_string())?;
    Ok(Ok(figures(
        &p.scenario,
        &p.facility,
        &e.assessment,
        e.outcome.as_ref(),
    )))
}

/// Run the sweep: every plan at every sample under every seed, on `spec.threads` threads,
/// calling `progress(done, total)` as points finish and stopping when `cancel` is set.
///
/// # Errors
/// An input a plan does not take (checked at each input's median before anything runs),
/// the first point, in order, that failed, or cancellation.
pub fn sweep(
    plans: &[Plan],
    spec: &SweepSpec,
    catalog: &Catalog,
    progress: &(dyn Fn(usize, usize) + Sync),
    cancel: Option<&AtomicBool>,
) -> Result<Sweep, SweepError> {
    resume(plans, spec, catalog, Vec::new(), &|_| {}, progress, cancel)
}

/// As [`sweep`], given the points an earlier run of the same sweep finished (`done`: not
/// evaluated again), calling `finished` with each point as it finishes (from the worker
/// threads), so that a caller can keep them where a killed sweep finds them again.
///
/// # Errors
/// As [`sweep`].
pub fn resume(
    plans: &[Plan],
    spec: &SweepSpec,
    catalog: &Catalog,
    done: Vec<SweepRow>,
    finished: &(dyn Fn(&SweepRow) + Sync),
    progress: &(dyn Fn(usize, usize) + Sync),
    cancel: Option<&AtomicBool>,
) -> Result<Sweep, SweepError> {
    check_inputs(plans, spec, catalog)?;
    let values = design_values(spec);
    let have: std::collections::HashSet<Point> =
        done.iter().map(|r| (r.sample, r.plan, r.seed)).collect();
    let all = points(plans.len(), values.len(), &spec.seeds);
    let total = all.len();
    let work: Vec<Point> = all.into_iter().filter(|k| !have.contains(k)).collect();
    let count = AtomicUsize::new(total - work.len());
    let progress = |_: usize| progress(count.fetch_add(1, Ordering::Relaxed) + 1, total);
    let results = evaluate_at(
        plans, spec, catalog, &values, &work, finished, &progress, cancel,
    );
    let mut rows = results?;
    rows.extend(done.into_iter().filter(|r| {
        r.sample < values.len() && r.plan < plans.len() && spec.seeds.contains(&r.seed)
    }));
    rows.sort_by_key(|r| {
        let seed = spec.seeds.iter().position(|&s| s == r.seed).unwrap_or(0);
        (r.sample, r.plan, seed)
    });
    Ok(Sweep {
        labels: plans.iter().map(|p| p.label.clone()).collect(),
        inputs: spec.inputs.iter().map(|u| u.path.clone()).collect(),
        values,
        design: spec.design,
        seeds: spec.seeds.clone(),
        rows,
    })
}

/// A point of a sweep: (sample, plan, seed).
pub type Point = (usize, usize, u64);

/// Every point of a sweep of `plans` plans over `samples` samples under `seeds`, in the
/// order of its rows: by sample, then plan, then seed.
#[must_use]
pub fn points(plans: usize, samples: usize, seeds: &[u64]) -> Vec<Point> {
    (0..samples)
        .flat_map(|s| (0..plans).flat_map(move |p| seeds.iter().map(move |&seed| (s, p, seed))))
        .collect()
}

/// Every input applies to every plan: checked once, at the medians, before the work.
fn check_inputs(plans: &[Plan], spec: &SweepSpec, catalog: &Catalog) -> Result<(), SweepError> {
    let medians: Vec<f64> = spec.inputs.iter().map(Uncertain::median_value).collect();
    for (p, d) in plans.iter().zip(docs(plans, catalog)) {
        let mut d = d.clone();
        for (u, x) in spec.inputs.iter().zip(&medians) {
            for path in std::iter::once(&u.path).chain(&u.also) {
                d.apply(path, *x, u.apply)
                    .and_then(|()| d.read(catalog).map(|_| ()))
                    .map_err(|m| SweepError::Input {
                        label: p.label.clone(),
                        message: format!("{path}: {m}"),
                    })?;
            }
        }
    }
    Ok(())
}

/// Some points of a sweep (`work`, as [`points`] names them), on `spec.threads` threads:
/// what a worker of a distributed sweep computes; the rows in the order of `work`.
///
/// # Errors
/// An input a plan does not take, the first point, in order, that failed, or
/// cancellation.
pub fn evaluate_points(
    plans: &[Plan],
    spec: &SweepSpec,
    catalog: &Catalog,
    work: &[Point],
    cancel: Option<&AtomicBool>,
) -> Result<Vec<SweepRow>, SweepError> {
    check_inputs(plans, spec, catalog)?;
    let values = design_values(spec);
    if let Some(&(s, p, _)) = work
        .iter()
        .find(|w| w.0 >= values.len() || w.1 >= plans.len())
    {
        return Err(SweepError::Input {
            label: format!("plan {p}"),
            message: format!("sample {s}: the sweep has no such point"),
        });
    }
    evaluate_at(
        plans,
        spec,
        catalog,
        &values,
        work,
        &|_| {},
        &|_| {},
        cancel,
    )
}

/// The points `work` at the design's `values`, calling `finished` with each row and
/// `progress` as each ends.
#[allow(clippy::too_many_arguments)]
fn evaluate_at(
    plans: &[Plan],
    spec: &SweepSpec,
    catalog: &Catalog,
    values: &[Vec<f64>],
    work: &[Point],
    finished: &(dyn Fn(&SweepRow) + Sync),
    progress: &(dyn Fn(usize) + Sync),
    cancel: Option<&AtomicBool>,
) -> Result<Vec<SweepRow>, SweepError> {
    let docs = docs(plans, catalog);
    let results = super::seeds::par_map_with(work, spec.threads, |&(s, p, seed)| {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(SweepError::Cancelled);
        }
        let r = evaluate_point(
            &plans[p],
            &docs[p],
            &spec.inputs,
            &values[s],
            seed,
            catalog,
            spec.sample,
        )
        .map(|figures| SweepRow {
            plan: p,
            sample: s,
            seed,
            figures,
        })
        .map_err(|message| SweepError::Point {
            label: plans[p].label.clone(),
            sample: s,
            values: spec
                .inputs
                .iter()
                .zip(&values[s])
                .map(|(u, x)| format!("{} = {x}", u.path))
                .collect::<Vec<_>>()
                .join(", "),
            seed,
            message,
        });
        if let Ok(row) = &r {
            finished(row);
        }
        progress(1);
        r
    });
    results.into_iter().collect()
}

/// One figure of one plan over a sweep.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// The points it is over (those at which the plan can be built and has the figure).
    pub points: usize,
    /// The mean over every point.
    pub mean: f64,
    /// The median.
    pub median: f64,
    /// The 5% quantile.
    pub q05: f64,
    /// The 95% quantile.
    pub q95: f64,
    /// The simulation's own noise: the root mean square, over samples, of the standard
    /// deviation between seeds at a sample (`None` with one seed).
    pub seed_sd: Option<f64>,
}

/// What decides a figure: each input's first-order and total Sobol index (Saltelli's
/// design), or Spearman's rank correlation with the figure (a Latin hypercube).
#[derive(Debug, Clone, PartialEq)]
pub enum Influence {
    /// Sobol indices, per input (`None` where the figure does not vary).
    Sobol(Vec<Option<Sobol>>),
    /// Rank correlations, per input.
    Rank(Vec<Option<f64>>),
}

/// A figure over a sweep: its distribution per plan, the odds each plan is best, the
/// verdict by the one rule, and what decides it per plan.
#[derive(Debug, Clone)]
pub struct FigureSummary {
    /// The figure's key.
    pub key: &'static str,
    /// Its label.
    pub label: &'static str,
    /// How it reads.
    pub unit: super::Unit,
    /// Per plan (`None` where a plan lacks it at some point).
    pub per_plan: Vec<Option<Distribution>>,
    /// Per plan, the share of points (sample and seed) at which it is best (`None` where
    /// the figure has no better direction); ties share.
    pub p_best: Option<Vec<f64>>,
    /// The verdict over all points, paired.
    pub verdict: Verdict,
    /// Per plan, what decides the figure.
    pub influence: Vec<Option<Influence>>,
}

impl Sweep {
    /// Each figure's values for `plan`, one per point in the order of the rows.
    fn series(&self, plan: usize, get: fn(&PlanFigures) -> Option<f64>) -> Vec<Option<f64>> {
        self.rows
            .iter()
            .filter(|r| r.plan == plan)
            .map(|r| {
                r.figures
                    .as_ref()
                    .ok()
                    .and_then(get)
                    .filter(|v| v.is_finite())
            })
            .collect()
    }

    /// Every figure summarised.
    #[must_use]
    pub fn summary(&self) -> Vec<FigureSummary> {
        let plans = self.labels.len();
        let all = || self.rows.iter().filter_map(|r| r.figures.as_ref().ok());
        let runs = Runs {
            simulated: all().any(|f| f.simulated),
            sampled: all().any(|f| f.sampling.is_some()),
        };
        let r = self.seeds.len();
        specs()
            .into_iter()
            .map(|s| {
                let series: Vec<Vec<Option<f64>>> =
                    (0..plans).map(|p| self.series(p, s.get)).collect();
                let per_plan = series.iter().map(|v| distribution(v, r)).collect();
                let p_best = s.lower.map(|lower| p_best(&series, lower));
                // The verdict: one "seed" per point (sample and seed), paired across plans.
                // Over the points at which every plan has the figure (each plan can be
                // built there), paired.
                let n = series.first().map_or(0, Vec::len);
                let common: Vec<usize> = (0..n)
                    .filter(|&i| series.iter().all(|v| v[i].is_some()))
                    .collect();
                let paired: Vec<Vec<Option<f64>>> = series
                    .iter()
                    .map(|v| common.iter().map(|&i| v[i]).collect())
                    .collect();
                let verdict = verdict(&paired, s.lower, s.sensitivity, runs);
                let influence = series.iter().map(|v| self.influence(v)).collect();
                FigureSummary {
                    key: s.key,
                    label: s.label,
                    unit: s.unit,
                    per_plan,
                    p_best,
                    verdict,
                    influence,
                }
            })
            .collect()
    }

    /// What decides one plan's figure (its values per point): the seeds' mean at each
    /// sample against the inputs.
    fn influence(&self, v: &[Option<f64>]) -> Option<Influence> {
        let r = self.seeds.len();
        // The seeds' mean at each sample (`None` where a seed lacks it).
        let y: Vec<Option<f64>> = v
            .chunks(r)
            .map(|c| c.iter().copied().sum::<Option<f64>>().map(|s| s / r as f64))
            .collect();
        let k = self.inputs.len();
        Some(match self.design {
            // Saltelli's estimators need every point.
            Design::Saltelli => Influence::Sobol(sobol_indices(
                &y.iter().copied().collect::<Option<Vec<f64>>>()?,
                k,
            )),
            Design::Latin => Influence::Rank(
                (0..k)
                    .map(|i| {
                        let (x, y): (Vec<f64>, Vec<f64>) = self
                            .values
                            .iter()
                            .zip(&y)
                            .filter_map(|(row, y)| y.map(|y| (row[i], y)))
                            .unzip();
                        spearman(&x, &y)
                    })
                    .collect(),
            ),
        })
    }

    /// Per plan, the points at which it cannot be built at the drawn values, and the
    /// first such reason.
    #[must_use]
    pub fn infeasible(&self) -> Vec<(usize, Option<&str>)> {
        (0..self.labels.len())
            .map(|p| {
                let bad: Vec<&str> = self
                    .rows
                    .iter()
                    .filter(|r| r.plan == p)
                    .filter_map(|r| r.figures.as_ref().err().map(String::as_str))
                    .collect();
                (bad.len(), bad.first().copied())
            })
            .collect()
    }
}

/// A figure's distribution over the points that have it (`r` seeds per sample,
/// consecutive); the seeds' noise from the samples at which every seed has it.
fn distribution(v: &[Option<f64>], r: usize) -> Option<Distribution> {
    let mut x: Vec<f64> = v.iter().flatten().copied().collect();
    if x.is_empty() {
        return None;
    }
    let seed_sd = (r > 1).then(|| {
        let vars: Vec<f64> = v
            .chunks(r)
            .filter_map(|c| c.iter().copied().collect::<Option<Vec<f64>>>())
            .map(|c| {
                let m = c.iter().sum::<f64>() / r as f64;
                c.iter().map(|y| (y - m).powi(2)).sum::<f64>() / (r - 1) as f64
            })
            .collect();
        (vars.iter().sum::<f64>() / vars.len().max(1) as f64).sqrt()
    });
    let mean = x.iter().sum::<f64>() / x.len() as f64;
    x.sort_by(f64::total_cmp);
    Some(Distribution {
        points: x.len(),
        mean,
        median: quantile(&x, 0.5),
        q05: quantile(&x, 0.05),
        q95: quantile(&x, 0.95),
        seed_sd,
    })
}

/// Per plan, the share of points at which it is best (lowest where `lower`); ties share
/// the point; points where a plan lacks the figure are left out.
fn p_best(series: &[Vec<Option<f64>>], lower: bool) -> Vec<f64> {
    let n = series.first().map_or(0, Vec::len);
    let mut wins = vec![0.0; series.len()];
    let mut counted = 0.0;
    for i in 0..n {
        let Some(vals) = series.iter().map(|s| s[i]).collect::<Option<Vec<f64>>>() else {
            continue;
        };
        let best = vals.iter().copied().fold(
            if lower {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            },
            |a, b| {
                if lower { a.min(b) } else { a.max(b) }
            },
        );
        let tied: Vec<usize> = (0..vals.len()).filter(|&p| vals[p] == best).collect();
        for &p in &tied {
            wins[p] += 1.0 / tied.len() as f64;
        }
        counted += 1.0;
    }
    wins.iter()
        .map(|w| if counted > 0.0 { w / counted } else { 0.0 })
        .collect()
}

#[cfg(test)]
mod tests;
