//! `years.csv` and `tenants.csv`: a simulation's yearly and per-tenant figures as CSV that
//! pandas, polars and DuckDB read as they are. Column names carry their units.

use std::fmt::Write as _;

use gigafactory::model::{Capability, CapabilityYear};
use gigafactory::run::csv_field as field;
use gigafactory::run::{SimOutcome, TenantOutcome, YearOutcome};

/// A column of a table of rows `R`: its header and how a row's cell reads.
type Column<R> = (&'static str, fn(&R) -> String);

/// A row of `years.csv`: the simulated year and what the plan could train in it.
struct YearRow {
    y: YearOutcome,
    c: CapabilityYear,
}

/// The columns of `years.csv`, one row per year of the horizon.
const YEAR_COLUMNS: [Column<YearRow>; 19] = [
    ("year", |r| r.y.year.to_string()),
    ("gpus_online", |r| r.y.gpus_online.to_string()),
    ("capex_eur", |r| r.y.capex_eur.to_string()),
    ("opex_eur", |r| r.y.opex_eur.to_string()),
    ("utilization", |r| r.y.utilization.to_string()),
    ("served_gpu_hours", |r| r.y.served_gpu_hours.to_string()),
    ("lost_demand_gpu_hours", |r| {
        r.y.lost_demand_gpu_hours.to_string()
    }),
    ("jobs_refused", |r| r.y.jobs_refused.to_string()),
    ("refused_flop", |r| r.y.refused_flop.to_string()),
    ("wait_s_p95", |r| r.y.wait_s_p95.to_string()),
    ("energy_mwh", |r| r.y.energy_mwh.to_string()),
    ("co2_t", |r| r.y.co2_t.to_string()),
    ("market_value_eur", |r| r.y.market_value_eur.to_string()),
    ("serving_gpu_hours", |r| r.y.serving_gpu_hours.to_string()),
    ("tokens_served", |r| r.y.tokens.served().to_string()),
    ("tokens_not_served", |r| r.y.tokens.not_served().to_string()),
    ("largest_run_flop", |r| r.c.plan_flop.to_string()),
    ("frontier_run_flop", |r| r.c.frontier_flop.to_string()),
    ("largest_run_frontier_date", |r| {
        r.c.plan_matches_frontier_of
            .map(|d| d.to_string())
            .unwrap_or_default()
    }),
];

/// The columns of `tenants.csv`, one row per tenant.
const TENANT_COLUMNS: [Column<TenantOutcome>; 18] = [
    ("tenant", |t| field(&t.name).into_owned()),
    ("jobs_submitted", |t| t.jobs_submitted.to_string()),
    ("jobs_completed", |t| t.jobs_completed.to_string()),
    ("jobs_withdrawn", |t| t.jobs_withdrawn.to_string()),
    ("jobs_rejected", |t| t.jobs_rejected.to_string()),
    ("jobs_unfinished", |t| t.jobs_unfinished.to_string()),
    ("wait_s_mean", |t| t.wait_s_mean.to_string()),
    ("wait_s_p50", |t| t.wait_s_p50.to_string()),
    ("wait_s_p95", |t| t.wait_s_p95.to_string()),
    ("wait_s_p99", |t| t.wait_s_p99.to_string()),
    ("served_gpu_hours", |t| t.served_gpu_hours.to_string()),
    ("share_of_service", |t| t.share_of_service.to_string()),
    ("lost_demand_gpu_hours", |t| {
        t.lost_demand_gpu_hours.to_string()
    }),
    ("refused_flop", |t| t.refused_flop.to_string()),
    ("queued_s_mean", |t| t.queued_s_mean.to_string()),
    ("queued_s_p95", |t| t.queued_s_p95.to_string()),
    ("tokens_served", |t| {
        t.tokens.map_or(0.0, |k| k.served()).to_string()
    }),
    ("tokens_not_served", |t| {
        t.tokens.map_or(0.0, |k| k.not_served()).to_string()
    }),
];

/// `rows` as CSV with `columns`.
fn csv<R>(columns: &[Column<R>], rows: &[R]) -> String {
    let header: Vec<&str> = columns.iter().map(|c| c.0).collect();
    let mut out = header.join(",") + "\n";
    for r in rows {
        let cells: Vec<String> = columns.iter().map(|c| (c.1)(r)).collect();
        writeln!(out, "{}", cells.join(",")).expect("writing to a String");
    }
    out
}

/// `years.csv`: one row per simulated year, with what the plan could train in it
/// (`capability` has a row for every year of the horizon, the simulation at most as many).
#[must_use]
pub fn years_csv(o: &SimOutcome, capability: &Capability) -> String {
    let rows: Vec<YearRow> = o
        .years
        .iter()
        .zip(&capability.years)
        .map(|(y, c)| YearRow {
            y: y.clone(),
            c: c.clone(),
        })
        .collect();
    csv(&YEAR_COLUMNS, &rows)
}

/// `tenants.csv`: one row per tenant.
#[must_use]
pub fn tenants_csv(o: &SimOutcome) -> String {
    csv(&TENANT_COLUMNS, &o.tenants)
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("research"), "research");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
