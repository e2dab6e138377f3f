//! A tenant of the facility: who submits work, of which kind, how much, and where it
//! may run.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::access::{Region, TenantClass};

/// A synthetic tenant: a job mix, a load and how it grows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    /// Name.
    pub name: String,
    /// Class.
    pub class: TenantClass,
    /// Entitlement used by fair-share policies (0-1; shares add up to at most 1).
    pub share: f64,
    /// What the tenant submits: batch jobs from a preset, or a training campaign.
    #[serde(default)]
    pub kind: TenantKind,
    /// Job mix of a batch tenant (`gigafactory workload presets`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// A training campaign's compute a year at the start, FLOP (or give its demand in
    /// H100-hours): at the catalogue's MFU, an H100-hour is 989e12 x MFU x 3,600 FLOP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compute_flop_per_year: Option<f64>,
    /// A training campaign that keeps up with the frontier: its compute grows at
    /// `[training] frontier_growth_per_year` instead of `growth_per_year`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub frontier: bool,
    /// What a training campaign spends its compute on (default: `gigafactory catalog
    /// training`'s purposes).
    #[serde(default, rename = "purpose", skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<crate::catalog::Purpose>,
    /// Offered GPU-time at the start as a share of `[demand] reference_h100_equivalents`
    /// (which a load above 0 requires: never a share of the plan under evaluation). Give
    /// this or `demand_h100_hours_per_year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<f64>,
    /// Offered GPU-time at the start in absolute terms: H100-equivalent GPU-hours a year
    /// (a mean year of 365.25 days), whatever the plan builds. Give this or `load`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand_h100_hours_per_year: Option<f64>,
    /// Data residency: the tenant's work runs only at sites in these countries (ISO
    /// 3166 codes, `gigafactory catalog countries`). A site without a country is outside
    /// every such rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_countries: Option<Vec<String>>,
    /// Placement: the tenant's work runs only at these sites (`[[site]]` names).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_sites: Option<Vec<String>>,
    /// Data residency by region: `eu` (the 27 member states) or `eea` (those and the
    /// catalogue's EEA states outside the EU: Norway). Every rule given holds at once: a site must satisfy
    /// all of `allowed_countries`, `allowed_sites` and `region`. Work that no allowed site
    /// can ever hold is refused and counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
    /// Growth of demand per year (0.5 = +50% a year).
    #[serde(default)]
    pub growth_per_year: f64,
    /// A job waiting longer than this, hours, is withdrawn (lost demand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patience_h: Option<f64>,
    /// Daily cycle of arrivals: ± this share around the mean, peaking at 14:00 (default 0).
    #[serde(default)]
    pub daily_amplitude: f64,
    /// Arrival rate on weekends relative to weekdays (default 1).
    #[serde(default = "one")]
    pub weekend_factor: f64,
    /// `quota` policy: most GPUs the tenant may hold at once (default: its share of the
    /// facility).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota_gpus: Option<u32>,
    /// An inference service's model class (`gigafactory catalog serving`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// An inference service's input (prompt) tokens a day at the start, on a mean day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens_per_day: Option<f64>,
    /// An inference service's output tokens a day at the start, on a mean day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens_per_day: Option<f64>,
    /// An inference service's requests a second at the start, on average (with
    /// `input_tokens_per_request` and `output_tokens_per_request`, instead of tokens a
    /// day).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_per_second: Option<f64>,
    /// Prompt tokens per request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens_per_request: Option<f64>,
    /// Output tokens per request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens_per_request: Option<f64>,
    /// An inference service's demand through the day: a built-in shape (`conversation`,
    /// `coding`, `flat`; `gigafactory catalog serving`), with its own weekend factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// Or by hand: 24 factors, hours 00 to 23 (scaled to a mean of 1), with
    /// `weekend_factor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly: Option<Vec<f64>>,
}

fn one() -> f64 {
    1.0
}

/// What a tenant submits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenantKind {
    /// Batch jobs drawn from a job-mix preset fitted to a published trace.
    #[default]
    Batch,
    /// A lab's training campaign: final runs, experiments, post-training and evaluation,
    /// sized from its compute a year (`gigafactory catalog training`).
    Training,
    /// An inference service: tokens a day through a daily profile, served by replicas of a
    /// model class that scale with demand (`gigafactory catalog serving`).
    Inference,
}
