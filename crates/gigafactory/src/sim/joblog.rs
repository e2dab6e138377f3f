//! The per-job log: one record per job as it ends, streamed to a sink while the
//! simulation runs (CSV here; Parquet in `gigafactory-columnar`).

use std::borrow::Cow;
use std::io::Write;

use crate::engine::Time;

/// The job log's columns, in order, with their units.
pub const JOB_LOG_HEADER: &str = "job_id,tenant,site,submit_s,start_s,end_s,gpus,wait_s,\
                                  interruptions,preemptions,queued_s,outcome,recorded_outcome";

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
    /// `completed`, `withdrawn` (waited past its tenant's patience) or `rejected`
    /// (larger than any partition).
    pub outcome: &'a str,
    /// The outcome its trace records (`completed`, `failed`, `killed`).
    pub recorded_outcome: &'a str,
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
        writeln!(out, "{JOB_LOG_HEADER}")?;
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
            ",{},{},{},{},{},{},{},{}",
            r.end_s,
            r.gpus,
            r.wait_s,
            r.interruptions,
            r.preemptions,
            r.queued_s,
            r.outcome,
            r.recorded_outcome
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
            outcome: "withdrawn",
            recorded_outcome: "completed",
        };
        log.record(&r).unwrap();
        log.record(&JobRecord {
            site: Some("Kajaani"),
            start_s: Some(20),
            tenant: "say \"hi\"",
            outcome: "completed",
            ..r.clone()
        })
        .unwrap();
        let text = String::from_utf8(log.into_inner().unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], JOB_LOG_HEADER);
        assert_eq!(
            lines[1],
            "7,\"SMEs, start-ups\",,10,,70,8,60,0,0,60,withdrawn,completed"
        );
        assert_eq!(
            lines[2],
            "7,\"say \"\"hi\"\"\",Kajaani,10,20,70,8,60,0,0,60,completed,completed"
        );
    }
}
