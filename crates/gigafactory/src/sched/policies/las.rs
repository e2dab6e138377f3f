//! Discretised least attained service (Tiresias, Gu et al. NSDI'19): jobs are ranked by
//! the GPU-time they have received, in queues split at thresholds; a lower queue goes
//! first, FIFO within a queue. A waiting job that does not fit preempts running jobs of
//! higher queues (the most-served first); a preempted job restarts from its last
//! checkpoint. Where the head can neither start nor make room, the first waiting job (in
//! the same order) that fits starts: like Tiresias, the policy is work-conserving and
//! leaves no GPU idle that a waiting job could use. Decisions are taken when jobs arrive or
//! end.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::sched::KeyMap;

use crate::cluster::Sites;
use crate::engine::Time;
use crate::sched::policy::{Decision, JobKey, Policy, QueuedJob, View};

/// A running job's service: attained GPU-seconds at its start, the start, its GPUs, and
/// the next threshold it has yet to cross.
struct Serving {
    attained_gpu_s: f64,
    start: Time,
    gpus: u32,
    next: usize,
}

/// Tiresias-style 2D-LAS.
///
/// Running jobs are kept by the time each crosses each threshold, so that the GPUs a
/// waiting job of a queue could reclaim (those of running jobs in higher queues) are a
/// running sum brought up to date as time passes, not a scan of every running job per
/// decision (which made LAS 18 times slower than FIFO on a million jobs: issue 12).
pub struct Las {
    thresholds_gpu_s: Vec<f64>,
    waiting: BTreeSet<(usize, Time, JobKey)>,
    // Job → (queue, submit, GPUs, placement).
    index: HashMap<JobKey, (usize, Time, u32, u32)>,
    // Waiting jobs by size (GPUs → how many), so that a pass that looks for any job that
    // fits is skipped when even the smallest does not.
    sizes: BTreeMap<u32, usize>,
    serving: KeyMap<Serving>,
    // Running jobs by the time they cross their next threshold (one entry each); per
    // threshold, those that have crossed it (so are in a higher queue), with their GPUs in
    // all.
    pending: BTreeSet<(Time, JobKey)>,
    crossed: Vec<BTreeSet<JobKey>>,
    crossed_gpus: Vec<u64>,
}

impl Las {
    /// With queue thresholds in GPU-hours.
    pub fn new(thresholds_gpu_h: &[f64]) -> Self {
        let k = thresholds_gpu_h.len();
        Las {
            thresholds_gpu_s: thresholds_gpu_h.iter().map(|h| h * 3600.0).collect(),
            waiting: BTreeSet::new(),
            index: HashMap::new(),
            sizes: BTreeMap::new(),
            serving: KeyMap::default(),
            pending: BTreeSet::new(),
            crossed: vec![BTreeSet::new(); k],
            crossed_gpus: vec![0; k],
        }
    }

    /// Take `key` out of the waiting set.
    fn take(&mut self, key: JobKey) {
        if let Some((q, s, gpus, _)) = self.index.remove(&key) {
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

    /// When a job of `s` crosses threshold `k`: the first whole second at which its
    /// attained service reaches it.
    fn crossing(&self, s: &Serving, k: usize) -> Time {
        let dt = ((self.thresholds_gpu_s[k] - s.attained_gpu_s) / f64::from(s.gpus.max(1)))
            .ceil()
            .max(0.0);
        if dt >= (Time::MAX - s.start) as f64 {
            Time::MAX
        } else {
            s.start + dt as Time
        }
    }

    /// Move the running jobs that have crossed their next threshold by `now` to its
    /// crossed set, and on to the threshold after.
    fn advance(&mut self, now: Time) {
        while let Some(&(t, key)) = self.pending.first() {
            if t > now {
                break;
            }
            self.pending.pop_first();
            let s = self.serving.get_mut(&key).expect("serving");
            let k = s.next;
            s.next += 1;
            let gpus = s.gpus;
            self.crossed[k].insert(key);
            self.crossed_gpus[k] += u64::from(gpus);
            if k + 1 < self.thresholds_gpu_s.len() {
                let t = self.crossing(&self.serving[&key], k + 1);
                self.pending.insert((t, key));
            }
        }
    }
}

impl Policy for Las {
    fn submit(&mut self, job: QueuedJob) {
        let q = self.queue_of(job.attained_gpu_s);
        self.waiting.insert((q, job.submit, job.key));
        self.index
            .insert(job.key, (q, job.submit, job.gpus, job.placement));
        *self.sizes.entry(job.gpus).or_insert(0) += 1;
    }

    fn remove(&mut self, key: JobKey) {
        self.take(key);
    }

    fn started(&mut self, key: JobKey, attained_gpu_s: f64, now: Time, gpus: u32) {
        let next = self.queue_of(attained_gpu_s);
        for k in 0..next {
            self.crossed[k].insert(key);
            self.crossed_gpus[k] += u64::from(gpus);
        }
        let s = Serving {
            attained_gpu_s,
            start: now,
            gpus,
            next,
        };
        if next < self.thresholds_gpu_s.len() {
            self.pending.insert((self.crossing(&s, next), key));
        }
        self.serving.insert(key, s);
    }

    fn stopped(&mut self, key: JobKey) {
        let Some(s) = self.serving.remove(&key) else {
            return;
        };
        if s.next < self.thresholds_gpu_s.len() {
            self.pending.remove(&(self.crossing(&s, s.next), key));
        }
        for k in 0..s.next {
            self.crossed[k].remove(&key);
            self.crossed_gpus[k] -= u64::from(s.gpus);
        }
    }

    fn next(&mut self, view: &View<'_>) -> Option<Decision> {
        let &(q, _, key) = self.waiting.first()?;
        let (_, _, gpus, placement) = self.index[&key];
        if view.fits(gpus, placement) {
            self.take(key);
            return Some(Decision::Start(key));
        }
        self.advance(view.now);
        // GPUs of running jobs in a queue above the head's: those past threshold `q`.
        let reclaimable = self.crossed_gpus.get(q).copied().unwrap_or(0);
        // A head that may run only at some sites preempts nothing: the GPUs that
        // preempting would free are counted over every site, and could be elsewhere.
        if view.cluster.free_gpus() + reclaimable < u64::from(gpus) || placement != 0 {
            // The head must wait: start the first waiting job that fits, if any does.
            let smallest = *self.sizes.keys().next()?;
            if !view.cluster.can_fit(smallest, Sites::ANY) {
                return None;
            }
            let fits = self.waiting.iter().map(|&(_, _, k)| k).find(|k| {
                let (_, _, gpus, placement) = self.index[k];
                view.fits(gpus, placement)
            })?;
            self.take(fits);
            return Some(Decision::Start(fits));
        }
        // Preempt the most-served running job of the highest queue (the last threshold
        // crossed by any), the lowest key on a tie.
        let top = (q..self.crossed.len())
            .rev()
            .find(|&k| !self.crossed[k].is_empty())?;
        let now = view.now;
        let attained = |s: &Serving| s.attained_gpu_s + f64::from(s.gpus) * (now - s.start) as f64;
        self.crossed[top]
            .iter()
            .map(|k| (attained(&self.serving[k]), *k))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, k)| Decision::Preempt(k))
    }
}
