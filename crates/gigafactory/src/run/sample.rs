//! Sampling a facility too large to simulate job by job in reasonable time: a documented
//! 1-in-k sample of its accelerators, and, when that is not enough, windows of time.

use std::path::Path;

use crate::catalog::Catalog;
use crate::model::Facility;
use crate::scenario::Scenario;
use crate::sim::{SimConfig, SimError, SimOptions, SimOutcome, simulate};
use crate::workload::{JobSource, ReadError, TenantId, Windows};

/// How much of a run to simulate.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Sample {
    /// Choose within [`JOB_BUDGET`]: the whole facility when it is small enough, else see
    /// [`plan_sample`].
    #[default]
    Auto,
    /// Choose as `Auto` does, within about this many simulated jobs.
    Within(f64),
    /// Every accelerator and every day.
    Full,
    /// 1 in `k` accelerators, every day; refused if a sampled build phase could not hold
    /// the largest job.
    Factor(u32),
    /// Exactly this sample.
    Plan(SamplePlan),
}

impl std::str::FromStr for Sample {
    type Err = String;

    /// `auto`, `full` or a whole number k >= 1 (1 in k accelerators), as `--sample`
    /// takes it.
    fn from_str(s: &str) -> Result<Sample, String> {
        match s {
            "auto" => Ok(Sample::Auto),
            "full" => Ok(Sample::Full),
            n => match n.parse::<u32>() {
                Ok(k) if k >= 1 => Ok(Sample::Factor(k)),
                _ => Err(format!(
                    "expected auto, full or a whole number >= 1, found `{n}`"
                )),
            },
        }
    }
}

/// About this many jobs are simulated at most when sampling automatically: roughly half
/// a minute on one core of the development machine (measured: the default run).
pub const JOB_BUDGET: f64 = 5e6;

/// An automatic sample keeps every build phase at least this many times the largest job,
/// so that the largest jobs do not wait for a whole sampled phase to drain (at 1 in 36,
/// `eu-investai`'s phases held 2,064 GPUs against jobs of 2,048 and lost 17.5 M GPU-hours
/// of demand that 1 in 12 did not lose).
pub const SAMPLE_ROOM: u32 = 4;

/// The room an automatic sample falls back to when [`SAMPLE_ROOM`] would simulate more
/// than twice its budget even with the shortest windows: phases just under
/// `SAMPLE_ROOM` times the largest job (the 19 AI-Factory hosts' 15,600 B200 against jobs
/// of 2,048) could not be sampled at all, and the whole fleet's arrivals overflowed the
/// queue cap within a window (issue 12, defect 8). Measured on one such host over two
/// years against its whole run (fair share): sampled 1 in 3 (room for 2.5 such jobs) or
/// 1 in 2 (3.8) it served within 0.2% of the whole's GPU-hours, but waited less (p95 0.8
/// and 0.1 hours against 2.7). Within the shortest windows 1 in 2 overflowed the queue cap
/// in `eu-ai-factories`' last year and took 7 minutes against 3.
pub const MIN_SAMPLE_ROOM: u32 = 2;

/// A sample: 1 in `factor` accelerators, and optionally windows of time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SamplePlan {
    /// Spatial factor.
    pub factor: u32,
    /// Time windows.
    pub windows: Option<Windows>,
}

/// The largest job any of the scenario's synthetic tenants submits (1 without tenants).
fn largest_job(s: &Scenario, f: &Facility) -> u32 {
    s.tenants
        .iter()
        .map(|t| crate::workload::tenant_mix(t, f).largest_gpus())
        .max()
        .unwrap_or(1)
}

/// What a phase of `count` GPUs must keep once sampled: `room` GPUs where it has that many,
/// else room for the largest job it can hold (`hold`), so that a phase too small for `room`
/// does not force the whole facility to be simulated unsampled.
fn need(count: u32, room: u32, hold: u32) -> u32 {
    if count >= room { room } else { hold.min(count) }
}

/// The first build phase in service within the horizon (refreshes included) that, sampled
/// 1 in `k`, keeps less than it [`need`]s: its sampled size and the size it needs.
fn shortfall(s: &Scenario, f: &Facility, k: u32, room: u32, hold: u32) -> Option<(u32, u32)> {
    let end = s.start.add_years(s.years);
    let (g, _) = f.sampled(k);
    f.builds
        .iter()
        .zip(&g.builds)
        .filter(|(b, _)| b.online < end)
        .map(|(b, sampled)| (sampled.count, need(b.count, room, hold)))
        .find(|(have, need)| have < need)
}

/// The largest `k` no larger than `upto` that leaves every phase what it [`need`]s.
fn largest_factor(s: &Scenario, f: &Facility, upto: u32, room: u32, hold: u32) -> u32 {
    let end = s.start.add_years(s.years);
    let first_guess = f
        .builds
        .iter()
        .filter(|b| b.online < end)
        .map(|b| b.count / need(b.count, room, hold).max(1))
        .min()
        .unwrap_or(upto);
    let mut k = first_guess.clamp(1, upto.max(1));
    // Sampled counts are rounded to whole nodes: step down until every phase has room.
    while k > 1 && shortfall(s, f, k, room, hold).is_some() {
        k -= 1;
    }
    k
}

/// The automatic sample for `expected_jobs` arrivals on the full facility over a horizon
/// of `horizon_s` seconds (the scenario's, or shorter under `--until`), within `budget`
/// simulated jobs:
///
/// 1. Accelerators: 1 in k, with k as large as keeps every sampled build phase (a refresh
///    too, if it comes online in the horizon) [`SAMPLE_ROOM`] times the largest job any
///    tenant submits (a phase smaller than that: able to hold the largest job it can), and
///    no larger than needed to bring the jobs within the budget. If that, with the
///    windows of step 2, would still simulate more than twice the budget, the room is
///    [`MIN_SAMPLE_ROOM`] times the largest job instead.
/// 2. Time, if still above the budget: in every period, arrivals for a while to fill the
///    facility (warm-up), then arrivals for as long again that are measured, in the middle
///    of the period; no arrivals in the rest of it. A year holds a whole number of periods
///    (up to 26 of two weeks each), fewer the larger the excess, down to one a year; past
///    that the window shrinks, down to a day and a half of warm-up and a day and a half
///    measured. A horizon shorter than the period is one period. Jobs longer than the
///    warm-up are under-represented in each window; the outcome's sampling note says so.
pub fn plan_sample(
    s: &Scenario,
    f: &Facility,
    expected_jobs: f64,
    budget: f64,
    horizon_s: f64,
) -> SamplePlan {
    let full = SamplePlan {
        factor: 1,
        windows: None,
    };
    let budget = budget.max(1.0);
    if expected_jobs <= budget {
        return full;
    }
    let largest = largest_job(s, f);
    let needed = (expected_jobs / budget).ceil().min(f64::from(u32::MAX)) as u32;
    let with_room = |room: u32| {
        let factor = largest_factor(s, f, needed, room.saturating_mul(largest), largest);
        let left = expected_jobs / f64::from(factor);
        SamplePlan {
            factor,
            windows: (left > budget).then(|| windows(left, budget, horizon_s)),
        }
    };
    let plan = with_room(SAMPLE_ROOM);
    if simulated_share(&plan) * expected_jobs > 2.0 * budget {
        with_room(MIN_SAMPLE_ROOM)
    } else {
        plan
    }
}

/// The share of a whole run's arrivals that `plan` simulates.
fn simulated_share(plan: &SamplePlan) -> f64 {
    let active = plan
        .windows
        .map_or(1.0, |w| ((w.warmup_s + w.measured_s) / w.period_s).min(1.0));
    active / f64::from(plan.factor)
}

/// Windows of time that bring `left` arrivals over `horizon_s` seconds down to about
/// `budget` (see [`plan_sample`], step 2).
fn windows(left: f64, budget: f64, horizon_s: f64) -> Windows {
    const DAY: f64 = 86_400.0;
    const WEEK: f64 = 7.0 * DAY;
    const YEAR: f64 = 365.0 * DAY;
    let affordable = budget / left;
    // Whole windows per year, so that every year of the horizon is measured alike.
    let per_year = (YEAR / (2.0 * WEEK) * affordable).floor().clamp(1.0, 26.0);
    // Past one window a year, the window itself shrinks.
    let active = (affordable * YEAR).clamp(3.0 * DAY, 2.0 * WEEK);
    let period_s = (YEAR / per_year).min(horizon_s.max(1.0));
    let active = active.min(period_s);
    Windows {
        period_s,
        warmup_s: active / 2.0,
        measured_s: active / 2.0,
        offset_s: (period_s - active) / 2.0,
    }
}

/// Seconds from the start to the end of the scenario's horizon, or to `until_s`.
fn horizon_s(s: &Scenario, until_s: Option<u64>) -> f64 {
    let full = (s.start.add_years(s.years).days_since_epoch() - s.start.days_since_epoch()) as f64
        * 86_400.0;
    until_s.map_or(full, |u| (u as f64).min(full))
}

/// The automatic sample of scenario `s` on facility `f` within `budget` jobs (`None`
/// without synthetic tenants: a trace is replayed whole).
///
/// # Errors
/// The scenario's trace cannot be opened.
pub fn auto_sample(
    s: &Scenario,
    f: &Facility,
    base_dir: &Path,
    budget: f64,
) -> Result<Option<SamplePlan>, ReadError> {
    Ok(match JobSource::from_scenario(s, f, base_dir)? {
        Some(JobSource::Generated(jobs)) => Some(plan_sample(
            s,
            f,
            jobs.expected_jobs(),
            budget,
            horizon_s(s, None),
        )),
        _ => None,
    })
}

/// The sample `sample` means for a scenario whose tenants submit `expected_jobs` over its
/// horizon, simulated to `until_s` (or the horizon's end).
fn choose(
    s: &Scenario,
    f: &Facility,
    expected_jobs: f64,
    sample: Sample,
    until_s: Option<u64>,
) -> Result<SamplePlan, SimError> {
    let horizon = horizon_s(s, until_s);
    let full_horizon = horizon_s(s, None);
    // Arrivals scale with the time simulated.
    let expected = expected_jobs * horizon / full_horizon.max(1.0);
    Ok(match sample {
        Sample::Full => SamplePlan {
            factor: 1,
            windows: None,
        },
        Sample::Factor(k) => {
            let k = k.max(1);
            let largest = largest_job(s, f);
            if let Some((left, need)) = shortfall(s, f, k, largest, largest) {
                return Err(SimError::Sample(format!(
                    "a sample of 1 in {k} leaves a build phase {left} GPU{}, too few for the \
                     {need}-GPU jobs it would run whole; at most 1 in {} keeps every phase \
                     able to hold them, and 1 in {} leaves room for {SAMPLE_ROOM} of the largest \
                     job, as the automatic sample does",
                    if left == 1 { "" } else { "s" },
                    largest_factor(s, f, k, largest, largest),
                    largest_factor(s, f, k, SAMPLE_ROOM.saturating_mul(largest), largest),
                )));
            }
            SamplePlan {
                factor: k,
                windows: None,
            }
        }
        Sample::Auto => plan_sample(s, f, expected, JOB_BUDGET, horizon),
        Sample::Within(budget) => plan_sample(s, f, expected, budget, horizon),
        Sample::Plan(p) => p,
    })
}

/// About how many jobs `run_sampled` will simulate with these settings (`None` without
/// synthetic tenants; a trace's length is not known before it is read): what a caller
/// needs to say how long a run will take before starting it.
///
/// # Errors
/// As [`run_sampled`]'s choice of sample.
pub fn simulated_jobs(
    s: &Scenario,
    f: &Facility,
    base_dir: &Path,
    sample: Sample,
    until_s: Option<u64>,
) -> Result<Option<f64>, SimError> {
    let Some(JobSource::Generated(jobs)) = JobSource::from_scenario(s, f, base_dir)? else {
        return Ok(None);
    };
    let expected = jobs.expected_jobs() * horizon_s(s, until_s) / horizon_s(s, None).max(1.0);
    let plan = choose(s, f, jobs.expected_jobs(), sample, until_s)?;
    Ok(Some(expected * simulated_share(&plan)))
}

/// Simulate scenario `s` on facility `f`, sampled as `sample` says (sampling applies to
/// synthetic tenants only: a trace is replayed whole). Totals in the outcome are for the
/// whole facility and horizon; `outcome.sampling` says how they were obtained.
///
/// # Errors
/// The trace cannot be read, or the job log written; a sample asked for is one in which
/// the largest job cannot fit, or is asked of a trace replay.
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
    let config = SimConfig::resolve(s, catalog).with_services(s, catalog, f);
    let JobSource::Generated(jobs) = source else {
        if let Sample::Factor(k @ 2..) = sample {
            return Err(SimError::Sample(format!(
                "a trace is replayed whole: a sample of 1 in {k} applies to synthetic tenants"
            )));
        }
        let mut source = source;
        let mut out = simulate(&config, f, &mut source, options)?;
        if let JobSource::Trace { reader, .. } = &source {
            out.passed_over = Some(reader.skipped());
        }
        return Ok(Some(out));
    };
    let plan = choose(s, f, jobs.expected_jobs(), sample, options.until_s)?;
    if plan.factor == 1 && plan.windows.is_none() {
        let mut source = JobSource::Generated(jobs);
        return simulate(&config, f, &mut source, options).map(Some);
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
    let mut out = simulate(&config, &g, &mut counted, options)?;
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
    out.sampling = Some(crate::sim::Sampling {
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
