//! `timeseries.parquet` and `timeseries.csv`: a row per site per hour.

use std::io::Write;
use std::sync::Arc;

use arrow_array::TimestampMillisecondArray;
use arrow_array::{ArrayRef, Float64Array, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use gigafactory::sim::{STEP_S, TimeSeries, csv_field};
use gigafactory::units::Date;
use parquet::arrow::ArrowWriter;

use crate::Error;

/// The series' column names: the fixed ones, then `queued_jobs_<tenant>` and
/// `queued_gpus_<tenant>` for each tenant.
pub fn series_columns(ts: &TimeSeries) -> Vec<String> {
    let mut c: Vec<String> = [
        "hour_start",
        "hours_from_start",
        "site",
        "gpus_online",
        "gpus_allocated",
        "gpus_serving",
        "it_power_mw",
        "facility_power_mw",
        "energy_mwh",
        "electricity_cost_eur",
        "co2_t",
    ]
    .map(String::from)
    .to_vec();
    for t in &ts.tenants {
        c.push(format!("queued_jobs_{t}"));
    }
    for t in &ts.tenants {
        c.push(format!("queued_gpus_{t}"));
    }
    c
}

/// The numeric columns after `site`, in the order of [`series_columns`].
fn value_columns(ts: &TimeSeries) -> impl Iterator<Item = &Vec<f64>> {
    [
        &ts.gpus_online,
        &ts.gpus_allocated,
        &ts.gpus_serving,
        &ts.it_power_mw,
        &ts.facility_power_mw,
        &ts.energy_mwh,
        &ts.electricity_cost_eur,
        &ts.co2_t,
    ]
    .into_iter()
    .chain(&ts.queued_jobs)
    .chain(&ts.queued_gpus)
}

fn unix_s(ts: &TimeSeries, hour: u32) -> i64 {
    ts.start_unix_s + i64::from(hour) * STEP_S as i64
}

/// Write the series as Parquet: `hour_start` is a UTC timestamp (milliseconds, which
/// Parquet stores as a timestamp type; it has no seconds), `site` a
/// string, the rest 64-bit floats (`hours_from_start` a 32-bit integer).
///
/// # Errors
/// Writing failed.
pub fn timeseries_parquet<W: Write + Send>(ts: &TimeSeries, out: W) -> Result<W, Error> {
    let batch = timeseries_batch(ts)?;
    let mut w = ArrowWriter::try_new(out, batch.schema(), Some(crate::properties()))?;
    w.write(&batch)?;
    Ok(w.into_inner()?)
}

/// The series as one Arrow batch, typed as [`timeseries_parquet`] writes it.
///
/// # Errors
/// The columns do not make a batch (a bug).
pub fn timeseries_batch(ts: &TimeSeries) -> Result<RecordBatch, Error> {
    let names = series_columns(ts);
    let mut fields = vec![
        Field::new(
            &names[0],
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            false,
        ),
        Field::new(&names[1], DataType::Int32, false),
        Field::new(&names[2], DataType::Utf8, false),
    ];
    fields.extend(
        names[3..]
            .iter()
            .map(|n| Field::new(n, DataType::Float64, false)),
    );
    let schema = Arc::new(Schema::new(fields));
    let f = |v: &Vec<f64>| -> ArrayRef { Arc::new(Float64Array::from(v.clone())) };
    let mut cols: Vec<ArrayRef> = vec![
        Arc::new(
            TimestampMillisecondArray::from(
                ts.hour
                    .iter()
                    .map(|&h| unix_s(ts, h) * 1000)
                    .collect::<Vec<_>>(),
            )
            .with_timezone("UTC"),
        ),
        Arc::new(Int32Array::from(
            ts.hour.iter().map(|&h| h as i32).collect::<Vec<_>>(),
        )),
        Arc::new(StringArray::from_iter_values(
            ts.site.iter().map(|&s| ts.sites[s as usize].as_str()),
        )),
    ];
    for c in value_columns(ts) {
        cols.push(f(c));
    }
    Ok(RecordBatch::try_new(schema, cols)?)
}

/// The same as CSV, `hour_start` as `YYYY-MM-DDTHH:00:00Z`.
///
/// # Errors
/// Writing failed.
pub fn timeseries_csv<W: Write>(ts: &TimeSeries, mut out: W) -> std::io::Result<W> {
    let header: Vec<String> = series_columns(ts)
        .iter()
        .map(|c| csv_field(c).into_owned())
        .collect();
    writeln!(out, "{}", header.join(","))?;
    let epoch = Date::from_ymd(1970, 1, 1).expect("a valid date");
    for r in 0..ts.len() {
        let t = unix_s(ts, ts.hour[r]);
        let day = epoch.add_days(t.div_euclid(86_400));
        write!(
            out,
            "{day}T{:02}:00:00Z,{},{}",
            t.rem_euclid(86_400) / 3600,
            ts.hour[r],
            csv_field(&ts.sites[ts.site[r] as usize])
        )?;
        for c in value_columns(ts) {
            write!(out, ",{}", c[r])?;
        }
        writeln!(out)?;
    }
    out.flush()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    fn series() -> TimeSeries {
        TimeSeries {
            start_unix_s: 1_798_761_600, // 2027-01-01
            sites: vec!["Kajaani".into(), "Bologna, IT".into()],
            tenants: vec!["research".into()],
            hour: vec![0, 0, 25, 25],
            site: vec![0, 1, 0, 1],
            gpus_online: vec![8.0, 16.0, 8.0, 16.0],
            gpus_allocated: vec![4.0, 16.0, 0.5, 0.0],
            gpus_serving: vec![2.0, 0.0, 0.0, 0.0],
            it_power_mw: vec![0.01, 0.02, 0.005, 0.004],
            facility_power_mw: vec![0.011, 0.024, 0.0055, 0.0048],
            energy_mwh: vec![0.011, 0.024, 0.0055, 0.0048],
            electricity_cost_eur: vec![1.0, 2.0, 0.5, 0.4],
            co2_t: vec![0.001, 0.01, 0.0005, 0.002],
            queued_jobs: vec![vec![3.0, 3.0, 0.0, 0.0]],
            queued_gpus: vec![vec![24.0, 24.0, 0.0, 0.0]],
        }
    }

    #[test]
    fn the_series_as_csv_has_dates_quoted_names_and_every_value() {
        let text = String::from_utf8(timeseries_csv(&series(), Vec::new()).unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "hour_start,hours_from_start,site,gpus_online,gpus_allocated,gpus_serving,\
             it_power_mw,facility_power_mw,energy_mwh,electricity_cost_eur,co2_t,queued_jobs_research,\
             queued_gpus_research"
        );
        assert_eq!(
            lines[1],
            "2027-01-01T00:00:00Z,0,Kajaani,8,4,2,0.01,0.011,0.011,1,0.001,3,24"
        );
        assert!(lines[4].starts_with("2027-01-02T01:00:00Z,25,\"Bologna, IT\",16,0,0,"));
        assert_eq!(lines.len(), 5);
    }

    #[test]
    fn the_series_as_parquet_keeps_types_and_values() {
        let ts = series();
        let bytes = bytes::Bytes::from(timeseries_parquet(&ts, Vec::new()).unwrap());
        let mut reader = ParquetRecordBatchReaderBuilder::try_new(bytes)
            .unwrap()
            .build()
            .unwrap();
        let b = reader.next().unwrap().unwrap();
        assert!(reader.next().is_none());
        assert_eq!(b.num_rows(), 4);
        let names: Vec<String> = b
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        assert_eq!(names, series_columns(&ts));
        let t = b
            .column(0)
            .as_any()
            .downcast_ref::<TimestampMillisecondArray>()
            .unwrap();
        assert_eq!(t.value(2), (1_798_761_600 + 25 * 3600) * 1000);
        assert_eq!(t.timezone(), Some("UTC"));
        let q = b
            .column_by_name("queued_gpus_research")
            .unwrap()
            .as_any()
            .downcast_ref::<Float64Array>()
            .unwrap()
            .clone();
        assert_eq!(q.values().to_vec(), ts.queued_gpus[0]);
        assert_eq!(b.column(2).null_count(), 0);
    }
}
