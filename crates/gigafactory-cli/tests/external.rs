//! The outputs as their readers see them: the Parquet files loaded by pyarrow, pandas,
//! polars and DuckDB, and the report opened in headless Chromium. These need Python
//! packages and Debian's Chromium (`.ci/run` installs them); where one is missing the
//! test says so and passes, except under `CI=true`, where it fails.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(name)
}

/// Whether `what` is available; if not, a notice on the terminal (not captured by the
/// test harness), or a failure under CI.
fn available(what: &str, install: &str, found: bool) -> bool {
    if found {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what} is missing and CI=true: .ci/run installs it ({install})"
    );
    let _ = writeln!(
        std::io::stderr(),
        "\nNOTICE: skipped a test: {what} is missing (install: {install}; with CI=true \
         this fails)"
    );
    false
}

fn python_has(modules: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run_ok(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("the command starts");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Two sites, two tenants (one impatient, so some jobs are withdrawn), one year, all of
/// it simulated.
fn small_run(dir: &Path) -> PathBuf {
    let plan = dir.join("two-sites.toml");
    std::fs::write(
        &plan,
        r#"name = "two sites"
start = "2027-01-01"
years = 1
[[site]]
name = "north"
country = "FI"
grid_mw = 10
[[site]]
name = "south, coast"
country = "IT"
grid_mw = 10
[[build]]
site = "north"
accelerator = "H100"
count = 64
online = "2027-01-01"
[[build]]
site = "south, coast"
accelerator = "B200"
count = 32
online = "2027-06-01"
[scheduler]
policy = "easy-backfill"
[demand]
reference_h100_equivalents = 137
[[tenant]]
name = "research"
class = "academia"
share = 0.5
preset = "philly"
load = 0.5
[[tenant]]
name = "start-ups"
class = "startup_sme"
share = 0.5
preset = "helios"
load = 0.6
patience_h = 2
[prices]
academia = 0
startup_sme = 1.5
"#,
    )
    .unwrap();
    let out = dir.join("out");
    run_ok(
        Command::new(env!("CARGO_BIN_EXE_gigafactory"))
            .args([
                "run",
                plan.to_str().unwrap(),
                "--sample",
                "full",
                "-q",
                "--out",
            ])
            .arg(&out),
    );
    out
}

#[test]
fn parquet_files_load_in_pandas_polars_and_duckdb() {
    let found = python_has("pandas, pyarrow, polars, duckdb");
    if !available(
        "Python with pandas, pyarrow, polars and duckdb",
        "pip install pandas pyarrow polars duckdb",
        found,
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path());
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("\"jobs_withdrawn\""));
    let ok = run_ok(
        Command::new("python3")
            .arg(script("check_tables.py"))
            .arg(&out),
    );
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("ok: "));

    // The checker notices a table that disagrees with the summary.
    let mut v: serde_json::Value = serde_json::from_str(&summary).unwrap();
    let n = v["simulation"]["jobs_completed"].as_u64().unwrap();
    v["simulation"]["jobs_completed"] = (n + 1).into();
    std::fs::write(out.join("summary.json"), v.to_string()).unwrap();
    let bad = Command::new("python3")
        .arg(script("check_tables.py"))
        .arg(&out)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("completed"));
}

/// A sweep's Sobol indices equal SALib's on the same points (issue 17): capex from an
/// uncertain count and price, the rent's trend (which moves only the rent baseline), at
/// assumed utilisation; and the check fails on an index that is off.
#[test]
fn sobol_indices_agree_with_salib() {
    let found = python_has("SALib, pyarrow, numpy");
    if !available("SALib", "pip install salib pyarrow", found) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        r#"name = "sobol"
start = "2027-01-01"
years = 3
[[site]]
name = "h"
country = "FI"
grid_mw = 100
[[build]]
site = "h"
accelerator = "H100"
count = 1000
price_usd = 30000
online = "2027-01-01"
[[uncertain]]
path = "build[0].count"
distribution = "uniform"
low = 500
high = 1500
[[uncertain]]
path = "build[0].price_usd"
distribution = "triangular"
low = 20000
mode = 25000
high = 40000
[[uncertain]]
path = "economics.rent_change_per_year"
distribution = "normal"
mean = -0.2
sd = 0.05
"#,
    )
    .unwrap();
    let out = dir.path().join("out");
    run_ok(Command::new(env!("CARGO_BIN_EXE_gigafactory")).args([
        "sweep",
        plan.to_str().unwrap(),
        "--design",
        "sobol",
        "--samples",
        "256",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]));
    let check = |summary: &Path| {
        Command::new("python3")
            .arg(script("check_sobol.py"))
            .arg(out.join("sweep.parquet"))
            .arg(summary)
            .output()
            .unwrap()
    };
    let ok = check(&out.join("summary.json"));
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("agree with SALib's"));
    // An index moved in its last kept digits is caught.
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let first = &mut v["figures"]["capex_eur"]["influence"][plan.to_str().unwrap()]["build[0].count"]
        ["first"];
    *first = (first.as_f64().unwrap() + 1e-6).into();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, v.to_string()).unwrap();
    assert!(!check(&bad).status.success());
}

#[test]
fn the_report_renders_in_headless_chromium_without_console_errors() {
    let found = Path::new("/usr/bin/chromium").exists()
        && Path::new("/usr/bin/chromedriver").exists()
        && python_has("json");
    if !available(
        "Chromium and ChromeDriver",
        "apt-get install chromium chromium-driver",
        found,
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = small_run(dir.path());
    // The screenshot stays after the test, in the test output folder, for CI to keep.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    let _ = std::fs::remove_file(&shot);
    let ok = run_ok(
        Command::new("python3")
            .arg(script("check_report.py"))
            .arg(out.join("report.html"))
            .arg(&shot)
            // Nine, and "Who pays"'s cost and revenue by year.
            .arg("10"),
    );
    assert!(String::from_utf8_lossy(&ok.stdout).starts_with("ok: "));
    let png = std::fs::read(&shot).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
    let _ = writeln!(std::io::stderr(), "report screenshot: {}", shot.display());

    // The comparison's report: the same plan against itself with a third of the B200s.
    let plan = dir.path().join("two-sites.toml");
    let smaller = dir.path().join("smaller.toml");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&smaller, text.replace("count = 32", "count = 8")).unwrap();
    let cmp = dir.path().join("compare");
    run_ok(
        Command::new(env!("CARGO_BIN_EXE_gigafactory"))
            .args([
                "compare",
                plan.to_str().unwrap(),
                smaller.to_str().unwrap(),
                "-q",
            ])
            .arg("--out")
            .arg(&cmp),
    );
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("compare-screenshot.png");
    run_ok(
        Command::new("python3")
            .arg(script("check_report.py"))
            .arg(cmp.join("report.html"))
            .arg(&shot)
            .arg("6"),
    );

    // The checker fails on a console error, and on a chart with nothing drawn.
    let bad = dir.path().join("bad.html");
    std::fs::write(
        &bad,
        "<!doctype html><html><body><figure class=\"chart\"><svg \
         xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"></svg></figure>\
         <script>console.error(\"boom\")</script></body></html>",
    )
    .unwrap();
    let r = Command::new("python3")
        .arg(script("check_report.py"))
        .arg(&bad)
        .arg(dir.path().join("bad.png"))
        .arg("1")
        .output()
        .unwrap();
    assert!(!r.status.success());
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        err.contains("console error") && err.contains("boom"),
        "{err}"
    );
    assert!(err.contains("chart not drawn"), "{err}");
}
