//! The run layer: one scenario evaluated end to end, as `run`, `compare` and
//! `optimize --simulate` all need it: simulated (sampled as [`Sample`] says) where it has a
//! workload, and assessed at the simulated utilisation, else at its assumed one.

use std::path::Path;

use crate::catalog::Catalog;
use crate::model::{self, Assessment, Facility};
use crate::scenario::Scenario;
use crate::sim::{self, Sample, SimError, SimOptions, SimOutcome};

/// What an assessment made at the simulated utilisation says it assumes.
pub const SIMULATED_BASIS: &str =
    "yearly figures with every build phase in service, at the simulated utilisation";

/// A scenario evaluated.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The facility's figures: at the simulated utilisation when simulated, else at the
    /// scenario's assumed one.
    pub assessment: Assessment,
    /// The simulation's outcome, if the scenario has a workload.
    pub outcome: Option<SimOutcome>,
}

/// Evaluate scenario `s` on its facility `f`: simulate it if it has a workload (reading a
/// trace relative to `base_dir`), sampled as `sample` says, then assess the facility at the
/// utilisation simulated.
///
/// # Errors
/// As [`sim::run_sampled`]: the trace cannot be read, the job log written, or the sample
/// asked for cannot give the scenario's figures.
pub fn evaluate(
    s: &Scenario,
    f: &Facility,
    catalog: &Catalog,
    base_dir: &Path,
    sample: Sample,
    options: SimOptions<'_>,
) -> Result<Evaluation, SimError> {
    let outcome = sim::run_sampled(s, f, catalog, base_dir, sample, options)?;
    let assessment = match &outcome {
        None => model::assess(f),
        Some(o) => model::assess_at(f, o.utilization, SIMULATED_BASIS),
    };
    Ok(Evaluation {
        assessment,
        outcome,
    })
}
