//! The `gigafactory` command: a thin shell over the library.

mod args;
mod catalog_cmd;
mod compare_cmd;
mod input;
mod optimize_cmd;
mod output;
mod pricing;
mod run_cmd;
mod serving;
mod summary;
mod sweep_cmd;
mod table;
mod workload_cmd;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use gigafactory::run::Sample;
use gigafactory::scenario;

use args::{Cli, Command, DesignArg, TableFormat, run_options, with_budget};
use input::{init, validate};
pub(crate) use input::{prepare, read_scenario, report};
use output::{out, outln};

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
        seeds: 1,
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
            seeds,
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
                    seeds,
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
        Command::Sweep {
            plans,
            samples,
            seeds,
            design,
            out,
            json,
            quiet,
            jobs,
            years,
            job_budget,
            unsimulated,
        } => with_budget(Sample::Auto, job_budget).and_then(|sample| {
            sweep_cmd::run(&sweep_cmd::Args {
                unsimulated,
                plans: &plans,
                samples: samples as usize,
                seeds,
                design: match design {
                    DesignArg::Latin => gigafactory::plan::sensitivity::Design::Latin,
                    DesignArg::Sobol => gigafactory::plan::sensitivity::Design::Saltelli,
                },
                out: out.as_deref(),
                json,
                quiet,
                jobs: jobs.map(|j| j as usize),
                years,
                sample,
            })
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
            seeds,
        } => with_budget(Sample::Auto, job_budget).and_then(|sample| {
            compare_cmd::run(&compare_cmd::Args {
                plans: &plans,
                out: out.as_deref(),
                json,
                quiet,
                years,
                sample,
                seeds,
            })
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
