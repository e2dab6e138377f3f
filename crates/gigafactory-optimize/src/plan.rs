//! An optimal plan written back as an ordinary scenario: the opened sites, a build phase
//! per site and accelerator, everything else (tenants, economics, scheduler) as given.

use gigafactory::scenario::{Build, Scenario};

use crate::instance::Instance;
use crate::milp::Solution;

/// The scenario of a plan: `s` with the opened sites and the chosen halls as build
/// phases online at the start, and no `[optimize]` table.
pub fn plan_scenario(s: &Scenario, inst: &Instance, sol: &Solution) -> Scenario {
    let mut p = s.clone();
    p.optimize = None;
    p.sites = inst
        .candidates
        .iter()
        .enumerate()
        .filter(|(i, _)| sol.open[*i])
        .map(|(_, x)| x.clone())
        .collect();
    p.builds = inst
        .units
        .iter()
        .zip(&sol.halls)
        .filter(|(_, h)| **h > 0)
        .map(|(u, &h)| Build {
            site: inst.sites[u.site].clone(),
            accelerator: inst.accelerators[u.accelerator].clone(),
            count: h * inst.hall_gpus,
            online: Some(s.start),
            ordered: None,
            lead_time_months: None,
            life_years: None,
            price_usd: None,
            relative_throughput: None,
        })
        .collect();
    p.name = format!("{} (optimised)", s.name);
    p.description = Some(format!(
        "Written by `gigafactory optimize`: {} halls of {} accelerators at {} of {} candidate \
         sites, {:.0} H100-equivalents.",
        sol.halls.iter().sum::<u32>(),
        inst.hall_gpus,
        sol.open.iter().filter(|o| **o).count(),
        inst.sites.len(),
        sol.h100_equivalents
    ));
    p
}

/// The plan as TOML, with a header saying where it came from.
///
/// # Errors
/// The scenario cannot be written as TOML (it always can: it was read from TOML).
pub fn plan_toml(p: &Scenario, source: &str) -> Result<String, toml::ser::Error> {
    let body = toml::to_string(p)?;
    Ok(format!(
        "# Written by `gigafactory optimize {source}` (gigafactory {}).\n\
         # An ordinary scenario: check it with `gigafactory validate`, run it with\n\
         # `gigafactory run`.\n\n{body}",
        env!("CARGO_PKG_VERSION")
    ))
}
