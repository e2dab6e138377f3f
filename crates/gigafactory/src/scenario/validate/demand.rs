//! Checks of demand: a tenant's load or absolute demand, and the `[training]` table.

use super::*;

/// A tenant's demand: a load, an absolute demand or (a training campaign's) compute a
/// year, exactly one, in range.
pub(super) fn validate_demand(t: &crate::scenario::Tenant, p: &FieldPath, v: &mut Checks) {
    let given = [
        t.load.is_some(),
        t.demand_h100_hours_per_year.is_some(),
        t.compute_flop_per_year.is_some(),
    ];
    match given.iter().filter(|g| **g).count() {
        0 => v.push(
            p.clone(),
            "give the tenant's demand: `demand_h100_hours_per_year` (absolute), \
             `compute_flop_per_year` (a training campaign), or `load` (a share of `[demand] \
             reference_h100_equivalents`)",
        ),
        1 => {}
        _ => v.push(
            p.key(if t.compute_flop_per_year.is_some() {
                "compute_flop_per_year"
            } else {
                "demand_h100_hours_per_year"
            }),
            "give one of `load` (a share of a capacity), `demand_h100_hours_per_year` \
             (absolute) and `compute_flop_per_year` (a training campaign), not more",
        ),
    }
    if let Some(l) = t.load {
        v.range(p.key("load"), l, 0.0, 10.0, "a load", "");
    }
    if let Some(d) = t.demand_h100_hours_per_year {
        if !(0.0..=MAX_DEMAND_H100_HOURS).contains(&d) {
            v.push(
                p.key("demand_h100_hours_per_year"),
                format!(
                    "expected H100-hours a year from 0 to 1e12 (a million H100 busy all year \
                     is 8.8e9), found {}",
                    shown(d)
                ),
            );
        }
    }
    if let Some(f) = t.compute_flop_per_year {
        // The same ceiling as demand in H100-hours: 1e12 of them at MFU 0.38 are 1.4e30.
        if !(0.0..=1e30).contains(&f) {
            v.push(
                p.key("compute_flop_per_year"),
                format!(
                    "expected FLOP a year from 0 to 1e30 (the frontier run of 2025 was about \
                     2e26), found {}",
                    shown(f)
                ),
            );
        }
    }
}

/// The keys only a training campaign takes, and whether tenant `t` gives each.
pub(super) fn training_keys(t: &crate::scenario::Tenant) -> [(&'static str, bool); 3] {
    [
        ("compute_flop_per_year", t.compute_flop_per_year.is_some()),
        ("frontier", t.frontier),
        ("purpose", !t.purposes.is_empty()),
    ]
}

/// What a tenant submits: a batch tenant names a known preset and nothing of a training
/// campaign; a training campaign names no preset, and its purposes (if given) share all
/// of its compute with runs a lab accepts.
pub(super) fn validate_kind(
    t: &crate::scenario::Tenant,
    p: &FieldPath,
    s: &Scenario,
    catalog: &Catalog,
    v: &mut Checks,
) {
    use crate::scenario::TenantKind;
    if t.kind != TenantKind::Inference {
        for (key, given) in super::serving::service_keys(t) {
            if given {
                v.push(
                    p.key(key),
                    format!("`{key}` belongs to an inference service: add `kind = \"inference\"`"),
                );
            }
        }
    }
    match t.kind {
        TenantKind::Batch => {
            match &t.preset {
                None => v.push(
                    p.key("preset"),
                    format!(
                        "a batch tenant needs a job mix: `preset = \"...\"`, one of: {} (or \
                         `kind = \"training\"` for a training campaign)",
                        PRESET_IDS.join(", ")
                    ),
                ),
                Some(name) if !PRESET_IDS.contains(&name.as_str()) => {
                    let hint = did_you_mean(name, PRESET_IDS)
                        .map(|m| format!(" (did you mean \"{m}\"?)"))
                        .unwrap_or_default();
                    v.push(
                        p.key("preset"),
                        format!(
                            "unknown preset \"{name}\"{hint}; expected one of: {}",
                            PRESET_IDS.join(", ")
                        ),
                    );
                }
                Some(_) => {}
            }
            for (key, given) in training_keys(t) {
                if given {
                    v.push(
                        p.key(key),
                        format!(
                            "`{key}` belongs to a training campaign: add `kind = \"training\"`"
                        ),
                    );
                }
            }
        }
        TenantKind::Training => {
            if t.preset.is_some() {
                v.push(
                    p.key("preset"),
                    "a training campaign's jobs come from its purposes, not a preset: remove \
                     `preset`, or give `[[tenant.purpose]]` tables",
                );
            }
            purposes(t, p, v);
            run_lengths(t, p, s, catalog, v);
        }
        TenantKind::Inference => super::serving::inference(t, p, s, catalog, v),
    }
}

/// A training campaign's own purposes: shares adding up to 1, sizes and hours in order.
fn purposes(t: &crate::scenario::Tenant, p: &FieldPath, v: &mut Checks) {
    if t.purposes.is_empty() {
        return;
    }
    let mut sum = 0.0;
    for (k, u) in t.purposes.iter().enumerate() {
        let q = p.key("purpose").index(k);
        if !(u.compute_share > 0.0 && u.compute_share <= 1.0) {
            v.push(
                q.key("compute_share"),
                format!(
                    "expected a share above 0 and at most 1, found {}",
                    shown(u.compute_share)
                ),
            );
        }
        sum += u.compute_share;
        v.range(
            q.key("gpus_median"),
            u.gpus_median,
            1.0,
            1e7,
            "accelerators",
            "",
        );
        if u.gpus_p90 < u.gpus_median || u.gpus_max < u.gpus_p90 {
            v.push(
                q.key("gpus_p90"),
                format!(
                    "expected median <= 90th percentile <= maximum, found {} <= {} <= {}",
                    shown(u.gpus_median),
                    shown(u.gpus_p90),
                    shown(u.gpus_max)
                ),
            );
        }
        v.above(
            q.key("hours_median"),
            u.hours_median,
            0.0,
            "a run time",
            " h",
        );
        if u.hours_p90 < u.hours_median {
            v.push(
                q.key("hours_p90"),
                format!(
                    "expected a 90th percentile at or above the median {} h, found {}",
                    shown(u.hours_median),
                    shown(u.hours_p90)
                ),
            );
        }
    }
    if (sum - 1.0).abs() > 1e-6 {
        v.push(
            p.key("purpose")
                .index(t.purposes.len() - 1)
                .key("compute_share"),
            format!(
                "the purposes' compute shares add up to {}; they must add up to 1",
                shown((sum * 1e6).round() / 1e6)
            ),
        );
    }
}

/// Every purpose's median run fits in the longest run a lab accepts (else the campaign's
/// runs would be cut to nothing like what it states): on the purpose's own line, or on
/// `[training] max_run_days` for the catalogue's purposes.
fn run_lengths(
    t: &crate::scenario::Tenant,
    p: &FieldPath,
    s: &Scenario,
    catalog: &Catalog,
    v: &mut Checks,
) {
    let longest_h = s
        .training
        .max_run_days
        .unwrap_or(catalog.training.max_run_days.value)
        * 24.0;
    let own = !t.purposes.is_empty();
    let list = if own {
        &t.purposes
    } else {
        &catalog.training.purpose
    };
    for (k, u) in list.iter().enumerate() {
        if u.hours_median > longest_h {
            let at = if own {
                p.key("purpose").index(k).key("hours_median")
            } else {
                FieldPath::root().key("training").key("max_run_days")
            };
            v.push(
                at,
                format!(
                    "the longest run a lab accepts, {} h ([training] max_run_days), is below \
                     the median {} run, {} h: raise max_run_days or shorten the runs",
                    shown(longest_h),
                    u.name,
                    shown(u.hours_median)
                ),
            );
        }
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
