//! Sampling a facility too large to simulate job by job in reasonable time: a documented
//! 1-in-k sample of its accelerators, and, when that is not enough, windows of time.

use std::path::Path;

use super::{SimError, SimOptions, SimOutcome, simulate};
use crate::catalog::Catalog;
use crate::model::Facility;
use crate::scenario::Scenario;
use crate::workload::{JobSource, ReadError, TenantId, Windows, generate::preset};

/// How much of a run to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Sample {
    /// Choose: the whole facility when it is small enough, else see [`plan_sample`].
    #[default]
    Auto,
    /// Every accelerator and every day.
    Full,
    /// 1 in `k` accelerators, every day.
    Factor(u32),
    /// Exactly this sample (`compare` gives every plan the same time windows).
    Plan(SamplePlan),
}

/// About this many jobs are simulated at most when sampling automatically: roughly half
/// a minute on one core of the development machine (measured: the default run).
pub const JOB_BUDGET: f64 = 5e6;

/// A sample: 1 in `factor` accelerators, and optionally windows of time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SamplePlan {
    /// Spatial factor.
    pub factor: u32,
    /// Time windows.
    pub windows: Option<Windows>,
}

/// The automatic sample for `expected_jobs` arrivals on the full facility:
///
/// 1. Accelerators: 1 in k, with k as large as keeps every sampled build phase (a refresh
///    too, if it comes online in the horizon) able to hold the largest job any tenant
///    submits (so that no job is refused that the whole facility would run), and no
///    larger than needed to bring the jobs within
///    [`JOB_BUDGET`]. The largest jobs then meet a facility only a few times their size:
///    their waits are the figures sampling distorts most.
/// 2. Time, if still above the budget: in every period, one week of arrivals to fill the
///    facility (warm-up), then one week of arrivals that is measured, in the middle of the
///    period; no arrivals in the rest of it. A year holds a whole number of periods, fewer
///    the larger the excess, down to one (one measured week a year); past that the
///    window shrinks, down to a day and a half of warm-up and a day and a half measured. Jobs longer than the warm-up are under-represented
///    in each window; `gigafactory` says so where it reports the sample.
pub fn plan_sample(s: &Scenario, f: &Facility, expected_jobs: f64) -> SamplePlan {
    let full = SamplePlan {
        factor: 1,
        windows: None,
    };
    if expected_jobs <= JOB_BUDGET {
        return full;
    }
    let max_job = s
        .tenants
        .iter()
        .filter_map(|t| preset(&t.preset))
        .filter_map(|p| p.sizes.last().map(|x| x.0))
        .max()
        .unwrap_or(1);
    // Every phase that comes online within the horizon, refreshes included: a refresh
    // of fewer, faster parts must still hold the largest job once sampled.
    let end = s.start.add_years(s.years);
    let min_phase = f
        .builds
        .iter()
        .filter(|b| b.online < end)
        .map(|b| b.count)
        .min()
        .unwrap_or(0);
    let by_size = (min_phase / max_job.max(1)).max(1);
    let needed = (expected_jobs / JOB_BUDGET).ceil() as u32;
    let factor = by_size.min(needed).max(1);
    let left = expected_jobs / f64::from(factor);
    let windows = (left > JOB_BUDGET).then(|| {
        const WEEK: f64 = 7.0 * 86_400.0;
        const YEAR: f64 = 365.25 * 86_400.0;
        // Whole windows per year, so that every year of the horizon is measured alike.
        let per_year = (YEAR / (2.0 * WEEK) * JOB_BUDGET / left)
            .floor()
            .clamp(1.0, 26.0);
        // Past one window a year, the window itself shrinks, to a day and a half of
        // warm-up and a day and a half measured.
        let active = (JOB_BUDGET / left * YEAR).clamp(3.0 * 86_400.0, 2.0 * WEEK);
        let period_s = YEAR / per_year;
        Windows {
            period_s,
            warmup_s: active / 2.0,
            measured_s: active / 2.0,
            offset_s: (period_s - active) / 2.0,
        }
    });
    SamplePlan { factor, windows }
}

/// The automatic sample of scenario `s` on facility `f` (`None` without synthetic
/// tenants: a trace is replayed whole).
///
/// # Errors
/// The scenario's trace cannot be opened.
pub fn auto_sample(
    s: &Scenario,
    f: &Facility,
    base_dir: &Path,
) -> Result<Option<SamplePlan>, ReadError> {
    Ok(match JobSource::from_scenario(s, f, base_dir)? {
        Some(JobSource::Generated(jobs)) => Some(plan_sample(s, f, jobs.expected_jobs())),
        _ => None,
    })
}

/// Simulate scenario `s` on facility `f`, sampled as `sample` says (sampling applies to
/// synthetic tenants only: a trace is replayed whole). Totals in the outcome are for the
/// whole facility and horizon; `outcome.sampling` says how they were obtained.
///
/// # Errors
/// The trace cannot be read, or the job log written.
pub fn run_sampled(
    s: &Scenario,
    f: &Facility,
    catalog: &Catalog,
    base_dir: &Path,
    sample: Sample,
    options: SimOptions<'_>,
) -> Result<Option<SimOutcome>, SimError> {
    let Some(source) = JobSource::from_scenario(s, f, base_dir)? else {
        return Ok(None);
    };
    let JobSource::Generated(jobs) = source else {
        let mut source = source;
        return simulate(s, f, catalog, &mut source, options).map(Some);
    };
    let plan = match sample {
        Sample::Full => SamplePlan {
            factor: 1,
            windows: None,
        },
        Sample::Factor(k) => SamplePlan {
            factor: k.max(1),
            windows: None,
        },
        Sample::Auto => plan_sample(s, f, jobs.expected_jobs()),
        Sample::Plan(p) => p,
    };
    if plan.factor == 1 && plan.windows.is_none() {
        let mut source = JobSource::Generated(jobs);
        return simulate(s, f, catalog, &mut source, options).map(Some);
    }
    let (g, weight) = f.sampled(plan.factor);
    // The same scenario, so the same tenants: a generator again.
    let Some(JobSource::Generated(mut jobs)) = JobSource::from_scenario(s, &g, base_dir)? else {
        unreachable!("synthetic tenants give a generator");
    };
    if let Some(w) = plan.windows {
        jobs = jobs.with_windows(w);
    }
    let mut counted = Counted {
        inner: JobSource::Generated(jobs),
        n: 0,
    };
    let options = SimOptions {
        windows: plan.windows,
        ..options
    };
    let mut out = simulate(s, &g, catalog, &mut counted, options)?;
    out.scale(weight);
    let simulated_gpus: u64 = g.planned().map(|b| u64::from(b.count)).sum();
    let mut note = format!(
        "sampled: 1 in {} accelerators of every build phase simulated ({simulated_gpus} in \
         all), demand scaled with them; totals multiplied by {weight:.3}",
        plan.factor
    );
    if let Some(w) = plan.windows {
        note.push_str(&format!(
            "; time sampled: jobs arrive in {:.1} days in the middle of every {:.0} and only \
             the last {:.1} are measured ({:.1}% of the time, totals divided by it); jobs \
             longer than the {:.1}-day warm-up are under-represented",
            (w.warmup_s + w.measured_s) / 86_400.0,
            w.period_s / 86_400.0,
            w.measured_s / 86_400.0,
            w.measured_fraction() * 100.0,
            w.warmup_s / 86_400.0
        ));
    }
    note.push_str("; utilisation, shares and waits as simulated");
    out.sampling = Some(super::Sampling {
        factor: plan.factor,
        simulated_gpus,
        weight,
        windows: plan.windows,
        jobs_simulated: counted.n,
        note,
    });
    Ok(Some(out))
}

/// A job stream that counts what passes.
struct Counted {
    inner: JobSource,
    n: u64,
}

impl Iterator for Counted {
    type Item = Result<crate::workload::Job, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let x = self.inner.next();
        if x.is_some() {
            self.n += 1;
        }
        x
    }
}

impl crate::workload::JobStream for Counted {
    fn tenant_name(&self, t: TenantId) -> Option<&str> {
        self.inner.tenant_name(t)
    }
}
