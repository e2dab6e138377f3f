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
use crate::scenario::{self, Demand, FieldPath, OtherFile, Problem, Scenario, Seg, SpanIndex};

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
    prepare_with(text, catalog, &|name| {
        Err(format!(
            "cannot read {name}: a scenario given as text has no folder to read a demand \
             file from"
        ))
    })
}

/// As [`prepare`], for a scenario that may name a `demand_file`: `read_demand` gives that
/// file (its name as messages give it, and its text) or says why it cannot. The file's
/// `[demand]`, `[[tenant]]` and `[[shock]]` stand for the plan's own, which it must leave
/// out; problems in them are placed in the demand file.
///
/// # Errors
/// As [`prepare`]; besides, the demand file cannot be read, is not a demand file, or the
/// plan states demand of its own too.
pub fn prepare_with(
    text: &str,
    catalog: &Catalog,
    read_demand: &dyn Fn(&str) -> Result<OtherFile, String>,
) -> Result<(Scenario, Facility), Vec<Problem>> {
    let loaded = scenario::load(text)?;
    let mut s = loaded.scenario;
    let mut included: Option<(OtherFile, SpanIndex)> = None;
    if let Some(name) = s.demand_file.clone() {
        let root = FieldPath::root();
        let file = read_demand(&name).map_err(|m| {
            loaded
                .spans
                .locate(vec![Problem::value(root.key("demand_file"), m)])
        })?;
        let d = scenario::load_demand(&file.text)
            .map_err(|ps| ps.into_iter().map(|p| p.in_file(&file)).collect::<Vec<_>>())?;
        let own = [
            (!s.tenants.is_empty(), "tenant", "[[tenant]] tables"),
            (!s.shocks.is_empty(), "shock", "[[shock]] tables"),
            (s.demand != Demand::default(), "demand", "[demand] table"),
        ];
        let conflicts: Vec<Problem> = own
            .iter()
            .filter(|(has, _, _)| *has)
            .map(|(_, key, what)| {
                Problem::key(
                    root.key(key),
                    format!(
                        "the plan's demand comes from demand_file ({}): leave out its own \
                         {what}, or the demand_file key",
                        file.label
                    ),
                )
            })
            .collect();
        if !conflicts.is_empty() {
            return Err(loaded.spans.locate(conflicts));
        }
        s.tenants = d.demand.tenants;
        s.shocks = d.demand.shocks;
        s.demand = d.demand.demand;
        included = Some((file, d.spans));
    }
    let locate = |problems: Vec<Problem>| locate_in(problems, &loaded.spans, included.as_ref());
    let problems = scenario::validate(&s, catalog);
    if !problems.is_empty() {
        return Err(locate(problems));
    }
    let facility = Facility::build(&s, catalog).map_err(locate)?;
    Ok((s, facility))
}

/// Place `problems` in the scenario, or, for the tables a demand file gave it, in that
/// file: the scenario's first, then the demand file's.
fn locate_in(
    problems: Vec<Problem>,
    spans: &SpanIndex,
    included: Option<&(OtherFile, SpanIndex)>,
) -> Vec<Problem> {
    let Some((file, theirs)) = included else {
        return spans.locate(problems);
    };
    let (in_file, ours): (Vec<Problem>, Vec<Problem>) = problems.into_iter().partition(|p| {
        matches!(p.path.0.first(), Some(Seg::Key(k)) if k == "tenant" || k == "shock" || k == "demand")
    });
    let mut out = spans.locate(ours);
    out.extend(theirs.locate(in_file).into_iter().map(|p| p.in_file(file)));
    out
}

#[cfg(test)]
mod capability_tests;
#[cfg(test)]
mod tests;
