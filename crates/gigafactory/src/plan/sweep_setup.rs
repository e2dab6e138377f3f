//! A sweep as a front end is asked for it: the first file (an uncertainty file, or a
//! scenario with `[[uncertain]]` tables that is itself the first plan), the plans, and
//! the options; read, checked and turned into plans and a [`SweepSpec`]. The command line
//! and the Python package both call [`setup`].

use super::sensitivity::Design;
use super::sweep::SweepSpec;
use crate::catalog::Catalog;
use crate::run::{Invalid, Plan, Sample, Source};
use crate::scenario::uncertain::Uncertain;
use crate::scenario::{self, is_uncertainty_file};

/// A sweep's options.
#[derive(Debug, Clone, Copy)]
pub struct SweepOptions {
    /// Base samples.
    pub samples: usize,
    /// Seeds per point (the first plan's seed and those after it).
    pub seeds: u32,
    /// Latin hypercube or Saltelli's scheme.
    pub design: Design,
    /// Only the first N years of each plan.
    pub years: Option<u32>,
    /// How simulated plans are sampled.
    pub sample: Sample,
    /// Evaluate each plan at its assumed utilisation, simulating no jobs.
    pub unsimulated: bool,
    /// Threads (at most the machine's cores).
    pub threads: usize,
}

/// Why a sweep cannot start.
#[derive(Debug, Clone)]
pub enum SetupError {
    /// A file that does not validate (a plan, or the uncertainty file against a plan).
    Invalid(Invalid),
    /// A file that cannot be read, or a sweep with nothing to sweep.
    Input(String),
    /// An option that does not fit the plans: its name (`years`, `seeds`), value and why.
    Option {
        /// The option.
        name: &'static str,
        /// Its value.
        value: String,
        /// Why it does not fit.
        message: String,
    },
}

/// Read the sweep's files: `first` and then `rest` (each a file or a built-in name, each
/// plan labelled by it), as [`SweepOptions`] say.
///
/// # Errors
/// A file that cannot be read or does not validate, an uncertainty file with no plan
/// after it, a plan with no `[[uncertain]]` tables, an option that does not fit.
pub fn setup(
    args: &[String],
    options: &SweepOptions,
    catalog: &Catalog,
) -> Result<(Vec<Plan>, SweepSpec), SetupError> {
    let Some(first_arg) = args.first() else {
        return Err(SetupError::Input("no plan to sweep".into()));
    };
    let first = Source::read(first_arg).map_err(SetupError::Input)?;
    let spec_file = is_uncertainty_file(&first.text);
    let plan_args = if spec_file { &args[1..] } else { args };
    if plan_args.is_empty() {
        return Err(SetupError::Input(format!(
            "{} holds uncertain inputs and no plan: name the plans to sweep after it",
            first.label
        )));
    }
    let mut plans = Vec::new();
    for arg in plan_args {
        let src = Source::read(arg).map_err(SetupError::Input)?;
        let mut p = src.prepare(catalog).map_err(SetupError::Invalid)?;
        p.label.clone_from(arg);
        if let Some(n) = options.years {
            p.shorten(n).map_err(|e| SetupError::Option {
                name: "years",
                value: n.to_string(),
                message: format!("{arg} {e}"),
            })?;
        }
        if options.unsimulated {
            p.drop_workload();
        }
        plans.push(p);
    }
    let inputs = if spec_file {
        uncertainty_file(&first, &plans, catalog)?
    } else {
        plans[0].scenario.uncertain.clone()
    };
    if inputs.is_empty() {
        return Err(SetupError::Input(format!(
            "{first_arg} has no [[uncertain]] tables: nothing to sweep (README, Sweeps, says \
             how to state an uncertain input)"
        )));
    }
    if options.seeds > 1 && !plans.iter().any(Plan::has_workload) {
        return Err(SetupError::Option {
            name: "seeds",
            value: options.seeds.to_string(),
            message: "no plan has a workload to simulate: their figures are the same under \
                      every seed"
                .into(),
        });
    }
    let first_seed = plans[0].scenario.seed;
    let spec = SweepSpec {
        inputs,
        design: options.design,
        samples: options.samples,
        seeds: (0..u64::from(options.seeds))
            .map(|i| first_seed.wrapping_add(i))
            .collect(),
        sample: options.sample,
        design_seed: first_seed,
        threads: options.threads,
    };
    Ok((plans, spec))
}

/// An uncertainty file's inputs, checked against every plan: each problem placed in the
/// file and naming the plan it concerns.
fn uncertainty_file(
    src: &Source,
    plans: &[Plan],
    catalog: &Catalog,
) -> Result<Vec<Uncertain>, SetupError> {
    let invalid = |problems| {
        SetupError::Invalid(Invalid {
            label: src.label.clone(),
            text: src.text.clone(),
            problems,
        })
    };
    let (file, spans) = scenario::load_uncertainty(&src.text).map_err(invalid)?;
    let mut problems = Vec::new();
    for p in plans {
        let found = scenario::validate_uncertain(&file.uncertain, &p.scenario, catalog);
        problems.extend(spans.locate(found).into_iter().map(|mut x| {
            x.message = format!("for {}: {}", p.label, x.message);
            x
        }));
    }
    if problems.is_empty() {
        Ok(file.uncertain)
    } else {
        Err(invalid(problems))
    }
}
