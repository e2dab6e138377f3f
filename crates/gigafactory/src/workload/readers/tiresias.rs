//! Tiresias simulator input (Gu et al., NSDI'19): `job_id, num_gpu, submit_time,
//! iterations, model_name, duration, interval`; times in seconds. Every job completes.

use super::super::fields::{Columns, check_width, number, signed, whole};
use super::super::input::split_csv;
use super::super::{Job, Outcome, Tenants};
use super::{Parsed, Parser, Skip};

#[derive(Default)]
pub struct Tiresias {
    cols: Option<Columns>,
}

const REQUIRED: [&str; 4] = ["job_id", "num_gpu", "submit_time", "duration"];

impl Parser for Tiresias {
    fn header(&mut self, record: &str) -> Result<(), String> {
        self.cols = Some(Columns::new(&split_csv(record), &REQUIRED, &[])?);
        Ok(())
    }

    fn parse(
        &mut self,
        record: &str,
        ordinal: u64,
        tenants: &mut Tenants,
    ) -> Result<Parsed, String> {
        if record.trim().is_empty() {
            return Ok(Parsed::Nothing);
        }
        let c = self.cols.as_ref().expect("header read first");
        let f = split_csv(record);
        check_width(&f, c.width)?;
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
