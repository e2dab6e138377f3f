//! Philly (Jeon et al., ATC'19) `cluster_job_log`: one JSON array of jobs, each with its
//! attempts. Times have no zone (read as UTC unless told otherwise). A job's GPUs are those
//! of its first attempt; its run time runs from its first attempt's start to its last
//! attempt's end (the usual reading of this trace), and every attempt after the first is
//! a retry. The tenant is the virtual cluster.

use serde::Deserialize;

use super::super::time::parse_local;
use super::super::{Job, Outcome, Tenants};
use super::{Parsed, Parser, Skip};

pub(super) struct Philly {
    offset_s: i64,
}

impl Philly {
    pub(super) fn new(offset_s: i64) -> Self {
        Philly { offset_s }
    }
}

#[derive(Deserialize)]
struct Record {
    status: String,
    vc: Option<String>,
    jobid: String,
    user: Option<String>,
    submitted_time: Option<String>,
    #[serde(default)]
    attempts: Vec<Attempt>,
}

#[derive(Deserialize)]
struct Attempt {
    start_time: Option<String>,
    end_time: Option<String>,
    #[serde(default)]
    detail: Vec<Detail>,
}

#[derive(Deserialize)]
struct Detail {
    #[serde(default)]
    gpus: Vec<serde_json::Value>,
}

impl Parser for Philly {
    fn has_header(&self) -> bool {
        false
    }

    fn parse(
        &mut self,
        record: &str,
        ordinal: u64,
        tenants: &mut Tenants,
    ) -> Result<Parsed, String> {
        let r: Record = serde_json::from_str(record).map_err(|e| format!("job {ordinal}: {e}"))?;
        let t = |field: &str, v: &Option<String>| -> Result<Option<i64>, String> {
            match v.as_deref() {
                None | Some("None") | Some("") => Ok(None),
                Some(s) => parse_local(s, self.offset_s).map(Some).ok_or_else(|| {
                    format!(
                        "job {}: `{field}`: expected a time YYYY-MM-DD HH:MM:SS, found \"{s}\"",
                        r.jobid
                    )
                }),
            }
        };
        let submit_s = t("submitted_time", &r.submitted_time)?
            .ok_or_else(|| format!("job {}: `submitted_time` is missing", r.jobid))?;
        let outcome = match r.status.as_str() {
            "Pass" => Outcome::Completed,
            "Killed" => Outcome::Cancelled,
            "Failed" => Outcome::Failed,
            s => {
                return Err(format!(
                    "job {}: `status`: expected Pass, Killed or Failed, found \"{s}\"",
                    r.jobid
                ));
            }
        };
        let Some(first) = r.attempts.first() else {
            return Ok(Parsed::Skip(Skip::NoGpuRecord));
        };
        let gpus: usize = first.detail.iter().map(|d| d.gpus.len()).sum();
        if gpus == 0 {
            return Ok(Parsed::Skip(Skip::ZeroGpu));
        }
        let start = t("start_time", &first.start_time)?;
        let mut last = start;
        for a in &r.attempts {
            for v in [t("start_time", &a.start_time)?, t("end_time", &a.end_time)?] {
                last = last.max(v);
            }
        }
        let duration_s = match (start, last) {
            (Some(s), Some(e)) if e >= s => (e - s) as u64,
            _ => 0,
        };
        let tenant = r.vc.as_deref().or(r.user.as_deref()).unwrap_or("");
        Ok(Parsed::Job(Job {
            id: ordinal,
            tenant: tenants.intern(tenant),
            submit_s,
            gpus: gpus as f64,
            duration_s,
            outcome,
            kind: None,
            wall_time_s: None,
            retries: (r.attempts.len() - 1) as u32,
        }))
    }
}
