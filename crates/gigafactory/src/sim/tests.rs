//! The simulation against closed forms and worked examples.

use super::*;
use crate::catalog::Catalog;
use crate::model;
use crate::workload::generate::Stream;
use crate::workload::{Outcome, TenantId};

/// A one-site scenario of `gpus` H100s with extra TOML appended.
pub(crate) fn scenario(gpus: u32, years: u32, extra: &str) -> String {
    format!(
        r#"
name = "sim test"
start = "2027-01-01"
years = {years}
[[site]]
name = "s"
country = "FI"
grid_mw = 10000
[[build]]
site = "s"
accelerator = "H100"
count = {gpus}
online = "2027-01-01"
life_years = 30
{extra}
"#
    )
}

pub(crate) fn job(id: u64, submit_s: i64, gpus: f64, duration_s: u64) -> Job {
    Job {
        id,
        tenant: TenantId(0),
        submit_s,
        gpus,
        duration_s,
        outcome: Outcome::Completed,
        kind: None,
        wall_time_s: None,
        retries: 0,
    }
}

pub(crate) fn run_jobs(text: &str, jobs: Vec<Job>) -> SimOutcome {
    run_with_log(text, jobs).0
}

pub(crate) fn run_with_log(text: &str, jobs: Vec<Job>) -> (SimOutcome, String) {
    let catalog = Catalog::builtin();
    let (s, f) = model::prepare(text, catalog).unwrap();
    let mut log = Vec::new();
    let mut it = jobs.into_iter().map(Ok);
    let out = simulate(
        &s,
        &f,
        catalog,
        &mut it,
        &|t| format!("t{t}"),
        SimOptions {
            job_log: Some(&mut log),
            ..SimOptions::default()
        },
    )
    .unwrap();
    (out, String::from_utf8(log).unwrap())
}

/// Erlang C: the probability an arrival waits in an M/M/c queue with offered load `a`.
fn erlang_c(c: u32, a: f64) -> f64 {
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        sum += term;
        term *= a / f64::from(k + 1);
    }
    // term is now a^c / c!.
    let top = term * f64::from(c) / (f64::from(c) - a);
    top / (sum + top)
}

#[test]
fn fifo_mean_wait_matches_erlang_c() {
    // 16 single-GPU servers at load 0.7, exponential run times of mean 1 h: an M/M/16
    // queue. The mean wait of one run is noisy (waits are strongly autocorrelated: about
    // ±4% at 300,000 jobs), so four independent runs of 400,000 jobs are averaged, each
    // against Erlang C at its realised arrival rate and mean run time.
    let (c, rho, mean_s, n) = (16u32, 0.7, 3600.0, 400_000u64);
    let lambda = rho * f64::from(c) / mean_s;
    let mut errors = Vec::new();
    for seed in 1..=4 {
        let mut arrivals = Stream::new(seed, 0, 1);
        let mut sizes = Stream::new(seed, 0, 2);
        let mut t = 0.0;
        let jobs: Vec<Job> = (0..n)
            .map(|i| {
                t += arrivals.exponential(1.0 / lambda);
                job(
                    i,
                    t as i64,
                    1.0,
                    (sizes.exponential(mean_s).round() as u64).max(1),
                )
            })
            .collect();
        let mean_d = jobs.iter().map(|j| j.duration_s as f64).sum::<f64>() / n as f64;
        let lam = n as f64 / t;
        let expected = erlang_c(c, lam * mean_d) / (f64::from(c) / mean_d - lam);
        let out = run_jobs(&scenario(c, 5, "[failures]\nenabled = false"), jobs);
        assert_eq!(out.jobs_completed, n);
        // Utilisation over the horizon is the offered load over the arrivals' span.
        let span = t / (5.0 * 365.25 * 86_400.0);
        assert!(
            (out.utilization - lam * mean_d / f64::from(c) * span).abs() < 0.01,
            "{}",
            out.utilization
        );
        errors.push(out.wait_s_mean / expected - 1.0);
    }
    let mean_error = errors.iter().sum::<f64>() / errors.len() as f64;
    assert!(
        mean_error.abs() < 0.05,
        "errors {errors:?}, mean {mean_error:+.3}"
    );
}

/// (first start, end) of each job id, from the job log.
fn times(log: &str) -> std::collections::BTreeMap<u64, (u64, u64)> {
    log.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].parse().unwrap(),
                (f[4].parse().unwrap(), f[5].parse().unwrap()),
            )
        })
        .collect()
}

fn starts(
    policy: &str,
    gpus: u32,
    tenants: &str,
    jobs: &[(u64, i64, f64, u64, u32)],
) -> (Vec<u64>, SimOutcome, String) {
    let extra =
        format!("[scheduler]\npolicy = \"{policy}\"\n[failures]\nenabled = false\n{tenants}");
    let jobs = jobs
        .iter()
        .map(|&(id, t, g, d, tenant)| Job {
            tenant: TenantId(tenant),
            ..job(id, t, g, d)
        })
        .collect();
    let (out, log) = run_with_log(&scenario(gpus, 1, &extra), jobs);
    let t = times(&log);
    (t.values().map(|v| v.0).collect(), out, log)
}

const TWO_TENANTS: &str = "
[[tenant]]
name = \"a\"
class = \"academia\"
share = 0.5
preset = \"helios\"
load = 0
[[tenant]]
name = \"b\"
class = \"industry\"
share = 0.5
preset = \"helios\"
load = 0
";

/// (id, submit, GPUs, run time, tenant) on 16 GPUs (two nodes).
const MIXED: [(u64, i64, f64, u64, u32); 5] = [
    (1, 0, 16.0, 100, 0),
    (2, 1, 8.0, 50, 0),
    (3, 2, 4.0, 10, 0),
    (4, 3, 16.0, 10, 0),
    (5, 4, 1.0, 5, 0),
];

#[test]
fn fifo_worked_example() {
    // t=100: job 1 ends; job 2 (8 GPUs) and job 3 (4) start; job 4 (16) waits for both
    // nodes; job 5, behind it, waits too. t=150: job 2 ends, job 4 runs to 160; then job 5.
    let (s, ..) = starts("fifo", 16, "", &MIXED);
    assert_eq!(s, [0, 100, 100, 150, 160]);
}

#[test]
fn easy_backfill_worked_example() {
    // As FIFO until t=100. Then job 4's reservation: 4 GPUs free, +4 at 110 (job 3),
    // +8 at 150 (job 2): 16 at 150. Job 5 (1 GPU, 5 s) ends by 105 <= 150: backfilled at
    // 100. Job 4 still starts at 150.
    let (s, ..) = starts("easy-backfill", 16, "", &MIXED);
    assert_eq!(s, [0, 100, 100, 150, 100]);
}

#[test]
fn sjf_worked_example() {
    // One node; jobs of 100, 50 and 10 s. At t=100 the 10 s job goes before the 50 s one.
    let jobs = [(1, 0, 8.0, 100, 0), (2, 1, 8.0, 50, 0), (3, 2, 8.0, 10, 0)];
    assert_eq!(starts("sjf", 8, "", &jobs).0, [0, 110, 100]);
    assert_eq!(starts("fifo", 8, "", &jobs).0, [0, 100, 150]);
}

#[test]
fn quota_worked_example() {
    // 16 GPUs, quotas of 8 (shares of 0.5). Tenant a's second job waits for its first
    // though 8 GPUs are free; tenant b's job takes them at t=2.
    let jobs = [
        (1, 0, 8.0, 100, 0),
        (2, 1, 8.0, 100, 0),
        (3, 2, 8.0, 100, 1),
    ];
    assert_eq!(starts("quota", 16, TWO_TENANTS, &jobs).0, [0, 100, 2]);
    assert_eq!(starts("fifo", 16, TWO_TENANTS, &jobs).0, [0, 1, 100]);
}

#[test]
fn fair_share_worked_example() {
    // One node. Tenant a runs 1,000 s alone; at t=1000 a has used 8,000 GPU-s and b none,
    // so b's factor 2^0 = 1 beats a's 2^(-1/0.5) = 1/4: b's job (submitted later) first.
    let jobs = [
        (1, 0, 8.0, 1000, 0),
        (2, 10, 8.0, 10, 0),
        (3, 20, 8.0, 10, 1),
    ];
    assert_eq!(
        starts("fair-share", 8, TWO_TENANTS, &jobs).0,
        [0, 1010, 1000]
    );
    assert_eq!(starts("fifo", 8, TWO_TENANTS, &jobs).0, [0, 1000, 1010]);
}

#[test]
fn las_worked_example() {
    // One node, queues split at 1, 10, 100 GPU-hours. At t=3600 job 1 has received 8
    // GPU-hours (queue 1); job 2 (queue 0) preempts it and runs 60 s. Job 1 has not reached
    // a checkpoint (Young/Daly for 8 GPUs: sqrt(2 x 50,675 h x 3600 / 8 x 60 s) = 52,311 s),
    // so it restarts from the beginning at 3660 and ends at 3660 + 36,000.
    let jobs = [(1, 0, 8.0, 36_000, 0), (2, 3600, 8.0, 60, 0)];
    let (s, out, log) = starts("las", 8, "", &jobs);
    assert_eq!(s, [0, 3600]);
    assert_eq!(times(&log)[&1].1, 39_660);
    assert_eq!(out.preemptions, 1);
    assert!((out.lost_gpu_hours - 8.0).abs() < 1e-9);
}
