//! A simulation's yearly and per-tenant tables, column by column: each column's name (with
//! its unit), type and how a row's cell reads. One definition for every form they take:
//! `years.csv` and `tenants.csv`, and the Arrow tables the Python package hands over.

use super::pricing::{Pricing, YearPricing};
use crate::model::CapabilityYear;
use crate::sim::{TenantOutcome, YearOutcome};

/// A column's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A whole number.
    Int,
    /// A count.
    UInt,
    /// A real number.
    Float,
    /// A real number, or none (the revenue columns of a run without prices).
    FloatOrNone,
    /// Text; empty (null in typed forms) where the cell has none.
    Text,
    /// True or false.
    Bool,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A whole number.
    Int(i64),
    /// A count.
    UInt(u64),
    /// A real number.
    Float(f64),
    /// Text.
    Text(String),
    /// True or false.
    Bool(bool),
    /// No value (an empty CSV field, a null).
    Null,
}

/// A column of a table of rows `R`: its name, type, and how a row's cell reads.
pub type Column<R> = (&'static str, Kind, fn(&R) -> Value);

/// A row of the yearly table: the simulated year and what the plan could train in it.
#[derive(Debug, Clone)]
pub struct YearRow {
    /// The simulated year.
    pub y: YearOutcome,
    /// Its capability.
    pub c: CapabilityYear,
    /// Its revenue and subsidy, where the scenario has prices.
    pub p: Option<YearPricing>,
}

/// A row of the per-tenant table: the tenant and its price, where the scenario has
/// prices.
#[derive(Debug, Clone)]
pub struct TenantRow {
    /// The tenant.
    pub t: TenantOutcome,
    /// Its class's price, EUR per GPU-hour.
    pub price: Option<f64>,
}

/// The yearly table's columns, one row per year of the horizon.
pub const YEAR_COLUMNS: [Column<YearRow>; 21] = [
    ("year", Kind::Int, |r| Value::Int(i64::from(r.y.year))),
    ("gpus_online", Kind::Float, |r| {
        Value::Float(r.y.gpus_online)
    }),
    ("capex_eur", Kind::Float, |r| Value::Float(r.y.capex_eur)),
    ("opex_eur", Kind::Float, |r| Value::Float(r.y.opex_eur)),
    ("utilization", Kind::Float, |r| {
        Value::Float(r.y.utilization)
    }),
    ("served_gpu_hours", Kind::Float, |r| {
        Value::Float(r.y.served_gpu_hours)
    }),
    ("lost_demand_gpu_hours", Kind::Float, |r| {
        Value::Float(r.y.lost_demand_gpu_hours)
    }),
    ("jobs_refused", Kind::UInt, |r| {
        Value::UInt(r.y.jobs_refused)
    }),
    ("refused_flop", Kind::Float, |r| {
        Value::Float(r.y.refused_flop)
    }),
    ("wait_s_p95", Kind::Float, |r| Value::Float(r.y.wait_s_p95)),
    ("energy_mwh", Kind::Float, |r| Value::Float(r.y.energy_mwh)),
    ("co2_t", Kind::Float, |r| Value::Float(r.y.co2_t)),
    ("market_value_eur", Kind::Float, |r| {
        Value::Float(r.y.market_value_eur)
    }),
    ("serving_gpu_hours", Kind::Float, |r| {
        Value::Float(r.y.serving_gpu_hours)
    }),
    ("tokens_served", Kind::Float, |r| {
        Value::Float(r.y.tokens.served())
    }),
    ("tokens_not_served", Kind::Float, |r| {
        Value::Float(r.y.tokens.not_served())
    }),
    ("largest_run_flop", Kind::Float, |r| {
        Value::Float(r.c.plan_flop)
    }),
    ("frontier_run_flop", Kind::Float, |r| {
        Value::Float(r.c.frontier_flop)
    }),
    ("largest_run_frontier_date", Kind::Text, |r| {
        r.c.plan_matches_frontier_of
            .map_or(Value::Null, |d| Value::Text(d.to_string()))
    }),
    ("revenue_eur", Kind::FloatOrNone, |r| {
        r.p.as_ref()
            .map_or(Value::Null, |p| Value::Float(p.revenue_eur))
    }),
    ("subsidy_eur", Kind::FloatOrNone, |r| {
        r.p.as_ref()
            .map_or(Value::Null, |p| Value::Float(p.subsidy_eur))
    }),
];

/// The per-tenant table's columns, one row per tenant.
pub const TENANT_COLUMNS: [Column<TenantRow>; 20] = [
    ("tenant", Kind::Text, |r| Value::Text(r.t.name.clone())),
    ("jobs_submitted", Kind::UInt, |r| {
        Value::UInt(r.t.jobs_submitted)
    }),
    ("jobs_completed", Kind::UInt, |r| {
        Value::UInt(r.t.jobs_completed)
    }),
    ("jobs_withdrawn", Kind::UInt, |r| {
        Value::UInt(r.t.jobs_withdrawn)
    }),
    ("jobs_rejected", Kind::UInt, |r| {
        Value::UInt(r.t.jobs_rejected)
    }),
    ("jobs_unfinished", Kind::UInt, |r| {
        Value::UInt(r.t.jobs_unfinished)
    }),
    ("wait_s_mean", Kind::Float, |r| {
        Value::Float(r.t.wait_s_mean)
    }),
    ("wait_s_p50", Kind::Float, |r| Value::Float(r.t.wait_s_p50)),
    ("wait_s_p95", Kind::Float, |r| Value::Float(r.t.wait_s_p95)),
    ("wait_s_p99", Kind::Float, |r| Value::Float(r.t.wait_s_p99)),
    ("served_gpu_hours", Kind::Float, |r| {
        Value::Float(r.t.served_gpu_hours)
    }),
    ("share_of_service", Kind::Float, |r| {
        Value::Float(r.t.share_of_service)
    }),
    ("lost_demand_gpu_hours", Kind::Float, |r| {
        Value::Float(r.t.lost_demand_gpu_hours)
    }),
    ("refused_flop", Kind::Float, |r| {
        Value::Float(r.t.refused_flop)
    }),
    ("queued_s_mean", Kind::Float, |r| {
        Value::Float(r.t.queued_s_mean)
    }),
    ("queued_s_p95", Kind::Float, |r| {
        Value::Float(r.t.queued_s_p95)
    }),
    ("tokens_served", Kind::Float, |r| {
        Value::Float(r.t.tokens.map_or(0.0, |k| k.served()))
    }),
    ("tokens_not_served", Kind::Float, |r| {
        Value::Float(r.t.tokens.map_or(0.0, |k| k.not_served()))
    }),
    ("price_eur_per_gpu_hour", Kind::FloatOrNone, |r| {
        r.price.map_or(Value::Null, Value::Float)
    }),
    ("revenue_eur", Kind::FloatOrNone, |r| {
        r.price
            .map_or(Value::Null, |p| Value::Float(p * r.t.served_gpu_hours))
    }),
];

/// The yearly table's rows: each simulated year with what the plan could train in it
/// (`capability` has a row for every year of the horizon, the simulation at most as many)
/// and its revenue and subsidy at `pricing`.
#[must_use]
pub fn year_rows(
    o: &crate::sim::SimOutcome,
    capability: &crate::model::Capability,
    pricing: Option<&Pricing>,
) -> Vec<YearRow> {
    o.years
        .iter()
        .zip(&capability.years)
        .enumerate()
        .map(|(i, (y, c))| YearRow {
            y: y.clone(),
            c: c.clone(),
            p: pricing.and_then(|p| p.years.get(i).cloned()),
        })
        .collect()
}

/// The per-tenant table's rows, with each tenant's price at `pricing`.
#[must_use]
pub fn tenant_rows(o: &crate::sim::SimOutcome, pricing: Option<&Pricing>) -> Vec<TenantRow> {
    o.tenants
        .iter()
        .enumerate()
        .map(|(i, t)| TenantRow {
            t: t.clone(),
            price: pricing.and_then(|p| p.tenant_prices.get(i).copied()),
        })
        .collect()
}

/// `projects.csv`: one row per proposal to a call, awarded or not.
pub const PROJECT_COLUMNS: [Column<super::ProjectRow>; 9] = [
    ("call", Kind::Text, |r| Value::Text(r.call.clone())),
    ("round", Kind::UInt, |r| Value::UInt(u64::from(r.round))),
    ("opens", Kind::Text, |r| Value::Text(r.opens.clone())),
    ("ends", Kind::Text, |r| Value::Text(r.ends.clone())),
    ("project", Kind::Text, |r| Value::Text(r.project.clone())),
    ("requested_h100_hours", Kind::Float, |r| {
        Value::Float(r.requested_h100_hours)
    }),
    ("score", Kind::Float, |r| Value::Float(r.score)),
    ("accepted", Kind::Bool, |r| Value::Bool(r.accepted)),
    ("awarded_h100_hours", Kind::Float, |r| {
        Value::Float(r.awarded_h100_hours)
    }),
];
