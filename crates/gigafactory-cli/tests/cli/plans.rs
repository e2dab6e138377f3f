//! Optimised plans, the README's claims about the repository, and the snapshots of the small scenarios' summaries.

use super::*;

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
[demand]
reference_h100_equivalents = 3000
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
    // The speed figures are the benchmark baseline's, in its words.
    let flat = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let baseline =
        std::fs::read_to_string(root.join("crates/gigafactory/benches/baseline.toml")).unwrap();
    let quoted: Vec<&str> = baseline
        .lines()
        .filter_map(|l| l.strip_prefix("readme = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert_eq!(quoted.len(), 6, "the baseline's figures");
    for q in quoted {
        assert!(
            flat(&readme).contains(&flat(q)),
            "the README does not say \"{q}\" (benches/baseline.toml)"
        );
    }
    // The job table's row names every column of its one definition, in order.
    let row = readme
        .lines()
        .find(|l| l.starts_with("| `jobs.parquet` |"))
        .expect("the README describes jobs.parquet");
    let mut at = 0;
    for c in gigafactory::run::JOB_COLUMNS {
        let found = row[at..].find(&format!("`{}`", c.name));
        assert!(
            found.is_some(),
            "the README's jobs.parquet row lacks `{}` (or has it out of order)",
            c.name
        );
        at += found.unwrap();
    }
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
                ) && !p.ends_with("cli/plans.rs")
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
        ("compare-seeds", vec!["compare", a, b, "--seeds", "3"]),
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

/// The library's modules that Rust source `text` names (`gigafactory::sim`,
/// `gigafactory::{sim, model::x}`).
fn library_modules_named(text: &str) -> Vec<String> {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut rest = flat.as_str();
    let mut names = Vec::new();
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    while let Some(i) = rest.find("gigafactory::") {
        rest = &rest[i + "gigafactory::".len()..];
        match rest.strip_prefix('{') {
            // Each path in the group: its first name.
            Some(group) => {
                names.extend(group.split('}').next().unwrap_or("").split(',').map(|p| {
                    p.trim()
                        .split(|c| !is_name(c))
                        .next()
                        .unwrap_or("")
                        .to_string()
                }))
            }
            None => names.push(rest.split(|c| !is_name(c)).next().unwrap().to_string()),
        }
    }
    names
}

/// The command line is a shell over the library's run layer: it names neither the
/// simulation (`sim`) nor the facility model (`model`), so that no simulation, sampling or
/// comparison logic can live in it (the Python package and sweeps would copy it).
#[test]
fn the_cli_uses_the_run_layer_not_the_simulation_or_the_model() {
    assert_eq!(
        library_modules_named("use gigafactory::{catalog, sim::Sample};\nx: gigafactory::model::F"),
        ["catalog", "sim", "model"]
    );
    let mut found = Vec::new();
    let mut files = vec![tests_dir().join("../src")];
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for name in library_modules_named(&text) {
            if name == "sim" || name == "model" {
                found.push(format!("{}: gigafactory::{name}", p.display()));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// The README's residency comparison: the same plan and demand with and without the
/// health programme's EU-only rule. Each tenant's row is in compare.json; the tenants'
/// served hours and lost demand add up to each plan's; the restricted tenant waits longer with the rule,
/// and nothing of it runs outside Kajaani (its one EU site).
#[test]
fn compare_shows_what_a_residency_rule_does_to_each_tenant() {
    let root = tests_dir().join("../../..");
    let (with, without) = (
        root.join("examples/access/residency.toml"),
        root.join("examples/access/residency-anywhere.toml"),
    );
    let o = gigafactory(&[
        "compare",
        "--json",
        "--years",
        "1",
        with.to_str().unwrap(),
        without.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let tenants = v["tenants"].as_array().unwrap();
    let names: Vec<&str> = tenants
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["research", "industry", "health-data"]);
    for plan in 0..2 {
        let served: f64 = tenants
            .iter()
            .map(|t| t["served_gpu_hours"][plan].as_f64().unwrap())
            .sum();
        // All H100s: H100-equivalent hours are GPU-hours.
        let total = v["plans"][plan]["served_h100_hours"].as_f64().unwrap();
        assert!(
            (served - total).abs() <= 1e-6 * total,
            "{served} vs {total}"
        );
        let lost: f64 = tenants
            .iter()
            .map(|t| t["lost_demand_gpu_hours"][plan].as_f64().unwrap())
            .sum();
        let total = v["plans"][plan]["lost_demand_gpu_hours"].as_f64().unwrap();
        assert!((lost - total).abs() <= 1e-6 * total, "{lost} vs {total}");
    }
    let health = &tenants[2];
    let (p95_with, p95_without) = (
        health["wait_p95_h"][0].as_f64().unwrap(),
        health["wait_p95_h"][1].as_f64().unwrap(),
    );
    assert!(p95_with > 2.0 * p95_without, "{p95_with} vs {p95_without}");

    // Where its jobs ran, from the job table of a run of the restricted plan.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("run");
    let o = gigafactory(&[
        "run",
        with.to_str().unwrap(),
        "--until",
        "2027-03-01",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let jobs = std::fs::read_to_string(out.join("jobs.csv")).unwrap();
    let header: Vec<&str> = jobs.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (tenant, site) = (col("tenant"), col("site"));
    let mut sites = std::collections::BTreeMap::new();
    for line in jobs.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        *sites.entry((f[tenant], f[site])).or_insert(0u64) += 1;
    }
    assert!(
        sites
            .get(&("health-data", "kajaani"))
            .is_some_and(|n| *n > 0)
    );
    assert!(!sites.contains_key(&("health-data", "norway")), "{sites:?}");
    assert!(sites.get(&("research", "norway")).is_some_and(|n| *n > 0));
}
