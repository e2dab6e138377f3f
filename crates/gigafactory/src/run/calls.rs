//! What the calls for proposals gave (issue 19, part 2): per call, the rounds, proposals
//! received and awarded, the acceptance rate, the hours requested against the budget
//! (oversubscription) and awarded, the declined hours (demand the call turned away), and
//! how its tenant was served; per proposal, a row of the projects table.

use serde::Serialize;

use crate::model::Facility;
use crate::scenario::{CallRule, Scenario};
use crate::sim::SimOutcome;
use crate::workload::calls::{Round, rounds};

/// One call's figures over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CallFigures {
    /// The call's name.
    pub name: String,
    /// The tenant that runs its projects.
    pub tenant: String,
    /// That tenant's class.
    pub class: &'static str,
    /// How proposals are chosen.
    pub rule: CallRule,
    /// Rounds held within the horizon.
    pub rounds: u32,
    /// Proposals received.
    pub proposals: u64,
    /// Proposals awarded.
    pub accepted: u64,
    /// Awarded over received (0 with none received).
    pub acceptance_rate: f64,
    /// H100-hours the rounds could award (the call's share of the plan's hours).
    pub budget_h100_hours: f64,
    /// H100-hours requested.
    pub requested_h100_hours: f64,
    /// H100-hours awarded.
    pub awarded_h100_hours: f64,
    /// Requested over budget: above 1, the call is oversubscribed.
    pub oversubscription: f64,
    /// H100-hours of declined proposals: demand the call turned away (not in the
    /// simulation's lost demand, which counts the work of jobs that were submitted).
    pub declined_h100_hours: f64,
    /// GPU-hours its tenant was served in the simulation (when simulated).
    pub served_gpu_hours: Option<f64>,
    /// Its tenant's 95th percentile wait to first start, hours (when simulated).
    pub wait_p95_h: Option<f64>,
}

/// One proposal of one round: a row of `projects.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ProjectRow {
    /// The call.
    pub call: String,
    /// The round, from 0.
    pub round: u32,
    /// The day its allocation period opens.
    pub opens: String,
    /// The day it ends.
    pub ends: String,
    /// The proposal.
    pub project: String,
    /// H100-hours requested.
    pub requested_h100_hours: f64,
    /// Review score.
    pub score: f64,
    /// Whether it was awarded.
    pub accepted: bool,
    /// H100-hours awarded (all requested, or none).
    pub awarded_h100_hours: f64,
}

/// Every call's figures and every proposal.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Calls {
    /// Per call.
    pub calls: Vec<CallFigures>,
    /// Per proposal, in call, round and arrival order.
    #[serde(skip)]
    pub projects: Vec<ProjectRow>,
}

/// The calls of scenario `s` on facility `f` (the rounds the job generator drew from), with
/// their tenants' service from `outcome`; `None` without calls.
#[must_use]
pub fn calls(s: &Scenario, f: &Facility, outcome: Option<&SimOutcome>) -> Option<Calls> {
    if s.calls.is_empty() {
        return None;
    }
    let all = rounds(s, f);
    let figures = s
        .calls
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mine: Vec<&Round> = all.iter().filter(|r| r.call == i).collect();
            let sum = |g: fn(&Round) -> f64| mine.iter().map(|r| g(r)).sum::<f64>();
            let proposals: u64 = mine.iter().map(|r| r.projects.len() as u64).sum();
            let accepted: u64 = mine.iter().map(|r| r.accepted() as u64).sum();
            let (budget, requested, awarded) = (
                sum(|r| r.budget_h100_hours),
                sum(Round::requested_h100_hours),
                sum(Round::awarded_h100_hours),
            );
            let tenant = outcome.and_then(|o| o.tenants.iter().find(|t| t.name == c.tenant));
            CallFigures {
                name: c.name.clone(),
                tenant: c.tenant.clone(),
                class: s
                    .tenants
                    .iter()
                    .find(|t| t.name == c.tenant)
                    .map_or("", |t| t.class.as_str()),
                rule: c.rule,
                rounds: mine.len() as u32,
                proposals,
                accepted,
                acceptance_rate: if proposals == 0 {
                    0.0
                } else {
                    accepted as f64 / proposals as f64
                },
                budget_h100_hours: budget,
                requested_h100_hours: requested,
                awarded_h100_hours: awarded,
                oversubscription: if budget > 0.0 {
                    requested / budget
                } else {
                    0.0
                },
                declined_h100_hours: requested - awarded,
                served_gpu_hours: tenant.map(|t| t.served_gpu_hours),
                wait_p95_h: tenant.map(|t| t.wait_s_p95 / 3600.0),
            }
        })
        .collect();
    let projects = all
        .iter()
        .flat_map(|r| {
            r.projects.iter().map(move |p| ProjectRow {
                call: s.calls[r.call].name.clone(),
                round: r.index,
                opens: r.opens.to_string(),
                ends: r.ends.to_string(),
                project: p.name.clone(),
                requested_h100_hours: p.requested_h100_hours,
                score: p.score,
                accepted: p.accepted,
                awarded_h100_hours: if p.accepted {
                    p.requested_h100_hours
                } else {
                    0.0
                },
            })
        })
        .collect();
    Some(Calls {
        calls: figures,
        projects,
    })
}
