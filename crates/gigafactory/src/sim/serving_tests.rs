//! Inference services (issue 16) worked by hand: replicas the rule gives, a daily profile
//! read from the hourly series, night hours freed for batch work, preemption counted.

use super::tests::{job, scenario, simulate_jobs};
use super::*;
use crate::workload::TenantId;

/// A dense-8b service: on an H100 one replica is one GPU (8 GB of FP8 weights x 1.5 fit in
/// 80 GB) serving 2,381 x 70 / 8 = 20,833.75 output tokens a second (MLPerf's 70B figure
/// scaled by active parameters).
const T_OUT_8B_H100: f64 = 2381.0 * 70.0 / 8.0;

fn service(output_per_s: f64, shape: &str) -> String {
    format!(
        "[[tenant]]\nname = \"svc\"\nclass = \"industry\"\nshare = 0\nkind = \"inference\"\n\
         model = \"dense-8b\"\ninput_tokens_per_day = 0\noutput_tokens_per_day = {}\n{shape}\n",
        output_per_s * 86_400.0
    )
}

const SERVING: &str = "[failures]\nenabled = false\n[serving]\nutilisation_ceiling = 0.5\n";

/// Mean GPUs serving in each hour of the day over the run, from the hourly series.
fn serving_by_hour(o: &SimOutcome) -> [f64; 24] {
    let mut sum = [0.0; 24];
    let mut n = [0.0f64; 24];
    for (r, &h) in o.series.hour.iter().enumerate() {
        sum[h as usize % 24] += o.series.gpus_serving[r];
        n[h as usize % 24] += 1.0;
    }
    std::array::from_fn(|h| sum[h] / n[h].max(1.0))
}

#[test]
fn a_constant_demand_holds_exactly_the_replicas_the_rule_gives() {
    // 95,000 output tokens a second; at the ceiling of 0.5 a replica takes 10,416.875:
    // ceil(9.12) = 10 replicas, on 10 GPUs, every hour of the year.
    let extra = format!("{SERVING}{}", service(95_000.0, "profile = \"flat\""));
    let o = simulate_jobs(&scenario(64, 1, &extra), Vec::new(), SimOptions::default()).unwrap();
    assert!((95_000.0 / (T_OUT_8B_H100 * 0.5) - 9.12).abs() < 0.01);
    for (r, &g) in o.series.gpus_serving.iter().enumerate() {
        assert!((g - 10.0).abs() < 1e-9, "hour {r}: {g}");
    }
    // They serve once their 180 s start-up has passed: the first 180 s of demand are not
    // served in time, the rest is.
    let k = o.tenants[0].tokens.unwrap();
    let year_s = 365.0 * 86_400.0;
    assert!((k.output_demanded - 95_000.0 * year_s).abs() < 1.0);
    assert!((k.not_served() - 95_000.0 * 180.0).abs() < 1e-3 * 95_000.0);
    // The served tokens took served / throughput GPU-seconds at full load.
    assert!((k.output_gpu_hours - k.output_served / T_OUT_8B_H100 / 3600.0).abs() < 1e-6);
    // Replicas are the tenant's hours: 10 GPUs all year.
    assert!((o.tenants[0].served_gpu_hours - 10.0 * 8760.0).abs() < 1e-6);
    assert!((o.serving_gpu_hours - 10.0 * 8760.0).abs() < 1e-6);
}

#[test]
fn tokens_fall_in_the_year_they_are_served() {
    // The same 95,000 tokens a second over 2027 (365 days) and 2028 (366): each year
    // serves its own days' worth, the first less the first replicas' 180 s start-up.
    let extra = format!("{SERVING}{}", service(95_000.0, "profile = \"flat\""));
    let text = scenario(64, 2, &extra);
    let o = simulate_jobs(&text, Vec::new(), SimOptions::default()).unwrap();
    let [y27, y28] = &o.years[..] else {
        panic!("{:?}", o.years)
    };
    let day = 95_000.0 * 86_400.0;
    assert!((y27.tokens.served() - (365.0 * day - 95_000.0 * 180.0)).abs() < 1e-9 * day);
    assert!((y28.tokens.served() - 366.0 * day).abs() < 1e-9 * day);
    assert!((y28.serving_gpu_hours - 10.0 * 366.0 * 24.0).abs() < 1e-6);
}

/// 24 hourly factors: quiet 00-05 (1), rising 06-11 (2), busy 12-17 (4), falling 18-23 (2).
const FOUR_TO_ONE: &str = "hourly = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4, \
                           2, 2, 2, 2, 2, 2]";

#[test]
fn a_profile_with_peak_to_trough_4_holds_4_times_the_replicas_at_the_peak() {
    // The factors' mean is 2.25: a mean rate of r gives r / 2.25 in the quiet hours. At
    // 0.999 x 5 replicas' worth in the quiet hours, the rule holds 5 there and 20 at the
    // peak.
    let quiet = 0.999 * 5.0 * T_OUT_8B_H100 * 0.5;
    let extra = format!("{SERVING}{}", service(quiet * 2.25, FOUR_TO_ONE));
    let o = simulate_jobs(&scenario(64, 1, &extra), Vec::new(), SimOptions::default()).unwrap();
    let by_hour = serving_by_hour(&o);
    // Read from the hourly series: hour 02 (quiet, and so is the next) and hour 14 (busy).
    assert!((by_hour[2] - 5.0).abs() < 1e-9, "{by_hour:?}");
    assert!((by_hour[14] - 20.0).abs() < 1e-9, "{by_hour:?}");
    assert!((by_hour[14] / by_hour[2] - 4.0).abs() < 1e-9);
    // The rule looks one step ahead: the last 5 minutes of hour 05 already hold hour 06's
    // 10 replicas, so hour 05's mean is 5 + 5 x 5/60.
    assert!(
        (by_hour[5] - (5.0 + 5.0 / 12.0)).abs() < 1e-9,
        "{by_hour:?}"
    );
    assert_eq!(o.tenants[0].tokens.unwrap().not_served(), 180.0 * quiet);
}

/// One-GPU batch jobs of 1 h, one every `every_s` seconds for `days`, of tenant 1.
fn batch(days: i64, every_s: i64) -> Vec<Job> {
    (0..days * 86_400 / every_s)
        .map(|i| Job {
            tenant: TenantId(1),
            ..job(i as u64, i * every_s, 1.0, 3600)
        })
        .collect()
}

const BATCH_TENANT: &str = "[[tenant]]\nname = \"batch\"\nclass = \"academia\"\nshare = 1\n\
                            preset = \"helios\"\nload = 0\n";

#[test]
fn gpus_freed_at_night_serve_queued_batch_jobs() {
    // 64 GPUs; a service of 5 replicas at night and 20 by day (as above), or held at its
    // peak all day; batch work of 48 one-GPU-hour jobs an hour for 30 days: more than the
    // 44 GPUs left by day, less than the 59 left at night. Over the 30 days:
    let quiet = 0.999 * 5.0 * T_OUT_8B_H100 * 0.5;
    let run = |shape: &str, rate: f64| {
        let extra = format!("{SERVING}{}{BATCH_TENANT}", service(rate, shape));
        let text = scenario(64, 1, &extra).replace("years = 1", "years = 1\nseed = 5");
        let options = SimOptions {
            until_s: Some(30 * 86_400),
            ..SimOptions::default()
        };
        simulate_jobs(&text, batch(30, 75), options).unwrap()
    };
    let daily = run(FOUR_TO_ONE, quiet * 2.25);
    let peak = run("profile = \"flat\"", quiet * 4.0);
    let (d, p) = (&daily.tenants[1], &peak.tenants[1]);
    assert_eq!(d.name, "batch");
    // Served at 20 replicas all day, the service leaves 44 GPUs; following demand, the
    // batch tenant gets the night's free GPUs: more of its work done, shorter waits.
    assert!((serving_by_hour(&peak)[2] - 20.0).abs() < 1e-9);
    assert!(
        d.served_gpu_hours > p.served_gpu_hours * 1.05,
        "{d:?}\n{p:?}"
    );
    assert!(d.wait_s_mean < p.wait_s_mean * 0.8, "{d:?}\n{p:?}");
    assert!(d.jobs_completed >= p.jobs_completed);
    // Goodput is of jobs' hours: the replicas' (a sixth of the GPU-hours) are not in it,
    // so the one-hour jobs that completed make nearly all of it.
    assert!(daily.serving_gpu_hours > 0.15 * daily.sites[0].gpu_hours_allocated);
    assert!(daily.goodput_fraction > 0.95, "{}", daily.goodput_fraction);
    // Every one of the 30 days' jobs is counted once either way.
    for o in [&daily, &peak] {
        let t = &o.tenants[1];
        assert_eq!(
            t.jobs_submitted,
            t.jobs_completed + t.jobs_withdrawn + t.jobs_rejected + t.jobs_unfinished
        );
        assert_eq!(t.jobs_submitted, 30 * 86_400 / 75);
    }
}

#[test]
fn a_service_preempts_batch_jobs_for_room_only_where_allowed() {
    // 16 GPUs kept full by 32 one-GPU jobs of 10 h (the second 16 from hour 10 to 20); a
    // service that needs 8 replicas in hours 12 to 17 of each day: with `preempt =
    // "batch"` (the default) it preempts 8 jobs at 11:55, one step ahead of the busy hours
    // (their work kept to the checkpoint each writes), and serves all its demand; with
    // `none` it waits for jobs to end (at hour 20, after its busy hours), and its demand
    // meanwhile is not served in time.
    let jobs: Vec<Job> = (0..32)
        .map(|i| Job {
            tenant: TenantId(1),
            ..job(i, 0, 1.0, 10 * 3600)
        })
        .collect();
    let busy = 0.999 * 8.0 * T_OUT_8B_H100 * 0.5;
    let shape = "hourly = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, \
                 0, 0]";
    let run = |preempt: &str| {
        let extra = format!(
            "{SERVING}preempt = \"{preempt}\"\n{}{BATCH_TENANT}",
            service(busy / 4.0, shape)
        );
        let text = scenario(16, 1, &extra).replace("years = 1", "years = 1\nseed = 5");
        simulate_jobs(&text, jobs.clone(), SimOptions::default()).unwrap()
    };
    let pre = run("batch");
    assert_eq!(pre.service_preemptions, 8);
    assert_eq!(pre.preemptions, 8);
    let wait = run("none");
    assert_eq!(wait.service_preemptions, 0);
    let (kp, kw) = (
        pre.tenants[0].tokens.unwrap(),
        wait.tenants[0].tokens.unwrap(),
    );
    assert_eq!(kp.not_served(), 0.0);
    let six_hours = busy * 6.0 * 3600.0;
    assert!(
        (kw.not_served() - six_hours).abs() < 1e-6 * six_hours,
        "{kw:?}"
    );
    // Preempted or not, every batch job completes, once.
    for o in [&pre, &wait] {
        assert_eq!(o.tenants[1].jobs_completed, 32);
    }
}

#[test]
fn a_service_is_counted_over_all_time_under_time_sampling() {
    // A coding service (weekends at a quarter) and batch jobs, measured in windows of a
    // day and a half a year: a window sees a weekday or a weekend, never a week. The
    // service's tokens and hours are counted over the whole year, as without windows;
    // the tenants' hours still add up to the facility's.
    let extra = format!(
        "{SERVING}{}{BATCH_TENANT}",
        service(95_000.0, "profile = \"coding\"")
    );
    let text = scenario(64, 1, &extra);
    let w = crate::workload::Windows {
        period_s: 365.0 * 86_400.0,
        warmup_s: 1.5 * 86_400.0,
        measured_s: 1.5 * 86_400.0,
        offset_s: 180.0 * 86_400.0,
    };
    let whole = simulate_jobs(&text, Vec::new(), SimOptions::default()).unwrap();
    let jobs = batch(365, 600);
    let windowed = SimOptions {
        windows: Some(w),
        ..SimOptions::default()
    };
    let sampled = simulate_jobs(&text, jobs, windowed).unwrap();
    let (a, b) = (
        whole.tenants[0].tokens.unwrap(),
        sampled.tenants[0].tokens.unwrap(),
    );
    assert!(
        (a.served() - b.served()).abs() < 1e-9 * a.served(),
        "{a:?}\n{b:?}"
    );
    assert!((whole.serving_gpu_hours - sampled.serving_gpu_hours).abs() < 1e-6);
    assert!((sampled.years[0].serving_gpu_hours - sampled.serving_gpu_hours).abs() < 1e-6);
    let tenants: f64 = sampled.tenants.iter().map(|t| t.served_gpu_hours).sum();
    let facility: f64 = sampled.sites.iter().map(|s| s.gpu_hours_allocated).sum();
    assert!(
        (tenants - facility).abs() < 1e-6 * facility,
        "{tenants} vs {facility}"
    );
    assert!(sampled.tenants[1].served_gpu_hours > 0.0);
}
