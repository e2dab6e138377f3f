//! A sweep's folder: `sweep.parquet` (every point) and `summary.json` (per plan and figure,
//! its distribution, the simulation's own noise, the odds each plan is best, the verdict,
//! and what decides it).

use std::path::Path;

use serde_json::{Value, json};

use gigafactory::plan::sensitivity::Design;
use gigafactory::plan::sweep::{FigureSummary, Influence, Sweep};
use gigafactory::scenario::uncertain::Uncertain;

use crate::folder::{AtomicFile, OutputError, write_atomic};

/// A sweep's `summary.json`: the plans, the inputs as stated, the design, and per figure
/// what [`Sweep::summary`] gives.
#[must_use]
pub fn sweep_json(s: &Sweep, inputs: &[Uncertain], figures: &[FigureSummary]) -> String {
    let by_plan = |f: &dyn Fn(usize) -> Value| -> Value {
        s.labels
            .iter()
            .enumerate()
            .map(|(p, l)| (l.clone(), f(p)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let figure = |f: &FigureSummary| {
        json!({
            "label": f.label,
            "per_plan": by_plan(&|p| match &f.per_plan[p] {
                None => Value::Null,
                Some(d) => json!({
                    "points": d.points,
                    "mean": d.mean, "median": d.median, "q05": d.q05, "q95": d.q95,
                    "seed_sd": d.seed_sd,
                }),
            }),
            "p_best": f.p_best.as_ref().map(|pb| by_plan(&|p| json!(pb[p]))),
            "better": f.verdict.better().map(|b| s.labels[b].clone()),
            "basis": f.verdict.basis(),
            "influence": by_plan(&|p| match &f.influence[p] {
                None => Value::Null,
                Some(Influence::Sobol(ix)) => s.inputs.iter().zip(ix).map(|(path, x)| {
                    (path.clone(), x.map_or(Value::Null, |x| json!({
                        "first": x.first, "first_95": x.first_95,
                        "total": x.total, "total_95": x.total_95,
                    })))
                }).collect::<serde_json::Map<_, _>>().into(),
                Some(Influence::Rank(r)) => s.inputs.iter().zip(r).map(|(path, x)| {
                    (path.clone(), json!({ "spearman": x }))
                }).collect::<serde_json::Map<_, _>>().into(),
            }),
        })
    };
    let v = json!({
        "gigafactory_version": env!("CARGO_PKG_VERSION"),
        "plans": s.labels,
        "inputs": inputs,
        "design": match s.design { Design::Latin => "latin", Design::Saltelli => "saltelli" },
        "samples": s.values.len(),
        "seeds": s.seeds,
        "points": s.rows.len(),
        "infeasible": by_plan(&|p| {
            let (n, why) = s.infeasible()[p];
            json!({ "points": n, "first_reason": why })
        }),
        "influence_method": match s.design {
            Design::Latin => "Spearman's rank correlation of the figure (its mean over the seeds) with each input",
            Design::Saltelli => "Sobol indices: first order (Saltelli 2010) and total (Jansen 1999), SALib's estimators, each with half its 95% interval",
        },
        "figures": figures.iter().map(|f| (f.key.to_string(), figure(f))).collect::<serde_json::Map<_, _>>(),
    });
    serde_json::to_string_pretty(&v).expect("JSON") + "\n"
}

/// Write a sweep's folder `dir`: `sweep.parquet` and `summary.json`, each whole or not at
/// all. Returns the names written.
///
/// # Errors
/// The folder cannot be created or a file written.
pub fn write_sweep(
    dir: &Path,
    s: &Sweep,
    inputs: &[Uncertain],
    figures: &[FigureSummary],
) -> Result<Vec<String>, OutputError> {
    std::fs::create_dir_all(dir).map_err(|source| OutputError::Create {
        path: dir.to_path_buf(),
        source,
    })?;
    let table = dir.join("sweep.parquet");
    AtomicFile::create(&table)
        .and_then(|f| gigafactory_columnar::sweep_parquet(s, f).map_err(std::io::Error::from))
        .and_then(AtomicFile::commit)
        .map_err(|source| OutputError::Write {
            path: table.clone(),
            source,
        })?;
    let summary = dir.join("summary.json");
    write_atomic(&summary, sweep_json(s, inputs, figures).as_bytes()).map_err(|source| {
        OutputError::Write {
            path: summary.clone(),
            source,
        }
    })?;
    Ok(vec!["sweep.parquet".into(), "summary.json".into()])
}
