//! Access through calls (issue 19, part 2) worked by hand: a round's budget, the accepted
//! set under each rule, and the awards becoming the tenant's demand.

use super::*;

/// 1,024 H100 in 2027 (365 days: 8,970,240 H100-hours); a call of half of them, one round
/// a year, five proposals given, chosen by `rule`.
fn plan(rule: &str) -> Plan {
    let text = format!(
        "name = \"calls\"\nstart = \"2027-01-01\"\nyears = 1\nseed = 11\n\
         [[site]]\nname = \"kajaani\"\ncountry = \"FI\"\ngrid_mw = 5\n\
         [[build]]\nsite = \"kajaani\"\naccelerator = \"H100\"\ncount = 1024\n\
         online = \"2027-01-01\"\n\
         [failures]\nenabled = false\n\
         [[tenant]]\nname = \"research\"\nclass = \"academia\"\nshare = 1\npreset = \"philly\"\n\
         [[call]]\nname = \"access\"\ntenant = \"research\"\nevery_months = 12\nshare = 0.5\n\
         rule = \"{rule}\"\n\
         [[call.proposal]]\nname = \"A\"\nh100_hours = 2.0e6\nscore = 4.8\n\
         [[call.proposal]]\nname = \"B\"\nh100_hours = 1.5e6\nscore = 4.5\n\
         [[call.proposal]]\nname = \"C\"\nh100_hours = 1.2e6\nscore = 4.2\n\
         [[call.proposal]]\nname = \"D\"\nh100_hours = 0.5e6\nscore = 3.9\n\
         [[call.proposal]]\nname = \"E\"\nh100_hours = 0.3e6\nscore = 3.0\n"
    );
    Plan::prepare("t", &text, PathBuf::from("."), Catalog::builtin()).unwrap()
}

fn accepted(c: &Calls) -> Vec<&str> {
    c.projects
        .iter()
        .filter(|p| p.accepted)
        .map(|p| p.project.as_str())
        .collect()
}

#[test]
fn a_round_awards_the_hand_computed_set() {
    // Budget: 0.5 x 1,024 x 8,760 h = 4,485,120 H100-hours.
    // By score: A (2.0 M; 2,485,120 left), B (1.5 M; 985,120 left), C (1.2 M) does not
    // fit and is passed over, D (0.5 M; 485,120 left), E (0.3 M; 185,120 left).
    let p = plan("score");
    let c = calls(&p.scenario, &p.facility, None).unwrap();
    assert_eq!(accepted(&c), ["A", "B", "D", "E"]);
    let f = &c.calls[0];
    assert_eq!(f.budget_h100_hours, 4_485_120.0);
    assert_eq!((f.rounds, f.proposals, f.accepted), (1, 5, 4));
    assert_eq!(f.acceptance_rate, 0.8);
    assert_eq!(f.requested_h100_hours, 5.5e6);
    assert_eq!(f.awarded_h100_hours, 4.3e6);
    assert_eq!(f.declined_h100_hours, 1.2e6);
    assert!((f.oversubscription - 5.5e6 / 4_485_120.0).abs() < 1e-12);
    let rows: f64 = c.projects.iter().map(|r| r.awarded_h100_hours).sum();
    assert_eq!(rows, f.awarded_h100_hours);
    assert_eq!(f.class, "academia");

    // Smallest first: E, D, C, B (3.5 M; 985,120 left), then A (2.0 M) does not fit.
    let p = plan("smallest_first");
    let c = calls(&p.scenario, &p.facility, None).unwrap();
    assert_eq!(accepted(&c), ["B", "C", "D", "E"]);
    assert_eq!(c.calls[0].awarded_h100_hours, 3.5e6);

    // A lottery awards what fits, in the seed's order: never over the budget, and the same
    // set for the same seed.
    let p = plan("lottery");
    let a = calls(&p.scenario, &p.facility, None).unwrap();
    let b = calls(&p.scenario, &p.facility, None).unwrap();
    assert_eq!(accepted(&a), accepted(&b));
    assert!(a.calls[0].awarded_h100_hours <= a.calls[0].budget_h100_hours);
}

#[test]
fn the_awards_are_the_tenants_demand() {
    // The tenant states no demand of its own: its jobs bring the 4.3 M H100-hours awarded,
    // spread over the year (all served or still to serve at the end: no patience set).
    let p = plan("score");
    let e = evaluate(&p, Catalog::builtin(), Sample::Full, SimOptions::default()).unwrap();
    let o = e.outcome.as_ref().unwrap();
    let t = &o.tenants[0];
    let offered = t.served_gpu_hours + t.lost_demand_gpu_hours;
    assert!(
        (offered / 4.3e6 - 1.0).abs() < 0.05,
        "{offered} H100-hours offered against 4.3 M awarded"
    );
    let c = e.calls.as_ref().unwrap();
    assert_eq!(c.calls[0].served_gpu_hours, Some(t.served_gpu_hours));
}

#[test]
fn a_sample_holds_the_whole_plans_rounds() {
    // A 1-in-4 sample of the accelerators draws the same proposals and awards the same set
    // against the whole plan's budget; its tenant's arrivals are scaled by the weight.
    let p = plan("score");
    let (sampled, weight) = p.facility.sampled(4);
    assert!((weight - 4.0).abs() < 1e-9);
    let whole = calls(&p.scenario, &p.facility, None).unwrap();
    let part = calls(&p.scenario, &sampled, None).unwrap();
    assert_eq!(whole, part);
}
