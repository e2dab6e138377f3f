//! What a simulation reports: the outcome and its parts (the accounting that fills them is
//! in `accounts`).

use serde::Serialize;

use super::series::TimeSeries;
use crate::engine::Time;

/// One tenant's results.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct TenantOutcome {
    /// Name.
    pub name: String,
    /// Jobs submitted.
    pub jobs_submitted: u64,
    /// Jobs completed.
    pub jobs_completed: u64,
    /// Jobs withdrawn after waiting past the tenant's patience.
    pub jobs_withdrawn: u64,
    /// Jobs refused: larger than any partition in service less its spare nodes, or than the
    /// tenant's quota, or arriving to a full queue.
    pub jobs_rejected: u64,
    /// Jobs still queued or running at the end.
    pub jobs_unfinished: u64,
    /// Mean wait of jobs that started, s.
    pub wait_s_mean: f64,
    /// Median wait, s.
    pub wait_s_p50: f64,
    /// 95th percentile wait, s.
    pub wait_s_p95: f64,
    /// 99th percentile wait, s.
    pub wait_s_p99: f64,
    /// The wait at each whole percentile 0, 1, ..., 100 of the jobs that started, s: the
    /// wait-time distribution (empty if none started).
    pub wait_s_by_percentile: Vec<f64>,
    /// Mean time its completed jobs spent queued in all (before the first start and after
    /// every interruption or preemption), s.
    pub queued_s_mean: f64,
    /// 95th percentile of the same, s.
    pub queued_s_p95: f64,
    /// GPU-hours its jobs held.
    pub served_gpu_hours: f64,
    /// Its share of all GPU-hours served.
    pub share_of_service: f64,
    /// Reference GPU-hours of work withdrawn or refused unserved.
    pub lost_demand_gpu_hours: f64,
    /// The work of its refused jobs, FLOP (H100-hours at the plan's MFU).
    pub refused_flop: f64,
    /// An inference service's tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<Tokens>,
}

/// Tokens an inference service was asked for and served in time (within the utilisation
/// ceiling of its ready replicas), and the accelerator-hours the served ones took at the
/// catalogue's throughput: how its hours are split between input and output tokens.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Tokens {
    /// Input tokens asked for.
    pub input_demanded: f64,
    /// Output tokens asked for.
    pub output_demanded: f64,
    /// Input tokens served in time.
    pub input_served: f64,
    /// Output tokens served in time.
    pub output_served: f64,
    /// Accelerator-hours the served input tokens took at full load.
    pub input_gpu_hours: f64,
    /// Accelerator-hours the served output tokens took at full load.
    pub output_gpu_hours: f64,
}

impl Tokens {
    /// Add `dt` s at rates `r`: demanded (input, output), served (input, output), and
    /// accelerator-seconds a second for the served (input, output).
    pub(crate) fn add(&mut self, r: [f64; 6], dt: f64) {
        self.input_demanded += r[0] * dt;
        self.output_demanded += r[1] * dt;
        self.input_served += r[2] * dt;
        self.output_served += r[3] * dt;
        self.input_gpu_hours += r[4] * dt / 3600.0;
        self.output_gpu_hours += r[5] * dt / 3600.0;
    }

    /// Every figure times `w`.
    pub(crate) fn scale(&mut self, w: f64) {
        for x in [
            &mut self.input_demanded,
            &mut self.output_demanded,
            &mut self.input_served,
            &mut self.output_served,
            &mut self.input_gpu_hours,
            &mut self.output_gpu_hours,
        ] {
            *x *= w;
        }
    }

    /// Tokens asked for and not served in time.
    pub fn not_served(&self) -> f64 {
        (self.input_demanded + self.output_demanded - self.input_served - self.output_served)
            .max(0.0)
    }

    /// Tokens served in time.
    pub fn served(&self) -> f64 {
        self.input_served + self.output_served
    }
}

/// Energy, cost and emissions of one site over the simulated time.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct SiteEnergy {
    /// Site name.
    pub name: String,
    /// GPU-hours in service.
    pub gpu_hours_available: f64,
    /// GPU-hours allocated to jobs.
    pub gpu_hours_allocated: f64,
    /// Facility energy, MWh.
    pub energy_mwh: f64,
    /// Electricity cost, EUR.
    pub electricity_cost_eur: f64,
    /// Emissions, t CO2e.
    pub co2_t: f64,
}

impl SimOutcome {
    /// Scale a run of a sampled facility back to the whole: totals are multiplied by
    /// `weight`; shares, means and percentiles are kept.
    pub fn scale(&mut self, weight: f64) {
        let n = |x: &mut u64| *x = (*x as f64 * weight).round() as u64;
        n(&mut self.interruptions);
        n(&mut self.preemptions);
        n(&mut self.service_preemptions);
        n(&mut self.cross_site_runs);
        for x in [
            &mut self.serving_gpu_hours,
            &mut self.lost_gpu_hours,
            &mut self.cross_site_gpu_hours,
            &mut self.checkpoint_overhead_gpu_hours,
            &mut self.energy_mwh,
            &mut self.electricity_cost_eur,
            &mut self.co2_t,
        ] {
            *x *= weight;
        }
        for s in &mut self.sites {
            for x in [
                &mut s.gpu_hours_available,
                &mut s.gpu_hours_allocated,
                &mut s.energy_mwh,
                &mut s.electricity_cost_eur,
                &mut s.co2_t,
            ] {
                *x *= weight;
            }
        }
        for t in &mut self.tenants {
            // Submitted on its own; its four ends so that they still add up to it.
            n(&mut t.jobs_submitted);
            scale_parts(
                &mut [
                    &mut t.jobs_completed,
                    &mut t.jobs_withdrawn,
                    &mut t.jobs_rejected,
                    &mut t.jobs_unfinished,
                ],
                weight,
            );
            t.served_gpu_hours *= weight;
            t.lost_demand_gpu_hours *= weight;
            t.refused_flop *= weight;
            if let Some(k) = &mut t.tokens {
                k.scale(weight);
            }
        }
        // The facility's counts are its tenants'.
        let total = |f: fn(&TenantOutcome) -> u64| self.tenants.iter().map(f).sum::<u64>();
        self.jobs_submitted = total(|t| t.jobs_submitted);
        self.jobs_completed = total(|t| t.jobs_completed);
        self.jobs_withdrawn = total(|t| t.jobs_withdrawn);
        self.jobs_rejected = total(|t| t.jobs_rejected);
        self.jobs_unfinished = total(|t| t.jobs_unfinished);
        self.apportion_refusals();
        for y in &mut self.years {
            for x in [
                &mut y.refused_flop,
                &mut y.gpus_online,
                &mut y.capex_eur,
                &mut y.opex_eur,
                &mut y.served_gpu_hours,
                &mut y.lost_demand_gpu_hours,
                &mut y.energy_mwh,
                &mut y.co2_t,
                &mut y.market_value_eur,
                &mut y.serving_gpu_hours,
            ] {
                *x *= weight;
            }
            y.tokens.scale(weight);
            y.served_gpu_hours_by_tenant
                .iter_mut()
                .for_each(|h| *h *= weight);
        }
        self.series.scale(weight);
        for p in &mut self.phases {
            p.served_gpu_hours *= weight;
            p.value_delivered_eur *= weight;
            p.cost_eur *= weight;
        }
    }
}

/// One year of the horizon (years run from the start date, so a horizon starting
/// 2027-01-01 has calendar years).
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct YearOutcome {
    /// Calendar year in which this year of the horizon starts.
    pub year: i32,
    /// The year as the period it is: `2027` for a horizon starting on 1 January, else the
    /// two calendar years it spans, `2027-28` (from the start's day and month).
    pub label: String,
    /// Mean GPUs in service over the year.
    pub gpus_online: f64,
    /// Capex of the build phases that come online this year, EUR.
    pub capex_eur: f64,
    /// Electricity, plus maintenance and staff of the phases in service, EUR.
    pub opex_eur: f64,
    /// Allocated over in-service GPU-time.
    pub utilization: f64,
    /// GPU-hours allocated to jobs.
    pub served_gpu_hours: f64,
    /// Reference GPU-hours of work withdrawn or refused this year.
    pub lost_demand_gpu_hours: f64,
    /// Jobs refused on arrival this year (as `jobs_rejected`; the years add up to it).
    pub jobs_refused: u64,
    /// Their work, FLOP (H100-hours at the plan's MFU, `[training] mfu`).
    pub refused_flop: f64,
    /// 95th percentile wait of jobs that started this year, s.
    pub wait_s_p95: f64,
    /// Facility energy, MWh.
    pub energy_mwh: f64,
    /// Emissions, t CO2e.
    pub co2_t: f64,
    /// Served hours at their market value when served (relative throughput × the rent,
    /// which declines over time), EUR.
    pub market_value_eur: f64,
    /// GPU-hours held by inference services' replicas.
    pub serving_gpu_hours: f64,
    /// Inference services' tokens this year.
    pub tokens: Tokens,
    /// GPU-hours allocated to each tenant, in the order of `tenants`: they add up to
    /// `served_gpu_hours` (issue 19: revenue per year).
    pub served_gpu_hours_by_tenant: Vec<f64>,
}

/// One build phase over the simulated time: what it delivered against what it cost.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct PhaseOutcome {
    /// Site name.
    pub site: String,
    /// Accelerator id.
    pub accelerator: String,
    /// Accelerators.
    pub count: u32,
    /// In service from.
    pub online: String,
    /// Out of service from (after the horizon when it outlives it).
    pub retires: String,
    /// For a refresh: the index of the phase it replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<usize>,
    /// GPU-hours allocated to jobs.
    pub served_gpu_hours: f64,
    /// Those hours at the market value of the time (relative throughput × rent), EUR.
    pub value_delivered_eur: f64,
    /// Capex (if it came online in the simulated time), electricity, maintenance and
    /// staff over the simulated time, EUR.
    pub cost_eur: f64,
}

/// The simulation's results.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct SimOutcome {
    /// Seconds simulated.
    pub simulated_s: Time,
    /// Whether the run stopped before the horizon's end (`--until`).
    pub stopped_early: bool,
    /// Jobs submitted.
    pub jobs_submitted: u64,
    /// Jobs completed.
    pub jobs_completed: u64,
    /// Jobs withdrawn (waited past their tenant's patience).
    pub jobs_withdrawn: u64,
    /// Jobs refused on arrival because no partition could ever hold them.
    pub jobs_rejected: u64,
    /// Jobs still queued or running at the end.
    pub jobs_unfinished: u64,
    /// Allocated GPU-time over GPU-time in service.
    pub utilization: f64,
    /// Useful reference GPU-time (completed work of jobs the trace records as completed)
    /// over jobs' allocated GPU-time in H100-equivalents (inference replicas' time is not
    /// jobs' time: their busy share is each service's own figure).
    pub goodput_fraction: f64,
    /// Mean wait of jobs that started, s.
    pub wait_s_mean: f64,
    /// Median wait, s.
    pub wait_s_p50: f64,
    /// 95th percentile wait, s.
    pub wait_s_p95: f64,
    /// 99th percentile wait, s.
    pub wait_s_p99: f64,
    /// Mean time completed jobs spent queued in all: before their first start and after
    /// every interruption or preemption, s. The waits above stop at the first start, so
    /// only this figure shows the queueing a preempting policy adds.
    pub queued_s_mean: f64,
    /// 95th percentile of the same, s.
    pub queued_s_p95: f64,
    /// Mean time from submission to completion, s.
    pub jct_s_mean: f64,
    /// Jobs interrupted by failures.
    pub interruptions: u64,
    /// Jobs preempted (by the policy, or for a service's replica).
    pub preemptions: u64,
    /// Of those, jobs preempted to make room for an inference service's replica.
    pub service_preemptions: u64,
    /// GPU-hours held by inference services' replicas.
    pub serving_gpu_hours: f64,
    /// GPU-hours of work lost to interruptions (since the last checkpoint).
    pub lost_gpu_hours: f64,
    /// Runs that ran across sites (`[cluster] cross_site`): larger than any one build
    /// phase.
    pub cross_site_runs: u64,
    /// GPU-hours allocated to runs while they ran across sites.
    pub cross_site_gpu_hours: f64,
    /// GPU-hours spent writing checkpoints.
    pub checkpoint_overhead_gpu_hours: f64,
    /// Jain's index over tenants of served share ÷ entitled share (1 = perfectly fair).
    pub fairness_jain: f64,
    /// Facility energy, MWh.
    pub energy_mwh: f64,
    /// Electricity cost, EUR.
    pub electricity_cost_eur: f64,
    /// Emissions, t CO2e.
    pub co2_t: f64,
    /// Per site.
    pub sites: Vec<SiteEnergy>,
    /// Per tenant.
    pub tenants: Vec<TenantOutcome>,
    /// Per year of the horizon simulated.
    pub years: Vec<YearOutcome>,
    /// Per build phase.
    pub phases: Vec<PhaseOutcome>,
    /// Set when a sample of the facility was simulated: how, and by what totals were
    /// scaled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sampling: Option<Sampling>,
    /// What the figures cannot show: conditions a user should know of (e.g. jobs that may
    /// never finish).
    pub warnings: Vec<String>,
    /// For a trace replay: the records the reader passed over (no GPUs, unfinished,
    /// malformed in lenient mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub passed_over: Option<crate::workload::SkipCounts>,
    /// A row per site per hour (written to `timeseries.parquet`, not to JSON).
    #[serde(skip)]
    pub series: TimeSeries,
}

/// How a sampled run was scaled back to the whole facility.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Sampling {
    /// 1 in `factor` accelerators of every build phase were simulated.
    pub factor: u32,
    /// Accelerators simulated (the phases asked for, not refreshes).
    pub simulated_gpus: u64,
    /// Totals (jobs, GPU-hours, energy, money, CO2) were multiplied by this: the full
    /// facility's accelerators over the simulated ones.
    pub weight: f64,
    /// Time sampling, if any: jobs arrived only in windows and were measured in part of
    /// them; totals of measured time were divided by the measured share.
    pub windows: Option<crate::workload::Windows>,
    /// Jobs simulated (before scaling).
    pub jobs_simulated: u64,
    /// The same in words, for reports.
    pub note: String,
}

impl SimOutcome {
    /// Give the years' refusals the facility's count (scaled counts are rounded tenant by
    /// tenant), each year in proportion to its own.
    pub(crate) fn apportion_refusals(&mut self) {
        let target = self.jobs_rejected;
        let sum: u64 = self.years.iter().map(|y| y.jobs_refused).sum();
        if sum > 0 && sum != target {
            let mut parts: Vec<&mut u64> =
                self.years.iter_mut().map(|y| &mut y.jobs_refused).collect();
            scale_parts(&mut parts, target as f64 / sum as f64);
        }
    }
}

/// Scale whole counts by `weight` so that the parts still add up to their scaled whole:
/// each part is rounded down, and the units left over (to the rounded sum of the scaled
/// parts) go to the parts with the largest remainders (Hamilton's method).
pub(crate) fn scale_parts(parts: &mut [&mut u64], weight: f64) {
    let exact: Vec<f64> = parts.iter().map(|p| **p as f64 * weight).collect();
    let target = exact.iter().sum::<f64>().round() as u64;
    let mut floor: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut left = target.saturating_sub(floor.iter().sum());
    let mut order: Vec<usize> = (0..exact.len()).collect();
    order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())));
    for i in order {
        if left == 0 {
            break;
        }
        floor[i] += 1;
        left -= 1;
    }
    for (p, v) in parts.iter_mut().zip(floor) {
        **p = v;
    }
}
