//! The facility model: pure functions of the facility (power against load, PUE, capex
//! and opex, depreciation, carbon, break-even rent). No engine, no I/O.

mod assess;
mod capability;
pub mod cost;
mod facility;
pub mod power;
mod value;

use assess::running_cost as running_cost_eur_per_gpu_hour;
pub use assess::{
    Assessment, BuildFigures, PhaseCosts, SiteAssessment, assess, assess_at, build_figures,
    phase_costs,
};
pub use capability::{
    Capability, CapabilityYear, FrontierStanding, TrainingParams, capability, spare_fraction,
};
pub use facility::{BuildPlan, Facility, Params, SitePlan};
pub use value::{PhaseValue, RentCurve, date_of, year_of};

use crate::catalog::Catalog;
use crate::scenario::{self, Problem, Scenario};

/// Read a scenario from TOML text, validate it and resolve it into a facility: every
/// step a user's file goes through before anything runs.
///
/// # Errors
/// Every problem found by the first step that found any (syntax and structure, then
/// validation, then the facility checks such as the grid connection), each placed in
/// `text`.
///
/// # Example
/// ```
/// use gigafactory::{catalog::Catalog, model, scenario};
/// let text = scenario::builtin("eu-investai").unwrap().text;
/// let (_, facility) = model::prepare(text, Catalog::builtin()).unwrap();
/// assert_eq!(facility.builds.len(), 4);
/// ```
pub fn prepare(text: &str, catalog: &Catalog) -> Result<(Scenario, Facility), Vec<Problem>> {
    let loaded = scenario::load(text)?;
    let problems = scenario::validate(&loaded.scenario, catalog);
    if !problems.is_empty() {
        return Err(loaded.spans.locate(problems));
    }
    let facility =
        Facility::build(&loaded.scenario, catalog).map_err(|p| loaded.spans.locate(p))?;
    Ok((loaded.scenario, facility))
}

#[cfg(test)]
mod capability_tests;
#[cfg(test)]
mod tests;
