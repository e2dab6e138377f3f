//! Training campaigns (issue 15, part 2): the compute they state, the shares of jobs and
//! GPU time of their purposes, and run times of FLOP ÷ (GPUs × peak × MFU).

use super::*;
use crate::sim::{JobRecord, JobSink};

/// A plan of `builds` for `years` from 2027-01-01, failures off, with `rest` appended.
fn plan(builds: &str, years: u32, rest: &str) -> Plan {
    let text = format!(
        "name = \"campaign\"\nstart = \"2027-01-01\"\nyears = {years}\n\
         [[site]]\nname = \"h\"\ncountry = \"FI\"\ngrid_mw = 400\n\
         [[site]]\nname = \"b\"\ncountry = \"SE\"\ngrid_mw = 400\n{builds}\
         [failures]\nenabled = false\n{rest}"
    );
    Plan::prepare("t", &text, PathBuf::from("."), Catalog::builtin()).unwrap()
}

const H100_4096: &str = "[[build]]\nsite = \"h\"\naccelerator = \"H100\"\ncount = 4096\n\
                         online = \"2027-01-01\"\n";

/// A purpose table; `p90` of 1 times the median is a fixed size or length.
fn purpose(name: &str, kind: &str, share: f64, gpus: (f64, f64), hours: (f64, f64)) -> String {
    format!(
        "[[tenant.purpose]]\nname = \"{name}\"\nkind = \"{kind}\"\ncompute_share = {share}\n\
         gpus_median = {}\ngpus_p90 = {}\ngpus_max = {}\nhours_median = {}\nhours_p90 = {}\n",
        gpus.0,
        gpus.0 * gpus.1,
        gpus.0 * gpus.1 * 4.0,
        hours.0,
        hours.0 * hours.1
    )
}

/// Every generated job of `p`: (kind, GPUs, H100-seconds).
fn jobs(p: &Plan) -> Vec<(Option<crate::workload::JobKind>, f64, f64)> {
    p.job_source()
        .unwrap()
        .unwrap()
        .map(|j| {
            let j = j.unwrap();
            (j.kind, j.gpus, j.duration_s as f64)
        })
        .collect()
}

#[test]
fn a_campaign_generates_the_compute_it_states_in_the_shares_it_states() {
    // 6e27 FLOP a year at the catalogue's MFU (0.38 of 989 TFLOP/s per H100): 30% in
    // final runs of 1,024-2,048 GPUs for 200-400 h (about 2,000 a year), 70% in
    // experiments of 64-128 GPUs for 24-48 h.
    let rest = format!(
        "[[tenant]]\nname = \"lab\"\nclass = \"frontier_lab\"\nshare = 1\nkind = \"training\"\n\
         compute_flop_per_year = 6e27\n{}{}",
        purpose("final", "pretrain", 0.3, (1024.0, 2.0), (200.0, 2.0)),
        purpose("experiment", "other", 0.7, (64.0, 2.0), (24.0, 2.0)),
    );
    let p = plan(H100_4096, 1, &rest);
    let flop_per_gpu_s = p.facility.params.training.flop_per_h100_s();
    assert!((flop_per_gpu_s - 989e12 * 0.38).abs() < 1.0);
    let all = jobs(&p);
    let flop = |k: Option<crate::workload::JobKind>| -> f64 {
        all.iter()
            .filter(|j| k.is_none() || j.0 == k)
            .map(|j| j.1 * j.2 * flop_per_gpu_s)
            .sum()
    };
    // The calendar year 2027 has 365 days; the stated compute is per mean year.
    let stated = 6e27 * 365.0 / 365.25;
    let total = flop(None);
    assert!(
        (total / stated - 1.0).abs() < 0.02,
        "{total:e} against {stated:e}"
    );
    let final_share = flop(Some(crate::workload::JobKind::Pretrain)) / total;
    assert!((final_share - 0.3).abs() < 0.02, "{final_share}");
    // Sizes are what a scheduler allocates: whole nodes above 8 GPUs.
    assert!(all.iter().all(|j| j.1 < 8.0 || j.1 % 8.0 == 0.0));
}

#[test]
fn configured_as_seren_a_campaign_has_serens_shares_of_jobs_and_gpu_time() {
    // Acme's Seren (Hu et al., NSDI'24), by kind: shares of GPU jobs and of GPU time, %.
    let seren = [
        ("eval", 64.9, 6.2, 1.0),
        ("pretrain", 0.9, 69.5, 128.0),
        ("sft", 14.9, 6.4, 4.0),
        ("mllm", 2.9, 8.6, 2.0),
        ("debug", 1.9, 1.7, 1.0),
        ("other", 14.6, 7.6, 2.0),
    ];
    let time_total: f64 = seren.iter().map(|s| s.2).sum();
    // Fixed sizes (the published medians) and lengths that make a job's GPU time the
    // published time share over the job share: 100 h for a pre-training run.
    let scale = 100.0 * 128.0 / (69.5 / 0.9);
    let mut rest = String::from(
        "[[tenant]]\nname = \"seren\"\nclass = \"academia\"\nshare = 1\nkind = \"training\"\n\
         demand_h100_hours_per_year = 2e7\n",
    );
    for (kind, jobs_pct, time_pct, gpus) in seren {
        let hours = scale * (time_pct / jobs_pct) / gpus;
        rest.push_str(&purpose(
            kind,
            kind,
            time_pct / time_total,
            (gpus, 1.0),
            (hours, 1.0),
        ));
    }
    let p = plan(H100_4096, 1, &rest);
    let all = jobs(&p);
    assert!(all.len() > 50_000, "{} jobs", all.len());
    let gpu_s: f64 = all.iter().map(|j| j.1 * j.2).sum();
    for (kind, jobs_pct, time_pct, _) in seren {
        let of_kind: Vec<_> = all
            .iter()
            .filter(|j| j.0.map(crate::workload::JobKind::as_str) == Some(kind))
            .collect();
        let job_share = 100.0 * of_kind.len() as f64 / all.len() as f64;
        let time_share = 100.0 * of_kind.iter().map(|j| j.1 * j.2).sum::<f64>() / gpu_s;
        assert!(
            (job_share - jobs_pct).abs() < 3.0,
            "{kind}: {job_share:.1}% of jobs"
        );
        assert!(
            (time_share - time_pct * 100.0 / time_total).abs() < 3.0,
            "{kind}: {time_share:.1}% of GPU time"
        );
    }
}

/// The simulated jobs as (site, GPUs, run time s).
#[derive(Default)]
struct Runs(Vec<(String, u32, i64)>);

impl JobSink for Runs {
    fn record(&mut self, r: &JobRecord<'_>) -> std::io::Result<()> {
        if let (Some(site), Some(start)) = (r.site, r.start_s) {
            self.0
                .push((site.to_string(), r.gpus, r.end_s as i64 - start as i64));
        }
        Ok(())
    }
}

#[test]
fn run_times_follow_flop_over_gpus_peak_and_mfu_on_two_accelerators() {
    // Runs of 8 GPUs for 10 h on an H100 at MFU 0.4: 8 x 36,000 s x 989e12 x 0.4 =
    // 1.13933e20 FLOP. On H100s: 1.13933e20 / (8 x 989e12 x 0.4) = 36,000 s. On B200s
    // (peak 2,250 TFLOP/s, relative throughput 2.275): 1.13933e20 / (8 x 2,250e12 x 0.4)
    // = 15,824 s. The demand (about 200 H100 busy) is more than the B200s hold, so both
    // sites run jobs.
    let builds = "[[build]]\nsite = \"h\"\naccelerator = \"H100\"\ncount = 64\n\
                  online = \"2027-01-01\"\n[[build]]\nsite = \"b\"\naccelerator = \"B200\"\n\
                  count = 64\nonline = \"2027-01-01\"\n";
    let rest = format!(
        "[training]\nmfu = 0.4\n[[tenant]]\nname = \"lab\"\nclass = \"frontier_lab\"\n\
         share = 1\nkind = \"training\"\ncompute_flop_per_year = 2.5e24\n{}",
        purpose("run", "pretrain", 1.0, (8.0, 1.0), (10.0, 1.0))
    );
    let p = plan(builds, 1, &rest);
    let mut runs = Runs::default();
    let options = SimOptions {
        job_log: Some(&mut runs),
        ..SimOptions::default()
    };
    evaluate(&p, Catalog::builtin(), Sample::Full, options).unwrap();
    let on = |site: &str| -> Vec<i64> {
        runs.0
            .iter()
            .filter(|r| r.0 == site)
            .map(|r| {
                assert_eq!(r.1, 8);
                r.2
            })
            .collect()
    };
    let (h, b) = (on("h"), on("b"));
    assert!(
        !h.is_empty() && !b.is_empty(),
        "{} on H100, {} on B200",
        h.len(),
        b.len()
    );
    assert!(h.iter().all(|t| *t == 36_000), "{h:?}");
    assert!(b.iter().all(|t| (t - 15_824).abs() <= 1), "{b:?}");
}

#[test]
fn a_campaign_that_keeps_up_with_the_frontier_grows_as_the_frontier_run() {
    // frontier = true: the compute grows 4.17x a year (the catalogue's trend), so the
    // second year submits about 4.17 times the first year's GPU time.
    let rest = format!(
        "[[tenant]]\nname = \"lab\"\nclass = \"frontier_lab\"\nshare = 1\nkind = \"training\"\n\
         compute_flop_per_year = 1e26\nfrontier = true\n{}",
        purpose("experiment", "pretrain", 1.0, (64.0, 1.0), (24.0, 1.0)),
    );
    let p = plan(H100_4096, 2, &rest);
    let year = 365.0 * 86_400.0;
    let (mut first, mut second) = (0.0, 0.0);
    for j in p.job_source().unwrap().unwrap() {
        let j = j.unwrap();
        let gpu_s = j.gpus * j.duration_s as f64;
        if (j.submit_s as f64) < year {
            first += gpu_s;
        } else {
            second += gpu_s;
        }
    }
    // Continuous growth: the second year over the first is the growth factor itself.
    let ratio = second / first;
    assert!((ratio / 4.17 - 1.0).abs() < 0.03, "{ratio}");
}
