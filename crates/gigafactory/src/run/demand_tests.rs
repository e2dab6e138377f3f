//! Demand stated apart from the plan (issue 15, part 1): the same tenants meet plans of
//! different sizes with the same jobs; the plans differ only in how they serve them.

use std::hash::{Hash, Hasher};

use super::*;
use crate::sim::tests::scenario;

/// Two tenants, one in absolute demand and one as a load of a stated reference capacity:
/// about 700 H100 busy on average in all.
const DEMAND: &str = r#"
[failures]
enabled = false
[demand]
reference_h100_equivalents = 1000
[[tenant]]
name = "research"
class = "academia"
share = 0.5
preset = "helios-earth"
demand_h100_hours_per_year = 3_068_100
patience_h = 48
[[tenant]]
name = "industry"
class = "industry"
share = 0.5
preset = "helios-venus"
load = 0.35
patience_h = 48
"#;

fn plan(gpus: u32) -> Plan {
    let text = scenario(gpus, 1, DEMAND);
    Plan::prepare("test", &text, PathBuf::from("."), Catalog::builtin()).unwrap()
}

/// A hash of every job the plan's workload submits: id, tenant, submit time, size, work.
fn jobs_hash(p: &Plan) -> (u64, usize) {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let mut n = 0;
    for j in p.job_source().unwrap().unwrap() {
        let j = j.unwrap();
        (j.id, j.tenant.0, j.submit_s, j.gpus.to_bits(), j.duration_s).hash(&mut h);
        n += 1;
    }
    (h.finish(), n)
}

#[test]
fn plans_of_different_sizes_meet_the_same_jobs_and_serve_them_differently() {
    let (small, large) = (plan(512), plan(2048));
    let (a, n) = jobs_hash(&small);
    let (b, m) = jobs_hash(&large);
    assert!(n > 10_000, "{n} jobs");
    assert_eq!((a, n), (b, m), "the same jobs, whatever the plan builds");
    let run = |p: &Plan| {
        evaluate(p, Catalog::builtin(), Sample::Full, SimOptions::default())
            .unwrap()
            .outcome
            .unwrap()
    };
    let (s, l) = (run(&small), run(&large));
    assert_eq!(s.jobs_submitted, l.jobs_submitted);
    // About 700 H100 of demand: 512 cannot hold it (busy, withdrawals, lost demand),
    // 2,048 idle most of the time.
    assert!(s.utilization > 0.7, "small plan: {}", s.utilization);
    assert!(s.jobs_withdrawn > 0 && s.tenants.iter().any(|t| t.lost_demand_gpu_hours > 0.0));
    assert!(l.utilization < 0.45, "large plan: {}", l.utilization);
    assert!(l.wait_s_p95 < s.wait_s_p95);
}

#[test]
fn a_load_without_a_reference_still_follows_the_plan() {
    // The old meaning, until the built-in scenarios state their demand: a load is a share
    // of each plan's own capacity, so a plan four times larger gets four times the jobs.
    let text = |gpus| {
        scenario(
            gpus,
            1,
            "[failures]\nenabled = false\n[[tenant]]\nname = \"t\"\nclass = \"academia\"\n\
             share = 1\npreset = \"helios-earth\"\nload = 0.5\n",
        )
    };
    let jobs = |gpus| {
        let p = Plan::prepare("t", &text(gpus), PathBuf::from("."), Catalog::builtin()).unwrap();
        jobs_hash(&p).1 as f64
    };
    let ratio = jobs(2048) / jobs(512);
    assert!((ratio - 4.0).abs() < 0.1, "{ratio}");
}

#[test]
fn absolute_demand_is_the_stated_gpu_hours_and_a_sample_meets_its_share() {
    // 8,766 H100-hours a year (a mean year of 365.25 days) is one H100 busy on average:
    // 800 of them on 3,200 H100s is a load of 0.25, the simulated utilisation.
    let text = scenario(
        3200,
        1,
        "[failures]\nenabled = false\n[[tenant]]\nname = \"t\"\nclass = \"academia\"\n\
         share = 1\npreset = \"helios-earth\"\ndemand_h100_hours_per_year = 7_012_800\n",
    );
    let p = Plan::prepare("t", &text, PathBuf::from("."), Catalog::builtin()).unwrap();
    let whole = evaluate(&p, Catalog::builtin(), Sample::Full, SimOptions::default())
        .unwrap()
        .outcome
        .unwrap();
    assert!(
        (whole.utilization - 0.25).abs() < 0.02,
        "{}",
        whole.utilization
    );
    // A 1-in-2 sample meets half the demand on half the accelerators, and its figures
    // scaled back are the whole's.
    let half = evaluate(
        &p,
        Catalog::builtin(),
        Sample::Factor(2),
        SimOptions::default(),
    )
    .unwrap()
    .outcome
    .unwrap();
    assert!((half.utilization - whole.utilization).abs() < 0.02);
    let served = |o: &SimOutcome| o.tenants[0].served_gpu_hours;
    assert!(
        (served(&half) / served(&whole) - 1.0).abs() < 0.03,
        "{} against {}",
        served(&half),
        served(&whole)
    );
}
