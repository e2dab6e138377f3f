//! Fair share, as Slurm's classic multifactor priority: a tenant's factor is
//! 2^(−U/S), with U its share of all (decayed) past usage and S its entitled share; the
//! tenant with the highest factor goes first, FIFO within a tenant. When that tenant's
//! head does not fit it gets an EASY reservation, and the other tenants' heads backfill.

use std::collections::{HashSet, VecDeque};

use super::super::policy::{Decision, JobKey, Policy, QueuedJob, View};
use super::easy::{backfill, clean_head, insert_ordered};

/// Fair share with backfill.
#[derive(Default)]
pub struct FairShare {
    queues: Vec<VecDeque<QueuedJob>>,
    removed: HashSet<JobKey>,
}

/// Slurm's classic fair-share factor 2^(−U/S).
pub fn factor(usage_share: f64, share: f64) -> f64 {
    if share <= 0.0 {
        0.0
    } else {
        2f64.powf(-usage_share / share)
    }
}

impl Policy for FairShare {
    fn submit(&mut self, job: QueuedJob) {
        let t = job.tenant as usize;
        if self.queues.len() <= t {
            self.queues.resize_with(t + 1, VecDeque::new);
        }
        insert_ordered(&mut self.queues[t], job);
    }

    fn remove(&mut self, key: JobKey) {
        self.removed.insert(key);
    }

    fn next(&mut self, view: &View<'_>) -> Option<Decision> {
        let total: f64 = view.tenants.iter().map(|t| t.usage_gpu_s).sum();
        let n = self.queues.len().max(1) as f64;
        let f = |t: usize| {
            let v = view.tenants.get(t);
            let share = v.map_or(0.0, |v| v.share);
            // Tenants without a share (a trace's users) are equal.
            let share = if view.tenants.iter().all(|v| v.share == 0.0) {
                1.0 / n
            } else {
                share
            };
            let u = if total > 0.0 {
                v.map_or(0.0, |v| v.usage_gpu_s) / total
            } else {
                0.0
            };
            factor(u, share)
        };
        let mut order: Vec<usize> = (0..self.queues.len()).collect();
        for t in &order {
            clean_head(&mut self.queues[*t], &mut self.removed);
        }
        order.retain(|t| !self.queues[*t].is_empty());
        order.sort_by(|a, b| f(*b).total_cmp(&f(*a)).then(a.cmp(b)));
        let top = *order.first()?;
        let head = *self.queues[top].front().expect("non-empty");
        if view.cluster.can_fit(head.gpus) {
            self.queues[top].pop_front();
            return Some(Decision::Start(head.key));
        }
        if view.cluster.largest_fit() == 0 {
            return None;
        }
        let (shadow, extra) = view.reservation(head.gpus);
        let heads: Vec<(usize, QueuedJob)> = order[1..]
            .iter()
            .map(|t| (*t, *self.queues[*t].front().expect("non-empty")))
            .collect();
        let i = backfill(view, shadow, extra, heads.iter().map(|(t, j)| (*t, j)))?;
        let j = self.queues[i].pop_front().expect("a head");
        Some(Decision::Start(j.key))
    }
}

#[cfg(test)]
mod tests {
    use super::factor;

    #[test]
    fn slurm_factor() {
        // No usage: 1; usage equal to the share: 1/2; twice the share: 1/4.
        assert_eq!(factor(0.0, 0.5), 1.0);
        assert_eq!(factor(0.5, 0.5), 0.5);
        assert_eq!(factor(1.0, 0.5), 0.25);
    }
}
