//! The optimiser's size target (issue 7): 60 candidate sites × 6 accelerators solved in
//! under 10 s.
//!
//! `cargo bench -p gigafactory-optimize --bench solve` builds the instance from the
//! catalogue (the 60 candidates: each catalogue country's electricity price and carbon
//! intensity, at three grid connections of 80, 160 and 320 MW and building costs of 0.9,
//! 1.0 and 1.15 times the catalogue's, the first 60 of those), asks for 650,000
//! H100-equivalents in halls of 4,096 within EUR 20 bn on at most 5 sites, one family
//! per site, and prints the median solve time of 3 and the plan's figures; `-- pareto`
//! adds a 5-point cost–CO2 front.

use std::fmt::Write as _;
use std::time::Instant;

use gigafactory::catalog::Catalog;
use gigafactory_optimize::{Limits, Solver, instance, pareto, solve};

fn scenario(catalog: &Catalog) -> String {
    let mut t = String::from(
        "name = \"60 candidates\"\nstart = \"2027-01-01\"\nyears = 5\n\
         [budget]\ncapex_eur = 20e9\n",
    );
    let mut n = 0;
    'outer: for (k, (mw, building)) in [(80.0, 0.9), (160.0, 1.0), (320.0, 1.15)]
        .iter()
        .enumerate()
    {
        for c in catalog.countries.iter().filter(|c| c.code != "EU27") {
            writeln!(
                t,
                "[[site]]\nname = \"{}-{k}\"\ncountry = \"{}\"\ngrid_mw = {mw}\n\
                 building_cost_multiplier = {building}",
                c.code, c.code
            )
            .unwrap();
            n += 1;
            if n == 60 {
                break 'outer;
            }
        }
    }
    t.push_str(
        "[optimize]\naccelerators = [\"H100\", \"H200\", \"B200\", \"GB200\", \"B300\", \
         \"GB300\"]\nrequired_h100_equivalents = 650000\nhall_gpus = 4096\nmax_sites = 5\n\
         one_family_per_site = true\n",
    );
    t
}

fn main() {
    let with_pareto = std::env::args().any(|a| a == "pareto");
    let catalog = Catalog::builtin();
    let text = scenario(catalog);
    let loaded = gigafactory::scenario::load(&text).expect("the bench scenario loads");
    let problems = gigafactory::scenario::validate(&loaded.scenario, catalog);
    assert!(problems.is_empty(), "{problems:?}");
    let inst = instance(&loaded.scenario, catalog).expect("priced");
    assert_eq!((inst.sites.len(), inst.accelerators.len()), (60, 6));
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..3 {
        let t = Instant::now();
        let sol = solve(&inst, Limits::default(), Solver::best()).expect("feasible");
        times.push(t.elapsed().as_secs_f64());
        last = Some(sol);
    }
    times.sort_by(f64::total_cmp);
    let sol = last.expect("solved");
    println!(
        "60 sites x 6 accelerators: median {:.2} s of 3 (min {:.2}, max {:.2}); {} sites, \
         {:.0} H100-equivalents, EUR {:.2} bn capex, EUR {:.3} per H100-hour",
        times[1],
        times[0],
        times[2],
        sol.open.iter().filter(|o| **o).count(),
        sol.h100_equivalents,
        sol.capex_eur / 1e9,
        sol.cost_per_h100_hour_eur
    );
    if with_pareto {
        let t = Instant::now();
        let front = pareto(&inst, 5, Solver::best()).expect("feasible");
        println!(
            "5-point cost-CO2 front: {:.2} s; CO2 from {:.0} to {:.0} t a year",
            t.elapsed().as_secs_f64(),
            front[0].solution.co2_t_per_year,
            front[front.len() - 1].solution.co2_t_per_year
        );
    }
}
