//! Acme (Hu et al., NSDI'24): Seren (`+08:00` timestamps) and Kalos (`+00:00`, extra
//! columns). ISO 8601 with the zone written in; `duration` in seconds; `type` the kind of
//! LLM work. The tenant is the user (Acme has no virtual clusters).

use super::super::fields::{CsvColumns, number, run_time, time};
use super::super::time::parse_iso;
use super::super::{Job, JobKind, Tenants};
use super::helios::slurm_state;
use super::{Parsed, Parser, Skip};

#[derive(Default)]
pub(super) struct Acme {
    cols: CsvColumns,
}

const REQUIRED: [&str; 8] = [
    "job_id",
    "user",
    "gpu_num",
    "type",
    "state",
    "submit_time",
    "start_time",
    "end_time",
];
const OPTIONAL: [&str; 1] = ["duration"];

impl Parser for Acme {
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
        let gpus = number("gpu_num", c.get(&f, 2))?;
        let kind = JobKind::parse(c.get(&f, 3)).unwrap_or(JobKind::Other);
        let outcome = slurm_state("state", c.get(&f, 4))?;
        let what = "an ISO 8601 time with its zone, like 2023-07-01T09:30:00+08:00";
        let submit_s = time("submit_time", c.get(&f, 5), what, parse_iso)?;
        let duration_s = run_time(c.get(&f, 8), c.get(&f, 6), c.get(&f, 7), what, parse_iso)?;
        if gpus == 0.0 {
            return Ok(Parsed::Skip(Skip::ZeroGpu));
        }
        Ok(Parsed::Job(Job {
            id: c.get(&f, 0).parse().unwrap_or(ordinal),
            tenant: tenants.intern(c.get(&f, 1)),
            submit_s,
            gpus,
            duration_s,
            outcome,
            kind: Some(kind),
            wall_time_s: None,
            retries: 0,
        }))
    }
}
