//! The command line's arguments: commands, their options, and how options are parsed.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use gigafactory::run::Sample;
use gigafactory_optimize::Solver;

use crate::{Failure, catalog_cmd, workload_cmd};

/// Simulate and plan large AI compute facilities, from one AI factory to a fleet of
/// gigafactories. With no command, runs the built-in default scenario.
#[derive(Parser)]
#[command(name = "gigafactory", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
        /// Run the simulation R times, with the scenario's seed and the R - 1 after it, and
        /// print each figure's mean, 95% interval and range over them after the summary:
        /// the simulation's own noise (also under `seeds` in summary.json; the other
        /// outputs and the summary above it are the first seed's). Runs on all cores; R
        /// times the work.
        #[arg(long, value_name = "R", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
        seeds: u32,
    },
    /// Run several plans with the same seed and set them side by side, with the rent baseline
    /// and a verdict on each figure.
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
        /// Run every plan under R seeds (the first plan's and the R - 1 after it, the same
        /// for every plan, so differences are paired) and show each simulated figure's mean
        /// and 95% interval. A plan is named better on a figure only when its lead exceeds
        /// the interval of the paired differences and any sampling's tolerance; otherwise
        /// "about equal". Runs on all cores; R times the work.
        #[arg(long, value_name = "R", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
        seeds: u32,
    },
    /// Sample the first scenario's uncertain inputs (its `[[uncertain]]` tables) and
    /// evaluate it, and any other plans, at the same samples: each figure's distribution
    /// per plan, the odds each plan is best, and which inputs decide.
    Sweep {
        /// The scenario whose `[[uncertain]]` tables are swept, then other plans (files or
        /// built-in names) that take the same inputs.
        #[arg(required = true, num_args = 1..)]
        plans: Vec<String>,
        /// Samples: with `--design latin`, N points; with `--design sobol`, N base rows of
        /// Saltelli's scheme, which evaluates N × (k + 2) points for k inputs.
        #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        samples: u32,
        /// Run every point under R seeds (the first plan's and the R - 1 after it): the
        /// simulation's own noise, apart from the inputs'.
        #[arg(long, value_name = "R", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
        seeds: u32,
        /// `latin` (a Latin hypercube; what decides by rank correlation) or `sobol`
        /// (Saltelli's scheme; first-order and total Sobol indices).
        #[arg(long, value_enum, default_value_t = DesignArg::Latin)]
        design: DesignArg,
        /// Write sweep.parquet (a row per plan, sample and seed) and summary.json here.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print summary.json instead of the tables.
        #[arg(long)]
        json: bool,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Points run at once (default: one per core).
        #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(1..=1024))]
        jobs: Option<u32>,
        /// Each plan's first N years only.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        years: Option<u32>,
        /// Simulate about N jobs per point at most, as `run --job-budget` does.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        job_budget: Option<u64>,
        /// Evaluate every plan at its assumed utilisation (`economics.assumed_utilization`)
        /// without simulating its jobs: the economics alone, thousands of points a second.
        #[arg(long)]
        unsimulated: bool,
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
pub(crate) enum TableFormat {
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

fn parse_solver(s: &str) -> Result<Solver, String> {
    s.parse()
        .map_err(|e: gigafactory_optimize::SolverError| e.to_string())
}

/// Options of `run` that contradict each other or would do nothing: refused, not ignored.
pub(crate) fn run_options(
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
pub(crate) fn with_budget(sample: Sample, budget: Option<u64>) -> Result<Sample, Failure> {
    match (sample, budget) {
        (s, None) => Ok(s),
        (Sample::Auto, Some(n)) => Ok(Sample::Within(n as f64)),
        (_, Some(n)) => Err(Failure::Input(format!(
            "error: --job-budget {n}: only `--sample auto` takes a budget\n"
        ))),
    }
}

fn parse_sample(s: &str) -> Result<Sample, String> {
    s.parse()
}

/// A sweep's design, as `--design` names it.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DesignArg {
    /// A Latin hypercube.
    Latin,
    /// Saltelli's scheme, for Sobol indices.
    Sobol,
}
