//! The simulation: a scenario's facility and jobs played event by event. Wires the engine,
//! the cluster, a policy and the accounting; records the outcome.

mod accounts;
mod config;
mod failures;
mod joblog;
mod jobs;
mod outcome;
mod series;
mod serve;
mod services;
mod setup;

pub use crate::sched::PolicyConfig;
pub use crate::sched::{Decision, JobKey, Policy, QueuedJob, Running, TenantView, View};
pub(crate) use crate::sched::{KeyMap, policies};
pub use config::{Residency, SimConfig, TenantConfig};
pub use failures::FailureParams;
pub use joblog::{
    ColumnType, CsvJobLog, JOB_COLUMNS, JobColumn, JobEnd, JobRecord, JobSink, csv_field,
    job_log_header,
};
pub use outcome::{
    PhaseOutcome, Sampling, SimOutcome, SiteEnergy, TenantOutcome, Tokens, YearOutcome,
};
pub use series::{STEP_S, TimeSeries};
pub use services::{ServiceConfig, ServingParams, replica_tokens_per_s};

use crate::cluster::{Allocation, Cluster, Sites};
use crate::engine::{EventQueue, Time};
use crate::model::Facility;
use crate::workload::generate::Stream;
use crate::workload::{Job, JobStream, ReadError};

/// Seconds in a day.
const DAY_S: f64 = 86_400.0;

/// Why a simulation stopped early.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The job stream failed.
    #[error("{0}")]
    Read(#[from] ReadError),
    /// The job log could not be written.
    #[error("cannot write the job log: {0}")]
    Log(#[from] std::io::Error),
    /// The sample asked for cannot give the scenario's figures.
    #[error("{0}")]
    Sample(String),
    /// The caller's cancellation flag was set (a Ctrl-C, a sweep stopping its workers).
    #[error("cancelled")]
    Cancelled,
}

/// Options of one run.
#[derive(Default)]
pub struct SimOptions<'a> {
    /// Stop at this time (seconds from the start) instead of the horizon's end.
    pub until_s: Option<Time>,
    /// Where to stream the per-job log, if anywhere.
    pub job_log: Option<&'a mut dyn JobSink>,
    /// Called now and then with the share of the horizon done.
    pub progress: Option<&'a mut dyn FnMut(f64)>,
    /// Checked between events: once set, the run stops with [`SimError::Cancelled`].
    pub cancel: Option<&'a std::sync::atomic::AtomicBool>,
    /// Time sampling: measure only within these windows (the job stream should have
    /// arrivals only in their active parts: [`crate::workload::Generator::with_windows`]).
    pub windows: Option<crate::workload::Windows>,
    /// At most this many jobs wait at once (default [`MAX_WAITING`]); an arrival to a full
    /// queue is refused, counted, and reported in the outcome's warnings.
    pub max_waiting: Option<usize>,
}

/// Jobs held waiting at most, by default: a queue longer than this is a finding (demand
/// far above capacity), not something to hold in memory without bound. Slurm, likewise,
/// refuses submissions past its `MaxJobCount` (10,000 by default).
pub const MAX_WAITING: usize = 4_000_000;

#[derive(Debug, Clone, Copy)]
enum Ev {
    Finish { key: JobKey, epoch: u32 },
    Withdraw { key: JobKey, epoch: u32 },
    Resubmit { key: JobKey },
    Online { partition: usize },
    Retire { partition: usize },
    Failure { partition: usize },
    Repair { partition: usize, node: u32 },
    // Inference services scale to this step's demand.
    Scale,
    // Replicas started a start-up ago begin serving.
    Ready,
    // A put-off backfill pass is due; scheduling follows every event anyway.
    Wake,
}

/// When a partition is in service, and the largest job it can hold.
#[derive(Debug, Clone, Copy)]
struct Lifetime {
    online: Time,
    retire: Time,
    max_job_gpus: u32,
    // Its accelerator, as the cluster numbers it.
    family: u32,
    // Its site.
    site: usize,
}

struct Run {
    alloc: Allocation,
    // Seconds of periodic checkpoint writes planned for the whole run (all written if it
    // finishes).
    overhead_s: f64,
    // Whether it spans sites.
    across: bool,
    start: Time,
    rate: f64,
    interval_s: f64,
}

struct Active {
    job: Job,
    gpus: u32,
    submit: Time,
    remaining_ref_s: f64,
    first_start: Option<Time>,
    run: Option<Run>,
    epoch: u32,
    interruptions: u32,
    preemptions: u32,
    // Seconds queued so far (before the first start and after every stop), and since when
    // it has been queued this time (while waiting).
    queued_s: Time,
    queued_since: Time,
    attained_gpu_s: f64,
    site: Option<usize>,
    // Whether it has run across sites.
    across_sites: bool,
    // Counted in the results: always, except under time sampling, where only jobs
    // submitted in measured time are.
    measured: bool,
}

/// A job read from the stream: its arrival time, the job, and its tenant's name if this is
/// the first the simulation hears of that tenant.
type Arrival = (Time, Job, Option<String>);

/// Play `facility` with the jobs of `jobs`.
///
/// # Errors
/// The job stream fails, or the job log cannot be written.
pub fn simulate(
    config: &SimConfig,
    facility: &Facility,
    jobs: &mut dyn JobStream,
    mut options: SimOptions<'_>,
) -> Result<SimOutcome, SimError> {
    let horizon = config.horizon_s();
    let end = options.until_s.map_or(horizon, |u| u.min(horizon));
    let log = options.job_log.take();
    let mut sim = Sim::new(config, facility, end, log);
    sim.max_waiting = options.max_waiting.unwrap_or(MAX_WAITING);
    if let Some(w) = options.windows {
        sim.windows = Some(w);
        sim.o.set_windows(w);
    }
    // Arrivals come from the job stream in submit order: they are merged with the event
    // queue here rather than pushed through it. At one instant, arrivals come first.
    let mut offset: Option<i64> = None;
    let mut next_arrival = |sim: &Sim| -> Result<Option<Arrival>, SimError> {
        let Some(j) = jobs.next().transpose()? else {
            return Ok(None);
        };
        let off = *offset.get_or_insert(if sim.generated { 0 } else { j.submit_s });
        let t = (j.submit_s - off).max(0) as Time;
        // The first job of a tenant the scenario does not name brings the stream's name for
        // it, so that the job log names it from its first row.
        let name = (!sim.named.get(j.tenant.0 as usize).copied().unwrap_or(false))
            .then(|| jobs.tenant_name(j.tenant).map(str::to_string))
            .flatten();
        Ok((t < sim.end).then_some((t, j, name)))
    };
    let mut pending = next_arrival(&sim)?;
    let mut batch = Vec::new();
    let mut last_progress = 0;
    loop {
        let heap_t = sim.q.peek_time();
        let now = match (pending.as_ref().map(|p| p.0), heap_t) {
            (None, None) => break,
            (Some(a), None) => a,
            (None, Some(h)) => h,
            (Some(a), Some(h)) => a.min(h),
        };
        sim.advance(now);
        if now >= sim.end {
            break;
        }
        sim.q.advance_to(now);
        while pending.as_ref().is_some_and(|p| p.0 == now) {
            let (_, j, name) = pending.take().expect("checked");
            if let Some(name) = name {
                sim.name_tenant(j.tenant.0 as usize, name);
            }
            sim.arrive(j)?;
            pending = next_arrival(&sim)?;
        }
        if heap_t == Some(now) {
            sim.q.pop_instant(&mut batch);
            for ev in batch.drain(..) {
                sim.handle(ev)?;
            }
        }
        if !sim.services.is_empty() {
            sim.serve_waiting(now);
        }
        sim.schedule();
        sim.set_patience_timers();
        if options
            .cancel
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
        {
            return Err(SimError::Cancelled);
        }
        if let Some(p) = options.progress.as_deref_mut() {
            let pct = now * 100 / sim.end.max(1);
            if pct != last_progress {
                last_progress = pct;
                p(pct as f64 / 100.0);
            }
        }
    }
    sim.advance(sim.end);
    let names = sim.tenant_names.clone();
    let name = |i: u32| {
        names
            .get(i as usize)
            .cloned()
            .unwrap_or_else(|| format!("tenant-{i}"))
    };
    Ok(sim.finish(&name, end < horizon))
}

/// How a running job stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// It has finished its work.
    Done,
    /// Unplanned (a failure, a retirement): the work since its last checkpoint is lost.
    Lost,
    /// Planned (a preemption by the policy): it writes a checkpoint as it stops, so only
    /// that write's time is lost.
    Checkpointed,
}

struct Sim<'a> {
    log: Option<&'a mut dyn JobSink>,
    tenant_names: Vec<String>,
    // Whether each tenant has its own name (the scenario's or the job stream's) rather than
    // a number.
    named: Vec<bool>,
    q: EventQueue<Ev>,
    cluster: Cluster,
    policy: Box<dyn Policy>,
    running: Running,
    tenants: Vec<TenantView>,
    patience_s: Vec<Option<Time>>,
    active: KeyMap<Active>,
    // Jobs that arrived at this instant: a patience timer is set for those still waiting
    // after the instant's scheduling pass (most jobs start at once and never need one).
    arrived: Vec<JobKey>,
    track_usage: bool,
    next_key: JobKey,
    end: Time,
    // Per partition: when it comes online and retires, and the largest job it can hold.
    // A job that no partition in service now or later can hold is refused.
    lifetimes: Vec<Lifetime>,
    generated: bool,
    walltime_factor: f64,
    // A run across sites delivers this share of its throughput on one site (1 where runs
    // may not span sites).
    cross_site_efficiency: f64,
    max_rate: f64,
    // Checkpointing always applies (it is a property of the jobs); failure events only
    // when `failures_on`.
    ckpt: FailureParams,
    failures_on: bool,
    fail_rng: Stream,
    // Jobs above this many GPUs are interrupted, on average, sooner than they can restart
    // and write a checkpoint; the largest such job submitted.
    outrun_gpus: f64,
    cannot_outrun: u32,
    max_waiting: usize,
    refused_full: u64,
    // Spans of the horizon with no accelerator in service, as dates.
    idle_spans: Vec<(crate::units::Date, crate::units::Date)>,
    halflife_s: f64,
    last: Time,
    windows: Option<crate::workload::Windows>,
    next_wake: Option<Time>,
    // Inference services, how they hold replicas, and which service each replica is of.
    services: Vec<serve::Service>,
    serving: ServingParams,
    replica_of: KeyMap<usize>,
    // The services' tokens are accounted up to here: their rates and ready replicas are
    // constant between scaling steps, so they are integrated when those change and at
    // year ends, not at every instant.
    served_to: Time,
    // Accounting.
    o: accounts::Accumulator,
}

impl<'a> Sim<'a> {
    /// The sites tenant `t`'s work may run at.
    fn sites_of(&self, t: usize) -> Sites<'_> {
        self.tenants
            .get(t)
            .and_then(|v| v.sites.as_deref())
            .map_or(Sites::ANY, Sites::only)
    }

    /// Whether some partition at one of tenant `t`'s sites in service at `now`, or coming
    /// online before the end, can hold a job of `gpus`.
    fn can_ever_hold(&self, gpus: u32, t: usize, now: Time) -> bool {
        let sites = self.sites_of(t);
        let alone = self.lifetimes.iter().any(|l| {
            l.retire > now && l.online < self.end && l.max_job_gpus >= gpus && sites.admit(l.site)
        });
        alone || (self.cluster.span_allowed && self.can_ever_span(gpus, sites, now))
    }

    /// Whether, at some time from `now` to the end, the partitions of one accelerator family in
    /// service together can hold a run of `gpus` (less their spares): checked now and as
    /// each partition comes online, when their sum can only have grown.
    fn can_ever_span(&self, gpus: u32, sites: Sites<'_>, now: Time) -> bool {
        let times = std::iter::once(now).chain(
            self.lifetimes
                .iter()
                .map(|l| l.online)
                .filter(|&t| t > now && t < self.end),
        );
        times.into_iter().any(|t| {
            let in_service = |l: &&Lifetime| l.online <= t && l.retire > t && sites.admit(l.site);
            self.lifetimes.iter().filter(in_service).any(|l| {
                let together: u64 = self
                    .lifetimes
                    .iter()
                    .filter(in_service)
                    .filter(|m| m.family == l.family)
                    .map(|m| u64::from(m.max_job_gpus))
                    .sum();
                together >= u64::from(gpus)
            })
        })
    }

    /// Refuse every waiting job that no partition still to be in service can hold (after
    /// a retirement), so that none is left to block a queue for the rest of the run.
    fn refuse_unholdable(&mut self, now: Time) -> Result<(), SimError> {
        let mut gone: Vec<JobKey> = self
            .active
            .iter()
            .filter(|(_, a)| {
                a.run.is_none() && !self.can_ever_hold(a.gpus, a.job.tenant.0 as usize, now)
            })
            .map(|(k, _)| *k)
            .collect();
        // In submission order, so that the job log is the same from run to run.
        gone.sort_unstable();
        for key in gone {
            self.end_waiting(key, now, false)?;
        }
        Ok(())
    }

    /// A waiting job leaves unserved: `withdrawn` (past its patience), else refused (no
    /// partition left can hold it); its remaining work is lost demand either way.
    fn end_waiting(&mut self, key: JobKey, now: Time, withdrawn: bool) -> Result<(), SimError> {
        self.policy.remove(key);
        let a = self.active.remove(&key).expect("active");
        let t = a.job.tenant.0 as usize;
        self.queue_change(t, a.gpus, false);
        if a.measured {
            if withdrawn {
                self.o.withdrawn(t, a.gpus, a.remaining_ref_s);
            } else {
                self.o.rejected(t, a.gpus, a.remaining_ref_s);
            }
        }
        self.log_job(
            &a,
            now,
            if withdrawn {
                JobEnd::Withdrawn
            } else {
                JobEnd::Rejected
            },
        )
    }

    /// Name tenant `i` with its stream's name.
    fn name_tenant(&mut self, i: usize, name: String) {
        self.tenant_index(i as u32);
        self.tenant_names[i] = name;
        self.named[i] = true;
    }

    fn tenant_index(&mut self, t: u32) -> usize {
        let i = t as usize;
        while self.tenants.len() <= i {
            self.tenants.push(TenantView::default());
            self.patience_s.push(None);
        }
        while self.tenant_names.len() <= i {
            self.tenant_names
                .push(format!("tenant-{}", self.tenant_names.len()));
            self.named.push(false);
        }
        i
    }

    /// Integrate everything piecewise constant up to `now`.
    fn advance(&mut self, now: Time) {
        let now = now.min(self.end);
        if now <= self.last {
            return;
        }
        // In pieces that end at year boundaries, so that yearly figures are exact.
        while self.last < now {
            let to = now.min(self.o.year_end());
            let dt = (to - self.last) as f64;
            if to == self.o.year_end() {
                // Before the accumulator moves to the next year.
                self.account_services(to);
            }
            self.o.integrate(&self.cluster, &self.tenants, dt, to);
            if self.track_usage {
                let decay = 0.5f64.powf(dt / self.halflife_s);
                for t in &mut self.tenants {
                    t.usage_gpu_s = t.usage_gpu_s * decay + t.allocated_gpus as f64 * dt;
                }
            }
            self.last = to;
        }
    }

    fn queued(&self, key: JobKey) -> QueuedJob {
        let a = &self.active[&key];
        let runtime = (a.remaining_ref_s / self.max_rate).ceil() as Time;
        QueuedJob {
            key,
            tenant: a.job.tenant.0,
            gpus: a.gpus,
            submit: a.submit,
            walltime_s: (runtime as f64 * self.walltime_factor).ceil() as Time,
            runtime_s: runtime,
            attained_gpu_s: a.attained_gpu_s,
            placement: if self.tenants[a.job.tenant.0 as usize].sites.is_some() {
                a.job.tenant.0 + 1
            } else {
                0
            },
        }
    }

    fn arrive(&mut self, job: Job) -> Result<(), SimError> {
        let now = self.q.now();
        let key = self.next_key;
        self.next_key += 1;
        let t = self.tenant_index(job.tenant.0);
        let measured = self.windows.is_none_or(|w| w.measured(now as f64));
        if measured {
            self.o.submitted(t);
        }
        let gpus = (job.gpus.ceil() as u32).max(1);
        let a = Active {
            remaining_ref_s: job.duration_s as f64,
            job,
            gpus,
            submit: now,
            first_start: None,
            run: None,
            epoch: 0,
            interruptions: 0,
            preemptions: 0,
            queued_s: 0,
            queued_since: now,
            attained_gpu_s: 0.0,
            site: None,
            across_sites: false,
            measured,
        };
        if self.failures_on && f64::from(gpus) > self.outrun_gpus {
            self.cannot_outrun = self.cannot_outrun.max(gpus);
        }
        if !self.can_ever_hold(gpus, t, now) || self.policy.never_starts(gpus, &self.tenants[t]) {
            // No partition where it may run, in service now or later, will hold it
            // (there is none, or none large enough), or the policy never
            // would start it (over its tenant's quota): refused, its work lost demand.
            if measured {
                self.o.rejected(t, gpus, a.remaining_ref_s);
            }
            return self.log_job(&a, now, JobEnd::Rejected);
        }
        let waiting: u64 = self.tenants.iter().map(|v| v.queued_jobs).sum();
        if waiting >= self.max_waiting as u64 && a.job.duration_s > 0 {
            // The queue is full: refused on arrival, counted as refused and reported.
            if measured {
                self.o.rejected(t, gpus, a.remaining_ref_s);
                self.refused_full += 1;
            }
            return self.log_job(&a, now, JobEnd::Rejected);
        }
        if a.job.duration_s == 0 {
            // Cancelled before it started, in the trace: it ends as it arrives.
            self.active.insert(key, a);
            return self.complete(key, now);
        }
        self.active.insert(key, a);
        self.queue_change(t, gpus, true);
        if self.patience_s[t].is_some() {
            self.arrived.push(key);
        }
        let qj = self.queued(key);
        self.policy.submit(qj);
        Ok(())
    }

    fn handle(&mut self, ev: Ev) -> Result<(), SimError> {
        let now = self.q.now();
        match ev {
            Ev::Finish { key, epoch } => {
                if self
                    .active
                    .get(&key)
                    .is_some_and(|a| a.epoch == epoch && a.run.is_some())
                {
                    self.stop(key, now, Stop::Done);
                    self.complete(key, now)?;
                }
            }
            Ev::Withdraw { key, epoch } => {
                let waiting = self
                    .active
                    .get(&key)
                    .is_some_and(|a| a.epoch == epoch && a.run.is_none());
                if waiting {
                    self.end_waiting(key, now, true)?;
                }
            }
            Ev::Resubmit { key } => {
                if self.active.contains_key(&key) {
                    let qj = self.queued(key);
                    self.policy.submit(qj);
                }
            }
            Ev::Online { partition } => {
                self.cluster.set_online(partition, true);
                if self.failures_on {
                    self.schedule_failure(partition, now);
                }
            }
            Ev::Retire { partition } => {
                let on: Vec<JobKey> = self
                    .active
                    .iter()
                    .filter(|(_, a)| {
                        a.run
                            .as_ref()
                            .is_some_and(|r| Cluster::holds(&r.alloc, partition))
                    })
                    .map(|(k, _)| *k)
                    .collect();
                for key in on {
                    self.interrupt(key, now, false);
                }
                for key in self.replicas_on(partition) {
                    self.lose_replica(key, now);
                }
                self.cluster.set_online(partition, false);
                self.refuse_unholdable(now)?;
            }
            Ev::Failure { partition } => {
                if self.cluster.partitions[partition].online {
                    self.fail(partition, now);
                    self.schedule_failure(partition, now);
                }
            }
            Ev::Repair { partition, node } => self.cluster.node_up_again(partition, node),
            Ev::Scale => self.scale_services(now),
            Ev::Ready => self.services_ready(now),
            Ev::Wake => {}
        }
        Ok(())
    }

    fn finish(mut self, names: &dyn Fn(u32) -> String, stopped_early: bool) -> SimOutcome {
        self.account_services(self.last);
        // Counted from the queue and the running set at the end, per tenant; under time
        // sampling only jobs submitted in measured time, as every other count.
        let mut unfinished = vec![0u64; self.tenants.len()];
        for a in self.active.values().filter(|a| a.measured) {
            unfinished[a.job.tenant.0 as usize] += 1;
        }
        let mut warnings = Vec::new();
        if self.cannot_outrun > 0 {
            let f = self.ckpt;
            warnings.push(format!(
                "jobs of more than {:.0} GPUs (up to {} submitted) may never finish: on that \
                 many GPUs an interruption comes every {:.0} s on average ({:.0} GPU-hours per \
                 interruption), sooner than the {} s restart and {:.0} s checkpoint write",
                self.outrun_gpus.floor(),
                self.cannot_outrun,
                f.gpu_s_per_interruption / f64::from(self.cannot_outrun),
                f.gpu_s_per_interruption / 3600.0,
                f.restart_delay_s,
                f.checkpoint_write_s
            ));
        }
        if self.refused_full > 0 {
            warnings.push(format!(
                "{} jobs arrived to a full queue ({} waiting, the most held) and were refused: \
                 demand is far above what the facility serves",
                crate::units::thousands(self.refused_full),
                crate::units::thousands(self.max_waiting as u64)
            ));
        }
        for (i, v) in self.tenants.iter().enumerate() {
            if v.sites.as_deref().is_some_and(|m| !m.contains(&true)) {
                warnings.push(format!(
                    "tenant \"{}\" may run at no site of this plan (its allowed_countries, \
                     allowed_sites or region admit none): all its work is refused",
                    names(i as u32)
                ));
            }
        }
        for (from, to) in &self.idle_spans {
            warnings.push(format!(
                "no accelerator is in service from {from} to {to}: jobs that arrive then wait \
                 or are refused"
            ));
        }
        let mut out = self
            .o
            .finish(names, &self.tenants, &unfinished, self.end, stopped_early);
        out.warnings = warnings;
        out
    }
}
#[cfg(test)]
mod policy_tests;
#[cfg(test)]
mod residency_tests;
#[cfg(test)]
mod serving_tests;
#[cfg(test)]
pub(crate) mod tests;
