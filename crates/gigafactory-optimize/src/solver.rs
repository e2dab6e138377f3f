//! The solvers the programme can be handed to, chosen at run time among those built in.
//!
//! The default build has only pure-Rust solvers, so it needs no system package: `microlp`
//! (branch and bound over a simplex) for the integer programme, and `clarabel` (an
//! interior-point method) for the linear relaxation whose dual values are the shadow
//! prices, since `microlp` gives none. HiGHS, a C++ solver much faster on large
//! instances, is built in with the cargo feature `highs` (it needs cmake and libclang)
//! and then does both.

use std::fmt;
use std::str::FromStr;

use good_lp::constraint::ConstraintReference;
use good_lp::solvers::{DualValues, SolutionWithDual};
use good_lp::variable::UnsolvedProblem;
use good_lp::{Constraint, ResolutionError, Solution as _, SolverModel, Variable};

/// The relative optimality gap at which branch and bound stops: tight enough that the
/// plan is the optimum for any figure a planner reads.
const MIP_REL_GAP: f32 = 1e-7;

/// A solver for the integer programme (and the one that gives its shadow prices).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solver {
    /// `microlp`, pure Rust: always built in. Shadow prices from `clarabel`.
    Microlp,
    /// HiGHS, C++: built in with the cargo feature `highs`.
    Highs,
}

impl Solver {
    /// Every solver this binary was built with, the best first.
    pub fn built_in() -> &'static [Solver] {
        if cfg!(feature = "highs") {
            &[Solver::Highs, Solver::Microlp]
        } else {
            &[Solver::Microlp]
        }
    }

    /// The best solver built in: HiGHS where it is, `microlp` otherwise.
    pub fn best() -> Solver {
        Solver::built_in()[0]
    }

    /// The solver's name as the command line spells it.
    pub fn name(self) -> &'static str {
        match self {
            Solver::Microlp => "microlp",
            Solver::Highs => "highs",
        }
    }

    /// The solvers used, in a planner's words (`HiGHS`, or `microlp` with `clarabel`).
    pub fn describe(self) -> &'static str {
        match self {
            Solver::Microlp => "microlp (shadow prices by clarabel)",
            Solver::Highs => "HiGHS",
        }
    }
}

impl fmt::Display for Solver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A solver name that is unknown, or known but not built into this binary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolverError {
    /// No solver of that name exists.
    #[error("unknown solver `{0}`: expected one of highs, microlp")]
    Unknown(String),
    /// HiGHS was asked for in a build without it.
    #[error(
        "this gigafactory was built without HiGHS: rebuild with `cargo build --release \
         --features highs` (needs cmake and libclang), or use `--solver microlp`"
    )]
    NotBuiltIn,
}

impl FromStr for Solver {
    type Err = SolverError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let solver = match s {
            "microlp" => Solver::Microlp,
            "highs" => Solver::Highs,
            _ => return Err(SolverError::Unknown(s.to_string())),
        };
        if Solver::built_in().contains(&solver) {
            Ok(solver)
        } else {
            Err(SolverError::NotBuiltIn)
        }
    }
}

/// A programme ready for a solver: the objective over its variables, and its rows in the
/// order their dual values are asked for.
pub(crate) struct Programme {
    pub problem: UnsolvedProblem,
    pub rows: Vec<Constraint>,
    /// Whether every variable is continuous (a relaxation): solved by an LP solver.
    pub relaxed: bool,
}

/// What a solve gives: each asked variable's value, and with `duals` each row's dual value
/// (the change in the objective per unit of the row's right-hand side).
pub(crate) struct Solved {
    pub values: Vec<f64>,
    pub duals: Vec<f64>,
}

fn add_rows<M: SolverModel>(model: &mut M, rows: Vec<Constraint>) -> Vec<ConstraintReference> {
    rows.into_iter().map(|c| model.add_constraint(c)).collect()
}

/// An integer programme: values only.
fn mip<M: SolverModel<Error = ResolutionError>>(
    mut model: M,
    rows: Vec<Constraint>,
    read: &[Variable],
) -> Result<Solved, ResolutionError> {
    add_rows(&mut model, rows);
    let sol = model.solve()?;
    Ok(Solved {
        values: read.iter().map(|&v| sol.value(v)).collect(),
        duals: Vec::new(),
    })
}

/// A linear programme: values and the rows' dual values.
fn lp<M: SolverModel<Error = ResolutionError>>(
    mut model: M,
    rows: Vec<Constraint>,
    read: &[Variable],
) -> Result<Solved, ResolutionError>
where
    M::Solution: for<'a> SolutionWithDual<'a>,
{
    let refs = add_rows(&mut model, rows);
    let mut sol = model.solve()?;
    let values = read.iter().map(|&v| sol.value(v)).collect();
    let d = sol.compute_dual();
    Ok(Solved {
        values,
        duals: refs.into_iter().map(|r| d.dual(r)).collect(),
    })
}

/// Solve `p` with `solver` (its LP partner for a relaxation), reading the values of `read`;
/// a relaxation gives the rows' dual values too.
///
/// # Errors
/// `ResolutionError::Infeasible` when no point meets the rows; others when the solver
/// fails.
pub(crate) fn solve(
    p: Programme,
    solver: Solver,
    read: &[Variable],
) -> Result<Solved, ResolutionError> {
    match solver {
        #[cfg(feature = "highs")]
        Solver::Highs => {
            let mut model = p.problem.using(good_lp::highs);
            model.set_verbose(false);
            let model = model
                .set_mip_rel_gap(MIP_REL_GAP)
                .map_err(|e| ResolutionError::Str(e.to_string()))?
                .set_threads(1);
            if p.relaxed {
                lp(model, p.rows, read)
            } else {
                mip(model, p.rows, read)
            }
        }
        #[cfg(not(feature = "highs"))]
        Solver::Highs => Err(ResolutionError::Str(SolverError::NotBuiltIn.to_string())),
        Solver::Microlp if p.relaxed => lp(p.problem.using(good_lp::clarabel), p.rows, read),
        Solver::Microlp => {
            use good_lp::solvers::WithMipGap as _;
            let model = p
                .problem
                .using(good_lp::microlp)
                .with_mip_gap(MIP_REL_GAP)
                .map_err(|e| ResolutionError::Str(e.to_string()))?;
            mip(model, p.rows, read)
        }
    }
}
