//! The optimiser against enumeration: on instances small enough to try every plan, every
//! solver built in finds the same optimum; infeasible instances name the classes that
//! conflict; shadow prices match a case worked by hand; a plan
//! from the catalogue respects every constraint.

use gigafactory::catalog::Catalog;
use gigafactory::scenario::Objective;
use gigafactory_optimize::{Class, Instance, Limits, Solution, Solver, Unit, instance};

/// A small deterministic generator (64-bit LCG), so the instances are the same each run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

/// Three sites and two accelerators (two families), up to three halls of each at each.
fn random_instance(seed: u64) -> Instance {
    let mut r = Lcg(seed);
    let sites = 3;
    let mut units = Vec::new();
    for site in 0..sites {
        for accelerator in 0..2 {
            let big = accelerator == 1;
            units.push(Unit {
                site,
                accelerator,
                capex_eur: r.range(20e6, 40e6) * if big { 2.2 } else { 1.0 },
                opex_eur_per_year: r.range(2e6, 6e6) * if big { 1.8 } else { 1.0 },
                co2_t_per_year: r.range(200.0, 6000.0) * if big { 1.6 } else { 1.0 },
                h100_equivalents: if big { 2_300.0 } else { 1_000.0 },
                facility_mw: if big { 2.0 } else { 1.3 },
                h100_hours_per_year: 0.0,
            });
        }
    }
    let mut inst = Instance {
        candidates: Vec::new(),
        sites: (0..sites).map(|i| format!("s{i}")).collect(),
        grid_mw: (0..sites).map(|_| r.range(2.5, 6.1)).collect(),
        accelerators: vec!["small".into(), "big".into()],
        families: vec!["f-small".into(), "f-big".into()],
        units,
        hall_gpus: 1000,
        years: 5.0,
        budget_eur: None,
        required_h100_equivalents: None,
        min_sites: None,
        max_sites: None,
        co2_cap_t_per_year: None,
        one_family_per_site: false,
        site_fixed_cost_eur: 0.0,
        objective: Objective::Cost,
        co2_price_eur_per_t: 0.0,
    };
    for u in &mut inst.units {
        u.h100_hours_per_year = u.h100_equivalents * 8760.0 * 0.7;
    }
    // Vary which constraints apply.
    match seed % 6 {
        0 => inst.required_h100_equivalents = Some(r.range(2_000.0, 9_000.0)),
        1 => inst.budget_eur = Some(r.range(80e6, 300e6)),
        2 => {
            inst.required_h100_equivalents = Some(r.range(2_000.0, 7_000.0));
            inst.max_sites = Some(2);
            inst.site_fixed_cost_eur = 15e6;
        }
        3 => {
            inst.required_h100_equivalents = Some(r.range(2_000.0, 7_000.0));
            inst.one_family_per_site = true;
            inst.min_sites = Some(2);
            inst.objective = Objective::Co2;
        }
        4 => {
            inst.budget_eur = Some(r.range(150e6, 300e6));
            inst.co2_cap_t_per_year = Some(r.range(3_000.0, 15_000.0));
            inst.objective = Objective::Weighted;
            inst.co2_price_eur_per_t = 150.0;
        }
        _ => {
            inst.required_h100_equivalents = Some(r.range(1_000.0, 5_000.0));
            inst.budget_eur = Some(r.range(150e6, 400e6));
            inst.co2_cap_t_per_year = Some(r.range(5_000.0, 30_000.0));
            inst.one_family_per_site = true;
        }
    }
    inst
}

struct Eval {
    feasible: bool,
    capacity: f64,
    objective: f64,
}

fn evaluate(inst: &Instance, halls: &[u32]) -> Eval {
    let n = inst.sites.len();
    let mut mw = vec![0.0; n];
    let mut fams: Vec<Vec<&str>> = vec![Vec::new(); n];
    let (mut capex, mut co2, mut cap, mut obj) = (0.0, 0.0, 0.0, 0.0);
    for (u, &h) in inst.units.iter().zip(halls) {
        let h = f64::from(h);
        mw[u.site] += u.facility_mw * h;
        capex += u.capex_eur * h;
        co2 += u.co2_t_per_year * h;
        cap += u.h100_equivalents * h;
        obj += inst.unit_objective(u) * h;
        if h > 0.0 {
            fams[u.site].push(&inst.families[u.accelerator]);
        }
    }
    let open = (0..n).filter(|&s| !fams[s].is_empty()).count();
    capex += inst.site_fixed_cost_eur * open as f64;
    obj += inst.site_objective() * open as f64;
    let mut ok = (0..n).all(|s| mw[s] <= inst.grid_mw[s] + 1e-9);
    ok &= inst.budget_eur.is_none_or(|b| capex <= b + 1e-3);
    ok &= inst
        .required_h100_equivalents
        .is_none_or(|r| cap >= r - 1e-9);
    ok &= inst.co2_cap_t_per_year.is_none_or(|c| co2 <= c + 1e-9);
    ok &= inst.min_sites.is_none_or(|m| open as u32 >= m);
    ok &= inst.max_sites.is_none_or(|m| open as u32 <= m);
    if inst.one_family_per_site {
        ok &= fams.iter().all(|f| f.iter().all(|x| *x == f[0]));
    }
    Eval {
        feasible: ok,
        capacity: cap,
        objective: obj,
    }
}

/// Every plan with up to the grid's worth of halls of each unit; the best by the
/// optimiser's rule (most capacity first when none is required, then the objective).
fn brute_force(inst: &Instance) -> Option<(f64, f64)> {
    let maxes: Vec<u32> = inst.units.iter().map(|u| inst.max_halls(u)).collect();
    let mut halls = vec![0u32; maxes.len()];
    let mut best: Option<(f64, f64)> = None;
    loop {
        let e = evaluate(inst, &halls);
        if e.feasible {
            let better = match best {
                None => true,
                Some((c, o)) => {
                    if inst.required_h100_equivalents.is_none() {
                        e.capacity > c + 1e-6 || (e.capacity > c - 1e-6 && e.objective < o)
                    } else {
                        e.objective < o
                    }
                }
            };
            if better {
                best = Some((e.capacity, e.objective));
            }
        }
        // Next combination.
        let mut i = 0;
        loop {
            if i == halls.len() {
                return best.filter(|b| inst.required_h100_equivalents.is_some() || b.0 > 0.0);
            }
            if halls[i] < maxes[i] {
                halls[i] += 1;
                break;
            }
            halls[i] = 0;
            i += 1;
        }
    }
}

/// The plan of every solver built in; they agree on the objective.
fn solve(inst: &Instance, limits: Limits) -> Result<Solution, gigafactory_optimize::Infeasible> {
    let mut answers = Solver::built_in()
        .iter()
        .map(|&s| (s, gigafactory_optimize::solve(inst, limits, s)));
    let (first, answer) = answers.next().expect("a solver is built in");
    for (other, a) in answers {
        match (&answer, &a) {
            (Ok(x), Ok(y)) => assert!(
                (x.objective - y.objective).abs() <= 1e-6 * x.objective.abs().max(1.0),
                "{first} and {other} disagree: {} against {}",
                x.objective,
                y.objective
            ),
            (Err(x), Err(y)) => assert_eq!(x.conflict, y.conflict, "{first} and {other}"),
            _ => panic!("{first} and {other} disagree on feasibility"),
        }
    }
    answer
}

#[test]
fn every_solver_built_in_finds_the_optimum_that_enumeration_finds() {
    let mut solved = 0;
    let mut infeasible = 0;
    for seed in 1..=36 {
        let inst = random_instance(seed);
        let expect = brute_force(&inst);
        match (solve(&inst, Limits::default()), expect) {
            (Ok(sol), Some((cap, obj))) => {
                let e = evaluate(&inst, &sol.halls);
                assert!(e.feasible, "seed {seed}: the plan breaks a constraint");
                assert!(
                    (e.objective - obj).abs() <= 1e-6 * obj.abs().max(1.0),
                    "seed {seed}: objective {} against {obj} by enumeration",
                    e.objective
                );
                assert!(
                    (e.capacity - cap).abs() < 1e-6 || inst.required_h100_equivalents.is_some()
                );
                assert!((sol.objective - e.objective).abs() <= 1e-6 * obj.abs().max(1.0));
                solved += 1;
            }
            (Err(_), None) => infeasible += 1,
            (Ok(_), None) => panic!("seed {seed}: a plan where enumeration found none"),
            (Err(e), Some(_)) => panic!(
                "seed {seed}: infeasible ({}), enumeration found a plan",
                e.message
            ),
        }
    }
    assert!(
        solved >= 24,
        "{solved} solved, {infeasible} infeasible: too few solved to say much"
    );
}

#[test]
fn an_infeasible_instance_names_the_constraints_that_conflict() {
    let mut inst = random_instance(6);
    inst.budget_eur = None;
    inst.co2_cap_t_per_year = None;
    inst.one_family_per_site = false;
    // More capacity than every grid connection can host.
    inst.required_h100_equivalents = Some(1e6);
    let e = solve(&inst, Limits::default()).unwrap_err();
    assert_eq!(e.conflict, [Class::Capacity, Class::Grid]);
    assert!(
        e.message.contains("required capacity") && e.message.contains("grid"),
        "{}",
        e.message
    );

    // Capacity against a budget, with room on the grid: the budget is named, not the grid.
    inst.required_h100_equivalents = Some(3_000.0);
    inst.budget_eur = Some(10e6);
    let e = solve(&inst, Limits::default()).unwrap_err();
    assert_eq!(e.conflict, [Class::Capacity, Class::Budget]);

    // A budget too small for one hall, with no capacity asked.
    inst.required_h100_equivalents = None;
    let e = solve(&inst, Limits::default()).unwrap_err();
    assert_eq!(e.conflict, [Class::Budget]);
    assert!(e.message.contains("buys no hall"), "{}", e.message);

    // Two sites at most, but three required.
    let mut inst = random_instance(6);
    inst.min_sites = Some(3);
    inst.max_sites = Some(2);
    let e = solve(&inst, Limits::default()).unwrap_err();
    assert_eq!(e.conflict, [Class::MinSites, Class::MaxSites]);
}

#[test]
fn a_catalogue_plan_respects_every_constraint_and_explains_itself() {
    let text = r#"
name = "three candidates"
start = "2027-01-01"
years = 5
[budget]
capex_eur = 3e9
[[site]]
name = "Kajaani"
country = "FI"
grid_mw = 30
[[site]]
name = "Jülich"
country = "DE"
grid_mw = 60
[[site]]
name = "Bologna"
country = "IT"
grid_mw = 40
building_cost_multiplier = 1.2
[optimize]
accelerators = ["H100", "B200"]
required_h100_equivalents = 40000
hall_gpus = 2048
max_sites = 2
co2_cap_t_per_year = 80000
"#;
    let catalog = Catalog::builtin();
    let loaded = gigafactory::scenario::load(text).unwrap();
    assert!(gigafactory::scenario::validate(&loaded.scenario, catalog).is_empty());
    let inst = instance(&loaded.scenario, catalog).unwrap();
    assert_eq!(inst.units.len(), 6);
    let sol = solve(&inst, Limits::default()).unwrap();
    let e = evaluate(&inst, &sol.halls);
    assert!(e.feasible);
    assert!(sol.h100_equivalents >= 40_000.0);
    assert!(sol.capex_eur <= 3e9);
    assert!(sol.co2_t_per_year <= 80_000.0);
    assert!(sol.open.iter().filter(|o| **o).count() <= 2);
    for s in 0..3 {
        let mw: f64 = inst
            .units
            .iter()
            .zip(&sol.halls)
            .filter(|(u, _)| u.site == s)
            .map(|(u, &h)| u.facility_mw * f64::from(h))
            .sum();
        assert!(mw <= inst.grid_mw[s] + 1e-9);
    }
    // The cheapest electricity (Finland) is full: its grid binds, with a shadow price.
    assert!(
        sol.binding
            .iter()
            .any(|b| b.class == Class::Grid && b.site == Some(0)),
        "{:?}",
        sol.binding
    );
    let kajaani = sol
        .shadow_prices
        .iter()
        .find(|p| p.class == Class::Grid && p.site == Some(0))
        .expect("a shadow price for Kajaani's grid");
    assert!(kajaani.per_unit < 0.0, "more grid there lowers the cost");
    assert!(kajaani.text.contains("another 100 MW"), "{}", kajaani.text);
    // Its plan file is an ordinary scenario that validates.
    let plan = gigafactory_optimize::plan_scenario(&loaded.scenario, &inst, &sol);
    let text = gigafactory_optimize::plan_toml(&plan, "test").unwrap();
    let again = gigafactory::scenario::load(&text).unwrap();
    assert!(gigafactory::scenario::validate(&again.scenario, catalog).is_empty());
    assert!(again.scenario.optimize.is_none());
    let gpus: u32 = again.scenario.builds.iter().map(|b| b.count).sum();
    assert_eq!(gpus, sol.halls.iter().sum::<u32>() * 2048);
}

#[test]
fn catalogue_candidates_come_with_the_headroom_given_and_the_plan_names_them() {
    let catalog = Catalog::builtin();
    let text = r#"
name = "the EuroHPC hosts"
start = "2027-01-01"
years = 5
[optimize]
candidates = "eurohpc-sites"
candidate_grid_mw = 50
accelerators = ["B200"]
required_h100_equivalents = 100000
hall_gpus = 2048
"#;
    let loaded = gigafactory::scenario::load(text).unwrap();
    assert!(gigafactory::scenario::validate(&loaded.scenario, catalog).is_empty());
    let inst = instance(&loaded.scenario, catalog).unwrap();
    assert_eq!(inst.sites.len(), catalog.sites.len());
    assert!(inst.grid_mw.iter().all(|&g| g == 50.0));
    let sol = solve(&inst, Limits::default()).unwrap();
    let plan = gigafactory_optimize::plan_scenario(&loaded.scenario, &inst, &sol);
    assert!(!plan.sites.is_empty());
    for s in &plan.sites {
        assert!(catalog.sites.iter().any(|c| c.name == s.name), "{}", s.name);
        assert_eq!(s.grid_mw, 50.0);
    }
    let again = gigafactory_optimize::plan_toml(&plan, "test").unwrap();
    let again = gigafactory::scenario::load(&again).unwrap();
    assert!(gigafactory::scenario::validate(&again.scenario, catalog).is_empty());

    // Without the headroom, validation says what is missing.
    let bad = text.replace("candidate_grid_mw = 50\n", "");
    let loaded = gigafactory::scenario::load(&bad).unwrap();
    let problems = gigafactory::scenario::validate(&loaded.scenario, catalog);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path.to_string(), "optimize.candidate_grid_mw");
}

/// Two sites of one accelerator: a cheap one whose grid holds 2.08 halls, a dear one with
/// room. Worked by hand: 3,000 H100-equivalents need three halls, two at the cheap site
/// and one at the dear one. In the relaxation the last H100-equivalent comes from the
/// dear site, so the capacity's shadow price is its cost per H100-equivalent,
/// (EUR 40 M + 5 × EUR 6 M) / 1,000 = EUR 70,000; with 100 MW more at the cheap site the
/// third hall moves there, saving EUR 70 M − EUR 50 M = EUR 20 M, EUR 200,000 per MW.
#[test]
fn shadow_prices_match_the_hand_worked_case_under_every_solver() {
    let unit = |site, capex_eur, opex_eur_per_year| Unit {
        site,
        accelerator: 0,
        capex_eur,
        opex_eur_per_year,
        co2_t_per_year: 100.0,
        h100_equivalents: 1_000.0,
        facility_mw: 1.3,
        h100_hours_per_year: 1_000.0 * 8760.0 * 0.7,
    };
    let inst = Instance {
        candidates: Vec::new(),
        sites: vec!["cheap".into(), "dear".into()],
        grid_mw: vec![2.7, 50.0],
        accelerators: vec!["x".into()],
        families: vec!["f".into()],
        units: vec![unit(0, 30e6, 4e6), unit(1, 40e6, 6e6)],
        hall_gpus: 1000,
        years: 5.0,
        budget_eur: None,
        required_h100_equivalents: Some(3_000.0),
        min_sites: None,
        max_sites: None,
        co2_cap_t_per_year: None,
        one_family_per_site: false,
        site_fixed_cost_eur: 0.0,
        objective: Objective::Cost,
        co2_price_eur_per_t: 0.0,
    };
    for &solver in Solver::built_in() {
        let sol = gigafactory_optimize::solve(&inst, Limits::default(), solver).unwrap();
        assert_eq!(sol.halls, [2, 1], "{solver}");
        assert!(
            (sol.objective - 170e6).abs() < 1.0,
            "{solver}: {}",
            sol.objective
        );
        let price = |class| {
            sol.shadow_prices
                .iter()
                .find(|p| p.class == class)
                .unwrap_or_else(|| panic!("{solver}: no {class:?} price: {:?}", sol.shadow_prices))
                .per_unit
        };
        let capacity = price(Class::Capacity);
        assert!(
            (capacity - 70_000.0).abs() < 1.0,
            "{solver}: capacity {capacity}"
        );
        let grid = price(Class::Grid);
        assert!((grid + 200_000.0).abs() < 1.0, "{solver}: grid {grid}");
    }
}
