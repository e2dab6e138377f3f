//! The scheduling interface: a policy keeps its own queue order, reads a view of the
//! facility and returns decisions; the simulation applies them. A policy never touches the
//! cluster or the jobs.

use std::collections::{BTreeMap, HashMap};

use crate::cluster::{Cluster, GPUS_PER_NODE, Sites, nodes_for};
use crate::engine::Time;

/// A job's handle in the simulation.
pub type JobKey = u32;

/// What a policy knows of a waiting job.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueuedJob {
    /// Handle.
    pub key: JobKey,
    /// Tenant index.
    pub tenant: u32,
    /// GPUs it will hold.
    pub gpus: u32,
    /// When it was first submitted.
    pub submit: Time,
    /// Its requested wall time on the fastest hardware, s (true run time × the wall-time
    /// factor).
    pub walltime_s: Time,
    /// Its true remaining run time on the fastest hardware, s (only `sjf` may look).
    pub runtime_s: Time,
    /// GPU-seconds it has already received (LAS).
    pub attained_gpu_s: f64,
    /// Where it may run: 0 anywhere; otherwise its tenant's index + 1, whose placement
    /// rules ([`TenantView::sites`]) it follows. A policy that groups jobs by size to
    /// check room once per group groups them by this too.
    pub placement: u32,
}

/// What a policy decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Start this queued job now (the policy has taken it off its queue).
    Start(JobKey),
    /// Stop this running job; it goes back to the policy's queue from its last checkpoint.
    Preempt(JobKey),
}

/// A tenant as policies see it.
#[derive(Debug, Clone, Default)]
pub struct TenantView {
    /// Entitled share (0-1).
    pub share: f64,
    /// GPUs it holds now.
    pub allocated_gpus: u64,
    /// Most GPUs it may hold (quota policy).
    pub quota_gpus: u64,
    /// Past usage, GPU-seconds, decayed by the fair-share half-life.
    pub usage_gpu_s: f64,
    /// Jobs waiting (queued, or interrupted and waiting to restart).
    pub queued_jobs: u64,
    /// GPUs those jobs ask for.
    pub queued_gpus: u64,
    /// The sites its work may run at, by site index (`None`: any site).
    pub sites: Option<std::sync::Arc<[bool]>>,
}

/// Running jobs by the end of their requested wall time.
#[derive(Debug, Clone, Default)]
pub struct Running {
    /// (expected end, job) → (GPUs, partition).
    pub by_end: BTreeMap<(Time, JobKey), (u32, u32)>,
    /// Job → its expected end.
    pub end_of: HashMap<JobKey, Time>,
}

impl Running {
    /// Job `key` started on `partition` with `gpus` GPUs, expected to end at `end`.
    pub fn start(&mut self, key: JobKey, end: Time, gpus: u32, partition: u32) {
        self.by_end.insert((end, key), (gpus, partition));
        self.end_of.insert(key, end);
    }

    /// Job `key` stopped.
    pub fn stop(&mut self, key: JobKey) {
        if let Some(end) = self.end_of.remove(&key) {
            self.by_end.remove(&(end, key));
        }
    }
}

/// EASY backfilling's reservation for the job at the head of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    /// The partition it will start on (`None`: none in service can ever hold it as things
    /// stand, or it spans partitions).
    pub partition: Option<usize>,
    /// For a run across partitions: the accelerator whose partitions it will span, all of
    /// them reserved.
    pub family: Option<u32>,
    /// When, by running jobs' requested wall times.
    pub shadow: Time,
    /// GPUs of that partition beyond the head's that are free then.
    pub extra: u64,
}

impl Reservation {
    /// Whether a job of `gpus` GPUs and requested wall time `walltime_s`, started now,
    /// leaves the reservation alone wherever it lands: it ends by then, or uses only GPUs
    /// the head will not need (or there is no reservation). A job landing on another
    /// partition than the reserved one leaves it alone too (see `easy::backfill`).
    pub fn harmless_anywhere(&self, now: Time, gpus: u32, walltime_s: Time) -> bool {
        (self.partition.is_none() && self.family.is_none())
            || now.saturating_add(walltime_s) <= self.shadow
            || u64::from(gpus) <= self.extra
    }

    /// Whether the reservation holds partition `p` of `cluster`.
    pub fn covers(&self, p: usize, cluster: &Cluster) -> bool {
        self.partition == Some(p)
            || self
                .family
                .is_some_and(|f| cluster.partitions[p].family == f)
    }
}

/// What a policy may read.
pub struct View<'a> {
    /// Now.
    pub now: Time,
    /// Free capacity.
    pub cluster: &'a Cluster,
    /// Running jobs.
    pub running: &'a Running,
    /// Tenants, by index.
    pub tenants: &'a [TenantView],
}

impl View<'_> {
    /// The sites a job of placement `placement` ([`QueuedJob::placement`]) may run at.
    pub fn sites(&self, placement: u32) -> Sites<'_> {
        placement
            .checked_sub(1)
            .and_then(|t| self.tenants.get(t as usize))
            .and_then(|t| t.sites.as_deref())
            .map_or(Sites::ANY, Sites::only)
    }

    /// Whether a job of `gpus` GPUs and placement `placement` would find room now where
    /// it may run.
    pub fn fits(&self, gpus: u32, placement: u32) -> bool {
        self.cluster.can_fit(gpus, self.sites(placement))
    }

    /// Whether job `j` would find room now where it may run.
    pub fn can_start(&self, j: &QueuedJob) -> bool {
        self.fits(j.gpus, j.placement)
    }

    /// The partition job `j` would be placed on now (`Cluster::choose` at its sites).
    pub fn choose(&self, j: &QueuedJob) -> Option<usize> {
        self.cluster.choose(j.gpus, self.sites(j.placement))
    }

    /// EASY backfilling's reservation for job `j` of `gpus` GPUs: on each partition in
    /// service at a site it may run at that could hold it, the earliest time at which it will have room by running jobs'
    /// requested wall times, and the earliest of these. A job never spans partitions, so
    /// free GPUs on different partitions do not add up (counting them together reserved
    /// "now" for a job that fitted nowhere, and stalled backfilling on every partition);
    /// a job of more than one node needs whole nodes, each free when the last job on it
    /// ends (counting GPUs instead reserved too early, or never, on fragmented nodes).
    pub fn reservation(&self, j: &QueuedJob) -> Reservation {
        let (gpus, sites) = (j.gpus, self.sites(j.placement));
        let parts = &self.cluster.partitions;
        let mut best: Option<(Time, u64, usize)> = None;
        let holds =
            |p: usize| parts[p].online && parts[p].gpus_up >= gpus && sites.admit(parts[p].site);
        for p in (0..parts.len()).filter(|&p| holds(p)) {
            let at = if gpus > u32::from(GPUS_PER_NODE) {
                self.whole_nodes_free(p, nodes_for(gpus))
            } else {
                self.gpus_free(p, gpus)
            };
            if let Some((t, extra)) = at
                && best.is_none_or(|(bt, be, _)| {
                    (t, std::cmp::Reverse(extra)) < (bt, std::cmp::Reverse(be))
                })
            {
                best = Some((t, extra, p));
            }
        }
        match best {
            Some((shadow, extra, p)) => Reservation {
                partition: Some(p),
                family: None,
                shadow: shadow.max(self.now),
                extra,
            },
            None => self.reservation_across(gpus, sites).unwrap_or(Reservation {
                partition: None,
                family: None,
                shadow: Time::MAX,
                extra: 0,
            }),
        }
    }

    /// For a run that must span partitions ([`Cluster::must_span`]): the earliest time the
    /// partitions of one accelerator family together have its whole nodes free.
    fn reservation_across(&self, gpus: u32, sites: Sites<'_>) -> Option<Reservation> {
        let c = self.cluster;
        if !c.must_span(gpus, sites) {
            return None;
        }
        c.families_online()
            .into_iter()
            .filter_map(|f| {
                let parts = (0..c.partitions.len()).filter(|&p| {
                    let part = &c.partitions[p];
                    part.online && part.family == f && sites.admit(part.site)
                });
                self.whole_nodes_free_in(parts, nodes_for(gpus))
                    .map(|(t, extra)| (t, extra, f))
            })
            .min_by_key(|&(t, extra, _)| (t, std::cmp::Reverse(extra)))
            .map(|(t, extra, f)| Reservation {
                partition: None,
                family: Some(f),
                shadow: t.max(self.now),
                extra,
            })
    }

    /// When partition `p` will have `gpus` (one node's worth at most) free, counting GPUs,
    /// and how many beyond them: free GPUs now plus what its running jobs release in order.
    fn gpus_free(&self, p: usize, gpus: u32) -> Option<(Time, u64)> {
        let need = u64::from(gpus);
        let part = &self.cluster.partitions[p];
        let mut free = u64::from(part.gpus_up - part.allocated);
        if free >= need {
            return Some((self.now, free - need));
        }
        for ((end, _), &(g, q)) in &self.running.by_end {
            if q as usize == p {
                free += u64::from(g);
                if free >= need {
                    return Some((*end, free - need));
                }
            }
        }
        None
    }

    /// When partition `p` will have `k` whole nodes free (each when the last job on it
    /// ends), and the GPUs of the further nodes free by then.
    fn whole_nodes_free(&self, p: usize, k: u32) -> Option<(Time, u64)> {
        self.whole_nodes_free_in(std::iter::once(p), k)
    }

    /// The same over the nodes of several partitions together.
    fn whole_nodes_free_in(
        &self,
        parts: impl Iterator<Item = usize>,
        k: u32,
    ) -> Option<(Time, u64)> {
        let c = self.cluster;
        let mut times: Vec<Time> = parts
            .flat_map(|p| c.nodes_of(p))
            .filter(|&n| c.node_up(n))
            .map(|n| {
                c.occupants(n)
                    .iter()
                    .map(|(job, _)| self.running.end_of.get(job).copied().unwrap_or(Time::MAX))
                    .max()
                    .unwrap_or(self.now)
            })
            .collect();
        let k = k as usize;
        if k == 0 || times.len() < k {
            return None;
        }
        let (_, &mut t, _) = times.select_nth_unstable(k - 1);
        if t == Time::MAX {
            return None;
        }
        let more = times.iter().filter(|&&x| x <= t).count().saturating_sub(k);
        Some((t, more as u64 * u64::from(GPUS_PER_NODE)))
    }
}

/// What a backfill scan depends on besides time: the job holding the reservation, the
/// queue (by a counter the policy bumps on every submit, removal and start), and the running
/// jobs and free GPUs (by their counts: every start or end changes one of them or the
/// queue). A scan that found nothing finds nothing again until one of these changes; time
/// passing only makes "ends before the reservation" harder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScanState {
    head: JobKey,
    queue_changes: u64,
    free: u64,
    running: usize,
}

impl ScanState {
    /// The state now.
    pub fn now(view: &View<'_>, head: JobKey, queue_changes: u64) -> ScanState {
        ScanState {
            head,
            queue_changes,
            free: view.cluster.free_gpus(),
            running: view.running.by_end.len(),
        }
    }
}

/// How often a backfill pass may run: Slurm's backfill scheduler runs every
/// `bf_interval` seconds (default 30), not at every event, while jobs that start in
/// priority order start at once. An interval of 0 scans at every event.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pace {
    interval: Time,
    last: Option<Time>,
    deferred: bool,
}

impl Pace {
    /// At most one pass every `interval` seconds.
    pub fn new(interval: Time) -> Self {
        Pace {
            interval,
            last: None,
            deferred: false,
        }
    }

    /// Whether a pass may run at `now`: the first at least `interval` after the last
    /// pass began, or the same pass going on at its instant (it may start many jobs). If
    /// not, the pass is put off until [`Pace::wake_at`].
    pub fn may_scan(&mut self, now: Time) -> bool {
        let ok = match self.last {
            None => true,
            Some(l) => self.interval == 0 || now == l || now >= l + self.interval,
        };
        if ok {
            self.last = Some(now);
        }
        self.deferred = !ok;
        ok
    }

    /// A pass ended (it found nothing more to start).
    pub fn scanned(&mut self) {
        self.deferred = false;
    }

    /// When a put-off pass is due.
    pub fn wake_at(&self) -> Option<Time> {
        match (self.deferred, self.last) {
            (true, Some(l)) => Some(l + self.interval),
            _ => None,
        }
    }
}

/// A scheduling policy.
pub trait Policy {
    /// A job joins the queue (new, or back after an interruption).
    fn submit(&mut self, job: QueuedJob);
    /// A queued job leaves without running (withdrawn).
    fn remove(&mut self, key: JobKey);
    /// The next decision now, or `None` when there is nothing more to do at this instant.
    fn next(&mut self, view: &View<'_>) -> Option<Decision>;

    /// A job it chose started: `attained_gpu_s` of service so far, `gpus` held from `now`.
    fn started(&mut self, _key: JobKey, _attained_gpu_s: f64, _now: Time, _gpus: u32) {}

    /// A running job stopped (finished, interrupted or preempted).
    fn stopped(&mut self, _key: JobKey) {}

    /// Whether it reads [`TenantView::usage_gpu_s`] (decayed only for policies that do).
    fn needs_usage(&self) -> bool {
        false
    }

    /// When it wants to be asked again even if nothing happens (a backfill pass it put
    /// off), if ever.
    fn wake_at(&self) -> Option<Time> {
        None
    }

    /// Whether it can never start a job of `gpus` for a tenant with `view` (a cap the job
    /// is over): the simulation refuses such a job on arrival instead of queueing it.
    fn never_starts(&self, _gpus: u32, _tenant: &TenantView) -> bool {
        false
    }
}
