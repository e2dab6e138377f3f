//! Checks of inference services: a tenant of `kind = "inference"` and the `[serving]`
//! table.

use super::*;

/// The most tokens a day a service may state: Google served about 1e14 a day in 2026 (3.2
/// quadrillion a month, `gigafactory catalog serving`'s sources); a thousand times that is
/// a typo, not a plan.
const MAX_TOKENS_PER_DAY: f64 = 1e17;

/// Keys that only an inference service takes.
pub(super) fn service_keys(t: &crate::scenario::Tenant) -> [(&'static str, bool); 8] {
    [
        ("model", t.model.is_some()),
        ("input_tokens_per_day", t.input_tokens_per_day.is_some()),
        ("output_tokens_per_day", t.output_tokens_per_day.is_some()),
        ("requests_per_second", t.requests_per_second.is_some()),
        (
            "input_tokens_per_request",
            t.input_tokens_per_request.is_some(),
        ),
        (
            "output_tokens_per_request",
            t.output_tokens_per_request.is_some(),
        ),
        ("profile", t.profile.is_some()),
        ("hourly", t.hourly.is_some()),
    ]
}

/// An inference service: a known model class that some build phase can hold, its demand
/// in tokens a day or in requests, a profile, and nothing of batch or training demand.
pub(super) fn inference(
    t: &crate::scenario::Tenant,
    p: &FieldPath,
    s: &Scenario,
    catalog: &Catalog,
    v: &mut Checks,
) {
    let serving = &catalog.serving;
    let plan_keys = [
        ("preset", t.preset.is_some()),
        ("load", t.load.is_some()),
        (
            "demand_h100_hours_per_year",
            t.demand_h100_hours_per_year.is_some(),
        ),
    ];
    for (key, given) in plan_keys.into_iter().chain(super::demand::training_keys(t)) {
        if given {
            v.push(
                p.key(key),
                format!(
                    "an inference service's demand is tokens: remove `{key}` (give \
                     `input_tokens_per_day` and `output_tokens_per_day`, or \
                     `requests_per_second` with tokens per request)"
                ),
            );
        }
    }
    let ids: Vec<&str> = serving.model.iter().map(|m| m.id.as_str()).collect();
    match &t.model {
        None => v.push(
            p.key("model"),
            format!(
                "an inference service needs a model class: `model = \"...\"`, one of: {}",
                ids.join(", ")
            ),
        ),
        Some(m) => match serving.model(m) {
            None => {
                let hint = did_you_mean(m, ids.iter().copied())
                    .map(|x| format!(" (did you mean \"{x}\"?)"))
                    .unwrap_or_default();
                v.push(
                    p.key("model"),
                    format!(
                        "unknown model class \"{m}\"{hint}; expected one of: {}",
                        ids.join(", ")
                    ),
                );
            }
            Some(class) => replica_fits(class, p, s, catalog, v),
        },
    }
    tokens(t, p, v);
    profile(t, p, catalog, v);
}

/// Demand in tokens a day (both) or in requests a second with tokens per request (all
/// three), not both ways; every figure from 0 up to its ceiling.
fn tokens(t: &crate::scenario::Tenant, p: &FieldPath, v: &mut Checks) {
    let per_day = t.input_tokens_per_day.is_some() || t.output_tokens_per_day.is_some();
    let per_request = t.requests_per_second.is_some()
        || t.input_tokens_per_request.is_some()
        || t.output_tokens_per_request.is_some();
    if per_day && per_request {
        v.push(
            p.key("requests_per_second"),
            "give the demand in tokens a day or in requests a second, not both",
        );
        return;
    }
    let need: &[(&str, Option<f64>, f64)] = if per_request {
        &[
            ("requests_per_second", t.requests_per_second, 1e9),
            ("input_tokens_per_request", t.input_tokens_per_request, 1e7),
            (
                "output_tokens_per_request",
                t.output_tokens_per_request,
                1e7,
            ),
        ]
    } else {
        &[
            (
                "input_tokens_per_day",
                t.input_tokens_per_day,
                MAX_TOKENS_PER_DAY,
            ),
            (
                "output_tokens_per_day",
                t.output_tokens_per_day,
                MAX_TOKENS_PER_DAY,
            ),
        ]
    };
    for &(key, x, hi) in need {
        match x {
            None => v.push(
                p.key(key),
                format!(
                    "an inference service's demand needs `{key}` (with {})",
                    need.iter()
                        .filter(|n| n.0 != key)
                        .map(|n| format!("`{}`", n.0))
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
            ),
            Some(x) if !(0.0..=hi).contains(&x) => v.push(
                p.key(key),
                format!("expected a number from 0 to {hi:e}, found {}", shown(x)),
            ),
            Some(_) => {}
        }
    }
}

/// A built-in profile or 24 hourly factors (not both); factors from 0, adding up to more
/// than 0.
fn profile(t: &crate::scenario::Tenant, p: &FieldPath, catalog: &Catalog, v: &mut Checks) {
    let serving = &catalog.serving;
    let ids: Vec<&str> = serving.profile.iter().map(|x| x.id.as_str()).collect();
    match (&t.profile, &t.hourly) {
        (Some(_), Some(_)) => v.push(
            p.key("hourly"),
            "give a built-in `profile` or your own `hourly` factors, not both",
        ),
        (Some(name), None) if serving.profile(name).is_none() => {
            let hint = did_you_mean(name, ids.iter().copied())
                .map(|x| format!(" (did you mean \"{x}\"?)"))
                .unwrap_or_default();
            v.push(
                p.key("profile"),
                format!(
                    "unknown profile \"{name}\"{hint}; expected one of: {} (or 24 `hourly` \
                     factors)",
                    ids.join(", ")
                ),
            );
        }
        (None, Some(h)) => {
            if h.len() != 24 {
                v.push(
                    p.key("hourly"),
                    format!(
                        "expected 24 factors, one per hour from 00 to 23, found {}",
                        h.len()
                    ),
                );
            }
            for (i, x) in h.iter().enumerate() {
                if !(x.is_finite() && *x >= 0.0) {
                    v.push(
                        p.key("hourly").index(i),
                        format!("expected a factor of 0 or more, found {}", shown(*x)),
                    );
                }
            }
            if h.iter().all(|x| *x <= 0.0) {
                v.push(
                    p.key("hourly"),
                    "the hourly factors are all 0: the service would serve nothing",
                );
            }
        }
        _ => {}
    }
}

/// Some build phase can hold one replica of `class`.
fn replica_fits(
    class: &crate::catalog::ModelClass,
    p: &FieldPath,
    s: &Scenario,
    catalog: &Catalog,
    v: &mut Checks,
) {
    let mut largest: Option<(u32, String, u32)> = None;
    for b in &s.builds {
        let Some(a) = catalog.accelerator(&b.accelerator) else {
            continue;
        };
        let r = catalog.serving.replica(
            class,
            &a.id,
            Some(a),
            a.relative_throughput,
            a.memory_gb,
            catalog.serving.prefill_mfu.value,
            &catalog.accelerators,
        );
        if r.gpus <= b.count {
            return;
        }
        if largest.as_ref().is_none_or(|l| b.count > l.0) {
            largest = Some((b.count, a.id.clone(), r.gpus));
        }
    }
    if let Some((count, acc, gpus)) = largest {
        v.push(
            p.key("model"),
            format!(
                "a replica of {} needs {gpus} {acc} (its weights and KV cache), more than any \
                 build phase holds (the largest holds {count})",
                class.id
            ),
        );
    }
}

/// The `[serving]` table: a ceiling and a prefill MFU in (0, 1], a start-up from 0 to a
/// day, an interval that divides the hour.
pub(super) fn serving_rules(s: &Scenario, v: &mut Checks) {
    let p = FieldPath::root().key("serving");
    let r = &s.serving;
    for (key, x) in [
        ("utilisation_ceiling", r.utilisation_ceiling),
        ("prefill_mfu", r.prefill_mfu),
    ] {
        if let Some(x) = x.filter(|x| !(*x > 0.0 && *x <= 1.0)) {
            v.push(
                p.key(key),
                format!("expected a share above 0 and at most 1, found {}", shown(x)),
            );
        }
    }
    if let Some(x) = r.startup_s {
        v.range(p.key("startup_s"), x, 0.0, 86_400.0, "a start-up", " s");
    }
    if let Some(m) = r.scale_interval_min {
        if m == 0 || 60 % m != 0 {
            v.push(
                p.key("scale_interval_min"),
                format!(
                    "expected minutes that divide the hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, \
                     30, 60), found {m}"
                ),
            );
        }
    }
}
