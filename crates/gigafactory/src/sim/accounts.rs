//! What a simulation records as it runs (GPU-time, energy, money, waits, jobs per tenant,
//! year and phase), and the outcome it makes of that at the end.

use hdrhistogram::Histogram;

use super::TenantView;
use super::outcome::{
    PhaseOutcome, SimOutcome, SiteEnergy, TenantOutcome, YearOutcome, scale_parts,
};
use super::series::SeriesAcc;
use crate::cluster::Cluster;
use crate::engine::Time;
use crate::model::{self, Facility, power};
use crate::units::GREGORIAN_YEAR_DAYS;
use crate::workload::{Job, Outcome};

#[derive(Clone)]
struct TenantAcc {
    submitted: u64,
    completed: u64,
    withdrawn: u64,
    rejected: u64,
    unfinished: u64,
    waits: Histogram<u64>,
    wait_sum: f64,
    queued: Histogram<u64>,
    queued_sum: f64,
    served_gpu_s: f64,
    lost_demand_gpu_s: f64,
    refused_ref_gpu_s: f64,
    tokens: Option<super::Tokens>,
}

impl TenantAcc {
    /// Scale the job counts: submitted on its own, its four ends so that they add up.
    fn scale_jobs(&mut self, weight: f64) {
        self.submitted = (self.submitted as f64 * weight).round() as u64;
        scale_parts(
            &mut [
                &mut self.completed,
                &mut self.withdrawn,
                &mut self.rejected,
                &mut self.unfinished,
            ],
            weight,
        );
    }

    fn new() -> Self {
        TenantAcc {
            submitted: 0,
            completed: 0,
            withdrawn: 0,
            rejected: 0,
            unfinished: 0,
            waits: Histogram::new(3).expect("valid"),
            wait_sum: 0.0,
            queued: Histogram::new(3).expect("valid"),
            queued_sum: 0.0,
            served_gpu_s: 0.0,
            lost_demand_gpu_s: 0.0,
            refused_ref_gpu_s: 0.0,
            tokens: None,
        }
    }
}

struct YearAcc {
    up_gpu_s: Vec<f64>,
    alloc_gpu_s: Vec<f64>,
    value_eur: f64,
    lost_demand_gpu_s: f64,
    refused_jobs: u64,
    refused_ref_gpu_s: f64,
    waits: Histogram<u64>,
    serving_gpu_s: f64,
    tokens: super::Tokens,
    // Each tenant's allocated GPU-s, as `TenantAcc::served_gpu_s` (index: the tenant).
    tenant_gpu_s: Vec<f64>,
}

/// A build phase's schedule and fixed costs, for yearly figures.
struct Phase {
    count: u32,
    online: String,
    retires: String,
    replaces: Option<usize>,
    paid_s: Time,
    online_s: Time,
    retire_s: Time,
    capex_eur: f64,
    fixed_opex_eur_per_year: f64,
}

struct PartAcc {
    site: usize,
    accelerator: String,
    value_eur: f64,
    rated_w: f64,
    up_gpu_s: f64,
    alloc_gpu_s: f64,
    alloc_ref_gpu_s: f64,
}

pub(crate) struct Accumulator {
    parts: Vec<PartAcc>,
    years: Vec<YearAcc>,
    // Ends of the horizon's years, s from the start.
    year_ends: Vec<Time>,
    year: usize,
    // The horizon's first day: its years' numbers and labels.
    start: crate::units::Date,
    phases: Vec<Phase>,
    rent: model::RentCurve,
    start_year: f64,
    sites: Vec<(String, f64, f64, f64)>,
    idle: f64,
    busy: f64,
    tenants: Vec<TenantAcc>,
    waits: Histogram<u64>,
    wait_sum: f64,
    started: u64,
    queued: Histogram<u64>,
    queued_sum: f64,
    jct_sum: f64,
    useful_ref_gpu_s: f64,
    // Inference replicas' GPU-time in H100-equivalents: not jobs' time, so not in goodput.
    serving_ref_gpu_s: f64,
    pub interruptions: u64,
    pub preemptions: u64,
    pub service_preemptions: u64,
    serving_gpu_s: f64,
    // Runs that ran across sites, and their GPU-time while they did.
    pub cross_site_runs: u64,
    pub cross_site_gpu_s: f64,
    // FLOP an H100 delivers a second at the plan's MFU: refused work in FLOP.
    flop_per_h100_s: f64,
    lost_gpu_s: f64,
    checkpoint_gpu_s: f64,
    // Time sampling: only measured time is integrated, weighted by 1 / the measured
    // share; only jobs submitted in measured time are counted, and their totals weighted
    // the same at the end.
    // Inference services are rates simulated over the whole horizon: their hours and
    // tokens are counted over all of it, not only measured time (a window of a day and a
    // half would see a weekday or a weekend, not a week).
    windows: Option<crate::workload::Windows>,
    job_weight: f64,
    service_tenant: Vec<bool>,
    series: SeriesAcc,
    // Scratch: per site, GPUs up and allocated and IT watts of the current piece of time.
    site_up: Vec<f64>,
    site_alloc: Vec<f64>,
    site_it_w: Vec<f64>,
    site_serving: Vec<f64>,
}

fn pct(h: &Histogram<u64>, q: f64) -> f64 {
    if h.is_empty() {
        0.0
    } else {
        h.value_at_quantile(q) as f64
    }
}

/// The mean of the values recorded in `h`, whose sum is `sum` (0 if none).
fn mean(sum: f64, h: &Histogram<u64>) -> f64 {
    if h.is_empty() {
        0.0
    } else {
        sum / h.len() as f64
    }
}

impl Accumulator {
    /// `year_ends`: the end of each year of the horizon, s from the start; `phases`: each
    /// build's (online, retirement) times, s from the start.
    pub(super) fn new(
        f: &Facility,
        cluster: &Cluster,
        year_ends: Vec<Time>,
        phases: &[(Time, Time, Time)],
    ) -> Self {
        let costs = model::phase_costs(f);
        let n = cluster.partitions.len();
        Accumulator {
            years: year_ends
                .iter()
                .map(|_| YearAcc {
                    up_gpu_s: vec![0.0; n],
                    alloc_gpu_s: vec![0.0; n],
                    value_eur: 0.0,
                    lost_demand_gpu_s: 0.0,
                    refused_jobs: 0,
                    refused_ref_gpu_s: 0.0,
                    waits: Histogram::new(3).expect("valid"),
                    serving_gpu_s: 0.0,
                    tokens: super::Tokens::default(),
                    tenant_gpu_s: Vec::new(),
                })
                .collect(),
            year_ends,
            year: 0,
            start: f.start,
            phases: phases
                .iter()
                .zip(&costs)
                .zip(&f.builds)
                .map(|((&(online_s, retire_s, paid_s), c), b)| Phase {
                    count: b.count,
                    online: b.online.to_string(),
                    retires: b.retires_on().to_string(),
                    replaces: b.replaces,
                    paid_s,
                    online_s,
                    retire_s,
                    capex_eur: c.capex_eur,
                    fixed_opex_eur_per_year: c.fixed_opex_eur_per_year,
                })
                .collect(),
            rent: f.params.rent,
            start_year: model::year_of(&f.start),
            parts: cluster
                .partitions
                .iter()
                .map(|p| PartAcc {
                    site: p.site,
                    accelerator: f.builds[p.build].accelerator.clone(),
                    value_eur: 0.0,
                    rated_w: f.builds[p.build].rated_w,
                    up_gpu_s: 0.0,
                    alloc_gpu_s: 0.0,
                    alloc_ref_gpu_s: 0.0,
                })
                .collect(),
            sites: f
                .sites
                .iter()
                .map(|s| {
                    (
                        s.name.clone(),
                        s.pue,
                        s.electricity_eur_per_kwh,
                        s.carbon_g_per_kwh,
                    )
                })
                .collect(),
            idle: f.params.idle_fraction_of_rated,
            busy: f.params.busy_fraction_of_rated,
            tenants: Vec::new(),
            waits: Histogram::new(3).expect("valid"),
            wait_sum: 0.0,
            started: 0,
            queued: Histogram::new(3).expect("valid"),
            queued_sum: 0.0,
            jct_sum: 0.0,
            useful_ref_gpu_s: 0.0,
            serving_ref_gpu_s: 0.0,
            interruptions: 0,
            preemptions: 0,
            service_preemptions: 0,
            serving_gpu_s: 0.0,
            cross_site_runs: 0,
            cross_site_gpu_s: 0.0,
            flop_per_h100_s: f.params.training.flop_per_h100_s(),
            lost_gpu_s: 0.0,
            checkpoint_gpu_s: 0.0,
            windows: None,
            job_weight: 1.0,
            service_tenant: Vec::new(),
            series: SeriesAcc::new(
                f.start.days_since_epoch() * 86_400,
                f.sites.iter().map(|s| s.name.clone()).collect(),
                f.sites
                    .iter()
                    .map(|s| (s.pue, s.electricity_eur_per_kwh, s.carbon_g_per_kwh))
                    .collect(),
            ),
            site_up: vec![0.0; f.sites.len()],
            site_alloc: vec![0.0; f.sites.len()],
            site_it_w: vec![0.0; f.sites.len()],
            site_serving: vec![0.0; f.sites.len()],
        }
    }

    /// Measure only within `w` (time sampling).
    pub(super) fn set_windows(&mut self, w: crate::workload::Windows) {
        self.job_weight = 1.0 / w.measured_fraction();
        self.windows = Some(w);
        self.series.set_windows(w);
    }

    /// Tenants `ts` (by index) are inference services.
    pub(super) fn set_services(&mut self, ts: impl IntoIterator<Item = usize>) {
        for t in ts {
            if self.service_tenant.len() <= t {
                self.service_tenant.resize(t + 1, false);
            }
            self.service_tenant[t] = true;
        }
    }

    pub(super) fn site_name(&self, s: usize) -> &str {
        &self.sites[s].0
    }

    fn tenant(&mut self, t: usize) -> &mut TenantAcc {
        while self.tenants.len() <= t {
            self.tenants.push(TenantAcc::new());
        }
        &mut self.tenants[t]
    }

    /// The end of the current year of the horizon, s from the start.
    pub(super) fn year_end(&self) -> Time {
        self.year_ends.get(self.year).copied().unwrap_or(Time::MAX)
    }

    /// Integrate `dt` seconds (within the current year) and, at `t`, move to the year
    /// containing `t` when the current one has ended. `tenants` gives the queues.
    pub(super) fn integrate(
        &mut self,
        cluster: &Cluster,
        tenants: &[TenantView],
        dt: f64,
        t: Time,
    ) {
        let y = self.year.min(self.years.len().saturating_sub(1));
        let dt_all = dt;
        let dt = self.measured(dt, t);
        // The rent's exact mean over this piece of time, for the value of what was served.
        // Years as the rent curve counts them (dates as fractional Gregorian years).
        let to_years = |s: f64| {
            self.start_year + s / crate::units::SECONDS_PER_DAY as f64 / GREGORIAN_YEAR_DAYS
        };
        let rent = self
            .rent
            .mean(to_years(t as f64 - dt_all), to_years(t as f64));
        for v in [
            &mut self.site_up,
            &mut self.site_alloc,
            &mut self.site_it_w,
            &mut self.site_serving,
        ] {
            v.iter_mut().for_each(|x| *x = 0.0);
        }
        for (i, (acc, p)) in self.parts.iter_mut().zip(&cluster.partitions).enumerate() {
            if p.online {
                // Idle spares are in service (powered, available to stand in).
                let (up, alloc) = (f64::from(p.gpus_working()), f64::from(p.allocated));
                self.site_up[acc.site] += up;
                self.site_alloc[acc.site] += alloc;
                self.site_it_w[acc.site] +=
                    acc.rated_w * (self.idle * up + (self.busy - self.idle) * alloc);
                let serving = f64::from(p.serving);
                let (up, alloc) = (
                    f64::from(p.gpus_working()) * dt,
                    (f64::from(p.allocated) - serving) * dt + serving * dt_all,
                );
                let value = alloc / 3600.0 * p.relative_throughput * rent;
                self.site_serving[acc.site] += serving;
                self.serving_gpu_s += serving * dt_all;
                self.serving_ref_gpu_s += serving * dt_all * p.relative_throughput;
                acc.up_gpu_s += up;
                acc.alloc_gpu_s += alloc;
                acc.alloc_ref_gpu_s += alloc * p.relative_throughput;
                acc.value_eur += value;
                if let Some(ya) = self.years.get_mut(y) {
                    ya.up_gpu_s[i] += up;
                    ya.alloc_gpu_s[i] += alloc;
                    ya.value_eur += value;
                    ya.serving_gpu_s += serving * dt_all;
                }
            }
        }
        // Tenants' hours are integrated as the facility's are, over the same measured
        // time, so that they add up to its allocated hours under every sampling mode.
        for (i, v) in tenants.iter().enumerate() {
            if v.allocated_gpus > 0 {
                let dt = if self.service_tenant.get(i) == Some(&true) {
                    dt_all
                } else {
                    dt
                };
                self.tenant(i).served_gpu_s += v.allocated_gpus as f64 * dt;
                if let Some(ya) = self.years.get_mut(y) {
                    if ya.tenant_gpu_s.len() <= i {
                        ya.tenant_gpu_s.resize(i + 1, 0.0);
                    }
                    ya.tenant_gpu_s[i] += v.allocated_gpus as f64 * dt;
                }
            }
        }
        self.series.add(
            t - dt_all as Time,
            t,
            &self.site_up,
            &self.site_alloc,
            &self.site_it_w,
            &self.site_serving,
            tenants.iter().map(|v| (v.queued_jobs, v.queued_gpus)),
        );
        while t >= self.year_end() && self.year < self.year_ends.len() {
            self.year += 1;
        }
    }

    /// `dt` s ending at `t` as counted: all of it, or under time sampling its measured
    /// part weighted by 1 / the measured share.
    fn measured(&self, dt: f64, t: Time) -> f64 {
        match &self.windows {
            None => dt,
            Some(w) => w.measured_within(t as f64 - dt, t as f64) * self.job_weight,
        }
    }

    /// Service of tenant `t` for `dt` s ending at `to`, at rates `r` ([`super::Tokens::add`]),
    /// counted as the facility's hours are (over all time: services are not sampled in time).
    pub(super) fn serve(&mut self, t: usize, r: [f64; 6], dt: f64) {
        if let Some(y) = self.years.get_mut(self.year) {
            y.tokens.add(r, dt);
        }
        self.tenant(t).tokens.get_or_insert_default().add(r, dt);
    }

    fn this_year(&mut self) -> Option<&mut YearAcc> {
        self.years.get_mut(self.year)
    }

    pub(super) fn submitted(&mut self, t: usize) {
        self.tenant(t).submitted += 1;
    }

    pub(super) fn started(&mut self, t: usize, wait: Time) {
        if let Some(y) = self.this_year() {
            y.waits.record(wait).expect("auto-resizing");
        }
        self.waits.record(wait).expect("auto-resizing");
        self.wait_sum += wait as f64;
        self.started += 1;
        let a = self.tenant(t);
        a.waits.record(wait).expect("auto-resizing");
        a.wait_sum += wait as f64;
    }

    pub(super) fn lost(&mut self, gpu_s: f64) {
        self.lost_gpu_s += gpu_s;
    }

    pub(super) fn checkpoint_overhead(&mut self, gpu_s: f64) {
        self.checkpoint_gpu_s += gpu_s;
    }

    /// A measured job completed `jct` s after its submission, `queued` s of them queued.
    pub(super) fn completed(&mut self, t: usize, job: &Job, jct: Time, queued: Time) {
        self.jct_sum += jct as f64;
        self.queued.record(queued).expect("auto-resizing");
        self.queued_sum += queued as f64;
        if job.outcome == Outcome::Completed {
            // Useful work is what the job asked for, not the whole nodes it may have held.
            self.useful_ref_gpu_s += job.gpus * job.duration_s as f64;
        }
        let a = self.tenant(t);
        a.completed += 1;
        a.queued.record(queued).expect("auto-resizing");
        a.queued_sum += queued as f64;
    }

    pub(super) fn withdrawn(&mut self, t: usize, gpus: u32, remaining_ref_s: f64) {
        if let Some(y) = self.this_year() {
            y.lost_demand_gpu_s += f64::from(gpus) * remaining_ref_s;
        }
        let a = self.tenant(t);
        a.withdrawn += 1;
        a.lost_demand_gpu_s += f64::from(gpus) * remaining_ref_s;
    }

    pub(super) fn rejected(&mut self, t: usize, gpus: u32, remaining_ref_s: f64) {
        let work = f64::from(gpus) * remaining_ref_s;
        if let Some(y) = self.this_year() {
            y.lost_demand_gpu_s += work;
            y.refused_jobs += 1;
            y.refused_ref_gpu_s += work;
        }
        let a = self.tenant(t);
        a.rejected += 1;
        a.lost_demand_gpu_s += work;
        a.refused_ref_gpu_s += work;
    }

    pub(super) fn finish(
        mut self,
        names: &dyn Fn(u32) -> String,
        views: &[TenantView],
        unfinished: &[u64],
        end: Time,
        stopped_early: bool,
    ) -> SimOutcome {
        for (t, &u) in unfinished.iter().enumerate() {
            self.tenant(t).unfinished = u;
        }
        self.weigh_jobs();
        let n = views.len().max(self.tenants.len());
        let _ = self.tenant(n.saturating_sub(1));
        let served: f64 = self.tenants.iter().map(|t| t.served_gpu_s).sum();
        let fairness_jain = self.fairness(views, n, served);

        let sites = self.site_energy();
        let years = self.year_outcomes(end);
        let phases = self.phase_outcomes(end);
        let up: f64 = self.parts.iter().map(|p| p.up_gpu_s).sum();
        let alloc: f64 = self.parts.iter().map(|p| p.alloc_gpu_s).sum();
        let alloc_ref: f64 = self.parts.iter().map(|p| p.alloc_ref_gpu_s).sum();
        let completed: u64 = self.tenants.iter().map(|t| t.completed).sum();
        let tenants = self.tenant_outcomes(names, served);
        let mut out = SimOutcome {
            simulated_s: end,
            stopped_early,
            jobs_submitted: self.tenants.iter().map(|t| t.submitted).sum(),
            jobs_completed: completed,
            jobs_withdrawn: self.tenants.iter().map(|t| t.withdrawn).sum(),
            jobs_rejected: self.tenants.iter().map(|t| t.rejected).sum(),
            jobs_unfinished: self.tenants.iter().map(|t| t.unfinished).sum(),
            utilization: if up > 0.0 { alloc / up } else { 0.0 },
            goodput_fraction: if alloc_ref - self.serving_ref_gpu_s > 0.0 {
                self.useful_ref_gpu_s / (alloc_ref - self.serving_ref_gpu_s)
            } else {
                0.0
            },
            wait_s_mean: if self.started > 0 {
                self.wait_sum / self.started as f64
            } else {
                0.0
            },
            wait_s_p50: pct(&self.waits, 0.5),
            wait_s_p95: pct(&self.waits, 0.95),
            wait_s_p99: pct(&self.waits, 0.99),
            queued_s_mean: mean(self.queued_sum, &self.queued),
            queued_s_p95: pct(&self.queued, 0.95),
            jct_s_mean: if completed > 0 {
                self.jct_sum / completed as f64
            } else {
                0.0
            },
            interruptions: self.interruptions,
            preemptions: self.preemptions,
            service_preemptions: self.service_preemptions,
            serving_gpu_hours: self.serving_gpu_s / 3600.0,
            lost_gpu_hours: self.lost_gpu_s / 3600.0,
            cross_site_runs: self.cross_site_runs,
            cross_site_gpu_hours: self.cross_site_gpu_s / 3600.0,
            checkpoint_overhead_gpu_hours: self.checkpoint_gpu_s / 3600.0,
            fairness_jain,
            energy_mwh: sites.iter().map(|s| s.energy_mwh).sum(),
            electricity_cost_eur: sites.iter().map(|s| s.electricity_cost_eur).sum(),
            co2_t: sites.iter().map(|s| s.co2_t).sum(),
            sites,
            tenants,
            years,
            phases,
            sampling: None,
            warnings: Vec::new(),
            passed_over: None,
            series: self.series.finish(names),
        };
        out.apportion_refusals();
        out
    }

    /// Scale the counts of a run whose jobs stand for more than one each (time sampling).
    fn weigh_jobs(&mut self) {
        let jw = self.job_weight;
        if jw != 1.0 {
            for t in &mut self.tenants {
                t.scale_jobs(jw);
                // Served hours are integrated over measured time, already weighted.
                t.lost_demand_gpu_s *= jw;
                t.refused_ref_gpu_s *= jw;
            }
            for y in &mut self.years {
                y.lost_demand_gpu_s *= jw;
                y.refused_ref_gpu_s *= jw;
            }
            self.lost_gpu_s *= jw;
            self.checkpoint_gpu_s *= jw;
            self.useful_ref_gpu_s *= jw;
            self.jct_sum *= jw;
            self.interruptions = (self.interruptions as f64 * jw).round() as u64;
            self.preemptions = (self.preemptions as f64 * jw).round() as u64;
            self.service_preemptions = (self.service_preemptions as f64 * jw).round() as u64;
            self.cross_site_runs = (self.cross_site_runs as f64 * jw).round() as u64;
            self.cross_site_gpu_s *= jw;
        }
    }

    /// Jain's index over the `n` tenants of served share over entitled share (equal
    /// shares where none is set).
    fn fairness(&self, views: &[TenantView], n: usize, served: f64) -> f64 {
        let shares: Vec<f64> = (0..n)
            .map(|i| views.get(i).map_or(0.0, |v| v.share))
            .collect();
        let equal = shares.iter().all(|s| *s == 0.0);
        let xs: Vec<f64> = (0..n)
            .filter_map(|i| {
                let share = if equal { 1.0 / n as f64 } else { shares[i] };
                (share > 0.0).then(|| self.tenants[i].served_gpu_s / served.max(1e-9) / share)
            })
            .collect();
        let sx: f64 = xs.iter().sum();
        let sx2: f64 = xs.iter().map(|x| x * x).sum();
        if sx2 > 0.0 {
            sx * sx / (xs.len() as f64 * sx2)
        } else {
            1.0
        }
    }

    /// Each site's energy, cost and emissions from its parts' GPU-time.
    fn site_energy(&self) -> Vec<SiteEnergy> {
        let mut sites: Vec<SiteEnergy> = self
            .sites
            .iter()
            .map(|(name, ..)| SiteEnergy {
                name: name.clone(),
                gpu_hours_available: 0.0,
                gpu_hours_allocated: 0.0,
                energy_mwh: 0.0,
                electricity_cost_eur: 0.0,
                co2_t: 0.0,
            })
            .collect();
        for p in &self.parts {
            let (_, pue, price, carbon) = self.sites[p.site];
            // Node draw is linear in allocated GPUs between idle and busy (model::power).
            let it_wh = p.rated_w
                * (self.idle * p.up_gpu_s + (self.busy - self.idle) * p.alloc_gpu_s)
                / 3600.0;
            let mwh = power::facility_mw(it_wh / 1e6, pue);
            let s = &mut sites[p.site];
            s.gpu_hours_available += p.up_gpu_s / 3600.0;
            s.gpu_hours_allocated += p.alloc_gpu_s / 3600.0;
            s.energy_mwh += mwh;
            s.electricity_cost_eur += power::energy_cost_eur(mwh, price);
            s.co2_t += power::co2_t(mwh, carbon);
        }
        sites
    }

    /// Each tenant's figures, named by `names`; `served` is all tenants' GPU-seconds.
    fn tenant_outcomes(&self, names: &dyn Fn(u32) -> String, served: f64) -> Vec<TenantOutcome> {
        self.tenants
            .iter()
            .enumerate()
            .map(|(i, t)| TenantOutcome {
                name: names(i as u32),
                jobs_submitted: t.submitted,
                jobs_completed: t.completed,
                jobs_withdrawn: t.withdrawn,
                jobs_rejected: t.rejected,
                jobs_unfinished: t.unfinished,
                wait_s_mean: if t.waits.is_empty() {
                    0.0
                } else {
                    t.wait_sum / t.waits.len() as f64
                },
                wait_s_p50: pct(&t.waits, 0.5),
                wait_s_p95: pct(&t.waits, 0.95),
                wait_s_p99: pct(&t.waits, 0.99),
                wait_s_by_percentile: if t.waits.is_empty() {
                    Vec::new()
                } else {
                    (0..=100)
                        .map(|q| pct(&t.waits, f64::from(q) / 100.0))
                        .collect()
                },
                queued_s_mean: mean(t.queued_sum, &t.queued),
                queued_s_p95: pct(&t.queued, 0.95),
                served_gpu_hours: t.served_gpu_s / 3600.0,
                share_of_service: if served > 0.0 {
                    t.served_gpu_s / served
                } else {
                    0.0
                },
                lost_demand_gpu_hours: t.lost_demand_gpu_s / 3600.0,
                refused_flop: t.refused_ref_gpu_s * self.flop_per_h100_s,
                tokens: t.tokens,
            })
            .collect()
    }

    fn phase_outcomes(&self, end: Time) -> Vec<PhaseOutcome> {
        let year_s = crate::units::MEAN_YEAR_S;
        self.parts
            .iter()
            .enumerate()
            .zip(&self.phases)
            .map(|((i, p), ph)| {
                let (_, electricity, _) = self.energy(i, p.up_gpu_s, p.alloc_gpu_s);
                let in_service = ph.retire_s.min(end).saturating_sub(ph.online_s) as f64;
                let capex = if ph.paid_s < end { ph.capex_eur } else { 0.0 };
                PhaseOutcome {
                    site: self.sites[p.site].0.clone(),
                    accelerator: p.accelerator.clone(),
                    count: ph.count,
                    online: ph.online.clone(),
                    retires: ph.retires.clone(),
                    replaces: ph.replaces,
                    served_gpu_hours: p.alloc_gpu_s / 3600.0,
                    value_delivered_eur: p.value_eur,
                    cost_eur: capex
                        + electricity
                        + ph.fixed_opex_eur_per_year * in_service / year_s,
                }
            })
            .collect()
    }

    /// (energy MWh, electricity EUR, CO2 t) of `up` and `alloc` GPU-seconds of partition
    /// `p`: node draw is linear in allocated GPUs between idle and busy (model::power).
    fn energy(&self, p: usize, up: f64, alloc: f64) -> (f64, f64, f64) {
        let part = &self.parts[p];
        let (_, pue, price, carbon) = self.sites[part.site];
        let it_wh = part.rated_w * (self.idle * up + (self.busy - self.idle) * alloc) / 3600.0;
        let mwh = power::facility_mw(it_wh / 1e6, pue);
        (
            mwh,
            power::energy_cost_eur(mwh, price),
            power::co2_t(mwh, carbon),
        )
    }

    fn year_outcomes(&self, end: Time) -> Vec<YearOutcome> {
        let mut out = Vec::new();
        let mut from = 0;
        for (k, (y, &to)) in self.years.iter().zip(&self.year_ends).enumerate() {
            if from >= end {
                break;
            }
            let to = to.min(end);
            let span = (to - from) as f64;
            let (mut mwh, mut eur, mut co2) = (0.0, 0.0, 0.0);
            for p in 0..self.parts.len() {
                let e = self.energy(p, y.up_gpu_s[p], y.alloc_gpu_s[p]);
                mwh += e.0;
                eur += e.1;
                co2 += e.2;
            }
            let year_s = crate::units::MEAN_YEAR_S;
            let mut capex = 0.0;
            let mut fixed = 0.0;
            for ph in &self.phases {
                // Paid in the year it is ordered, else comes online (times before the start
                // are 0).
                if (from..to).contains(&ph.paid_s) {
                    capex += ph.capex_eur;
                }
                let overlap = ph.retire_s.min(to).saturating_sub(ph.online_s.max(from)) as f64;
                fixed += ph.fixed_opex_eur_per_year * overlap / year_s;
            }
            let up: f64 = y.up_gpu_s.iter().sum();
            let alloc: f64 = y.alloc_gpu_s.iter().sum();
            out.push(YearOutcome {
                year: self.start.year() + k as i32,
                label: crate::units::year_label(&self.start, k as u32),
                gpus_online: if span > 0.0 { up / span } else { 0.0 },
                capex_eur: capex,
                opex_eur: eur + fixed,
                utilization: if up > 0.0 { alloc / up } else { 0.0 },
                served_gpu_hours: alloc / 3600.0,
                lost_demand_gpu_hours: y.lost_demand_gpu_s / 3600.0,
                jobs_refused: y.refused_jobs,
                refused_flop: y.refused_ref_gpu_s * self.flop_per_h100_s,
                wait_s_p95: pct(&y.waits, 0.95),
                energy_mwh: mwh,
                co2_t: co2,
                market_value_eur: y.value_eur,
                serving_gpu_hours: y.serving_gpu_s / 3600.0,
                tokens: y.tokens,
                served_gpu_hours_by_tenant: (0..self.tenants.len())
                    .map(|i| y.tenant_gpu_s.get(i).map_or(0.0, |s| s / 3600.0))
                    .collect(),
            });
            from = to;
        }
        out
    }
}
