//! `gigafactory._core`: the native module of the `gigafactory` Python package. A thin
//! shell over the library's pipeline, as the command line is: scenarios read and
//! validated by `run::Source`, runs by `run::evaluate`, sweeps by `plan::sweep`, tables
//! as Arrow batches from `gigafactory-columnar`, handed to pyarrow through the Arrow C
//! data interface. The Python side (`python/gigafactory`) shapes the results.
//!
//! The core runs with the interpreter released (other Python threads go on) on a thread
//! of its own, while the calling thread checks for Ctrl-C every tenth of a second and
//! cancels the work when it comes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use arrow_array::RecordBatch;
use gigafactory::run::{Invalid, Sample, Source};
use pyo3::create_exception;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_arrow::PyTable;

mod evaluate;
mod sweeps;

create_exception!(
    gigafactory,
    ScenarioError,
    PyValueError,
    "A scenario (or an uncertainty file, or an option) the tool cannot take: `.problems` \
     lists each problem with its file, line, column, field and message; the text is the \
     command line's."
);

/// The native module.
#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("ScenarioError", m.py().get_type::<ScenarioError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(evaluate::run, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate::validate, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate::compare, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate::optimize, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate::catalog, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate::schema, m)?)?;
    m.add_function(wrap_pyfunction!(evaluate::builtin_scenarios, m)?)?;
    m.add_function(wrap_pyfunction!(sweeps::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(sweeps::sweep_points, m)?)?;
    m.add_function(wrap_pyfunction!(sweeps::sweep_evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(sweeps::sweep_assemble, m)?)?;
    m.add_class::<evaluate::RunResult>()?;
    Ok(())
}

/// A `ScenarioError` with `message` as its text and `problems` (dicts with file, line,
/// column, field and message).
fn scenario_error(
    py: Python<'_>,
    message: String,
    problems: &[gigafactory::scenario::Located],
) -> PyErr {
    let err = ScenarioError::new_err(message);
    let list = PyList::empty(py);
    for p in problems {
        let d = PyDict::new(py);
        let set = || -> PyResult<()> {
            d.set_item("file", &p.file)?;
            d.set_item("line", p.line)?;
            d.set_item("column", p.column)?;
            d.set_item("field", &p.field)?;
            d.set_item("message", &p.message)?;
            list.append(&d)
        };
        if let Err(e) = set() {
            return e;
        }
    }
    if let Err(e) = err.value(py).setattr("problems", list) {
        return e;
    }
    err
}

/// An invalid scenario as a `ScenarioError`.
fn invalid(py: Python<'_>, bad: &Invalid) -> PyErr {
    scenario_error(py, bad.report(), &bad.located())
}

/// A problem that is not located in a file (an unreadable file, a bad option) as a
/// `ScenarioError` with no `problems`.
fn input_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    scenario_error(py, message.into(), &[])
}

/// A scenario as Python gives it: `kind` says how `value` reads (`"name"`: a file or a
/// built-in scenario's name; `"text"`: TOML; `"json"`: a dict as JSON, turned into TOML)
/// and `label` names it in messages. A file's traces and demand file are found beside
/// it; those of text or a dict, from the working folder.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub(crate) struct ScenarioArg {
    kind: String,
    value: String,
    label: String,
}

impl ScenarioArg {
    /// The scenario's source.
    fn source(&self, py: Python<'_>) -> PyResult<Source> {
        match self.kind.as_str() {
            "name" => {
                Source::read(&self.value).map_err(|e| input_error(py, format!("error: {e}\n")))
            }
            "text" => Ok(Source {
                label: self.label.clone(),
                text: self.value.clone(),
                file: None,
            }),
            "json" => {
                let value: serde_json::Value = serde_json::from_str(&self.value)
                    .map_err(|e| input_error(py, format!("error: {}: {e}\n", self.label)))?;
                let text = toml::to_string(&value).map_err(|e| {
                    input_error(
                        py,
                        format!("error: {}: cannot be written as TOML: {e}\n", self.label),
                    )
                })?;
                Ok(Source {
                    label: self.label.clone(),
                    text,
                    file: None,
                })
            }
            k => Err(PyValueError::new_err(format!(
                "unknown scenario kind {k:?}"
            ))),
        }
    }
}

/// `sample` as the command line's `--sample` takes it, with `job_budget` for `auto`.
fn sample_of(py: Python<'_>, sample: &str, job_budget: Option<u64>) -> PyResult<Sample> {
    let s: Sample = sample
        .parse()
        .map_err(|e| input_error(py, format!("error: sample={sample:?}: {e}\n")))?;
    match (s, job_budget) {
        (s, None) => Ok(s),
        (Sample::Auto, Some(n)) => Ok(Sample::Within(n as f64)),
        (_, Some(n)) => Err(input_error(
            py,
            format!("error: job_budget={n}: only sample=\"auto\" takes a budget\n"),
        )),
    }
}

/// Run `work` on a thread of its own with the interpreter released, checking for Ctrl-C
/// (any pending signal) every tenth of a second: on one, `cancel` is set, the work is
/// waited for (it stops at its next check) and the signal's exception raised.
fn interruptible<T: Send>(
    py: Python<'_>,
    work: impl FnOnce(&AtomicBool) -> T + Send,
) -> PyResult<T> {
    let cancel = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("gigafactory".into())
            .spawn_scoped(scope, || work(&cancel))
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start a thread: {e}")))?;
        loop {
            py.detach(|| {
                let until = Instant::now() + Duration::from_millis(100);
                while !handle.is_finished() && Instant::now() < until {
                    std::thread::sleep(Duration::from_millis(2));
                }
            });
            if handle.is_finished() {
                return handle
                    .join()
                    .map_err(|_| PyRuntimeError::new_err("gigafactory's core panicked"));
            }
            if let Err(signal) = py.check_signals() {
                cancel.store(true, Ordering::Relaxed);
                let _ = py.detach(|| handle.join());
                return Err(signal);
            }
        }
    })
}

/// Batches as a `pyarrow.Table`.
fn table(py: Python<'_>, batch: RecordBatch) -> PyResult<Py<PyAny>> {
    let schema = batch.schema();
    Ok(PyTable::try_new(vec![batch], schema)?
        .into_pyarrow(py)?
        .unbind())
}

/// A columnar error as a Python one.
fn arrow_error(e: gigafactory_columnar::Error) -> PyErr {
    PyRuntimeError::new_err(e.to_string())
}
