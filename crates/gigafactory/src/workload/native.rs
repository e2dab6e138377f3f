//! Writing the native CSV format.
//!
//! ```text
//! id,tenant,submit_s,gpus,duration_s,outcome,kind,wall_time_s,retries
//! 1,academia,0,8,3600,completed,,,0
//! ```
//!
//! `submit_s` is seconds (since the Unix epoch, or since the workload's start for
//! generated workloads); `duration_s` is the run time on the reference accelerator (H100
//! SXM); `gpus` may be fractional. The last four columns are optional when reading.

use std::io::{self, Write};

use super::input::quote_csv;
use super::{Job, Tenants};

/// The header line the writer puts first.
pub const HEADER: &str = "id,tenant,submit_s,gpus,duration_s,outcome,kind,wall_time_s,retries";

/// Writes jobs as native CSV.
pub struct NativeWriter<W: Write> {
    out: W,
}

impl<W: Write> NativeWriter<W> {
    /// Start a file: writes the header.
    ///
    /// # Errors
    /// Any error writing to `out`.
    pub fn new(mut out: W) -> io::Result<Self> {
        writeln!(out, "{HEADER}")?;
        Ok(NativeWriter { out })
    }

    /// Write one job; `tenants` names its tenant.
    ///
    /// # Errors
    /// Any error writing to the output.
    pub fn write(&mut self, job: &Job, tenants: &Tenants) -> io::Result<()> {
        writeln!(
            self.out,
            "{},{},{},{},{},{},{},{},{}",
            job.id,
            quote_csv(tenants.name(job.tenant)),
            job.submit_s,
            job.gpus,
            job.duration_s,
            job.outcome.as_str(),
            job.kind.map_or("", |k| k.as_str()),
            job.wall_time_s.map_or(String::new(), |w| w.to_string()),
            job.retries
        )
    }

    /// Flush and return the output.
    ///
    /// # Errors
    /// Any error flushing.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}
