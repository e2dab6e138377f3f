use serde::{Deserialize, Serialize};

/// A rental price observed on the market.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RentPoint {
    /// Accelerator id.
    pub accelerator: String,
    /// Who offered it, and on what terms.
    pub offer: String,
    /// Price, USD per GPU-hour.
    pub usd_per_gpu_hour: f64,
    /// When it held (`YYYY`, `YYYY-MM`, or `n/d` where the source gives no date).
    pub as_of: String,
    /// Source key.
    pub source: String,
    /// The point used for comparisons.
    #[serde(default)]
    pub reference: bool,
}

/// The useful life a company books its servers over.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepreciationLife {
    /// Company.
    pub company: String,
    /// Useful life, years.
    pub life_years: f64,
    /// Since when.
    pub since: String,
    /// What changed.
    pub note: String,
    /// Source.
    pub source: String,
}

/// Interruptions observed on one large training run.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureRecord {
    /// The run.
    pub run: String,
    /// Accelerator id.
    pub accelerator: String,
    /// Accelerators in the run.
    pub gpus: u32,
    /// Length of the run, days.
    pub days: f64,
    /// All interruptions.
    pub interruptions_total: u32,
    /// Planned interruptions.
    pub interruptions_planned: u32,
    /// Unexpected interruptions.
    pub interruptions_unexpected: u32,
    /// Share of unexpected interruptions caused by the GPU or its memory.
    pub gpu_related_share_of_unexpected: f64,
    /// Share of wall time spent training.
    pub effective_training_time_share: f64,
    /// Source.
    pub source: String,
}

impl FailureRecord {
    /// Accelerator-hours between unexpected interruptions (a mean time between failures
    /// per accelerator): accelerators × hours ÷ unexpected interruptions.
    pub fn gpu_hours_per_interruption(&self) -> f64 {
        f64::from(self.gpus) * self.days * 24.0 / f64::from(self.interruptions_unexpected)
    }
}
