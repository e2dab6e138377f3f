//! A sweep's folder: `sweep.parquet` (every point) and `summary.json` (per plan and figure,
//! its distribution, the simulation's own noise, the odds each plan is best, the verdict,
//! and what decides it).

use std::fs;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::{Value, json};

use gigafactory::plan::sensitivity::Design;
use gigafactory::plan::sweep::{FigureSummary, Influence, Sweep, SweepRow};
use gigafactory::plan::swings::Swing;
use gigafactory::scenario::uncertain::Uncertain;

use crate::folder::{AtomicFile, OutputError, write_atomic};

/// A sweep's `summary.json`: the plans, the inputs as stated, the design, and per figure
/// what [`Sweep::summary`] gives.
#[must_use]
pub fn sweep_json(
    s: &Sweep,
    inputs: &[Uncertain],
    figures: &[FigureSummary],
    swings: &[Vec<Swing>],
) -> String {
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
            // None where the swings were not computed (the Python package's default).
            "swings": if swings.is_empty() { Value::Null } else { by_plan(&|p| {
                s.inputs.iter().zip(&swings[p]).map(|(path, w)| {
                    let (at_low, at_high) = w.figure(f.key);
                    (path.clone(), json!({
                        "low": w.low, "high": w.high, "at_low": at_low, "at_high": at_high,
                    }))
                }).collect::<serde_json::Map<_, _>>().into()
            }) },
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
        "swings_method": "one at a time: each input at its 5% and 95% quantiles, every other input at its median, under the first seed",
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
    swings: &[Vec<Swing>],
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
    write_atomic(&summary, sweep_json(s, inputs, figures, swings).as_bytes()).map_err(
        |source| OutputError::Write {
            path: summary.clone(),
            source,
        },
    )?;
    Ok(vec!["sweep.parquet".into(), "summary.json".into()])
}

/// Where a sweep keeps its points as they finish, inside its `--out` folder, so that a
/// sweep killed at any moment and started again with the same command continues where it
/// stopped: `sweep.partial/points.jsonl`, its first line the sweep's identity, then one
/// finished point per line. Removed once `sweep.parquet` and `summary.json` are written.
pub const PARTIAL: &str = "sweep.partial";

/// The points of a sweep in progress, kept line by line.
pub struct Journal {
    dir: PathBuf,
    file: Mutex<fs::File>,
}

/// Why a sweep's partial results cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The folder holds the partial results of another sweep.
    #[error(
        "{} holds the partial results of another sweep (other plans, inputs, samples or \
         seeds): run the same command to finish it, or remove that folder",
        .0.display()
    )]
    Other(PathBuf),
    /// Reading or writing failed.
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl Journal {
    /// Open the journal in `dir` for the sweep of `identity`: the points an earlier run
    /// of it finished (a last line cut short by a kill is dropped), and the journal to
    /// add to.
    ///
    /// # Errors
    /// The folder holds another sweep's points, or cannot be read or written.
    pub fn open(dir: &Path, identity: &str) -> Result<(Journal, Vec<SweepRow>), JournalError> {
        let folder = dir.join(PARTIAL);
        let path = folder.join("points.jsonl");
        let create = |source| OutputError::Create {
            path: folder.clone(),
            source,
        };
        let write = |source| OutputError::Write {
            path: path.clone(),
            source,
        };
        fs::create_dir_all(&folder).map_err(create)?;
        let mut done = Vec::new();
        let mut keep = 0_usize;
        match fs::read_to_string(&path) {
            Ok(text) => {
                let mut lines = text.split_inclusive('\n');
                match lines.next() {
                    Some(first) if first.trim_end() == identity && first.ends_with('\n') => {
                        keep = first.len();
                    }
                    Some(_) => return Err(JournalError::Other(folder)),
                    None => {}
                }
                for line in lines {
                    // A line is whole when it ends in a newline and reads; the first that
                    // does not is where a kill cut the file, and nothing after it counts.
                    match serde_json::from_str::<SweepRow>(line.trim_end()) {
                        Ok(row) if line.ends_with('\n') && keep > 0 => {
                            done.push(row);
                            keep += line.len();
                        }
                        _ => break,
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(write(e).into()),
        }
        let mut file = fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(false)
            .open(&path)
            .map_err(write)?;
        file.set_len(keep as u64).map_err(write)?;
        file.seek(SeekFrom::End(0)).map_err(write)?;
        if keep == 0 {
            file.write_all(format!("{identity}\n").as_bytes())
                .map_err(write)?;
        }
        Ok((
            Journal {
                dir: folder,
                file: Mutex::new(file),
            },
            done,
        ))
    }

    /// Keep a finished point (one write of one line).
    ///
    /// # Errors
    /// Writing failed.
    pub fn record(&self, row: &SweepRow) -> std::io::Result<()> {
        let line = serde_json::to_string(row).expect("a point is JSON") + "\n";
        self.file
            .lock()
            .expect("no thread panics holding it")
            .write_all(line.as_bytes())
    }

    /// The sweep is written: remove its partial results.
    ///
    /// # Errors
    /// The folder cannot be removed.
    pub fn finish(self) -> std::io::Result<()> {
        drop(self.file);
        fs::remove_dir_all(&self.dir)
    }
}
