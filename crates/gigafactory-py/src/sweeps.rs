//! Sweeps: on this machine's cores (`sweep`), or in pieces for a distributed engine (Ray):
//! how many points (`sweep_points`), some of them evaluated (`sweep_evaluate`, each row
//! as the JSON line a resumed sweep keeps), and every row put together into the table and
//! summary a local sweep gives (`sweep_assemble`), by the same function.

use gigafactory::catalog::Catalog;
use gigafactory::plan::sensitivity::Design;
use gigafactory::plan::sweep as lib;
use gigafactory::plan::sweep::{Point, Sweep, SweepError, SweepRow, SweepSpec};
use gigafactory::plan::sweep_setup::{self, SetupError, SweepOptions};
use gigafactory::plan::swings;
use gigafactory::run::Plan;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

use crate::{arrow_error, input_error, interruptible, invalid, sample_of, table};

/// A sweep's options as Python passes them.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub(crate) struct Options {
    samples: usize,
    seeds: u32,
    design: String,
    years: Option<u32>,
    sample: String,
    job_budget: Option<u64>,
    unsimulated: bool,
    threads: Option<usize>,
}

/// The sweep's plans and spec, read as `gigafactory sweep` reads its files.
fn setup(py: Python<'_>, args: &[String], o: &Options) -> PyResult<(Vec<Plan>, SweepSpec)> {
    let design = match o.design.as_str() {
        "latin" => Design::Latin,
        "sobol" => Design::Saltelli,
        d => {
            return Err(input_error(
                py,
                format!("error: design={d:?}: expected \"latin\" or \"sobol\"\n"),
            ));
        }
    };
    if o.samples == 0 || o.seeds == 0 {
        return Err(input_error(
            py,
            "error: samples and seeds must be at least 1\n",
        ));
    }
    let options = SweepOptions {
        samples: o.samples,
        seeds: o.seeds,
        design,
        years: o.years,
        sample: sample_of(py, &o.sample, o.job_budget)?,
        unsimulated: o.unsimulated,
        threads: o.threads.unwrap_or(usize::MAX),
    };
    sweep_setup::setup(args, &options, Catalog::builtin()).map_err(|e| match e {
        SetupError::Invalid(bad) => invalid(py, &bad),
        SetupError::Input(m) => input_error(py, format!("error: {m}\n")),
        SetupError::Option {
            name,
            value,
            message,
        } => input_error(py, format!("error: {name}={value}: {message}\n")),
    })
}

fn sweep_error(e: SweepError) -> PyErr {
    PyRuntimeError::new_err(e.to_string())
}

/// The table (`sweep.parquet`'s columns) and summary.json's content as JSON text, with
/// the one-at-a-time swings where asked (each input at its 5% and 95% quantiles: 2 runs
/// per input and plan more).
fn results(
    py: Python<'_>,
    plans: &[Plan],
    spec: &SweepSpec,
    s: &Sweep,
    with_swings: bool,
) -> PyResult<(Py<PyAny>, String)> {
    let figures = s.summary();
    let swings = if with_swings {
        interruptible(py, |_| swings::swings(plans, spec, Catalog::builtin()))?
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?
    } else {
        Vec::new()
    };
    let json = gigafactory_report::sweep_json(s, &spec.inputs, &figures, &swings);
    let t = gigafactory_columnar::sweep_batch(s)
        .map_err(arrow_error)
        .and_then(|b| table(py, b))?;
    Ok((t, json))
}

/// A whole sweep on this machine's cores.
#[pyfunction]
pub(crate) fn sweep(
    py: Python<'_>,
    args: Vec<String>,
    options: Options,
    swings: bool,
) -> PyResult<(Py<PyAny>, String)> {
    let (plans, spec) = setup(py, &args, &options)?;
    let s = interruptible(py, |cancel| {
        lib::sweep(&plans, &spec, Catalog::builtin(), &|_, _| {}, Some(cancel))
    })?
    .map_err(sweep_error)?;
    results(py, &plans, &spec, &s, swings)
}

/// How many points the sweep has: they are numbered 0 to this, in the table's order.
#[pyfunction]
pub(crate) fn sweep_points(py: Python<'_>, args: Vec<String>, options: Options) -> PyResult<usize> {
    let (plans, spec) = setup(py, &args, &options)?;
    Ok(all_points(&plans, &spec).len())
}

fn all_points(plans: &[Plan], spec: &SweepSpec) -> Vec<Point> {
    let samples = lib::design_values(spec).len();
    lib::points(plans.len(), samples, &spec.seeds)
}

/// Points `indices` of the sweep, each as a JSON line.
#[pyfunction]
pub(crate) fn sweep_evaluate(
    py: Python<'_>,
    args: Vec<String>,
    options: Options,
    indices: Vec<usize>,
) -> PyResult<Vec<String>> {
    let (plans, spec) = setup(py, &args, &options)?;
    let all = all_points(&plans, &spec);
    let work = indices
        .iter()
        .map(|&i| {
            all.get(i).copied().ok_or_else(|| {
                PyValueError::new_err(format!("point {i}: the sweep has {} points", all.len()))
            })
        })
        .collect::<PyResult<Vec<Point>>>()?;
    let rows = interruptible(py, |cancel| {
        lib::evaluate_points(&plans, &spec, Catalog::builtin(), &work, Some(cancel))
    })?
    .map_err(sweep_error)?;
    Ok(rows
        .iter()
        .map(|r| serde_json::to_string(r).expect("a row is JSON"))
        .collect())
}

/// Every point's row (JSON lines from `sweep_evaluate`, in any order) put together into
/// the table and summary a local sweep of the same arguments gives.
#[pyfunction]
pub(crate) fn sweep_assemble(
    py: Python<'_>,
    args: Vec<String>,
    options: Options,
    rows: Vec<String>,
    swings: bool,
) -> PyResult<(Py<PyAny>, String)> {
    let (plans, spec) = setup(py, &args, &options)?;
    let total = all_points(&plans, &spec).len();
    let done = rows
        .iter()
        .map(|r| serde_json::from_str::<SweepRow>(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PyValueError::new_err(format!("a sweep row that is not one: {e}")))?;
    let distinct: std::collections::HashSet<(usize, usize, u64)> =
        done.iter().map(|r| (r.sample, r.plan, r.seed)).collect();
    if distinct.len() != total || done.len() != total {
        return Err(PyValueError::new_err(format!(
            "{} rows ({} distinct points) for a sweep of {total} points",
            done.len(),
            distinct.len()
        )));
    }
    // Every point is done: nothing is evaluated again.
    let s = lib::resume(
        &plans,
        &spec,
        Catalog::builtin(),
        done,
        &|_| {},
        &|_, _| {},
        None,
    )
    .map_err(sweep_error)?;
    results(py, &plans, &spec, &s, swings)
}
