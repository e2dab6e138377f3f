//! The default build needs nothing but a Rust toolchain: no crate of the default feature
//! set, dev-dependencies included (`cargo test` must build on a fresh machine too), builds
//! C or C++ through cmake or bindgen. A change that brings the system-package requirement
//! back fails here. The same query with `--features highs` must find HiGHS, so that the
//! check is known to see what it looks for.

use std::path::Path;
use std::process::Command;

/// Crates whose build needs system packages (cmake, libclang).
const NEEDS_SYSTEM_PACKAGES: [&str; 3] = ["highs-sys", "cmake", "bindgen"];

/// The package names `cargo tree` lists for the workspace with `features`.
fn tree(features: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root)
        .args([
            "tree",
            "--workspace",
            "--locked",
            "--edges",
            "normal,build,dev",
            "--prefix",
            "none",
            "--format",
            "{p}",
        ])
        .args(features)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

#[test]
fn the_default_features_pull_in_no_crate_that_needs_system_packages() {
    let names = tree(&[]);
    assert!(names.iter().any(|n| n == "good_lp"), "the tree was read");
    for bad in NEEDS_SYSTEM_PACKAGES {
        assert!(
            !names.iter().any(|n| n == bad),
            "the default build depends on {bad}: a fresh machine would need system packages"
        );
    }
    let highs = tree(&["--features", "gigafactory-optimize/highs"]);
    assert!(
        highs.iter().any(|n| n == "highs-sys"),
        "with --features highs the tree has HiGHS"
    );
}
