//! `gigafactory sweep`: the README's EU sweep end to end, its files as a user loads them,
//! and bad input.

use super::*;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sweep")
}

/// The README's sweep: the two EU plans over the same 200 draws of prices and
/// utilisation, at assumed utilisation.
#[test]
fn the_eu_plans_are_swept_over_the_same_draws() {
    let dir = tempfile::tempdir().unwrap();
    let spec = examples().join("eu-economics.toml");
    let out = gigafactory(&[
        "sweep",
        spec.to_str().unwrap(),
        "eu-investai",
        "eu-ai-factories",
        "--unsimulated",
        "--samples",
        "200",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("200 samples of 4 uncertain inputs (Latin hypercube)"),
        "{text}"
    );
    // Both plans spend the whole budget at the catalogue's price: dearer draws cannot be
    // built, and the table says so.
    assert!(text.contains("eu-investai: cannot be built at "), "{text}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    assert_eq!(v["points"], 400);
    assert_eq!(
        v["plans"],
        serde_json::json!(["eu-investai", "eu-ai-factories"])
    );
    let bad = v["infeasible"]["eu-investai"]["points"].as_u64().unwrap();
    assert!(bad > 0 && bad < 200, "{bad}");
    let cost = &v["figures"]["cost_per_h100_hour_eur"];
    let d = &cost["per_plan"]["eu-investai"];
    assert_eq!(d["points"].as_u64().unwrap(), 200 - bad);
    assert!(d["q05"].as_f64() < d["median"].as_f64() && d["median"].as_f64() < d["q95"].as_f64());
    // At the same utilisation the four sites' power and electricity are cheaper: at every
    // draw both can afford.
    assert_eq!(cost["better"], "eu-investai");
    assert_eq!(cost["basis"], "exact");
    // What decides the cost per hour: the utilisation, far ahead.
    let rho = |input: &str| {
        cost["influence"]["eu-investai"][input]["spearman"]
            .as_f64()
            .unwrap()
    };
    assert!(rho("economics.assumed_utilization") < -0.9);
    assert!(rho("economics.rent_change_per_year").abs() < 0.2);
    // One at a time: the utilisation from its 5% to its 95% quantile (51.75% to 83.25%)
    // with the others at their medians, where the median price is above what the budget
    // buys: the swing says so rather than inventing figures.
    let w = &cost["swings"]["eu-investai"]["economics.assumed_utilization"];
    assert!((w["low"].as_f64().unwrap() - 0.5175).abs() < 1e-9, "{w}");
    assert!(
        text.contains("One at a time (each input at its 5% and 95% quantiles"),
        "{text}"
    );
    assert!(
        text.contains("cannot be built at 7 of 8 swing points"),
        "{text}"
    );
    // sweep.parquet: a row per plan and sample, every input and figure a column.
    let parquet = std::fs::read(dir.path().join("sweep.parquet")).unwrap();
    assert_eq!(&parquet[..4], b"PAR1");
}

#[test]
fn a_scenario_with_its_own_uncertain_inputs_is_swept_alone() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(tests_dir().join("scenarios/two-tenants.toml")).unwrap();
    let cut = text.find("[[tenant]]").unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        format!(
            "{}[[uncertain]]\npath = \"economics.assumed_utilization\"\n\
             distribution = \"uniform\"\nlow = 0.4\nhigh = 0.9\n",
            &text[..cut]
        ),
    )
    .unwrap();
    let p = plan.to_str().unwrap();
    let out = gigafactory(&["sweep", p, "--samples", "64", "--design", "sobol", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Saltelli's scheme: N × (k + 2) points.
    assert_eq!(v["points"], 64 * 3);
    // The utilisation is the input itself: its total index is 1, within the estimate's
    // own 95% interval.
    let s = &v["figures"]["utilization"]["influence"][p]["economics.assumed_utilization"];
    let (t, hw) = (
        s["total"].as_f64().unwrap(),
        s["total_95"].as_f64().unwrap(),
    );
    assert!((t - 1.0).abs() <= hw && hw < 0.5, "{s}");
    // Bad usage: no samples; a scenario with nothing uncertain; an uncertainty file alone.
    let zero = gigafactory(&["sweep", p, "--samples", "0"]);
    assert_eq!(zero.status.code(), Some(2));
    let plain = gigafactory(&["sweep", "scenarios/two-tenants.toml"]);
    assert_eq!(plain.status.code(), Some(2));
    assert!(
        stderr(&plain).contains("has no [[uncertain]] tables"),
        "{}",
        stderr(&plain)
    );
    let spec = examples().join("eu-economics.toml");
    let alone = gigafactory(&["sweep", spec.to_str().unwrap()]);
    assert_eq!(alone.status.code(), Some(2));
    assert!(stderr(&alone).contains("holds uncertain inputs and no plan"));
}

#[test]
fn an_uncertainty_file_names_the_line_and_the_plan_it_does_not_fit() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("u.toml");
    std::fs::write(
        &spec,
        "[[uncertain]]\npath = \"site[nowhere].pue\"\ndistribution = \"uniform\"\n\
         low = 1.1\nhigh = 1.2\n\n[[uncertain]]\npath = \"economics.rent_change_per_year\"\n\
         distribution = \"normal\"\nmean = -0.2\nsd = -0.1\n",
    )
    .unwrap();
    let out = gigafactory(&["sweep", spec.to_str().unwrap(), "eu-investai"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("u.toml:2:8: uncertain[0].path: for eu-investai: site[nowhere].pue: no site named `nowhere`"),
        "{err}"
    );
    assert!(
        err.contains(
            "u.toml:11:6: uncertain[1].sd: for eu-investai: expected a standard deviation >= 0"
        ),
        "{err}"
    );
}

/// A sweep killed after some of its points and started again with the same command
/// continues: it evaluates only the rest, and its files equal an uninterrupted run's, byte
/// for byte (no point lost, none twice). Another sweep into the same folder is refused.
#[test]
fn a_killed_sweep_resumes_where_it_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(tests_dir().join("scenarios/two-tenants.toml")).unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        text + "[[uncertain]]\npath = \"tenant[*].load\"\ndistribution = \"uniform\"\n\
                low = 0.5\nhigh = 1.5\napply = \"scale\"\n",
    )
    .unwrap();
    let (whole, resumed) = (dir.path().join("whole"), dir.path().join("resumed"));
    let args = |out: &Path, samples: &str| -> Vec<String> {
        [
            "sweep",
            plan.to_str().unwrap(),
            "--samples",
            samples,
            "--jobs",
            "1",
            "--out",
            out.to_str().unwrap(),
        ]
        .map(String::from)
        .to_vec()
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        gigafactory(&a)
    };
    let out = run(args(&whole, "40"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Kill a run once it has kept five points.
    let kill_after = |n: usize| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gigafactory"))
            .args(args(&resumed, "40"))
            .current_dir(tests_dir())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let journal = resumed.join("sweep.partial/points.jsonl");
        let started = std::time::Instant::now();
        loop {
            let lines = std::fs::read_to_string(&journal).map_or(0, |t| t.lines().count());
            if lines > n {
                break;
            }
            assert!(
                started.elapsed().as_secs() < 60,
                "no progress: {lines} lines"
            );
            assert!(
                child.try_wait().unwrap().is_none(),
                "the sweep ended before the kill"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        child.kill().unwrap();
        child.wait().unwrap();
    };
    kill_after(5);
    // Another sweep into that folder is refused, and leaves its points alone.
    let other = run(args(&resumed, "41"));
    assert_eq!(other.status.code(), Some(2));
    assert!(
        stderr(&other).contains("holds the partial results of another sweep"),
        "{}",
        stderr(&other)
    );
    // The same command continues: only the rest evaluated.
    let again = run(args(&resumed, "40"));
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let said = stderr(&again);
    let kept: usize = said
        .strip_prefix("Resuming: ")
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    assert!((5..40).contains(&kept), "{said}");
    assert!(!resumed.join("sweep.partial").exists());
    for f in ["sweep.parquet", "summary.json"] {
        assert!(
            std::fs::read(whole.join(f)).unwrap() == std::fs::read(resumed.join(f)).unwrap(),
            "{f} differs from the uninterrupted run's"
        );
    }
}
