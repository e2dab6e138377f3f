//! Per-tenant GPU caps, as Helios's virtual clusters: each tenant's jobs run in FIFO
//! order while the tenant holds fewer GPUs than its quota; tenants are served in order of
//! how much of their quota they use, least first. A job larger than its tenant's quota
//! is refused on arrival: like Helios's virtual clusters, a tenant may not borrow idle
//! GPUs beyond its quota, so such a job could never start and would block its tenant.

use std::collections::VecDeque;

use crate::sched::KeySet;

use super::easy::{clean_head, insert_ordered};
use crate::sched::policy::{Decision, JobKey, Policy, QueuedJob, TenantView, View};

/// Quotas.
#[derive(Default)]
pub struct Quota {
    queues: Vec<VecDeque<QueuedJob>>,
    removed: KeySet,
}

impl Policy for Quota {
    fn never_starts(&self, gpus: u32, tenant: &TenantView) -> bool {
        tenant.quota_gpus > 0 && u64::from(gpus) > tenant.quota_gpus
    }

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
        let mut order: Vec<usize> = (0..self.queues.len()).collect();
        let used = |t: usize| {
            let v = view.tenants.get(t);
            let quota = v.map_or(u64::MAX, |v| {
                if v.quota_gpus == 0 {
                    u64::MAX
                } else {
                    v.quota_gpus
                }
            });
            v.map_or(0.0, |v| v.allocated_gpus as f64 / quota as f64)
        };
        order.sort_by(|a, b| used(*a).total_cmp(&used(*b)).then(a.cmp(b)));
        for t in order {
            clean_head(&mut self.queues[t], &mut self.removed);
            let Some(head) = self.queues[t].front().copied() else {
                continue;
            };
            let (held, quota) = view.tenants.get(t).map_or((0, u64::MAX), |v| {
                (
                    v.allocated_gpus,
                    if v.quota_gpus == 0 {
                        u64::MAX
                    } else {
                        v.quota_gpus
                    },
                )
            });
            if held + u64::from(head.gpus) <= quota && view.can_start(&head) {
                self.queues[t].pop_front();
                return Some(Decision::Start(head.key));
            }
        }
        None
    }
}
