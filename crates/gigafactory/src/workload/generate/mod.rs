//! Synthetic tenants: jobs generated from job-mix presets fitted to published traces.
//!
//! Each tenant's arrivals are a non-homogeneous Poisson process (by thinning): a base rate
//! set by the tenant's offered load, growing by `growth_per_year`, optionally with a daily
//! cycle and a weekend factor. Sizes, run times and outcomes come from the tenant's preset.
//! Every tenant has its own random streams for arrivals, sizes, durations and outcomes,
//! so that changing one tenant, or a policy downstream, reshuffles nothing else.

mod campaign;
mod dist;
pub mod presets;

use crate::workload::Windows;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub use campaign::{Campaign, PurposeMix, allocated_gpus};
pub use dist::{Stream, TruncLogNormal, normal_cdf, purpose};
pub use presets::{PRESETS, Preset, PublishedSummary, preset, published};

use super::{Job, Outcome, TenantId, Tenants};

/// Seconds in a mean year, for growth per year.
pub const YEAR_S: f64 = crate::units::MEAN_YEAR_S;

/// One synthetic tenant.
#[derive(Debug, Clone)]
pub struct TenantSpec {
    /// Name.
    pub name: String,
    /// What its jobs are drawn from.
    pub mix: Mix,
    /// Offered GPU-time at the start: H100-equivalent GPUs kept busy on average (the
    /// tenant's absolute demand, or its load times a capacity, resolved by the caller).
    pub offered_h100: f64,
    /// Growth of the arrival rate per year (0.5 = +50% a year).
    pub growth_per_year: f64,
    /// Daily cycle: the rate swings by ± this share around its mean, peaking at 14:00.
    pub daily_amplitude: f64,
    /// Rate on Saturdays and Sundays relative to weekdays.
    pub weekend_factor: f64,
    /// Seconds over which arrivals rise from nothing to their full rate (S-curve
    /// 3x² − 2x³); 0 for none.
    pub adoption_s: f64,
    /// Demand shocks that touch this tenant, by time.
    pub shocks: Vec<TenantShock>,
    /// A tenant whose time comes through calls: from each time on (s), its offered
    /// H100-equivalents, the largest of which is `offered_h100` (empty: none, the rate is
    /// `offered_h100` throughout).
    pub allocation: Vec<(f64, f64)>,
}

/// What a tenant's jobs are drawn from.
#[derive(Debug, Clone)]
pub enum Mix {
    /// A job-mix preset fitted to a published trace (boxed: it is ten times the size of
    /// a campaign's handle).
    Preset(Box<Preset>),
    /// A training campaign's purposes.
    Campaign(Campaign),
    /// No jobs: an inference service, whose replicas the simulation places itself.
    Service,
}

impl Mix {
    /// Mean H100 GPU-seconds per job.
    pub fn mean_gpu_s(&self) -> f64 {
        match self {
            Mix::Preset(p) => p.mean_gpus() * p.mean_duration_s(),
            Mix::Campaign(c) => c.mean_gpu_s(),
            Mix::Service => 1.0,
        }
    }

    /// The most GPUs one job takes.
    pub fn largest_gpus(&self) -> u32 {
        match self {
            Mix::Preset(p) => p.sizes.last().map_or(1, |x| x.0),
            Mix::Campaign(c) => c.largest_gpus(),
            Mix::Service => 0,
        }
    }
}

/// A demand shock as a tenant sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TenantShock {
    /// From this time on, s.
    pub at_s: f64,
    /// Multiplies compute per job (true) or the arrival rate (false).
    pub on_compute: bool,
    /// The factor.
    pub factor: f64,
}

impl TenantSpec {
    fn arrival_factor(&self, t: f64) -> f64 {
        let ramp = if self.adoption_s > 0.0 && t < self.adoption_s {
            let x = t / self.adoption_s;
            x * x * (3.0 - 2.0 * x)
        } else {
            1.0
        };
        let shocks: f64 = self
            .shocks
            .iter()
            .filter(|s| !s.on_compute && t >= s.at_s)
            .map(|s| s.factor)
            .product();
        ramp * shocks * self.allocated(t)
    }

    /// Its calls' awards at `t` over their most (1 without calls).
    fn allocated(&self, t: f64) -> f64 {
        if self.allocation.is_empty() || self.offered_h100 <= 0.0 {
            return 1.0;
        }
        let i = self.allocation.partition_point(|a| a.0 <= t);
        i.checked_sub(1)
            .map_or(0.0, |i| self.allocation[i].1 / self.offered_h100)
    }

    fn compute_factor(&self, t: f64) -> f64 {
        self.shocks
            .iter()
            .filter(|s| s.on_compute && t >= s.at_s)
            .map(|s| s.factor)
            .product()
    }

    /// An upper bound of [`TenantSpec::arrival_factor`] over all time.
    fn arrival_factor_bound(&self) -> f64 {
        self.shocks
            .iter()
            .filter(|s| !s.on_compute)
            .map(|s| s.factor.max(1.0))
            .product()
    }
}

impl Preset {
    /// Mean GPUs per job.
    pub fn mean_gpus(&self) -> f64 {
        self.sizes.iter().map(|(k, p)| *k as f64 * p).sum()
    }

    /// Mean run time, s.
    pub fn mean_duration_s(&self) -> f64 {
        self.short_weight * self.short.mean() + (1.0 - self.short_weight) * self.long.mean()
    }
}

struct TenantGen {
    id: TenantId,
    spec: TenantSpec,
    cumulative_sizes: Vec<(u32, f64)>,
    arrivals: Stream,
    sizes: Stream,
    durations: Stream,
    outcomes: Stream,
    rate0: f64,
    norm: f64,
    start_weekday: u32,
    t: f64,
    windows: Option<Windows>,
}

impl TenantGen {
    fn rate(&self, t: f64) -> f64 {
        let s = &self.spec;
        let day = if s.daily_amplitude == 0.0 {
            1.0
        } else {
            let hour = (t / 3600.0).rem_euclid(24.0);
            1.0 + s.daily_amplitude * (std::f64::consts::TAU * (hour - 14.0) / 24.0).cos()
        };
        let week = if s.weekend_factor == 1.0 {
            1.0
        } else {
            let weekday =
                ((t / 86_400.0).floor() as i64 + i64::from(self.start_weekday)).rem_euclid(7);
            if weekday >= 5 { s.weekend_factor } else { 1.0 }
        };
        self.rate0 * (1.0 + s.growth_per_year).powf(t / YEAR_S) * day * week / self.norm
            * s.arrival_factor(t)
    }

    /// The next arrival time after `self.t`, by thinning against a bound valid for a day.
    fn next_arrival(&mut self, horizon: f64) -> Option<f64> {
        let s = &self.spec;
        if self.rate0 <= 0.0 {
            return None;
        }
        let peak = (1.0 + s.daily_amplitude) * s.weekend_factor.max(1.0) / self.norm
            * s.arrival_factor_bound();
        loop {
            let window_end = self.t + 86_400.0;
            let bound =
                self.rate0 * (1.0 + s.growth_per_year).max(1.0).powf(window_end / YEAR_S) * peak;
            let cand = self.t + self.arrivals.exponential(1.0 / bound);
            if cand > window_end {
                // Memoryless: restart from the window's end with a fresh bound.
                self.t = window_end;
            } else if self.windows.is_some_and(|w| !w.active(cand)) {
                // Time sampling: no arrivals between windows; restart at the next one.
                self.t = self.windows.map_or(cand, |w| w.next_active(cand));
            } else {
                self.t = cand;
                if self.arrivals.uniform() * bound <= self.rate(cand) {
                    break;
                }
            }
            if self.t >= horizon {
                return None;
            }
        }
        (self.t < horizon).then_some(self.t)
    }

    fn job(&mut self, id: u64, submit_s: i64) -> Job {
        let compute = self.spec.compute_factor(submit_s as f64);
        let (gpus, d, outcome, kind) = match &self.spec.mix {
            Mix::Preset(p) => {
                let u = self.sizes.uniform();
                let gpus = self
                    .cumulative_sizes
                    .iter()
                    .find(|(_, c)| u < *c)
                    .map_or(self.cumulative_sizes.last().map_or(1, |x| x.0), |x| x.0);
                let short = self.durations.uniform() < p.short_weight;
                let d = if short {
                    p.short.sample(&mut self.durations)
                } else {
                    p.long.sample(&mut self.durations)
                };
                let q = if short {
                    p.outcome_short
                } else {
                    p.outcome_long
                };
                let u = self.outcomes.uniform();
                let outcome = if u < q[0] {
                    Outcome::Completed
                } else if u < q[0] + q[1] {
                    Outcome::Cancelled
                } else {
                    Outcome::Failed
                };
                (gpus, d, outcome, None)
            }
            Mix::Campaign(c) => {
                // The purpose, then its size and run time: every run completes (the
                // simulation's failures interrupt and restart it).
                let mut u = self.sizes.uniform();
                let m = c
                    .purposes
                    .iter()
                    .find(|m| {
                        u -= m.job_probability;
                        u < 0.0
                    })
                    .or(c.purposes.last())
                    .expect("a campaign has purposes");
                let gpus = allocated_gpus(m.gpus.sample(&mut self.sizes));
                let d = m.duration_s.sample(&mut self.durations);
                (gpus, d, Outcome::Completed, Some(m.kind))
            }
            Mix::Service => unreachable!("a service's rate is 0: it draws no job"),
        };
        Job {
            id,
            tenant: self.id,
            submit_s,
            gpus: f64::from(gpus),
            duration_s: (d * compute).round().max(1.0) as u64,
            outcome,
            kind,
            wall_time_s: None,
            retries: 0,
        }
    }
}

/// Jobs of several synthetic tenants, merged in submit order.
pub struct Generator {
    tenants: Tenants,
    gens: Vec<TenantGen>,
    heap: BinaryHeap<Reverse<(i64, usize)>>,
    horizon_s: f64,
    next_id: u64,
}

impl Generator {
    /// Tenants `specs`, for `horizon_s` seconds from time 0, which falls on weekday
    /// `start_weekday` (0 = Monday) at midnight. The jobs do not depend on the facility:
    /// the same specs give the same jobs to any plan.
    pub fn new(specs: &[TenantSpec], horizon_s: f64, start_weekday: u32, seed: u64) -> Self {
        let mut tenants = Tenants::default();
        let mut gens: Vec<TenantGen> = specs
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut acc = 0.0;
                let cumulative_sizes = match &s.mix {
                    Mix::Preset(p) => p
                        .sizes
                        .iter()
                        .map(|(k, p)| {
                            acc += p;
                            (*k, acc)
                        })
                        .collect(),
                    Mix::Campaign(_) | Mix::Service => Vec::new(),
                };
                let gpu_s_per_job = s.mix.mean_gpu_s();
                let i = i as u64;
                TenantGen {
                    id: tenants.intern(&s.name),
                    cumulative_sizes,
                    arrivals: Stream::new(seed, i, purpose::ARRIVALS),
                    sizes: Stream::new(seed, i, purpose::SIZES),
                    durations: Stream::new(seed, i, purpose::DURATIONS),
                    outcomes: Stream::new(seed, i, purpose::OUTCOMES),
                    rate0: s.offered_h100 / gpu_s_per_job,
                    norm: (5.0 + 2.0 * s.weekend_factor) / 7.0,
                    start_weekday,
                    t: 0.0,
                    windows: None,
                    spec: s.clone(),
                }
            })
            .collect();
        let mut heap = BinaryHeap::new();
        for (i, g) in gens.iter_mut().enumerate() {
            if let Some(t) = g.next_arrival(horizon_s) {
                heap.push(Reverse((t as i64, i)));
            }
        }
        Generator {
            tenants,
            gens,
            heap,
            horizon_s,
            next_id: 0,
        }
    }

    /// Tenant names.
    pub fn tenants(&self) -> &Tenants {
        &self.tenants
    }

    /// Jobs arriving only in the active parts of `windows` (time sampling): the same
    /// arrival process, observed in windows.
    pub fn with_windows(mut self, windows: Windows) -> Self {
        self.heap.clear();
        for (i, g) in self.gens.iter_mut().enumerate() {
            g.windows = Some(windows);
            g.t = 0.0;
            if let Some(t) = g.next_arrival(self.horizon_s) {
                self.heap.push(Reverse((t as i64, i)));
            }
        }
        self
    }

    /// Expected number of arrivals over the horizon (the rates integrated hour by hour),
    /// to size a sample before running.
    pub fn expected_jobs(&self) -> f64 {
        let step = 3600.0;
        let steps = (self.horizon_s / step).ceil() as usize;
        self.gens
            .iter()
            .map(|g| {
                (0..steps)
                    .map(|k| g.rate((k as f64 + 0.5) * step) * step)
                    .sum::<f64>()
            })
            .sum()
    }
}

impl Iterator for Generator {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        let Reverse((t, i)) = self.heap.pop()?;
        self.next_id += 1;
        let job = self.gens[i].job(self.next_id, t);
        if let Some(next) = self.gens[i].next_arrival(self.horizon_s) {
            self.heap.push(Reverse((next as i64, i)));
        }
        Some(job)
    }
}

#[cfg(test)]
mod tests;
