//! `gigafactory compare`: plans side by side, run in parallel with the same seed, with the
//! rent baseline; the better plan named on each figure.

use crate::output::{out, outln};
use std::path::Path;

use gigafactory::catalog::Catalog;
use gigafactory::plan;
use gigafactory::run::Sample;

use crate::table::{Align, eur, num, render};
use crate::{Failure, prepare, read_scenario};

/// Run and compare `plans` (files or built-in names), each sampled as `run` samples it
/// (`sample`), so that a plan's figures here are those `run` gives it.
pub(crate) fn run(
    plans: &[String],
    out: Option<&Path>,
    json: bool,
    quiet: bool,
    years: Option<u32>,
    sample: Sample,
) -> Result<(), Failure> {
    let mut prepared = Vec::new();
    for arg in plans {
        let mut plan = prepare(&read_scenario(Some(arg))?)?;
        // Named in the table as the user named it.
        plan.label.clone_from(arg);
        if let Some(n) = years {
            plan.shorten(n)
                .map_err(|e| Failure::Input(format!("error: --years {n}: {arg} {e}\n")))?;
        }
        prepared.push(plan);
    }
    let c = plan::compare(prepared, Catalog::builtin(), sample)
        .map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let (seed, labels, figures, rows) = (c.seed, &c.labels, &c.figures, &c.rows);
    let text = gigafactory_report::comparison_json(&c);
    if let Some(dir) = out {
        let cells: Vec<Vec<String>> = rows.iter().map(show).collect();
        gigafactory_report::write_comparison(dir, &c, &cells)
            .map_err(|e| Failure::Run(format!("error: {e}\n")))?;
    }
    if quiet {
        return Ok(());
    }
    if json {
        out!("{text}");
        return Ok(());
    }
    let mut headers: Vec<&str> = vec!["Figure"];
    headers.extend(labels.iter().map(String::as_str));
    headers.push("Better");
    let mut align = vec![Align::Left];
    align.extend(labels.iter().map(|_| Align::Right));
    align.push(Align::Left);
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut v = vec![r.label.to_string()];
            v.extend(show(r));
            v.push(r.better.map_or_else(|| "-".into(), |b| labels[b].clone()));
            v
        })
        .collect();
    out!("{}", render(&headers, &align, &table));
    let how = if figures.iter().any(|f| f.simulated) {
        "simulated where a plan has a workload, else"
    } else {
        "all"
    };
    outln!(
        "\nOver each plan's horizon ({how} at its assumed utilisation), seed {seed} for every plan. The rent\n\
         baseline is what renting the same H100-equivalent hours would cost at the market rent of\n\
         their time; cost ÷ rent below 100% means building is cheaper than renting."
    );
    if let Some(n) = years {
        outln!(
            "--years {n}: each plan's whole capex is charged against its first {}, not \
             prorated over its life, so cost per hour and cost ÷ rent read high: compare \
             plans with each other, not with the rent.",
            if n == 1 {
                "year".to_string()
            } else {
                format!("{n} years")
            }
        );
    }
    for (label, f) in labels.iter().zip(figures) {
        if let Some(note) = &f.sampling {
            outln!("{label}: {note}.");
        }
        for w in &f.warnings {
            outln!("{label}: warning: {w}.");
        }
    }
    Ok(())
}

/// A row's values as tables show them (`-` where a plan lacks the figure).
fn show(r: &plan::Row) -> Vec<String> {
    r.values
        .iter()
        .map(|v| v.map_or_else(|| "-".into(), |x| shown(r.unit, x)))
        .collect()
}

/// A figure as tables show it.
pub(crate) fn shown(unit: plan::Unit, x: f64) -> String {
    match unit {
        plan::Unit::Count => num(x, 0),
        plan::Unit::Eur => eur(x),
        plan::Unit::Share => format!("{}%", num(x * 100.0, 1)),
        plan::Unit::Mw => num(x, 1),
        plan::Unit::Hours => num(x, 2),
        plan::Unit::Flop => format!("{x:.1e}"),
        plan::Unit::Date => gigafactory::units::Date::from_ymd(1970, 1, 1)
            .expect("a valid day")
            .add_days(x as i64)
            .to_string(),
    }
}
