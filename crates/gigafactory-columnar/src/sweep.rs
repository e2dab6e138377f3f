//! `sweep.parquet`: one row per plan, sample and seed of a sweep.

use std::io::Write;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int32Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use gigafactory::plan::figure_values;
use gigafactory::plan::sweep::Sweep;
use parquet::arrow::ArrowWriter;

use crate::Error;

/// A figure's key and value.
type Figure = (&'static str, Option<f64>);

/// Write `s` as Parquet: `plan` (its label), `sample` (the design's row), `seed`, each
/// uncertain input by its path (the value drawn), `infeasible` (why the plan cannot be
/// built at these values, e.g. over its budget; null where it can), then every compared
/// figure by its key (null where the plan lacks it or is infeasible; non-finite values,
/// such as a cost per hour with no hours served, are null too).
///
/// # Errors
/// Writing failed.
pub fn sweep_parquet<W: Write + Send>(s: &Sweep, out: W) -> Result<W, Error> {
    let batch = sweep_batch(s)?;
    let mut w = ArrowWriter::try_new(out, batch.schema(), Some(crate::properties()))?;
    w.write(&batch)?;
    Ok(w.into_inner()?)
}

/// The sweep as one Arrow batch with [`sweep_parquet`]'s columns.
///
/// # Errors
/// The columns do not make a batch (a bug).
pub fn sweep_batch(s: &Sweep) -> Result<RecordBatch, Error> {
    let keys: Vec<&'static str> = s
        .rows
        .iter()
        .find_map(|r| r.figures.as_ref().ok())
        .map(|f| figure_values(f).iter().map(|x| x.0).collect())
        .unwrap_or_default();
    let mut fields = vec![
        Field::new("plan", DataType::Utf8, false),
        Field::new("sample", DataType::Int32, false),
        Field::new("seed", DataType::UInt64, false),
    ];
    fields.extend(
        s.inputs
            .iter()
            .map(|p| Field::new(p, DataType::Float64, false)),
    );
    fields.push(Field::new("infeasible", DataType::Utf8, true));
    fields.extend(keys.iter().map(|k| Field::new(*k, DataType::Float64, true)));
    let schema = Arc::new(Schema::new(fields));
    let mut cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(
            s.rows.iter().map(|r| s.labels[r.plan].as_str()),
        )),
        Arc::new(Int32Array::from_iter_values(
            s.rows.iter().map(|r| r.sample as i32),
        )),
        Arc::new(UInt64Array::from_iter_values(s.rows.iter().map(|r| r.seed))),
    ];
    for i in 0..s.inputs.len() {
        cols.push(Arc::new(Float64Array::from_iter_values(
            s.rows.iter().map(|r| s.values[r.sample][i]),
        )));
    }
    cols.push(Arc::new(StringArray::from(
        s.rows
            .iter()
            .map(|r| r.figures.as_ref().err().map(String::as_str))
            .collect::<Vec<_>>(),
    )));
    let values: Vec<Option<Vec<Figure>>> = s
        .rows
        .iter()
        .map(|r| r.figures.as_ref().ok().map(figure_values))
        .collect();
    for k in 0..keys.len() {
        cols.push(Arc::new(Float64Array::from(
            values
                .iter()
                .map(|v| v.as_ref().and_then(|v| v[k].1).filter(|x| x.is_finite()))
                .collect::<Vec<_>>(),
        )));
    }
    Ok(RecordBatch::try_new(schema, cols)?)
}
