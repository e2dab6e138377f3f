//! Sampling against its rules: whole years of capacity measured, every total's identities
//! under every sampling mode, and every phase of the built-in scenarios large enough.

use super::*;
use crate::catalog::Catalog;
use crate::model;
use crate::sim::tests::scenario;
use crate::sim::*;

#[test]
fn time_sampling_measures_whole_years_of_capacity() {
    // 800 H100 in service all three years, no jobs: under windows of one measured week in
    // 52, each year's time-mean of GPUs online is still 800.
    let text = scenario(800, 3, "[failures]\nenabled = false");
    let catalog = Catalog::builtin();
    let (s, f) = model::prepare(&text, catalog).unwrap();
    const WEEK: f64 = 7.0 * 86_400.0;
    let w = crate::workload::Windows {
        period_s: 52.0 * WEEK,
        warmup_s: WEEK,
        measured_s: WEEK,
        offset_s: 25.0 * WEEK,
    };
    let out = simulate(
        &SimConfig::resolve(&s, catalog),
        &f,
        &mut crate::workload::Unnamed(std::iter::empty()),
        SimOptions {
            windows: Some(w),
            ..SimOptions::default()
        },
    )
    .unwrap();
    for y in &out.years {
        assert!((y.gpus_online - 800.0).abs() < 800.0 * 0.01, "{y:?}");
    }
}

/// Issue 12, defect 7: every total obeys its identities under every sampling mode. Each
/// term is counted on its own in the simulation (completed, withdrawn and refused jobs as
/// they end, unfinished from the queue at the end); without sampling the job log's rows
/// are counted too. Two tenants at 110% load with a patience of 12 h, so that jobs are
/// withdrawn and some are left at the end.
#[test]
fn identities_hold_under_every_sampling_mode() {
    let tenants = "
[failures]
enabled = false
[demand]
reference_h100_equivalents = 256
[[tenant]]
name = \"a\"
class = \"academia\"
share = 0.6
preset = \"helios\"
load = 0.7
patience_h = 12
[[tenant]]
name = \"b\"
class = \"industry\"
share = 0.4
preset = \"philly\"
load = 0.4
patience_h = 12
";
    let text = scenario(256, 2, tenants);
    let catalog = Catalog::builtin();
    let (s, f) = model::prepare(&text, catalog).unwrap();
    let day = 86_400.0;
    let windows = crate::workload::Windows {
        period_s: 365.0 * day,
        warmup_s: 10.0 * day,
        measured_s: 20.0 * day,
        offset_s: 100.0 * day,
    };
    let modes = [
        ("full", Sample::Full),
        // As a plan: `Sample::Factor(4)` is refused here, since 1 in 4 of 256 GPUs cannot
        // hold helios's 256-GPU jobs; the identities must hold even so.
        (
            "1 in 4",
            Sample::Plan(SamplePlan {
                factor: 4,
                windows: None,
            }),
        ),
        (
            "windows",
            Sample::Plan(SamplePlan {
                factor: 1,
                windows: Some(windows),
            }),
        ),
        (
            "1 in 2 and windows",
            Sample::Plan(SamplePlan {
                factor: 2,
                windows: Some(windows),
            }),
        ),
    ];
    for (name, mode) in modes {
        let mut log = crate::sim::CsvJobLog::new(Vec::new()).unwrap();
        let out = run_sampled(
            &s,
            &f,
            catalog,
            std::path::Path::new("."),
            mode,
            SimOptions {
                job_log: Some(&mut log),
                ..SimOptions::default()
            },
        )
        .unwrap()
        .unwrap();
        let log = String::from_utf8(log.into_inner().unwrap()).unwrap();
        assert!(out.jobs_withdrawn > 0, "{name}: {out:?}");
        // Under windows, measured jobs have all ended by the horizon's end.
        if name == "full" {
            assert!(out.jobs_unfinished > 0, "{name}: {out:?}");
        }
        assert_eq!(
            out.jobs_submitted,
            out.jobs_completed + out.jobs_withdrawn + out.jobs_rejected + out.jobs_unfinished,
            "{name}: jobs"
        );
        for t in &out.tenants {
            assert_eq!(
                t.jobs_submitted,
                t.jobs_completed + t.jobs_withdrawn + t.jobs_rejected + t.jobs_unfinished,
                "{name}: tenant {}",
                t.name
            );
        }
        let sum = |f: &dyn Fn(&TenantOutcome) -> u64| out.tenants.iter().map(f).sum::<u64>();
        assert_eq!(sum(&|t| t.jobs_submitted), out.jobs_submitted, "{name}");
        assert_eq!(sum(&|t| t.jobs_unfinished), out.jobs_unfinished, "{name}");
        let close = |a: f64, b: f64, what: &str| {
            assert!(
                (a - b).abs() <= 1e-9 * b.abs().max(1.0),
                "{name}: {what}: {a} against {b}"
            )
        };
        let allocated: f64 = out.sites.iter().map(|s| s.gpu_hours_allocated).sum();
        close(
            out.tenants.iter().map(|t| t.served_gpu_hours).sum(),
            allocated,
            "tenants' hours",
        );
        close(
            out.years.iter().map(|y| y.served_gpu_hours).sum(),
            allocated,
            "years' hours",
        );
        close(
            out.years.iter().map(|y| y.lost_demand_gpu_hours).sum(),
            out.tenants.iter().map(|t| t.lost_demand_gpu_hours).sum(),
            "years' lost demand",
        );
        // Each tenant's hours by year: the years add up to the tenant, the tenants to the
        // year (what revenue per year is computed from).
        for y in &out.years {
            close(
                y.served_gpu_hours_by_tenant.iter().sum(),
                y.served_gpu_hours,
                "a year's tenants' hours",
            );
        }
        for (i, t) in out.tenants.iter().enumerate() {
            close(
                out.years
                    .iter()
                    .map(|y| y.served_gpu_hours_by_tenant[i])
                    .sum(),
                t.served_gpu_hours,
                "a tenant's years' hours",
            );
        }
        assert_eq!(
            out.years.iter().map(|y| y.jobs_refused).sum::<u64>(),
            out.jobs_rejected,
            "{name}: years' refusals"
        );
        close(
            out.years.iter().map(|y| y.refused_flop).sum(),
            out.tenants.iter().map(|t| t.refused_flop).sum(),
            "years' refused FLOP",
        );
        close(
            out.years.iter().map(|y| y.energy_mwh).sum(),
            out.energy_mwh,
            "years' energy",
        );
        close(
            out.phases.iter().map(|p| p.served_gpu_hours).sum(),
            allocated,
            "phases' hours",
        );
        if name == "full" {
            // The outcome column, by the header (tenant names here hold no commas).
            let at = log
                .lines()
                .next()
                .unwrap()
                .split(',')
                .position(|c| c == "outcome")
                .unwrap();
            let rows = |how: &str| {
                log.lines()
                    .skip(1)
                    .filter(|l| l.split(',').nth(at) == Some(how.trim_matches(',')))
                    .count() as u64
            };
            assert_eq!(
                rows(",completed,"),
                out.jobs_completed,
                "{name}: completed rows"
            );
            assert_eq!(
                rows(",withdrawn,"),
                out.jobs_withdrawn,
                "{name}: withdrawn rows"
            );
            assert_eq!(
                rows(",rejected,"),
                out.jobs_rejected,
                "{name}: rejected rows"
            );
        }
    }
}

/// Issue 12, defect 3: the automatic sample keeps every build phase that comes online in
/// the horizon, refreshes included, able to hold the largest job any tenant submits.
/// `frontier-lab` refreshes its site after four years; its refresh was sampled to 392
/// GPUs against jobs of 1,024.
#[test]
fn the_automatic_sample_keeps_every_phase_refreshes_included_large_enough() {
    let catalog = Catalog::builtin();
    for b in crate::scenario::BUILTIN {
        let (s, f) = model::prepare(b.text, catalog).unwrap();
        let Some(plan) = auto_sample(&s, &f, std::path::Path::new("."), JOB_BUDGET).unwrap() else {
            continue;
        };
        let largest = s
            .tenants
            .iter()
            .map(|t| crate::workload::tenant_mix(t, &f).largest_gpus())
            .max()
            .unwrap();
        let end = s.start.add_years(s.years);
        let (g, _) = f.sampled(plan.factor);
        for (i, (p, whole)) in g
            .builds
            .iter()
            .zip(&f.builds)
            .enumerate()
            .filter(|(_, (p, _))| p.online < end)
        {
            // Room for four of the largest jobs, so that they do not wait for a whole
            // sampled phase to drain (issue 12, defect 8), or for two where four would
            // simulate more than twice the budget (eu-ai-factories: phases of 15,600
            // against jobs of 2,048, 1 in 3); a phase smaller than that holds the largest
            // job it can.
            let room = if b.id == "eu-ai-factories" { 2 } else { 4 } * largest;
            let need = if whole.count >= room {
                room
            } else {
                largest.min(whole.count)
            };
            assert!(
                p.count >= need,
                "{}: phase {i} ({}, online {}) sampled 1 in {} holds {} GPUs, jobs of {largest}",
                b.id,
                p.accelerator,
                p.online,
                plan.factor,
                p.count
            );
        }
        // Within twice the budget, except where the shortest windows at the least room
        // cannot get there:
        let jobs = crate::run::simulated_jobs(
            &s,
            &f,
            std::path::Path::new("."),
            crate::run::Sample::Auto,
            None,
        )
        .unwrap()
        .unwrap();
        // eu-ai-factories simulates about 21 million (1 in 3 with 3-day windows; 64 million
        // at 1 in 1 before the fallback room).
        let bound = if b.id == "eu-ai-factories" { 5.0 } else { 2.0 } * JOB_BUDGET;
        assert!(jobs < bound, "{}: {jobs}", b.id);
    }
}

/// The tolerances the verdict rule grants a sampled run (`plan::SAMPLED_TOTAL`,
/// `plan::SAMPLED_SHARE`), measured against the whole run: 4,096 H100 for a year, two
/// tenants (an academic cluster's jobs and Philly's) at 65% of it, 5.7 million jobs, sampled
/// as the automatic rule samples it within the default budget (1 in 2) and within smaller
/// ones (1 in 2 and windows of time: a quarter and a tenth of the year measured). Measured:
/// utilisation within 1.1 points, served hours and energy within 1.6%. Waits are not
/// within any such bound (p95 0 h whole, 4 to 11 h sampled): the rule does not rank them
/// under sampling.
#[test]
fn a_sample_is_within_the_verdicts_tolerance_of_the_whole_run() {
    let tenants = "
[demand]
reference_h100_equivalents = 4096
[[tenant]]
name = \"a\"
class = \"academia\"
share = 0.5
preset = \"helios-earth\"
load = 0.4
patience_h = 48
[[tenant]]
name = \"b\"
class = \"industry\"
share = 0.5
preset = \"philly\"
load = 0.25
patience_h = 48
";
    let text = scenario(4096, 1, tenants);
    let catalog = Catalog::builtin();
    let (s, f) = model::prepare(&text, catalog).unwrap();
    let run = |mode| {
        run_sampled(&s, &f, catalog, Path::new("."), mode, SimOptions::default())
            .unwrap()
            .unwrap()
    };
    let whole = run(Sample::Full);
    assert!(whole.sampling.is_none() && whole.jobs_submitted > 5_000_000);
    let served = |o: &SimOutcome| o.tenants.iter().map(|t| t.served_gpu_hours).sum::<f64>();
    for mode in [Sample::Auto, Sample::Within(1.5e6), Sample::Within(6e5)] {
        let o = run(mode);
        let note = &o.sampling.as_ref().expect("sampled").note;
        let rel = |a: f64, b: f64| (a / b - 1.0).abs();
        let (u, h, e) = (
            (o.utilization - whole.utilization).abs(),
            rel(served(&o), served(&whole)),
            rel(o.energy_mwh, whole.energy_mwh),
        );
        assert!(
            u < crate::plan::SAMPLED_SHARE,
            "{note}: utilisation off by {u}"
        );
        assert!(
            h < crate::plan::SAMPLED_TOTAL,
            "{note}: served hours off by {h}"
        );
        assert!(e < crate::plan::SAMPLED_TOTAL, "{note}: energy off by {e}");
    }
}
