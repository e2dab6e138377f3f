//! Checks of `[[uncertain]]` tables: each distribution's parameters, and each path: that
//! it reads, names a numeric key of this scenario or the catalogue, and that the scenario
//! is still valid at the distribution's 0.1%, 50% and 99.9% quantiles (so that a sweep
//! does not find a bad value hours in).

use super::*;
use crate::scenario::uncertain::Doc;

/// The quantiles at which a path's scenario must stay valid.
const PROBES: [f64; 3] = [0.001, 0.5, 0.999];

pub(super) fn uncertain(s: &Scenario, catalog: &Catalog, v: &mut Checks) {
    if !s.uncertain.is_empty() {
        check(&s.uncertain, s, catalog, v);
    }
}

/// Every problem of `inputs` (an uncertainty file's `[[uncertain]]` tables, with paths
/// `uncertain[i]…`) applied to scenario `s`: as a scenario's own are checked.
pub fn validate_uncertain(
    inputs: &[crate::scenario::uncertain::Uncertain],
    s: &Scenario,
    catalog: &Catalog,
) -> Vec<Problem> {
    let mut v = Checks::default();
    check(inputs, s, catalog, &mut v);
    v.0
}

fn check(
    inputs: &[crate::scenario::uncertain::Uncertain],
    s: &Scenario,
    catalog: &Catalog,
    v: &mut Checks,
) {
    let mut plain = s.clone();
    plain.uncertain.clear();
    let doc = Doc::of(&plain, catalog);
    for (i, u) in inputs.iter().enumerate() {
        let at = FieldPath::root().key("uncertain").index(i);
        let bad = u.problems();
        for (key, message) in &bad {
            v.push(at.key(key), message.clone());
        }
        if !bad.is_empty() {
            continue;
        }
        let paths = std::iter::once((at.key("path"), &u.path)).chain(
            u.also
                .iter()
                .enumerate()
                .map(|(j, p)| (at.key("also").index(j), p)),
        );
        for (field, path) in paths {
            if let Err(m) = probe(&doc, path, u, catalog) {
                v.push(field, format!("{path}: {m}"));
            }
        }
    }
}

/// The first problem of the scenario with `path` set to each probe quantile of `u`.
fn probe(
    doc: &Doc,
    path: &str,
    u: &crate::scenario::uncertain::Uncertain,
    catalog: &Catalog,
) -> Result<(), String> {
    for q in PROBES {
        let draw = u.quantile(q);
        let mut d = doc.clone();
        d.apply(path, draw, u.apply)?;
        let (s, c) = d.read(catalog)?;
        if let Some(p) = validate(&s, &c).into_iter().next() {
            return Err(format!(
                "at its {}% quantile ({}) the scenario is invalid: {}: {}",
                q * 100.0,
                shown(draw),
                p.path,
                p.message
            ));
        }
    }
    Ok(())
}
