//! What a solved plan says: its figures, the constraints that bind, and what easing each
//! is worth (shadow prices of the linear relaxation with the chosen sites fixed).

use super::*;

/// Figures, binding constraints and shadow prices of a plan.
pub(super) fn describe(
    inst: &Instance,
    on: &[Class],
    limits: Limits,
    halls: Vec<u32>,
    open: Vec<bool>,
    solver: Solver,
) -> Solution {
    let mut capex = inst.site_fixed_cost_eur * open.iter().filter(|o| **o).count() as f64;
    let (mut opex, mut co2, mut h100, mut hours) = (0.0, 0.0, 0.0, 0.0);
    let mut objective = inst.site_objective() * open.iter().filter(|o| **o).count() as f64;
    for (u, &h) in inst.units.iter().zip(&halls) {
        let h = f64::from(h);
        capex += u.capex_eur * h;
        opex += u.opex_eur_per_year * h;
        co2 += u.co2_t_per_year * h;
        h100 += u.h100_equivalents * h;
        hours += u.h100_hours_per_year * h;
        objective += inst.unit_objective(u) * h;
    }
    let total = capex + inst.years * opex;
    let mut binding = Vec::new();
    let smallest = |f: &dyn Fn(&crate::Unit) -> f64, site: Option<usize>| {
        inst.units
            .iter()
            .filter(|u| site.is_none_or(|s| u.site == s))
            .map(f)
            .fold(f64::INFINITY, f64::min)
    };
    for (s, &is_open) in open.iter().enumerate() {
        let used: f64 = inst
            .units
            .iter()
            .zip(&halls)
            .filter(|(u, _)| u.site == s)
            .map(|(u, &h)| u.facility_mw * f64::from(h))
            .sum();
        if is_open && inst.grid_mw[s] - used < smallest(&|u| u.facility_mw, Some(s)) {
            binding.push(Binding {
                class: Class::Grid,
                site: Some(s),
                text: format!(
                    "the grid connection at {} ({:.1} of {:.0} MW used: no room for another hall)",
                    inst.sites[s], used, inst.grid_mw[s]
                ),
            });
        }
    }
    if let Some(b) = inst.budget_eur {
        if b - capex < smallest(&|u| u.capex_eur, None) {
            binding.push(Binding {
                class: Class::Budget,
                site: None,
                text: format!(
                    "the budget ({} of {} spent: no room for another hall)",
                    gigafactory::units::eur_words(capex),
                    gigafactory::units::eur_words(b)
                ),
            });
        }
    }
    if let Some(c) = inst.co2_cap_t_per_year {
        if c - co2 < smallest(&|u| u.co2_t_per_year, None) {
            binding.push(Binding {
                class: Class::Co2Cap,
                site: None,
                text: format!("the CO2 cap ({co2:.0} of {c:.0} t a year)"),
            });
        }
    }
    let n = open.iter().filter(|o| **o).count() as u32;
    if inst.max_sites == Some(n) {
        binding.push(Binding {
            class: Class::MaxSites,
            site: None,
            text: format!("at most {n} sites"),
        });
    }
    if inst.min_sites == Some(n) && n > 0 {
        binding.push(Binding {
            class: Class::MinSites,
            site: None,
            text: format!("at least {n} sites"),
        });
    }
    let mut shadow_prices = shadow_prices(inst, on, limits, &open, solver);
    // Integrality can make a grid connection bind where the relaxation has room: for each
    // binding one, the programme solved again with 100 MW more there says what it is
    // worth to the plan as it must be built, in whole halls.
    for bnd in binding.iter().filter(|b| b.class == Class::Grid) {
        let s = bnd.site.expect("a grid binding names its site");
        let mut more = inst.clone();
        more.grid_mw[s] += 100.0;
        let Some((h2, o2)) = run(&more, on, limits, &Goal::Objective, solver) else {
            continue;
        };
        let saving = objective - objective_of(&more, &h2, &o2);
        if saving.abs() > 1e-6 * objective.abs().max(1.0) {
            let words = if inst.objective == Objective::Co2 {
                format!("{:.0} t CO2e", saving.abs())
            } else {
                gigafactory::units::eur_words(saving.abs())
            };
            shadow_prices.retain(|p| !(p.class == Class::Grid && p.site == Some(s)));
            shadow_prices.push(ShadowPrice {
                class: Class::Grid,
                site: Some(s),
                per_unit: -saving / 100.0,
                text: format!(
                    "another 100 MW of grid connection at {} would {} the {} over the horizon \
                     by {words} (the plan re-solved in whole halls)",
                    inst.sites[s],
                    if saving > 0.0 { "cut" } else { "raise" },
                    objective_name(inst.objective)
                ),
            });
        }
    }
    Solution {
        halls,
        open,
        objective,
        capex_eur: capex,
        total_cost_eur: total,
        co2_t_per_year: co2,
        h100_equivalents: h100,
        h100_hours_per_year: hours,
        cost_per_h100_hour_eur: if hours > 0.0 {
            total / (hours * inst.years)
        } else {
            0.0
        },
        binding,
        shadow_prices,
    }
}

/// Shadow prices from the linear relaxation with the chosen sites fixed.
fn shadow_prices(
    inst: &Instance,
    on: &[Class],
    limits: Limits,
    open: &[bool],
    solver: Solver,
) -> Vec<ShadowPrice> {
    let b = build(inst, on, limits, &Goal::Objective, Some(open));
    let Ok(sol) = solver::solve(b.programme, solver, &[]) else {
        return Vec::new();
    };
    let scale = if inst.objective == Objective::Co2 {
        1.0
    } else {
        M
    };
    let dual = |row: usize| sol.duals[row];
    let mut out = Vec::new();
    let words = |x: f64| {
        if inst.objective == Objective::Co2 {
            format!("{x:.0} t CO2e")
        } else {
            gigafactory::units::eur_words(x)
        }
    };
    let objective = objective_name(inst.objective);
    for (s, c) in b.grid.into_iter().enumerate() {
        let v = dual(c) * scale;
        if open[s] && v.abs() * 100.0 > 1e-6 * scale {
            out.push(ShadowPrice {
                class: Class::Grid,
                site: Some(s),
                per_unit: v,
                text: format!(
                    "another 100 MW of grid connection at {} would {} the {objective} over the \
                     horizon by {} (linear relaxation: halls in fractions)",
                    inst.sites[s],
                    if v < 0.0 { "cut" } else { "raise" },
                    words(v.abs() * 100.0)
                ),
            });
        }
    }
    if let Some(c) = b.budget {
        // The budget row is in millions of euros: its dual is per million.
        let v = dual(c) * scale / M;
        if v.abs() > 1e-9 {
            out.push(ShadowPrice {
                class: Class::Budget,
                site: None,
                per_unit: v,
                text: format!(
                    "another EUR 100 M of budget would {} the {objective} by {}",
                    if v < 0.0 { "cut" } else { "raise" },
                    words(v.abs() * 1e8)
                ),
            });
        }
    }
    if let Some(c) = b.capacity {
        let v = dual(c) * scale;
        if v.abs() > 1e-9 {
            out.push(ShadowPrice {
                class: Class::Capacity,
                site: None,
                per_unit: v,
                text: format!(
                    "each further H100-equivalent of capacity would add {} to the {objective} \
                     over the horizon",
                    words(v.abs())
                ),
            });
        }
    }
    out
}
