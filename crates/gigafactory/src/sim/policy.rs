//! The scheduling interface: a policy keeps its own queue order, reads a view of the
//! facility and returns decisions; the simulation applies them. A policy never touches the
//! cluster or the jobs.

use std::collections::BTreeMap;

use crate::cluster::Cluster;
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
}

/// Running jobs by the end of their requested wall time.
#[derive(Debug, Clone, Default)]
pub struct Running {
    /// (expected end, job) → (GPUs, partition).
    pub by_end: BTreeMap<(Time, JobKey), (u32, u32)>,
}

/// EASY backfilling's reservation for the job at the head of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    /// The partition it will start on (`None`: none in service can ever hold it as things
    /// stand).
    pub partition: Option<usize>,
    /// When, by running jobs' requested wall times.
    pub shadow: Time,
    /// GPUs of that partition beyond the head's that are free then.
    pub extra: u64,
}

impl Reservation {
    /// Whether a job of `gpus` GPUs and requested wall time `walltime_s` may start now,
    /// landing on `partition`, without delaying the reservation: it ends by then, lands on
    /// another partition, or uses only GPUs the head will not need.
    pub fn harmless(&self, now: Time, gpus: u32, walltime_s: Time, partition: usize) -> bool {
        now.saturating_add(walltime_s) <= self.shadow
            || self.partition != Some(partition)
            || u64::from(gpus) <= self.extra
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
    /// EASY backfilling's reservation for a job of `gpus` GPUs: on each partition in service
    /// with that many GPUs up, the earliest time at which enough will be free (whole free
    /// nodes for a job of more than one node, plus the GPUs running jobs there release by
    /// their requested wall times), and the earliest of these. A job never spans partitions,
    /// so GPUs free on different partitions do not add up: counting them together reserved
    /// "now" for a job that fitted nowhere, and stalled backfilling on every partition
    /// (issue 12's review).
    pub fn reservation(&self, gpus: u32) -> Reservation {
        let need = u64::from(gpus);
        let parts = &self.cluster.partitions;
        let holds = |p: usize| parts[p].online && parts[p].gpus_up >= gpus;
        let mut free: Vec<u64> = (0..parts.len())
            .map(|p| self.cluster.free_for(p, gpus))
            .collect();
        let mut best = (0..parts.len())
            .filter(|&p| holds(p) && free[p] >= need)
            .max_by_key(|&p| free[p]);
        let mut shadow = self.now;
        if best.is_none() {
            shadow = Time::MAX;
            for ((end, _), &(g, p)) in &self.running.by_end {
                let p = p as usize;
                free[p] += u64::from(g);
                if holds(p) && free[p] >= need {
                    best = Some(p);
                    shadow = (*end).max(self.now);
                    break;
                }
            }
        }
        Reservation {
            partition: best,
            shadow,
            extra: best.map_or(0, |p| free[p] - need),
        }
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
