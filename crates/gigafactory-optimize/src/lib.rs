//! Where and how big: which of a scenario's candidate sites to open, and how many halls of
//! which accelerator to put at each, as a mixed-integer programme solved through `good_lp`
//! by `microlp` (pure Rust, always built in) or HiGHS (the cargo feature `highs`). Costs
//! come from the facility model (`gigafactory::model::build_figures`), so an optimised
//! plan, written back as an ordinary scenario, is assessed exactly as it was priced.
//!
//! The programme: a binary per site (open or not, with an optional fixed cost), an integer
//! number of halls per site and accelerator, linear capex, opex and emissions per hall;
//! each site's rated facility power within its grid connection, the budget, the capacity
//! required, the number of sites, a CO2 cap and, if asked, one accelerator family per
//! site.

mod instance;
mod milp;
mod plan;
mod solver;

pub use instance::{Instance, Unit, candidates, instance};
pub use milp::{
    Binding, Class, Infeasible, Limits, ParetoPoint, ShadowPrice, Solution, pareto, solve,
};
pub use plan::{plan_scenario, plan_toml};
pub use solver::{Solver, SolverError};
