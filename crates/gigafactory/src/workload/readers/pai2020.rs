//! Alibaba PAI 2020 (Weng et al., NSDI'22): `pai_job_table.csv` (job_name, inst_id, user,
//! status, start_time, end_time; no header; start_time is the submit time) joined with
//! `pai_task_table.csv` (job_name, task_name, inst_num, status, start_time, end_time,
//! plan_cpu, plan_mem, plan_gpu, gpu_type), where plan_gpu is percent of one GPU.
//!
//! The task table is not in job order, so it is read first into a summary per job (GPUs,
//! first start, last end): about 60 bytes a job, the one reader that holds more than a
//! record at a time.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::super::fields::{Columns, check_width, number};
use super::super::input::{Lines, open, split_csv};
use super::super::{Job, Outcome, Tenants};
use super::{Parsed, Parser, Skip};

struct TaskSummary {
    gpus: f64,
    start: Option<i64>,
    end: Option<i64>,
}

pub(super) struct Pai2020 {
    tasks: HashMap<String, TaskSummary>,
    cols: Columns,
}

/// `pai_task_table.csv` (or `.csv.gz`) in the job table's folder.
pub(super) fn task_table_beside(job_table: &Path) -> PathBuf {
    let dir = job_table.parent().unwrap_or(Path::new("."));
    let gz = dir.join("pai_task_table.csv.gz");
    if gz.exists() {
        gz
    } else {
        dir.join("pai_task_table.csv")
    }
}

fn seconds(col: &str, v: &str) -> Result<Option<i64>, String> {
    if v.is_empty() {
        return Ok(None);
    }
    number(col, v).map(|x| Some(x as i64))
}

impl Pai2020 {
    /// Read the task table into per-job summaries.
    pub(super) fn load(path: &Path) -> Result<Pai2020, (Option<u64>, String)> {
        let input =
            open(path).map_err(|e| (None, format!("cannot read the PAI task table: {e}")))?;
        let mut lines = Lines::new(input);
        let mut buf = String::new();
        let mut tasks: HashMap<String, TaskSummary> = HashMap::new();
        let cols = Columns::fixed(10);
        while let Some(line) = lines
            .next(&mut buf)
            .map_err(|e| (None, format!("cannot read: {e}")))?
        {
            if buf.trim().is_empty() {
                continue;
            }
            let f = split_csv(&buf);
            let row = (|| {
                check_width(&f, 10)?;
                let inst = number("inst_num", cols.get(&f, 2))?;
                let gpu = match cols.get(&f, 8) {
                    "" => 0.0,
                    g => number("plan_gpu", g)?,
                };
                Ok::<_, String>((
                    inst * gpu / 100.0,
                    seconds("start_time", cols.get(&f, 4))?,
                    seconds("end_time", cols.get(&f, 5))?,
                ))
            })()
            .map_err(|m| (Some(line), m))?;
            let e = tasks
                .entry(cols.get(&f, 0).to_string())
                .or_insert(TaskSummary {
                    gpus: 0.0,
                    start: None,
                    end: None,
                });
            e.gpus += row.0;
            e.start = match (e.start, row.1) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            e.end = e.end.max(row.2);
        }
        Ok(Pai2020 {
            tasks,
            cols: Columns::fixed(6),
        })
    }
}

impl Parser for Pai2020 {
    fn has_header(&self) -> bool {
        false
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
        let c = &self.cols;
        let f = split_csv(record);
        check_width(&f, 6)?;
        let outcome = match c.get(&f, 3) {
            "Terminated" => Outcome::Completed,
            "Failed" => Outcome::Failed,
            "Interrupted" | "Cancelled" | "Killed" => Outcome::Cancelled,
            "Running" | "Waiting" => return Ok(Parsed::Skip(Skip::Unfinished)),
            s => {
                return Err(format!(
                    "column `status`: expected Terminated, Failed, Interrupted, Running or Waiting, found \"{s}\""
                ));
            }
        };
        let submit_s = seconds("start_time", c.get(&f, 4))?
            .ok_or("column `start_time`: the submit time is missing")?;
        let Some(t) = self.tasks.get(c.get(&f, 0)) else {
            return Ok(Parsed::Skip(Skip::NoGpuRecord));
        };
        if t.gpus == 0.0 {
            return Ok(Parsed::Skip(Skip::ZeroGpu));
        }
        let duration_s = match (t.start, t.end) {
            (Some(s), Some(e)) if e >= s => (e - s) as u64,
            _ => 0,
        };
        Ok(Parsed::Job(Job {
            id: ordinal,
            tenant: tenants.intern(c.get(&f, 2)),
            submit_s,
            gpus: t.gpus,
            duration_s,
            outcome,
            kind: None,
            wall_time_s: None,
            retries: 0,
        }))
    }
}
