//! What writing the outputs costs (issue 6: at most 20% on the simulation benchmark).
//!
//! `cargo bench -p gigafactory-cli --bench outputs` runs the binary on the simulation
//! benchmark's scenario (a year of 100,000 GPUs, about 6 million jobs, all simulated)
//! without outputs, with `--out` (Parquet) and with `--out --format csv`, alternating,
//! `ROUNDS` times each (default 3; set `OUTPUT_BENCH_ROUNDS`), and prints the median wall
//! time of each and its ratio to the run without outputs.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; any other argument is a filter this harness ignores.
    let rounds: usize = std::env::var("OUTPUT_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../gigafactory/benches/scenarios/year-100k.toml");
    let out = std::env::temp_dir().join(format!("gigafactory-output-bench-{}", std::process::id()));
    let variants: [(&str, Vec<String>); 3] = [
        ("no outputs", vec![]),
        (
            "--out (Parquet)",
            vec!["--out".into(), out.display().to_string()],
        ),
        (
            "--out --format csv",
            vec![
                "--out".into(),
                out.display().to_string(),
                "--format".into(),
                "csv".into(),
            ],
        ),
    ];
    let mut times = vec![Vec::new(); variants.len()];
    for _ in 0..rounds {
        for (k, (_, extra)) in variants.iter().enumerate() {
            let _ = std::fs::remove_dir_all(&out);
            let t = Instant::now();
            let status = Command::new(env!("CARGO_BIN_EXE_gigafactory"))
                .arg("run")
                .arg(&scenario)
                .args(["--sample", "full", "-q"])
                .args(extra)
                .status()
                .expect("the binary runs");
            assert!(status.success());
            times[k].push(t.elapsed().as_secs_f64());
        }
    }
    let sizes = |dir: &Path| -> u64 {
        std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .filter_map(|e| e.metadata().ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    };
    let written = sizes(&out);
    let _ = std::fs::remove_dir_all(&out);
    let base = median(times[0].clone());
    for ((name, _), t) in variants.iter().zip(&times) {
        let m = median(t.clone());
        println!(
            "{name:>20}: median {m:.2} s of {rounds} ({:+.1}% against no outputs)",
            (m / base - 1.0) * 100.0
        );
    }
    println!("(the CSV folder held {:.0} MB)", written as f64 / 1e6);
}
