//! `gigafactory run`: evaluate a scenario, write its output set, print its summary.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use gigafactory::catalog::Catalog;
use gigafactory::model::Facility;
use gigafactory::scenario::Scenario;
use gigafactory::sim::{self, SimError, SimOptions};
use gigafactory::units::Date;

use crate::output::{self, out, outln};
use crate::{Failure, TableFormat, prepare, read_scenario, summary, table, tables_csv};

/// Every file `run --out` may write: those a run does not write are removed from the
/// folder, so that it never holds a mix of two runs.
const RUN_FILES: [&str; 8] = [
    "summary.json",
    "report.html",
    "years.csv",
    "tenants.csv",
    "jobs.parquet",
    "jobs.csv",
    "timeseries.parquet",
    "timeseries.csv",
];

/// Whether file `p` is in folder `dir`.
fn same_folder(p: &Path, dir: &Path) -> bool {
    let parent = p
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (std::fs::canonicalize(parent), std::fs::canonicalize(dir)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

pub(crate) struct RunArgs<'a> {
    pub scenario: Option<&'a str>,
    pub out: Option<&'a Path>,
    pub format: TableFormat,
    pub json: bool,
    pub quiet: bool,
    pub until: Option<&'a str>,
    pub jobs_out: Option<&'a Path>,
    pub sample: sim::Sample,
}

/// Run a plan file (the optimiser's) with the defaults, printing its summary.
pub(crate) fn run_plan(path: &str, quiet: bool) -> Result<(), Failure> {
    run(&RunArgs {
        scenario: Some(path),
        out: None,
        format: TableFormat::Parquet,
        json: false,
        quiet,
        until: None,
        jobs_out: None,
        sample: sim::Sample::Auto,
    })
}

pub(crate) fn run(args: &RunArgs<'_>) -> Result<(), Failure> {
    if let (Some(dir), Some(log)) = (args.out, args.jobs_out) {
        // The log must not be one of the files --out writes.
        let ext = args.format.ext();
        let ours = [
            "summary.json".to_string(),
            "report.html".into(),
            "years.csv".into(),
            "tenants.csv".into(),
            format!("jobs.{ext}"),
            format!("timeseries.{ext}"),
        ];
        let name = log.file_name().map(|n| n.to_string_lossy().into_owned());
        if name.is_some_and(|n| ours.contains(&n)) && same_folder(log, dir) {
            return Err(Failure::Input(format!(
                "error: --jobs-out {}: --out {} writes a file of that name; give the log \
                 another name or folder\n",
                log.display(),
                dir.display()
            )));
        }
    }
    let src = read_scenario(args.scenario)?;
    let (scenario, facility) = prepare(&src)?;
    if let (Some(d), None, true) = (args.until, &scenario.workload, scenario.tenants.is_empty()) {
        return Err(Failure::Input(format!(
            "error: --until {d}: the plan has no workload to simulate ([[tenant]] tables or a \
             [workload] trace)\n"
        )));
    }
    if scenario.builds.is_empty() {
        return Err(Failure::Input(format!(
            "error: {l} has no [[build]] phases to run: its [optimize] table is a question for `gigafactory optimize {l}`, which writes a plan that runs\n",
            l = src.label
        )));
    }
    let base = if src.builtin {
        PathBuf::from(".")
    } else {
        Path::new(&src.label)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    };
    if let Some(dir) = args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Run(format!("error: cannot create {}: {e}\n", dir.display())))?;
        output::sweep_partials(dir);
    }
    let gigafactory::run::Evaluation {
        assessment,
        outcome,
    } = simulate_run(args, &scenario, &facility, &base)?;
    let mut value = serde_json::to_value(&assessment).expect("assessment is JSON");
    if let serde_json::Value::Object(m) = &mut value {
        m.insert("scenario_source".into(), src.label.clone().into());
        m.insert("start".into(), scenario.start.to_string().into());
        m.insert("years".into(), scenario.years.into());
        m.insert(
            "gigafactory_version".into(),
            env!("CARGO_PKG_VERSION").into(),
        );
        if let Some(o) = &outcome {
            let sim = serde_json::to_value(o).expect("outcome is JSON");
            for key in [
                "jobs_submitted",
                "jobs_completed",
                "jobs_withdrawn",
                "jobs_rejected",
                "jobs_unfinished",
                "utilization",
                "goodput_fraction",
                "wait_s_mean",
                "wait_s_p50",
                "wait_s_p95",
                "wait_s_p99",
                "queued_s_mean",
                "queued_s_p95",
                "jct_s_mean",
                "interruptions",
                "lost_gpu_hours",
                "fairness_jain",
                "tenants",
                "years",
            ] {
                m.insert(key.into(), sim[key].clone());
            }
            m.insert("simulation".into(), sim);
        }
    }
    let json_text = serde_json::to_string_pretty(&value).expect("JSON") + "\n";
    let mut written = Vec::new();
    if let Some(dir) = args.out {
        let report = gigafactory_report::html(
            &assessment,
            outcome.as_ref(),
            &src.label,
            &scenario.start.to_string(),
            scenario.years,
        );
        let mut files = vec![("summary.json", json_text.clone()), ("report.html", report)];
        if let Some(o) = &outcome {
            files.push(("years.csv", tables_csv::years(o)));
            files.push(("tenants.csv", tables_csv::tenants(o)));
        }
        for (name, text) in &files {
            let path = dir.join(name);
            output::write_atomic(&path, text.as_bytes()).map_err(|e| cannot_write(&path, &e))?;
            written.push(name.to_string());
        }
        if let Some(o) = &outcome {
            let name = format!("timeseries.{}", args.format.ext());
            let path = dir.join(&name);
            output::AtomicFile::create(&path)
                .and_then(|f| match args.format {
                    TableFormat::Parquet => {
                        Ok(gigafactory_columnar::timeseries_parquet(&o.series, f)?)
                    }
                    TableFormat::Csv => gigafactory_columnar::timeseries_csv(&o.series, f),
                })
                .and_then(output::AtomicFile::commit)
                .map_err(|e| cannot_write(&path, &e))?;
            written.insert(0, format!("jobs.{}", args.format.ext()));
            written.insert(1, name);
        }
        // The --jobs-out log may stand in the folder under one of these names: it is this
        // run's too.
        let mut keep = written.clone();
        if let Some(name) = args
            .jobs_out
            .filter(|p| same_folder(p, dir))
            .and_then(|p| p.file_name())
        {
            keep.push(name.to_string_lossy().into_owned());
        }
        output::remove_stale(dir, &RUN_FILES, &keep);
    }
    if args.quiet {
        return Ok(());
    }
    if args.json {
        out!("{json_text}");
    } else {
        let origin = if src.builtin {
            "built-in scenario"
        } else {
            "scenario"
        };
        out!(
            "{}",
            summary::render_summary(
                &assessment,
                &scenario.start.to_string(),
                scenario.years,
                origin
            )
        );
        if let Some(o) = &outcome {
            out!("{}", summary::render_simulation(o, &scenario.start));
        }
        if let Some(dir) = args.out {
            outln!("\nWrote {} in {}", written.join(", "), dir.display());
        }
    }
    Ok(())
}

fn simulate_run(
    args: &RunArgs<'_>,
    scenario: &Scenario,
    facility: &Facility,
    base: &Path,
) -> Result<gigafactory::run::Evaluation, Failure> {
    let until_s = match args.until {
        None => None,
        Some(d) => {
            let date: Date = d
                .parse()
                .map_err(|e| Failure::Input(format!("error: --until {d}: {e}\n")))?;
            let end = scenario.start.add_years(scenario.years);
            if date <= scenario.start || date > end {
                return Err(Failure::Input(format!(
                    "error: --until {d}: expected a date after {} and no later than {end}\n",
                    scenario.start
                )));
            }
            Some(date.days_since(&scenario.start) as u64 * 86_400)
        }
    };
    let mut log_file = match args.jobs_out {
        None => None,
        Some(p) => Some(
            output::AtomicFile::create(p)
                .and_then(sim::CsvJobLog::new)
                .map_err(|e| cannot_write(p, &e))?,
        ),
    };
    let jobs_path = args
        .out
        .map(|d| d.join(format!("jobs.{}", args.format.ext())));
    let mut table = match &jobs_path {
        None => None,
        Some(p) => Some(
            output::AtomicFile::create(p)
                .and_then(|f| {
                    Ok(match args.format {
                        TableFormat::Parquet => gigafactory_columnar::JobsWriter::parquet(f)?,
                        TableFormat::Csv => gigafactory_columnar::JobsWriter::csv(f)?,
                    })
                })
                .map_err(|e| cannot_write(p, &e))?,
        ),
    };
    let mut sinks: Vec<&mut dyn sim::JobSink> = Vec::new();
    if let Some(f) = log_file.as_mut() {
        sinks.push(f);
    }
    if let Some(t) = table.as_mut() {
        sinks.push(t);
    }
    let mut tee = output::Tee(sinks);
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    if show_progress {
        // Say before starting when the run will take over a minute.
        if let Ok(Some(jobs)) = sim::simulated_jobs(scenario, facility, base, args.sample, until_s)
        {
            let secs = jobs / JOBS_PER_S;
            if secs > 60.0 {
                eprintln!(
                    "About {} jobs to simulate: up to roughly {} at the {} jobs/s measured \
                     on a 2-core machine, less if many are refused or withdrawn, which cost \
                     little (--sample or --job-budget trade accuracy for time).",
                    table::int(jobs.round() as u64),
                    clock(secs),
                    table::int(JOBS_PER_S as u64)
                );
            }
        }
    }
    let started = std::time::Instant::now();
    let mut progress = |done: f64| {
        let width = 40;
        let filled = ((done * width as f64) as usize).min(width);
        let spent = started.elapsed().as_secs_f64();
        let left = if done > 0.02 {
            format!(", about {} left", clock(spent / done * (1.0 - done)))
        } else {
            String::new()
        };
        eprint!(
            "\r[{}{}] {:3.0}% {} elapsed{left}   ",
            "=".repeat(filled),
            " ".repeat(width - filled),
            done * 100.0,
            clock(spent)
        );
    };
    let options = SimOptions {
        until_s,
        job_log: if tee.0.is_empty() {
            None
        } else {
            Some(&mut tee)
        },
        progress: if show_progress {
            Some(&mut progress)
        } else {
            None
        },
        windows: None,
        max_waiting: None,
        cancel: None,
    };
    let result = gigafactory::run::evaluate(
        scenario,
        facility,
        Catalog::builtin(),
        base,
        args.sample,
        options,
    );
    if show_progress {
        eprint!("\r{}\r", " ".repeat(90));
    }
    let evaluation = result.map_err(|e| match e {
        SimError::Read(r) => Failure::Input(format!("error: {r}\n")),
        SimError::Log(io) => Failure::Run(format!("error: cannot write the job log: {io}\n")),
        SimError::Cancelled => Failure::Run("error: cancelled\n".into()),
        SimError::Sample(m) => Failure::Input(match args.sample {
            sim::Sample::Factor(k) => format!("error: --sample {k}: {m}\n"),
            _ => format!("error: {m}\n"),
        }),
    })?;
    drop(tee);
    if evaluation.outcome.is_none() {
        // Nothing was simulated: no job table (the temporary files go when dropped).
        return Ok(evaluation);
    }
    if let (Some(f), Some(p)) = (log_file, args.jobs_out) {
        f.into_inner()
            .and_then(output::AtomicFile::commit)
            .map_err(|e| cannot_write(p, &e))?;
    }
    if let (Some(t), Some(p)) = (table, &jobs_path) {
        t.finish()
            .map_err(std::io::Error::from)
            .and_then(output::AtomicFile::commit)
            .map_err(|e| cannot_write(p, &e))?;
    }
    Ok(evaluation)
}

fn cannot_write(path: &Path, e: &dyn std::fmt::Display) -> Failure {
    Failure::Run(format!("error: cannot write {}: {e}\n", path.display()))
}

/// Jobs simulated per second, for the estimate printed before a long run: the default run
/// (about 7 million jobs, sampled) on the 2-core development machine.
const JOBS_PER_S: f64 = 150_000.0;

/// Seconds as minutes and seconds (`m:ss`), or hours and minutes past an hour.
fn clock(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    if s >= 3600 {
        format!("{} h {:02} min", s / 3600, s % 3600 / 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}
