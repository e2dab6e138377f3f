//! The columnar files of a run: `jobs.parquet` (one row per job) and `timeseries.parquet`
//! (one row per site per hour), and the same tables as CSV; and a sweep's `sweep.parquet`
//! (one row per plan, sample and seed). Kept out of the core crate:
//! Arrow and Parquet take minutes to build.
//!
//! Column names carry their units (`_s`, `_mw`, `_mwh`, `_eur`, `_t`). Times in the job
//! table are seconds from the simulation's start; the series has the hour's start as a
//! UTC timestamp and as hours from the start.

mod jobs;
mod series;
mod sweep;
mod tables;

pub use jobs::{JobsWriter, jobs_schema};
pub use series::{series_columns, timeseries_batch, timeseries_csv, timeseries_parquet};
pub use sweep::{sweep_batch, sweep_parquet};
pub use tables::{projects_batch, tenants_batch, years_batch};

/// An error writing a columnar file.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Parquet could not encode or write.
    #[error(transparent)]
    Parquet(#[from] parquet::errors::ParquetError),
    /// Arrow could not build a batch.
    #[error(transparent)]
    Arrow(#[from] arrow_schema::ArrowError),
    /// The file could not be written.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The thread writing the table stopped (it panicked, or was already finished).
    #[error("the table's writing thread {0}")]
    Writer(&'static str),
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        match e {
            Error::Io(e) => e,
            other => std::io::Error::other(other),
        }
    }
}

/// Writer properties shared by both files: Snappy (fast to write, read everywhere) and
/// the producer named.
fn properties() -> parquet::file::properties::WriterProperties {
    parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .set_created_by(format!("gigafactory {}", env!("CARGO_PKG_VERSION")))
        .build()
}
