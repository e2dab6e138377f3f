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
    // A built-in scenario's name validates as `run` takes it (the message for a missing
    // file names the built-ins, so it must accept them).
    let out = gigafactory(&["validate", "eu-ai-factories", "frontier-lab"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "eu-ai-factories (built-in): valid\nfrontier-lab (built-in): valid\n"
    );
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

/// Problems of JSON value `v` against `schema` (the subset `schemars` writes: `type`,
/// `properties`, `required`, `items`, `anyOf`, `$ref` into `$defs`): a key the schema does
/// not name, a required key missing, a value of the wrong type.
fn schema_problems(
    v: &serde_json::Value,
    schema: &serde_json::Value,
    root: &serde_json::Value,
    at: &str,
    out: &mut Vec<String>,
) {
    use serde_json::Value;
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.strip_prefix("#/$defs/").expect("a local reference");
        return schema_problems(v, &root["$defs"][name], root, at, out);
    }
    if let Some(any) = schema["anyOf"].as_array() {
        let fits = any.iter().any(|s| {
            let mut p = Vec::new();
            schema_problems(v, s, root, at, &mut p);
            p.is_empty()
        });
        if !fits {
            out.push(format!("{at}: fits none of {any:?}"));
        }
        return;
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let kind = match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let fits = types.is_empty()
        || types.contains(&kind)
        || (kind == "integer" && types.contains(&"number"));
    if !fits {
        out.push(format!("{at}: {kind}, the schema says {types:?}"));
        return;
    }
    match v {
        Value::Object(m) => {
            for key in schema["required"].as_array().into_iter().flatten() {
                if !m.contains_key(key.as_str().unwrap()) {
                    out.push(format!("{at}.{key}: required, missing"));
                }
            }
            for (k, x) in m {
                // A map's values follow `additionalProperties`.
                match schema["properties"]
                    .get(k)
                    .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()))
                {
                    Some(s) => schema_problems(x, s, root, &format!("{at}.{k}"), out),
                    None => out.push(format!("{at}.{k}: not in the schema")),
                }
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                schema_problems(x, &schema["items"], root, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn summary_json_follows_the_schema_printed_by_schema_summary() {
    let schema: serde_json::Value =
        serde_json::from_slice(&gigafactory(&["schema", "--summary"]).stdout).unwrap();
    assert_eq!(schema["title"], "Summary");
    let dir = tempfile::tempdir().unwrap();
    // One plan simulated, one not (its tenants removed).
    let text = std::fs::read_to_string(tests_dir().join("scenarios/two-tenants.toml")).unwrap();
    let cut = text.find("[[tenant]]").expect("the scenario has tenants");
    let plain = dir.path().join("plain.toml");
    std::fs::write(&plain, &text[..cut]).unwrap();
    let simulated = tests_dir().join("scenarios/two-tenants.toml");
    // And the first replicated over seeds (`seeds`), for two months.
    let replicated = ["--seeds", "2", "--until", "2027-03-01"];
    for (file, is_simulated, extra) in [
        (&simulated, true, &[][..]),
        (&plain, false, &[][..]),
        (&simulated, true, &replicated[..]),
    ] {
        let out = gigafactory(&[&["run", file.to_str().unwrap(), "--json"][..], extra].concat());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["simulation"].is_object(), is_simulated);
        assert_eq!(v["years"].is_array(), is_simulated);
        assert!(v["horizon_years"].is_u64());
        assert_eq!(v["seeds"].is_object(), !extra.is_empty());
        let mut problems = Vec::new();
        schema_problems(&v, &schema, &schema, "summary", &mut problems);
        assert!(problems.is_empty(), "{}: {problems:#?}", file.display());
    }
    // The checker finds what it is for.
    let mut problems = Vec::new();
    let bad = serde_json::json!({"horizon_years": "three", "extra": 1});
    schema_problems(&bad, &schema, &schema, "summary", &mut problems);
    assert!(
        problems
            .iter()
            .any(|p| p == "summary.extra: not in the schema")
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("summary.horizon_years: string"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("summary.\"capex_eur\": required"))
    );
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

#[path = "cli/simulated.rs"]
mod simulated;

#[path = "cli/plans.rs"]
mod plans;

#[path = "cli/serving.rs"]
mod serving;

#[path = "cli/sweep.rs"]
mod sweep;
