//! End-to-end tests of the `gigafactory` binary. One test binary; shared helpers at the
//! top. Golden files: `tests/bad/NAME.toml` must fail validation with exactly the message in
//! `tests/bad/NAME.stderr`, and the small scenarios' summaries must match their snapshots
//! in `tests/snapshots/` (run with `UPDATE_GOLDEN=1` to rewrite them, then read the diff
//! before committing).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Run the binary in `dir` with `args`.
fn gigafactory_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gigafactory"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn gigafactory(args: &[&str]) -> Output {
    gigafactory_in(&tests_dir(), args)
}

/// What `run --out` writes for a simulated plan, sorted.
const RUN_OUTPUTS: [&str; 6] = [
    "jobs.parquet",
    "report.html",
    "summary.json",
    "tenants.csv",
    "timeseries.parquet",
    "years.csv",
];

/// The names in a folder, sorted.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn bad_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(tests_dir().join("bad"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_bad_scenario_fails_with_its_exact_message_and_exit_code_2() {
    let files = bad_files();
    assert!(files.len() >= 15, "only {} bad scenarios", files.len());
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_str().unwrap();
        let rel = format!("bad/{name}");
        let out = gigafactory(&["validate", &rel]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{rel}: exit code; stderr:\n{}",
            stderr(&out)
        );
        assert_eq!(stdout(&out), "", "{rel}: nothing on stdout");
        let golden = f.with_extension("stderr");
        if update {
            std::fs::write(&golden, stderr(&out)).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&golden)
            .unwrap_or_else(|_| panic!("{} missing", golden.display()));
        if stderr(&out) != expected {
            mismatches.push(format!(
                "--- {rel}: expected\n{expected}--- got\n{}",
                stderr(&out)
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn run_refuses_a_bad_scenario_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("results");
    let bad = tests_dir().join("bad/zero-count.toml");
    let out = gigafactory(&[
        "run",
        bad.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("build[0].count: expected at least 1 accelerator, found 0"));
    assert!(!out_dir.join("summary.json").exists());
}

#[test]
fn the_default_run_prints_a_summary() {
    let out = gigafactory(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let s = stdout(&out);
    assert!(s.starts_with("EU InvestAI: four gigafactories\n"), "{s}");
    for site in ["kajaani", "julich", "genci", "barcelona"] {
        assert!(s.contains(site), "{site} missing from\n{s}");
    }
    assert!(s.contains("297,216 accelerators"), "{s}");
    assert!(s.contains("Break-even rent per GPU-hour"));
    // A full simulated run, sampled, and the output says how.
    assert!(s.contains("Sampled ("), "{s}");
    assert!(s.contains("1 in 9 accelerators"), "{s}");
}

#[test]
fn summary_json_holds_the_documented_fields() {
    let dir = tempfile::tempdir().unwrap();
    let out = gigafactory(&[
        "run",
        "--until",
        "2028-01-01",
        "--out",
        dir.path().to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let text = std::fs::read_to_string(dir.path().join("summary.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    for key in [
        "capex_eur",
        "budget_eur",
        "it_power_mw",
        "facility_power_mw",
        "energy_mwh_per_year",
        "electricity_cost_eur_per_year",
        "co2_t_per_year",
        "cost_per_gpu_hour_eur",
        "breakeven_rent_eur_per_gpu_hour_1_5y",
        "breakeven_rent_eur_per_gpu_hour_life",
        "market_rent_eur_per_gpu_hour",
    ] {
        assert!(v[key].is_number(), "{key} missing or not a number");
    }
    assert_eq!(v["budget_eur"], 20e9);
    let sites = v["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 4);
    for s in sites {
        for key in [
            "name",
            "country",
            "gpus",
            "it_power_mw",
            "facility_power_mw",
            "energy_mwh_per_year",
            "electricity_cost_eur_per_year",
            "co2_t_per_year",
        ] {
            assert!(!s[key].is_null(), "sites[].{key} missing");
        }
        assert_eq!(s["gpus"], 74_304);
    }
    // 74,304 B200 at 1,000 W plus the DGX H100 server share of 575 W = 117.0288 MW rated.
    assert!((sites[0]["it_power_mw"].as_f64().unwrap() - 117.0288).abs() < 1e-9);
    // The same inputs give the same bytes.
    let dir2 = tempfile::tempdir().unwrap();
    gigafactory(&[
        "run",
        "--until",
        "2028-01-01",
        "--out",
        dir2.path().to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(
        text,
        std::fs::read_to_string(dir2.path().join("summary.json")).unwrap()
    );
    // No temporary file is left beside the outputs.
    let names = file_names(dir.path());
    assert_eq!(names, RUN_OUTPUTS);
}

#[test]
fn init_writes_the_default_which_validates_and_runs_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let out = gigafactory_in(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("eu-investai.toml").exists());
    let v = gigafactory_in(dir.path(), &["validate", "eu-investai.toml"]);
    assert_eq!(v.status.code(), Some(0));
    assert_eq!(stdout(&v), "eu-investai.toml: valid\n");
    let quick = ["--json", "--until", "2028-01-01"];
    let from_file = gigafactory_in(
        dir.path(),
        &[&["run", "eu-investai.toml"][..], &quick].concat(),
    );
    let builtin = gigafactory_in(dir.path(), &[&["run"][..], &quick].concat());
    let mut a: serde_json::Value = serde_json::from_slice(&from_file.stdout).unwrap();
    let mut b: serde_json::Value = serde_json::from_slice(&builtin.stdout).unwrap();
    a["scenario_source"] = serde_json::Value::Null;
    b["scenario_source"] = serde_json::Value::Null;
    assert_eq!(a, b);
    // A second init does not overwrite the user's edits.
    let again = gigafactory_in(dir.path(), &["init"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        stderr(&again),
        "error: eu-investai.toml exists; pass --force to overwrite it\n"
    );
}

#[test]
fn init_lists_and_rejects_unknown_names() {
    let list = gigafactory(&["init", "--list"]);
    assert!(stdout(&list).starts_with("eu-investai "));
    let bad = gigafactory(&["init", "eu-gigafactory"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(
        stderr(&bad),
        "error: no built-in scenario named \"eu-gigafactory\"; the built-in scenarios are: eu-investai, eu-ai-factories, frontier-lab\n"
    );
}

#[test]
fn a_missing_file_is_bad_input() {
    let out = gigafactory(&["run", "no-such-plan.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: cannot read no-such-plan.toml: "),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).ends_with(
        " (nor is it a built-in scenario: eu-investai, eu-ai-factories, frontier-lab)\n"
    ));
}

#[test]
fn validate_reports_each_file_and_fails_if_any_is_bad() {
    let dir = tempfile::tempdir().unwrap();
    gigafactory_in(dir.path(), &["init"]);
    let bad = tests_dir().join("bad/zero-count.toml");
    let out = gigafactory_in(
        dir.path(),
        &["validate", "eu-investai.toml", bad.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "eu-investai.toml: valid\n");
    assert!(stderr(&out).ends_with("zero-count.toml: 1 problem\n"));
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(gigafactory(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(gigafactory(&["catalog", "planets"]).status.code(), Some(2));
    assert_eq!(gigafactory(&["validate"]).status.code(), Some(2));
}

#[test]
fn catalog_tables_name_their_sources() {
    let acc = stdout(&gigafactory(&["catalog", "accelerators"]));
    assert!(acc.contains("GB300") && acc.contains("Gaudi3"));
    assert!(acc.contains("H100: specs A1, A2"));
    let countries = stdout(&gigafactory(&["catalog", "countries"]));
    assert!(countries.contains("Eurostat nrg_pc_205"));
    for row in [
        "FI    Finland",
        "NO    Norway",
        "EU27  European Union (27), average",
    ] {
        assert!(
            countries.lines().any(|l| l.starts_with(row)),
            "no row {row} in\n{countries}"
        );
    }
    let sites = stdout(&gigafactory(&["catalog", "sites"]));
    assert!(sites.contains("kajaani") && sites.contains("LUMI AIF"));
    let json: serde_json::Value =
        serde_json::from_slice(&gigafactory(&["catalog", "countries", "--json"]).stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 29);
    let sources = stdout(&gigafactory(&["catalog", "sources"]));
    assert!(sources.contains("arXiv 2407.21783"));
}

#[test]
fn schema_is_json_schema_of_the_scenario() {
    let v: serde_json::Value = serde_json::from_slice(&gigafactory(&["schema"]).stdout).unwrap();
    assert_eq!(v["title"], "Scenario");
    let required: Vec<&str> = v["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    // `site` and `build` may be left out when an [optimize] table asks for them (the
    // validation says when they are missing).
    assert_eq!(required, ["name", "start", "years"]);
    assert_eq!(v["$defs"]["Site"]["additionalProperties"], false);
    assert_eq!(v["$defs"]["Optimize"]["additionalProperties"], false);
    assert!(v["properties"]["optimize"].is_object());
}

#[test]
fn workload_generate_writes_what_stats_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("jobs.csv");
    let g = gigafactory(&[
        "workload",
        "generate",
        "--scenario",
        "scenarios/two-tenants.toml",
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(g.status.code(), Some(0), "{}", stderr(&g));
    assert!(stdout(&g).starts_with("Wrote "));
    assert_eq!(
        file_names(dir.path()),
        ["jobs.csv"],
        "no temporary file left"
    );
    let from_file: serde_json::Value = serde_json::from_slice(
        &gigafactory(&["workload", "stats", out_file.to_str().unwrap(), "--json"]).stdout,
    )
    .unwrap();
    let from_scenario: serde_json::Value = serde_json::from_slice(
        &gigafactory(&[
            "workload",
            "stats",
            "--scenario",
            "scenarios/two-tenants.toml",
            "--json",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(from_file["rows"], from_scenario["rows"]);
    let rows = from_file["rows"].as_array().unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| r["tenant"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["academia", "start-ups", "(all)"]
    );
    // Offered load: 0.5 and 0.3 (growing 50% a year) of 64 H100s for a year; GPU-hours
    // consumed by generated jobs match it within sampling noise. Year-average growth factor
    // of 1.5^t over a year: (1.5 - 1) / ln 1.5 = 1.2332.
    let expected = 64.0 * 8766.0 * (0.5 + 0.3 * 0.5 / 1.5f64.ln());
    let got = rows[2]["stats"]["gpu_hours"].as_f64().unwrap();
    assert!((got / expected - 1.0).abs() < 0.08, "{got} vs {expected}");
}

#[test]
fn workload_stats_of_a_trace_scenario_scales_durations() {
    let out = gigafactory(&[
        "workload",
        "stats",
        "--scenario",
        "scenarios/trace.toml",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let scaled = v["rows"].as_array().unwrap().last().unwrap()["stats"]["avg_run_time_gpu"]
        .as_f64()
        .unwrap();
    let raw: serde_json::Value = serde_json::from_slice(
        &gigafactory(&[
            "workload",
            "stats",
            "../../gigafactory/tests/fixtures/helios_cluster_log.csv",
            "--json",
        ])
        .stdout,
    )
    .unwrap();
    let unscaled = raw["rows"].as_array().unwrap().last().unwrap()["stats"]["avg_run_time_gpu"]
        .as_f64()
        .unwrap();
    assert!(
        (scaled / unscaled - 0.5).abs() < 0.01,
        "{scaled} vs {unscaled}"
    );
    assert_eq!(v["skipped"]["zero_gpu"], 1);
}

#[test]
fn workload_errors_name_file_and_line() {
    let out = gigafactory(&[
        "workload",
        "stats",
        "../../gigafactory/tests/fixtures/helios_bad_state.csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: ../../gigafactory/tests/fixtures/helios_bad_state.csv:4: column `state`: expected COMPLETED, \
         CANCELLED, FAILED, TIMEOUT, NODE_FAIL or OUT_OF_MEMORY, found \"RUNNING\"\n"
    );
    let lenient = gigafactory(&[
        "workload",
        "stats",
        "../../gigafactory/tests/fixtures/helios_bad_state.csv",
        "--lenient",
    ]);
    assert_eq!(lenient.status.code(), Some(0));
    assert!(stdout(&lenient).contains("1 malformed"));
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.toml");
    std::fs::write(
        &plain,
        "name = \"p\"\nstart = \"2027-01-01\"\nyears = 1\n[[site]]\nname = \"s\"\ncountry = \"FI\"\n\
         grid_mw = 10\n[[build]]\nsite = \"s\"\naccelerator = \"H100\"\ncount = 8\nonline = \"2027-01-01\"\n",
    )
    .unwrap();
    let none = gigafactory(&[
        "workload",
        "generate",
        "--scenario",
        plain.to_str().unwrap(),
        "--out",
        dir.path().join("x.csv").to_str().unwrap(),
    ]);
    assert_eq!(none.status.code(), Some(2));
    assert_eq!(
        stderr(&none),
        format!(
            "error: {}: the scenario has no [workload] trace and no [[tenant]] tables\n",
            plain.display()
        )
    );
}

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
    // Finland, Germany, France and Spain emit less per kWh than the 19 hosts' mix.
    assert!(line("CO2 t").ends_with("eu-investai"), "{}", line("CO2 t"));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("compare.json")).unwrap())
            .unwrap();
    let plans = v["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 2);
    assert_eq!(v["better"]["capex_eur"], "eu-ai-factories");
    // The better plan on each figure is the one with the lower (or, for hours served,
    // higher) value in compare.json itself.
    let lower = |k: &str| {
        if plans[0][k].as_f64() < plans[1][k].as_f64() {
            "eu-investai"
        } else {
            "eu-ai-factories"
        }
    };
    for k in [
        "capex_eur",
        "total_cost_eur",
        "co2_t",
        "energy_mwh",
        "cost_per_h100_hour_eur",
    ] {
        assert_eq!(v["better"][k], lower(k), "{k}");
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
         count = 64\nonline = \"2027-01-01\"\n[[tenant]]\nname = \"lab, west\"\n\
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
         lost_demand_gpu_hours,wait_s_p95,energy_mwh,co2_t,market_value_eur"
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0][0], "2027");
    assert_eq!(
        rows[1][5].parse::<f64>().unwrap(),
        summary["years"][1]["served_gpu_hours"].as_f64().unwrap()
    );
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
    assert_eq!(charts.len(), 8);
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
    assert_eq!(lines.next().unwrap(), gigafactory::sim::JOB_LOG_HEADER);
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

/// Three candidates and one tenant: small enough to optimise, validate and simulate in
/// a test.
const SMALL_OPTIMIZE: &str = r#"
name = "three candidates"
start = "2027-01-01"
years = 2
[budget]
capex_eur = 1e9
[[site]]
name = "kajaani"
country = "FI"
grid_mw = 3
[[site]]
name = "julich"
country = "DE"
grid_mw = 10
[[site]]
name = "bologna"
country = "IT"
grid_mw = 10
[optimize]
accelerators = ["H100", "B200"]
required_h100_equivalents = 3000
hall_gpus = 256
[[tenant]]
name = "research"
class = "academia"
share = 1.0
preset = "helios"
load = 0.3
"#;

#[test]
fn optimize_writes_a_plan_that_validates_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let q = dir.path().join("q.toml");
    std::fs::write(&q, SMALL_OPTIMIZE).unwrap();
    let plan = dir.path().join("plan.toml");
    let out = gigafactory(&[
        "optimize",
        q.to_str().unwrap(),
        "--out",
        plan.to_str().unwrap(),
        "--pareto",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // Finland has the cheapest electricity and the cleanest grid of the three: it is
    // chosen, full, and its grid connection binds with a shadow price.
    assert!(text.contains("kajaani"), "{text}");
    assert!(text.contains("Binding constraints:"), "{text}");
    assert!(text.contains("the grid connection at kajaani"), "{text}");
    assert!(
        text.contains("another 100 MW of grid connection at kajaani"),
        "{text}"
    );
    assert!(text.contains("Cost against CO2"), "{text}");
    assert_eq!(
        text.lines()
            .skip_while(|l| !l.starts_with("Point"))
            .skip(1)
            .take_while(|l| !l.is_empty())
            .count(),
        3,
        "three points on the front:\n{text}"
    );
    let v = gigafactory(&["validate", plan.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0), "{}", stderr(&v));
    let run = gigafactory(&[
        "run",
        plan.to_str().unwrap(),
        "--json",
        "--until",
        "2027-03-01",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let s: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    assert!(s["h100_equivalents"].as_f64().unwrap() >= 3000.0);
    // --simulate does the same in one go.
    let sim = gigafactory(&[
        "optimize",
        q.to_str().unwrap(),
        "--out",
        plan.to_str().unwrap(),
        "--simulate",
        "--force",
    ]);
    assert_eq!(sim.status.code(), Some(0), "{}", stderr(&sim));
    assert!(stdout(&sim).contains("Simulation"), "{}", stdout(&sim));
    // The question itself does not run: it names the command that answers it.
    let r = gigafactory(&["run", q.to_str().unwrap()]);
    assert_eq!(r.status.code(), Some(2));
    assert!(
        stderr(&r).contains("gigafactory optimize"),
        "{}",
        stderr(&r)
    );
}

#[test]
fn an_infeasible_question_is_answered_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let q = dir.path().join("q.toml");
    std::fs::write(
        &q,
        SMALL_OPTIMIZE.replace(
            "required_h100_equivalents = 3000",
            "required_h100_equivalents = 500000",
        ),
    )
    .unwrap();
    let plan = dir.path().join("plan.toml");
    let out = gigafactory(&[
        "optimize",
        q.to_str().unwrap(),
        "--out",
        plan.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("no plan"), "{err}");
    assert!(
        err.contains("required capacity") && err.contains("grid"),
        "{err}"
    );
    assert!(!plan.exists(), "no plan file for no plan");
}

/// Issue 12, defect 16: what the README says of the repository's files holds: the count of
/// invalid scenarios in tests/bad, the many-problems excerpt (its first three problems, as
/// the program prints them), and no shipped file sends a reader to a file the repository
/// does not have.
#[test]
fn the_readme_and_shipped_files_tell_the_truth_about_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let bad = bad_files().len();
    assert!(
        readme.contains(&format!(
            "`crates/gigafactory-cli/tests/bad/` holds {bad} invalid scenarios"
        )),
        "the README's count of tests/bad scenarios is not {bad}"
    );
    let stderr = std::fs::read_to_string(tests_dir().join("bad/many-problems.stderr"))
        .unwrap()
        .replace("bad/many-problems.toml", "plan.toml");
    let errors: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    let shown: Vec<&str> = readme
        .split("first three of its")
        .nth(1)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("error: "))
        .take(3)
        .collect();
    assert_eq!(shown, errors[..3], "the README's many-problems excerpt");
    // Files that exist only outside the repository.
    for dir in ["crates", "examples"] {
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if matches!(
                    p.extension().and_then(|x| x.to_str()),
                    Some("rs" | "toml" | "md" | "py")
                ) && !p.ends_with("cli.rs")
                {
                    let text = std::fs::read_to_string(&p).unwrap_or_default();
                    for missing in ["facts.md", "STACK.md", "SOURCES.md", "shared/"] {
                        assert!(
                            !text.contains(missing),
                            "{} refers to {missing}, not in the repository",
                            p.display()
                        );
                    }
                }
            }
        }
    }
}

/// Whether two JSON values agree: the same shape and strings, numbers within a relative
/// 1e-9 (a refactor may add floating-point terms in another order, not change a figure).
fn json_agrees(a: &serde_json::Value, b: &serde_json::Value, at: &str, diffs: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            if (x - y).abs() > 1e-9 * x.abs().max(y.abs()).max(1e-9) {
                diffs.push(format!("{at}: {x} in the snapshot, now {y}"));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                json_agrees(x, y, &format!("{at}[{i}]"), diffs);
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                match (x.get(k), y.get(k)) {
                    (Some(x), Some(y)) => json_agrees(x, y, &format!("{at}.{k}"), diffs),
                    (Some(_), None) => diffs.push(format!("{at}.{k}: gone")),
                    _ => diffs.push(format!("{at}.{k}: new")),
                }
            }
        }
        _ if a == b => {}
        _ => diffs.push(format!("{at}: {a} in the snapshot, now {b}")),
    }
}

/// Snapshots of the small scenarios' terminal summary and `summary.json`, and of their
/// comparison (issue 14: a
/// refactor that changes a figure shows up here; a change meant to move a figure rewrites
/// them with `UPDATE_GOLDEN=1` and says why in its commit).
#[test]
fn the_small_scenarios_summaries_match_their_snapshots() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut diffs = Vec::new();
    let (a, b) = ("scenarios/two-tenants.toml", "scenarios/trace.toml");
    for (name, args) in [
        ("two-tenants", vec!["run", a]),
        ("trace", vec!["run", b]),
        ("compare", vec!["compare", a, b]),
    ] {
        let text = gigafactory(&args);
        assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
        let json = gigafactory(&[&args[..], &["--json"]].concat());
        assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
        let mut value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        // The version moves with every release, not with a figure.
        value.as_object_mut().unwrap().remove("gigafactory_version");
        let name = name.to_string();
        let dir = tests_dir().join("snapshots");
        let (text_file, json_file) = (
            dir.join(format!("{name}.txt")),
            dir.join(format!("{name}.json")),
        );
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&text_file, stdout(&text)).unwrap();
            std::fs::write(
                &json_file,
                serde_json::to_string_pretty(&value).unwrap() + "\n",
            )
            .unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&text_file).unwrap();
        if stdout(&text) != expected {
            diffs.push(format!(
                "--- {name}.txt: expected\n{expected}--- got\n{}",
                stdout(&text)
            ));
        }
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json_file).unwrap()).unwrap();
        json_agrees(&expected, &value, &name, &mut diffs);
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
