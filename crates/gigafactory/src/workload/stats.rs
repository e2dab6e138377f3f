//! The statistics trace authors publish, computed in one pass over a job stream.
//!
//! Medians come from a histogram with three significant digits (0.1% resolution), so
//! memory stays the same whatever the number of jobs.

use hdrhistogram::Histogram;
use serde::Serialize;

use super::{Job, Outcome};

/// A workload's summary, named as in the Helios and Acme summary tables: `*_rate_gpu`
/// are shares of jobs, `*_rate_gpu_time` shares of GPU time; times in seconds.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Stats {
    /// GPU jobs.
    pub job_num: u64,
    /// Mean run time, s.
    pub avg_run_time_gpu: f64,
    /// Median run time, s.
    pub med_run_time_gpu: f64,
    /// Longest run time, s.
    pub max_run_time_gpu: u64,
    /// Mean GPUs per job.
    pub avg_gpu_num: f64,
    /// Median GPUs per job.
    pub med_gpu_num: f64,
    /// Most GPUs in one job.
    pub max_gpu: f64,
    /// Share of jobs completed.
    pub complete_rate_gpu: f64,
    /// Share of jobs cancelled.
    pub cancel_rate_gpu: f64,
    /// Share of jobs failed.
    pub fail_rate_gpu: f64,
    /// Share of GPU time in completed jobs.
    pub complete_rate_gpu_time: f64,
    /// Share of GPU time in cancelled jobs.
    pub cancel_rate_gpu_time: f64,
    /// Share of GPU time in failed jobs.
    pub fail_rate_gpu_time: f64,
    /// GPU-hours consumed.
    pub gpu_hours: f64,
    /// First and last submit time, s.
    pub submit_span_s: (i64, i64),
}

/// Accumulates [`Stats`] one job at a time.
pub struct StatsBuilder {
    n: u64,
    sum_dur: f64,
    sum_gpus: f64,
    max_dur: u64,
    max_gpus: f64,
    by_outcome: [u64; 3],
    gpu_s_by_outcome: [f64; 3],
    durations: Histogram<u64>,
    gpus_milli: Histogram<u64>,
    first: i64,
    last: i64,
}

impl Default for StatsBuilder {
    fn default() -> Self {
        StatsBuilder {
            n: 0,
            sum_dur: 0.0,
            sum_gpus: 0.0,
            max_dur: 0,
            max_gpus: 0.0,
            by_outcome: [0; 3],
            gpu_s_by_outcome: [0.0; 3],
            durations: Histogram::new(3).expect("3 significant digits is valid"),
            gpus_milli: Histogram::new(3).expect("3 significant digits is valid"),
            first: i64::MAX,
            last: i64::MIN,
        }
    }
}

impl StatsBuilder {
    /// Count one job.
    pub fn add(&mut self, job: &Job) {
        self.n += 1;
        self.sum_dur += job.duration_s as f64;
        self.sum_gpus += job.gpus;
        self.max_dur = self.max_dur.max(job.duration_s);
        self.max_gpus = self.max_gpus.max(job.gpus);
        let i = Outcome::ALL
            .iter()
            .position(|o| *o == job.outcome)
            .unwrap_or(0);
        self.by_outcome[i] += 1;
        self.gpu_s_by_outcome[i] += job.gpu_seconds();
        // Auto-resizing histograms accept any u64; `saturating_record` would clamp to the
        // initial range instead of growing.
        self.durations
            .record(job.duration_s)
            .expect("an auto-resizing histogram grows");
        self.gpus_milli
            .record((job.gpus * 1000.0).round() as u64)
            .expect("an auto-resizing histogram grows");
        self.first = self.first.min(job.submit_s);
        self.last = self.last.max(job.submit_s);
    }

    /// The statistics so far (zeros for no jobs).
    pub fn finish(&self) -> Stats {
        let n = self.n.max(1) as f64;
        let gpu_s: f64 = self.gpu_s_by_outcome.iter().sum();
        let share = |x: f64| if gpu_s > 0.0 { x / gpu_s } else { 0.0 };
        Stats {
            job_num: self.n,
            avg_run_time_gpu: self.sum_dur / n,
            med_run_time_gpu: if self.n == 0 {
                0.0
            } else {
                self.durations.value_at_quantile(0.5) as f64
            },
            max_run_time_gpu: self.max_dur,
            avg_gpu_num: self.sum_gpus / n,
            med_gpu_num: if self.n == 0 {
                0.0
            } else {
                self.gpus_milli.value_at_quantile(0.5) as f64 / 1000.0
            },
            max_gpu: self.max_gpus,
            complete_rate_gpu: self.by_outcome[0] as f64 / n,
            cancel_rate_gpu: self.by_outcome[1] as f64 / n,
            fail_rate_gpu: self.by_outcome[2] as f64 / n,
            complete_rate_gpu_time: share(self.gpu_s_by_outcome[0]),
            cancel_rate_gpu_time: share(self.gpu_s_by_outcome[1]),
            fail_rate_gpu_time: share(self.gpu_s_by_outcome[2]),
            gpu_hours: gpu_s / 3600.0,
            submit_span_s: if self.n == 0 {
                (0, 0)
            } else {
                (self.first, self.last)
            },
        }
    }
}
