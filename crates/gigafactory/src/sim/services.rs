//! Inference services as the simulation sees them: demand in tokens a second through the
//! day, and what a replica needs and serves on each build phase's accelerator. Resolved
//! from the scenario and the catalogue once (`services`), like the rest of [`SimConfig`].

use crate::catalog::{Catalog, ReplicaSpec};
use crate::engine::Time;
use crate::model::Facility;
use crate::scenario::{Preempt, Scenario, TenantKind};
use crate::units::MEAN_YEAR_S;

/// How services hold replicas (the `[serving]` table, defaults from the catalogue).
#[derive(Debug, Clone, PartialEq)]
pub struct ServingParams {
    /// Replicas are added before their load passes this share of their throughput.
    pub ceiling: f64,
    /// Seconds from placing a replica to serving.
    pub startup_s: Time,
    /// Seconds between scaling decisions (a divisor of the hour).
    pub interval_s: Time,
    /// What a service preempts for GPUs.
    pub preempt: Preempt,
    /// Tenants whose running jobs a service never preempts (training campaigns, unless
    /// `preempt = "batch-and-training"`), by index.
    pub protected: Vec<usize>,
}

impl Default for ServingParams {
    fn default() -> Self {
        ServingParams {
            ceiling: 0.7,
            startup_s: 180,
            interval_s: 300,
            preempt: Preempt::Batch,
            protected: Vec::new(),
        }
    }
}

/// One inference service.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceConfig {
    /// Its tenant, by index.
    pub tenant: usize,
    /// Its model class.
    pub model: String,
    /// Input tokens a second in a mean hour at the start, for the whole facility.
    pub input_tokens_per_s: f64,
    /// Output tokens a second in a mean hour at the start.
    pub output_tokens_per_s: f64,
    /// Growth of demand a year (0.5 = +50% a year).
    pub growth_per_year: f64,
    /// Seconds over which demand rises from nothing to its full rate along the S-curve of
    /// `[demand] adoption_months`, as batch tenants' arrivals do (0: no ramp).
    pub adoption_s: f64,
    /// Each hour of a weekday, relative to the week's mean hour.
    pub hourly: [f64; 24],
    /// Saturdays' and Sundays' demand relative to weekdays'.
    pub weekend_factor: f64,
    /// Day of the week of the start, 0 = Monday.
    pub start_weekday: u32,
    /// Per build phase, in the facility's order: a replica's size and throughput there.
    pub replicas: Vec<ReplicaSpec>,
}

impl ServiceConfig {
    /// Demand at `t` s from the start, (input, output) tokens a second: the start's rate,
    /// grown to `t`, times the hour's factor (and the weekend's) and the adoption ramp's.
    pub fn rate(&self, t: Time) -> (f64, f64) {
        let day = t / 86_400;
        let hour = ((t / 3600) % 24) as usize;
        let weekend = (u64::from(self.start_weekday) + day) % 7 >= 5;
        let ramp = if (t as f64) < self.adoption_s {
            let x = t as f64 / self.adoption_s;
            x * x * (3.0 - 2.0 * x)
        } else {
            1.0
        };
        let f = self.hourly[hour]
            * ramp
            * if weekend { self.weekend_factor } else { 1.0 }
            * (1.0 + self.growth_per_year).powf(t as f64 / MEAN_YEAR_S);
        (self.input_tokens_per_s * f, self.output_tokens_per_s * f)
    }

    /// Input tokens' share of all tokens.
    pub fn input_share(&self) -> f64 {
        let all = self.input_tokens_per_s + self.output_tokens_per_s;
        if all > 0.0 {
            self.input_tokens_per_s / all
        } else {
            0.0
        }
    }
}

/// Tokens a second (input and output in the service's mix) that a replica of `r` serves
/// at full load, and the accelerator-seconds one token of each kind takes.
pub fn replica_tokens_per_s(r: &ReplicaSpec, input_share: f64) -> f64 {
    let per_token =
        input_share / r.input_tokens_per_s + (1.0 - input_share) / r.output_tokens_per_s;
    f64::from(r.gpus) / per_token
}

/// The `[serving]` settings of `s`.
pub(super) fn serving_params(s: &Scenario, catalog: &Catalog) -> ServingParams {
    let c = &catalog.serving;
    let r = &s.serving;
    let preempt = r.preempt;
    ServingParams {
        ceiling: r.utilisation_ceiling.unwrap_or(c.utilisation_ceiling.value),
        startup_s: r.startup_s.unwrap_or(c.startup_s.value).round() as Time,
        interval_s: Time::from(
            r.scale_interval_min
                .unwrap_or(c.scale_interval_min.value as u32),
        ) * 60,
        preempt,
        protected: s
            .tenants
            .iter()
            .enumerate()
            .filter(|(_, t)| t.kind == TenantKind::Training && preempt != Preempt::BatchAndTraining)
            .map(|(i, _)| i)
            .collect(),
    }
}

/// The inference services of validated scenario `s` on facility `f` (demand for the
/// whole plan: the simulation divides it by a sample's weight).
pub(super) fn services(s: &Scenario, catalog: &Catalog, f: &Facility) -> Vec<ServiceConfig> {
    let c = &catalog.serving;
    let prefill = s.serving.prefill_mfu.unwrap_or(c.prefill_mfu.value);
    // A projected part beyond the catalogue is taken to hold as much as the largest
    // catalogued one.
    let most_memory = catalog
        .accelerators
        .iter()
        .map(|a| a.memory_gb)
        .fold(0.0, f64::max);
    s.tenants
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == TenantKind::Inference)
        .filter_map(|(i, t)| {
            let model = c.model(t.model.as_deref()?)?;
            let (input, output) = match (t.input_tokens_per_day, t.output_tokens_per_day) {
                (Some(a), Some(b)) => (a / 86_400.0, b / 86_400.0),
                _ => {
                    let rps = t.requests_per_second.unwrap_or(0.0);
                    (
                        rps * t.input_tokens_per_request.unwrap_or(0.0),
                        rps * t.output_tokens_per_request.unwrap_or(0.0),
                    )
                }
            };
            let (hourly, weekend) = match (&t.profile, &t.hourly) {
                (_, Some(h)) if h.len() == 24 => {
                    let mean = h.iter().sum::<f64>() / 24.0;
                    let norm = 7.0 / (5.0 + 2.0 * t.weekend_factor) / mean;
                    let mut a = [0.0; 24];
                    a.iter_mut().zip(h).for_each(|(x, y)| *x = y * norm);
                    (a, t.weekend_factor)
                }
                (p, _) => c.profile(p.as_deref().unwrap_or("conversation"))?.hourly(),
            };
            let replicas = f
                .builds
                .iter()
                .map(|b| {
                    let acc = catalog.accelerator(&b.accelerator);
                    c.replica(
                        model,
                        &b.accelerator,
                        acc,
                        b.relative_throughput,
                        acc.map_or(most_memory, |a| a.memory_gb),
                        prefill,
                        &catalog.accelerators,
                    )
                })
                .collect();
            Some(ServiceConfig {
                tenant: i,
                model: model.id.clone(),
                input_tokens_per_s: input,
                output_tokens_per_s: output,
                growth_per_year: t.growth_per_year,
                adoption_s: s
                    .demand
                    .adoption_months
                    .unwrap_or(crate::scenario::defaults::ADOPTION_MONTHS)
                    * MEAN_YEAR_S
                    / 12.0,
                hourly,
                weekend_factor: weekend,
                start_weekday: crate::workload::weekday(&s.start),
                replicas,
            })
        })
        .collect()
}
