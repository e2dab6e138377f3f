//! The per-job log: one record per job as it ends, streamed to a sink while the
//! simulation runs (CSV here; Parquet in `gigafactory-columnar`).

use std::borrow::Cow;
use std::io::Write;

use crate::engine::Time;
use crate::workload::{JobKind, Outcome};

/// How a job-table column's values are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Unsigned 64-bit integer.
    UInt64,
    /// Signed 64-bit integer (times in seconds).
    Int64,
    /// Signed 32-bit integer (counts).
    Int32,
    /// Text (names and outcomes).
    Text,
}

/// One column of the job table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobColumn {
    /// Its name (the CSV header's and the Parquet field's).
    pub name: &'static str,
    /// How its values are stored.
    pub ty: ColumnType,
    /// Whether it may be empty (null): only for jobs that never started.
    pub nullable: bool,
    /// What it holds, with its unit.
    pub description: &'static str,
}

const fn column(
    name: &'static str,
    ty: ColumnType,
    nullable: bool,
    description: &'static str,
) -> JobColumn {
    JobColumn {
        name,
        ty,
        nullable,
        description,
    }
}

/// The job table's columns, in order: the one definition that the CSV log, the Parquet
/// schema and the README's table follow (adding a column is an entry here, a field of
/// [`JobRecord`], and its value in each writer, which the writers' tests check).
pub const JOB_COLUMNS: [JobColumn; 14] = [
    column(
        "job_id",
        ColumnType::UInt64,
        false,
        "the trace's id, or the generator's ordinal",
    ),
    column("tenant", ColumnType::Text, false, "the tenant's name"),
    column(
        "site",
        ColumnType::Text,
        true,
        "the site it last ran at; empty if it never started",
    ),
    column(
        "submit_s",
        ColumnType::Int64,
        false,
        "submitted, s from the start",
    ),
    column(
        "start_s",
        ColumnType::Int64,
        true,
        "first started, s from the start; empty if never",
    ),
    column(
        "end_s",
        ColumnType::Int64,
        false,
        "ended (completed, withdrawn or refused), s from the start",
    ),
    column("gpus", ColumnType::Int32, false, "GPUs asked for"),
    column(
        "wait_s",
        ColumnType::Int64,
        false,
        "submission to first start (to the end if it never started), s",
    ),
    column(
        "interruptions",
        ColumnType::Int32,
        false,
        "times a failure interrupted it",
    ),
    column(
        "preemptions",
        ColumnType::Int32,
        false,
        "times the policy preempted it",
    ),
    column(
        "queued_s",
        ColumnType::Int64,
        false,
        "time queued in all, before the first start and after each interruption or preemption, s",
    ),
    column(
        "outcome",
        ColumnType::Text,
        false,
        "completed, withdrawn or rejected",
    ),
    column(
        "recorded_outcome",
        ColumnType::Text,
        false,
        "the outcome its trace records: completed, cancelled or failed",
    ),
    column(
        "kind",
        ColumnType::Text,
        true,
        "the work it does where known: pretrain, sft, eval, mllm, debug or other; empty where neither trace nor tenant says",
    ),
];

/// The job log's CSV header: the columns' names.
#[must_use]
pub fn job_log_header() -> String {
    JOB_COLUMNS.map(|c| c.name).join(",")
}

/// How a job ended in the simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobEnd {
    /// Ran to the end.
    Completed,
    /// Waited past its tenant's patience.
    Withdrawn,
    /// Refused: larger than any partition, or than its tenant's quota.
    Rejected,
}

impl JobEnd {
    /// Its name in the job table.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            JobEnd::Completed => "completed",
            JobEnd::Withdrawn => "withdrawn",
            JobEnd::Rejected => "rejected",
        }
    }
}

/// One job as it ends (completed, withdrawn or rejected). Times are seconds from the
/// simulation's start.
#[derive(Debug, Clone, PartialEq)]
pub struct JobRecord<'a> {
    /// The job's id (the trace's, or the generator's ordinal).
    pub job_id: u64,
    /// Tenant name.
    pub tenant: &'a str,
    /// The site it last ran at; `None` if it never started.
    pub site: Option<&'a str>,
    /// Submitted.
    pub submit_s: Time,
    /// First started; `None` if it never started.
    pub start_s: Option<Time>,
    /// Ended.
    pub end_s: Time,
    /// GPUs it asked for.
    pub gpus: u32,
    /// Submission to first start (to the end, if it never started).
    pub wait_s: Time,
    /// Times a failure interrupted it.
    pub interruptions: u32,
    /// Times the policy preempted it.
    pub preemptions: u32,
    /// Seconds it spent queued in all: before its first start, and after every
    /// interruption or preemption until it ran again (or ended).
    pub queued_s: Time,
    /// How it ended here.
    pub outcome: JobEnd,
    /// The outcome its trace records.
    pub recorded_outcome: Outcome,
    /// The work it does, where its trace or tenant says.
    pub kind: Option<JobKind>,
}

/// Where job records go.
pub trait JobSink {
    /// Take one record.
    ///
    /// # Errors
    /// The record could not be written.
    fn record(&mut self, r: &JobRecord<'_>) -> std::io::Result<()>;
}

/// The job log as CSV, header first.
pub struct CsvJobLog<W: Write> {
    out: W,
}

impl<W: Write> CsvJobLog<W> {
    /// Start a log on `out` (writes the header).
    ///
    /// # Errors
    /// The header could not be written.
    pub fn new(mut out: W) -> std::io::Result<Self> {
        writeln!(out, "{}", job_log_header())?;
        Ok(CsvJobLog { out })
    }

    /// The writer, flushed.
    ///
    /// # Errors
    /// Flushing failed.
    pub fn into_inner(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// `s` as one CSV field: quoted (quotes doubled) when it holds a comma, quote or line
/// break.
pub fn csv_field(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

impl<W: Write> JobSink for CsvJobLog<W> {
    fn record(&mut self, r: &JobRecord<'_>) -> std::io::Result<()> {
        let w = &mut self.out;
        write!(w, "{},{},", r.job_id, csv_field(r.tenant))?;
        if let Some(s) = r.site {
            write!(w, "{}", csv_field(s))?;
        }
        write!(w, ",{},", r.submit_s)?;
        if let Some(s) = r.start_s {
            write!(w, "{s}")?;
        }
        writeln!(
            w,
            ",{},{},{},{},{},{},{},{},{}",
            r.end_s,
            r.gpus,
            r.wait_s,
            r.interruptions,
            r.preemptions,
            r.queued_s,
            r.outcome.as_str(),
            r.recorded_outcome.as_str(),
            r.kind.map_or("", JobKind::as_str)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_log_quotes_names_and_leaves_missing_values_empty() {
        let mut log = CsvJobLog::new(Vec::new()).unwrap();
        let r = JobRecord {
            job_id: 7,
            tenant: "SMEs, start-ups",
            site: None,
            submit_s: 10,
            start_s: None,
            end_s: 70,
            gpus: 8,
            wait_s: 60,
            interruptions: 0,
            preemptions: 0,
            queued_s: 60,
            outcome: JobEnd::Withdrawn,
            recorded_outcome: Outcome::Completed,
            kind: None,
        };
        log.record(&r).unwrap();
        log.record(&JobRecord {
            site: Some("Kajaani"),
            start_s: Some(20),
            tenant: "say \"hi\"",
            outcome: JobEnd::Completed,
            kind: Some(JobKind::Sft),
            ..r.clone()
        })
        .unwrap();
        let text = String::from_utf8(log.into_inner().unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], job_log_header());
        assert_eq!(
            lines[1],
            "7,\"SMEs, start-ups\",,10,,70,8,60,0,0,60,withdrawn,completed,"
        );
        assert_eq!(
            lines[2],
            "7,\"say \"\"hi\"\"\",Kajaani,10,20,70,8,60,0,0,60,completed,completed,sft"
        );
    }
}
