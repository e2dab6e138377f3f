//! What a plan can train against the frontier, worked out by hand.

use super::*;
use crate::catalog::Catalog;

/// Two sites: 100,000 B200 at "big" for four years, and 1,024 H100 at "small" joined by
/// 4,096 H100 on 2028-07-01; failures off (no spares), MFU 0.4, all the time training,
/// runs of 100 days, a frontier growing 2x a year from the catalogue's anchor.
const TEXT: &str = r#"
name = "capability"
start = "2027-01-01"
years = 4
[[site]]
name = "big"
country = "FI"
grid_mw = 300
[[site]]
name = "small"
country = "DE"
grid_mw = 20
[[build]]
site = "big"
accelerator = "B200"
count = 100000
online = "2027-01-01"
life_years = 4
[[build]]
site = "small"
accelerator = "H100"
count = 1024
online = "2027-01-01"
[[build]]
site = "small"
accelerator = "H100"
count = 4096
online = "2028-07-01"
[failures]
enabled = false
[training]
mfu = 0.4
effective_time = 1
max_run_days = 100
frontier_growth_per_year = 2
"#;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs()
}

#[test]
fn the_largest_run_of_each_site_and_the_plan_against_the_frontier_by_hand() {
    let (_, f) = prepare(TEXT, Catalog::builtin()).unwrap();
    let c = capability(&f);
    // GPUs x peak dense BF16 (relative throughput x the H100's 989 TFLOP/s) x MFU x
    // effective time x 100 days of 86,400 s:
    // 100,000 B200: 100,000 x 2.275 x 989e12 x 0.4 x 1 x 8.64e6 = 7.7759136e26;
    // 1,024 H100: 1,024 x 989e12 x 0.4 x 8.64e6 = 3.500015616e24; 4,096 H100: 1.4000062464e25.
    let (big, h1024, h4096) = (7.7759136e26, 3.500015616e24, 1.4000062464e25);
    assert_eq!(c.years.len(), 4);
    assert!(close(c.years[0].site_flop[0], big));
    assert!(close(c.years[0].site_flop[1], h1024));
    // From 2028-07-01 a run on the second phase may start: the year's largest.
    assert!(close(c.years[1].site_flop[1], h4096));
    assert!(close(c.years[1].plan_flop, big));
    // The big phase retires on 2031-01-01: a 100-day run started on 2030-01-01 ends in time.
    assert!(close(c.years[3].site_flop[0], big));
    // The frontier: 2.1e26 on 2025-02-27, doubling every mean year (365.25 days):
    // on 2027-01-01, 673 days later, 2.1e26 x 2^(673/365.25) = 7.5316e26.
    assert!((c.years[0].frontier_flop / 7.531_634e26 - 1.0).abs() < 1e-6);
    assert!((c.years[3].frontier_flop / 6.028_167e27 - 1.0).abs() < 1e-6);
    // The frontier reaches 7.7759136e26 log2(7.7759136e26 / 2.1e26) x 365.25 = 689.82
    // days after its anchor: the big site (and the plan) are behind from day 690,
    // 2027-01-18; the small site is behind the day it opens.
    let d = |s: &str| s.parse::<crate::units::Date>().unwrap();
    assert_eq!(c.sites[0].behind_from, Some(d("2027-01-18")));
    assert_eq!(c.sites[1].behind_from, Some(d("2027-01-01")));
    assert_eq!(c.plan.behind_from, Some(d("2027-01-18")));
    // The plan's largest run was the frontier's on day 690 (rounded from 689.82).
    assert_eq!(c.years[0].plan_matches_frontier_of, Some(d("2027-01-18")));
}

#[test]
fn a_site_that_leads_is_behind_when_its_hardware_can_no_longer_hold_a_run() {
    // With a frontier growing 1.0001x a year the big site leads until its phase, which
    // retires on 2031-01-01, can no longer hold a 100-day run: from 2030-09-24 (retire
    // day + 1 - 100 days).
    let text = TEXT.replace(
        "frontier_growth_per_year = 2",
        "frontier_growth_per_year = 1.0001",
    );
    let (_, f) = prepare(&text, Catalog::builtin()).unwrap();
    let c = capability(&f);
    let d = |s: &str| s.parse::<crate::units::Date>().unwrap();
    assert_eq!(c.sites[0].behind_from, Some(d("2030-09-24")));
}

#[test]
fn the_largest_job_keeps_whole_nodes_and_leaves_the_spares() {
    let (_, f) = prepare(TEXT, Catalog::builtin()).unwrap();
    let mut b = f.builds[1].clone();
    // 1,024 GPUs = 128 nodes; 5% spares = 6.4, rounded 6: 122 nodes, 976 GPUs.
    assert_eq!(b.largest_job_gpus(0.05), 976);
    b.count = 12; // one whole node and a part: a job takes the whole node only
    assert_eq!(b.largest_job_gpus(0.5), 8);
    b.count = 5;
    assert_eq!(b.largest_job_gpus(0.05), 5);
    b.count = 16; // two nodes: one stays in service whatever the share
    assert_eq!(b.largest_job_gpus(0.9), 8);
}

/// Issue 15, part 3: where runs may span phases, the small site's two H100 phases train
/// together from 2028-07-01 (5,120 H100 at full speed), and with an H100 phase of 4,096 at
/// the big site too the plan's run spans sites at the stated efficiency; the B200 phase
/// never joins H100 ones.
#[test]
fn runs_across_phases_add_up_within_a_site_and_across_sites_at_the_efficiency() {
    let text = TEXT.replace(
        "[failures]",
        "[[build]]\nsite = \"big\"\naccelerator = \"H100\"\ncount = 4096\nonline = \"2027-01-01\"\n\
         [cluster]\ncross_site = { allowed = true, efficiency = 0.9 }\n[failures]",
    );
    let (_, f) = prepare(&text, Catalog::builtin()).unwrap();
    let c = capability(&f);
    let (big, h1024, h4096) = (7.7759136e26, 3.500015616e24, 1.4000062464e25);
    // 2027: the small site has 1,024 H100; the plan's B200 run is the largest.
    assert!(close(c.years[0].site_flop[1], h1024));
    assert!(close(c.years[0].plan_flop, big));
    // 2028 starts before the second phase: 1,024 at the small site still. 2029: both.
    assert!(close(c.years[2].site_flop[1], h1024 + h4096));
    // The big site's 4,096 H100 with the small site's 5,120, at 0.9 of their speed.
    let big_h100 = h4096;
    let across = 0.9 * (big_h100 + h1024 + h4096);
    assert!(across < big);
    assert!(close(c.years[2].plan_flop, big));
    // After the B200 phase retires (2031), the H100 phases across sites lead.
    let (_, f) = prepare(
        &text.replace("\nyears = 4", "\nyears = 5"),
        Catalog::builtin(),
    )
    .unwrap();
    let c = capability(&f);
    assert!(across > h1024 + h4096);
    assert!(close(c.years[4].plan_flop, across));
    assert!(close(c.years[4].site_flop[1], h1024 + h4096));
}
