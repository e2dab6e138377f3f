//! Workload throughput: generating jobs, and reading native CSV and SWF, in jobs per
//! second on one core. Target (issue 3): at least 1 million jobs/s each.
//!
//! Run with `cargo bench -p gigafactory --bench workload`.

use std::io::Write;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gigafactory::workload::generate::{Generator, TenantSpec, preset};
use gigafactory::workload::native::NativeWriter;
use gigafactory::workload::{Format, Job, ReadOptions, TraceReader};

const N: u64 = 200_000;

fn tenants() -> Vec<TenantSpec> {
    ["seren", "helios", "philly"]
        .iter()
        .map(|p| TenantSpec {
            name: (*p).into(),
            mix: gigafactory::workload::generate::Mix::Preset(Box::new(preset(p).unwrap())),
            offered_h100: 0.3 * 100_000.0,
            growth_per_year: 0.5,
            daily_amplitude: 0.3,
            weekend_factor: 0.7,
            adoption_s: 0.0,
            shocks: Vec::new(),
            allocation: Vec::new(),
        })
        .collect()
}

fn jobs() -> Generator {
    Generator::new(&tenants(), 1e12, 0, 1)
}

fn write_native(path: &Path) {
    let g = jobs();
    let tenants = g.tenants().clone();
    let mut w = NativeWriter::new(std::io::BufWriter::new(
        std::fs::File::create(path).unwrap(),
    ))
    .unwrap();
    for j in g.take(N as usize) {
        w.write(&j, &tenants).unwrap();
    }
    w.finish().unwrap();
}

fn write_swf(path: &Path) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "; UnixStartTime: 1577836800").unwrap();
    for j in jobs().take(N as usize) {
        writeln!(
            f,
            "{} {} 0 {} {} -1 -1 {} -1 -1 1 {} 1 -1 1 -1 -1 -1",
            j.id, j.submit_s, j.duration_s, j.gpus as u64, j.gpus as u64, j.tenant.0
        )
        .unwrap();
    }
}

fn read_all(path: &Path, format: Format) -> u64 {
    let r = TraceReader::open(path, Some(format), &ReadOptions::default()).unwrap();
    r.map(|j: Result<Job, _>| j.unwrap().duration_s).sum()
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let native = dir.path().join("jobs.csv");
    let swf = dir.path().join("jobs.swf");
    write_native(&native);
    write_swf(&swf);

    let mut g = c.benchmark_group("workload");
    g.throughput(Throughput::Elements(N)).sample_size(20);
    g.bench_function("generate", |b| {
        b.iter(|| jobs().take(N as usize).map(|j| j.duration_s).sum::<u64>())
    });
    g.bench_function("read_native_csv", |b| {
        b.iter(|| read_all(&native, Format::Native))
    });
    g.bench_function("read_swf", |b| b.iter(|| read_all(&swf, Format::Swf)));
    g.finish();
}

criterion_group!(workload, benches);
criterion_main!(workload);
