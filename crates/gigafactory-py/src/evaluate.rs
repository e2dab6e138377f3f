//! `run`, `validate`, `compare`, `optimize`, `catalog`, `schema`: each what the command of
//! that name does, returning values instead of printing and writing files.

use std::sync::atomic::AtomicBool;

use arrow_array::RecordBatch;
use gigafactory::catalog::Catalog;
use gigafactory::plan;
use gigafactory::run::{Evaluation, Invalid, JobSink, Plan, SimError, SimOptions, SimOutcome};
use gigafactory::scenario::{self, BUILTIN};
use gigafactory::units::Date;
use gigafactory_columnar::JobsWriter;
use gigafactory_report::Summary;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use crate::{ScenarioArg, arrow_error, input_error, interruptible, invalid, sample_of, table};

/// A run's results: its evaluation and, when asked for, its job table.
#[pyclass(module = "gigafactory._core", frozen)]
pub(crate) struct RunResult {
    evaluation: Evaluation,
    jobs: Option<Vec<RecordBatch>>,
}

#[pymethods]
impl RunResult {
    /// summary.json's content as JSON text, without the scenario's source (provenance).
    fn summary_json(&self) -> String {
        let mut value = serde_json::to_value(Summary::of(&self.evaluation)).expect("JSON");
        if let Some(map) = value.as_object_mut() {
            map.remove("scenario_source");
        }
        serde_json::to_string(&value).expect("JSON")
    }

    /// Whether the plan was simulated (it has a workload).
    fn simulated(&self) -> bool {
        self.evaluation.outcome.is_some()
    }

    /// The job table (`jobs.parquet`'s columns), or None where it was not kept or the
    /// plan not simulated.
    fn jobs(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let Some(batches) = &self.jobs else {
            return Ok(None);
        };
        let schema = gigafactory_columnar::jobs_schema();
        Ok(Some(
            pyo3_arrow::PyTable::try_new(batches.clone(), schema)?
                .into_pyarrow(py)?
                .unbind(),
        ))
    }

    /// The hourly series (`timeseries.parquet`'s columns), None where not simulated.
    fn timeseries(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.simulated_table(py, |o| gigafactory_columnar::timeseries_batch(&o.series))
    }

    /// The yearly table (`years.csv`'s columns, typed), None where not simulated.
    fn years(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let (capability, pricing) = (
            &self.evaluation.assessment.capability,
            self.evaluation.pricing.as_ref(),
        );
        self.simulated_table(py, |o| {
            gigafactory_columnar::years_batch(o, capability, pricing)
        })
    }

    /// The per-tenant table (`tenants.csv`'s columns, typed), None where not simulated.
    fn tenants(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let pricing = self.evaluation.pricing.as_ref();
        self.simulated_table(py, |o| gigafactory_columnar::tenants_batch(o, pricing))
    }

    /// Every proposal to the scenario's calls (`projects.csv`'s columns, typed), None
    /// where it has no calls.
    fn projects(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        self.evaluation
            .calls
            .as_ref()
            .map(|c| {
                gigafactory_columnar::projects_batch(c)
                    .map_err(arrow_error)
                    .and_then(|b| table(py, b))
            })
            .transpose()
    }

    /// report.html.
    fn report_html(&self) -> String {
        gigafactory_report::html(&self.evaluation)
    }
}

impl RunResult {
    /// A table of the simulation's outcome as a `pyarrow.Table`, None where not simulated.
    fn simulated_table(
        &self,
        py: Python<'_>,
        make: impl Fn(&SimOutcome) -> Result<RecordBatch, gigafactory_columnar::Error>,
    ) -> PyResult<Option<Py<PyAny>>> {
        self.evaluation
            .outcome
            .as_ref()
            .map(|o| make(o).map_err(arrow_error).and_then(|b| table(py, b)))
            .transpose()
    }
}

/// The scenario as a plan, with its seed replaced where one is given.
fn plan_of(py: Python<'_>, scenario: &ScenarioArg, seed: Option<u64>) -> PyResult<Plan> {
    let src = scenario.source(py)?;
    let mut plan = src
        .prepare(Catalog::builtin())
        .map_err(|bad| invalid(py, &bad))?;
    if let Some(s) = seed {
        plan.scenario.seed = s;
    }
    Ok(plan)
}

/// Evaluate a scenario as `gigafactory run` does.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (scenario, *, sample = "auto", job_budget = None, seed = None, until = None, years = None, keep_jobs = true))]
pub(crate) fn run(
    py: Python<'_>,
    scenario: ScenarioArg,
    sample: &str,
    job_budget: Option<u64>,
    seed: Option<u64>,
    until: Option<&str>,
    years: Option<u32>,
    keep_jobs: bool,
) -> PyResult<RunResult> {
    let sample = sample_of(py, sample, job_budget)?;
    let mut plan = plan_of(py, &scenario, seed)?;
    if let Some(n) = years {
        plan.shorten(n)
            .map_err(|e| input_error(py, format!("error: years={n}: {} {e}\n", plan.label)))?;
    }
    if !plan.has_builds() {
        return Err(input_error(
            py,
            format!(
                "error: {} has no [[build]] phases to run: its [optimize] table is a question \
                 for `gigafactory.optimize`, which writes a plan that runs\n",
                plan.label
            ),
        ));
    }
    let until_s = match until {
        None => None,
        Some(d) => Some(
            d.parse::<Date>()
                .map_err(|e| e.to_string())
                .and_then(|date| plan.seconds_until(date))
                .map_err(|e| input_error(py, format!("error: until={d:?}: {e}\n")))?,
        ),
    };
    let keep = keep_jobs && plan.has_workload();
    let outcome = interruptible(py, |cancel: &AtomicBool| {
        let mut jobs = if keep {
            Some(JobsWriter::arrow().map_err(|e| e.to_string())?)
        } else {
            None
        };
        let options = SimOptions {
            until_s,
            job_log: jobs.as_mut().map(|j| j as &mut dyn JobSink),
            progress: None,
            windows: None,
            max_waiting: None,
            cancel: Some(cancel),
        };
        let e = gigafactory::run::evaluate(&plan, Catalog::builtin(), sample, options);
        let batches = jobs
            .map(|j| j.finish().map_err(|e| e.to_string()))
            .transpose()?;
        Ok::<_, String>((e, batches))
    })?;
    let (evaluation, jobs) = outcome.map_err(PyRuntimeError::new_err)?;
    let evaluation = evaluation.map_err(|e| match e {
        SimError::Read(r) => input_error(py, format!("error: {r}\n")),
        SimError::Sample(m) => input_error(py, format!("error: {m}\n")),
        other => PyRuntimeError::new_err(other.to_string()),
    })?;
    Ok(RunResult { evaluation, jobs })
}

/// Validate scenarios: each one's problems raised as a `ScenarioError`; the label of each
/// valid one returned.
#[pyfunction]
pub(crate) fn validate(py: Python<'_>, scenarios: Vec<ScenarioArg>) -> PyResult<Vec<String>> {
    let mut text = String::new();
    let mut problems = Vec::new();
    let mut valid = Vec::new();
    for s in &scenarios {
        let src = s.source(py)?;
        match src.prepare(Catalog::builtin()) {
            Ok(p) => valid.push(p.label),
            Err(bad) => {
                text.push_str(&bad.report());
                problems.extend(bad.located());
            }
        }
    }
    if problems.is_empty() {
        Ok(valid)
    } else {
        Err(crate::scenario_error(py, text, &problems))
    }
}

/// Compare plans as `gigafactory compare` does: compare.json's content as JSON text.
#[pyfunction]
#[pyo3(signature = (plans, *, sample = "auto", job_budget = None, seeds = 1, years = None))]
pub(crate) fn compare(
    py: Python<'_>,
    plans: Vec<ScenarioArg>,
    sample: &str,
    job_budget: Option<u64>,
    seeds: u32,
    years: Option<u32>,
) -> PyResult<String> {
    let sample = sample_of(py, sample, job_budget)?;
    let mut prepared = Vec::new();
    for arg in &plans {
        let mut p = plan_of(py, arg, None)?;
        p.label.clone_from(&arg.label);
        if let Some(n) = years {
            p.shorten(n)
                .map_err(|e| input_error(py, format!("error: years={n}: {} {e}\n", arg.label)))?;
        }
        prepared.push(p);
    }
    if seeds > 1 && !prepared.iter().any(Plan::has_workload) {
        return Err(input_error(
            py,
            format!(
                "error: seeds={seeds}: no plan has a workload to simulate: their figures are \
                 the same under every seed\n"
            ),
        ));
    }
    let c = interruptible(py, |_| {
        plan::compare(prepared, Catalog::builtin(), sample, seeds)
    })?
    .map_err(|e| input_error(py, format!("error: {e}\n")))?;
    Ok(gigafactory_report::comparison_json(&c))
}

/// Solve a scenario's `[optimize]` question as `gigafactory optimize` does: the plan as
/// TOML (a scenario that runs).
#[pyfunction]
pub(crate) fn optimize(py: Python<'_>, scenario: ScenarioArg) -> PyResult<String> {
    let src = scenario.source(py)?;
    let catalog = Catalog::builtin();
    let bad = |problems| {
        invalid(
            py,
            &Invalid {
                label: src.label.clone(),
                text: src.text.clone(),
                problems,
            },
        )
    };
    let loaded = scenario::load(&src.text).map_err(bad)?;
    let problems = scenario::validate(&loaded.scenario, catalog);
    if !problems.is_empty() {
        return Err(bad(loaded.spans.locate(problems)));
    }
    let s = loaded.scenario;
    if s.optimize.is_none() {
        return Err(input_error(
            py,
            format!(
                "error: {} has no [optimize] table: it says what to choose among (see the \
                 README, `Where and how big`)\n",
                src.label
            ),
        ));
    }
    let inst = gigafactory_optimize::instance(&s, catalog)
        .map_err(|e| input_error(py, format!("error: {}: {e}\n", src.label)))?;
    let sol = interruptible(py, |_| {
        gigafactory_optimize::solve(
            &inst,
            gigafactory_optimize::Limits::default(),
            gigafactory_optimize::Solver::best(),
        )
    })?
    .map_err(|e| PyRuntimeError::new_err(format!("{}: no plan: {e}", src.label)))?;
    let plan = gigafactory_optimize::plan_scenario(&s, &inst, &sol);
    gigafactory_optimize::plan_toml(&plan, &scenario.label)
        .map_err(|e| PyRuntimeError::new_err(format!("cannot write the plan: {e}")))
}

/// The built-in catalogue as JSON text: accelerators, countries, sites, rents.
#[pyfunction]
pub(crate) fn catalog() -> String {
    let c = Catalog::builtin();
    serde_json::json!({
        "accelerators": c.accelerators,
        "countries": c.countries,
        "sites": c.sites,
        "rents": c.rents,
    })
    .to_string()
}

/// A JSON Schema as JSON text: the scenario's, or summary.json's.
#[pyfunction]
pub(crate) fn schema(which: &str) -> PyResult<String> {
    let s = match which {
        "scenario" => scenario::schema(),
        "summary" => Summary::schema(),
        other => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "no schema named {other:?}: expected \"scenario\" or \"summary\""
            )));
        }
    };
    Ok(s.to_string())
}

/// The built-in scenarios: (name, one-line summary).
#[pyfunction]
pub(crate) fn builtin_scenarios() -> Vec<(&'static str, &'static str)> {
    BUILTIN.iter().map(|b| (b.id, b.summary)).collect()
}
