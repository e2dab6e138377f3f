//! `gigafactory optimize`: which candidate sites, and how many of which accelerator at
//! each; the plan written as a scenario file, the binding constraints and their shadow
//! prices, the cost–CO2 front, and, on request, the plan simulated.

use crate::output::{out, outln};
use std::path::{Path, PathBuf};
use std::time::Instant;

use gigafactory::catalog::Catalog;
use gigafactory::scenario::{self, Objective};
use gigafactory::units::eur_words;
use gigafactory_optimize::{Instance, Limits, Solution, Solver};

use crate::table::{Align, bold, eur, int, num, render};
use crate::{Failure, read_scenario, report};

/// What `optimize` was asked.
pub(crate) struct Args<'a> {
    pub scenario: &'a str,
    pub out: Option<&'a Path>,
    pub pareto: Option<usize>,
    pub solver: Solver,
    pub simulate: bool,
    pub quiet: bool,
    pub force: bool,
}

/// Where the plan goes: `--out`, else `SCENARIO-optimised.toml` here. An existing file is
/// replaced only with `--force`, and the question itself never.
fn plan_path(args: &Args<'_>) -> Result<PathBuf, Failure> {
    let out: PathBuf = args.out.map_or_else(
        || {
            let stem = Path::new(args.scenario)
                .file_stem()
                .and_then(|x| x.to_str())
                .unwrap_or("plan");
            PathBuf::from(format!("{stem}-optimised.toml"))
        },
        Path::to_path_buf,
    );
    let same = match (
        std::fs::canonicalize(&out),
        std::fs::canonicalize(args.scenario),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Failure::Input(format!(
            "error: --out {}: that is the question itself; the plan is written to another \
             file\n",
            out.display()
        )));
    }
    if out.exists() && !args.force {
        return Err(Failure::Input(format!(
            "error: {} exists; pass --force to overwrite it\n",
            out.display()
        )));
    }
    Ok(out)
}

/// The trace path for the plan at `out`: a relative path is relative to the scenario's
/// folder, so where the plan goes to another folder it names the trace absolutely.
fn trace_from(scenario: &Path, out: &Path, trace: &str) -> String {
    let t = Path::new(trace);
    if t.is_absolute() {
        return trace.to_string();
    }
    let folder = |p: &Path| {
        let d = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::canonicalize(d).ok()
    };
    let from = scenario
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if folder(scenario).is_some() && folder(scenario) == folder(out) {
        return trace.to_string();
    }
    std::path::absolute(from.join(t))
        .map_or_else(|_| trace.to_string(), |p| p.display().to_string())
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Per unit, what the objective charges per H100-equivalent hour over the horizon.
fn unit_rate(inst: &Instance, i: usize) -> f64 {
    let u = &inst.units[i];
    inst.unit_objective(u) / (u.h100_hours_per_year * inst.years).max(1e-9)
}

pub(crate) fn run(args: &Args<'_>) -> Result<(), Failure> {
    let src = read_scenario(Some(args.scenario))?;
    let catalog = Catalog::builtin();
    let loaded =
        scenario::load(&src.text).map_err(|p| Failure::Input(report(&src.label, &src.text, &p)))?;
    let problems = scenario::validate(&loaded.scenario, catalog);
    if !problems.is_empty() {
        return Err(Failure::Input(report(
            &src.label,
            &src.text,
            &loaded.spans.locate(problems),
        )));
    }
    let s = loaded.scenario;
    if s.optimize.is_none() {
        return Err(Failure::Input(format!(
            "error: {} has no [optimize] table: it says what to choose among (see the \
             README, `Where and how big`)\n",
            src.label
        )));
    }
    let out = plan_path(args)?;
    let inst = gigafactory_optimize::instance(&s, catalog)
        .map_err(|e| Failure::Input(format!("error: {}: {e}\n", src.label)))?;
    let started = Instant::now();
    let sol = gigafactory_optimize::solve(&inst, Limits::default(), args.solver)
        .map_err(|e| Failure::NoPlan(format!("{}: no plan: {e}.\n", src.label)))?;
    let solved_s = started.elapsed().as_secs_f64();
    let mut plan = gigafactory_optimize::plan_scenario(&s, &inst, &sol);
    if let Some(w) = plan.workload.as_mut() {
        w.trace = trace_from(Path::new(args.scenario), &out, &w.trace);
    }
    let toml = gigafactory_optimize::plan_toml(&plan, args.scenario)
        .map_err(|e| Failure::Run(format!("error: cannot write the plan: {e}\n")))?;
    gigafactory_report::folder::write_atomic(&out, toml.as_bytes())
        .map_err(|e| Failure::Run(format!("error: cannot write {}: {e}\n", out.display())))?;
    let front = match args.pareto {
        None => None,
        Some(n) => Some(
            gigafactory_optimize::pareto(&inst, n, args.solver)
                .map_err(|e| Failure::NoPlan(format!("{}: no plan: {e}.\n", src.label)))?,
        ),
    };
    if !args.quiet {
        out!(
            "{}",
            render_plan(&s.name, &inst, &sol, args.solver, solved_s)
        );
        if let Some(front) = &front {
            out!("{}", render_front(front));
        }
        outln!(
            "\nPlan written to {o}: an ordinary scenario (`gigafactory validate {o}`, \
             `gigafactory run {o}`).",
            o = out.display()
        );
    }
    if args.simulate {
        if !args.quiet {
            outln!("\nSimulating the plan:\n");
        }
        let path = out.to_string_lossy().to_string();
        crate::run_cmd::run_plan(&path, args.quiet)?;
    }
    Ok(())
}

fn render_plan(
    name: &str,
    inst: &Instance,
    sol: &Solution,
    solver: Solver,
    solved_s: f64,
) -> String {
    let objective = match inst.objective {
        Objective::Cost => "the lowest cost of ownership".to_string(),
        Objective::Co2 => "the least CO2".to_string(),
        Objective::Weighted => format!(
            "the lowest cost with CO2 at EUR {:.0} a tonne",
            inst.co2_price_eur_per_t
        ),
    };
    let mut out = format!(
        "{}\n  {} candidate sites × {} accelerators ({} halls of {} possible places); {objective} \
         over {} years. Solved by {} in {:.2} s.\n\n",
        bold(name),
        inst.sites.len(),
        inst.accelerators.len(),
        inst.units.len(),
        int(u64::from(inst.hall_gpus)),
        inst.years,
        solver.describe(),
        solved_s
    );
    let measure = match inst.objective {
        Objective::Co2 => "CO2 per H100-hour",
        Objective::Cost => "cost per H100-hour",
        Objective::Weighted => "weighted cost per H100-hour",
    };
    let mut rows = Vec::new();
    for (i, (u, &h)) in inst.units.iter().zip(&sol.halls).enumerate() {
        if h == 0 {
            continue;
        }
        // Why: where this site stands among all candidates for this accelerator.
        let rate = unit_rate(inst, i);
        let same: Vec<usize> = (0..inst.units.len())
            .filter(|&j| inst.units[j].accelerator == u.accelerator)
            .collect();
        let rank = 1 + same
            .iter()
            .filter(|&&j| unit_rate(inst, j) < rate - 1e-12)
            .count();
        let why = if rank == 1 {
            format!("lowest {measure} of {}", same.len())
        } else {
            format!("{} lowest {measure} of {}", ordinal(rank), same.len())
        };
        let mw: f64 = u.facility_mw * f64::from(h);
        let per_hour = (u.capex_eur + inst.years * u.opex_eur_per_year)
            / (u.h100_hours_per_year * inst.years).max(1e-9);
        rows.push(vec![
            inst.sites[u.site].clone(),
            inst.accelerators[u.accelerator].clone(),
            int(u64::from(h * inst.hall_gpus)),
            num(mw, 1),
            num(inst.grid_mw[u.site], 0),
            eur(per_hour),
            num(u.co2_t_per_year * f64::from(h), 0),
            why,
        ]);
    }
    out.push_str(&render(
        &[
            "Site",
            "Accelerator",
            "Count",
            "Facility MW",
            "Grid MW",
            "€/H100-h",
            "CO2 t/yr",
            "Why",
        ],
        &[
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
        ],
        &rows,
    ));
    out.push_str(&format!(
        "\nCapex {} · total cost over {} years {} · {} per H100-equivalent hour · {} \
         H100-equivalents · {} t CO2e a year\n",
        eur_words(sol.capex_eur),
        inst.years,
        eur_words(sol.total_cost_eur),
        eur(sol.cost_per_h100_hour_eur),
        int(sol.h100_equivalents.round() as u64),
        int(sol.co2_t_per_year.round() as u64)
    ));
    if sol.binding.is_empty() {
        out.push_str("\nNo constraint binds but the capacity asked for.\n");
    } else {
        out.push_str("\nBinding constraints:\n");
        for b in &sol.binding {
            out.push_str(&format!("  - {}\n", b.text));
        }
    }
    if !sol.shadow_prices.is_empty() {
        out.push_str("\nShadow prices (the chosen sites fixed, halls allowed in fractions):\n");
        for p in &sol.shadow_prices {
            out.push_str(&format!("  - {}\n", p.text));
        }
    }
    out
}

fn render_front(front: &[gigafactory_optimize::ParetoPoint]) -> String {
    let rows: Vec<Vec<String>> = front
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let s = &p.solution;
            vec![
                (k + 1).to_string(),
                int(p.co2_limit_t_per_year.round() as u64),
                int(s.co2_t_per_year.round() as u64),
                eur_words(s.total_cost_eur),
                eur(s.cost_per_h100_hour_eur),
                s.open.iter().filter(|o| **o).count().to_string(),
            ]
        })
        .collect();
    let mut out = String::from(
        "\nCost against CO2 (ε-constraint: the cheapest plan under each emission limit, from \
         the cheapest plan's emissions to the cleanest plan's):\n",
    );
    out.push_str(&render(
        &[
            "Point",
            "CO2 limit t/yr",
            "CO2 t/yr",
            "Total cost",
            "€/H100-h",
            "Sites",
        ],
        &[
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
        &rows,
    ));
    out
}
