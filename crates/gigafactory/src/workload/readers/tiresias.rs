//! Tiresias simulator input (Gu et al., NSDI'19): `job_id, num_gpu, submit_time,
//! iterations, model_name, duration, interval`; times in seconds. Every job completes.

use super::super::fields::{CsvColumns, number, signed, whole};
use super::super::{Job, Outcome, Tenants};
use super::{Parsed, Parser, Skip};

#[derive(Default)]
pub(super) struct Tiresias {
    cols: CsvColumns,
}

const REQUIRED: [&str; 4] = ["job_id", "num_gpu", "submit_time", "duration"];

impl Parser for Tiresias {
    fn header(&mut self, record: &str) -> Result<(), String> {
        self.cols.read_header(record, &REQUIRED, &[])
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
        let gpus = number("num_gpu", c.get(&f, 1))?;
        let submit_s = signed("submit_time", c.get(&f, 2))?;
        let duration_s = whole("duration", c.get(&f, 3))?;
        if gpus == 0.0 {
            return Ok(Parsed::Skip(Skip::ZeroGpu));
        }
        Ok(Parsed::Job(Job {
            id: c.get(&f, 0).parse().unwrap_or(ordinal),
            tenant: tenants.intern("tiresias"),
            submit_s,
            gpus,
            duration_s,
            outcome: Outcome::Completed,
            kind: None,
            wall_time_s: None,
            retries: 0,
        }))
    }
}
