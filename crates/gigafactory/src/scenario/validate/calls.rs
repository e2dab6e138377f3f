//! Checks of `[[call]]`: the tenant it allocates to (a batch or training tenant whose
//! demand is the call's awards, so it states none of its own), a period, a share from 0 to
//! 1 (the calls' shares together at most 1), and proposals: given, or drawn from a count,
//! a median and a 90th percentile.

use super::*;
use crate::scenario::TenantKind;

/// The largest request or size taken, H100-hours: a thousand times the 2024 Large AI
/// Grand Challenge's whole 8 M award; more is a typo.
const MAX_H100_HOURS: f64 = 1e10;

pub(super) fn calls(s: &Scenario, v: &mut Checks) {
    let mut total = 0.0;
    for (i, c) in s.calls.iter().enumerate() {
        let p = FieldPath::root().key("call").index(i);
        if c.name.trim().is_empty() {
            v.push(p.key("name"), "expected a non-empty call name");
        } else if let Some(j) = s.calls[..i].iter().position(|o| o.name == c.name) {
            v.push(
                p.key("name"),
                format!("call name \"{}\" is already used by call[{j}]", c.name),
            );
        }
        match s.tenants.iter().find(|t| t.name == c.tenant) {
            None => {
                let hint = did_you_mean(&c.tenant, s.tenants.iter().map(|t| t.name.as_str()))
                    .map(|m| format!(" (did you mean \"{m}\"?)"))
                    .unwrap_or_default();
                v.push(
                    p.key("tenant"),
                    format!("no [[tenant]] is named \"{}\"{hint}", c.tenant),
                );
            }
            Some(t) if t.kind == TenantKind::Inference => v.push(
                p.key("tenant"),
                format!(
                    "\"{}\" is an inference service: calls award GPU-hours to batch or \
                     training tenants",
                    c.tenant
                ),
            ),
            Some(t) => {
                if t.load.is_some()
                    || t.demand_h100_hours_per_year.is_some()
                    || t.compute_flop_per_year.is_some()
                {
                    v.push(
                        p.key("tenant"),
                        format!(
                            "tenant \"{}\" receives its time through this call: its demand is \
                             the call's awards, so leave out its `load`, \
                             `demand_h100_hours_per_year` and `compute_flop_per_year`",
                            c.tenant
                        ),
                    );
                }
            }
        }
        v.range(
            p.key("share"),
            c.share,
            0.0,
            1.0,
            "a share of the facility's hours",
            "",
        );
        if c.share.is_finite() {
            total += c.share;
        }
        months(v, p.key("every_months"), c.every_months);
        if let Some(m) = c.allocation_months {
            months(v, p.key("allocation_months"), m);
        }
        proposals(c, &p, v);
    }
    // (Where one share is above 1 already, that is the problem to fix first.)
    if total > 1.0 + 1e-9 && s.calls.iter().all(|c| c.share <= 1.0) {
        v.push(
            FieldPath::root().key("call"),
            format!(
                "the calls' shares add up to {total:.3}: together they cannot award more than \
                 the facility's hours (at most 1)"
            ),
        );
    }
}

fn months(v: &mut Checks, path: FieldPath, m: u32) {
    if !(1..=120).contains(&m) {
        v.push(path, format!("expected from 1 to 120 months, found {m}"));
    }
}

/// Given proposals, or a count with a median and a 90th percentile: one way, complete.
fn proposals(c: &crate::scenario::Call, p: &FieldPath, v: &mut Checks) {
    let drawn = [
        c.proposals.is_some(),
        c.proposal_h100_hours_median.is_some(),
        c.proposal_h100_hours_p90.is_some(),
    ];
    let any_drawn = drawn.iter().any(|d| *d);
    if !c.given.is_empty() && any_drawn {
        v.push(
            p.key("proposals"),
            "give the proposals ([[call.proposal]]) or how they are drawn (`proposals`, \
             `proposal_h100_hours_median`, `proposal_h100_hours_p90`), not both",
        );
        return;
    }
    if c.given.is_empty() {
        if !drawn.iter().all(|d| *d) {
            v.push(
                p.clone(),
                "give `proposals` (expected per round), `proposal_h100_hours_median` and \
                 `proposal_h100_hours_p90`, or the proposals themselves as [[call.proposal]] \
                 tables",
            );
            return;
        }
        let n = c.proposals.unwrap_or(0.0);
        v.range(
            p.key("proposals"),
            n,
            0.0,
            100_000.0,
            "proposals per round",
            "",
        );
        let median = c.proposal_h100_hours_median.unwrap_or(0.0);
        let p90 = c.proposal_h100_hours_p90.unwrap_or(0.0);
        if !(median > 0.0 && median <= MAX_H100_HOURS) {
            v.push(
                p.key("proposal_h100_hours_median"),
                format!("expected H100-hours above 0, at most {MAX_H100_HOURS:e}, found {median}"),
            );
        } else if !(p90 >= median && p90 <= MAX_H100_HOURS) {
            v.push(
                p.key("proposal_h100_hours_p90"),
                format!(
                    "expected a 90th percentile from the median ({median}) to \
                     {MAX_H100_HOURS:e} H100-hours, found {p90}"
                ),
            );
        }
        return;
    }
    for (j, g) in c.given.iter().enumerate() {
        let q = p.key("proposal").index(j);
        if !(g.h100_hours > 0.0 && g.h100_hours <= MAX_H100_HOURS) {
            v.push(
                q.key("h100_hours"),
                format!(
                    "expected H100-hours above 0, at most {MAX_H100_HOURS:e}, found {}",
                    g.h100_hours
                ),
            );
        }
        if !g.score.is_finite() {
            v.push(q.key("score"), "expected a finite score");
        }
    }
}
