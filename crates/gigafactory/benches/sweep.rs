//! Sweeps (issue 17). Targets: a 1,000-sample sweep at assumed utilisation (no job
//! simulation) in under 5 s; a simulated sweep of 8 points at least 1.7 times faster on
//! 2 workers than on 1 (on an otherwise idle 2-core machine).
//!
//! Run with `cargo bench -p gigafactory --bench sweep`; compare `simulated_8_points`' two
//! arguments for the scaling.

use std::path::PathBuf;

use gigafactory::catalog::Catalog;
use gigafactory::plan::sensitivity::Design;
use gigafactory::plan::sweep::{SweepSpec, sweep};
use gigafactory::run::{Plan, Sample};
use gigafactory::scenario;

fn main() {
    divan::main();
}

/// The two EU plans without their workloads, and the README's uncertainty file.
fn eu() -> (Vec<Plan>, SweepSpec) {
    let catalog = Catalog::builtin();
    let plans = ["eu-investai", "eu-ai-factories"]
        .map(|id| {
            let b = scenario::builtin(id).unwrap();
            let mut p = Plan::prepare(id, b.text, PathBuf::from("."), catalog).unwrap();
            p.drop_workload();
            p
        })
        .to_vec();
    let text = include_str!("../../../examples/sweep/eu-economics.toml");
    let (file, _) = scenario::load_uncertainty(text).unwrap();
    let spec = SweepSpec {
        inputs: file.uncertain,
        design: Design::Latin,
        samples: 1000,
        seeds: vec![1],
        sample: Sample::Auto,
        design_seed: 1,
        threads: 2,
    };
    (plans, spec)
}

/// 1,000 samples of the EU plans at assumed utilisation: 2,000 points.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn unsimulated_1000_samples(bencher: divan::Bencher) {
    let (plans, spec) = eu();
    bencher.bench(|| {
        sweep(&plans, &spec, Catalog::builtin(), &|_, _| {}, None)
            .unwrap()
            .rows
            .len()
    });
}

/// 8 simulated points (512 H100, two tenants, a year each) on 1 and on 2 workers.
#[divan::bench(args = [1, 2], sample_count = 3, sample_size = 1)]
fn simulated_8_points(bencher: divan::Bencher, workers: usize) {
    let text = "name = \"bench\"\nstart = \"2027-01-01\"\nyears = 1\n\
        [[site]]\nname = \"s\"\ncountry = \"FI\"\ngrid_mw = 100\n\
        [[build]]\nsite = \"s\"\naccelerator = \"H100\"\ncount = 512\nonline = \"2027-01-01\"\n\
        [demand]\nreference_h100_equivalents = 512\n\
        [[tenant]]\nname = \"a\"\nclass = \"academia\"\nshare = 0.6\npreset = \"helios\"\n\
        load = 0.5\npatience_h = 48\n\
        [[tenant]]\nname = \"b\"\nclass = \"industry\"\nshare = 0.4\npreset = \"philly\"\n\
        load = 0.3\npatience_h = 48\n\
        [[uncertain]]\npath = \"tenant[*].load\"\ndistribution = \"uniform\"\nlow = 0.8\n\
        high = 1.2\napply = \"scale\"\n";
    let p = Plan::prepare("bench", text, PathBuf::from("."), Catalog::builtin()).unwrap();
    let spec = SweepSpec {
        inputs: p.scenario.uncertain.clone(),
        design: Design::Latin,
        samples: 8,
        seeds: vec![1],
        sample: Sample::Full,
        design_seed: 1,
        threads: workers,
    };
    bencher.bench(|| {
        sweep(
            std::slice::from_ref(&p),
            &spec,
            Catalog::builtin(),
            &|_, _| {},
            None,
        )
        .unwrap()
        .rows
        .len()
    });
}
