//! Inference services in the simulation: replicas that follow demand, placed ahead of
//! batch work, preempting it where the scenario allows; tokens served and not served in
//! time, integrated as the facility's hours are.
//!
//! The rule: at every scaling step a service holds replicas whose throughput at the
//! utilisation ceiling covers the larger of this step's demand and the next's (the daily
//! profile is known, so the next hour's rise is met ahead); replicas above that are
//! released, newest first. A replica serves once its start-up has passed. Tokens are
//! served in time up to the ceiling times the ready replicas' throughput; the rest of the
//! demand is counted as not served in time.

use super::*;
use crate::catalog::ReplicaSpec;
use crate::scenario::Preempt;

/// Replicas placed together (as many as a node holds, placed and released as one
/// allocation, so that a step costs one placement per node, not one per replica): their
/// allocation, partition and when they start serving.
pub(super) struct Replica {
    key: JobKey,
    alloc: Allocation,
    part: usize,
    // Replicas in this allocation.
    n: u32,
    ready_at: Time,
    // Lost to a failure or a retirement: released, left in place until the list is
    // compacted (so that a loss costs a search, not a shift of the list).
    lost: bool,
}

/// A service's state.
pub(super) struct Service {
    cfg: ServiceConfig,
    // 1 / the sample's weight: a 1-in-k sample serves 1/k of the demand.
    scale: f64,
    // Per partition: tokens a second a replica serves at full load.
    cap: Vec<f64>,
    // In the order placed (so by key, and in the order they become ready): of the first
    // `n_ready`, those not lost serve; `n_lost` are lost.
    replicas: Vec<Replica>,
    n_ready: usize,
    n_lost: usize,
    // Per partition: replicas held, and of them ready (so that a step costs the
    // partitions, not the replicas).
    held_on: Vec<u32>,
    ready_on: Vec<u32>,
    // Demand in this step, tokens a second (input, output).
    rate: (f64, f64),
    // Throughput wanted (at full load), tokens a second.
    wanted: f64,
    // Of the ready replicas: throughput at full load, and accelerator-seconds per served
    // input and output token.
    ready_cap: f64,
    gpu_s_per_token: (f64, f64),
    // Whether it holds less than it wants.
    short: bool,
}

impl Service {
    pub(super) fn new(cfg: &ServiceConfig, weight: f64) -> Service {
        let input_share = cfg.input_share();
        Service {
            cap: cfg
                .replicas
                .iter()
                .map(|r| replica_tokens_per_s(r, input_share))
                .collect(),
            cfg: cfg.clone(),
            scale: 1.0 / weight.max(1e-12),
            replicas: Vec::new(),
            n_ready: 0,
            n_lost: 0,
            held_on: vec![0; cfg.replicas.len()],
            ready_on: vec![0; cfg.replicas.len()],
            rate: (0.0, 0.0),
            wanted: 0.0,
            ready_cap: 0.0,
            gpu_s_per_token: (0.0, 0.0),
            short: false,
        }
    }

    fn held(&self) -> f64 {
        self.held_on
            .iter()
            .zip(&self.cap)
            .map(|(&n, &c)| f64::from(n) * c)
            .sum()
    }

    fn push(&mut self, r: Replica) {
        self.held_on[r.part] += r.n;
        self.replicas.push(r);
    }

    /// The newest replica not lost, once the lost ones after it are dropped.
    fn newest(&mut self) -> Option<&Replica> {
        while self.replicas.last().is_some_and(|r| r.lost) {
            self.replicas.pop();
            self.n_lost -= 1;
            self.n_ready = self.n_ready.min(self.replicas.len());
        }
        self.replicas.last()
    }

    /// Take out the newest replicas (not lost: after [`Service::newest`]).
    fn take_newest(&mut self) -> Replica {
        let r = self.replicas.pop().expect("a replica");
        self.held_on[r.part] -= r.n;
        if self.replicas.len() < self.n_ready {
            self.n_ready -= 1;
            self.ready_on[r.part] -= r.n;
        }
        r
    }

    /// `k` fewer replicas in the newest allocation (not lost, holding more than `k`); its
    /// key and the GPUs to give back.
    fn shrink_newest(&mut self, k: u32) -> (JobKey, u32) {
        let last = self.replicas.len() - 1;
        let ready = last < self.n_ready;
        let gpus = k * self.cfg.replicas[self.replicas[last].part].gpus;
        let r = &mut self.replicas[last];
        debug_assert!(!r.lost && r.n > k);
        r.n -= k;
        self.held_on[r.part] -= k;
        if ready {
            self.ready_on[r.part] -= k;
        }
        (r.key, gpus)
    }

    /// Mark replica `key` lost; its key and allocation, to be released. Compacts the list
    /// once half of it is lost.
    fn lose(&mut self, key: JobKey) -> Option<(JobKey, Allocation, usize)> {
        let k = self.replicas.binary_search_by_key(&key, |r| r.key).ok()?;
        let r = &mut self.replicas[k];
        if r.lost {
            return None;
        }
        r.lost = true;
        let out = (r.key, r.alloc.clone(), r.part);
        let n = r.n;
        self.held_on[out.2] -= n;
        if k < self.n_ready {
            self.ready_on[out.2] -= n;
        }
        self.n_lost += 1;
        if 2 * self.n_lost > self.replicas.len() {
            self.n_ready = self.replicas[..self.n_ready]
                .iter()
                .filter(|r| !r.lost)
                .count();
            self.replicas.retain(|r| !r.lost);
            self.n_lost = 0;
        }
        Some(out)
    }

    fn spec(&self, p: usize) -> &ReplicaSpec {
        &self.cfg.replicas[p]
    }

    /// Recompute what the ready replicas serve at `now`.
    fn refresh(&mut self, now: Time) {
        while let Some(r) = self.replicas.get(self.n_ready)
            && r.ready_at <= now
        {
            if !r.lost {
                self.ready_on[r.part] += r.n;
            }
            self.n_ready += 1;
        }
        let (mut cap, mut gin, mut gout) = (0.0, 0.0, 0.0);
        for (p, &n) in self.ready_on.iter().enumerate() {
            let c = f64::from(n) * self.cap[p];
            let s = &self.cfg.replicas[p];
            cap += c;
            gin += c / s.input_tokens_per_s;
            gout += c / s.output_tokens_per_s;
        }
        self.ready_cap = cap;
        self.gpu_s_per_token = if cap > 0.0 {
            (gin / cap, gout / cap)
        } else {
            (0.0, 0.0)
        };
    }
}

impl Sim<'_> {
    /// A scaling step: every service's demand for the step, and its replicas set to it.
    pub(super) fn scale_services(&mut self, now: Time) {
        self.account_services(now);
        let interval = self.serving.interval_s;
        let ceiling = self.serving.ceiling;
        for i in 0..self.services.len() {
            let s = &mut self.services[i];
            let (a, b) = s.cfg.rate(now);
            let (c, d) = s.cfg.rate(now + interval);
            s.rate = (a * s.scale, b * s.scale);
            s.wanted = (a + b).max(c + d) * s.scale / ceiling;
            // Release the newest replicas while the rest still cover what is wanted.
            loop {
                let s = &mut self.services[i];
                let Some((part, n)) = s.newest().map(|r| (r.part, r.n)) else {
                    break;
                };
                let excess = ((s.held() - s.wanted + 1e-9) / s.cap[part]).floor();
                if excess < 1.0 {
                    break;
                }
                if excess < f64::from(n) {
                    let (key, gpus) = s.shrink_newest(excess as u32);
                    let r = s.replicas.last_mut().expect("the newest");
                    self.cluster.shrink(key, &mut r.alloc, gpus);
                    self.cluster.partitions[part].serving -= gpus;
                    let t = s.cfg.tenant;
                    self.tenants[t].allocated_gpus -= u64::from(gpus);
                    break;
                }
                let r = s.take_newest();
                self.release_replica(i, r.key, &r.alloc, r.part);
            }
            self.grow(i, now, self.serving.preempt != Preempt::None);
        }
        let next = now + interval;
        if next < self.end {
            self.q.schedule(next, Ev::Scale);
        }
    }

    /// Add replicas to service `i` until it holds what it wants, preempting batch work if
    /// `preempt`; the replicas serve after the start-up.
    pub(super) fn grow(&mut self, i: usize, now: Time, preempt: bool) {
        self.account_services(now);
        let mut added = false;
        self.services[i].short = false;
        while self.services[i].held() < self.services[i].wanted - 1e-9 {
            let Some(p) = self.room_for(i, preempt, now) else {
                self.services[i].short = true;
                break;
            };
            let key = self.next_key;
            self.next_key += 1;
            // As many of the replicas still wanted as one node holds, where a node has room.
            let s = &self.services[i];
            let gpus = s.spec(p).gpus;
            let want = ((s.wanted - s.held() - 1e-9) / s.cap[p]).ceil().max(1.0);
            let per_node = (u32::from(crate::cluster::GPUS_PER_NODE) / gpus).max(1);
            let mut n = (want.min(f64::from(per_node))) as u32;
            if n > 1 && !self.cluster.fits(p, n * gpus) {
                n = 1;
            }
            let gpus = n * gpus;
            let alloc = self.cluster.place_in(key, gpus, p);
            self.cluster.partitions[p].serving += gpus;
            let t = self.services[i].cfg.tenant;
            self.tenants[t].allocated_gpus += u64::from(gpus);
            self.replica_of.insert(key, i);
            let ready_at = now + self.serving.startup_s;
            self.services[i].push(Replica {
                key,
                alloc,
                part: p,
                n,
                ready_at,
                lost: false,
            });
            added = true;
        }
        self.services[i].refresh(now);
        if added && self.serving.startup_s > 0 {
            self.q.schedule(now + self.serving.startup_s, Ev::Ready);
        }
    }

    /// A partition with room for one more replica of service `i`, at a site its tenant
    /// may use: the one serving the most tokens per accelerator, then the one with the
    /// most free accelerators. Failing that, and if `preempt`, room made there by
    /// preempting batch jobs (latest expected end first).
    fn room_for(&mut self, i: usize, preempt: bool, now: Time) -> Option<usize> {
        let s = &self.services[i];
        let sites = self.sites_of(s.cfg.tenant);
        let per_gpu = |p: usize| s.cap[p] / f64::from(s.spec(p).gpus);
        let best = |c: &Cluster, need_room: bool| {
            (0..c.partitions.len())
                .filter(|&p| c.partitions[p].online && sites.admit(c.partitions[p].site))
                .filter(|&p| !need_room || c.fits(p, s.spec(p).gpus))
                .filter(|&p| {
                    let part = &c.partitions[p];
                    part.gpus_up.saturating_sub(part.serving) >= s.spec(p).gpus
                })
                .max_by(|&a, &b| {
                    per_gpu(a).total_cmp(&per_gpu(b)).then(
                        (c.partitions[a].gpus_up - c.partitions[a].allocated)
                            .cmp(&(c.partitions[b].gpus_up - c.partitions[b].allocated)),
                    )
                })
        };
        if let Some(p) = best(&self.cluster, true) {
            return Some(p);
        }
        if !preempt {
            return None;
        }
        let p = best(&self.cluster, false)?;
        let gpus = s.spec(p).gpus;
        let victims: Vec<JobKey> = self
            .running
            .by_end
            .iter()
            .rev()
            .filter(|(_, (_, part))| *part as usize == p)
            .map(|((_, k), _)| *k)
            .filter(|k| {
                self.active
                    .get(k)
                    .is_some_and(|a| !self.serving.protected.contains(&(a.job.tenant.0 as usize)))
            })
            .take(256)
            .collect();
        for key in victims {
            self.preempt(key, now);
            self.o.service_preemptions += 1;
            if self.cluster.fits(p, gpus) {
                return Some(p);
            }
        }
        None
    }

    /// Give back replica `key` of service `i`, on `alloc` in partition `part`.
    fn release_replica(&mut self, i: usize, key: JobKey, alloc: &Allocation, part: usize) {
        let gpus = alloc.gpus();
        self.cluster.release(key, alloc);
        self.cluster.partitions[part].serving -= gpus;
        let t = self.services[i].cfg.tenant;
        self.tenants[t].allocated_gpus -= u64::from(gpus);
        self.replica_of.remove(&key);
    }

    /// Replica `key` is lost (its node failed, its phase retired): released; its service
    /// replaces it at the next step.
    pub(super) fn lose_replica(&mut self, key: JobKey, now: Time) {
        let Some(i) = self.replica_of.get(&key).copied() else {
            return;
        };
        self.account_services(now);
        let Some((key, alloc, part)) = self.services[i].lose(key) else {
            return;
        };
        self.release_replica(i, key, &alloc, part);
        self.services[i].short = true;
        self.services[i].refresh(now);
    }

    /// Whether `key` is a service's replica.
    pub(super) fn is_replica(&self, key: JobKey) -> bool {
        self.replica_of.contains_key(&key)
    }

    /// The replicas on partition `p`.
    pub(super) fn replicas_on(&self, p: usize) -> Vec<JobKey> {
        self.services
            .iter()
            .flat_map(|s| s.replicas.iter())
            .filter(|r| !r.lost && Cluster::holds(&r.alloc, p))
            .map(|r| r.key)
            .collect()
    }

    /// Replicas started earlier are ready now.
    pub(super) fn services_ready(&mut self, now: Time) {
        self.account_services(now);
        for s in &mut self.services {
            s.refresh(now);
        }
    }

    /// Between steps: services short of replicas take GPUs as they come free, ahead of
    /// queued jobs (without preempting).
    pub(super) fn serve_waiting(&mut self, now: Time) {
        for i in 0..self.services.len() {
            if self.services[i].short {
                self.grow(i, now, false);
            }
        }
    }

    /// Account the services' tokens from where they were last accounted to `to`, at the
    /// rates and ready replicas that held since (callers account before changing either).
    pub(super) fn account_services(&mut self, to: Time) {
        if to <= self.served_to {
            return;
        }
        let dt = (to - self.served_to) as f64;
        self.served_to = to;
        let ceiling = self.serving.ceiling;
        for s in &self.services {
            let demand = s.rate.0 + s.rate.1;
            let served = demand.min(ceiling * s.ready_cap);
            let share = if demand > 0.0 { served / demand } else { 0.0 };
            let (sin, sout) = (s.rate.0 * share, s.rate.1 * share);
            self.o.serve(
                s.cfg.tenant,
                [
                    s.rate.0,
                    s.rate.1,
                    sin,
                    sout,
                    sin * s.gpu_s_per_token.0,
                    sout * s.gpu_s_per_token.1,
                ],
                dt,
            );
        }
    }
}
