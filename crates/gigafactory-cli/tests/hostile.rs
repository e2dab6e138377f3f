//! The catalogue of hostile and awkward inputs: each case is what a user (or a script)
//! might hand the tool, with the exact exit code and message it must get. A newcomer
//! reads this file to learn what the tool promises when the input is wrong. Cases are
//! numbered after the issue that found them (issue 12, "Answers that add up").

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn gigafactory_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gigafactory"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A scenario small enough to simulate in well under a second.
fn small_scenario(dir: &Path) -> PathBuf {
    let p = dir.join("small.toml");
    std::fs::copy(tests_dir().join("scenarios/two-tenants.toml"), &p).unwrap();
    p
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

// ── 1. Outputs never replace what stands at the target name ─────────────────────────────

/// Standard output whose reader has gone (`gigafactory run --json | head`): the run ends
/// quietly with exit 0 instead of panicking with a backtrace (found by the session that
/// closed issue 12).
#[test]
fn stdout_to_a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let plan = small_scenario(dir.path());
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_gigafactory"))
        .args(["run", plan.to_str().unwrap(), "--json"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(writer)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
}

/// Standard output that refuses writes (`> /dev/full`): exit 1 and the reason.
#[test]
fn stdout_to_a_full_device_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let plan = small_scenario(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_gigafactory"))
        .args(["run", plan.to_str().unwrap()])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "error: cannot write to standard output: No space left on device (os error 28)\n"
    );
}

/// A symlink to a device that refuses writes (`/dev/full`): written through, so the write
/// error surfaces (exit 1), and the link stays a link.
#[test]
fn d1_a_symlink_to_a_full_device_is_written_through_and_the_error_reported() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path());
    let link = dir.path().join("jobs.csv");
    std::os::unix::fs::symlink("/dev/full", &link).unwrap();
    let out = gigafactory_in(
        dir.path(),
        &[
            "workload",
            "generate",
            "--scenario",
            scenario.to_str().unwrap(),
            "--out",
            "jobs.csv",
        ],
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced"
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("jobs.csv") && stderr(&out).contains("No space left"),
        "{}",
        stderr(&out)
    );
}

/// A FIFO is written through: a reader at the other end sees every row, and the FIFO is
/// still a FIFO afterwards.
#[test]
fn d1_jobs_out_to_a_fifo_streams_to_its_reader() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path());
    let fifo = dir.path().join("jobs.fifo");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = gigafactory_in(
        dir.path(),
        &[
            "run",
            scenario.to_str().unwrap(),
            "--quiet",
            "--until",
            "2027-01-15",
            "--jobs-out",
            fifo.to_str().unwrap(),
        ],
    );
    // Checked before waiting on the reader: were the FIFO replaced, its reader would
    // wait for a writer for ever.
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo(),
        "the FIFO was replaced"
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = reader.join().unwrap();
    let rows = text.lines().count();
    assert!(rows > 10, "the reader saw {rows} lines:\n{text}");
    assert!(
        text.lines().next().unwrap().contains("tenant"),
        "a header first"
    );
}

/// A symlink to a regular file: the file it names is written (atomically), the link kept.
#[test]
fn d1_a_symlink_to_a_file_is_followed_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path());
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = gigafactory_in(
        dir.path(),
        &[
            "workload",
            "generate",
            "--scenario",
            scenario.to_str().unwrap(),
            "--out",
            "link.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        text.lines().count() > 10,
        "the file the link names was written: {text:.200}"
    );
}

/// `init --force` onto a FIFO writes the scenario through to its reader.
#[test]
fn d1_init_onto_a_fifo_writes_through() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("s.toml");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = gigafactory_in(
        dir.path(),
        &[
            "init",
            "frontier-lab",
            "--out",
            fifo.to_str().unwrap(),
            "--force",
        ],
    );
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo(),
        "the FIFO was replaced"
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(reader.join().unwrap().contains("[[site]]"));
}

// ── Issue 13: a solver that is not built in ─────────────────────────────────────────────

/// `--solver highs` in a build without HiGHS: exit 2, and the message says how to get it.
#[test]
#[cfg(not(feature = "highs"))]
fn solver_highs_in_a_build_without_it_says_how_to_get_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = tests_dir().join("../../..");
    let q = root.join("examples/optimize-eu.toml");
    let out = gigafactory_in(
        dir.path(),
        &["optimize", q.to_str().unwrap(), "--solver", "highs"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("built without HiGHS") && stderr(&out).contains("--features highs"),
        "{}",
        stderr(&out)
    );
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

// ── 8. Sampling: the same figures in `run` and `compare`, never a sample that cannot fit ──

/// The two-tenant scenario on `gpus` H100s, in `dir`/`name`.
fn two_tenants_on(dir: &Path, name: &str, gpus: u32) -> PathBuf {
    let text = std::fs::read_to_string(tests_dir().join("scenarios/two-tenants.toml"))
        .unwrap()
        .replace("count = 64", &format!("count = {gpus}"))
        .replace("grid_mw = 2", "grid_mw = 50");
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn json_of(o: &Output) -> serde_json::Value {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A plan sampled in time (a job budget small enough to need windows) has the same figures
/// in `compare`, beside a plan of another size, as in `run`.
#[test]
fn d8_run_and_compare_give_one_plan_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    two_tenants_on(dir.path(), "a.toml", 1024);
    two_tenants_on(dir.path(), "b.toml", 4096);
    let run = json_of(&gigafactory_in(
        dir.path(),
        &["run", "a.toml", "--job-budget", "20000", "--json"],
    ));
    let sampling = run["simulation"]["sampling"]["note"]
        .as_str()
        .unwrap_or_default();
    assert!(
        sampling.contains("time sampled"),
        "windows needed: {sampling}"
    );
    let cmp = json_of(&gigafactory_in(
        dir.path(),
        &[
            "compare",
            "a.toml",
            "b.toml",
            "--job-budget",
            "20000",
            "--json",
        ],
    ));
    let a = &cmp["plans"][0];
    assert_eq!(a["utilization"], run["simulation"]["utilization"]);
    assert_eq!(a["energy_mwh"], run["simulation"]["energy_mwh"]);
    assert_eq!(a["sampling"].as_str().unwrap(), sampling);
}

/// `--until` before the first window of the year still measures: the windows are laid in
/// the shortened horizon.
#[test]
fn d8_until_measures_inside_the_shortened_horizon() {
    let dir = tempfile::tempdir().unwrap();
    two_tenants_on(dir.path(), "a.toml", 1024);
    let run = json_of(&gigafactory_in(
        dir.path(),
        &[
            "run",
            "a.toml",
            "--job-budget",
            "20000",
            "--until",
            "2027-01-05",
            "--json",
        ],
    ));
    let sim = &run["simulation"];
    assert!(sim["jobs_submitted"].as_u64().unwrap() > 0, "{sim}");
    assert!(sim["utilization"].as_f64().unwrap() > 0.0, "{sim}");
}

/// `--sample N` that leaves a build phase unable to hold the largest job is refused, with
/// the largest N that would do.
#[test]
fn d8_a_sample_too_coarse_for_the_jobs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    two_tenants_on(dir.path(), "a.toml", 64);
    let out = gigafactory_in(dir.path(), &["run", "a.toml", "--sample", "1000000"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("error: --sample 1000000: "),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("at most 1 in "), "{}", stderr(&out));
}

// ── 9. `validate` checks the trace a scenario names ──────────────────────────────────────

/// A one-site scenario replaying `trace` (relative to the scenario's folder).
fn trace_scenario(dir: &Path, trace: &str) -> PathBuf {
    let text = format!(
        "name = \"replay\"\nstart = \"2020-04-01\"\nyears = 1\n[[site]]\nname = \"s\"\n\
         country = \"DE\"\ngrid_mw = 5\n[[build]]\nsite = \"s\"\naccelerator = \"H100\"\n\
         count = 256\nonline = \"2020-04-01\"\n[workload]\ntrace = \"{trace}\"\n"
    );
    let p = dir.join("replay.toml");
    std::fs::write(&p, text).unwrap();
    p
}

/// A missing trace and a malformed one fail validation (exit 2) with the scenario's field
/// and the trace's own file, line and field; a good one is read and said to be.
#[test]
fn d9_validate_reads_the_trace() {
    let dir = tempfile::tempdir().unwrap();
    trace_scenario(dir.path(), "missing.csv");
    let out = gigafactory_in(dir.path(), &["validate", "replay.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("replay.toml: workload.trace: ")
            && stderr(&out).contains("missing.csv"),
        "{}",
        stderr(&out)
    );
    assert!(out.stdout.is_empty(), "not called valid");

    let fixtures = tests_dir().join("../../gigafactory/tests/fixtures");
    std::fs::copy(
        fixtures.join("helios_bad_state.csv"),
        dir.path().join("bad.csv"),
    )
    .unwrap();
    trace_scenario(dir.path(), "bad.csv");
    let out = gigafactory_in(dir.path(), &["validate", "replay.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("bad.csv:4: column `state`"),
        "{}",
        stderr(&out)
    );

    std::fs::copy(
        fixtures.join("helios_cluster_log.csv"),
        dir.path().join("good.csv"),
    )
    .unwrap();
    trace_scenario(dir.path(), "good.csv");
    let out = gigafactory_in(dir.path(), &["validate", "replay.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "replay.toml: valid (trace good.csv, helios: all 29 jobs read, 1 passed over without GPUs)\n"
    );
}

// ── 10. `optimize` writes a plan that runs, and never overwrites without --force ─────────

/// An [optimize] question replaying a trace by a relative path, in `q/`.
fn trace_question(dir: &Path) -> PathBuf {
    let q = dir.join("q");
    std::fs::create_dir(&q).unwrap();
    std::fs::copy(
        tests_dir().join("../../gigafactory/tests/fixtures/helios_cluster_log.csv"),
        q.join("trace.csv"),
    )
    .unwrap();
    let text = r#"
name = "where"
start = "2020-04-01"
years = 1
[[site]]
name = "kajaani"
country = "FI"
grid_mw = 10
[optimize]
accelerators = ["H100"]
required_h100_equivalents = 256
hall_gpus = 256
[workload]
trace = "trace.csv"
"#;
    let path = q.join("question.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// The plan written to another folder names the trace so that it is found from there,
/// and validates and runs.
#[test]
fn d10_a_plan_written_elsewhere_finds_its_trace() {
    let dir = tempfile::tempdir().unwrap();
    let q = trace_question(dir.path());
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    let out = gigafactory_in(
        dir.path(),
        &[
            "optimize",
            q.to_str().unwrap(),
            "--out",
            "plans/plan.toml",
            "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let run = gigafactory_in(dir.path(), &["run", "plans/plan.toml", "--quiet"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
}

/// `--out` onto an existing file is refused without --force (exit 2, the file kept), and
/// onto the question itself always.
#[test]
fn d10_optimize_never_overwrites_without_force_and_never_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let q = trace_question(dir.path());
    let question = std::fs::read_to_string(&q).unwrap();
    let existing = dir.path().join("plan.toml");
    std::fs::write(&existing, "mine").unwrap();
    let out = gigafactory_in(
        dir.path(),
        &[
            "optimize",
            q.to_str().unwrap(),
            "--out",
            "plan.toml",
            "--quiet",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "mine");
    let forced = gigafactory_in(
        dir.path(),
        &[
            "optimize",
            q.to_str().unwrap(),
            "--out",
            "plan.toml",
            "--quiet",
            "--force",
        ],
    );
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(
        std::fs::read_to_string(&existing)
            .unwrap()
            .contains("[[build]]")
    );
    let onto_input = gigafactory_in(
        dir.path(),
        &[
            "optimize",
            q.to_str().unwrap(),
            "--out",
            q.to_str().unwrap(),
            "--force",
            "--quiet",
        ],
    );
    assert_eq!(onto_input.status.code(), Some(2), "{}", stderr(&onto_input));
    assert!(
        stderr(&onto_input).contains("the question itself"),
        "{}",
        stderr(&onto_input)
    );
    assert_eq!(std::fs::read_to_string(&q).unwrap(), question);
}

// ── 13. Nothing served: per-hour figures are undefined, not "€0 bn" ──────────────────────

/// Tenants with no load: no GPU-hour is delivered, so the cost per delivered hour and the
/// break-even rents are undefined. The terminal says so, the report too, and the JSON has
/// null.
#[test]
fn d13_nothing_served_gives_undefined_per_hour_figures() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(tests_dir().join("scenarios/two-tenants.toml")).unwrap();
    let zero: String = text
        .lines()
        .map(|l| if l.starts_with("load") { "load = 0" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    let s = dir.path().join("zero.toml");
    std::fs::write(&s, zero).unwrap();
    let out = gigafactory_in(dir.path(), &["run", "zero.toml", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    let line = |label: &str| {
        text.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line:\n{text}"))
            .to_string()
    };
    for label in [
        "Cost per delivered GPU-hour",
        "Break-even rent per GPU-hour",
    ] {
        let l = line(label);
        assert!(l.contains("undefined: nothing served"), "{l}");
        assert!(!l.contains("€0 bn"), "{l}");
    }
    let report = std::fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(!report.contains("EUR inf"), "the report prints EUR inf");
    assert!(report.contains("undefined: nothing served"));
    let json = std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap();
    assert!(
        json.contains("\"cost_per_gpu_hour_eur\": null"),
        "{json:.400}"
    );
}

// ── 12. A second run into the same --out folder leaves no file of the first ─────────────

/// A simulated run writes jobs.parquet and timeseries.parquet; a CSV run into the same
/// folder replaces them with jobs.csv and timeseries.csv, and a run with no simulation
/// leaves only its summary and report. Files the tool does not write are never touched.
#[test]
fn d12_a_second_run_removes_the_first_runs_files_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = small_scenario(dir.path());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    std::fs::write(out.join("jobs.parquet.bak"), "mine").unwrap();
    let names = || {
        let mut v: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    let run = |extra: &[&str]| {
        let mut args = vec!["run", scenario.to_str().unwrap(), "--out", "out", "--quiet"];
        args.extend_from_slice(extra);
        let o = gigafactory_in(dir.path(), &args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    run(&["--until", "2027-01-15"]);
    assert!(
        names().contains(&"jobs.parquet".to_string()),
        "{:?}",
        names()
    );
    run(&["--until", "2027-01-15", "--format", "csv"]);
    assert_eq!(
        names(),
        [
            "jobs.csv",
            "jobs.parquet.bak",
            "notes.txt",
            "report.html",
            "summary.json",
            "tenants.csv",
            "timeseries.csv",
            "years.csv"
        ]
    );
    // A plan with no workload: summary and report only.
    let plain = dir.path().join("plain.toml");
    let text = std::fs::read_to_string(&scenario).unwrap();
    let cut = text.find("[[tenant]]").unwrap();
    std::fs::write(&plain, &text[..cut]).unwrap();
    let o = gigafactory_in(
        dir.path(),
        &["run", "plain.toml", "--out", "out", "--quiet"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        names(),
        [
            "jobs.parquet.bak",
            "notes.txt",
            "report.html",
            "summary.json"
        ]
    );
}

#[path = "hostile/options.rs"]
mod options;

/// Issue 15: a demand file that is a FIFO (or a device) is refused at once, on the plan's
/// `demand_file`, with exit 2: opening it would wait for a writer that never comes.
#[test]
fn a_demand_file_that_is_a_fifo_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("demand.toml"));
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        "name = \"p\"\nstart = \"2027-01-01\"\nyears = 1\ndemand_file = \"demand.toml\"\n\
         [[site]]\nname = \"s\"\ncountry = \"FI\"\ngrid_mw = 10\n\
         [[build]]\nsite = \"s\"\naccelerator = \"H100\"\ncount = 64\nonline = \"2027-01-01\"\n",
    )
    .unwrap();
    for device in ["demand.toml", "/dev/zero"] {
        let text = std::fs::read_to_string(&plan)
            .unwrap()
            .replace("\"demand.toml\"", &format!("\"{device}\""));
        std::fs::write(dir.path().join("p2.toml"), text).unwrap();
        let started = std::time::Instant::now();
        let o = gigafactory_in(dir.path(), &["validate", "p2.toml"]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("p2.toml:4:15: demand_file: cannot read")
                && stderr(&o).contains("not a regular file"),
            "{}",
            stderr(&o)
        );
        assert!(started.elapsed().as_secs() < 10);
    }
}
