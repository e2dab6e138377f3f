//! Reading scenarios (files or built-in names), resolving them into plans, and the
//! commands about scenario files themselves: `validate` and `init`.

use std::path::PathBuf;

use gigafactory::catalog::Catalog;
use gigafactory::run::Plan;
use gigafactory::scenario::{self, BUILTIN, Problem};
use gigafactory::workload;

use crate::Failure;
use crate::output::outln;
use crate::table;

pub(crate) use gigafactory::run::Source;

/// The file `arg` or the built-in scenario of that name (the default's, where none).
pub(crate) fn read_scenario(arg: Option<&str>) -> Result<Source, Failure> {
    Source::read(arg.unwrap_or(BUILTIN[0].id)).map_err(|e| Failure::Input(format!("error: {e}\n")))
}

pub(crate) fn report(label: &str, text: &str, problems: &[Problem]) -> String {
    scenario::report(label, text, problems)
}

pub(crate) fn prepare(src: &Source) -> Result<Plan, Failure> {
    src.prepare(Catalog::builtin())
        .map_err(|bad| Failure::Input(bad.report()))
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

pub(crate) fn validate(files: &[PathBuf]) -> Result<(), Failure> {
    let mut failed = String::new();
    for f in files {
        // A file, or a built-in scenario's name (as `run` takes them).
        let read = if f.exists() {
            Source::read_file(f)
        } else {
            Source::read(&f.to_string_lossy())
        };
        let src = match read {
            Ok(s) => s,
            Err(m) => {
                failed.push_str(&format!("error: {m}\n"));
                continue;
            }
        };
        let scenario = match prepare(&src) {
            Ok(p) => p.scenario,
            Err(Failure::Input(m) | Failure::Run(m) | Failure::NoPlan(m)) => {
                failed.push_str(&m);
                continue;
            }
        };
        // The trace is read as a run reads it, up to a limit that takes well under a second.
        match workload::check_trace(&scenario, &src.base_dir(), TRACE_CHECK_JOBS) {
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

pub(crate) fn init(
    name: &str,
    out: Option<PathBuf>,
    force: bool,
    list: bool,
) -> Result<(), Failure> {
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
