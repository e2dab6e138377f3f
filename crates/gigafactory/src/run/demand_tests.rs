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
fn a_load_without_a_reference_is_refused_with_the_line_to_add() {
    // A load was a share of each plan's own capacity: a plan four times larger got four
    // times the jobs. Now such a file is refused, and told the reference that keeps its
    // old meaning (2,048 H100: 2,048 H100-equivalents); a load of 0 needs none.
    let text = |load: &str| {
        scenario(
            2048,
            1,
            &format!(
                "[[tenant]]\nname = \"t\"\nclass = \"academia\"\nshare = 1\n\
                 preset = \"helios-earth\"\nload = {load}\n"
            ),
        )
    };
    let Err(problems) = crate::model::prepare(&text("0.5"), Catalog::builtin()) else {
        panic!("a load without a reference was accepted");
    };
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path.to_string(), "tenant[0].load");
    assert!(
        problems[0]
            .message
            .contains("add `reference_h100_equivalents = 2048` under [demand]"),
        "{}",
        problems[0].message
    );
    assert!(crate::model::prepare(&text("0"), Catalog::builtin()).is_ok());
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

#[test]
fn the_two_eu_plans_state_the_same_demand_in_absolute_terms() {
    // `compare eu-investai eu-ai-factories` meets both plans with the same jobs: the same
    // tenants, demand, shocks, start, horizon and seed, and no load that could follow a
    // plan's own size.
    let get = |id| crate::scenario::builtin(id).unwrap().scenario();
    let (a, b) = (get("eu-investai"), get("eu-ai-factories"));
    assert_eq!(a.tenants, b.tenants);
    assert_eq!(a.demand, b.demand);
    assert_eq!(a.shocks, b.shocks);
    assert_eq!(a.serving, b.serving);
    assert_eq!((a.start, a.years, a.seed), (b.start, b.years, b.seed));
    for s in crate::scenario::BUILTIN.iter().map(|b| b.scenario()) {
        assert!(
            s.tenants.iter().all(|t| t.load.is_none()
                && (t.demand_h100_hours_per_year.is_some() || t.input_tokens_per_day.is_some())),
            "{}",
            s.name
        );
    }
}

/// The demand of [`DEMAND`] as a demand file: its `[demand]` and `[[tenant]]` tables.
fn demand_file_text() -> String {
    DEMAND.replace("[failures]\nenabled = false\n", "")
}

/// A plan of `gpus` H100 that takes its demand from `demand.toml`.
fn including(gpus: u32) -> String {
    // A top-level key goes before the first table.
    scenario(gpus, 1, "[failures]\nenabled = false")
        .replace("[[site]]", "demand_file = \"demand.toml\"\n[[site]]")
}

/// Issue 15, part 1: two plans that include one demand file meet the same tenants and the
/// same jobs as the plans that state them inline.
#[test]
fn plans_that_include_one_demand_file_meet_the_same_demand() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("demand.toml"), demand_file_text()).unwrap();
    let prepare = |gpus| {
        Plan::prepare(
            "plan.toml",
            &including(gpus),
            dir.path().to_path_buf(),
            Catalog::builtin(),
        )
        .unwrap()
    };
    let (small, large) = (prepare(512), prepare(2048));
    assert_eq!(small.scenario.tenants, plan(512).scenario.tenants);
    assert_eq!(small.scenario.demand, plan(512).scenario.demand);
    assert_eq!(small.scenario.tenants, large.scenario.tenants);
    assert_eq!(jobs_hash(&small), jobs_hash(&plan(512)));
    assert_eq!(jobs_hash(&small), jobs_hash(&large));
}

/// A demand file's problems name that file, its line and field; a plan that states demand
/// of its own too, a missing file and anything but a regular file are refused on the
/// plan's `demand_file` or tables.
#[test]
fn a_demand_files_problems_name_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = demand_file_text().replace("3_068_100", "-5");
    std::fs::write(dir.path().join("demand.toml"), &bad).unwrap();
    let text = including(512);
    let problems = |text: &str| {
        Plan::prepare(
            "plan.toml",
            text,
            dir.path().to_path_buf(),
            Catalog::builtin(),
        )
        .unwrap_err()
        .iter()
        .map(|p| p.render("plan.toml", text))
        .collect::<String>()
    };
    let line = bad.lines().position(|l| l.contains("-5")).unwrap() + 1;
    let shown = problems(&text);
    let file = dir.path().join("demand.toml").display().to_string();
    assert!(
        shown.contains(&format!("error: {file}:{line}:"))
            && shown.contains("tenant[0].demand_h100_hours_per_year"),
        "{shown}"
    );
    // An unknown key in the demand file, placed there too.
    std::fs::write(dir.path().join("demand.toml"), "[[tenant]]\nnam = \"x\"\n").unwrap();
    let shown = problems(&text);
    assert!(
        shown.contains(&format!("error: {file}:2:1: tenant[0].nam")),
        "{shown}"
    );
    // Demand in both places.
    std::fs::write(dir.path().join("demand.toml"), demand_file_text()).unwrap();
    let both = format!("{text}\n[[tenant]]\nname = \"x\"\nclass = \"academia\"\nshare = 1\n");
    assert!(
        problems(&both).contains("leave out its own [[tenant]] tables"),
        "{}",
        problems(&both)
    );
    // No such file; a folder.
    let missing = text.replace("demand.toml", "nowhere.toml");
    assert!(
        problems(&missing).contains("demand_file: cannot read"),
        "{}",
        problems(&missing)
    );
    std::fs::create_dir(dir.path().join("folder.toml")).unwrap();
    let folder = text.replace("demand.toml", "folder.toml");
    assert!(
        problems(&folder).contains("not a regular file"),
        "{}",
        problems(&folder)
    );
}
