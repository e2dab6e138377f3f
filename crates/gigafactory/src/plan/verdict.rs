//! One rule for verdicts (issue 17), used wherever plans are set against each other: a plan
//! is named better on a figure only when its lead exceeds both the simulation's own noise
//! (the 95% interval of the paired differences over the seeds, when there are several) and
//! the stated tolerance of any approximation in the runs (sampling); otherwise the plans
//! are "about equal" on it. With one seed, a verdict on a simulated figure says it rests on
//! one replication.

use super::t_975;

/// How a figure depends on the simulation, and so how far an approximate run may take it
/// from the whole run's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    /// Not drawn by the simulation (capex, power, capability): exact under the model.
    Exact,
    /// A total over the horizon (hours, energy, money, CO2): scaled back from a sample.
    Total,
    /// A share of GPU-time (utilisation): as simulated.
    Share,
    /// Queueing (waits, lost demand, refusals): the sample's own queues.
    Queueing,
}

/// How far a sampled run's total may be from the whole run's, relative: 3%. Measured in
/// `run::sample_tests::a_sample_is_within_the_verdicts_tolerance_of_the_whole_run` (4,096 H100
/// for a year, sampled as the automatic rule samples it, 1 in 2 with and without windows of
/// time: served hours and energy within 1.6% of the whole run's) and in `demand_tests` (1 in
/// 2 of stated demand: within 3%); on one AI-Factory host the automatic sample served within
/// 0.2% (`DESIGN.md`).
pub const SAMPLED_TOTAL: f64 = 0.03;

/// How far a sampled run's utilisation may be from the whole run's: 2 points (measured in
/// the same tests: within 1.1 points and 2 points).
pub const SAMPLED_SHARE: f64 = 0.02;

/// Why a plan was named better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// The figure is not drawn by the simulation: exact under the model's assumptions.
    Exact,
    /// The paired differences over this many seeds exclude zero at 95%, and the lead
    /// exceeds any approximation's tolerance.
    Seeds(u32),
    /// One replication: the lead exceeds any approximation's tolerance, but the
    /// simulation's own noise is not measured (`--seeds R` measures it).
    OneReplication,
}

/// Why the plans are about equal on a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Within {
    /// The lead is inside the 95% interval of the paired differences over the seeds.
    Noise,
    /// The lead is inside the tolerance of the sampling of a plan's run.
    Tolerance,
    /// A queueing figure of a sampled run: sampling moves waits and lost demand by more
    /// than a factor of ten (README, Sampling), so they are not ranked.
    Sampled,
}

/// The verdict on one figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No order: the figure has no better direction, the plans' values are equal, or at
    /// most one plan has it.
    Unranked,
    /// This plan is better.
    Better {
        /// The plan's index.
        plan: usize,
        /// Why.
        basis: Basis,
    },
    /// The best plan's lead is within noise or tolerance.
    AboutEqual(Within),
}

impl Verdict {
    /// The plan named better, if any.
    #[must_use]
    pub fn better(self) -> Option<usize> {
        match self {
            Verdict::Better { plan, .. } => Some(plan),
            _ => None,
        }
    }

    /// The verdict's basis as `compare.json` names it.
    #[must_use]
    pub fn basis(self) -> &'static str {
        match self {
            Verdict::Unranked => "unranked",
            Verdict::Better {
                basis: Basis::Exact,
                ..
            } => "exact",
            Verdict::Better {
                basis: Basis::Seeds(_),
                ..
            } => "beyond seed noise and tolerance",
            Verdict::Better {
                basis: Basis::OneReplication,
                ..
            } => "one replication",
            Verdict::AboutEqual(Within::Noise) => "about equal: within seed noise",
            Verdict::AboutEqual(Within::Tolerance) => "about equal: within sampling tolerance",
            Verdict::AboutEqual(Within::Sampled) => "about equal: queueing under sampling",
        }
    }
}

/// What the rule needs to know of the runs behind a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Runs {
    /// Whether any compared plan was simulated (else every figure is exact).
    pub simulated: bool,
    /// Whether any compared plan's simulation was sampled.
    pub sampled: bool,
}

/// The verdict on a figure from each plan's values under each seed (`values[plan][seed]`,
/// the same seeds for every plan, so differences are paired): the plan with the best mean
/// (lowest where `lower_is_better`), named better only if it leads every other plan that
/// has the figure by more than the seed interval of their paired differences (when there
/// are two seeds or more) and the approximation's tolerance (when a run was sampled).
#[must_use]
pub fn verdict(
    values: &[Vec<Option<f64>>],
    lower_is_better: Option<bool>,
    sensitivity: Sensitivity,
    runs: Runs,
) -> Verdict {
    let Some(lower) = lower_is_better else {
        return Verdict::Unranked;
    };
    // A plan has the figure when every seed gave it.
    let series: Vec<Option<&[Option<f64>]>> = values
        .iter()
        .map(|v| (!v.is_empty() && v.iter().all(Option::is_some)).then_some(v.as_slice()))
        .collect();
    let means: Vec<Option<f64>> = series
        .iter()
        .map(|s| s.map(|v| v.iter().flatten().sum::<f64>() / v.len() as f64))
        .collect();
    let Some(best) = super::best(&means, lower) else {
        return Verdict::Unranked;
    };
    let exact = sensitivity == Sensitivity::Exact || !runs.simulated;
    if exact {
        return Verdict::Better {
            plan: best,
            basis: Basis::Exact,
        };
    }
    if runs.sampled && sensitivity == Sensitivity::Queueing {
        return Verdict::AboutEqual(Within::Sampled);
    }
    let b = series[best].expect("the best plan has the figure");
    let seeds = b.len();
    for (j, s) in series.iter().enumerate() {
        let Some(o) = s else { continue };
        if j == best {
            continue;
        }
        // The best plan's lead under each seed (positive: it is ahead).
        let lead: Vec<f64> = b
            .iter()
            .zip(*o)
            .map(|(x, y)| {
                let (x, y) = (x.expect("checked"), y.expect("checked"));
                if lower { y - x } else { x - y }
            })
            .collect();
        let n = lead.len() as f64;
        let mean = lead.iter().sum::<f64>() / n;
        if seeds > 1 {
            let var = lead.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1.0);
            if mean <= t_975(seeds - 1) * (var / n).sqrt() {
                return Verdict::AboutEqual(Within::Noise);
            }
        } else if mean <= 0.0 {
            return Verdict::AboutEqual(Within::Noise);
        }
        if runs.sampled {
            let tolerance = match sensitivity {
                Sensitivity::Share => SAMPLED_SHARE,
                _ => {
                    let (mb, mo) = (means[best].unwrap_or(0.0), means[j].unwrap_or(0.0));
                    SAMPLED_TOTAL * mb.abs().max(mo.abs())
                }
            };
            if mean <= tolerance {
                return Verdict::AboutEqual(Within::Tolerance);
            }
        }
    }
    Verdict::Better {
        plan: best,
        basis: if seeds > 1 {
            Basis::Seeds(seeds as u32)
        } else {
            Basis::OneReplication
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(v: &[f64]) -> Vec<Vec<Option<f64>>> {
        v.iter().map(|x| vec![Some(*x)]).collect()
    }

    const WHOLE: Runs = Runs {
        simulated: true,
        sampled: false,
    };
    const SAMPLED: Runs = Runs {
        simulated: true,
        sampled: true,
    };

    #[test]
    fn exact_figures_and_unsimulated_plans_are_ranked_on_any_difference() {
        let v = one(&[100.0, 100.1]);
        let exact = Verdict::Better {
            plan: 0,
            basis: Basis::Exact,
        };
        assert_eq!(verdict(&v, Some(true), Sensitivity::Exact, SAMPLED), exact);
        let unsimulated = Runs {
            simulated: false,
            sampled: false,
        };
        assert_eq!(
            verdict(&v, Some(true), Sensitivity::Total, unsimulated),
            exact
        );
        assert_eq!(
            verdict(&v, None, Sensitivity::Exact, WHOLE),
            Verdict::Unranked
        );
        assert_eq!(
            verdict(&one(&[5.0, 5.0]), Some(true), Sensitivity::Total, WHOLE),
            Verdict::Unranked
        );
        assert_eq!(
            verdict(
                &[vec![Some(1.0)], vec![None]],
                Some(true),
                Sensitivity::Total,
                WHOLE
            ),
            Verdict::Unranked
        );
    }

    #[test]
    fn one_whole_replication_names_the_better_plan_and_says_so() {
        assert_eq!(
            verdict(&one(&[0.70, 0.71]), Some(false), Sensitivity::Share, WHOLE),
            Verdict::Better {
                plan: 1,
                basis: Basis::OneReplication
            }
        );
    }

    #[test]
    fn a_sampled_run_needs_a_lead_beyond_the_tolerance() {
        // Totals: 3% of the larger value; shares: 2 points.
        let near = one(&[100.0, 102.9]);
        let far = one(&[100.0, 103.2]);
        assert_eq!(
            verdict(&near, Some(true), Sensitivity::Total, SAMPLED),
            Verdict::AboutEqual(Within::Tolerance)
        );
        assert_eq!(
            verdict(&far, Some(true), Sensitivity::Total, SAMPLED).better(),
            Some(0)
        );
        assert_eq!(
            verdict(
                &one(&[0.70, 0.719]),
                Some(false),
                Sensitivity::Share,
                SAMPLED
            ),
            Verdict::AboutEqual(Within::Tolerance)
        );
        assert_eq!(
            verdict(
                &one(&[0.70, 0.721]),
                Some(false),
                Sensitivity::Share,
                SAMPLED
            )
            .better(),
            Some(1)
        );
        // Queueing is not ranked under sampling, whatever the lead.
        assert_eq!(
            verdict(
                &one(&[1.0, 1000.0]),
                Some(true),
                Sensitivity::Queueing,
                SAMPLED
            ),
            Verdict::AboutEqual(Within::Sampled)
        );
    }

    #[test]
    fn seeds_are_paired_and_the_lead_must_clear_their_interval() {
        // Plan 1 is 1.0 ahead under every seed though the seeds move both by 10: paired,
        // the lead's spread is nil and it is named better.
        let a: Vec<Option<f64>> = [100.0, 110.0, 90.0].iter().map(|x| Some(*x)).collect();
        let b: Vec<Option<f64>> = [99.0, 109.0, 89.0].iter().map(|x| Some(*x)).collect();
        assert_eq!(
            verdict(&[a.clone(), b], Some(true), Sensitivity::Total, WHOLE),
            Verdict::Better {
                plan: 1,
                basis: Basis::Seeds(3)
            }
        );
        // Leads of 3, -1, 1 (mean 1, sd 2): t(2) 4.303 × 2 / √3 = 4.97 > 1: about equal.
        let c: Vec<Option<f64>> = [97.0, 111.0, 89.0].iter().map(|x| Some(*x)).collect();
        assert_eq!(
            verdict(&[a.clone(), c], Some(true), Sensitivity::Total, WHOLE),
            Verdict::AboutEqual(Within::Noise)
        );
        // The best must clear every other plan: 1 beats 0 clearly but not 2.
        let d: Vec<Option<f64>> = [99.5, 108.5, 89.5].iter().map(|x| Some(*x)).collect();
        let e: Vec<Option<f64>> = [99.0, 109.0, 89.0].iter().map(|x| Some(*x)).collect();
        assert_eq!(
            verdict(&[a, e, d], Some(true), Sensitivity::Total, WHOLE),
            Verdict::AboutEqual(Within::Noise)
        );
    }
}
