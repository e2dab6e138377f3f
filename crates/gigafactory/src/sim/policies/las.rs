//! Discretised least attained service (Tiresias, Gu et al. NSDI'19): jobs are ranked by
//! the GPU-time they have received, in queues split at thresholds; a lower queue goes
//! first, FIFO within a queue. A waiting job that does not fit preempts running jobs of
//! higher queues (the most-served first); a preempted job restarts from its last
//! checkpoint. Where the head can neither start nor make room, the first waiting job (in
//! the same order) that fits starts: like Tiresias, the policy is work-conserving and
//! leaves no GPU idle that a waiting job could use. Decisions are taken when jobs arrive or
//! end.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::super::policy::{Decision, JobKey, Policy, QueuedJob, View};
use crate::engine::Time;

/// Tiresias-style 2D-LAS.
pub struct Las {
    thresholds_gpu_s: Vec<f64>,
    waiting: BTreeSet<(usize, Time, JobKey)>,
    index: HashMap<JobKey, (usize, Time, u32)>,
    // Waiting jobs by size (GPUs → how many), so that a pass that looks for any job that
    // fits is skipped when even the smallest does not.
    sizes: BTreeMap<u32, usize>,
}

impl Las {
    /// With queue thresholds in GPU-hours.
    pub fn new(thresholds_gpu_h: &[f64]) -> Self {
        Las {
            thresholds_gpu_s: thresholds_gpu_h.iter().map(|h| h * 3600.0).collect(),
            waiting: BTreeSet::new(),
            index: HashMap::new(),
            sizes: BTreeMap::new(),
        }
    }

    /// Take `key` out of the waiting set.
    fn take(&mut self, key: JobKey) {
        if let Some((q, s, gpus)) = self.index.remove(&key) {
            self.waiting.remove(&(q, s, key));
            if let Some(n) = self.sizes.get_mut(&gpus) {
                *n -= 1;
                if *n == 0 {
                    self.sizes.remove(&gpus);
                }
            }
        }
    }

    fn queue_of(&self, attained_gpu_s: f64) -> usize {
        self.thresholds_gpu_s
            .iter()
            .take_while(|t| attained_gpu_s >= **t)
            .count()
    }
}

impl Policy for Las {
    fn needs_service(&self) -> bool {
        true
    }

    fn submit(&mut self, job: QueuedJob) {
        let q = self.queue_of(job.attained_gpu_s);
        self.waiting.insert((q, job.submit, job.key));
        self.index.insert(job.key, (q, job.submit, job.gpus));
        *self.sizes.entry(job.gpus).or_insert(0) += 1;
    }

    fn remove(&mut self, key: JobKey) {
        self.take(key);
    }

    fn next(&mut self, view: &View<'_>) -> Option<Decision> {
        let &(q, _, key) = self.waiting.first()?;
        let gpus = self.index[&key].2;
        if view.cluster.can_fit(gpus) {
            self.take(key);
            return Some(Decision::Start(key));
        }
        // Preempt the most-served running job of a higher queue, if those could make room.
        let mut victims: Vec<(usize, f64, JobKey, u32)> = view
            .running
            .service
            .iter()
            .map(|(k, (attained, start, g))| {
                let now_attained = attained + f64::from(*g) * (view.now - start) as f64;
                (self.queue_of(now_attained), now_attained, *k, *g)
            })
            .filter(|v| v.0 > q)
            .collect();
        let reclaimable: u64 = victims.iter().map(|v| u64::from(v.3)).sum();
        if view.cluster.free_gpus() + reclaimable < u64::from(gpus) {
            // The head must wait: start the first waiting job that fits, if any does.
            let smallest = *self.sizes.keys().next()?;
            if !view.cluster.can_fit(smallest) {
                return None;
            }
            let fits = self
                .waiting
                .iter()
                .map(|&(_, _, k)| k)
                .find(|k| view.cluster.can_fit(self.index[k].2))?;
            self.take(fits);
            return Some(Decision::Start(fits));
        }
        victims.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
        victims.first().map(|v| Decision::Preempt(v.2))
    }
}
