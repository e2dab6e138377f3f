//! One-at-a-time swings (issue 17's tornado): each uncertain input at its 5% and 95%
//! quantiles with every other input at its median, under the first seed; how far each
//! figure moves. Global indices (`sweep`) say what decides over the whole range; swings
//! say it in the figure's own units.

use super::sweep::{SweepError, SweepSpec, evaluate_point};
use super::{PlanFigures, figure_values};
use crate::catalog::Catalog;
use crate::run::Plan;
use crate::scenario::uncertain::Uncertain;

/// The quantiles an input swings between.
pub const SWING: (f64, f64) = (0.05, 0.95);

/// One input's swing for one plan: its low and high values, and the plan's figures at
/// each (or why it cannot be built there).
#[derive(Debug, Clone)]
pub struct Swing {
    /// The input's value at its 5% quantile.
    pub low: f64,
    /// At its 95% quantile.
    pub high: f64,
    /// The plan's figures with the input low.
    pub at_low: Result<PlanFigures, String>,
    /// With the input high.
    pub at_high: Result<PlanFigures, String>,
}

impl Swing {
    /// Figure `key` at the low and the high value (`None` where the plan lacks it or
    /// cannot be built).
    #[must_use]
    pub fn figure(&self, key: &str) -> (Option<f64>, Option<f64>) {
        let get = |f: &Result<PlanFigures, String>| {
            f.as_ref().ok().and_then(|f| {
                figure_values(f)
                    .into_iter()
                    .find(|(k, _)| *k == key)
                    .and_then(|(_, v)| v.filter(|v| v.is_finite()))
            })
        };
        (get(&self.at_low), get(&self.at_high))
    }
}

/// Every plan's swings (`[plan][input]`), on `spec.threads` threads.
///
/// # Errors
/// As a sweep's points.
pub fn swings(
    plans: &[Plan],
    spec: &SweepSpec,
    catalog: &Catalog,
) -> Result<Vec<Vec<Swing>>, SweepError> {
    let medians: Vec<f64> = spec.inputs.iter().map(Uncertain::median_value).collect();
    let seed = spec.seeds.first().copied().unwrap_or(0);
    let k = spec.inputs.len();
    let work: Vec<(usize, usize, bool)> = (0..plans.len())
        .flat_map(|p| (0..k).flat_map(move |i| [(p, i, false), (p, i, true)]))
        .collect();
    let docs = super::sweep::docs(plans, catalog);
    let done = super::seeds::par_map_with(&work, spec.threads, |&(p, i, high)| {
        let mut values = medians.clone();
        values[i] = spec.inputs[i].quantile(if high { SWING.1 } else { SWING.0 });
        evaluate_point(
            &plans[p],
            &docs[p],
            &spec.inputs,
            &values,
            seed,
            catalog,
            spec.sample,
        )
        .map_err(|message| SweepError::Point {
            label: plans[p].label.clone(),
            sample: 0,
            values: format!(
                "{} = {}, the others at their medians",
                spec.inputs[i].path, values[i]
            ),
            seed,
            message,
        })
    });
    let mut done = done.into_iter();
    let mut out = Vec::new();
    for _ in plans {
        let mut mine = Vec::new();
        for u in &spec.inputs {
            let at_low = done.next().expect("one per plan, input and end")?;
            let at_high = done.next().expect("one per plan, input and end")?;
            mine.push(Swing {
                low: u.quantile(SWING.0),
                high: u.quantile(SWING.1),
                at_low,
                at_high,
            });
        }
        out.push(mine);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::sensitivity::Design;
    use crate::run::Sample;
    use std::path::PathBuf;

    #[test]
    fn capex_swings_with_the_count_in_proportion_and_not_with_the_rent() {
        let text = "name = \"s\"\nstart = \"2027-01-01\"\nyears = 2\n\
            [[site]]\nname = \"h\"\ncountry = \"FI\"\ngrid_mw = 100\n\
            [[build]]\nsite = \"h\"\naccelerator = \"H100\"\ncount = 1000\n\
            online = \"2027-01-01\"\n";
        let p = Plan::prepare("s", text, PathBuf::from("."), Catalog::builtin()).unwrap();
        let spec = SweepSpec {
            inputs: vec![
                Uncertain::uniform("build[0].count", 500.0, 1500.0),
                Uncertain::uniform("economics.rent_change_per_year", -0.3, -0.1),
            ],
            design: Design::Latin,
            samples: 1,
            seeds: vec![1],
            sample: Sample::Auto,
            design_seed: 1,
            threads: 2,
        };
        let s = swings(&[p], &spec, Catalog::builtin()).unwrap();
        // The count swings from 550 to 1,450 (its 5% and 95% quantiles): capex in
        // proportion (whole GPUs, so within a part in a thousand).
        let (lo, hi) = s[0][0].figure("capex_eur");
        assert_eq!((s[0][0].low, s[0][0].high), (550.0, 1450.0));
        assert!((hi.unwrap() / lo.unwrap() - 1450.0 / 550.0).abs() < 1e-3);
        let (lo, hi) = s[0][1].figure("capex_eur");
        assert_eq!(lo, hi);
        let (lo, hi) = s[0][1].figure("rent_baseline_eur");
        assert!(
            lo.unwrap() < hi.unwrap(),
            "a slower fall in the rent values the hours more"
        );
    }
}
