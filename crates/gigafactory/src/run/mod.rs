//! The run layer: one scenario resolved into a [`Plan`] and evaluated end to end, as `run`,
//! `compare`, `optimize --simulate` and any other front end need it: simulated (sampled as
//! [`Sample`] says) where it has a workload, and assessed at the simulated utilisation,
//! else at its assumed one.
//!
//! Front ends use this layer and not `sim` or `model` directly: the types its functions
//! take and return are re-exported here, so that a caller names one interface.

use std::path::{Path, PathBuf};

use crate::catalog::Catalog;
use crate::model::{self, Facility};

pub use crate::model::Assessment;
use crate::scenario::{self, Problem, Scenario};
use crate::units::Date;
use crate::workload::{JobSource, ReadError};

mod calls;
#[cfg(test)]
mod calls_tests;
#[cfg(test)]
mod demand_tests;
mod pricing;
#[cfg(test)]
mod pricing_tests;
mod sample;
#[cfg(test)]
mod sample_tests;
mod serving;
#[cfg(test)]
mod serving_tests;
mod source;
pub mod tables;
#[cfg(test)]
mod training_tests;

pub use crate::sim::{
    ColumnType, CsvJobLog, JOB_COLUMNS, JobColumn, JobEnd, JobRecord, JobSink, PhaseOutcome,
    Sampling, SimError, SimOptions, SimOutcome, SiteEnergy, TenantOutcome, TimeSeries, Tokens,
    YearOutcome, csv_field, job_log_header,
};
pub use calls::{CallFigures, Calls, ProjectRow, calls};
pub use pricing::{ClassPricing, Pricing, YearPricing, pricing};
pub use sample::{
    JOB_BUDGET, MIN_SAMPLE_ROOM, SAMPLE_ROOM, Sample, SamplePlan, auto_sample, plan_sample,
    run_sampled, simulated_jobs,
};
pub use serving::{HoursByKind, ServiceFigures, hours_by_kind, service_figures};
pub use source::{Invalid, Source};

/// What an assessment made at the simulated utilisation says it assumes.
pub const SIMULATED_BASIS: &str =
    "yearly figures with every build phase in service, at the simulated utilisation";

/// The largest demand file read, bytes: demand is tables of tenants, not data.
const MAX_DEMAND_FILE_BYTES: u64 = 16 << 20;

/// Read demand file `name` (relative to `base_dir`): a regular file (a symbolic link to
/// one is followed) of UTF-8 text of at most [`MAX_DEMAND_FILE_BYTES`]. Devices, FIFOs and
/// folders are refused without being opened.
fn read_demand_file(base_dir: &Path, name: &str) -> Result<scenario::OtherFile, String> {
    let path = base_dir.join(name);
    let label = path.display().to_string();
    let fail = |e: &dyn std::fmt::Display| format!("cannot read {label}: {e}");
    // Checked before opening (opening a FIFO would wait for a writer), and again on the
    // file opened, in case the name was changed in between.
    let regular = |m: std::fs::Metadata| m.is_file().then_some(()).ok_or("not a regular file");
    std::fs::metadata(&path)
        .map_err(|e| fail(&e))
        .and_then(|m| regular(m).map_err(|e| fail(&e)))?;
    let file = std::fs::File::open(&path).map_err(|e| fail(&e))?;
    file.metadata()
        .map_err(|e| fail(&e))
        .and_then(|m| regular(m).map_err(|e| fail(&e)))?;
    let mut text = String::new();
    std::io::Read::read_to_string(
        &mut std::io::Read::take(file, MAX_DEMAND_FILE_BYTES + 1),
        &mut text,
    )
    .map_err(|e| fail(&e))?;
    if text.len() as u64 > MAX_DEMAND_FILE_BYTES {
        return Err(fail(&format!(
            "more than a demand file's {MAX_DEMAND_FILE_BYTES} bytes"
        )));
    }
    Ok(scenario::OtherFile { label, text })
}

/// A scenario resolved: validated, its facility built from the catalogue, and the folder
/// its trace paths are relative to.
#[derive(Debug, Clone)]
pub struct Plan {
    /// How the plan is named (its file or built-in name).
    pub label: String,
    /// The scenario as read.
    pub scenario: Scenario,
    /// Its facility.
    pub facility: Facility,
    /// The folder its trace paths are relative to.
    pub base_dir: PathBuf,
}

impl Plan {
    /// Read, validate and resolve scenario `text`, named `label`, whose trace paths are
    /// relative to `base_dir`.
    ///
    /// # Errors
    /// Every problem found, located in `text`.
    pub fn prepare(
        label: &str,
        text: &str,
        base_dir: PathBuf,
        catalog: &Catalog,
    ) -> Result<Plan, Vec<Problem>> {
        let (scenario, facility) =
            model::prepare_with(text, catalog, &|name| read_demand_file(&base_dir, name))?;
        Ok(Plan {
            label: label.to_string(),
            scenario,
            facility,
            base_dir,
        })
    }

    /// A plan from a scenario already read (e.g. one with a sweep's values applied), with
    /// its catalogue: validated and its facility built.
    ///
    /// # Errors
    /// Every problem found (with field paths, not placed in any text).
    pub fn from_scenario(
        label: &str,
        scenario: Scenario,
        base_dir: PathBuf,
        catalog: &Catalog,
    ) -> Result<Plan, Vec<Problem>> {
        let problems = crate::scenario::validate(&scenario, catalog);
        if !problems.is_empty() {
            return Err(problems);
        }
        let facility = crate::model::Facility::build(&scenario, catalog)?;
        Ok(Plan {
            label: label.to_string(),
            scenario,
            facility,
            base_dir,
        })
    }

    /// The plan without its workload (tenants, services, trace, shocks): evaluated at its
    /// assumed utilisation (`economics.assumed_utilization`), the economics alone.
    pub fn drop_workload(&mut self) {
        self.scenario.tenants.clear();
        self.scenario.workload = None;
        self.scenario.shocks.clear();
    }

    /// The horizon cut to its first `years`.
    ///
    /// # Errors
    /// `years` is longer than the horizon (the message names the horizon).
    pub fn shorten(&mut self, years: u32) -> Result<(), String> {
        if years > self.scenario.years {
            return Err(format!("has a horizon of {} years", self.scenario.years));
        }
        self.scenario.years = years;
        self.facility.years = years;
        Ok(())
    }

    /// Whether the plan has a workload to simulate (tenants or a trace).
    #[must_use]
    pub fn has_workload(&self) -> bool {
        self.scenario.workload.is_some() || !self.scenario.tenants.is_empty()
    }

    /// Whether the plan builds anything (a plan with only an `[optimize]` table does not).
    #[must_use]
    pub fn has_builds(&self) -> bool {
        !self.scenario.builds.is_empty()
    }

    /// The seconds from the start to `date`, to simulate until it.
    ///
    /// # Errors
    /// `date` is not after the start or is past the horizon's end (the message gives the
    /// range).
    pub fn seconds_until(&self, date: Date) -> Result<u64, String> {
        let start = self.scenario.start;
        let end = start.add_years(self.scenario.years);
        if date <= start || date > end {
            return Err(format!(
                "expected a date after {start} and no later than {end}"
            ));
        }
        Ok(date.days_since(&start) as u64 * crate::units::SECONDS_PER_DAY)
    }

    /// The plan's jobs as a run of the whole facility meets them: read from its trace or
    /// generated for its tenants; `None` without a workload.
    ///
    /// # Errors
    /// The trace cannot be opened.
    pub fn job_source(&self) -> Result<Option<JobSource>, ReadError> {
        JobSource::from_scenario(&self.scenario, &self.facility, &self.base_dir)
    }

    /// The jobs a run sampled as `sample` will simulate, when they can be told before
    /// it starts (generated workloads), for an estimate of its length.
    ///
    /// # Errors
    /// As [`evaluate`].
    pub fn simulated_jobs(
        &self,
        sample: Sample,
        until_s: Option<u64>,
    ) -> Result<Option<f64>, SimError> {
        sample::simulated_jobs(
            &self.scenario,
            &self.facility,
            &self.base_dir,
            sample,
            until_s,
        )
    }
}

/// A plan evaluated.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// How the plan is named (its file or built-in name).
    pub label: String,
    /// The start of the horizon.
    pub start: Date,
    /// The horizon, years.
    pub horizon_years: u32,
    /// The facility's figures: at the simulated utilisation when simulated, else at the
    /// scenario's assumed one.
    pub assessment: Assessment,
    /// The simulation's outcome, if the scenario has a workload.
    pub outcome: Option<SimOutcome>,
    /// Its inference services: tokens, and their cost per million against the market.
    pub services: Vec<ServiceFigures>,
    /// Its GPU-hours by kind of work (when simulated).
    pub hours_by_kind: Option<HoursByKind>,
    /// Revenue and subsidy at its `[prices]` (when simulated and priced).
    pub pricing: Option<Pricing>,
    /// What its calls for proposals awarded (when it has calls).
    pub calls: Option<Calls>,
}

/// Evaluate `plan`: simulate it if it has a workload, sampled as `sample` says, then assess
/// its facility at the utilisation simulated.
///
/// # Errors
/// The trace cannot be read, the job log written, the run was cancelled, or the sample
/// asked for cannot give the scenario's figures.
pub fn evaluate(
    plan: &Plan,
    catalog: &Catalog,
    sample: Sample,
    options: SimOptions<'_>,
) -> Result<Evaluation, SimError> {
    let (s, f) = (&plan.scenario, &plan.facility);
    let outcome = sample::run_sampled(s, f, catalog, &plan.base_dir, sample, options)?;
    let assessment = match &outcome {
        None => model::assess(f),
        Some(o) => model::assess_at(f, o.utilization, SIMULATED_BASIS),
    };
    let services = outcome.as_ref().map_or_else(Vec::new, |o| {
        service_figures(s, o, &assessment, catalog, f.params.eur_per_usd)
    });
    Ok(Evaluation {
        label: plan.label.clone(),
        start: s.start,
        horizon_years: s.years,
        hours_by_kind: outcome.as_ref().map(|o| hours_by_kind(s, o)),
        pricing: outcome.as_ref().and_then(|o| pricing(s, o)),
        calls: calls(s, f, outcome.as_ref()),
        assessment,
        outcome,
        services,
    })
}

/// The folder a scenario file's trace paths are relative to: its own (`.` for a built-in
/// scenario, read from no file).
#[must_use]
pub fn base_dir(file: Option<&Path>) -> PathBuf {
    match file {
        None => PathBuf::from("."),
        Some(p) => p.parent().map(Path::to_path_buf).unwrap_or_default(),
    }
}
