//! What an inference service cost per million tokens, against the market's price.
//!
//! A service's cost is the GPU-hours its replicas held (their idle headroom and start-up
//! included) at the plan's cost per delivered GPU-hour (depreciation, electricity,
//! maintenance and staff over the hours delivered, at the simulated utilisation). That
//! cost is split between input and output tokens by the accelerator-hours each took at the
//! catalogue's throughput (`gigafactory catalog serving`), and divided by the tokens served.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::model::Assessment;
use crate::scenario::{Scenario, TenantKind};
use crate::sim::SimOutcome;

/// One inference service's figures over the simulated time.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct ServiceFigures {
    /// The tenant.
    pub tenant: String,
    /// Its model class.
    pub model: String,
    /// Tokens asked for (input and output).
    pub tokens_demanded: f64,
    /// Tokens served in time.
    pub tokens_served: f64,
    /// Tokens asked for and not served in time.
    pub tokens_not_served: f64,
    /// GPU-hours its replicas held.
    pub gpu_hours: f64,
    /// Share of those hours that served tokens at full load (the rest is headroom under
    /// the utilisation ceiling, start-ups and troughs between scaling steps).
    pub busy_share: f64,
    /// Cost per million input tokens served, EUR.
    pub eur_per_m_input: f64,
    /// Cost per million output tokens served, EUR.
    pub eur_per_m_output: f64,
    /// The market's list price per million input tokens of the model class, EUR.
    pub market_eur_per_m_input: f64,
    /// The same for output tokens, EUR.
    pub market_eur_per_m_output: f64,
    /// Where the market price comes from.
    pub market_source: String,
}

/// The figures of every inference service of `s` in `o`, at the cost per delivered
/// GPU-hour of `a`.
pub fn service_figures(
    s: &Scenario,
    o: &SimOutcome,
    a: &Assessment,
    catalog: &Catalog,
    eur_per_usd: f64,
) -> Vec<ServiceFigures> {
    s.tenants
        .iter()
        .filter(|t| t.kind == TenantKind::Inference)
        .filter_map(|t| {
            let out = o.tenants.iter().find(|x| x.name == t.name)?;
            let k = out.tokens.unwrap_or_default();
            let model = t.model.clone().unwrap_or_default();
            let cost = out.served_gpu_hours * a.cost_per_gpu_hour_eur;
            let work = k.input_gpu_hours + k.output_gpu_hours;
            let (cin, cout) = if work > 0.0 {
                (
                    cost * k.input_gpu_hours / work,
                    cost * k.output_gpu_hours / work,
                )
            } else {
                (0.0, 0.0)
            };
            let per_m = |c: f64, n: f64| if n > 0.0 { c / n * 1e6 } else { 0.0 };
            let price = catalog.serving.price(&model);
            Some(ServiceFigures {
                tenant: t.name.clone(),
                tokens_demanded: k.input_demanded + k.output_demanded,
                tokens_served: k.served(),
                tokens_not_served: k.not_served(),
                gpu_hours: out.served_gpu_hours,
                busy_share: if out.served_gpu_hours > 0.0 {
                    work / out.served_gpu_hours
                } else {
                    0.0
                },
                eur_per_m_input: per_m(cin, k.input_served),
                eur_per_m_output: per_m(cout, k.output_served),
                market_eur_per_m_input: price.map_or(0.0, |p| p.input_usd_per_mtok * eur_per_usd),
                market_eur_per_m_output: price.map_or(0.0, |p| p.output_usd_per_mtok * eur_per_usd),
                market_source: price.map_or_else(String::new, |p| p.source.clone()),
                model,
            })
        })
        .collect()
}

/// GPU-hours by the kind of work: inference services' replicas, training campaigns' runs,
/// and batch jobs (every other tenant's, a trace's).
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, schemars::JsonSchema)]
pub struct HoursByKind {
    /// Held by inference services' replicas.
    pub serving_gpu_hours: f64,
    /// Held by training campaigns' runs.
    pub training_gpu_hours: f64,
    /// Held by batch jobs.
    pub batch_gpu_hours: f64,
}

/// The GPU-hours of `o` by kind of tenant (tenants of `o` that `s` does not name, a
/// trace's, are batch).
pub fn hours_by_kind(s: &Scenario, o: &SimOutcome) -> HoursByKind {
    let mut h = HoursByKind::default();
    for t in &o.tenants {
        let kind = s.tenants.iter().find(|x| x.name == t.name).map(|x| x.kind);
        let slot = match kind {
            Some(TenantKind::Inference) => &mut h.serving_gpu_hours,
            Some(TenantKind::Training) => &mut h.training_gpu_hours,
            _ => &mut h.batch_gpu_hours,
        };
        *slot += t.served_gpu_hours;
    }
    h
}
