//! What `gigafactory run` does on the built-in default before printing: read the scenario,
//! validate it, resolve the facility and assess it. Target (issue 2): well under 1 s.
//!
//! Run with `cargo bench -p gigafactory --bench facility`.

use gigafactory::catalog::Catalog;
use gigafactory::{model, scenario};

fn main() {
    divan::main();
}

/// Parsing the embedded catalogue data files (done once per process).
#[divan::bench]
fn parse_catalogue() -> usize {
    Catalog::from_embedded().accelerators.len()
}

/// Load, validate and resolve the default scenario.
#[divan::bench]
fn prepare_default() -> usize {
    let text = scenario::builtin("eu-investai").unwrap().text;
    let (_, f) = model::prepare(divan::black_box(text), Catalog::builtin()).unwrap();
    f.builds.len()
}

/// The whole of `run`'s model work on the default: prepare and assess.
#[divan::bench]
fn prepare_and_assess_default() -> f64 {
    let text = scenario::builtin("eu-investai").unwrap().text;
    let (_, f) = model::prepare(divan::black_box(text), Catalog::builtin()).unwrap();
    model::assess(&f).capex_eur
}
