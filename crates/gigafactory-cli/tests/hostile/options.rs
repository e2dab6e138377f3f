//! Defect 15 and later: options that contradict each other, odd trace headers, long fields, warnings.

use super::*;

/// Issue 12, defect 15: `--jobs-out` onto a file that `--out` writes too is refused (exit
/// 2) before anything is written; the same name with the other format is fine.
#[test]
fn d15_jobs_out_onto_a_file_out_writes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path());
    std::fs::create_dir(dir.path().join("out")).unwrap();
    let args = |format: &'static str| {
        vec![
            "run".to_string(),
            scenario.to_str().unwrap().to_string(),
            "--out".into(),
            "out".into(),
            "--jobs-out".into(),
            "out/jobs.csv".into(),
            "--format".into(),
            format.into(),
            "--until".into(),
            "2027-01-15".into(),
            "--quiet".into(),
        ]
    };
    let a = args("csv");
    let o = gigafactory_in(
        dir.path(),
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("writes a file of that name"),
        "{}",
        stderr(&o)
    );
    assert!(
        std::fs::read_dir(dir.path().join("out"))
            .unwrap()
            .next()
            .is_none()
    );
    let a = args("parquet");
    let o = gigafactory_in(
        dir.path(),
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        dir.path().join("out/jobs.csv").exists() && dir.path().join("out/jobs.parquet").exists()
    );
}

// ── Found by fuzzing (scripts/fuzz.sh) ──────────────────────────────────────────────────

/// A scenario whose last line ends in a bare carriage return: a TOML error at that
/// character, reported with its line and column (the caret once panicked on the `\r`).
#[test]
fn fuzz_a_bare_carriage_return_is_reported_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cr.toml"), "name = 0.4\r").unwrap();
    let out = gigafactory_in(dir.path(), &["validate", "cr.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("error: cr.toml:1:"),
        "{}",
        stderr(&out)
    );
}

// ── 15. Smaller ones: options never ignored silently, trace values in range ─────────────

/// Options that would do nothing are refused (exit 2) with the reason, not ignored.
#[test]
fn d15_options_that_would_do_nothing_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path());
    let s = scenario.to_str().unwrap();
    let plain = dir.path().join("plain.toml");
    std::fs::write(
        &plain,
        "name = \"p\"\nstart = \"2027-01-01\"\nyears = 1\n[[site]]\nname = \"s\"\n\
         country = \"FI\"\ngrid_mw = 5\n[[build]]\nsite = \"s\"\naccelerator = \"H100\"\n\
         count = 64\nonline = \"2027-01-01\"\n",
    )
    .unwrap();
    let cases: [(Vec<&str>, &str); 3] = [
        (
            vec!["run", s, "--json", "--quiet"],
            "error: --json and --quiet ask for opposite things: --json prints the summary, --quiet prints nothing\n",
        ),
        (
            vec!["run", s, "--format", "csv"],
            "error: --format csv: the tables are written only with --out DIR\n",
        ),
        (
            vec!["run", plain.to_str().unwrap(), "--until", "2027-06-01"],
            "error: --until 2027-06-01: the plan has no workload to simulate ([[tenant]] tables or a [workload] trace)\n",
        ),
    ];
    for (args, message) in cases {
        let out = gigafactory_in(dir.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), message, "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// A CSV trace whose header starts with a UTF-8 byte-order mark (as spreadsheet programs
/// write) is read; an openb `gpu_milli` above 1000 (one GPU) is refused with its line.
#[test]
fn d15_trace_headers_with_a_bom_and_values_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = tests_dir().join("../../gigafactory/tests/fixtures");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(std::fs::read(fixtures.join("native.csv")).unwrap());
    std::fs::write(dir.path().join("bom.csv"), bom).unwrap();
    let out = gigafactory_in(dir.path(), &["workload", "stats", "bom.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let openb = std::fs::read_to_string(fixtures.join("openb_pod_list_default.csv")).unwrap();
    let mut lines: Vec<String> = openb.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let k = header.iter().position(|h| *h == "gpu_milli").unwrap();
    let mut row: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    row[k] = "5000".into();
    lines[1] = row.join(",");
    std::fs::write(
        dir.path().join("openb_pod_list_x.csv"),
        lines.join("\n") + "\n",
    )
    .unwrap();
    let out = gigafactory_in(
        dir.path(),
        &[
            "workload",
            "stats",
            "openb_pod_list_x.csv",
            "--format",
            "openb",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("openb_pod_list_x.csv:2: column `gpu_milli`: expected thousandths of one GPU, 0 to 1000, found 5000"),
        "{}",
        stderr(&out)
    );
}

/// A malformed field 5,000 characters long is not echoed whole: the message stays short.
#[test]
fn d15_a_long_malformed_field_is_not_echoed_whole() {
    let dir = tempfile::tempdir().unwrap();
    let junk = "\u{1}x".repeat(2500);
    std::fs::write(
        dir.path().join("jobs.csv"),
        format!("id,tenant,submit_s,gpus,duration_s\n1,a,0,{junk},60\n"),
    )
    .unwrap();
    let out = gigafactory_in(dir.path(), &["workload", "stats", "jobs.csv"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("jobs.csv:2: "), "{}", stderr(&out));
    assert!(
        stderr(&out).len() < 400,
        "{} characters",
        stderr(&out).len()
    );
}

/// A replay says how many records it passed over (jobs without GPUs), as `workload stats`
/// does; `compare --years` says that capex is charged whole against the shorter horizon.
#[test]
fn d15_run_reports_records_passed_over_and_compare_years_says_how_capex_counts() {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = tests_dir().join("../../gigafactory/tests/fixtures");
    std::fs::copy(
        fixtures.join("helios_cluster_log.csv"),
        dir.path().join("good.csv"),
    )
    .unwrap();
    trace_scenario(dir.path(), "good.csv");
    let out = gigafactory_in(dir.path(), &["run", "replay.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Passed over: 1 trace record without GPUs."),
        "{text}"
    );
    let out = gigafactory_in(
        dir.path(),
        &[
            "compare",
            "eu-investai",
            "eu-ai-factories",
            "--years",
            "1",
            "--job-budget",
            "20000",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("--years 1: each plan's whole capex is charged against its first year"),
        "{text}"
    );
}

/// `compare` says what a plan's figures cannot show, as `run` does: a plan whose only phase
/// retires a year into a two-year horizon is warned of, in the table's notes and in
/// `compare.json` (found by issue 12's review).
#[test]
fn compare_prints_each_plans_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let a = small_scenario(dir.path());
    let text = std::fs::read_to_string(&a)
        .unwrap()
        .replace("years = 1", "years = 2")
        .replace(
            "online = \"2027-01-01\"",
            "online = \"2027-01-01\"\nlife_years = 1",
        );
    let b = dir.path().join("retiring.toml");
    std::fs::write(&b, text).unwrap();
    let args = ["compare", a.to_str().unwrap(), b.to_str().unwrap()];
    let out = gigafactory_in(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let warning = format!(
        "{}: warning: no accelerator is in service from 2028-01-01 to 2029-01-01",
        b.display()
    );
    assert!(text.contains(&warning), "{text}");
    let json = gigafactory_in(dir.path(), &[&args[..], &["--json"]].concat());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["plans"][0]["warnings"].as_array().unwrap().len(), 0);
    assert!(
        v["plans"][1]["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("no accelerator is in service from 2028-01-01 to 2029-01-01"),
        "{}",
        v["plans"][1]["warnings"]
    );
}
