//! The simulation against closed forms and worked examples.

use super::policy_tests::{TWO_TENANTS, times};
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

/// Simulate `jobs` on the scenario `text` with `options`.
pub(crate) fn simulate_jobs(
    text: &str,
    jobs: Vec<Job>,
    options: SimOptions<'_>,
) -> Result<SimOutcome, SimError> {
    let catalog = Catalog::builtin();
    let (s, f) = model::prepare(text, catalog).unwrap();
    let mut it = crate::workload::Unnamed(jobs.into_iter().map(Ok));
    let config = SimConfig::resolve(&s, catalog).with_services(&s, catalog, &f);
    simulate(&config, &f, &mut it, options)
}

pub(crate) fn run_with_log(text: &str, jobs: Vec<Job>) -> (SimOutcome, String) {
    let mut log = super::CsvJobLog::new(Vec::new()).unwrap();
    let options = SimOptions {
        job_log: Some(&mut log),
        ..SimOptions::default()
    };
    let out = simulate_jobs(text, jobs, options).unwrap();
    (out, String::from_utf8(log.into_inner().unwrap()).unwrap())
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

#[test]
fn a_llama3_sized_job_sees_the_catalogue_failure_rate() {
    // One 16,384-GPU job of 54 days on H100 (the Llama 3 405B run), on 16,384 + 1,024
    // spare GPUs so that nodes in repair do not hold it up. Default failures: one
    // interruption per 50,675 GPU-hours (419 in 21.2M GPU-hours). The job is interrupted by
    // failures on its own nodes only, so the expected count is the GPU-hours it ran for
    // divided by that rate; the count is Poisson, so 3 standard deviations is sqrt(E) x 3.
    let text = scenario(16_384 + 1_024, 1, "");
    let out = run_jobs(&text, vec![job(1, 0, 16_384.0, 54 * 86_400)]);
    assert_eq!(out.jobs_completed, 1);
    let mtbf_h = 16_384.0 * 54.0 * 24.0 / 419.0;
    let expected = out.tenants[0].served_gpu_hours / mtbf_h;
    let got = out.interruptions as f64;
    assert!(
        (got - expected).abs() <= 3.0 * expected.sqrt(),
        "{got} interruptions, expected {expected:.1}"
    );
    // About 419 in the Llama 3 run itself, which ran 54 days in all.
    assert!(expected > 400.0 && expected < 480.0, "{expected}");
    assert!(out.lost_gpu_hours > 0.0 && out.checkpoint_overhead_gpu_hours > 0.0);
}

mod invariants {
    use super::*;
    use proptest::prelude::*;

    /// An inference service busy in hours 1 to 4 of each day.
    const SERVICE: &str = "[[tenant]]\nname = \"svc\"\nclass = \"industry\"\nshare = 0\n\
        kind = \"inference\"\nmodel = \"dense-8b\"\ninput_tokens_per_day = 0\n\
        output_tokens_per_day = 1.89e9\nhourly = [0, 4, 4, 1, 3, 0, 0, 0, 0, 0, 0, 0, \
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]\n";

    fn workload() -> impl Strategy<Value = Vec<(i64, u32, u64, u32)>> {
        proptest::collection::vec((0i64..20_000, 1u32..48, 1u64..5_000, 0u32..2), 1..60)
    }

    fn policy() -> impl Strategy<Value = &'static str> {
        prop_oneof![
            Just("fifo"),
            Just("easy-backfill"),
            Just("sjf"),
            Just("quota"),
            Just("fair-share"),
            Just("las")
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn every_job_ends_once_and_nothing_is_double_booked(raw in workload(), policy in policy(), seed in 0u64..1000, serve in any::<bool>()) {
            let mut raw = raw;
            raw.sort_by_key(|r| r.0);
            let jobs: Vec<Job> = raw
                .iter()
                .enumerate()
                .map(|(i, &(t, g, d, tenant))| Job { tenant: TenantId(tenant), ..job(i as u64, t, f64::from(g), d) })
                .collect();
            // 32 GPUs in pods of 2 nodes; frequent failures and short patience to exercise
            // interruptions and withdrawals.
            let tenants = TWO_TENANTS.replace("load = 0\n[[tenant]]", "load = 0\npatience_h = 1\n[[tenant]]");
            // And, half the time, an inference service whose replicas (one GPU each) rise to
            // about 12 of the 32 GPUs in hours 1 to 4, preempting batch jobs for room.
            let tenants = if serve { tenants + SERVICE } else { tenants };
            let extra = format!(
                "[scheduler]\npolicy = \"{policy}\"\n[cluster]\npod_nodes = 2\n\
                 [failures]\ngpu_hours_per_interruption = 20\nrepair_h = 0.5\n{tenants}"
            );
            let text = scenario(32, 1, &extra).replace("years = 1", &format!("years = 1\nseed = {seed}"));
            let (out, log) = run_with_log(&text, jobs.clone());
            prop_assert_eq!(out.jobs_submitted, jobs.len() as u64);
            prop_assert_eq!(
                out.jobs_submitted,
                out.jobs_completed + out.jobs_withdrawn + out.jobs_rejected + out.jobs_unfinished
            );
            prop_assert!(out.utilization <= 1.0 + 1e-12);
            // Each job appears in the log at most once; completed + withdrawn lines = log lines.
            let ids: Vec<&str> = log.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
            let mut unique = ids.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), ids.len());
            prop_assert_eq!(ids.len() as u64, out.jobs_completed + out.jobs_withdrawn + out.jobs_rejected);
            // Allocated GPU-time never exceeds GPU-time in service.
            for s in &out.sites {
                prop_assert!(s.gpu_hours_allocated <= s.gpu_hours_available + 1e-9);
            }
            // The tenants' hours (a service's replicas among them) are the facility's.
            let tenants_h: f64 = out.tenants.iter().map(|t| t.served_gpu_hours).sum();
            let sites_h: f64 = out.sites.iter().map(|s| s.gpu_hours_allocated).sum();
            prop_assert!((tenants_h - sites_h).abs() <= 1e-6 * sites_h.max(1.0));
            prop_assert!(out.service_preemptions <= out.preemptions);
            prop_assert!(out.serving_gpu_hours <= sites_h + 1e-6);
            if serve {
                let k = out.tenants[2].tokens.unwrap();
                prop_assert!(k.served() <= k.input_demanded + k.output_demanded + 1e-3);
                prop_assert!(k.served() > 0.0);
                // The year's tokens are the run's.
                let year: f64 = out.years.iter().map(|y| y.tokens.served()).sum();
                prop_assert!((year - k.served()).abs() <= 1e-9 * k.served());
            }
            // Same inputs, same seed: the same outcome and the same log, byte for byte.
            let (again, log2) = run_with_log(&text, jobs);
            prop_assert_eq!(out, again);
            prop_assert_eq!(log, log2);
        }
    }
}

#[test]
fn yearly_figures_worked_by_hand() {
    // One 8-GPU node online on 2027-07-02 (day 182 of 365: in service 183 days of 2027, and
    // all 366 days of 2028). One 8-GPU job of 10 days submitted on 2028-01-01 (day 365).
    // No checkpoints (a long interval), so its GPU-hours are exact: 8 x 240 = 1,920.
    let text = scenario(
        8,
        2,
        "[failures]\nenabled = false\ncheckpoint_interval_s = 1e12\n[economics]\nrent_change_per_year = 0",
    )
    .replace("online = \"2027-01-01\"", "online = \"2027-07-02\"");
    let out = run_jobs(&text, vec![job(1, 365 * 86_400, 8.0, 10 * 86_400)]);
    let [y27, y28] = &out.years[..] else {
        panic!("{:?}", out.years)
    };
    assert_eq!((y27.year, y28.year), (2027, 2028));
    assert!((y27.gpus_online - 8.0 * 183.0 / 365.0).abs() < 1e-9);
    assert!((y28.gpus_online - 8.0).abs() < 1e-9);
    // Capex in the year it comes online: 8 H100 at the $27,500 midpoint x 0.9231 EUR/USD
    // x 1.4 (servers) x 1.195 (network) = 339,756.2; building 8 x 1,275 W = 0.0102 MW x
    // EUR 8.4M = 85,680.
    assert!(
        (y27.capex_eur - (8.0 * 27_500.0 * 0.9231 * 1.4 * 1.195 + 0.0102 * 8.4e6)).abs() < 0.01
    );
    assert_eq!(y28.capex_eur, 0.0);
    assert!((y28.served_gpu_hours - 1920.0).abs() < 1e-9);
    assert_eq!(y27.served_gpu_hours, 0.0);
    assert!((y28.utilization - 1920.0 / (8.0 * 366.0 * 24.0)).abs() < 1e-12);
    // Idle all 2027: 10.2 kW rated x 11.5% idle x 183 days x 24 h x PUE 1.3 (default),
    // in MWh; at Finland's EUR 0.05/kWh and 72 g/kWh.
    let mwh = 10.2 * 0.115 * 183.0 * 24.0 * 1.3 / 1000.0;
    assert!((y27.energy_mwh - mwh).abs() < 1e-9);
    assert!((y27.co2_t - mwh * 72.0 / 1000.0).abs() < 1e-9);
    // Opex: electricity plus maintenance and staff for the 183 days in service.
    let fixed = model::phase_costs(&model::prepare(&text, Catalog::builtin()).unwrap().1)[0]
        .fixed_opex_eur_per_year;
    assert!((y27.opex_eur - (mwh * 1000.0 * 0.05 + fixed * 183.0 / 365.25)).abs() < 1e-6);
    // Market value: 1,920 H100-hours at $2.35 x 0.9231.
    assert!((y28.market_value_eur - 1920.0 * 2.35 * 0.9231).abs() < 1e-6);
    assert_eq!(y28.wait_s_p95, 0.0);
}

#[test]
fn served_hours_are_valued_at_the_rent_of_their_time() {
    // 8 GPUs busy for 10 days from 2028-01-01 (day 365); the rent is EUR 2.00 at the start
    // (2027-01-01) and halves each year. The value is 8 x the integral of the rent over
    // those 240 hours, here by the trapezoid rule on 10,000 steps.
    let extra = "[failures]\nenabled = false\ncheckpoint_interval_s = 1e12\n[economics]\n\
                 eur_per_usd = 1.0\nmarket_rent_usd_per_gpu_hour = 2.0\nrent_change_per_year = -0.5";
    let out = run_jobs(
        &scenario(8, 2, extra),
        vec![job(1, 365 * 86_400, 8.0, 10 * 86_400)],
    );
    let year0 = 1970.0 + 20_819.0 / 365.2425; // 2027-01-01 is day 20,819 since 1970-01-01
    let (a, b) = (year0 + 365.0 / 365.2425, year0 + 375.0 / 365.2425);
    let steps = 10_000;
    let h = (b - a) / f64::from(steps);
    let rent = |y: f64| 2.0 * 0.5f64.powf(y - year0);
    let integral_years: f64 = (0..steps)
        .map(|i| 0.5 * h * (rent(a + f64::from(i) * h) + rent(a + f64::from(i + 1) * h)))
        .sum();
    let expected = 8.0 * integral_years * 365.2425 * 24.0;
    let got = out.phases[0].value_delivered_eur;
    assert!((got / expected - 1.0).abs() < 1e-6, "{got} vs {expected}");
    assert!((out.years[1].market_value_eur - got).abs() < 1e-6);
    // About half the undiscounted 1,920 GPU-hours x EUR 2: a year in, the rent has halved.
    assert!((got / (1920.0 * 2.0) - 0.5).abs() < 0.01);
}

#[test]
fn an_ordered_phase_pays_in_its_order_year() {
    // Ordered 2027-11-01 with 3 months' lead: capex in 2027, in service from 2028-02-01
    // (2028 has 366 days, 31 of them before the phase).
    let text = scenario(8, 2, "[failures]\nenabled = false").replace(
        "online = \"2027-01-01\"",
        "ordered = \"2027-11-01\"\nlead_time_months = 3",
    );
    let o = run_jobs(&text, Vec::new());
    assert!(o.years[0].capex_eur > 0.0);
    assert_eq!((o.years[1].capex_eur, o.years[0].gpus_online), (0.0, 0.0));
    assert!((o.years[1].gpus_online - 8.0 * 335.0 / 366.0).abs() < 1e-9);
}

#[test]
fn the_hourly_series_adds_up_to_the_totals_and_counts_the_queue() {
    // Two 8-GPU jobs of 2 h on one 8-GPU node, both at 00:00: the second waits two hours.
    let extra = "[scheduler]\npolicy = \"fifo\"\n\
                 [failures]\nenabled = false\ncheckpoint_interval_s = 1e9\n";
    let jobs = vec![job(1, 0, 8.0, 7200), job(2, 0, 8.0, 7200)];
    let out = run_jobs(&scenario(8, 1, extra), jobs);
    let ts = &out.series;
    assert_eq!(
        ts.len(),
        365 * 24,
        "a row per hour of 2027 for the one site"
    );
    assert_eq!(ts.sites, ["s"]);
    assert_eq!(ts.tenants, ["tenant-0"]);
    assert_eq!(ts.start_unix_s, 1_798_761_600, "2027-01-01T00:00:00Z");
    assert_eq!(&ts.gpus_allocated[..5], &[8.0, 8.0, 8.0, 8.0, 0.0]);
    assert_eq!(&ts.queued_jobs[0][..5], &[1.0, 1.0, 0.0, 0.0, 0.0]);
    assert_eq!(&ts.queued_gpus[0][..5], &[8.0, 8.0, 0.0, 0.0, 0.0]);
    assert!(ts.gpus_online.iter().all(|&g| g == 8.0));
    // The wait distribution: one job waited 0 s, the other 2 h (to the histogram's 0.1%).
    let w = &out.tenants[0].wait_s_by_percentile;
    assert_eq!(w.len(), 101);
    assert_eq!(w[0], 0.0);
    assert!((w[100] - 7200.0).abs() <= 7.2, "{}", w[100]);
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    assert!(close(sum(&ts.energy_mwh), out.energy_mwh));
    assert!(close(
        sum(&ts.electricity_cost_eur),
        out.electricity_cost_eur
    ));
    assert!(close(sum(&ts.co2_t), out.co2_t));
    assert!(close(
        sum(&ts.gpus_allocated),
        out.sites[0].gpu_hours_allocated
    ));
    // Power while busy against idle: the busy hours draw more, by the busy-idle spread.
    assert!(ts.it_power_mw[0] > ts.it_power_mw[4]);
    assert!(close(ts.facility_power_mw[0], ts.energy_mwh[0]));
}

/// Issue 12, defect 2: a partition of 1,024 H100 retires after half a year, leaving 512.
/// Jobs of 1,024 GPUs submitted after that can never run: each is refused when it
/// arrives, and the 64-GPU jobs behind it complete (under FIFO and EASY backfill, whose
/// queue heads used to block for the rest of the run). A 1,024-GPU job waiting when the
/// partition retires is refused then, not left at the head of the queue.
#[test]
fn jobs_no_partition_still_in_service_can_hold_are_refused_not_left_to_block() {
    for policy in ["fifo", "easy-backfill"] {
        let text = format!(
            "{}[[build]]\nsite = \"s\"\naccelerator = \"H100\"\ncount = 1024\n\
             online = \"2027-01-01\"\nlife_years = 0.5\n[scheduler]\npolicy = \"{policy}\"\n",
            // No spares: the jobs take every node of the larger partition.
            scenario(512, 1, "[failures]\nspare_fraction = 0\n")
        );
        let day = 86_400;
        let half_year = 183 * day;
        let mut jobs = Vec::new();
        // Before the retirement: a big job that finishes, and one that waits behind a
        // long one holding the big partition, still queued when it retires.
        jobs.push(job(1, 0, 1024.0, 3600));
        jobs.push(job(2, day, 1024.0, 200 * day as u64));
        jobs.push(job(3, day + 1, 1024.0, 3600));
        // After it: big jobs mixed with small ones.
        for k in 0..20u64 {
            let t = half_year + day + (k as i64) * 3600;
            let big = k % 4 == 0;
            jobs.push(job(10 + k, t, if big { 1024.0 } else { 64.0 }, 1800));
        }
        let out = run_jobs(&text, jobs);
        // Refused: jobs 2 and 3 when the partition retired (job 2 was running on it:
        // interrupted, then refused, as no partition left can hold it), and the five big
        // ones after.
        assert_eq!(out.jobs_rejected, 7, "{policy}");
        assert_eq!(out.jobs_completed, 1 + 15, "{policy}");
        assert_eq!(out.jobs_unfinished, 0, "{policy}");
        assert_eq!(
            out.jobs_submitted,
            out.jobs_completed + out.jobs_withdrawn + out.jobs_rejected + out.jobs_unfinished,
            "{policy}"
        );
    }
}

#[test]
fn a_trace_replay_logs_the_trace_tenant_names_from_the_first_row() {
    // Issue 12, defect 11: the job log named a trace's tenants `tenant-0`, `tenant-1`
    // while tenants.csv used the trace's own names (vcA, vcB, vcC in this Helios file).
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = scenario(
        64,
        1,
        "[workload]\ntrace = \"helios_cluster_log.csv\"\nformat = \"helios\"\n",
    );
    let catalog = Catalog::builtin();
    let (s, f) = model::prepare(&text, catalog).unwrap();
    let mut log = super::CsvJobLog::new(Vec::new()).unwrap();
    let out = crate::run::run_sampled(
        &s,
        &f,
        catalog,
        &fixtures,
        crate::run::Sample::Full,
        SimOptions {
            job_log: Some(&mut log),
            ..SimOptions::default()
        },
    )
    .unwrap()
    .unwrap();
    let log = String::from_utf8(log.into_inner().unwrap()).unwrap();
    let logged: std::collections::BTreeSet<&str> = log
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    let named: std::collections::BTreeSet<&str> =
        out.tenants.iter().map(|t| t.name.as_str()).collect();
    assert!(!logged.is_empty());
    assert!(
        logged
            .iter()
            .all(|n| named.contains(n) && !n.starts_with("tenant-")),
        "the job log names {logged:?}, the results {named:?}"
    );
}

#[test]
fn a_job_on_a_whole_partition_is_refused_and_one_on_every_node_but_the_spares_finishes() {
    // Issue 12, defect 14: a 10-hour job on all 16,384 H100 waited for every node to be up
    // at once and finished after 346 days. Spare nodes (5%, the catalogue's default) are
    // held back: a job larger than the partition less its spares is refused; one on all the
    // other nodes restarts on a spare when a node fails, and finishes within a day.
    let whole = run_jobs(&scenario(16_384, 1, ""), vec![job(1, 0, 16_384.0, 36_000)]);
    assert_eq!(whole.jobs_rejected, 1, "{whole:?}");
    let spares = (2048.0_f64 * 0.05).round() as u32;
    let usable = (2048 - spares) * 8;
    let (out, log) = run_with_log(
        &scenario(16_384, 1, ""),
        vec![job(1, 0, f64::from(usable), 36_000)],
    );
    assert_eq!(out.jobs_completed, 1, "{out:?}");
    let end_s: f64 = log
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(5)
        .unwrap()
        .parse()
        .unwrap();
    assert!(end_s < 86_400.0, "ended after {end_s} s: {log}");
    assert!(out.interruptions > 0, "failures happened: {out:?}");
}

#[test]
fn a_job_too_large_to_outrun_its_failures_is_warned_of() {
    // One interruption per 100 GPU-hours: a 960-GPU job is interrupted every 375 s on
    // average, less than the 600 s restart and 60 s checkpoint write: it can never finish.
    let extra = "[failures]\ngpu_hours_per_interruption = 100\n";
    let out = run_jobs(&scenario(1024, 1, extra), vec![job(1, 0, 960.0, 36_000)]);
    assert_eq!(out.jobs_unfinished, 1, "{out:?}");
    assert!(
        out.warnings.iter().any(|w| w.contains("may never finish")),
        "{:?}",
        out.warnings
    );
}

/// The value of column `name` in each row of a job log, by job id.
pub(crate) fn column(log: &str, name: &str) -> std::collections::BTreeMap<u64, String> {
    let mut lines = log.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let i = header
        .iter()
        .position(|h| *h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].parse().unwrap(), f[i].to_string())
        })
        .collect()
}

#[test]
fn without_failures_no_periodic_checkpoint_is_written() {
    // Issue 12, defect 5: with `[failures] enabled = false` a 100-hour job still wrote
    // Young/Daly checkpoints and ended late. Nothing fails, so nothing is written.
    let (out, log) = run_with_log(
        &scenario(8, 1, "[failures]\nenabled = false\n"),
        vec![job(1, 0, 8.0, 360_000)],
    );
    assert_eq!(times(&log)[&1].1, 360_000);
    assert_eq!(out.checkpoint_overhead_gpu_hours, 0.0);
}

#[test]
fn a_queue_at_its_cap_refuses_arrivals_and_says_so() {
    // Issue 12, defect 4: a queue that grows without bound (demand far above capacity) held
    // every waiting job, to gigabytes. Past the cap, an arrival is refused and counted.
    // 8 GPUs, 2,000 one-hour 8-GPU jobs at once, at most 100 waiting: 100 are taken, 1,900
    // refused; the 100 complete, one after another.
    let catalog = Catalog::builtin();
    let (s, f) = model::prepare(&scenario(8, 1, "[failures]\nenabled = false\n"), catalog).unwrap();
    let jobs: Vec<Job> = (0..2000).map(|i| job(i, 0, 8.0, 3600)).collect();
    let out = simulate(
        &SimConfig::resolve(&s, catalog),
        &f,
        &mut crate::workload::Unnamed(jobs.into_iter().map(Ok)),
        SimOptions {
            max_waiting: Some(100),
            ..SimOptions::default()
        },
    )
    .unwrap();
    assert_eq!(out.jobs_rejected, 1900, "{out:?}");
    assert_eq!(out.jobs_completed, 100, "{out:?}");
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("1,900 jobs arrived to a full queue")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn a_horizon_with_no_accelerator_in_service_is_warned_of() {
    // Issue 12, defect 4: every phase retiring with nothing to replace it left years of
    // arrivals queueing for nothing, silently.
    let text = scenario(8, 3, "").replace("life_years = 30", "life_years = 1");
    let out = run_jobs(&text, vec![job(1, 0, 8.0, 3600)]);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("no accelerator is in service from 2028-01-01 to 2030-01-01")),
        "{:?}",
        out.warnings
    );
}

#[test]
fn a_run_stops_when_its_cancellation_flag_is_set() {
    // Issue 14: the hook a Python Ctrl-C or a sweep stopping its workers uses. Set before
    // the first event, the run ends at once with `Cancelled`; left clear, it completes.
    let text = scenario(8, 1, "[failures]\nenabled = false\n");
    for (set, cancelled) in [(true, true), (false, false)] {
        let flag = std::sync::atomic::AtomicBool::new(set);
        let jobs = vec![job(1, 0, 8.0, 3600), job(2, 10, 8.0, 3600)];
        let options = SimOptions {
            cancel: Some(&flag),
            ..SimOptions::default()
        };
        let out = simulate_jobs(&text, jobs, options);
        assert_eq!(matches!(out, Err(SimError::Cancelled)), cancelled);
        if !cancelled {
            assert_eq!(out.unwrap().jobs_completed, 2);
        }
    }
}

/// A job running when its phase retires, with failures off (so no checkpoint is ever
/// written): all its work so far is lost and counted, and it runs again, whole, on the
/// phase that replaces it. The loss was NaN (0 checkpoints × an infinite interval), which
/// also kept the work as if saved.
#[test]
fn a_retirement_without_checkpoints_loses_the_work_done_and_counts_it() {
    let text = r#"
name = "retirement"
start = "2027-01-01"
years = 2
[[site]]
name = "s"
country = "FI"
grid_mw = 100
[[build]]
site = "s"
accelerator = "H100"
count = 16
online = "2027-01-01"
life_years = 1
[[build]]
site = "s"
accelerator = "H100"
count = 16
online = "2028-01-01"
life_years = 1
[failures]
enabled = false
"#;
    let retire = 365 * 86_400;
    let (out, log) = run_with_log(text, vec![job(1, retire - 3_600, 8.0, 36_000)]);
    assert_eq!(out.jobs_completed, 1, "{log}");
    assert!(
        (out.lost_gpu_hours - 8.0).abs() < 1e-9,
        "{}",
        out.lost_gpu_hours
    );
    let served: f64 = out.tenants.iter().map(|t| t.served_gpu_hours).sum();
    assert!((served - 8.0 * 11.0).abs() < 1e-6, "{served}");
    assert_eq!(column(&log, "end_s")[&1], (retire + 36_000).to_string());
}

fn two_sites(second_site: &str, second_accelerator: &str, cross_site: &str) -> String {
    format!(
        r#"
name = "two sites"
start = "2027-01-01"
years = 1
[[site]]
name = "a"
country = "FI"
grid_mw = 100
[[site]]
name = "b"
country = "SE"
grid_mw = 100
[[build]]
site = "a"
accelerator = "H100"
count = 1024
online = "2027-01-01"
[[build]]
site = "{second_site}"
accelerator = "{second_accelerator}"
count = 1024
online = "2027-01-01"
[failures]
enabled = false
[cluster]
{cross_site}
"#
    )
}

/// Issue 15, part 3, by hand: a run of 1,536 H100 for 10 hours, larger than either
/// 1,024-H100 phase. Without `cross_site` it is refused and counted; allowed, it spans the
/// two sites at the stated efficiency (12.5 hours at 0.8), or two phases of one site at
/// full speed (10 hours); phases of one family (H100 and H200) at the slower one's pace;
/// never phases of different families.
#[test]
fn a_run_larger_than_any_phase_spans_phases_only_where_allowed() {
    let run = job(1, 0, 1536.0, 36_000);
    let ran = |text: &str| {
        let (out, log) = run_with_log(text, vec![run.clone()]);
        let end = column(&log, "end_s").get(&1).cloned();
        (out, end)
    };
    let allowed = "cross_site = { allowed = true, efficiency = 0.8 }";
    let (out, _) = ran(&two_sites("b", "H100", ""));
    assert_eq!((out.jobs_rejected, out.cross_site_runs), (1, 0));
    let (out, end) = ran(&two_sites("b", "H100", allowed));
    assert_eq!((out.jobs_completed, out.cross_site_runs), (1, 1));
    assert_eq!(end.as_deref(), Some("45000"));
    assert!((out.cross_site_gpu_hours - 1536.0 * 12.5).abs() < 1e-6);
    let served: f64 = out.sites.iter().map(|s| s.gpu_hours_allocated).sum();
    assert!((served - 1536.0 * 12.5).abs() < 1e-6, "{served}");
    // Both sites carry their part: 1,024 nodes' worth at the first, the rest at the other.
    assert!(out.sites.iter().all(|s| s.gpu_hours_allocated > 0.0));
    let (out, end) = ran(&two_sites("a", "H100", allowed));
    assert_eq!((out.jobs_completed, out.cross_site_runs), (1, 0));
    assert_eq!(end.as_deref(), Some("36000"));
    let (out, _) = ran(&two_sites("b", "B200", allowed));
    assert_eq!((out.jobs_rejected, out.cross_site_runs), (1, 0));
    // H100 and H200 are one family (Hopper): the run spans them at the H100's pace.
    let (out, end) = ran(&two_sites("b", "H200", allowed));
    assert_eq!((out.jobs_completed, out.cross_site_runs), (1, 1));
    assert_eq!(end.as_deref(), Some("45000"));
}

/// A run across sites waits for its room like any other (a reservation over its
/// family's partitions), while smaller jobs backfill only where they end in time: 8-GPU
/// jobs of 10 hours arrive every minute for 10 hours (more than the 2,048 GPUs hold); the
/// run of 1,536 arrives at 3 hours, when 608 GPUs are free. The nodes free up one a minute
/// from 10 hours on, so it starts before 13 hours; left to backfilling (as before its
/// reservation spanned partitions), it waited for the arrivals to stop and drain (20 h).
#[test]
fn a_run_across_sites_is_not_starved_by_smaller_jobs() {
    for policy in ["easy-backfill", "fair-share"] {
        let allowed =
            format!("cross_site = {{ allowed = true }}\n[scheduler]\npolicy = \"{policy}\"");
        let mut jobs: Vec<Job> = (0..600)
            .map(|i| job(i + 2, i as i64 * 60, 8.0, 36_000))
            .collect();
        jobs.push(job(1, 3 * 3_600, 1536.0, 36_000));
        jobs.sort_by_key(|j| j.submit_s);
        let (out, log) = run_with_log(&two_sites("b", "H100", &allowed), jobs);
        assert_eq!(out.cross_site_runs, 1, "{policy}");
        let start: i64 = column(&log, "start_s")[&1].parse().unwrap();
        assert!(start <= 13 * 3600, "{policy}: started at {start}");
    }
}
