//! Checks of demand: a tenant's load or absolute demand, and the `[training]` table.

use super::*;

/// A tenant's demand: a load or an absolute demand, exactly one, in range.
pub(super) fn validate_demand(t: &crate::scenario::Tenant, p: &FieldPath, v: &mut Checks) {
    match (t.load, t.demand_h100_hours_per_year) {
        (Some(l), None) => v.range(p.key("load"), l, 0.0, 10.0, "a load", ""),
        (None, Some(d)) if !(0.0..=MAX_DEMAND_H100_HOURS).contains(&d) => v.push(
            p.key("demand_h100_hours_per_year"),
            format!(
                "expected H100-hours a year from 0 to 1e12 (a million H100 busy all year is \
                 8.8e9), found {}",
                shown(d)
            ),
        ),
        (None, Some(_)) => {}
        (Some(_), Some(_)) => v.push(
            p.key("demand_h100_hours_per_year"),
            "give either `load` (a share of a capacity) or `demand_h100_hours_per_year` \
             (absolute), not both",
        ),
        (None, None) => v.push(
            p.clone(),
            "give the tenant's demand: `demand_h100_hours_per_year` (absolute), or `load` \
             (a share of `[demand] reference_h100_equivalents`, else of the plan's capacity)",
        ),
    }
}

/// What to say of a `load` with no stated capacity to be a share of: the line to add,
/// with this plan's planned capacity (the meaning such a file had before demand was
/// stated apart from the plan).
pub(super) fn load_without_reference(s: &Scenario, catalog: &Catalog) -> String {
    let planned: f64 = s
        .builds
        .iter()
        .map(|b| {
            let rel = b.relative_throughput.or_else(|| {
                catalog
                    .accelerator(&b.accelerator)
                    .map(|a| a.relative_throughput)
            });
            f64::from(b.count) * rel.unwrap_or(0.0)
        })
        .sum();
    format!(
        "a `load` is a share of a stated capacity, not of the plan under evaluation: add \
         `reference_h100_equivalents = {:.0}` under [demand] (this plan's planned capacity, \
         what `load` meant before), or give `demand_h100_hours_per_year` instead",
        planned.max(1.0)
    )
}

/// The most absolute demand a tenant may state, H100-hours a year (over a hundred million
/// H100 busy all year): beyond it a number is a typo, not a plan.
const MAX_DEMAND_H100_HOURS: f64 = 1e12;

/// The `[training]` table: MFU and effective time in (0, 1], a run length from a day to
/// ten years, a frontier growth above 1 (the frontier does not shrink) and at most 100.
pub(super) fn training(s: &Scenario, v: &mut Checks) {
    let p = FieldPath::root().key("training");
    let t = &s.training;
    for (key, x, what) in [
        ("mfu", t.mfu, "an MFU"),
        ("effective_time", t.effective_time, "a share of time"),
    ] {
        if let Some(x) = x.filter(|x| !(*x > 0.0 && *x <= 1.0)) {
            v.push(
                p.key(key),
                format!("expected {what} above 0 and at most 1, found {}", shown(x)),
            );
        }
    }
    if let Some(d) = t.max_run_days {
        v.range(
            p.key("max_run_days"),
            d,
            1.0,
            3652.5,
            "a run length",
            " days",
        );
    }
    if let Some(g) = t.frontier_growth_per_year {
        if !(g > 1.0 && g <= 100.0) {
            v.push(
                p.key("frontier_growth_per_year"),
                format!(
                    "expected a factor a year above 1 and at most 100 (4.17 is the trend since \
                     2018), found {}",
                    shown(g)
                ),
            );
        }
    }
}
