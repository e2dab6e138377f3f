//! `gigafactory run`: evaluate a scenario, write its output set, print its summary.

use std::io::IsTerminal;
use std::path::Path;

use gigafactory::catalog::Catalog;
use gigafactory::plan;
use gigafactory::run::{self, CsvJobLog, JobSink, Plan, Sample, SimError, SimOptions};
use gigafactory::units::Date;
use gigafactory_report::folder::AtomicFile;
use gigafactory_report::{OutputError, RunFolder, Seeds, Summary, Tee};

use crate::compare_cmd::{plus_minus, shown};
use crate::output::{out, outln};
use crate::table::Align;
use crate::{Failure, TableFormat, prepare, read_scenario, summary, table};

pub(crate) struct RunArgs<'a> {
    pub scenario: Option<&'a str>,
    pub out: Option<&'a Path>,
    pub format: TableFormat,
    pub json: bool,
    pub quiet: bool,
    pub until: Option<&'a str>,
    pub jobs_out: Option<&'a Path>,
    pub sample: Sample,
    pub seeds: u32,
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
        sample: Sample::Auto,
        seeds: 1,
    })
}

pub(crate) fn run(args: &RunArgs<'_>) -> Result<(), Failure> {
    let format = args.format.into();
    if let (Some(dir), Some(log)) = (args.out, args.jobs_out) {
        // The log must not be one of the files --out writes.
        if RunFolder::writes(dir, format, log) {
            return Err(Failure::Input(format!(
                "error: --jobs-out {}: --out {} writes a file of that name; give the log \
                 another name or folder\n",
                log.display(),
                dir.display()
            )));
        }
    }
    let src = read_scenario(args.scenario)?;
    let plan = prepare(&src)?;
    if let (Some(d), false) = (args.until, plan.has_workload()) {
        return Err(Failure::Input(format!(
            "error: --until {d}: the plan has no workload to simulate ([[tenant]] tables or a \
             [workload] trace)\n"
        )));
    }
    if let (r @ 2.., false) = (args.seeds, plan.has_workload()) {
        return Err(Failure::Input(format!(
            "error: --seeds {r}: the plan has no workload to simulate ([[tenant]] tables or a \
             [workload] trace): its figures are the same under every seed\n"
        )));
    }
    if !plan.has_builds() {
        return Err(Failure::Input(format!(
            "error: {l} has no [[build]] phases to run: its [optimize] table is a question for `gigafactory optimize {l}`, which writes a plan that runs\n",
            l = src.label
        )));
    }
    let until_s = match args.until {
        None => None,
        Some(d) => Some(
            d.parse::<Date>()
                .map_err(|e| e.to_string())
                .and_then(|date| plan.seconds_until(date))
                .map_err(|e| Failure::Input(format!("error: --until {d}: {e}\n")))?,
        ),
    };
    let mut folder = match args.out {
        None => None,
        Some(dir) => Some(RunFolder::open(dir, format).map_err(failed)?),
    };
    let mut log = match args.jobs_out {
        None => None,
        Some(p) => Some(
            AtomicFile::create(p)
                .and_then(CsvJobLog::new)
                .map_err(|source| {
                    failed(OutputError::Write {
                        path: p.to_path_buf(),
                        source,
                    })
                })?,
        ),
    };
    let mut sinks: Vec<&mut dyn JobSink> = Vec::new();
    if let Some(f) = log.as_mut() {
        sinks.push(f);
    }
    if let Some(f) = folder.as_mut() {
        sinks.push(f.jobs());
    }
    let mut tee = Tee(sinks);
    let evaluation = evaluate(args, &plan, until_s, &mut tee)?;
    drop(tee);
    if let (Some(f), Some(p), Some(_)) = (log, args.jobs_out, &evaluation.outcome) {
        f.into_inner()
            .and_then(AtomicFile::commit)
            .map_err(|source| {
                failed(OutputError::Write {
                    path: p.to_path_buf(),
                    source,
                })
            })?;
    }
    // Other seeds, for the simulation's own noise on each figure: in the terminal's table,
    // and under `seeds` in summary.json (written with --out, printed with --json).
    let seeds: Vec<u64> = (0..u64::from(args.seeds))
        .map(|i| plan.scenario.seed.wrapping_add(i))
        .collect();
    let spread = if args.seeds > 1 && (!args.quiet || args.out.is_some()) {
        let mut per_seed = vec![plan::figures(
            &plan.scenario,
            &plan.facility,
            &evaluation.assessment,
            evaluation.outcome.as_ref(),
        )];
        per_seed.extend(
            plan::replicate(&plan, Catalog::builtin(), args.sample, until_s, &seeds[1..])
                .map_err(|e| Failure::Run(format!("error: --seeds: {e}\n")))?,
        );
        Some(plan::spread(&per_seed))
    } else {
        None
    };
    let replicated = spread.as_deref().map(|s| Seeds::of(&seeds, s));
    let written = match folder {
        None => Vec::new(),
        Some(f) => f
            .finish(&evaluation, replicated.as_ref(), args.jobs_out)
            .map_err(failed)?,
    };
    if args.quiet {
        return Ok(());
    }
    if args.json {
        let mut summary = Summary::of(&evaluation);
        summary.seeds = replicated;
        out!("{}", summary.to_json());
    } else {
        let origin = if src.file.is_none() {
            "built-in scenario"
        } else {
            "scenario"
        };
        out!(
            "{}",
            summary::render_summary(
                &evaluation.assessment,
                evaluation.start,
                evaluation.horizon_years,
                origin
            )
        );
        if let Some(o) = &evaluation.outcome {
            out!("{}", summary::render_simulation(o, &evaluation.start));
            out!("{}", crate::serving::render_services(&evaluation));
            out!("{}", crate::pricing::render_pricing(&evaluation));
        }
        out!("{}", crate::pricing::render_calls(&evaluation));
        if let Some(s) = &spread {
            out!("{}", render_seeds(s, plan.scenario.seed, args.seeds));
        }
        if let Some(dir) = args.out {
            outln!("\nWrote {} in {}", written.join(", "), dir.display());
        }
    }
    Ok(())
}

/// Evaluate `plan` with the run's options, its jobs to `sink`, showing progress on a
/// terminal.
fn evaluate(
    args: &RunArgs<'_>,
    plan: &Plan,
    until_s: Option<u64>,
    sink: &mut Tee<'_>,
) -> Result<run::Evaluation, Failure> {
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    if show_progress {
        // Say before starting when the run will take over a minute.
        if let Ok(Some(jobs)) = plan.simulated_jobs(args.sample, until_s) {
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
        job_log: if sink.0.is_empty() { None } else { Some(sink) },
        progress: if show_progress {
            Some(&mut progress)
        } else {
            None
        },
        windows: None,
        max_waiting: None,
        cancel: None,
    };
    let result = run::evaluate(plan, Catalog::builtin(), args.sample, options);
    if show_progress {
        eprint!("\r{}\r", " ".repeat(90));
    }
    result.map_err(|e| match e {
        SimError::Read(r) => Failure::Input(format!("error: {r}\n")),
        SimError::Log(io) => Failure::Run(format!("error: cannot write the job log: {io}\n")),
        SimError::Cancelled => Failure::Run("error: cancelled\n".into()),
        SimError::Sample(m) => Failure::Input(match args.sample {
            Sample::Factor(k) => format!("error: --sample {k}: {m}\n"),
            _ => format!("error: {m}\n"),
        }),
    })
}

/// Each figure over the seeds: mean, the 95% interval of the mean, the range.
fn render_seeds(spread: &[plan::Spread], first: u64, n: u32) -> String {
    let (moved, fixed): (Vec<&plan::Spread>, Vec<&plan::Spread>) =
        spread.iter().partition(|s| s.max > s.min);
    let rows: Vec<Vec<String>> = moved
        .iter()
        .map(|s| {
            let pm = format!("± {}", plus_minus(s.unit, s.half_width_95));
            vec![
                s.label.to_string(),
                shown(s.unit, s.mean),
                pm,
                shown(s.unit, s.min),
                shown(s.unit, s.max),
            ]
        })
        .collect();
    let fixed: Vec<&str> = fixed.iter().map(|s| s.label).collect();
    format!(
        "\nOver {n} seeds ({first} to {}): each figure's mean, the 95% interval of the mean \
         (Student's t over the seeds:\nthe simulation's own noise) and the range. The \
         summary above is seed {first}'s. The same under every seed: {}.\n{}",
        first.wrapping_add(u64::from(n) - 1),
        if fixed.is_empty() {
            "none".to_string()
        } else {
            fixed.join("; ")
        },
        table::render(
            &["Figure", "Mean", "95% interval", "Min", "Max"],
            &[
                Align::Left,
                Align::Right,
                Align::Left,
                Align::Right,
                Align::Right
            ],
            &rows
        )
    )
}

fn failed(e: OutputError) -> Failure {
    Failure::Run(format!("error: {e}\n"))
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
