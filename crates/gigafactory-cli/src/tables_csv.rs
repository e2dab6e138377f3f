//! `years.csv` and `tenants.csv`: a simulation's yearly and per-tenant figures as CSV that
//! pandas, polars and DuckDB read as they are. Column names carry their units.

use std::fmt::Write as _;

use gigafactory::sim::{SimOutcome, csv_field as field};

/// One row per year of the horizon.
pub fn years(o: &SimOutcome) -> String {
    let mut out = String::from(
        "year,gpus_online,capex_eur,opex_eur,utilization,served_gpu_hours,\
         lost_demand_gpu_hours,wait_s_p95,energy_mwh,co2_t,market_value_eur\n",
    );
    for y in &o.years {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            y.year,
            y.gpus_online,
            y.capex_eur,
            y.opex_eur,
            y.utilization,
            y.served_gpu_hours,
            y.lost_demand_gpu_hours,
            y.wait_s_p95,
            y.energy_mwh,
            y.co2_t,
            y.market_value_eur
        )
        .expect("writing to a String");
    }
    out
}

/// One row per tenant.
pub fn tenants(o: &SimOutcome) -> String {
    let mut out = String::from(
        "tenant,jobs_submitted,jobs_completed,jobs_withdrawn,jobs_rejected,jobs_unfinished,\
         wait_s_mean,wait_s_p50,wait_s_p95,wait_s_p99,served_gpu_hours,share_of_service,\
         lost_demand_gpu_hours,queued_s_mean,queued_s_p95\n",
    );
    for t in &o.tenants {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            field(&t.name),
            t.jobs_submitted,
            t.jobs_completed,
            t.jobs_withdrawn,
            t.jobs_rejected,
            t.jobs_unfinished,
            t.wait_s_mean,
            t.wait_s_p50,
            t.wait_s_p95,
            t.wait_s_p99,
            t.served_gpu_hours,
            t.share_of_service,
            t.lost_demand_gpu_hours,
            t.queued_s_mean,
            t.queued_s_p95
        )
        .expect("writing to a String");
    }
    out
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
