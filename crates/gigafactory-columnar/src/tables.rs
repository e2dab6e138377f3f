//! The yearly and per-tenant tables as Arrow batches, typed by their column definitions
//! ([`gigafactory::run::tables`]), which `years.csv` and `tenants.csv` share.

use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema};
use gigafactory::model::Capability;
use gigafactory::run::tables::{
    Column, Kind, PROJECT_COLUMNS, TENANT_COLUMNS, Value, YEAR_COLUMNS, tenant_rows, year_rows,
};
use gigafactory::run::{Calls, Pricing, SimOutcome};

use crate::Error;

/// The yearly table (one row per simulated year) as an Arrow batch.
///
/// # Errors
/// The columns do not make a batch (a bug).
pub fn years_batch(
    o: &SimOutcome,
    capability: &Capability,
    pricing: Option<&Pricing>,
) -> Result<RecordBatch, Error> {
    batch(&YEAR_COLUMNS, &year_rows(o, capability, pricing))
}

/// The per-tenant table as an Arrow batch.
///
/// # Errors
/// The columns do not make a batch (a bug).
pub fn tenants_batch(o: &SimOutcome, pricing: Option<&Pricing>) -> Result<RecordBatch, Error> {
    batch(&TENANT_COLUMNS, &tenant_rows(o, pricing))
}

/// Every proposal to the calls (`projects.csv`) as an Arrow batch.
///
/// # Errors
/// The columns do not make a batch (a bug).
pub fn projects_batch(c: &Calls) -> Result<RecordBatch, Error> {
    batch(&PROJECT_COLUMNS, &c.projects)
}

fn batch<R>(columns: &[Column<R>], rows: &[R]) -> Result<RecordBatch, Error> {
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
    for &(name, kind, cell) in columns {
        let cells = rows.iter().map(cell);
        let (ty, array): (DataType, ArrayRef) = match kind {
            Kind::Int => (
                DataType::Int64,
                Arc::new(Int64Array::from_iter(cells.map(|v| match v {
                    Value::Int(x) => Some(x),
                    _ => None,
                }))),
            ),
            Kind::UInt => (
                DataType::UInt64,
                Arc::new(UInt64Array::from_iter(cells.map(|v| match v {
                    Value::UInt(x) => Some(x),
                    _ => None,
                }))),
            ),
            Kind::Float | Kind::FloatOrNone => (
                DataType::Float64,
                Arc::new(Float64Array::from_iter(cells.map(|v| match v {
                    Value::Float(x) => Some(x),
                    _ => None,
                }))),
            ),
            Kind::Text => (
                DataType::Utf8,
                Arc::new(StringArray::from_iter(cells.map(|v| match v {
                    Value::Text(t) => Some(t),
                    _ => None,
                }))),
            ),
            Kind::Bool => (
                DataType::Boolean,
                Arc::new(BooleanArray::from_iter(cells.map(|v| match v {
                    Value::Bool(b) => Some(b),
                    _ => None,
                }))),
            ),
        };
        let nullable = matches!(kind, Kind::Text | Kind::FloatOrNone);
        fields.push(Field::new(name, ty, nullable));
        arrays.push(array);
    }
    Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
}
