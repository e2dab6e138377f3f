//! `gigafactory compare`: plans side by side, run in parallel with the same seed, with the
//! rent baseline; the better plan named on each figure.

use crate::output::{out, outln};
use std::path::{Path, PathBuf};

use gigafactory::catalog::Catalog;
use gigafactory::plan::{self, PlanFigures};
use gigafactory::sim::{self, SimOptions};

use crate::table::{Align, eur, num, render};
use crate::{Failure, output, prepare, read_scenario};

/// Run and compare `plans` (files or built-in names), each sampled as `run` samples it
/// (`sample`), so that a plan's figures here are those `run` gives it.
pub fn run(
    plans: &[String],
    out: Option<&Path>,
    json: bool,
    quiet: bool,
    years: Option<u32>,
    sample: sim::Sample,
) -> Result<(), Failure> {
    let mut prepared = Vec::new();
    for arg in plans {
        let src = read_scenario(Some(arg))?;
        let (mut scenario, mut facility) = prepare(&src)?;
        if let Some(n) = years {
            if n > scenario.years {
                return Err(Failure::Input(format!(
                    "error: --years {n}: {arg} has a horizon of {} years\n",
                    scenario.years
                )));
            }
            scenario.years = n;
            facility.years = n;
        }
        let base = if src.builtin {
            PathBuf::from(".")
        } else {
            Path::new(arg)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        };
        prepared.push((arg.clone(), scenario, facility, base));
    }
    // The same seed for every plan, so that the same demand meets each.
    let seed = prepared[0].1.seed;
    for p in &mut prepared {
        p.1.seed = seed;
    }
    type Ran = (PlanFigures, Option<sim::SimOutcome>);
    let results: Vec<Result<Ran, Failure>> = std::thread::scope(|scope| {
        let handles: Vec<_> = prepared
            .iter()
            .map(|(label, s, f, base)| {
                scope.spawn(move || -> Result<Ran, Failure> {
                    let e = gigafactory::run::evaluate(
                        s,
                        f,
                        Catalog::builtin(),
                        base,
                        sample,
                        SimOptions::default(),
                    )
                    .map_err(|e| Failure::Input(format!("error: {label}: {e}\n")))?;
                    let figures = plan::figures(s, f, &e.assessment, e.outcome.as_ref());
                    Ok((figures, e.outcome))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a plan's thread does not panic"))
            .collect()
    });
    let (figures, outcomes): (Vec<PlanFigures>, Vec<Option<sim::SimOutcome>>) = results
        .into_iter()
        .collect::<Result<Vec<Ran>, _>>()?
        .into_iter()
        .unzip();
    let labels: Vec<String> = prepared.iter().map(|p| p.0.clone()).collect();
    let rows = rows(&figures);
    let better: serde_json::Map<String, serde_json::Value> = rows
        .iter()
        .filter_map(|r| {
            r.better
                .map(|b| (r.key.to_string(), labels[b].clone().into()))
        })
        .collect();
    let value = serde_json::json!({
        "seed": seed,
        "plans": labels.iter().zip(&figures).map(|(l, f)| {
            let mut v = serde_json::to_value(f).expect("figures are JSON");
            v["label"] = l.clone().into();
            v
        }).collect::<Vec<_>>(),
        "better": better,
    });
    let text = serde_json::to_string_pretty(&value).expect("JSON") + "\n";
    if let Some(dir) = out {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Run(format!("error: cannot create {}: {e}\n", dir.display())))?;
        let plans: Vec<gigafactory_report::ComparedPlan<'_>> = labels
            .iter()
            .zip(&figures)
            .zip(&outcomes)
            .map(|((label, f), o)| gigafactory_report::ComparedPlan {
                label,
                figures: f,
                outcome: o.as_ref(),
            })
            .collect();
        let table: Vec<gigafactory_report::CompareRow> = rows
            .iter()
            .map(|r| gigafactory_report::CompareRow {
                label: r.label.to_string(),
                shown: r.shown.clone(),
                better: r.better.map(|b| labels[b].clone()),
            })
            .collect();
        let report = gigafactory_report::compare_html(&plans, &table, seed);
        for (name, bytes) in [
            ("compare.json", text.as_bytes()),
            ("report.html", report.as_bytes()),
        ] {
            let path = dir.join(name);
            output::write_atomic(&path, bytes).map_err(|e| {
                Failure::Run(format!("error: cannot write {}: {e}\n", path.display()))
            })?;
        }
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
            v.extend(r.shown.iter().cloned());
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
    for (label, f) in labels.iter().zip(&figures) {
        if let Some(note) = &f.sampling {
            outln!("{label}: {note}.");
        }
    }
    Ok(())
}

struct Row {
    key: &'static str,
    label: &'static str,
    shown: Vec<String>,
    better: Option<usize>,
}

fn rows(f: &[PlanFigures]) -> Vec<Row> {
    let row = |key,
               label,
               values: Vec<Option<f64>>,
               show: &dyn Fn(f64) -> String,
               lower: Option<bool>| Row {
        key,
        label,
        shown: values
            .iter()
            .map(|v| v.map_or_else(|| "-".into(), show))
            .collect(),
        better: lower.and_then(|l| plan::best(&values, l)),
    };
    let get = |g: &dyn Fn(&PlanFigures) -> Option<f64>| f.iter().map(g).collect::<Vec<_>>();
    let pct = |x: f64| format!("{}%", num(x * 100.0, 1));
    vec![
        row(
            "gpus",
            "Accelerators",
            get(&|p| Some(p.gpus as f64)),
            &|x| num(x, 0),
            None,
        ),
        row(
            "h100_equivalents",
            "H100-equivalents",
            get(&|p| Some(p.h100_equivalents)),
            &|x| num(x, 0),
            Some(false),
        ),
        row(
            "capex_eur",
            "Capex",
            get(&|p| Some(p.capex_eur)),
            &eur,
            Some(true),
        ),
        row(
            "capex_share_of_budget",
            "Capex ÷ budget",
            get(&|p| p.budget_eur.map(|b| p.capex_eur / b)),
            &pct,
            Some(true),
        ),
        row(
            "facility_power_mw",
            "Facility power MW",
            get(&|p| Some(p.facility_power_mw)),
            &|x| num(x, 1),
            Some(true),
        ),
        row(
            "total_cost_eur",
            "Total cost (capex + opex)",
            get(&|p| Some(p.total_cost_eur)),
            &eur,
            Some(true),
        ),
        row(
            "utilization",
            "Utilisation",
            get(&|p| Some(p.utilization)),
            &pct,
            Some(false),
        ),
        row(
            "served_h100_hours",
            "Served H100-hours",
            get(&|p| Some(p.served_h100_hours)),
            &|x| num(x, 0),
            Some(false),
        ),
        row(
            "cost_per_h100_hour_eur",
            "Cost per served H100-hour",
            get(&|p| Some(p.cost_per_h100_hour_eur)),
            &eur,
            Some(true),
        ),
        row(
            "rent_baseline_eur",
            "Rent baseline (same hours)",
            get(&|p| Some(p.rent_baseline_eur)),
            &eur,
            None,
        ),
        row(
            "cost_over_rent",
            "Cost ÷ rent baseline",
            get(&|p| Some(p.total_cost_eur / p.rent_baseline_eur.max(1e-9))),
            &pct,
            Some(true),
        ),
        row(
            "energy_mwh",
            "Energy MWh",
            get(&|p| Some(p.energy_mwh)),
            &|x| num(x, 0),
            Some(true),
        ),
        row(
            "co2_t",
            "CO2 t",
            get(&|p| Some(p.co2_t)),
            &|x| num(x, 0),
            Some(true),
        ),
        row(
            "wait_s_p95",
            "Wait p95 h",
            get(&|p| p.wait_s_p95.map(|s| s / 3600.0)),
            &|x| num(x, 2),
            Some(true),
        ),
        row(
            "lost_demand_gpu_hours",
            "Lost demand GPU-h",
            get(&|p| p.lost_demand_gpu_hours),
            &|x| num(x, 0),
            Some(true),
        ),
    ]
}
