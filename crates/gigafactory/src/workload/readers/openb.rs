//! Alibaba GPU 2023 "openb" pod lists (ATC'23): a packing snapshot. Times in seconds from
//! the trace's start. A pod's GPUs are `num_gpu` × `gpu_milli` / 1000 (a shared GPU has
//! `gpu_milli` below 1000). The tenant is the QoS class.

use super::super::fields::{CsvColumns, number, signed};
use super::super::{Job, Outcome, Tenants};
use super::{Parsed, Parser, Skip};

#[derive(Default)]
pub(super) struct Openb {
    cols: CsvColumns,
}

const REQUIRED: [&str; 7] = [
    "name",
    "num_gpu",
    "gpu_milli",
    "qos",
    "pod_phase",
    "creation_time",
    "deletion_time",
];
const OPTIONAL: [&str; 1] = ["scheduled_time"];

impl Parser for Openb {
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
        let num_gpu = number("num_gpu", c.get(&f, 1))?;
        let milli = match c.get(&f, 2) {
            "" => 1000.0,
            m => number("gpu_milli", m)?,
        };
        if !(0.0..=1000.0).contains(&milli) {
            return Err(format!(
                "column `gpu_milli`: expected thousandths of one GPU, 0 to 1000, found {milli}"
            ));
        }
        let outcome = match c.get(&f, 4) {
            "Succeeded" | "Running" => Outcome::Completed,
            "Failed" => Outcome::Failed,
            "Pending" => Outcome::Cancelled,
            s => {
                return Err(format!(
                    "column `pod_phase`: expected Succeeded, Running, Failed or Pending, found \"{s}\""
                ));
            }
        };
        let created = signed("creation_time", c.get(&f, 5))?;
        let deleted = match c.get(&f, 6) {
            "" => return Ok(Parsed::Skip(Skip::Unfinished)),
            d => signed("deletion_time", d)?,
        };
        let start = match c.get(&f, 7) {
            "" | "0" => None,
            s => Some(signed("scheduled_time", s)?),
        };
        if num_gpu == 0.0 {
            return Ok(Parsed::Skip(Skip::ZeroGpu));
        }
        Ok(Parsed::Job(Job {
            id: ordinal,
            tenant: tenants.intern(c.get(&f, 3)),
            submit_s: created,
            gpus: num_gpu * milli / 1000.0,
            duration_s: start.map_or(0, |s| deleted.saturating_sub(s).max(0) as u64),
            outcome: if start.is_none() {
                Outcome::Cancelled
            } else {
                outcome
            },
            kind: None,
            wall_time_s: None,
            retries: 0,
        }))
    }
}
