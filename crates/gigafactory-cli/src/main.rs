//! The `gigafactory` command: a thin shell over the library.

mod catalog_cmd;
mod compare_cmd;
mod optimize_cmd;
mod output;
mod run_cmd;
mod summary;
mod table;
mod workload_cmd;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use output::{out, outln};

use clap::{Parser, Subcommand};
use std::io::IsTerminal;

use gigafactory::catalog::Catalog;
use gigafactory::run::{self, Plan, Sample};
use gigafactory::scenario::{self, BUILTIN, Problem};
use gigafactory::workload;
use gigafactory_optimize::Solver;

/// Simulate and plan large AI compute facilities, from one AI factory to a fleet of
/// gigafactories. With no command, runs the built-in default scenario.
#[derive(Parser)]
#[command(name = "gigafactory", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a scenario and print its summary (the built-in default when none is given).
    Run {
        /// A scenario file, or the name of a built-in scenario (`gigafactory init --list`).
        scenario: Option<String>,
        /// Write summary.json and report.html (and, for a simulated plan, jobs and
        /// timeseries tables, years.csv and tenants.csv) into this folder (created if
        /// needed).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The format of the jobs and timeseries tables written with --out (default
        /// parquet).
        #[arg(long, value_enum)]
        format: Option<TableFormat>,
        /// Print the summary as JSON instead of the table.
        #[arg(long)]
        json: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// End the simulation early, on this date (YYYY-MM-DD), for a quick look.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Stream a per-job log (CSV) to this file as the simulation runs.
        #[arg(long, value_name = "FILE")]
        jobs_out: Option<PathBuf>,
        /// How much to simulate: `auto` samples a facility too large to simulate job by
        /// job in about half a minute (the summary says how), `full` simulates all of it,
        /// a number N simulates 1 in N accelerators.
        #[arg(long, value_name = "auto|full|N", default_value = "auto", value_parser = parse_sample)]
        sample: Sample,
        /// With `--sample auto`: simulate about N jobs at most (default 5,000,000, about
        /// half a minute); fewer is faster and coarser, more is slower and closer.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        job_budget: Option<u64>,
    },
    /// Run several plans with the same seed and set them side by side, with the rent baseline.
    Compare {
        /// Scenario files or built-in names (at least two).
        #[arg(required = true, num_args = 2..)]
        plans: Vec<String>,
        /// Write compare.json and report.html (the plans side by side) into this folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print compare.json instead of the table.
        #[arg(long)]
        json: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Compare over the first N years of each plan's horizon only, for a quick look.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        years: Option<u32>,
        /// Simulate about N jobs per plan at most, as `run --job-budget` does (each plan is
        /// sampled as `run` samples it, so that both give it the same figures).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        job_budget: Option<u64>,
    },
    /// Choose sites and accelerators for a scenario's `[optimize]` question (a
    /// mixed-integer programme), and write the plan as a scenario file.
    Optimize {
        /// A scenario file with an `[optimize]` table; its sites are the candidates.
        scenario: String,
        /// Where to write the plan (default: SCENARIO-optimised.toml in this folder).
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Also give N points of the cost–CO2 trade-off (ε-constraint method).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(2..=50))]
        pareto: Option<u32>,
        /// The MILP solver: `microlp` (pure Rust, always built in) or `highs` (built in with
        /// `--features highs`); default the best one built in.
        #[arg(long, value_name = "NAME", value_parser = parse_solver, default_value_t = Solver::best())]
        solver: Solver,
        /// Then simulate the plan job by job (it needs tenants or a trace).
        #[arg(long)]
        simulate: bool,
        /// Overwrite an existing plan file (never the scenario itself).
        #[arg(long)]
        force: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check scenario files and report every problem; exit 2 if there is any.
    Validate {
        /// Scenario files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Print the built-in data with its sources.
    Catalog {
        /// Which table.
        #[arg(value_enum)]
        table: catalog_cmd::Table,
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print the JSON Schema of scenario files (or, with --summary, of summary.json).
    Schema {
        /// The schema of summary.json (what `run --json` prints) instead.
        #[arg(long)]
        summary: bool,
    },
    /// Job traces and synthetic workloads: statistics, generation, presets.
    Workload {
        #[command(subcommand)]
        command: workload_cmd::WorkloadCommand,
    },
    /// Write a built-in scenario out as a commented file to start from.
    Init {
        /// Which built-in scenario.
        #[arg(default_value = "eu-investai")]
        name: String,
        /// Where to write it (default: NAME.toml in the current folder).
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
        /// List the built-in scenarios instead.
        #[arg(long)]
        list: bool,
    },
}

/// The format of the jobs and timeseries tables.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum TableFormat {
    /// jobs.parquet and timeseries.parquet.
    Parquet,
    /// jobs.csv and timeseries.csv.
    Csv,
}

impl From<TableFormat> for gigafactory_report::TableFormat {
    fn from(f: TableFormat) -> Self {
        match f {
            TableFormat::Parquet => gigafactory_report::TableFormat::Parquet,
            TableFormat::Csv => gigafactory_report::TableFormat::Csv,
        }
    }
}

/// How a command failed, and so which exit code it gives.
pub(crate) enum Failure {
    /// Bad usage or invalid input: exit 2.
    Input(String),
    /// The run itself failed (an output could not be written): exit 1.
    Run(String),
    /// The optimiser found that no plan meets the constraints: exit 3.
    NoPlan(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    table::set_colour(table::wants_colour(
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    ));
    let command = cli.command.unwrap_or(Command::Run {
        scenario: None,
        out: None,
        format: None,
        json: false,
        quiet: false,
        until: None,
        jobs_out: None,
        sample: Sample::Auto,
        job_budget: None,
    });
    let result = match command {
        Command::Run {
            scenario,
            out,
            format,
            json,
            quiet,
            until,
            jobs_out,
            sample,
            job_budget,
        } => run_options(json, quiet, format, out.as_deref())
            .and_then(|()| with_budget(sample, job_budget))
            .and_then(|sample| {
                run_cmd::run(&run_cmd::RunArgs {
                    scenario: scenario.as_deref(),
                    out: out.as_deref(),
                    format: format.unwrap_or(TableFormat::Parquet),
                    json,
                    quiet,
                    until: until.as_deref(),
                    jobs_out: jobs_out.as_deref(),
                    sample,
                })
            }),
        Command::Optimize {
            scenario,
            out,
            pareto,
            solver,
            simulate,
            quiet,
            force,
        } => optimize_cmd::run(&optimize_cmd::Args {
            scenario: &scenario,
            out: out.as_deref(),
            pareto: pareto.map(|n| n as usize),
            solver,
            simulate,
            quiet,
            force,
        }),
        Command::Validate { files } => validate(&files),
        Command::Catalog { table, json } => {
            out!("{}", catalog_cmd::show(table, json));
            Ok(())
        }
        Command::Schema { summary } => {
            let schema = if summary {
                gigafactory_report::Summary::schema()
            } else {
                scenario::schema()
            };
            outln!(
                "{}",
                serde_json::to_string_pretty(&schema).expect("schema is JSON")
            );
            Ok(())
        }
        Command::Init {
            name,
            out,
            force,
            list,
        } => init(&name, out, force, list),
        Command::Workload { command } => workload_cmd::run(command),
        Command::Compare {
            plans,
            out,
            json,
            quiet,
            years,
            job_budget,
        } => with_budget(Sample::Auto, job_budget).and_then(|sample| {
            compare_cmd::run(&plans, out.as_deref(), json, quiet, years, sample)
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprint!("{msg}");
            ExitCode::from(2)
        }
        Err(Failure::Run(msg)) => {
            eprint!("{msg}");
            ExitCode::from(1)
        }
        Err(Failure::NoPlan(msg)) => {
            eprint!("{msg}");
            ExitCode::from(3)
        }
    }
}

/// A scenario's text and the name to show in messages.
pub(crate) struct Source {
    pub label: String,
    pub text: String,
    /// The file read, or none for a built-in scenario.
    pub file: Option<PathBuf>,
}

pub(crate) fn read_scenario(arg: Option<&str>) -> Result<Source, Failure> {
    let arg = arg.unwrap_or(BUILTIN[0].id);
    let path = Path::new(arg);
    if !path.exists() {
        if let Some(b) = scenario::builtin(arg) {
            return Ok(Source {
                label: format!("{} (built-in)", b.id),
                text: b.text.to_string(),
                file: None,
            });
        }
    }
    read_file(path).map(|text| Source {
        label: arg.to_string(),
        text,
        file: Some(path.to_path_buf()),
    })
}

fn read_file(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        let names: Vec<&str> = BUILTIN.iter().map(|b| b.id).collect();
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            format!(" (nor is it a built-in scenario: {})", names.join(", "))
        } else {
            String::new()
        };
        Failure::Input(format!(
            "error: cannot read {}: {e}{hint}\n",
            path.display()
        ))
    })
}

pub(crate) fn report(label: &str, text: &str, problems: &[Problem]) -> String {
    let mut out: String = problems.iter().map(|p| p.render(label, text)).collect();
    let n = problems.len();
    out.push_str(&format!(
        "{label}: {n} problem{}\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}

pub(crate) fn prepare(src: &Source) -> Result<Plan, Failure> {
    let base = run::base_dir(src.file.as_deref());
    Plan::prepare(&src.label, &src.text, base, Catalog::builtin())
        .map_err(|p| Failure::Input(report(&src.label, &src.text, &p)))
}

fn parse_solver(s: &str) -> Result<Solver, String> {
    s.parse()
        .map_err(|e: gigafactory_optimize::SolverError| e.to_string())
}

/// Options of `run` that contradict each other or would do nothing: refused, not ignored.
fn run_options(
    json: bool,
    quiet: bool,
    format: Option<TableFormat>,
    out: Option<&Path>,
) -> Result<(), Failure> {
    if json && quiet {
        return Err(Failure::Input(
            "error: --json and --quiet ask for opposite things: --json prints the summary, \
             --quiet prints nothing\n"
                .into(),
        ));
    }
    if let (Some(f), None) = (format, out) {
        return Err(Failure::Input(format!(
            "error: --format {}: the tables are written only with --out DIR\n",
            gigafactory_report::TableFormat::from(f).ext()
        )));
    }
    Ok(())
}

/// `--sample` with `--job-budget`, which only the automatic sample takes.
fn with_budget(sample: Sample, budget: Option<u64>) -> Result<Sample, Failure> {
    match (sample, budget) {
        (s, None) => Ok(s),
        (Sample::Auto, Some(n)) => Ok(Sample::Within(n as f64)),
        (_, Some(n)) => Err(Failure::Input(format!(
            "error: --job-budget {n}: only `--sample auto` takes a budget\n"
        ))),
    }
}

fn parse_sample(s: &str) -> Result<Sample, String> {
    match s {
        "auto" => Ok(Sample::Auto),
        "full" => Ok(Sample::Full),
        n => match n.parse::<u32>() {
            Ok(k) if k >= 1 => Ok(Sample::Factor(k)),
            _ => Err(format!(
                "expected auto, full or a whole number >= 1, found `{n}`"
            )),
        },
    }
}

/// How many jobs of a trace `validate` reads.
const TRACE_CHECK_JOBS: u64 = 100_000;

/// What `validate` read of a trace, in words.
fn trace_checked(c: &workload::TraceCheck) -> String {
    let mut s = if c.complete {
        format!(
            "all {} job{} read",
            table::int(c.jobs),
            if c.jobs == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "the first {} jobs read; `run` reads the rest",
            table::int(c.jobs)
        )
    };
    let k = c.skipped;
    for (n, what) in [
        (k.zero_gpu, "without GPUs"),
        (k.no_gpu_record, "without a GPU record"),
        (k.unfinished, "unfinished"),
        (k.malformed, "malformed"),
    ] {
        if n > 0 {
            s.push_str(&format!(", {} passed over {what}", table::int(n)));
        }
    }
    s
}

fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = String::new();
    for f in files {
        let text = match read_file(f) {
            Ok(t) => t,
            Err(Failure::Input(m) | Failure::Run(m) | Failure::NoPlan(m)) => {
                failed.push_str(&m);
                continue;
            }
        };
        let src = Source {
            label: f.display().to_string(),
            text,
            file: Some(f.clone()),
        };
        let scenario = match prepare(&src) {
            Ok(p) => p.scenario,
            Err(Failure::Input(m) | Failure::Run(m) | Failure::NoPlan(m)) => {
                failed.push_str(&m);
                continue;
            }
        };
        // The trace is read as a run reads it, up to a limit that takes well under a second.
        let base = f.parent().unwrap_or(Path::new("."));
        match workload::check_trace(&scenario, base, TRACE_CHECK_JOBS) {
            Ok(None) => outln!("{}: valid", src.label),
            Ok(Some(c)) => outln!(
                "{}: valid (trace {}, {}: {})",
                src.label,
                scenario.workload.as_ref().map_or("", |w| w.trace.as_str()),
                c.format.name(),
                trace_checked(&c)
            ),
            Err(e) => failed.push_str(&format!(
                "error: {}: workload.trace: {e}\n{}: 1 problem\n",
                src.label, src.label
            )),
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::Input(failed))
    }
}

fn init(name: &str, out: Option<PathBuf>, force: bool, list: bool) -> Result<(), Failure> {
    if list {
        for b in &BUILTIN {
            outln!("{:<16} {}", b.id, b.summary);
        }
        return Ok(());
    }
    let Some(b) = scenario::builtin(name) else {
        let names: Vec<&str> = BUILTIN.iter().map(|b| b.id).collect();
        return Err(Failure::Input(format!(
            "error: no built-in scenario named \"{name}\"; the built-in scenarios are: {}\n",
            names.join(", ")
        )));
    };
    let path = out.unwrap_or_else(|| PathBuf::from(format!("{}.toml", b.id)));
    if path.exists() && !force {
        return Err(Failure::Input(format!(
            "error: {} exists; pass --force to overwrite it\n",
            path.display()
        )));
    }
    gigafactory_report::folder::write_atomic(&path, b.text.as_bytes())
        .map_err(|e| Failure::Run(format!("error: cannot write {}: {e}\n", path.display())))?;
    outln!(
        "Wrote {}; run it with: gigafactory run {}",
        path.display(),
        path.display()
    );
    Ok(())
}
