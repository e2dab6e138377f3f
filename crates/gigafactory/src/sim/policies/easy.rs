//! EASY backfilling (Lifka 1995; Mu'alem & Feitelson 2001): the head of the queue gets a
//! reservation at the earliest time enough GPUs will be free by running jobs' requested
//! wall times; a later job may start now if it fits and does not delay that reservation:
//! it ends by then, or it uses only GPUs the head will not need.

use std::collections::{HashSet, VecDeque};

use super::super::policy::{
    Decision, JobKey, Pace, Policy, QueuedJob, Reservation, ScanState, View,
};
use crate::engine::Time;

/// EASY backfilling.
pub struct EasyBackfill {
    queue: VecDeque<QueuedJob>,
    removed: HashSet<JobKey>,
    depth: usize,
    failed_scan: Option<ScanState>,
    changes: u64,
    pace: Pace,
}

impl EasyBackfill {
    /// Looking at most `depth` jobs behind the head, a pass at most every
    /// `interval_s` seconds.
    pub fn new(depth: usize, interval_s: Time) -> Self {
        EasyBackfill {
            queue: VecDeque::new(),
            removed: HashSet::new(),
            depth,
            failed_scan: None,
            changes: 0,
            pace: Pace::new(interval_s),
        }
    }
}

/// Insert keeping (first submission, key) order.
pub(crate) fn insert_ordered(q: &mut VecDeque<QueuedJob>, job: QueuedJob) {
    let at = q.partition_point(|x| (x.submit, x.key) <= (job.submit, job.key));
    q.insert(at, job);
}

/// Drop withdrawn jobs from the head.
pub(crate) fn clean_head(q: &mut VecDeque<QueuedJob>, removed: &mut HashSet<JobKey>) {
    while let Some(h) = q.front() {
        if !removed.remove(&h.key) {
            break;
        }
        q.pop_front();
    }
}

/// The first job among `candidates` (index, job) that may start now without delaying the
/// head's reservation `r`.
pub(crate) fn backfill<'a>(
    view: &View<'_>,
    r: Reservation,
    candidates: impl Iterator<Item = (usize, &'a QueuedJob)>,
) -> Option<usize> {
    let largest = view.cluster.largest_fit();
    for (i, j) in candidates {
        if j.gpus > largest {
            continue;
        }
        if let Some(p) = view.cluster.choose(j.gpus)
            && r.harmless(view.now, j.gpus, j.walltime_s, p)
        {
            return Some(i);
        }
    }
    None
}

impl Policy for EasyBackfill {
    fn submit(&mut self, job: QueuedJob) {
        insert_ordered(&mut self.queue, job);
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
        clean_head(&mut self.queue, &mut self.removed);
        let head = *self.queue.front()?;
        if view.cluster.can_fit(head.gpus) {
            self.queue.pop_front();
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
        let r = view.reservation(head.gpus);
        let removed = &self.removed;
        let candidates = self
            .queue
            .iter()
            .enumerate()
            .skip(1)
            .take(self.depth)
            .filter(|(_, j)| !removed.contains(&j.key));
        let Some(i) = backfill(view, r, candidates) else {
            self.failed_scan = Some(state);
            self.pace.scanned();
            return None;
        };
        let j = self.queue.remove(i).expect("index from the scan");
        self.changes += 1;
        Some(Decision::Start(j.key))
    }
}
