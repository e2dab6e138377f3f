//! Failures: the resolved parameters (rate, repair, restart, checkpoints), and how the
//! simulation draws a failure and takes its node down.

use super::{Ev, JobKey, Sim};
use crate::engine::Time;

/// Failure parameters, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FailureParams {
    /// Mean accelerator-seconds between interruptions.
    pub gpu_s_per_interruption: f64,
    /// Seconds before an interrupted job may run again.
    pub restart_delay_s: Time,
    /// Seconds to repair a node.
    pub repair_s: Time,
    /// Seconds to write a checkpoint.
    pub checkpoint_write_s: f64,
    /// Fixed checkpoint interval, s, instead of Young/Daly's.
    pub checkpoint_interval_s: Option<f64>,
}

impl FailureParams {
    /// The checkpoint interval for a job of `gpus` GPUs: the scenario's, else Young/Daly's
    /// sqrt(2 × MTBF × write time) with the job's MTBF = accelerator MTBF / GPUs.
    pub fn checkpoint_interval_s(&self, gpus: u32) -> f64 {
        self.checkpoint_interval_s.unwrap_or_else(|| {
            (2.0 * self.gpu_s_per_interruption / f64::from(gpus.max(1)) * self.checkpoint_write_s)
                .sqrt()
        })
    }
}

impl Sim<'_> {
    pub(super) fn schedule_failure(&mut self, p: usize, now: Time) {
        let fp = self.ckpt;
        let gpus = f64::from(self.cluster.partitions[p].gpus_total.max(1));
        // Each GPU fails at rate 1/MTBF. Candidate failures come at the rate of every GPU
        // of the partition; one that lands on a node in repair is dropped (thinning), so
        // GPUs in service fail at exactly 1/MTBF.
        let gap = self.fail_rng.exponential(fp.gpu_s_per_interruption / gpus);
        self.q
            .schedule(now + gap.ceil() as Time, Ev::Failure { partition: p });
    }

    pub(super) fn fail(&mut self, p: usize, now: Time) {
        let fp = self.ckpt;
        // A GPU chosen uniformly; nodes hold 8 (the last may hold fewer).
        let nodes = self.cluster.nodes_of(p);
        let gpu =
            (self.fail_rng.uniform() * f64::from(self.cluster.partitions[p].gpus_total)) as u32;
        let n = (nodes.start + gpu / 8).min(nodes.end - 1);
        if !self.cluster.node_up(n) {
            return;
        }
        let hit: Vec<JobKey> = self.cluster.occupants(n).iter().map(|o| o.0).collect();
        for key in hit {
            if self.is_replica(key) {
                self.lose_replica(key, now);
            } else {
                self.interrupt(key, now, true);
            }
        }
        self.cluster.node_down(p, n);
        self.q.schedule(
            now + fp.repair_s,
            Ev::Repair {
                partition: p,
                node: n,
            },
        );
    }
}
