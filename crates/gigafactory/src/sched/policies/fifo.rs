//! Strict first come, first served: the head of the queue blocks everything behind it.

use std::collections::VecDeque;

use crate::sched::KeySet;
use crate::sched::policy::{Decision, JobKey, Policy, QueuedJob, View};

/// Strict FIFO.
#[derive(Default)]
pub struct Fifo {
    queue: VecDeque<QueuedJob>,
    // Withdrawn jobs, dropped when they reach the head (withdrawing is O(1)).
    removed: KeySet,
}

impl Policy for Fifo {
    fn submit(&mut self, job: QueuedJob) {
        // Jobs back from an interruption keep their place by first submission.
        let at = self
            .queue
            .partition_point(|q| (q.submit, q.key) <= (job.submit, job.key));
        self.queue.insert(at, job);
    }

    fn remove(&mut self, key: JobKey) {
        self.removed.insert(key);
    }

    fn next(&mut self, view: &View<'_>) -> Option<Decision> {
        while let Some(h) = self.queue.front() {
            if !self.removed.remove(&h.key) {
                break;
            }
            self.queue.pop_front();
        }
        let head = self.queue.front()?;
        if view.can_start(head) {
            let key = head.key;
            self.queue.pop_front();
            Some(Decision::Start(key))
        } else {
            None
        }
    }
}
