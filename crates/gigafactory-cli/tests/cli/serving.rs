//! The README's example of inference services (`examples/serving`): two services and batch
//! research work on 1,024 H100, against the same batch work alone.

use super::*;
use arrow_array::{Array, Float64Array, Int32Array};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// Columns `hours_from_start` and `gpus_serving` of a one-site `timeseries.parquet`.
fn serving_series(path: &Path) -> Vec<(i32, f64)> {
    let file = std::fs::File::open(path).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let hours = batch.column_by_name("hours_from_start").unwrap();
        let hours = hours.as_any().downcast_ref::<Int32Array>().unwrap();
        let serving = batch.column_by_name("gpus_serving").unwrap();
        let serving = serving.as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!(serving.null_count(), 0);
        rows.extend(
            hours
                .values()
                .iter()
                .copied()
                .zip(serving.values().iter().copied()),
        );
    }
    rows
}

fn run_example(name: &str, out: &Path) -> serde_json::Value {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/serving")
        .join(name);
    let o = gigafactory(&[
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

#[test]
fn the_services_follow_their_day_and_batch_work_takes_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let with = run_example("factory.toml", &dir.path().join("with"));
    let without = run_example("batch-only.toml", &dir.path().join("without"));

    // The hourly series, as a reader of timeseries.parquet sees it: on weekdays (2027-01-01
    // is a Friday) the services hold about 9 times as many GPUs at 16:00 as at 04:00 (the
    // coding assistant's 10x profile and the chat's 2.4x, in whole replicas), and at
    // weekends about a quarter of a weekday's.
    let rows = serving_series(&dir.path().join("with/timeseries.parquet"));
    assert_eq!(rows.len(), 365 * 24);
    let mut by_hour = [(0.0, 0.0); 24];
    let (mut weekday, mut weekend) = ((0.0, 0.0), (0.0, 0.0));
    for &(h, gpus) in &rows {
        let working = (h / 24 + 4) % 7 < 5;
        if working {
            let slot = &mut by_hour[(h % 24) as usize];
            *slot = (slot.0 + gpus, slot.1 + 1.0);
            weekday = (weekday.0 + gpus, weekday.1 + 1.0);
        } else {
            weekend = (weekend.0 + gpus, weekend.1 + 1.0);
        }
    }
    let mean = |(sum, n): (f64, f64)| sum / n;
    let (trough, peak) = (mean(by_hour[4]), mean(by_hour[16]));
    assert!(
        (8.0..10.0).contains(&(peak / trough)),
        "{trough} at 04:00, {peak} at 16:00"
    );
    assert!(
        by_hour
            .iter()
            .all(|&s| mean(s) >= trough - 1e-9 && mean(s) <= peak + 1e-9)
    );
    let ratio = mean(weekend) / mean(weekday);
    assert!((0.2..0.35).contains(&ratio), "weekend / weekday {ratio}");

    // The series and the summary agree: the hours the series shows serving are the
    // services' GPU-hours, and the kinds add up to the facility's allocated hours.
    let serving: f64 = rows.iter().map(|r| r.1).sum();
    let kinds = &with["gpu_hours_by_kind"];
    let kind = |k: &str| kinds[k].as_f64().unwrap();
    assert!((serving - kind("serving_gpu_hours")).abs() < 1e-6 * serving);
    let services = with["services"].as_array().unwrap();
    assert_eq!(services.len(), 2);
    let replicas: f64 = services
        .iter()
        .map(|s| s["gpu_hours"].as_f64().unwrap())
        .sum();
    assert!((replicas - serving).abs() < 1e-6 * serving);
    let tenants: f64 = with["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["served_gpu_hours"].as_f64().unwrap())
        .sum();
    let all = kind("serving_gpu_hours") + kind("training_gpu_hours") + kind("batch_gpu_hours");
    assert!((tenants - all).abs() < 1e-6 * all);

    // Nearly every token in time (only a replica's start-up misses some), at a cost per
    // million tokens below the market's list price.
    for s in services {
        let f = |k: &str| s[k].as_f64().unwrap();
        assert!(f("tokens_not_served") < 1e-4 * f("tokens_demanded"), "{s}");
        assert!(f("eur_per_m_input") < f("market_eur_per_m_input"), "{s}");
        assert!(f("eur_per_m_output") < f("market_eur_per_m_output"), "{s}");
    }

    // The services fill hours the batch work leaves idle: the factory is busier, its
    // GPU-hour cheaper, and the batch work waits a little longer for it.
    let f = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap();
    assert!(f(&with, "utilization") > f(&without, "utilization") + 0.1);
    assert!(f(&with, "cost_per_gpu_hour_eur") < f(&without, "cost_per_gpu_hour_eur"));
    assert!(f(&with, "wait_s_p95") >= f(&without, "wait_s_p95"));

    // The report: the services' table and chart, and waits only for tenants with jobs.
    let html = std::fs::read_to_string(dir.path().join("with/report.html")).unwrap();
    assert!(html.contains("<h2>Inference services"));
    assert!(html.contains("GPUs by hour of the day"));
    assert!(html.contains("Wait p95, research"));
    assert!(
        !html.contains("Wait p95, code assistant"),
        "a service has no waits"
    );
}
