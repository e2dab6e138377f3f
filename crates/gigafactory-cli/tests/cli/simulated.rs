//! Simulated runs: their summaries, early ends, comparisons, tables and interrupted writes.

use super::*;

#[test]
fn a_scenario_with_tenants_is_simulated_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("jobs.csv");
    let args = [
        "run",
        "scenarios/two-tenants.toml",
        "--out",
        dir.path().to_str().unwrap(),
        "--jobs-out",
        log.to_str().unwrap(),
        "--quiet",
    ];
    let out = gigafactory(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for key in [
        "jobs_submitted",
        "jobs_completed",
        "jobs_withdrawn",
        "utilization",
        "goodput_fraction",
        "wait_s_mean",
        "wait_s_p50",
        "wait_s_p95",
        "wait_s_p99",
        "queued_s_mean",
        "queued_s_p95",
        "jct_s_mean",
        "interruptions",
        "lost_gpu_hours",
        "fairness_jain",
    ] {
        assert!(v[key].is_number(), "{key} missing");
    }
    let tenants = v["tenants"].as_array().unwrap();
    assert_eq!(tenants.len(), 2);
    for t in tenants {
        for key in [
            "name",
            "wait_s_p95",
            "served_gpu_hours",
            "share_of_service",
            "lost_demand_gpu_hours",
        ] {
            assert!(!t[key].is_null(), "tenants[].{key} missing");
        }
    }
    // The economics use the simulated utilisation.
    assert_eq!(v["assumed_utilization"], v["utilization"]);
    // Per-year results: a one-year horizon from 2027-01-01 is calendar 2027.
    let years = v["years"].as_array().unwrap();
    assert_eq!(years.len(), 1);
    for key in [
        "year",
        "gpus_online",
        "capex_eur",
        "opex_eur",
        "utilization",
        "served_gpu_hours",
        "lost_demand_gpu_hours",
        "wait_s_p95",
        "energy_mwh",
        "co2_t",
        "market_value_eur",
    ] {
        assert!(years[0][key].is_number(), "years[].{key} missing");
    }
    assert_eq!(years[0]["year"], 2027);
    assert_eq!(years[0]["utilization"], v["utilization"]);
    // One log line per job that ended, after the header.
    let lines = std::fs::read_to_string(&log).unwrap().lines().count() as u64;
    let ended = ["jobs_completed", "jobs_withdrawn", "jobs_rejected"]
        .iter()
        .map(|k| v[k].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(lines, ended + 1);
    // Same seed, same bytes.
    let dir2 = tempfile::tempdir().unwrap();
    let log2 = dir2.path().join("jobs.csv");
    let mut args2 = args;
    args2[3] = dir2.path().to_str().unwrap();
    args2[5] = log2.to_str().unwrap();
    gigafactory(&args2);
    assert_eq!(
        text,
        std::fs::read_to_string(dir2.path().join("summary.json")).unwrap()
    );
    assert_eq!(std::fs::read(&log).unwrap(), std::fs::read(&log2).unwrap());
}

#[test]
fn until_ends_the_simulation_early_and_says_so() {
    let out = gigafactory(&["run", "scenarios/two-tenants.toml", "--until", "2027-02-01"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .contains("Stopped early at 2027-02-01 (--until): the figures cover 31 days only.")
    );
    let bad = gigafactory(&["run", "scenarios/two-tenants.toml", "--until", "2029-01-01"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        stderr(&bad),
        "error: --until 2029-01-01: expected a date after 2027-01-01 and no later than 2028-01-01\n"
    );
}

#[test]
fn seeds_give_each_simulated_figure_its_interval() {
    let out = gigafactory(&[
        "run",
        "scenarios/two-tenants.toml",
        "--until",
        "2027-03-01",
        "--seeds",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let at = text.find("\nOver 3 seeds (").expect("the seeds' table");
    let table = &text[at..];
    // Drawn figures move; the plan's own do not.
    let row = |label: &str| {
        table
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("{label} in\n{table}"))
            .to_string()
    };
    assert!(row("Utilisation").contains("± "), "{table}");
    assert!(row("Energy MWh").contains("± "), "{table}");
    assert!(table.contains("The same under every seed: Accelerators; H100-equivalents; Capex"));
    assert!(!table.lines().any(|l| l.starts_with("Capex ")), "{table}");
    // The summary above the table is the plan's own seed's: as a run without --seeds.
    let one = gigafactory(&["run", "scenarios/two-tenants.toml", "--until", "2027-03-01"]);
    assert_eq!(stdout(&one), text[..at]);
    // summary.json holds the same under `seeds` (here printed with --json), and the rest
    // of it is the first seed's run.
    let json = |extra: &[&str]| -> serde_json::Value {
        let args = [
            &[
                "run",
                "scenarios/two-tenants.toml",
                "--until",
                "2027-03-01",
                "--json",
            ][..],
            extra,
        ]
        .concat();
        let out = gigafactory(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let (mut three, plain) = (json(&["--seeds", "3"]), json(&[]));
    let seeds = three.as_object_mut().unwrap().remove("seeds").unwrap();
    assert_eq!(three, plain);
    assert_eq!(seeds["seeds"], serde_json::json!([7, 8, 9]));
    let u = &seeds["figures"]["utilization"];
    assert_eq!(u["values"][0], plain["utilization"], "{u}");
    assert_eq!(u["values"].as_array().unwrap().len(), 3);
    assert!(u["half_width_95"].as_f64().unwrap() > 0.0, "{u}");
    assert_eq!(seeds["figures"]["capex_eur"]["half_width_95"], 0.0);
    // Bad input: no seeds, a plan with nothing to draw.
    let zero = gigafactory(&["run", "scenarios/two-tenants.toml", "--seeds", "0"]);
    assert_eq!(zero.status.code(), Some(2));
    assert!(stderr(&zero).contains("--seeds"), "{}", stderr(&zero));
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.toml");
    let text = std::fs::read_to_string(tests_dir().join("scenarios/two-tenants.toml")).unwrap();
    let cut = text.find("[[tenant]]").unwrap();
    std::fs::write(&plain, &text[..cut]).unwrap();
    let none = gigafactory(&["run", plain.to_str().unwrap(), "--seeds", "2"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(
        stderr(&none).starts_with("error: --seeds 2: the plan has no workload to simulate"),
        "{}",
        stderr(&none)
    );
}

/// `compare --seeds R`: every plan under the same R seeds, each simulated figure's mean
/// and interval, and a plan named better only where its lead on the other exceeds the
/// interval of their paired differences (issue 17's one rule for verdicts).
#[test]
fn compare_over_seeds_names_a_plan_only_beyond_the_paired_interval() {
    let (a, b) = ("scenarios/two-tenants.toml", "scenarios/trace.toml");
    let out = gigafactory(&["compare", a, b, "--seeds", "4", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["seeds"], serde_json::json!([7, 8, 9, 10]));
    // The plans' figures are the first seed's: a plain compare's.
    let plain: serde_json::Value =
        serde_json::from_str(&stdout(&gigafactory(&["compare", a, b, "--json"]))).unwrap();
    assert_eq!(v["plans"], plain["plans"]);
    for (k, verdict) in v["verdicts"].as_object().unwrap() {
        let basis = verdict["basis"].as_str().unwrap();
        let hw = verdict["half_width_95"].as_array().unwrap();
        match basis {
            // Not drawn: the same under every seed, no interval to speak of.
            "exact" => assert!(
                hw.iter().all(|h| h.as_f64().is_none_or(|h| h == 0.0)),
                "{k}"
            ),
            "beyond seed noise and tolerance" => {
                let better = verdict["better"].as_str().unwrap();
                assert_eq!(v["better"][k], better, "{k}");
            }
            "about equal: within seed noise" | "unranked" => {
                assert!(v["better"].get(k).is_none(), "{k}");
            }
            other => panic!("{k}: {other} (neither plan is sampled)"),
        }
    }
    // The small plan's utilisation moves with the seeds; the 256-GPU replay of a trace
    // barely uses its plan: far apart under every seed.
    let u = &v["verdicts"]["utilization"];
    assert!(u["half_width_95"][0].as_f64().unwrap() > 0.0, "{u}");
    assert_eq!(u["basis"], "beyond seed noise and tolerance");
    // The table shows intervals and says how verdicts were reached.
    let text = stdout(&gigafactory(&["compare", a, b, "--seeds", "4"]));
    let row = text.lines().find(|l| l.starts_with("Utilisation")).unwrap();
    assert!(row.contains(" ± ") && row.contains(" pts"), "{row}");
    assert!(text.contains("4 seeds (7 to 10) for every plan"), "{text}");
    assert!(text.contains("paired differences over the seeds"), "{text}");
    // With one seed, a simulated figure's verdict says it rests on one run.
    let one = stdout(&gigafactory(&["compare", a, b]));
    let row = one.lines().find(|l| l.starts_with("Utilisation")).unwrap();
    assert!(row.ends_with("scenarios/two-tenants.toml (1 run)"), "{row}");
    // Bad usage: no seeds; seeds with nothing to draw.
    let zero = gigafactory(&["compare", a, b, "--seeds", "0"]);
    assert_eq!(zero.status.code(), Some(2));
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.toml");
    let text = std::fs::read_to_string(tests_dir().join(a)).unwrap();
    std::fs::write(&plain, &text[..text.find("[[tenant]]").unwrap()]).unwrap();
    let p = plain.to_str().unwrap();
    let none = gigafactory(&["compare", p, p, "--seeds", "2"]);
    assert_eq!(none.status.code(), Some(2), "{}", stderr(&none));
    assert!(
        stderr(&none).starts_with("error: --seeds 2: no plan has a workload to simulate"),
        "{}",
        stderr(&none)
    );
}

#[test]
fn compare_sets_the_two_eu_plans_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let out = gigafactory(&[
        "compare",
        "eu-investai",
        "eu-ai-factories",
        "--years",
        "1",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    let line = |label: &str| {
        table
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} row"))
            .to_string()
    };
    // The same money: 297,216 B200 in four gigafactories, 296,400 over the 19 AI Factories
    // (grid connections cost nothing by default, so the capex differs by the count only).
    assert!(
        line("Capex ").ends_with("eu-ai-factories"),
        "{}",
        line("Capex ")
    );
    // Finland, Germany, France and Spain emit less per kWh than the 19 hosts' mix: far
    // beyond the sampling's tolerance, but in one replication, which the table says.
    assert!(
        line("CO2 t").ends_with("eu-investai (1 run)"),
        "{}",
        line("CO2 t")
    );
    // A gigafactory's 74,304 B200 train a run 74,304 / 15,600 times larger than one AI
    // Factory's (less spares), as large as the frontier's more recently.
    assert!(
        line("Largest training run").ends_with("eu-investai"),
        "{}",
        line("Largest training run")
    );
    assert!(line("Its size was the frontier's on").ends_with("eu-investai"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("compare.json")).unwrap())
            .unwrap();
    let plans = v["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 2);
    assert_eq!(v["better"]["capex_eur"], "eu-ai-factories");
    assert_eq!(v["verdicts"]["capex_eur"]["basis"], "exact");
    // Both plans are sampled: a simulated total is named better only beyond the sampling's
    // 3% (then by the plan lower in compare.json itself), and queueing is not ranked.
    let lower = |k: &str| {
        if plans[0][k].as_f64() < plans[1][k].as_f64() {
            "eu-investai"
        } else {
            "eu-ai-factories"
        }
    };
    let ratio = plans[0]["largest_run_flop"].as_f64().unwrap()
        / plans[1]["largest_run_flop"].as_f64().unwrap();
    assert!((ratio - 74_304.0 / 15_600.0).abs() < 0.01, "{ratio}");
    for k in [
        "total_cost_eur",
        "co2_t",
        "energy_mwh",
        "cost_per_h100_hour_eur",
    ] {
        let (a, b) = (plans[0][k].as_f64().unwrap(), plans[1][k].as_f64().unwrap());
        let verdict = &v["verdicts"][k];
        if (a - b).abs() > 0.03 * a.abs().max(b.abs()) {
            assert_eq!(v["better"][k], lower(k), "{k}");
            assert_eq!(verdict["basis"], "one replication", "{k}");
        } else {
            assert!(v["better"].get(k).is_none(), "{k}");
            assert_eq!(
                verdict["basis"], "about equal: within sampling tolerance",
                "{k}"
            );
        }
    }
    // (Where both plans have the same value, e.g. no wait in their first year, there is
    // nothing to rank.)
    for k in ["wait_s_p95", "lost_demand_gpu_hours", "jobs_refused"] {
        let basis = v["verdicts"][k]["basis"].as_str().unwrap();
        assert!(
            basis == "about equal: queueing under sampling" || basis == "unranked",
            "{k}: {basis}"
        );
        assert!(v["better"].get(k).is_none(), "{k}");
    }
    assert_eq!(plans[0]["gpus"], 4 * 74_304);
    assert_eq!(plans[1]["gpus"], 19 * 15_600);
    // The report sets them side by side: the table, and six charts (four of figures, GPUs
    // allocated over time and p95 waits of the simulated plans).
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("<th>eu-investai</th><th>eu-ai-factories</th><th>Better</th>"));
    assert_eq!(html.matches("<figure").count(), 6);
    assert!(html.contains("Accelerators allocated to jobs, per plan"));
    // A single plan is bad usage.
    assert_eq!(
        gigafactory(&["compare", "eu-investai"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_simulated_run_writes_years_and_tenants_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("small.toml");
    std::fs::write(
        &plan,
        "name = \"small\"\nstart = \"2027-01-01\"\nyears = 2\n[[site]]\nname = \"s\"\n\
         country = \"FI\"\ngrid_mw = 10\n[[build]]\nsite = \"s\"\naccelerator = \"H100\"\n\
         count = 64\nonline = \"2027-01-01\"\n[demand]\nreference_h100_equivalents = 64\n\
         [[tenant]]\nname = \"lab, west\"\n\
         class = \"academia\"\nshare = 0.6\npreset = \"philly\"\nload = 0.3\n\
         [[tenant]]\nname = \"sme\"\nclass = \"startup_sme\"\nshare = 0.4\n\
         preset = \"philly\"\nload = 0.2\n",
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let out = gigafactory(&[
        "run",
        plan.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("summary.json")).unwrap())
            .unwrap();
    let years = std::fs::read_to_string(out_dir.join("years.csv")).unwrap();
    let mut lines = years.lines();
    assert_eq!(
        lines.next().unwrap(),
        "year,gpus_online,capex_eur,opex_eur,utilization,served_gpu_hours,\
         lost_demand_gpu_hours,jobs_refused,refused_flop,wait_s_p95,energy_mwh,co2_t,\
         market_value_eur,serving_gpu_hours,tokens_served,tokens_not_served,\
         largest_run_flop,frontier_run_flop,largest_run_frontier_date,revenue_eur,subsidy_eur"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "2027");
    assert_eq!(
        rows[1][5].parse::<f64>().unwrap(),
        summary["years"][1]["served_gpu_hours"].as_f64().unwrap()
    );
    assert_eq!(
        rows[1][7].parse::<u64>().unwrap(),
        summary["years"][1]["jobs_refused"].as_u64().unwrap()
    );
    // What the plan could train: as summary.json says, 64 H100 far behind the frontier.
    assert_eq!(
        rows[1][16].parse::<f64>().unwrap(),
        summary["capability"]["years"][1]["plan_flop"]
            .as_f64()
            .unwrap()
    );
    assert!(rows[1][16].parse::<f64>().unwrap() < rows[1][17].parse::<f64>().unwrap());
    assert_eq!(rows[1][18].len(), "2020-03-01".len());
    // No services: nothing served, nothing refused.
    assert_eq!(rows[1][13..16], ["0", "0", "0"]);
    // No prices: the revenue columns are empty.
    assert_eq!(rows[1][19..21], ["", ""]);
    let tenants = std::fs::read_to_string(out_dir.join("tenants.csv")).unwrap();
    let t: Vec<&str> = tenants.lines().collect();
    assert_eq!(t.len(), 3);
    // A name with a comma is quoted.
    assert!(t[1].starts_with("\"lab, west\","), "{}", t[1]);
    // The report: one self-contained page, every chart drawn.
    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(!html.contains("<script"), "no script");
    assert_eq!(
        html.matches("http").count(),
        html.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
        "nothing fetched but the SVG namespace name"
    );
    let charts: Vec<&str> = html.split("<figure").skip(1).collect();
    assert_eq!(charts.len(), 9);
    for c in &charts {
        // At least one bar with a height (a path rising by a non-zero amount) or one line
        // of two points or more.
        let bar = c
            .split("v-")
            .skip(1)
            .any(|x| x.split('h').next().unwrap().parse::<f64>().unwrap_or(0.0) > 0.0);
        let line = c.contains("<path d=\"M") && c.contains('L');
        assert!(bar || line, "an empty chart: {c}");
    }
    for title in [
        "Accelerators online and allocated",
        "Jobs waiting, per tenant",
        "Facility power, per site",
        "Wait before a job starts, per tenant",
    ] {
        assert!(html.contains(title), "{title}");
    }
    assert!(html.contains("lab, west"));
    assert_eq!(
        t[2].split(',').nth(1).unwrap().parse::<u64>().unwrap(),
        summary["tenants"][1]["jobs_submitted"].as_u64().unwrap()
    );
    // The tables as Parquet (checked column by column from Python in tests/python.rs).
    for name in ["jobs.parquet", "timeseries.parquet"] {
        let bytes = std::fs::read(out_dir.join(name)).unwrap();
        assert!(
            bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
            "{name}"
        );
    }
    let names = file_names(&out_dir);
    assert_eq!(names, RUN_OUTPUTS);

    // --format csv: the same tables as CSV.
    let csv_dir = dir.path().join("csv");
    let out = gigafactory(&[
        "run",
        plan.to_str().unwrap(),
        "--out",
        csv_dir.to_str().unwrap(),
        "--format",
        "csv",
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!csv_dir.join("jobs.parquet").exists());
    let jobs = std::fs::read_to_string(csv_dir.join("jobs.csv")).unwrap();
    let mut lines = jobs.lines();
    assert_eq!(lines.next().unwrap(), gigafactory::run::job_log_header());
    let ended = ["jobs_completed", "jobs_withdrawn", "jobs_rejected"]
        .iter()
        .map(|k| summary[k].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(lines.count() as u64, ended, "a row per job that ended");
    assert!(jobs.contains(",\"lab, west\",s,"));
    let series = std::fs::read_to_string(csv_dir.join("timeseries.csv")).unwrap();
    let mut lines = series.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("hour_start,hours_from_start,site,gpus_online,"));
    assert!(
        header.ends_with(
            ",co2_t,\"queued_jobs_lab, west\",queued_jobs_sme,\"queued_gpus_lab, west\",\
             queued_gpus_sme"
        ),
        "{header}"
    );
    assert_eq!(
        lines.count(),
        (365 + 366) * 24,
        "a row per hour of 2027 and 2028 (leap)"
    );
}

/// The README's example of runs across sites (`examples/cross-site`): the same lab's
/// campaign, from one demand file, on two sites of 16,384 B200; runs larger than a site
/// are refused, unless runs may span the two, when none is and some run across them, and
/// the plan's largest run is the two sites' at 80% (1.6 times one site's).
#[test]
fn runs_larger_than_a_site_are_refused_or_run_across_sites() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/cross-site");
    let plan = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let out = gigafactory(&[
        "compare",
        &plan("two-sites.toml"),
        &plan("two-sites-across.toml"),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let (one, across) = (&json["plans"][0], &json["plans"][1]);
    assert!(one["jobs_refused"].as_u64().unwrap() > 0, "{one}");
    assert_eq!(one["cross_site_runs"].as_u64(), Some(0));
    assert_eq!(across["jobs_refused"].as_u64(), Some(0), "{across}");
    assert!(across["cross_site_runs"].as_u64().unwrap() > 0);
    let flop = |p: &serde_json::Value| p["largest_run_flop"].as_f64().unwrap();
    assert!((flop(across) / flop(one) - 1.6).abs() < 1e-9);
}

#[test]
fn a_run_killed_while_writing_leaves_no_file_under_its_final_name() {
    // A year of 4,096 GPUs, all simulated: seconds of streaming jobs.parquet.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sampling-check.toml");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gigafactory"))
        .args([
            "run",
            scenario.to_str().unwrap(),
            "--sample",
            "full",
            "-q",
            "--out",
        ])
        .arg(&out)
        .spawn()
        .unwrap();
    let partial = |out: &Path| -> Option<u64> {
        std::fs::read_dir(out).ok()?.find_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            name.starts_with(".jobs.parquet.partial-")
                .then(|| e.metadata().map_or(0, |m| m.len()))
        })
    };
    let started = std::time::Instant::now();
    // Wait until the job table is part-way written: its temporary file holds data.
    while partial(&out).is_none_or(|n| n == 0) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be interrupted"
        );
        assert!(
            started.elapsed().as_secs() < 120,
            "no job table being written"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let names = file_names(&out);
    for final_name in RUN_OUTPUTS {
        assert!(
            !names.iter().any(|n| n == final_name),
            "{final_name} is there after the kill: {names:?}"
        );
    }
    assert!(
        names
            .iter()
            .all(|n| n.starts_with('.') && n.contains(".partial-")),
        "{names:?}"
    );
    // The next run into the folder clears what the killed one left.
    let again = gigafactory(&[
        "run",
        scenario.to_str().unwrap(),
        "--until",
        "2027-01-10",
        "-q",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let left: Vec<String> = file_names(&out)
        .into_iter()
        .filter(|n| n.contains(".partial-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
