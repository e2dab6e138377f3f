//! A plan replicated over seeds (issue 17, intervals on single runs): the same plan and
//! demand with other random streams (arrivals, sizes, failures), so that each simulated
//! figure carries the simulation's own noise. Deterministic figures (capex, power) come
//! out with no spread; only what the simulation draws moves.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{CompareError, PlanFigures, Unit, figures, mean_and_half_width, rows};
use crate::catalog::Catalog;
use crate::run::{self, Plan, Sample, SimOptions};

/// One figure over the seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// The figure's key (as `compare.json` names it).
    pub key: &'static str,
    /// Its label in tables.
    pub label: &'static str,
    /// How it reads.
    pub unit: Unit,
    /// Its value under each seed, in the order of the seeds.
    pub values: Vec<f64>,
    /// The mean over the seeds.
    pub mean: f64,
    /// Half the width of the 95% interval of the mean: Student's t (n − 1 degrees of
    /// freedom) × the seeds' standard deviation ÷ √n (0 for a single seed).
    pub half_width_95: f64,
    /// The smallest and largest value.
    pub min: f64,
    /// See `min`.
    pub max: f64,
}

/// Student's t at 97.5% (two-sided 95%) for `df` degrees of freedom: the standard table
/// to 30, the Cornish-Fisher expansion in 1/df beyond (within 0.001 of the table there).
#[must_use]
pub fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df - 1],
        _ => {
            let (z, v) = (1.959_964_f64, df as f64);
            z + (z.powi(3) + z) / (4.0 * v)
                + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
        }
    }
}

/// Each figure's spread over `per_seed` (one plan's figures under each seed); figures a
/// seed lacks are left out.
#[must_use]
pub fn spread(per_seed: &[PlanFigures]) -> Vec<Spread> {
    rows(per_seed)
        .into_iter()
        .filter_map(|r| {
            let values: Vec<f64> = r.values.iter().copied().collect::<Option<_>>()?;
            if values.is_empty() {
                return None;
            }
            let (mean, half_width_95) = mean_and_half_width(&values);
            Some(Spread {
                key: r.key,
                label: r.label,
                unit: r.unit,
                mean,
                half_width_95,
                min: values.iter().copied().fold(f64::INFINITY, f64::min),
                max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                values,
            })
        })
        .collect()
}

/// `f` of each of `items`, in their order, on as many threads as the machine has cores
/// (at most one per item): each call holds its own simulation, so memory grows with the
/// threads, not the items.
pub(crate) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_map_with(items, usize::MAX, f)
}

/// As [`par_map`], on at most `threads` threads.
pub(crate) fn par_map_with<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(threads)
        .min(items.len())
        .max(1);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<R>>> = Mutex::new(items.iter().map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else {
                        break;
                    };
                    let r = f(item);
                    done.lock().expect("no thread panics holding it")[i] = Some(r);
                }
            });
        }
    });
    done.into_inner()
        .expect("no thread panicked")
        .into_iter()
        .map(|r| r.expect("every item ran"))
        .collect()
}

/// Evaluate `plan` under each of `seeds` (its own seed replaced), sampled as `sample` says
/// and stopped at `until_s`, on all cores ([`par_map`]); the figures of each, in the order
/// of `seeds`.
///
/// # Errors
/// The first seed, in order, whose run failed (as [`run::evaluate`]).
pub fn replicate(
    plan: &Plan,
    catalog: &Catalog,
    sample: Sample,
    until_s: Option<u64>,
    seeds: &[u64],
) -> Result<Vec<PlanFigures>, CompareError> {
    par_map(seeds, |&seed| {
        let mut p = plan.clone();
        p.scenario.seed = seed;
        let options = SimOptions {
            until_s,
            ..SimOptions::default()
        };
        run::evaluate(&p, catalog, sample, options)
            .map(|e| figures(&p.scenario, &p.facility, &e.assessment, e.outcome.as_ref()))
            .map_err(|source| CompareError {
                label: format!("{} (seed {seed})", p.label),
                source,
            })
    })
    .into_iter()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn t_quantiles_from_the_table_and_beyond_it() {
        assert_eq!(t_975(1), 12.706);
        assert_eq!(t_975(9), 2.262);
        // Beyond the table: 40 degrees of freedom 2.021, 120 1.980 (standard tables).
        assert!((t_975(40) - 2.021).abs() < 0.001, "{}", t_975(40));
        assert!((t_975(120) - 1.980).abs() < 0.001, "{}", t_975(120));
        assert!((t_975(100_000) - 1.960).abs() < 0.001);
    }

    /// 256 H100 for a year, one tenant at 60% of them (Helios's job mix), failures on.
    const PLAN: &str = "name = \"seeds\"\nstart = \"2027-01-01\"\nyears = 1\nseed = 7\n\
        [[site]]\nname = \"h\"\ncountry = \"FI\"\ngrid_mw = 100\n\
        [[build]]\nsite = \"h\"\naccelerator = \"H100\"\ncount = 256\nonline = \"2027-01-01\"\n\
        [demand]\nreference_h100_equivalents = 256\n\
        [[tenant]]\nname = \"r\"\nclass = \"academia\"\nshare = 1\npreset = \"helios\"\n\
        load = 0.6\npatience_h = 24\n";

    #[test]
    fn seeds_spread_the_simulated_figures_and_nothing_else() {
        let catalog = Catalog::builtin();
        let plan = Plan::prepare("p", PLAN, PathBuf::from("."), catalog).unwrap();
        let until = Some(60 * 86_400);
        let per_seed = replicate(&plan, catalog, Sample::Full, until, &[7, 8, 9, 10]).unwrap();
        // The first seed is the plan's own: the figures a plain run gives.
        let options = SimOptions {
            until_s: until,
            ..SimOptions::default()
        };
        let e = run::evaluate(&plan, catalog, Sample::Full, options).unwrap();
        let own = figures(
            &plan.scenario,
            &plan.facility,
            &e.assessment,
            e.outcome.as_ref(),
        );
        assert_eq!(per_seed[0], own);
        let s = spread(&per_seed);
        let get = |k: &str| s.iter().find(|x| x.key == k).unwrap();
        // What is not drawn does not move.
        for k in ["capex_eur", "gpus", "facility_power_mw", "largest_run_flop"] {
            assert_eq!((get(k).half_width_95, get(k).min), (0.0, get(k).max), "{k}");
        }
        // What is drawn does, and the interval is Student's over the four values.
        let u = get("utilization");
        assert!(u.max > u.min, "{u:?}");
        let mean = u.values.iter().sum::<f64>() / 4.0;
        let sd = (u.values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 3.0).sqrt();
        assert!((u.mean - mean).abs() < 1e-15);
        assert!((u.half_width_95 - 3.182 * sd / 2.0).abs() < 1e-12);
        assert!(u.min <= u.mean && u.mean <= u.max);
        // A load of 60% from an empty start (its long jobs still arriving over the first
        // two months): the seeds agree within a few points.
        assert!(
            u.half_width_95 < 0.05 && u.mean > 0.3 && u.mean < 0.6,
            "{u:?}"
        );
        // Replicating is deterministic: the same seeds, the same figures.
        assert_eq!(
            per_seed,
            replicate(&plan, catalog, Sample::Full, until, &[7, 8, 9, 10]).unwrap()
        );
    }
}
