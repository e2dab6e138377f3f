//! The columnar files of a run: `jobs.parquet` (one row per job) and `timeseries.parquet`
//! (one row per site per hour), and the same tables as CSV. Kept out of the core crate:
//! Arrow and Parquet take minutes to build.
//!
//! Column names carry their units (`_s`, `_mw`, `_mwh`, `_eur`, `_t`). Times in the job
//! table are seconds from the simulation's start; the series has the hour's start as a
//! UTC timestamp and as hours from the start.

mod jobs;
mod series;

pub use jobs::{JobsWriter, jobs_schema};
pub use series::{series_columns, timeseries_csv, timeseries_parquet};

/// An error writing a columnar file.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<parquet::errors::ParquetError> for Error {
    fn from(e: parquet::errors::ParquetError) -> Self {
        Error(e.to_string())
    }
}

impl From<arrow_schema::ArrowError> for Error {
    fn from(e: arrow_schema::ArrowError) -> Self {
        Error(e.to_string())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error(e.to_string())
    }
}

impl From<Error> for std::io::Error {
    fn from(e: Error) -> Self {
        std::io::Error::other(e.0)
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
