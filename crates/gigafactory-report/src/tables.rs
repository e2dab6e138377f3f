//! `years.csv` and `tenants.csv`: a simulation's yearly and per-tenant figures as CSV that
//! pandas, polars and DuckDB read as they are. Column names carry their units.

use std::fmt::Write as _;

use gigafactory::run::csv_field as field;
use gigafactory::run::{SimOutcome, TenantOutcome, YearOutcome};

/// A column of a table of rows `R`: its header and how a row's cell reads.
type Column<R> = (&'static str, fn(&R) -> String);

/// The columns of `years.csv`, one row per year of the horizon.
const YEAR_COLUMNS: [Column<YearOutcome>; 11] = [
    ("year", |y| y.year.to_string()),
    ("gpus_online", |y| y.gpus_online.to_string()),
    ("capex_eur", |y| y.capex_eur.to_string()),
    ("opex_eur", |y| y.opex_eur.to_string()),
    ("utilization", |y| y.utilization.to_string()),
    ("served_gpu_hours", |y| y.served_gpu_hours.to_string()),
    ("lost_demand_gpu_hours", |y| {
        y.lost_demand_gpu_hours.to_string()
    }),
    ("wait_s_p95", |y| y.wait_s_p95.to_string()),
    ("energy_mwh", |y| y.energy_mwh.to_string()),
    ("co2_t", |y| y.co2_t.to_string()),
    ("market_value_eur", |y| y.market_value_eur.to_string()),
];

/// The columns of `tenants.csv`, one row per tenant.
const TENANT_COLUMNS: [Column<TenantOutcome>; 15] = [
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
    ("queued_s_mean", |t| t.queued_s_mean.to_string()),
    ("queued_s_p95", |t| t.queued_s_p95.to_string()),
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

/// `years.csv`: one row per year of the horizon.
#[must_use]
pub fn years_csv(o: &SimOutcome) -> String {
    csv(&YEAR_COLUMNS, &o.years)
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
