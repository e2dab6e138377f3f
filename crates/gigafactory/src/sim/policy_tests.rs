//! The scheduling policies against worked examples: start times worked by hand on tiny
//! clusters, and the backfilling and preemption cases issue 12 found.

use super::tests::{column, job, run_with_log, scenario};
use super::*;
use crate::workload::TenantId;

/// (first start, end) of each job id, from the job log.
pub(crate) fn times(log: &str) -> std::collections::BTreeMap<u64, (u64, u64)> {
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

pub(crate) fn starts(
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

pub(crate) const TWO_TENANTS: &str = "
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
    // GPU-hours (queue 1); job 2 (queue 0) preempts it and runs 60 s. A preemption is
    // planned, so job 1 writes a checkpoint as it stops (60 s, the catalogue's write
    // time): of its 3,600 s, 3,540 s of work are saved and 60 s × 8 GPUs = 0.133 GPU-h
    // lost (issue 12, defect 5: it used to lose all 3,600 s, having reached no periodic
    // checkpoint, Young/Daly for 8 GPUs being 52,311 s). It restarts at 3660 with
    // 36,000 − 3,540 = 32,460 s to go and ends at 36,120.
    let jobs = [(1, 0, 8.0, 36_000, 0), (2, 3600, 8.0, 60, 0)];
    let (s, out, log) = starts("las", 8, "", &jobs);
    assert_eq!(s, [0, 3600]);
    assert_eq!(times(&log)[&1].1, 36_120);
    assert_eq!(out.preemptions, 1);
    assert!((out.lost_gpu_hours - 8.0 * 60.0 / 3600.0).abs() < 1e-9);
}

/// Issue 12, defect 6: under `quota`, a job larger than its tenant's quota can never
/// start. It is refused on arrival (counted as refused), and the tenant's later jobs run.
/// 16 GPUs, quotas of 8: tenant a's 16-GPU job is refused; its 8-GPU job starts at once.
#[test]
fn quota_refuses_a_job_larger_than_its_tenants_quota() {
    let extra =
        format!("[scheduler]\npolicy = \"quota\"\n[failures]\nenabled = false\n{TWO_TENANTS}");
    let jobs = [
        (1, 0, 16.0, 100, 0),
        (2, 1, 8.0, 100, 0),
        (3, 2, 8.0, 100, 1),
    ]
    .iter()
    .map(|&(id, t, g, d, tenant)| Job {
        tenant: TenantId(tenant),
        ..job(id, t, g, d)
    })
    .collect();
    let (out, log) = run_with_log(&scenario(16, 1, &extra), jobs);
    assert_eq!(out.jobs_rejected, 1, "{log}");
    assert_eq!(out.jobs_completed, 2, "{log}");
    assert_eq!(out.tenants[0].jobs_rejected, 1);
    // Job 1 refused as it arrives; job 2 starts at 1, job 3 at 2.
    let rows: Vec<Vec<&str>> = log
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let row = |id: &str| rows.iter().find(|r| r[0] == id).expect("a row per job");
    assert!(row("1").contains(&"rejected"), "{log}");
    assert_eq!(row("2")[4], "1", "{log}");
    assert_eq!(row("3")[4], "2", "{log}");
}

/// Issue 12, defect 5: LAS is work-conserving, as Tiresias's is. On 16 GPUs, job 1 (8
/// GPUs, 1,000 s) runs; job 2 (16 GPUs) cannot fit and cannot preempt job 1 (both in the
/// lowest queue); job 3 (8 GPUs, 100 s), behind it, fits in the 8 idle GPUs and starts at
/// once instead of idling them until job 1 ends. Job 2 starts when job 1 ends.
#[test]
fn las_starts_a_waiting_job_that_fits_when_the_head_cannot() {
    let jobs = [
        (1, 0, 8.0, 1000, 0),
        (2, 1, 16.0, 100, 0),
        (3, 2, 8.0, 100, 0),
    ];
    assert_eq!(starts("las", 16, "", &jobs).0, [0, 1000, 2]);
}

#[test]
fn the_job_log_counts_preemptions_and_all_time_queued() {
    // Issue 12, defect 5: a wait counted only until the first start, so a preempted job
    // looked as if it never waited. In the LAS worked example job 1 starts at once, is
    // preempted at 3,600 s and waits 60 s for job 2: queued 60 s in all, one preemption.
    let jobs = [(1, 0, 8.0, 36_000, 0), (2, 3600, 8.0, 60, 0)];
    let (_, out, log) = starts("las", 8, "", &jobs);
    assert_eq!(column(&log, "wait_s")[&1], "0");
    assert_eq!(column(&log, "queued_s")[&1], "60");
    assert_eq!(column(&log, "preemptions")[&1], "1");
    assert_eq!(column(&log, "preemptions")[&2], "0");
    assert_eq!(out.preemptions, 1);
    // The summary's waits stop at the first start (both 0 s); its time queued in all
    // counts job 1's 60 s: the mean over both completed jobs is 30 s, and the tenant's
    // (both are tenant 0's) the same.
    assert_eq!(out.wait_s_mean, 0.0);
    assert_eq!(out.queued_s_mean, 30.0);
    assert_eq!(out.queued_s_p95, 60.0);
    assert_eq!(out.tenants[0].queued_s_mean, 30.0);
}

#[test]
fn backfilling_reserves_on_one_partition_not_on_gpus_spread_over_several() {
    // Issue 12's review: EASY's reservation added free GPUs across partitions. Two phases
    // of two nodes each; jobs 1 and 2 (8 GPUs, 10,000 s) take a node of each, so 16 GPUs
    // are free in all but no phase has the two whole nodes job 3 (16 GPUs) needs. The
    // reservation said "now", so job 4 (8 GPUs, 100 s) could not backfill and waited for
    // jobs 1 and 2 to end; it fits beside them and ends long before either phase frees.
    let second = "[[build]]\nsite = \"s\"\naccelerator = \"H100\"\ncount = 16\n\
                  online = \"2027-01-01\"\nlife_years = 30\n";
    let jobs = [
        (1, 0, 8.0, 10_000, 0),
        (2, 0, 8.0, 10_000, 0),
        (3, 1, 16.0, 100, 0),
        (4, 2, 8.0, 100, 0),
    ];
    for (policy, tenants) in [("easy-backfill", ""), ("fair-share", TWO_TENANTS)] {
        let (s, out, _) = starts(policy, 16, &format!("{second}{tenants}"), &jobs);
        assert_eq!(s, [0, 0, 10_000, 2], "{policy}");
        assert_eq!(out.jobs_completed, 4, "{policy}");
    }
}

#[test]
fn a_multi_node_head_is_reserved_the_nodes_it_needs_when_their_last_jobs_end() {
    // Issue 12's review: counting free GPUs rather than whole nodes, a job of two nodes
    // behind a node partly busy never got a reservation, so every later job backfilled
    // past it. Two nodes; job 1 (4 GPUs, 1,000 s) holds half of one; job 2 (16 GPUs) is
    // the head; job 3 (4 GPUs, 5,000 s) fits beside job 1 but would end long after it.
    // The head's nodes are free at 1,000 s (when job 1 ends): job 2 starts then, and job
    // 3, which would delay it, waits for it (100 s).
    let jobs = [
        (1, 0, 4.0, 1_000, 0),
        (2, 1, 16.0, 100, 0),
        (3, 2, 4.0, 5_000, 0),
    ];
    for (policy, tenants) in [("easy-backfill", ""), ("fair-share", TWO_TENANTS)] {
        let (s, _, _) = starts(policy, 16, tenants, &jobs);
        assert_eq!(s, [0, 1_000, 1_100], "{policy}");
    }
}

#[test]
fn the_backfill_depth_counts_waiting_jobs_not_withdrawn_ones() {
    // Issue 12's review: EASY took `backfill_depth` entries behind the head and then
    // dropped the withdrawn ones, so jobs withdrawn but still filed in the queue used up
    // the depth (the browser test's two-site scenario scanned 39 live jobs of 1,000 and
    // ran at 46% with 28,000 waiting). Two nodes, depth 2: job 1 (8 GPUs, 10,000 s) runs;
    // job 2 (16 GPUs) waits for it; jobs 3 and 4 (tenant b, patience 36 s) give up at
    // 38 s and 39 s; job 5 (8 GPUs, 100 s) fits on the free node and ends long before
    // job 2's reservation: it starts on arrival.
    let extra = "[scheduler]\npolicy = \"easy-backfill\"\nbackfill_depth = 2\n\
                 [failures]\nenabled = false\n\
                 [[tenant]]\nname = \"a\"\nclass = \"academia\"\nshare = 0.5\n\
                 preset = \"helios\"\nload = 0\n\
                 [[tenant]]\nname = \"b\"\nclass = \"industry\"\nshare = 0.5\n\
                 preset = \"helios\"\nload = 0\npatience_h = 0.01\n";
    let jobs = [
        (1, 0, 8.0, 10_000, 0),
        (2, 1, 16.0, 100, 0),
        (3, 2, 16.0, 100, 1),
        (4, 3, 16.0, 100, 1),
        (5, 100, 8.0, 100, 0),
    ]
    .iter()
    .map(|&(id, t, g, d, tenant)| Job {
        tenant: TenantId(tenant),
        ..job(id, t, g, d)
    })
    .collect();
    let (_, log) = run_with_log(&scenario(16, 1, extra), jobs);
    let start = column(&log, "start_s");
    let outcome = column(&log, "outcome");
    assert_eq!(outcome[&3], "withdrawn");
    assert_eq!(outcome[&4], "withdrawn");
    assert_eq!(start[&5], "100");
    assert_eq!(start[&2], "10000");
}

/// Checkpoint writes are counted as they are made, not as planned: a job of 10 hours on
/// one node writes a checkpoint every hour (60 s each). Preempted by LAS at 7,500 s it
/// has written two (7,320 s of work saved with the final write, which is lost time: 60 s);
/// it restarts at 7,560 with 28,680 s to go and writes 7 more, ending at 36,660. Nine
/// writes of 60 s on 8 GPUs: 1.2 GPU-hours. Counting each start's plan counted 17 (the
/// first start's 10 never made), and counted the two periodic writes as lost work too.
#[test]
fn checkpoint_writes_are_counted_once_as_made() {
    // Into `starts`'s `[failures]` table.
    let extra = "checkpoint_interval_s = 3600\ncheckpoint_write_s = 60\n";
    let jobs = [(1, 0, 8.0, 36_000, 0), (2, 7_500, 8.0, 60, 0)];
    let (s, out, log) = starts("las", 8, extra, &jobs);
    assert_eq!(s, [0, 7_500]);
    assert_eq!(times(&log)[&1].1, 36_660);
    assert!((out.checkpoint_overhead_gpu_hours - 9.0 * 60.0 * 8.0 / 3600.0).abs() < 1e-9);
    assert!((out.lost_gpu_hours - 60.0 * 8.0 / 3600.0).abs() < 1e-9);
}
