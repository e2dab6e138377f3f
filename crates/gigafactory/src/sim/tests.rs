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
