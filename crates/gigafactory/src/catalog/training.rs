use serde::{Deserialize, Serialize};

use super::Sourced;
use crate::units::Date;

/// Training at scale: the defaults that turn a run's FLOP into time on an accelerator, how
/// long a lab lets a run go, and the frontier trend (`data/training.toml`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// Model FLOP utilisation of a large run: achieved over peak dense BF16 FLOP/s.
    pub mfu: Sourced,
    /// The longest a lab lets one training run go, days.
    pub max_run_days: Sourced,
    /// Share of a run's wall-clock time spent training (the rest lost to failures,
    /// restarts and checkpoints).
    pub effective_time: Sourced,
    /// Growth of the frontier run's compute, factor a year.
    pub frontier_growth_per_year: Sourced,
    /// The anchor of the frontier trend.
    pub frontier: FrontierRun,
    /// What the frontier trend is made of.
    pub growth_factor: Vec<GrowthFactor>,
    /// Accelerators per run among published large runs.
    pub run_size: Vec<RunSize>,
    /// What a training campaign spends its compute on, by default.
    pub purpose: Vec<Purpose>,
}

/// The kind of work a purpose's jobs do (the job tables' `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// Pre-training: final runs and experiments.
    Pretrain,
    /// Post-training: supervised fine-tuning, RL.
    Sft,
    /// Evaluation.
    Eval,
    /// Multimodal work.
    Mllm,
    /// Debugging sessions.
    Debug,
    /// Anything else.
    Other,
}

/// One purpose of a training campaign: its share of the compute, and the accelerators
/// and hours of its runs as log-normals through a median and a 90th percentile, cut at a
/// maximum (hours are on an H100: an accelerator of relative throughput r takes 1/r).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Name ("final", "experiment", ...).
    pub name: String,
    /// The kind of work, as the job tables record it.
    pub kind: WorkKind,
    /// Share of the campaign's compute (the shares add up to 1).
    pub compute_share: f64,
    /// Median accelerators per run.
    pub gpus_median: f64,
    /// 90th percentile of accelerators per run.
    pub gpus_p90: f64,
    /// The most accelerators a run takes.
    pub gpus_max: f64,
    /// Median hours per run on an H100.
    pub hours_median: f64,
    /// 90th percentile of hours per run on an H100 (runs are cut at the longest a lab
    /// accepts).
    pub hours_p90: f64,
    /// Where the figures come from (empty in a scenario).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
}

/// A published training run that anchors the frontier trend.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FrontierRun {
    /// The model trained.
    pub run: String,
    /// Its training compute, FLOP.
    pub flop: f64,
    /// When it was released.
    pub date: Date,
    /// Where the figures come from.
    pub source: String,
}

/// One factor of the frontier trend, per year, with its P10-P90 range.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthFactor {
    /// What grows.
    pub name: String,
    /// Median factor a year.
    pub value: f64,
    /// 10th percentile.
    pub low: f64,
    /// 90th percentile.
    pub high: f64,
    /// Where it comes from.
    pub source: String,
}

/// Quantiles of the accelerators per run among published runs above a compute.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSize {
    /// Runs of at least this compute, FLOP.
    pub above_flop: f64,
    /// Runs with a recorded count.
    pub runs: u32,
    /// 10th percentile, accelerators.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub median: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Where it comes from.
    pub source: String,
}

impl FrontierRun {
    /// The frontier run's compute at `date` on the trend, FLOP: this run grown `growth`
    /// times a year (a mean year of 365.25 days).
    pub fn flop_at(&self, date: &Date, growth: f64) -> f64 {
        let years = date.days_since(&self.date) as f64 / crate::units::MEAN_YEAR_DAYS;
        self.flop * growth.powf(years)
    }

    /// Days from this run's date until the frontier run on the trend is `flop` in size
    /// (negative for a smaller run): the inverse of [`FrontierRun::flop_at`].
    pub fn days_until(&self, flop: f64, growth: f64) -> f64 {
        (flop / self.flop).ln() / growth.ln() * crate::units::MEAN_YEAR_DAYS
    }
}

impl Training {
    /// The single-figure defaults as (name, row), in file order.
    pub fn entries(&self) -> [(&'static str, &Sourced); 4] {
        [
            ("mfu", &self.mfu),
            ("max_run_days", &self.max_run_days),
            ("effective_time", &self.effective_time),
            ("frontier_growth_per_year", &self.frontier_growth_per_year),
        ]
    }
}
