//! Fair share, as Slurm's classic multifactor priority: a tenant's factor is
//! 2^(−U/S), with U its share of all (decayed) past usage and S its entitled share; the
//! tenant with the highest factor goes first, FIFO within a tenant. When that tenant's
//! head does not fit it gets an EASY reservation, and queued jobs of every tenant, in
//! priority order, backfill.

use std::collections::VecDeque;

use crate::sched::KeySet;

use super::easy::{Reserved, backfill, clean_head, insert_ordered};
use crate::engine::Time;
use crate::sched::policy::{Decision, JobKey, Pace, Policy, QueuedJob, ScanState, View};

/// Fair share with backfill.
pub struct FairShare {
    queues: Vec<VecDeque<QueuedJob>>,
    removed: KeySet,
    depth: usize,
    failed_scan: Option<ScanState>,
    changes: u64,
    pace: Pace,
    reserved: Reserved,
}

impl FairShare {
    /// Backfilling from at most `depth` queued jobs, a pass at most every `interval_s`
    /// seconds.
    pub fn new(depth: usize, interval_s: Time) -> Self {
        FairShare {
            queues: Vec::new(),
            removed: KeySet::default(),
            depth,
            failed_scan: None,
            changes: 0,
            pace: Pace::new(interval_s),
            reserved: Reserved::default(),
        }
    }
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
    fn needs_usage(&self) -> bool {
        true
    }

    fn submit(&mut self, job: QueuedJob) {
        let t = job.tenant as usize;
        if self.queues.len() <= t {
            self.queues.resize_with(t + 1, VecDeque::new);
        }
        insert_ordered(&mut self.queues[t], job);
        self.changes += 1;
    }

    fn remove(&mut self, key: JobKey) {
        self.removed.insert(key);
        self.changes += 1;
    }

    fn wake_at(&self) -> Option<Time> {
        self.pace.wake_at()
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
        if view.can_start(&head) {
            self.queues[top].pop_front();
            self.changes += 1;
            return Some(Decision::Start(head.key));
        }
        let state = ScanState::now(view, head.key, self.changes);
        if view.cluster.largest_fit() == 0 || self.failed_scan == Some(state) {
            return None;
        }
        if !self.pace.may_scan(view.now) {
            return None;
        }
        let r = self.reserved.of(view, &head);
        // Candidates in priority order: every tenant's queue (the top tenant's after its
        // head), up to the backfill depth. Walked lazily, twice: to find the first that
        // fits, then to take it out (a scan usually stops early).
        let removed = &self.removed;
        let queues = &self.queues;
        let candidates = || {
            order
                .iter()
                .flat_map(move |&t| {
                    let skip = usize::from(t == top);
                    queues[t]
                        .iter()
                        .enumerate()
                        .skip(skip)
                        .map(move |(i, j)| (t, i, j))
                })
                .filter(|(_, _, j)| !removed.contains(&j.key))
                .take(self.depth)
        };
        let Some((k, p)) = backfill(view, r, candidates().enumerate().map(|(k, c)| (k, c.2)))
        else {
            self.failed_scan = Some(state);
            self.pace.scanned();
            return None;
        };
        let (t, i, _) = candidates().nth(k).expect("the same walk");
        let j = self.queues[t].remove(i).expect("index from the walk");
        self.reserved.started(view, &j, p);
        self.changes += 1;
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
