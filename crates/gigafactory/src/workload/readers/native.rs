//! gigafactory's native CSV: `id,tenant,submit_s,gpus,duration_s` and, optionally,
//! `outcome,kind,wall_time_s,retries`. See `workload::native` for the writer.

use super::super::fields::{CsvColumns, number, signed, whole};
use super::super::{Job, JobKind, Outcome, Tenants};
use super::{Parsed, Parser, Skip};

#[derive(Default)]
pub(super) struct Native {
    cols: CsvColumns,
}

const REQUIRED: [&str; 5] = ["id", "tenant", "submit_s", "gpus", "duration_s"];
const OPTIONAL: [&str; 4] = ["outcome", "kind", "wall_time_s", "retries"];

impl Parser for Native {
    fn header(&mut self, record: &str) -> Result<(), String> {
        self.cols.read_header(record, &REQUIRED, &OPTIONAL)
    }

    fn parse(
        &mut self,
        record: &str,
        _ordinal: u64,
        tenants: &mut Tenants,
    ) -> Result<Parsed, String> {
        let Some((c, f)) = self.cols.record(record)? else {
            return Ok(Parsed::Nothing);
        };
        let gpus = number("gpus", c.get(&f, 3))?;
        let outcome = match c.get(&f, 5) {
            "" => Outcome::Completed,
            o => Outcome::parse(o).ok_or_else(|| {
                format!("column `outcome`: expected completed, cancelled or failed, found \"{o}\"")
            })?,
        };
        let kind = match c.get(&f, 6) {
            "" => None,
            k => Some(JobKind::parse(k).ok_or_else(|| {
                format!("column `kind`: expected eval, pretrain, sft, mllm, debug or other, found \"{k}\"")
            })?),
        };
        let wall_time_s = match c.get(&f, 7) {
            "" => None,
            w => Some(whole("wall_time_s", w)?),
        };
        let retries = match c.get(&f, 8) {
            "" => 0,
            r => whole("retries", r)? as u32,
        };
        let job = Job {
            id: whole("id", c.get(&f, 0))?,
            tenant: tenants.intern(c.get(&f, 1)),
            submit_s: signed("submit_s", c.get(&f, 2))?,
            gpus,
            duration_s: whole("duration_s", c.get(&f, 4))?,
            outcome,
            kind,
            wall_time_s,
            retries,
        };
        if gpus == 0.0 {
            return Ok(Parsed::Skip(Skip::ZeroGpu));
        }
        Ok(Parsed::Job(job))
    }
}
