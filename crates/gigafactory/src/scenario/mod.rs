//! Scenario files: plain serde data, read from TOML and validated.
//!
//! Reading ([`load`]) checks the file's structure against the JSON Schema ([`schema`]):
//! every unknown key, missing field, wrong type and bad date at once. Validation
//! ([`validate`]) then checks what the structure cannot: names that must match the
//! catalogue or each other, ranges, dates inside the horizon. Both return [`Problem`]s
//! with a field path, placed in the text by the [`SpanIndex`]. Nothing here does I/O.

mod access;
mod builtin;
pub mod defaults;
mod problem;
mod structure;
mod tenant;
mod types;
pub mod uncertain;
mod validate;

pub use access::{Call, CallRule, Proposal, Region};
pub use builtin::{BUILTIN, BuiltinScenario, builtin};
pub use problem::{FieldPath, Located, OtherFile, Problem, Seg, Target, did_you_mean, report};
pub use structure::SpanIndex;
pub use tenant::{Tenant, TenantKind};
pub use types::{
    Budget, Build, Candidates, Cap, ClusterLayout, CrossSite, Demand, DemandFile, Economics,
    Failures, Objective, Optimize, PolicyName, Power, Preempt, PricePoint, Prices, Procurement,
    Refresh, Scenario, Scheduler, ServingRules, Shock, ShockTarget, Site, TenantClass, TraceFormat,
    Training, Workload,
};
pub use validate::{PRESET_IDS, validate, validate_uncertain};

/// A scenario read from text, with the places of its fields.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The scenario.
    pub scenario: Scenario,
    /// Where each field stands in the text, to place later problems.
    pub spans: SpanIndex,
}

/// The JSON Schema of scenario files.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Scenario)).expect("a schema is valid JSON")
}

/// TOML `text` parsed, or its syntax error as a problem placed in it.
fn parse_toml(text: &str) -> Result<toml::Spanned<toml::de::DeTable<'_>>, Vec<Problem>> {
    toml::de::DeTable::parse(text).map_err(|e| {
        vec![
            Problem::value(
                FieldPath::root(),
                format!("invalid TOML: {}", e.message().trim()),
            )
            .at(e.span().unwrap_or(0..0)),
        ]
    })
}

/// A demand file read from text, with the places of its fields.
#[derive(Debug, Clone)]
pub struct LoadedDemand {
    /// The demand.
    pub demand: DemandFile,
    /// Where each field stands in the text.
    pub spans: SpanIndex,
}

/// Read a demand file (a scenario's `demand_file`) from TOML text, checked against its
/// own schema as [`load`] checks a scenario.
///
/// # Errors
/// A TOML syntax error, or every structural problem found, each with its place in `text`.
pub fn load_demand(text: &str) -> Result<LoadedDemand, Vec<Problem>> {
    let doc = parse_toml(text)?;
    let schema =
        serde_json::to_value(schemars::schema_for!(DemandFile)).expect("a schema is valid JSON");
    let (json, spans, problems) = structure::check(text, &doc, &schema);
    if !problems.is_empty() {
        return Err(problems);
    }
    serde_json::from_value::<DemandFile>(json)
        .map(|demand| LoadedDemand { demand, spans })
        .map_err(|e| {
            vec![Problem::value(
                FieldPath::root(),
                format!("could not read the demand file: {e}"),
            )]
        })
}

/// Whether TOML `text` is an uncertainty file (`[[uncertain]]` tables and no plan of its
/// own: no `name`) rather than a scenario.
#[must_use]
pub fn is_uncertainty_file(text: &str) -> bool {
    toml::de::DeTable::parse(text).is_ok_and(|d| {
        let t = d.get_ref();
        t.contains_key("uncertain") && !t.contains_key("name")
    })
}

/// Read an uncertainty file (`[[uncertain]]` tables alone) from TOML text, checked against
/// its own schema as [`load`] checks a scenario.
///
/// # Errors
/// A TOML syntax error, or every structural problem found, each with its place in `text`.
pub fn load_uncertainty(
    text: &str,
) -> Result<(uncertain::UncertaintyFile, SpanIndex), Vec<Problem>> {
    let doc = parse_toml(text)?;
    let schema = serde_json::to_value(schemars::schema_for!(uncertain::UncertaintyFile))
        .expect("a schema is valid JSON");
    let (json, spans, problems) = structure::check(text, &doc, &schema);
    if !problems.is_empty() {
        return Err(problems);
    }
    serde_json::from_value(json)
        .map(|u| (u, spans))
        .map_err(|e| {
            vec![Problem::value(
                FieldPath::root(),
                format!("could not read the uncertainty file: {e}"),
            )]
        })
}

/// Read a scenario from TOML text.
///
/// # Errors
/// A TOML syntax error (one problem), or every structural problem found: unknown keys,
/// missing fields, wrong types, malformed dates. Each problem has its place in `text`.
///
/// # Example
/// ```
/// let text = r#"
/// name = "one site"
/// start = "2027-01-01"
/// years = 5
/// [[site]]
/// name = "kajaani"
/// country = "FI"
/// grid_mw = 50
/// [[build]]
/// site = "kajaani"
/// accelerator = "H100"
/// count = 1000
/// online = "2027-01-01"
/// "#;
/// let loaded = gigafactory::scenario::load(text).unwrap();
/// assert_eq!(loaded.scenario.builds[0].count, 1000);
///
/// let problems = gigafactory::scenario::load("name = 1").unwrap_err();
/// assert!(problems.iter().any(|p| p.message == "expected a string, found the integer 1"));
/// ```
pub fn load(text: &str) -> Result<Loaded, Vec<Problem>> {
    let doc = parse_toml(text)?;
    let (json, spans, problems) = structure::check(text, &doc, &schema());
    if !problems.is_empty() {
        return Err(problems);
    }
    match serde_json::from_value::<Scenario>(json) {
        Ok(scenario) => Ok(Loaded { scenario, spans }),
        // The structural check accepts only what serde accepts; reaching this is a defect
        // in the check, reported rather than hidden.
        Err(e) => Err(vec![Problem::value(
            FieldPath::root(),
            format!("could not read the scenario: {e}"),
        )]),
    }
}
