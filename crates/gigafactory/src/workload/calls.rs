//! Access through calls (issue 19, part 2): a share of the facility's time is awarded in
//! rounds to proposals, the EuroHPC way. Each round's budget is the call's share of the
//! whole plan's H100-equivalent hours over the allocation period that follows; its
//! proposals are given, or drawn (a Poisson count, lognormal sizes fitted to a median and a
//! 90th percentile, uniform review scores; the count follows `[demand] adoption_months`'
//! S-curve at the middle of the round's period, and the sizes the tenant's growth); the rule orders them and each is awarded in
//! full where it fits what is left of the budget. The awards are the call's tenant's
//! demand: its jobs arrive at the awarded hours' rate over each project's period
//! ([`allocation_levels`]); the declined proposals' hours are unmet demand.

use crate::model::Facility;
use crate::scenario::{Call, CallRule, Scenario};
use crate::units::Date;

use super::generate::{Stream, YEAR_S};

/// Stream purposes of the calls' draws (the call's index is the stream's "tenant").
const PROPOSALS: u64 = 11;
const LOTTERY: u64 = 12;

/// One proposal of one round, and what it was awarded.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// Its name (a given proposal's, else `<call>-r<round>-<n>`).
    pub name: String,
    /// H100-hours requested.
    pub requested_h100_hours: f64,
    /// Review score.
    pub score: f64,
    /// Whether it was awarded.
    pub accepted: bool,
}

/// One round of one call.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// The call's index in the scenario.
    pub call: usize,
    /// The round's number, from 0.
    pub index: u32,
    /// Its projects run from this day...
    pub opens: Date,
    /// ...to this one (exclusive; at most the horizon's end).
    pub ends: Date,
    /// The share of the plan's H100-equivalent hours over the period, awarded at most.
    pub budget_h100_hours: f64,
    /// Its proposals, in the order received.
    pub projects: Vec<Project>,
}

impl Round {
    /// H100-hours requested by all its proposals.
    pub fn requested_h100_hours(&self) -> f64 {
        self.projects.iter().map(|p| p.requested_h100_hours).sum()
    }

    /// H100-hours awarded.
    pub fn awarded_h100_hours(&self) -> f64 {
        self.projects
            .iter()
            .filter(|p| p.accepted)
            .map(|p| p.requested_h100_hours)
            .sum()
    }

    /// Proposals awarded.
    pub fn accepted(&self) -> usize {
        self.projects.iter().filter(|p| p.accepted).count()
    }
}

/// Which of `requests` (H100-hours, with review scores) a round with `budget` awards
/// under `rule`: in the rule's order, each awarded in full where it fits what is left.
/// Ties keep the order received. `rng` orders a lottery.
pub fn select(rule: CallRule, requests: &[(f64, f64)], budget: f64, rng: &mut Stream) -> Vec<bool> {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    match rule {
        CallRule::Score => order.sort_by(|&a, &b| requests[b].1.total_cmp(&requests[a].1)),
        CallRule::SmallestFirst => {
            order.sort_by(|&a, &b| requests[a].0.total_cmp(&requests[b].0));
        }
        CallRule::Lottery => {
            // Fisher–Yates.
            for i in (1..order.len()).rev() {
                let j = ((rng.uniform() * (i + 1) as f64) as usize).min(i);
                order.swap(i, j);
            }
        }
    }
    let mut left = budget;
    let mut accepted = vec![false; requests.len()];
    for i in order {
        let want = requests[i].0;
        if want <= left * (1.0 + 1e-12) {
            accepted[i] = true;
            left -= want;
        }
    }
    accepted
}

/// The whole plan's H100-equivalent hours from `from` to `to` (for a sample, the whole
/// plan's counts: a sample's rounds are the whole plan's).
pub fn capacity_h100_hours(f: &Facility, from: Date, to: Date) -> f64 {
    f.builds
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let a = b.online.max(from);
            let z = b.retires_on().min(to);
            let days = z.days_since(&a).max(0) as f64;
            let count = f.whole_counts.get(i).copied().unwrap_or(b.count);
            f64::from(count) * b.relative_throughput * days * 24.0
        })
        .sum()
}

/// Every round of every call of scenario `s` on facility `f`, in call order then round
/// order, drawn from the scenario's seed.
pub fn rounds(s: &Scenario, f: &Facility) -> Vec<Round> {
    let end = s.start.add_years(s.years);
    let mut out = Vec::new();
    for (ci, call) in s.calls.iter().enumerate() {
        let growth = s
            .tenants
            .iter()
            .find(|t| t.name == call.tenant)
            .map_or(0.0, |t| t.growth_per_year);
        let mut draws = Stream::new(s.seed, ci as u64, PROPOSALS);
        let mut lottery = Stream::new(s.seed, ci as u64, LOTTERY);
        let every = call.every_months.max(1);
        let mut k = 0u32;
        loop {
            let opens = s.start.add_months(k * every);
            if opens >= end {
                break;
            }
            let ends = opens
                .add_months(call.allocation_months.unwrap_or(every).max(1))
                .min(end);
            let budget = call.share * capacity_h100_hours(f, opens, ends);
            let t_years = opens.days_since(&s.start) as f64 * 86_400.0 / YEAR_S;
            let middle =
                (opens.days_since(&s.start) + ends.days_since(&s.start)) as f64 / 2.0 * 86_400.0;
            let ramp = adoption(s, middle);
            let projects = proposals(call, k, (1.0 + growth).powf(t_years), ramp, &mut draws);
            let requests: Vec<(f64, f64)> = projects
                .iter()
                .map(|p| (p.requested_h100_hours, p.score))
                .collect();
            let accepted = select(call.rule, &requests, budget, &mut lottery);
            out.push(Round {
                call: ci,
                index: k,
                opens,
                ends,
                budget_h100_hours: budget,
                projects: projects
                    .into_iter()
                    .zip(accepted)
                    .map(|(p, a)| Project { accepted: a, ..p })
                    .collect(),
            });
            k += 1;
        }
    }
    out
}

/// The adoption S-curve (3x² − 2x³ over `[demand] adoption_months`) at `t_s`.
fn adoption(s: &Scenario, t_s: f64) -> f64 {
    let months = s
        .demand
        .adoption_months
        .unwrap_or(crate::scenario::defaults::ADOPTION_MONTHS);
    let span = months * YEAR_S / 12.0;
    if span <= 0.0 || t_s >= span {
        return 1.0;
    }
    let x = (t_s / span).max(0.0);
    x * x * (3.0 - 2.0 * x)
}

/// Round `k`'s proposals to `call`: the given ones, else a Poisson number (its mean times
/// `ramp`, adoption so far) of lognormal requests (scaled by `scale`, the demand's growth
/// so far) with uniform scores.
fn proposals(call: &Call, k: u32, scale: f64, ramp: f64, rng: &mut Stream) -> Vec<Project> {
    if !call.given.is_empty() {
        return call
            .given
            .iter()
            .map(|p| Project {
                name: p.name.clone(),
                requested_h100_hours: p.h100_hours,
                score: p.score,
                accepted: false,
            })
            .collect();
    }
    let mean = call.proposals.unwrap_or(0.0) * ramp;
    let median = call.proposal_h100_hours_median.unwrap_or(0.0);
    let p90 = call.proposal_h100_hours_p90.unwrap_or(median);
    // Lognormal: ln X ~ N(ln median, sigma), sigma from the 90th percentile (z = 1.2816).
    let sigma = (p90 / median).ln().max(0.0) / 1.281_551_565_5;
    // A Poisson count: unit-rate arrivals in [0, mean).
    let mut n = 0u32;
    let mut t = rng.exponential(1.0);
    while t < mean {
        n += 1;
        t += rng.exponential(1.0);
    }
    (0..n)
        .map(|i| Project {
            name: format!("{}-r{k}-{i}", call.name),
            requested_h100_hours: median * scale * (sigma * rng.normal()).exp(),
            score: rng.uniform(),
            accepted: false,
        })
        .collect()
}

/// Tenant `tenant`'s demand through time as the calls award it: from each time on (s from
/// the start), the H100-equivalent GPUs its active projects keep busy (each project's
/// award spread evenly over its period). Empty where no call names the tenant.
pub fn allocation_levels(s: &Scenario, rounds: &[Round], tenant: &str) -> Vec<(f64, f64)> {
    let at = |d: Date| d.days_since(&s.start) as f64 * 86_400.0;
    let mut steps: Vec<(f64, f64)> = Vec::new();
    for r in rounds.iter().filter(|r| s.calls[r.call].tenant == tenant) {
        let (a, z) = (at(r.opens), at(r.ends));
        if z <= a {
            continue;
        }
        let gpus = r.awarded_h100_hours() * 3600.0 / (z - a);
        steps.push((a, gpus));
        steps.push((z, -gpus));
    }
    if steps.is_empty() {
        return Vec::new();
    }
    steps.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut levels: Vec<(f64, f64)> = Vec::new();
    let mut level = 0.0;
    for (t, d) in steps {
        level += d;
        match levels.last_mut() {
            Some(last) if last.0 == t => last.1 = level.max(0.0),
            _ => levels.push((t, level.max(0.0))),
        }
    }
    if levels.first().is_none_or(|l| l.0 > 0.0) {
        levels.insert(0, (0.0, 0.0));
    }
    levels
}
