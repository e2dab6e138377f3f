//! Helios (Hu et al., SC'21) `cluster_log.csv`: local times in China (UTC+8), durations and
//! queueing delays in seconds. The tenant is the virtual cluster (`vc`): Helios shared its
//! clusters between groups by per-vc quota.

use super::super::fields::{CsvColumns, number, run_time, time};
use super::super::time::parse_local;
use super::super::{Job, Outcome, Tenants};
use super::{Parsed, Parser, Skip};

pub(super) struct Helios {
    cols: CsvColumns,
    offset_s: i64,
}

impl Helios {
    pub(super) fn new(offset_s: i64) -> Self {
        Helios {
            cols: CsvColumns::default(),
            offset_s,
        }
    }
}

const REQUIRED: [&str; 8] = [
    "job_id",
    "user",
    "vc",
    "gpu_num",
    "state",
    "submit_time",
    "start_time",
    "end_time",
];
const OPTIONAL: [&str; 1] = ["duration"];

/// Slurm job states in Helios, as outcomes: time-outs and node failures count as failed,
/// as in the Helios paper's own summaries.
pub(super) fn slurm_state(col: &str, s: &str) -> Result<Outcome, String> {
    match s {
        "COMPLETED" => Ok(Outcome::Completed),
        "CANCELLED" => Ok(Outcome::Cancelled),
        "FAILED" | "TIMEOUT" | "NODE_FAIL" | "OUT_OF_MEMORY" => Ok(Outcome::Failed),
        _ => Err(format!(
            "column `{col}`: expected COMPLETED, CANCELLED, FAILED, TIMEOUT, NODE_FAIL or OUT_OF_MEMORY, found \"{s}\""
        )),
    }
}

impl Parser for Helios {
    fn header(&mut self, record: &str) -> Result<(), String> {
        self.cols.read_header(record, &REQUIRED, &OPTIONAL)
    }

    fn parse(
        &mut self,
        record: &str,
        ordinal: u64,
        tenants: &mut Tenants,
    ) -> Result<Parsed, String> {
        let Some((c, f)) = self.cols.record(record)? else {
            return Ok(Parsed::Nothing);
        };
        let gpus = number("gpu_num", c.get(&f, 3))?;
        let outcome = slurm_state("state", c.get(&f, 4))?;
        let local = |s: &str| parse_local(s, self.offset_s);
        let what = "a time YYYY-MM-DD HH:MM:SS";
        let submit_s = time("submit_time", c.get(&f, 5), what, local)?;
        // A job cancelled while queued has no start time: it ran for 0 s.
        let duration_s = run_time(c.get(&f, 8), c.get(&f, 6), c.get(&f, 7), what, local)?;
        if gpus == 0.0 {
            return Ok(Parsed::Skip(Skip::ZeroGpu));
        }
        let vc = c.get(&f, 2);
        Ok(Parsed::Job(Job {
            id: c.get(&f, 0).parse().unwrap_or(ordinal),
            tenant: tenants.intern(if vc.is_empty() { c.get(&f, 1) } else { vc }),
            submit_s,
            gpus,
            duration_s,
            outcome,
            kind: None,
            wall_time_s: None,
            retries: 0,
        }))
    }
}
