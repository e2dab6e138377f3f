//! Workloads: the job model, one streaming reader per trace format, the native CSV format,
//! synthetic tenants calibrated to published traces, and the statistics the trace authors
//! publish.
//!
//! Every source yields jobs in submit order, one at a time; nothing holds a whole trace.

pub mod calls;
mod fields;
pub mod generate;
pub(crate) mod input;
mod job;
pub mod native;
mod readers;
mod source;
mod stats;
pub(crate) mod time;
mod windows;

use std::path::{Path, PathBuf};

pub use job::{Job, JobKind, Outcome, ReadError, TenantId, Tenants};
pub use source::{JobSource, JobStream, TraceCheck, Unnamed, check_trace, tenant_mix, weekday};
pub use stats::{Stats, StatsBuilder};
pub use windows::Windows;

/// The trace formats read: the scenario's `[workload] format`, one definition for the file
/// and the readers.
pub use crate::scenario::TraceFormat as Format;

/// How to read a trace.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Skip and count malformed records instead of stopping at the first.
    pub lenient: bool,
    /// For traces whose times carry no zone: hours east of UTC. `None` takes the format's
    /// own convention (Helios: UTC+8, SenseTime's clusters in China; Philly: UTC).
    pub utc_offset_hours: Option<f64>,
    /// How many records may stand out of submit order before it is an error.
    pub reorder_window: usize,
    /// PAI 2020's task table, when not `pai_task_table.csv` beside the job table.
    pub pai_task_table: Option<PathBuf>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            lenient: false,
            utc_offset_hours: None,
            reorder_window: 100_000,
            pai_task_table: None,
        }
    }
}

/// What a reader passed over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct SkipCounts {
    /// Jobs that asked for no GPU (CPU jobs).
    pub zero_gpu: u64,
    /// Jobs the trace gives no GPU count for (Philly jobs without attempts).
    pub no_gpu_record: u64,
    /// Jobs still running or waiting when the trace ends (PAI).
    pub unfinished: u64,
    /// Malformed records skipped in lenient mode.
    pub malformed: u64,
}

/// A stream of jobs read from a trace file, in submit order.
pub struct TraceReader {
    inner: readers::Reader,
}

impl TraceReader {
    /// Open `path` as `format` (guessed from the file when `None`).
    ///
    /// # Errors
    /// The file cannot be opened, its format cannot be guessed, or its header is not the
    /// format's.
    pub fn open(
        path: &Path,
        format: Option<Format>,
        options: &ReadOptions,
    ) -> Result<TraceReader, ReadError> {
        let format = match format {
            Some(f) => f,
            None => guess_format(path)?,
        };
        Ok(TraceReader {
            inner: readers::Reader::open(path, format, options)?,
        })
    }

    /// The format being read.
    pub fn format(&self) -> Format {
        self.inner.format
    }

    /// Tenant names seen so far.
    pub fn tenants(&self) -> &Tenants {
        &self.inner.tenants
    }

    /// What was passed over so far.
    pub fn skipped(&self) -> SkipCounts {
        self.inner.skipped
    }
}

impl Iterator for TraceReader {
    type Item = Result<Job, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }
}

/// Guess a trace's format from its name and first line.
///
/// # Errors
/// The file cannot be read, or nothing in it says which format it is.
pub fn guess_format(path: &Path) -> Result<Format, ReadError> {
    let err = |m: String| ReadError {
        file: path.display().to_string(),
        line: None,
        message: m,
    };
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let name = name.trim_end_matches(".gz");
    if name.ends_with(".swf") {
        return Ok(Format::Swf);
    }
    if name.starts_with("pai_job_table") {
        return Ok(Format::Pai2020);
    }
    let mut lines =
        input::Lines::new(input::open(path).map_err(|e| err(format!("cannot read: {e}")))?);
    let mut first = String::new();
    loop {
        match lines
            .next(&mut first)
            .map_err(|e| err(format!("cannot read: {e}")))?
        {
            None => return Err(err("the file is empty: cannot tell its format".into())),
            Some(_) if first.trim().is_empty() => continue,
            Some(_) => break,
        }
    }
    let head = first.trim_start();
    if head.starts_with('[') {
        return Ok(Format::Philly);
    }
    if head.starts_with(';') {
        return Ok(Format::Swf);
    }
    let cols: Vec<String> = input::split_csv(head)
        .iter()
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    let has = |c: &str| cols.iter().any(|x| x == c);
    Ok(if has("submit_s") && has("duration_s") {
        Format::Native
    } else if has("gpu_time") && has("type") {
        Format::Acme
    } else if has("vc") && has("gpu_num") && has("queue") {
        Format::Helios
    } else if has("gpu_milli") && has("creation_time") {
        Format::Openb
    } else if has("num_gpu") && has("iterations") {
        Format::Tiresias
    } else {
        return Err(err(format!(
            "cannot tell the format from its first line ({}); name it with --format (one of: {})",
            head.chars().take(60).collect::<String>(),
            Format::ALL
                .iter()
                .map(|(_, n)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    })
}
