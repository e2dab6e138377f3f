//! The mixed-integer programme, its solution, the constraints that bind with their shadow
//! prices, the cost–CO2 front, and infeasibility reduced to the classes of constraints
//! that conflict.

use gigafactory::scenario::Objective;
use good_lp::{Expression, ProblemVariables, ResolutionError, Variable, constraint, variable};

use crate::instance::Instance;
use crate::solver::{self, Programme, Solver};

mod describe;
use describe::describe;

/// Money in the programme is in millions of euros, to keep coefficients near 1.
const M: f64 = 1e6;

/// The bound on halls of a unit where no grid connection gives one.
const UNBOUNDED_HALLS: f64 = 1e6;

/// A class of constraints: the unit of an infeasibility report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// The capacity required.
    Capacity,
    /// The capex budget.
    Budget,
    /// Each site's grid connection.
    Grid,
    /// The fewest sites.
    MinSites,
    /// The most sites.
    MaxSites,
    /// The CO2 cap.
    Co2Cap,
    /// One accelerator family per site.
    OneFamily,
}

impl Class {
    const ALL: [Class; 7] = [
        Class::Capacity,
        Class::Budget,
        Class::Grid,
        Class::MinSites,
        Class::MaxSites,
        Class::Co2Cap,
        Class::OneFamily,
    ];

    /// The constraint in a planner's words, with its figure.
    pub fn describe(self, inst: &Instance) -> String {
        match self {
            Class::Capacity => format!(
                "the required capacity ({:.0} H100-equivalents)",
                inst.required_h100_equivalents.unwrap_or(0.0)
            ),
            Class::Budget => format!(
                "the budget ({})",
                gigafactory::units::eur_words(inst.budget_eur.unwrap_or(0.0))
            ),
            Class::Grid => format!(
                "the sites' grid connections ({:.0} MW in all)",
                inst.grid_mw.iter().sum::<f64>()
            ),
            Class::MinSites => sites("at least", inst.min_sites.unwrap_or(0)),
            Class::MaxSites => sites("at most", inst.max_sites.unwrap_or(0)),
            Class::Co2Cap => format!(
                "the CO2 cap ({:.0} t a year)",
                inst.co2_cap_t_per_year.unwrap_or(0.0)
            ),
            Class::OneFamily => "one accelerator family per site".into(),
        }
    }

    fn applies(self, inst: &Instance) -> bool {
        match self {
            Class::Capacity => inst.required_h100_equivalents.is_some(),
            Class::Budget => inst.budget_eur.is_some(),
            Class::Grid => true,
            Class::MinSites => inst.min_sites.is_some_and(|m| m > 0),
            Class::MaxSites => inst.max_sites.is_some(),
            Class::Co2Cap => inst.co2_cap_t_per_year.is_some(),
            Class::OneFamily => inst.one_family_per_site,
        }
    }
}

/// Extra bounds, for the trade-off curve and for spending the budget.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// Emissions at most this, t a year (the ε of the ε-constraint method).
    pub co2_max_t_per_year: Option<f64>,
    /// Capacity at least this, H100-equivalents (overrides the instance's).
    pub capacity_min: Option<f64>,
}

/// A constraint that holds with no room for another hall.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// Which.
    pub class: Class,
    /// The site, for a grid connection.
    pub site: Option<usize>,
    /// In words.
    pub text: String,
}

/// What one more unit of a limit is worth, from the linear relaxation with the chosen
/// sites fixed (halls continuous).
#[derive(Debug, Clone, PartialEq)]
pub struct ShadowPrice {
    /// Which.
    pub class: Class,
    /// The site, for a grid connection.
    pub site: Option<usize>,
    /// Change in the objective per unit of the limit (negative: the objective falls as
    /// the limit is relaxed), objective units (EUR, or t for `co2`) per MW, per EUR or per
    /// H100-equivalent.
    pub per_unit: f64,
    /// In words.
    pub text: String,
}

/// An optimal plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Halls per unit (in the order of [`Instance::units`]).
    pub halls: Vec<u32>,
    /// Sites opened.
    pub open: Vec<bool>,
    /// The objective: EUR over the horizon (cost, weighted) or t CO2e (co2).
    pub objective: f64,
    /// Capex, with site fixed costs, EUR.
    pub capex_eur: f64,
    /// Capex plus opex over the horizon, with site fixed costs, EUR.
    pub total_cost_eur: f64,
    /// Emissions a year, t.
    pub co2_t_per_year: f64,
    /// H100-equivalents.
    pub h100_equivalents: f64,
    /// H100-equivalent hours a year at the assumed utilisation.
    pub h100_hours_per_year: f64,
    /// Total cost over the H100-equivalent hours of the horizon, EUR.
    pub cost_per_h100_hour_eur: f64,
    /// Constraints that bind.
    pub binding: Vec<Binding>,
    /// Shadow prices of the budget, the capacity and each binding grid connection.
    pub shadow_prices: Vec<ShadowPrice>,
}

/// Why there is no plan.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct Infeasible {
    /// The smallest set of constraint classes that cannot hold together (each one
    /// dropped makes the rest feasible).
    pub conflict: Vec<Class>,
    /// In words.
    pub message: String,
}

enum Goal {
    Objective,
    MaxCapacity,
    Feasible,
}

/// A programme with the variables and rows that are read back (rows by their index in
/// [`Programme::rows`]).
struct Built {
    programme: Programme,
    halls: Vec<Variable>,
    grid: Vec<usize>,
    budget: Option<usize>,
    capacity: Option<usize>,
}

fn sum(terms: impl Iterator<Item = Expression>) -> Expression {
    terms.fold(Expression::from(0.0), |a, b| a + b)
}

/// The programme over the constraint classes `on`; with `fixed_open`, the linear
/// relaxation with the sites fixed (for shadow prices).
fn build(
    inst: &Instance,
    on: &[Class],
    limits: Limits,
    goal: &Goal,
    fixed_open: Option<&[bool]>,
) -> Built {
    let mut vars = ProblemVariables::new();
    let relaxed = fixed_open.is_some();
    // Whether a site's being open matters of itself: a fixed cost, or a count of sites.
    // Where it does not, `open` may be continuous: any solution can be made integral by
    // opening exactly the sites with halls, at no change in the objective, and branch
    // and bound is spared a binary per site that changes nothing.
    let open_matters = inst.site_fixed_cost_eur > 0.0
        || (on.contains(&Class::MinSites) && inst.min_sites.is_some())
        || (on.contains(&Class::MaxSites) && inst.max_sites.is_some());
    let open: Vec<Variable> = (0..inst.sites.len())
        .map(|s| match fixed_open {
            Some(f) => {
                let v = if f[s] { 1.0 } else { 0.0 };
                vars.add(variable().min(v).max(v))
            }
            None if open_matters => vars.add(variable().binary()),
            None => vars.add(variable().min(0.0).max(1.0)),
        })
        .collect();
    // The integer programme bounds each unit by what its site's grid holds (a tighter
    // formulation); the relaxation leaves that to the grid rows, whose duals are wanted,
    // and with the grid class off nothing bounds it but the other constraints.
    let grid_on = on.contains(&Class::Grid);
    let bound = |u: &crate::Unit| {
        if grid_on && !relaxed {
            f64::from(inst.max_halls(u))
        } else {
            UNBOUNDED_HALLS
        }
    };
    let halls: Vec<Variable> = inst
        .units
        .iter()
        .map(|u| {
            let v = variable().min(0.0).max(bound(u));
            vars.add(if relaxed { v } else { v.integer() })
        })
        .collect();
    let fam_names: Vec<&String> = {
        let mut f: Vec<&String> = inst.families.iter().collect();
        f.sort();
        f.dedup();
        f
    };
    let one_family = on.contains(&Class::OneFamily) && !relaxed;
    let fam: Vec<Vec<Variable>> = if one_family {
        (0..inst.sites.len())
            .map(|_| {
                fam_names
                    .iter()
                    .map(|_| vars.add(variable().binary()))
                    .collect()
            })
            .collect()
    } else {
        Vec::new()
    };
    let capacity_expr = || {
        sum(inst
            .units
            .iter()
            .zip(&halls)
            .map(|(u, &h)| u.h100_equivalents * h))
    };
    let objective = match goal {
        Goal::Objective => {
            let scale = if inst.objective == Objective::Co2 {
                1.0
            } else {
                1.0 / M
            };
            sum(inst
                .units
                .iter()
                .zip(&halls)
                .map(|(u, &h)| inst.unit_objective(u) * scale * h))
                + sum(open.iter().map(|&o| inst.site_objective() * scale * o))
        }
        Goal::MaxCapacity => capacity_expr() * 1e-3,
        Goal::Feasible => Expression::from(0.0),
    };
    let problem = match goal {
        Goal::MaxCapacity => vars.maximise(objective),
        _ => vars.minimise(objective),
    };
    let v = Vars {
        open: &open,
        halls: &halls,
        fam: &fam,
        fam_names: &fam_names,
        one_family,
        relaxed,
        grid_on,
    };
    let mut rows = Rows(Vec::new());
    let grid = site_rows(inst, &v, &mut rows);
    let (budget, capacity) = limit_rows(inst, on, limits, &v, &mut rows);
    Built {
        programme: Programme {
            problem,
            rows: rows.0,
            relaxed,
        },
        halls,
        grid,
        budget,
        capacity,
    }
}

/// The programme's variables, for writing its rows.
struct Vars<'a> {
    open: &'a [Variable],
    halls: &'a [Variable],
    fam: &'a [Vec<Variable>],
    fam_names: &'a [&'a String],
    one_family: bool,
    relaxed: bool,
    grid_on: bool,
}

impl Vars<'_> {
    /// The bound on a unit's halls: what its site's grid holds in the integer programme
    /// with the grid class on (a tighter formulation); else none.
    fn bound(&self, inst: &Instance, u: &crate::Unit) -> f64 {
        if self.grid_on && !self.relaxed {
            f64::from(inst.max_halls(u))
        } else {
            UNBOUNDED_HALLS
        }
    }
}

/// The programme's rows, each known by its index.
struct Rows(Vec<good_lp::Constraint>);

impl Rows {
    fn add(&mut self, c: good_lp::Constraint) -> usize {
        self.0.push(c);
        self.0.len() - 1
    }
}

/// Each site's rows: its halls' rated facility power within its grid connection (all of
/// it if the grid class is off, where the connection only opens the site), open only
/// where something stands, and one accelerator family where asked. The grid rows'
/// indexes, by site.
fn site_rows(inst: &Instance, v: &Vars<'_>, rows: &mut Rows) -> Vec<usize> {
    let mut grid = Vec::new();
    for s in 0..inst.sites.len() {
        let at: Vec<usize> = (0..inst.units.len())
            .filter(|&i| inst.units[i].site == s)
            .collect();
        let mw = sum(at.iter().map(|&i| inst.units[i].facility_mw * v.halls[i]));
        let cap = if v.grid_on { inst.grid_mw[s] } else { 1e9 };
        grid.push(rows.add(constraint!(mw - cap * v.open[s] <= 0.0)));
        if !v.relaxed {
            let n = sum(at.iter().map(|&i| Expression::from(v.halls[i])));
            rows.add(constraint!(v.open[s] - n <= 0.0));
        }
        if v.one_family {
            let f = &v.fam[s];
            rows.add(constraint!(
                sum(f.iter().map(|&v| Expression::from(v))) <= 1.0
            ));
            for &i in &at {
                let k = v
                    .fam_names
                    .iter()
                    .position(|n| **n == inst.families[inst.units[i].accelerator])
                    .expect("a family");
                let big = v.bound(inst, &inst.units[i]);
                rows.add(constraint!(v.halls[i] - big * f[k] <= 0.0));
            }
        }
    }
    grid
}

/// The budget, capacity, site-count and CO2 rows (with their cuts); the budget's and
/// the capacity's indexes.
fn limit_rows(
    inst: &Instance,
    on: &[Class],
    limits: Limits,
    v: &Vars<'_>,
    rows: &mut Rows,
) -> (Option<usize>, Option<usize>) {
    let mut budget = None;
    if let (true, Some(b)) = (on.contains(&Class::Budget), inst.budget_eur) {
        let capex = sum(inst
            .units
            .iter()
            .zip(v.halls)
            .map(|(u, &h)| u.capex_eur / M * h))
            + sum(v.open.iter().map(|&o| inst.site_fixed_cost_eur / M * o));
        budget = Some(rows.add(constraint!(capex <= b / M)));
        if !v.relaxed {
            let fixed = (inst.site_fixed_cost_eur, v.open);
            for c in cuts(
                inst,
                v.halls,
                |u| u.capex_eur,
                Some(fixed),
                b,
                Sense::AtMost,
            ) {
                rows.add(c);
            }
        }
    }
    let mut capacity = None;
    let required = limits.capacity_min.or(inst.required_h100_equivalents);
    if let (true, Some(r)) = (
        on.contains(&Class::Capacity) || limits.capacity_min.is_some(),
        required,
    ) {
        capacity = Some(rows.add(constraint!(
            sum(inst.units.iter().zip(v.halls).map(|(u, &h)| u.h100_equivalents * h)) >= r
        )));
        if !v.relaxed {
            for c in cuts(
                inst,
                v.halls,
                |u| u.h100_equivalents,
                None,
                r,
                Sense::AtLeast,
            ) {
                rows.add(c);
            }
        }
    }
    let n_open = || sum(v.open.iter().map(|&o| Expression::from(o)));
    if let (true, Some(m)) = (on.contains(&Class::MinSites), inst.min_sites) {
        rows.add(constraint!(n_open() >= f64::from(m)));
    }
    if let (true, Some(m)) = (on.contains(&Class::MaxSites), inst.max_sites) {
        rows.add(constraint!(n_open() <= f64::from(m)));
    }
    let co2 = || {
        sum(inst
            .units
            .iter()
            .zip(v.halls)
            .map(|(u, &h)| u.co2_t_per_year * h))
    };
    let caps = [
        inst.co2_cap_t_per_year
            .filter(|_| on.contains(&Class::Co2Cap)),
        limits.co2_max_t_per_year,
    ];
    for c in caps.into_iter().flatten() {
        rows.add(constraint!(co2() <= c));
        if !v.relaxed {
            for c in cuts(inst, v.halls, |u| u.co2_t_per_year, None, c, Sense::AtMost) {
                rows.add(c);
            }
        }
    }
    (budget, capacity)
}

#[derive(Clone, Copy, PartialEq)]
enum Sense {
    AtLeast,
    AtMost,
}

/// Chvátal–Gomory cuts of the row Σ a_u halls_u (+ f Σ open) ≥ or ≤ r, one for each
/// distinct unit coefficient d: with halls whole, Σ ⌈a_u / d⌉ halls_u ≥ ⌈r / d⌉ (for ≤,
/// floors on both sides; `open` binary wherever f > 0). Valid for every integer plan, so
/// the optimum is unchanged; they close the gap that rounding leaves in the relaxation,
/// which branch and bound alone closes only slowly where sites are alike. The right side
/// is moved a hair towards the weaker cut, so that rounding error cannot make it invalid.
fn cuts(
    inst: &Instance,
    halls: &[Variable],
    a: impl Fn(&crate::Unit) -> f64,
    fixed: Option<(f64, &[Variable])>,
    r: f64,
    sense: Sense,
) -> Vec<good_lp::Constraint> {
    let round = |x: f64| match sense {
        Sense::AtLeast => x.ceil(),
        Sense::AtMost => x.floor(),
    };
    distinct(inst.units.iter().map(&a))
        .into_iter()
        .map(|d| {
            let mut lhs = sum(inst
                .units
                .iter()
                .zip(halls)
                .map(|(u, &h)| round(a(u) / d) * h));
            if let Some((f, open)) = fixed {
                lhs += sum(open.iter().map(|&o| round(f / d) * o));
            }
            let hair = 1e-9 * (r / d).abs().max(1.0);
            match sense {
                Sense::AtLeast => constraint!(lhs >= round(r / d - hair)),
                Sense::AtMost => constraint!(lhs <= round(r / d + hair)),
            }
        })
        .collect()
}

/// The distinct positive values, for the cuts' divisors.
fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.filter(|x| *x > 0.0).collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

fn active(inst: &Instance) -> Vec<Class> {
    Class::ALL.into_iter().filter(|c| c.applies(inst)).collect()
}

/// Solve the programme over `on`: halls and sites, or `None` if infeasible.
fn run(
    inst: &Instance,
    on: &[Class],
    limits: Limits,
    goal: &Goal,
    solver: Solver,
) -> Option<(Vec<u32>, Vec<bool>)> {
    let b = build(inst, on, limits, goal, None);
    match solver::solve(b.programme, solver, &b.halls) {
        Ok(sol) => {
            let halls: Vec<u32> = sol.values.iter().map(|&h| h.round() as u32).collect();
            // Open exactly where halls stand (see `open_matters` in `build`).
            let open = (0..inst.sites.len())
                .map(|s| {
                    inst.units
                        .iter()
                        .zip(&halls)
                        .any(|(u, &h)| u.site == s && h > 0)
                })
                .collect();
            Some((halls, open))
        }
        Err(ResolutionError::Infeasible) => None,
        Err(e) => panic!("{} failed on a bounded programme: {e}", solver.describe()),
    }
}

/// The optimal plan under the instance's constraints and `limits`.
///
/// # Errors
/// No plan meets every constraint: the conflicting classes, in words.
pub fn solve(inst: &Instance, limits: Limits, solver: Solver) -> Result<Solution, Infeasible> {
    let on = active(inst);
    let mut limits = limits;
    if inst.required_h100_equivalents.is_none() && limits.capacity_min.is_none() {
        // As much capacity as the budget buys, then the best plan of that capacity.
        let Some((halls, _)) = run(inst, &on, limits, &Goal::MaxCapacity, solver) else {
            return Err(diagnose(inst, &on, limits, solver));
        };
        let most: f64 = inst
            .units
            .iter()
            .zip(&halls)
            .map(|(u, &h)| u.h100_equivalents * f64::from(h))
            .sum();
        if most <= 0.0 {
            let cheapest = inst
                .units
                .iter()
                .map(|u| u.capex_eur + inst.site_fixed_cost_eur)
                .fold(f64::INFINITY, f64::min);
            return Err(Infeasible {
                conflict: vec![Class::Budget],
                message: format!(
                    "the budget ({}) buys no hall: the cheapest costs {}",
                    gigafactory::units::eur_words(inst.budget_eur.unwrap_or(0.0)),
                    gigafactory::units::eur_words(cheapest)
                ),
            });
        }
        limits.capacity_min = Some(most - 1e-6 * most.max(1.0));
    }
    let Some((halls, open)) = run(inst, &on, limits, &Goal::Objective, solver) else {
        return Err(diagnose(inst, &on, limits, solver));
    };
    Ok(describe(inst, &on, limits, halls, open, solver))
}

fn objective_name(o: Objective) -> &'static str {
    match o {
        Objective::Cost => "cost",
        Objective::Co2 => "emissions",
        Objective::Weighted => "weighted cost",
    }
}

/// The objective of a plan, in the instance's units.
fn objective_of(inst: &Instance, halls: &[u32], open: &[bool]) -> f64 {
    inst.site_objective() * open.iter().filter(|o| **o).count() as f64
        + inst
            .units
            .iter()
            .zip(halls)
            .map(|(u, &h)| inst.unit_objective(u) * f64::from(h))
            .sum::<f64>()
}

/// The smallest set of constraint classes that conflict: drop each class in turn and
/// keep it out if the rest are still infeasible (a deletion filter over classes).
fn diagnose(inst: &Instance, on: &[Class], limits: Limits, solver: Solver) -> Infeasible {
    let mut set: Vec<Class> = on.to_vec();
    for c in on {
        let without: Vec<Class> = set.iter().copied().filter(|x| x != c).collect();
        if run(inst, &without, limits, &Goal::Feasible, solver).is_none() {
            set = without;
        }
    }
    let words: Vec<String> = set.iter().map(|c| c.describe(inst)).collect();
    let message = match words.len() {
        0 => "no plan meets the limits given to this run".to_string(),
        1 => format!("no plan can meet {}", words[0]),
        _ => format!(
            "no plan meets all of these at once: {}; dropping or easing any one of them \
             makes a plan possible",
            words.join(", ")
        ),
    };
    Infeasible {
        conflict: set,
        message,
    }
}

/// One point of the cost–CO2 front.
#[derive(Debug, Clone, PartialEq)]
pub struct ParetoPoint {
    /// The emission limit the point was found at, t a year.
    pub co2_limit_t_per_year: f64,
    /// The plan.
    pub solution: Solution,
}

/// `n` points of the front between the cheapest plan and the cleanest, by the
/// ε-constraint method: the cheapest plan under emission limits spaced evenly between
/// the two plans' emissions.
///
/// # Errors
/// The instance is infeasible.
pub fn pareto(inst: &Instance, n: usize, solver: Solver) -> Result<Vec<ParetoPoint>, Infeasible> {
    let mut cost = inst.clone();
    cost.objective = Objective::Cost;
    let mut clean = inst.clone();
    clean.objective = Objective::Co2;
    let cheapest = solve(&cost, Limits::default(), solver)?;
    let cleanest = solve(&clean, Limits::default(), solver)?;
    let (hi, lo) = (cheapest.co2_t_per_year, cleanest.co2_t_per_year);
    let mut points = Vec::with_capacity(n);
    for k in 0..n.max(1) {
        let eps = if n <= 1 {
            hi
        } else {
            hi - (hi - lo) * k as f64 / (n - 1) as f64
        };
        let limits = Limits {
            co2_max_t_per_year: Some(eps + 1e-6 * eps.abs().max(1.0)),
            capacity_min: None,
        };
        let solution = solve(&cost, limits, solver)?;
        points.push(ParetoPoint {
            co2_limit_t_per_year: eps,
            solution,
        });
    }
    Ok(points)
}

/// "at least 1 site", "at most 3 sites".
fn sites(bound: &str, n: u32) -> String {
    format!("{bound} {n} site{}", if n == 1 { "" } else { "s" })
}
