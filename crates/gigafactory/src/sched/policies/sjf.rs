//! Shortest job first, with the true run times known: an ideal no real scheduler has,
//! to compare the others with. The shortest waiting job that fits starts; jobs are kept
//! by size class so that finding it costs a look at each class, not the whole queue.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::cluster::{GPUS_PER_NODE, nodes_for};
use crate::engine::Time;
use crate::sched::policy::{Decision, JobKey, Policy, QueuedJob, View};

/// Shortest job first.
#[derive(Default)]
pub struct Sjf {
    // (Placement, size class: GPUs up to a node, 8 + nodes above) → (run time, submit,
    // key). Jobs that may run at different sites are in different classes.
    classes: BTreeMap<Class, BTreeSet<(Time, Time, JobKey)>>,
    index: HashMap<JobKey, (Class, Time, Time)>,
}

/// (Placement, size class).
type Class = (u32, u32);

fn class_of(gpus: u32) -> u32 {
    if gpus <= u32::from(GPUS_PER_NODE) {
        gpus
    } else {
        8 + nodes_for(gpus)
    }
}

fn gpus_of(class: u32) -> u32 {
    if class <= 8 { class } else { (class - 8) * 8 }
}

impl Policy for Sjf {
    fn submit(&mut self, job: QueuedJob) {
        let c = (job.placement, class_of(job.gpus));
        self.classes
            .entry(c)
            .or_default()
            .insert((job.runtime_s, job.submit, job.key));
        self.index.insert(job.key, (c, job.runtime_s, job.submit));
    }

    fn remove(&mut self, key: JobKey) {
        if let Some((c, r, s)) = self.index.remove(&key) {
            if let Some(set) = self.classes.get_mut(&c) {
                set.remove(&(r, s, key));
            }
        }
    }

    fn next(&mut self, view: &View<'_>) -> Option<Decision> {
        let largest = view.cluster.largest_fit();
        let best = self
            .classes
            .iter()
            .filter(|((placement, c), set)| {
                !set.is_empty() && gpus_of(*c) <= largest && view.fits(gpus_of(*c), *placement)
            })
            .filter_map(|(_, set)| set.first().copied())
            .min()?;
        self.remove(best.2);
        Some(Decision::Start(best.2))
    }
}
