//! `summary.json`: a run's figures as one typed value, the same that `run --json` prints.
//! Its JSON Schema is printed by `gigafactory schema --summary`.

use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

use gigafactory::model::Assessment;
use gigafactory::plan::Spread;
use gigafactory::run::{
    Evaluation, HoursByKind, Pricing, ServiceFigures, SimOutcome, TenantOutcome, YearOutcome,
};
use gigafactory::units::Date;

/// A run's summary: where it came from, the facility's figures and, when simulated, the
/// simulation's headline figures at the top level with the whole outcome under
/// `simulation`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Summary {
    /// The version of gigafactory that made it.
    pub gigafactory_version: String,
    /// The scenario file (or built-in name) evaluated.
    pub scenario_source: String,
    /// The start of the horizon.
    pub start: Date,
    /// The horizon, years.
    pub horizon_years: u32,
    /// The facility's figures (at the simulated utilisation when simulated).
    #[serde(flatten)]
    pub assessment: Assessment,
    /// The simulation's headline figures, when simulated.
    #[serde(flatten)]
    pub headline: Option<Headline>,
    /// The simulation's whole outcome, when simulated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulation: Option<SimOutcome>,
    /// Inference services: tokens served and not served in time, and their cost per
    /// million tokens against the market's price (empty without services).
    pub services: Vec<ServiceFigures>,
    /// GPU-hours by kind of work: serving, training, batch (when simulated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_hours_by_kind: Option<HoursByKind>,
    /// Revenue at the scenario's `[prices]` and the public subsidy, in total, per class and
    /// per year (when simulated and priced).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pricing: Option<Pricing>,
    /// What the calls for proposals awarded, per call (when the scenario has calls; the
    /// proposals are in `projects.csv`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calls: Option<gigafactory::run::Calls>,
    /// The simulation replicated over seeds (`run --seeds R`, R > 1): each figure's mean,
    /// 95% interval and range over them; the rest of the file is the first seed's run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seeds: Option<Seeds>,
}

/// A run's simulation replicated over seeds: the simulation's own noise on each figure.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Seeds {
    /// The seeds, in order; the first is the scenario's.
    pub seeds: Vec<u64>,
    /// Per figure (keyed as `compare.json` keys them), its spread over the seeds; figures
    /// that are not finite under every seed (e.g. a cost per hour with no hours served)
    /// are left out.
    pub figures: BTreeMap<String, SeedSpread>,
}

/// One figure over the seeds.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct SeedSpread {
    /// The mean over the seeds.
    pub mean: f64,
    /// Half the width of the 95% interval of the mean (Student's t over the seeds).
    pub half_width_95: f64,
    /// The smallest value.
    pub min: f64,
    /// The largest value.
    pub max: f64,
    /// Each seed's value, in the order of `seeds`.
    pub values: Vec<f64>,
}

impl Seeds {
    /// From the library's spreads of a plan's figures over `seeds`.
    #[must_use]
    pub fn of(seeds: &[u64], spread: &[Spread]) -> Seeds {
        Seeds {
            seeds: seeds.to_vec(),
            figures: spread
                .iter()
                .filter(|s| s.values.iter().all(|v| v.is_finite()))
                .map(|s| {
                    let v = SeedSpread {
                        mean: s.mean,
                        half_width_95: s.half_width_95,
                        min: s.min,
                        max: s.max,
                        values: s.values.clone(),
                    };
                    (s.key.to_string(), v)
                })
                .collect(),
        }
    }
}

/// The figures of a simulation that `summary.json` also holds at its top level, as they
/// are in `simulation`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Headline {
    /// Jobs submitted: completed + withdrawn + refused + unfinished.
    pub jobs_submitted: u64,
    /// Jobs completed.
    pub jobs_completed: u64,
    /// Jobs withdrawn after waiting past their tenant's patience.
    pub jobs_withdrawn: u64,
    /// Jobs refused on arrival.
    pub jobs_rejected: u64,
    /// Jobs still queued or running at the end.
    pub jobs_unfinished: u64,
    /// Allocated GPU-time over GPU-time in service.
    pub utilization: f64,
    /// Useful reference GPU-time over allocated GPU-time in H100-equivalents.
    pub goodput_fraction: f64,
    /// Mean wait of jobs that started, s.
    pub wait_s_mean: f64,
    /// Median wait, s.
    pub wait_s_p50: f64,
    /// 95th percentile wait, s.
    pub wait_s_p95: f64,
    /// 99th percentile wait, s.
    pub wait_s_p99: f64,
    /// Mean time completed jobs spent queued in all, s.
    pub queued_s_mean: f64,
    /// 95th percentile of the same, s.
    pub queued_s_p95: f64,
    /// Mean time from submission to completion, s.
    pub jct_s_mean: f64,
    /// Jobs interrupted by failures.
    pub interruptions: u64,
    /// GPU-hours of work lost to interruptions.
    pub lost_gpu_hours: f64,
    /// Jain's index over tenants of served share over entitled share.
    pub fairness_jain: f64,
    /// Per tenant.
    pub tenants: Vec<TenantOutcome>,
    /// Per year of the horizon simulated.
    pub years: Vec<YearOutcome>,
}

impl Headline {
    /// The headline figures of outcome `o`.
    #[must_use]
    pub fn of(o: &SimOutcome) -> Headline {
        Headline {
            jobs_submitted: o.jobs_submitted,
            jobs_completed: o.jobs_completed,
            jobs_withdrawn: o.jobs_withdrawn,
            jobs_rejected: o.jobs_rejected,
            jobs_unfinished: o.jobs_unfinished,
            utilization: o.utilization,
            goodput_fraction: o.goodput_fraction,
            wait_s_mean: o.wait_s_mean,
            wait_s_p50: o.wait_s_p50,
            wait_s_p95: o.wait_s_p95,
            wait_s_p99: o.wait_s_p99,
            queued_s_mean: o.queued_s_mean,
            queued_s_p95: o.queued_s_p95,
            jct_s_mean: o.jct_s_mean,
            interruptions: o.interruptions,
            lost_gpu_hours: o.lost_gpu_hours,
            fairness_jain: o.fairness_jain,
            tenants: o.tenants.clone(),
            years: o.years.clone(),
        }
    }
}

impl Summary {
    /// The summary of evaluation `e`.
    #[must_use]
    pub fn of(e: &Evaluation) -> Summary {
        Summary {
            gigafactory_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_source: e.label.clone(),
            start: e.start,
            horizon_years: e.horizon_years,
            assessment: e.assessment.clone(),
            headline: e.outcome.as_ref().map(Headline::of),
            simulation: e.outcome.clone(),
            services: e.services.clone(),
            gpu_hours_by_kind: e.hours_by_kind,
            pricing: e.pricing.clone(),
            calls: e.calls.clone(),
            seeds: None,
        }
    }

    /// As `summary.json` holds it: pretty-printed, keys in alphabetical order, a newline
    /// at the end.
    #[must_use]
    pub fn to_json(&self) -> String {
        // Through a `Value`, whose maps keep their keys sorted, so that a reader finds a
        // key where it was in every earlier version.
        let value = serde_json::to_value(self).expect("a summary is JSON");
        serde_json::to_string_pretty(&value).expect("JSON") + "\n"
    }

    /// The JSON Schema of `summary.json`.
    #[must_use]
    pub fn schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Summary)).expect("a schema is JSON")
    }
}
