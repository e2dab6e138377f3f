//! Checks of the `[optimize]` table.

use super::*;

/// The `[optimize]` table: accelerators the catalogue prices, consistent site counts.
pub(super) fn optimize(
    v: &mut Checks,
    o: &crate::scenario::Optimize,
    s: &Scenario,
    catalog: &Catalog,
) {
    let p = FieldPath::root().key("optimize");
    if o.accelerators.is_empty() {
        v.push(
            p.key("accelerators"),
            "expected at least one accelerator to choose among",
        );
    }
    accelerators(v, o, catalog);
    if o.hall_gpus == 0 {
        v.push(
            p.key("hall_gpus"),
            "expected at least 1 accelerator per hall, found 0",
        );
    } else if o.hall_gpus % crate::units::NODE_GPUS != 0 {
        v.push(
            p.key("hall_gpus"),
            format!(
                "expected whole {}-GPU nodes (a multiple of {}), found {}",
                crate::units::NODE_GPUS,
                crate::units::NODE_GPUS,
                o.hall_gpus
            ),
        );
    }
    if let Some(r) = o.required_h100_equivalents {
        v.above(
            p.key("required_h100_equivalents"),
            r,
            0.0,
            "a required capacity",
            "",
        );
    } else if s.budget.capex_eur.is_none() {
        v.push(
            p.clone(),
            "give `required_h100_equivalents`, or a `[budget] capex_eur` to spend",
        );
    }
    if let Some(c) = o.co2_cap_t_per_year {
        v.above(
            p.key("co2_cap_t_per_year"),
            c,
            0.0,
            "a CO2 cap",
            " t a year",
        );
    }
    if o.site_fixed_cost_eur < 0.0 {
        v.push(p.key("site_fixed_cost_eur"), "expected 0 or more EUR");
    }
    if o.objective == crate::scenario::Objective::Weighted && o.co2_price_eur_per_t.is_none() {
        v.push(
            p.key("co2_price_eur_per_t"),
            "the weighted objective needs a price per tonne of CO2e",
        );
    }
    candidate_sites(v, o, s, catalog);
}

/// The accelerators to choose among: in the catalogue, with a price.
fn accelerators(v: &mut Checks, o: &crate::scenario::Optimize, catalog: &Catalog) {
    let p = FieldPath::root().key("optimize");
    for (i, a) in o.accelerators.iter().enumerate() {
        match catalog.accelerator(a) {
            None => {
                let ids = catalog.accelerators.iter().map(|x| x.id.as_str());
                let hint = did_you_mean(a, ids.clone())
                    .map(|m| format!(" (did you mean \"{m}\"?)"))
                    .unwrap_or_default();
                v.push(
                    p.key("accelerators").index(i),
                    format!(
                        "unknown accelerator \"{a}\"{hint}; expected one of: {}",
                        ids.collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            Some(x) if x.price_usd_low.is_none() => v.push(
                p.key("accelerators").index(i),
                format!(
                    "the catalogue has no price for {}, so it cannot be costed",
                    x.id
                ),
            ),
            Some(_) => {}
        }
    }
}

/// The candidate sites: a grid headroom for the catalogue's, and site counts that the
/// candidates can meet.
fn candidate_sites(v: &mut Checks, o: &crate::scenario::Optimize, s: &Scenario, catalog: &Catalog) {
    let p = FieldPath::root().key("optimize");
    let n = match o.candidates {
        crate::scenario::Candidates::Scenario => s.sites.len() as u32,
        crate::scenario::Candidates::EurohpcSites => catalog.sites.len() as u32,
        crate::scenario::Candidates::Countries => catalog
            .countries
            .iter()
            .filter(|c| c.code != "EU27")
            .count() as u32,
    };
    if o.candidates != crate::scenario::Candidates::Scenario {
        match o.candidate_grid_mw {
            None => v.push(
                p.key("candidate_grid_mw"),
                "catalogue candidates need a grid headroom each, in MW: no source publishes it",
            ),
            Some(mw) => v.above(
                p.key("candidate_grid_mw"),
                mw,
                0.0,
                "a grid headroom",
                " MW",
            ),
        }
    }
    if let Some(min) = o.min_sites {
        if min > n {
            v.push(
                p.key("min_sites"),
                format!(
                    "at least {min} sites asked for, but there {}",
                    if n == 1 {
                        "is only 1 candidate".to_string()
                    } else {
                        format!("are only {n} candidates")
                    }
                ),
            );
        }
        if let Some(max) = o.max_sites {
            if max < min {
                v.push(
                    p.key("max_sites"),
                    format!("{max} is below min_sites = {min}"),
                );
            }
        }
    }
    if o.max_sites == Some(0) {
        v.push(p.key("max_sites"), "expected at least 1 site");
    }
}
