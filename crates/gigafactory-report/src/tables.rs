//! `years.csv` and `tenants.csv`: a simulation's yearly and per-tenant figures as CSV that
//! pandas, polars and DuckDB read as they are. Column names carry their units.

use std::fmt::Write as _;

use gigafactory::model::Capability;
use gigafactory::run::csv_field as field;
use gigafactory::run::tables::{
    Column, PROJECT_COLUMNS, TENANT_COLUMNS, Value, YEAR_COLUMNS, tenant_rows, year_rows,
};
use gigafactory::run::{Calls, Pricing, SimOutcome};

/// `projects.csv`: every proposal to every call, round by round, awarded or not.
#[must_use]
pub(crate) fn projects_csv(c: &Calls) -> String {
    csv(&PROJECT_COLUMNS, &c.projects)
}

/// `rows` as CSV with `columns`.
fn csv<R>(columns: &[Column<R>], rows: &[R]) -> String {
    let header: Vec<&str> = columns.iter().map(|c| c.0).collect();
    let mut out = header.join(",") + "\n";
    for r in rows {
        let cells: Vec<String> = columns.iter().map(|c| cell((c.2)(r))).collect();
        writeln!(out, "{}", cells.join(",")).expect("writing to a String");
    }
    out
}

/// A cell as a CSV field: numbers as Rust prints them, text quoted where it must be, no
/// value as an empty field.
fn cell(v: Value) -> String {
    match v {
        Value::Int(x) => x.to_string(),
        Value::UInt(x) => x.to_string(),
        Value::Float(x) => x.to_string(),
        Value::Text(t) => field(&t).into_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Null => String::new(),
    }
}

/// `years.csv`: one row per simulated year, with what the plan could train in it
/// (`capability` has a row for every year of the horizon, the simulation at most as many)
/// and, where the plan has prices, its revenue and subsidy.
#[must_use]
pub fn years_csv(o: &SimOutcome, capability: &Capability, pricing: Option<&Pricing>) -> String {
    csv(&YEAR_COLUMNS, &year_rows(o, capability, pricing))
}

/// `tenants.csv`: one row per tenant, with its price and revenue at `pricing`.
#[must_use]
pub fn tenants_csv(o: &SimOutcome, pricing: Option<&Pricing>) -> String {
    csv(&TENANT_COLUMNS, &tenant_rows(o, pricing))
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
