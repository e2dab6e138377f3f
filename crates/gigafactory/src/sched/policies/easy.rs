//! EASY backfilling (Lifka 1995; Mu'alem & Feitelson 2001): the head of the queue gets a
//! reservation at the earliest time enough GPUs will be free by running jobs' requested
//! wall times; a later job may start now if it fits and does not delay that reservation:
//! it ends by then, or it uses only GPUs the head will not need.

use std::collections::VecDeque;

use crate::engine::Time;
use crate::sched::KeySet;
use crate::sched::policy::{
    Decision, JobKey, Pace, Policy, QueuedJob, Reservation, ScanState, View,
};

/// EASY backfilling.
pub struct EasyBackfill {
    queue: VecDeque<QueuedJob>,
    removed: KeySet,
    depth: usize,
    failed_scan: Option<ScanState>,
    changes: u64,
    pace: Pace,
    reserved: Reserved,
}

impl EasyBackfill {
    /// Looking at most `depth` jobs behind the head, a pass at most every
    /// `interval_s` seconds.
    pub fn new(depth: usize, interval_s: Time) -> Self {
        EasyBackfill {
            queue: VecDeque::new(),
            removed: KeySet::default(),
            depth,
            failed_scan: None,
            changes: 0,
            pace: Pace::new(interval_s),
            reserved: Reserved::default(),
        }
    }
}

/// Insert keeping (first submission, key) order.
pub(crate) fn insert_ordered(q: &mut VecDeque<QueuedJob>, job: QueuedJob) {
    let at = q.partition_point(|x| (x.submit, x.key) <= (job.submit, job.key));
    q.insert(at, job);
}

/// Drop withdrawn jobs from the head.
pub(crate) fn clean_head(q: &mut VecDeque<QueuedJob>, removed: &mut KeySet) {
    while let Some(h) = q.front() {
        if !removed.remove(&h.key) {
            break;
        }
        q.pop_front();
    }
}

/// The first job among `candidates` (index, job) that may start now without delaying the
/// head's reservation `r`, and the partition it will land on.
pub(crate) fn backfill<'a>(
    view: &View<'_>,
    r: Reservation,
    candidates: impl Iterator<Item = (usize, &'a QueuedJob)>,
) -> Option<(usize, usize)> {
    let largest = view.cluster.largest_fit();
    // Whether a job could land beside the reserved partition at all: if not, only jobs
    // harmless wherever they land need placing (most of a failed scan's candidates are
    // turned away by comparisons alone).
    let parts = &view.cluster.partitions;
    let elsewhere = (0..parts.len()).any(|p| {
        !r.covers(p, view.cluster) && parts[p].online && parts[p].gpus_up > parts[p].allocated
    });
    for (i, j) in candidates {
        if j.gpus > largest {
            continue;
        }
        let anywhere = r.harmless_anywhere(view.now, j.gpus, j.walltime_s);
        if !anywhere && !elsewhere {
            continue;
        }
        if let Some(p) = view.choose(j)
            && (anywhere || !r.covers(p, view.cluster))
        {
            return Some((i, p));
        }
    }
    None
}

/// The head's reservation, computed once per backfill pass: while the head and the time
/// stay the same, a job started by backfilling does not delay it (that is the rule), so
/// only what it leaves over shrinks. Computing it again for every job a pass starts made
/// fair share 30 times slower once reservations counted whole nodes.
#[derive(Debug, Default)]
pub(crate) struct Reserved(Option<(JobKey, Time, Reservation)>);

impl Reserved {
    /// The reservation of `head` now.
    pub(crate) fn of(&mut self, view: &View<'_>, head: &QueuedJob) -> Reservation {
        match self.0 {
            Some((k, t, r)) if k == head.key && t == view.now => r,
            _ => {
                let r = view.reservation(head);
                self.0 = Some((head.key, view.now, r));
                r
            }
        }
    }

    /// Job `j` was started by backfilling on `partition` at `now`.
    pub(crate) fn started(&mut self, view: &View<'_>, j: &QueuedJob, partition: usize) {
        let now = view.now;
        if let Some((_, _, r)) = &mut self.0
            && r.covers(partition, view.cluster)
            && now.saturating_add(j.walltime_s) > r.shadow
        {
            r.extra = r.extra.saturating_sub(u64::from(j.gpus));
        }
    }
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
        if view.can_start(&head) {
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
        let r = self.reserved.of(view, &head);
        let removed = &self.removed;
        let candidates = self
            .queue
            .iter()
            .enumerate()
            .skip(1)
            // Withdrawn jobs stay filed until they reach the head: the depth counts the
            // jobs still waiting (taking first and filtering after let withdrawn ones use
            // it up: 39 live jobs of 1,000 scanned, and GPUs idle behind 28,000 waiting).
            .filter(|(_, j)| !removed.contains(&j.key))
            .take(self.depth);
        let Some((i, p)) = backfill(view, r, candidates) else {
            self.failed_scan = Some(state);
            self.pace.scanned();
            return None;
        };
        let j = self.queue.remove(i).expect("index from the scan");
        self.reserved.started(view, &j, p);
        self.changes += 1;
        Some(Decision::Start(j.key))
    }
}
