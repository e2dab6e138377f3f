//! Placement and data-residency rules (issue 19, part 1): a restricted tenant's work runs
//! only at the sites its rules admit, waits for them while other sites idle, and is
//! refused where no admitted site can ever hold it.

use proptest::prelude::*;

use super::tests::{job, simulate_jobs};
use super::*;
use crate::workload::TenantId;

/// Every job's tenant, last site, start and end, and how it ended, from the job table.
#[derive(Default)]
struct Table(Vec<(String, Option<String>, Option<Time>, JobEnd)>);

impl JobSink for Table {
    fn record(&mut self, r: &JobRecord<'_>) -> std::io::Result<()> {
        self.0.push((
            r.tenant.to_string(),
            r.site.map(str::to_string),
            r.start_s,
            r.outcome,
        ));
        Ok(())
    }
}

fn run(text: &str, jobs: Vec<Job>) -> (SimOutcome, Table) {
    let mut table = Table::default();
    let options = SimOptions {
        job_log: Some(&mut table),
        ..SimOptions::default()
    };
    let out = simulate_jobs(text, jobs, options).unwrap();
    (out, table)
}

/// Sites `(name, country, H100s)`, tenants `(name, rules)`, one year from 2027, failures
/// off, policy `policy`.
fn scenario(sites: &[(&str, &str, u32)], tenants: &[(&str, &str)], policy: &str) -> String {
    let mut s = format!(
        "name = \"residency\"\nstart = \"2027-01-01\"\nyears = 1\n\
         [scheduler]\npolicy = \"{policy}\"\n[failures]\nenabled = false\n"
    );
    for (name, country, gpus) in sites {
        s += &format!(
            "[[site]]\nname = \"{name}\"\ncountry = \"{country}\"\ngrid_mw = 100\n\
             [[build]]\nsite = \"{name}\"\naccelerator = \"H100\"\ncount = {gpus}\n\
             online = \"2027-01-01\"\nlife_years = 30\n"
        );
    }
    for (name, rules) in tenants {
        s += &format!(
            "[[tenant]]\nname = \"{name}\"\nclass = \"academia\"\nshare = 0.5\n\
             preset = \"helios\"\nload = 0\n{rules}\n"
        );
    }
    s
}

fn of(tenant: u32, j: Job) -> Job {
    Job {
        tenant: TenantId(tenant),
        ..j
    }
}

#[test]
fn a_restricted_job_waits_for_its_site_while_another_idles() {
    // Two one-node sites: "south" in Finland (an EU member), "north" in Norway (EEA, not
    // EU). At 0 an unrestricted 10-hour job takes south (the first of two equal sites). At
    // 60 s a job whose data must stay in the EU arrives: north is idle, but it waits for
    // south, to 36,000 s. At 7,200 s an unrestricted job arrives and starts on north at
    // once (EASY: it is behind the waiting head, lands beside its reservation).
    let plan = |rule: &str| {
        scenario(
            &[("south", "FI", 8), ("north", "NO", 8)],
            &[("anyone", ""), ("eu-data", rule)],
            "easy-backfill",
        )
    };
    let jobs = || {
        vec![
            of(0, job(1, 0, 8.0, 36_000)),
            of(1, job(2, 60, 8.0, 3_600)),
            of(0, job(3, 7_200, 8.0, 3_600)),
        ]
    };
    let (out, table) = run(&plan("region = \"eu\""), jobs());
    assert_eq!(out.jobs_completed, 3);
    let row = |i: usize| &table.0[i];
    // In the order they ended: job 3 (10,800 s), job 1 (36,000 s), job 2 (39,600 s).
    assert_eq!(row(0).1.as_deref(), Some("north"));
    assert_eq!(row(0).2, Some(7_200));
    assert_eq!(row(1).1.as_deref(), Some("south"));
    assert_eq!(row(1).2, Some(0));
    assert_eq!(
        (row(2).0.as_str(), row(2).1.as_deref()),
        ("eu-data", Some("south"))
    );
    assert_eq!(row(2).2, Some(36_000), "waits for south, north idle");
    let eu = out.tenants.iter().find(|t| t.name == "eu-data").unwrap();
    assert_eq!(eu.wait_s_mean, 36_000.0 - 60.0);

    // Without the rule it starts on north at once.
    let (_, table) = run(&plan(""), jobs());
    let eu = table.0.iter().find(|r| r.0 == "eu-data").unwrap();
    assert_eq!((eu.1.as_deref(), eu.2), (Some("north"), Some(60)));
}

#[test]
fn work_that_no_admitted_site_can_hold_is_refused_and_said() {
    // Only Germany admitted, and the plan has no site there: refused on arrival, counted,
    // and the outcome says why. A rule admitting a site too small for a job refuses that
    // job only.
    let text = scenario(
        &[("south", "FI", 8), ("north", "NO", 16)],
        &[
            ("german", "allowed_countries = [\"DE\"]"),
            ("nordic", "allowed_sites = [\"south\"]"),
        ],
        "fifo",
    );
    let jobs = vec![
        of(0, job(1, 0, 1.0, 100)),
        of(1, job(2, 0, 16.0, 100)),
        of(1, job(3, 0, 8.0, 100)),
    ];
    let (out, table) = run(&text, jobs);
    assert_eq!(out.jobs_rejected, 2);
    assert_eq!(out.jobs_completed, 1);
    let german = out.tenants.iter().find(|t| t.name == "german").unwrap();
    assert_eq!(german.jobs_rejected, 1);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("\"german\" may run at no site")),
        "{:?}",
        out.warnings
    );
    assert!(!out.warnings.iter().any(|w| w.contains("\"nordic\"")));
    let done = table.0.iter().find(|r| r.3 == JobEnd::Completed).unwrap();
    assert_eq!(
        (done.0.as_str(), done.1.as_deref()),
        ("nordic", Some("south"))
    );
}

/// A random rule over sites `s0..s{n}` in countries `countries`.
fn rule(kind: u8, pick: &[bool], countries: &[&str]) -> String {
    let chosen = |names: Vec<String>| {
        names
            .into_iter()
            .zip(pick)
            .filter(|(_, p)| **p)
            .map(|(n, _)| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match kind {
        0 => "region = \"eu\"".to_string(),
        1 => format!(
            "allowed_countries = [{}]",
            chosen(countries.iter().map(|c| c.to_string()).collect())
        ),
        _ => format!(
            "allowed_sites = [{}]",
            chosen((0..countries.len()).map(|i| format!("s{i}")).collect())
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Over random plans, rules, policies, runs across sites allowed or not, and jobs: no job of a restricted tenant ever runs
    /// at a site its rules do not admit (checked at every start by the simulation's own
    /// assertion, and here on the job table), the job counts add up, and where an admitted
    /// site exists the restricted tenant is served.
    #[test]
    fn restricted_work_never_runs_elsewhere(
        sites in proptest::collection::vec((0usize..4, 1u32..5), 1..4),
        kind in 0u8..3,
        mut pick in proptest::collection::vec(any::<bool>(), 4),
        policy in 0usize..6,
        cross_site in any::<bool>(),
        jobs in proptest::collection::vec((0i64..200_000, 0u32..2, 1u32..40, 60u64..40_000), 1..60),
    ) {
        const COUNTRIES: [&str; 4] = ["FI", "DE", "NO", "FR"];
        const POLICIES: [&str; 6] = ["fifo", "easy-backfill", "fair-share", "quota", "las", "sjf"];
        // An empty list is refused by validation: pick one at least.
        if !pick[..sites.len()].contains(&true) {
            pick[0] = true;
        }
        let names: Vec<String> = (0..sites.len()).map(|i| format!("s{i}")).collect();
        let plan: Vec<(&str, &str, u32)> = sites
            .iter()
            .zip(&names)
            .map(|(&(c, nodes), n)| (n.as_str(), COUNTRIES[c], nodes * 8))
            .collect();
        let site_countries: Vec<&str> = plan.iter().map(|p| p.1).collect();
        let r = match kind {
            1 => rule(1, &pick, &COUNTRIES),
            k => rule(k, &pick, &site_countries),
        };
        let mut text = scenario(&plan, &[("free", ""), ("bound", &r)], POLICIES[policy]);
        if cross_site {
            text += "[cluster]\ncross_site = { allowed = true, efficiency = 0.8 }\n";
        }
        let admitted: Vec<&str> = plan
            .iter()
            .enumerate()
            .filter(|&(i, &(_, country, _))| match kind {
                0 => country != "NO",
                1 => COUNTRIES.iter().zip(&pick).any(|(c, p)| *p && *c == country),
                _ => pick[i],
            })
            .map(|(_, p)| p.0)
            .collect();
        let mut list: Vec<Job> = jobs
            .iter()
            .enumerate()
            .map(|(i, &(t, tenant, gpus, d))| of(tenant, job(i as u64, t, f64::from(gpus), d)))
            .collect();
        // One small job of the restricted tenant that any admitted site can hold.
        list.push(of(1, job(10_000, 1_000, 1.0, 600)));
        list.sort_by_key(|j| (j.submit_s, j.id));
        let n = list.len() as u64;
        let (out, table) = run(&text, list);
        for (tenant, site, _, _) in &table.0 {
            if tenant == "bound" && let Some(site) = site {
                prop_assert!(admitted.contains(&site.as_str()), "{site} not in {admitted:?}\n{text}");
            }
        }
        prop_assert_eq!(
            out.jobs_submitted,
            out.jobs_completed + out.jobs_withdrawn + out.jobs_rejected + out.jobs_unfinished
        );
        prop_assert_eq!(out.jobs_submitted, n);
        let bound = out.tenants.iter().find(|t| t.name == "bound").unwrap();
        if admitted.is_empty() {
            prop_assert_eq!(bound.jobs_completed, 0);
            prop_assert_eq!(bound.jobs_rejected, bound.jobs_submitted);
        } else {
            prop_assert!(bound.jobs_completed > 0, "{text}");
        }
    }
}

#[test]
fn a_restricted_service_holds_replicas_only_at_its_sites() {
    // A dense-8b service wanting 10 one-GPU replicas (95,000 output tokens a second at a
    // ceiling of 0.5, as in `serving_tests`). Norway has 64 GPUs, Finland 8: held to the
    // EU it holds the 8 Finland has and falls short; free, it holds all 10.
    let service = |rule: &str| {
        format!(
            "[serving]\nutilisation_ceiling = 0.5\n\
             [[tenant]]\nname = \"svc\"\nclass = \"public_sector\"\nshare = 0\n\
             kind = \"inference\"\nmodel = \"dense-8b\"\ninput_tokens_per_day = 0\n\
             output_tokens_per_day = {}\nprofile = \"flat\"\n{rule}\n",
            95_000.0 * 86_400.0
        )
    };
    let plan = |rule: &str| {
        let mut s = scenario(&[("north", "NO", 64), ("south", "FI", 8)], &[], "fifo");
        s += &service(rule);
        s
    };
    let held = simulate_jobs(&plan("region = \"eu\""), Vec::new(), SimOptions::default()).unwrap();
    let free = simulate_jobs(&plan(""), Vec::new(), SimOptions::default()).unwrap();
    let max = |o: &SimOutcome| o.series.gpus_serving.iter().copied().fold(0.0, f64::max);
    assert_eq!(max(&held), 8.0);
    assert_eq!(max(&free), 10.0);
    // Eight replicas at the ceiling serve 8 x 20,833.75 x 0.5 tokens a second; the rest
    // of the demand is not served.
    let short = held.tenants[0].tokens.unwrap().not_served();
    let expected = (95_000.0 - 8.0 * 2381.0 * 70.0 / 8.0 * 0.5) * 365.0 * 86_400.0;
    assert!(
        (short - expected).abs() < 1e-3 * expected,
        "{short} vs {expected}"
    );
}
