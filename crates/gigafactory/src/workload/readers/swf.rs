//! Standard Workload Format (Feitelson et al., Parallel Workloads Archive): 18
//! whitespace-separated fields per job, `;` comments, -1 for unknown. Processors are read
//! as GPUs (GPU centres that export SWF put GPUs there). Times are seconds from the log's
//! start; with a `; UnixStartTime:` header they become Unix times. The tenant is the user
//! number. Status 0 is failed, 5 cancelled, anything else completed.

use super::super::fields::signed;
use super::super::{Job, Outcome, Tenants};
use super::{Parsed, Parser, Skip};

#[derive(Default)]
pub(super) struct Swf {
    unix_start: i64,
}

impl Parser for Swf {
    fn has_header(&self) -> bool {
        false
    }

    fn parse(
        &mut self,
        record: &str,
        _ordinal: u64,
        tenants: &mut Tenants,
    ) -> Result<Parsed, String> {
        let r = record.trim();
        if r.is_empty() {
            return Ok(Parsed::Nothing);
        }
        if let Some(comment) = r.strip_prefix(';') {
            if let Some(v) = comment.trim().strip_prefix("UnixStartTime:") {
                self.unix_start = signed("UnixStartTime", v.trim())?;
            }
            return Ok(Parsed::Nothing);
        }
        let f: Vec<&str> = r.split_ascii_whitespace().collect();
        if f.len() != 18 {
            return Err(format!("expected 18 fields, found {}", f.len()));
        }
        const NAMES: [&str; 18] = [
            "job number",
            "submit time",
            "wait time",
            "run time",
            "allocated processors",
            "average CPU time",
            "used memory",
            "requested processors",
            "requested time",
            "requested memory",
            "status",
            "user",
            "group",
            "executable",
            "queue",
            "partition",
            "preceding job",
            "think time",
        ];
        let mut v = [0i64; 18];
        for (i, x) in f.iter().enumerate() {
            v[i] = match x.parse::<i64>() {
                Ok(n) => n,
                // The field's name is only spelled out when it is needed.
                Err(_) => signed(&format!("field {} ({})", i + 1, NAMES[i]), x)?,
            };
        }
        let procs = if v[4] > 0 { v[4] } else { v[7] };
        if procs <= 0 {
            return Ok(Parsed::Skip(Skip::ZeroGpu));
        }
        if v[1] < 0 {
            return Err(format!(
                "field 2 (submit time): expected a time of at least 0, found {}",
                v[1]
            ));
        }
        // Seconds of a Unix time before the year 10000.
        const LATEST: i64 = 253_402_300_799;
        let submit_s = self
            .unix_start
            .checked_add(v[1])
            .filter(|t| (-LATEST..=LATEST).contains(t))
            .ok_or_else(|| {
                format!(
                    "field 2 (submit time): expected seconds after UnixStartTime that end before \
                     year 10000, found {}",
                    v[1]
                )
            })?;
        let outcome = match v[10] {
            0 => Outcome::Failed,
            5 => Outcome::Cancelled,
            _ => Outcome::Completed,
        };
        let user = if v[11] >= 0 {
            format!("user-{}", v[11])
        } else {
            "user-unknown".to_string()
        };
        Ok(Parsed::Job(Job {
            id: v[0].max(0) as u64,
            tenant: tenants.intern(&user),
            submit_s,
            gpus: procs as f64,
            duration_s: v[3].max(0) as u64,
            outcome,
            kind: None,
            wall_time_s: (v[8] > 0).then_some(v[8] as u64),
            retries: 0,
        }))
    }
}
