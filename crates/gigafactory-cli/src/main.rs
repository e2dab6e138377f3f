//! The `gigafactory` command: a thin shell over the library.

mod catalog_cmd;
mod output;
mod summary;
mod table;
mod workload_cmd;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gigafactory::catalog::Catalog;
use gigafactory::model::{self, Facility};
use gigafactory::scenario::{self, BUILTIN, Problem, Scenario};

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
        /// Write summary.json into this folder (created if needed).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Print the summary as JSON instead of the table.
        #[arg(long)]
        json: bool,
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
    /// Print the JSON Schema of scenario files.
    Schema,
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

/// How a command failed, and so which exit code it gives.
pub(crate) enum Failure {
    /// Bad usage or invalid input: exit 2.
    Input(String),
    /// The run itself failed (an output could not be written): exit 1.
    Run(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Run {
        scenario: None,
        out: None,
        json: false,
        quiet: false,
    });
    let result = match command {
        Command::Run {
            scenario,
            out,
            json,
            quiet,
        } => run(scenario.as_deref(), out.as_deref(), json, quiet),
        Command::Validate { files } => validate(&files),
        Command::Catalog { table, json } => {
            print!("{}", catalog_cmd::show(table, json));
            Ok(())
        }
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&scenario::schema()).expect("schema is JSON")
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
    }
}

/// A scenario's text and the name to show in messages.
pub(crate) struct Source {
    pub label: String,
    pub text: String,
    pub builtin: bool,
}

pub(crate) fn read_scenario(arg: Option<&str>) -> Result<Source, Failure> {
    let arg = arg.unwrap_or(BUILTIN[0].id);
    let path = Path::new(arg);
    if !path.exists() {
        if let Some(b) = scenario::builtin(arg) {
            return Ok(Source {
                label: format!("{} (built-in)", b.id),
                text: b.text.to_string(),
                builtin: true,
            });
        }
    }
    read_file(path).map(|text| Source {
        label: arg.to_string(),
        text,
        builtin: false,
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

fn report(label: &str, text: &str, problems: &[Problem]) -> String {
    let mut out: String = problems.iter().map(|p| p.render(label, text)).collect();
    let n = problems.len();
    out.push_str(&format!(
        "{label}: {n} problem{}\n",
        if n == 1 { "" } else { "s" }
    ));
    out
}

pub(crate) fn prepare(src: &Source) -> Result<(Scenario, Facility), Failure> {
    model::prepare(&src.text, Catalog::builtin())
        .map_err(|p| Failure::Input(report(&src.label, &src.text, &p)))
}

fn run(arg: Option<&str>, out: Option<&Path>, json: bool, quiet: bool) -> Result<(), Failure> {
    let src = read_scenario(arg)?;
    let (scenario, facility) = prepare(&src)?;
    let assessment = model::assess(&facility);
    let mut value = serde_json::to_value(&assessment).expect("assessment is JSON");
    if let serde_json::Value::Object(m) = &mut value {
        m.insert("scenario_source".into(), src.label.clone().into());
        m.insert("start".into(), scenario.start.to_string().into());
        m.insert("years".into(), scenario.years.into());
        m.insert(
            "gigafactory_version".into(),
            env!("CARGO_PKG_VERSION").into(),
        );
    }
    let json_text = serde_json::to_string_pretty(&value).expect("JSON") + "\n";
    if let Some(dir) = out {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Run(format!("error: cannot create {}: {e}\n", dir.display())))?;
        let path = dir.join("summary.json");
        output::write_atomic(&path, json_text.as_bytes())
            .map_err(|e| Failure::Run(format!("error: cannot write {}: {e}\n", path.display())))?;
    }
    if quiet {
        return Ok(());
    }
    if json {
        print!("{json_text}");
    } else {
        let origin = if src.builtin {
            "built-in scenario"
        } else {
            "scenario"
        };
        print!(
            "{}",
            summary::render_summary(
                &assessment,
                &scenario.start.to_string(),
                scenario.years,
                origin
            )
        );
        if let Some(dir) = out {
            println!("\nWrote {}", dir.join("summary.json").display());
        }
    }
    Ok(())
}

fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = String::new();
    for f in files {
        let text = match read_file(f) {
            Ok(t) => t,
            Err(Failure::Input(m) | Failure::Run(m)) => {
                failed.push_str(&m);
                continue;
            }
        };
        let src = Source {
            label: f.display().to_string(),
            text,
            builtin: false,
        };
        match prepare(&src) {
            Ok(_) => println!("{}: valid", src.label),
            Err(Failure::Input(m) | Failure::Run(m)) => failed.push_str(&m),
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
            println!("{:<16} {}", b.id, b.summary);
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
    output::write_atomic(&path, b.text.as_bytes())
        .map_err(|e| Failure::Run(format!("error: cannot write {}: {e}\n", path.display())))?;
    println!(
        "Wrote {}; run it with: gigafactory run {}",
        path.display(),
        path.display()
    );
    Ok(())
}
