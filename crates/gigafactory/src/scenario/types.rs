use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::units::Date;

use super::access::Call;
pub use super::access::{Prices, TenantClass};
use super::tenant::Tenant;

/// A plan: sites, hardware build phases, budget and economic assumptions.
///
/// Plain data with no behaviour; [`super::load`] reads it from TOML and
/// [`super::validate`] checks it against the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name of the plan, shown in reports.
    pub name: String,
    /// What the plan is and where its figures come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// First day of the horizon.
    pub start: Date,
    /// Length of the horizon, whole years.
    pub years: u32,
    /// Seed of every random stream; the same seed gives the same results.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Money available.
    #[serde(default)]
    pub budget: Budget,
    /// Sites: where hardware stands (may be left out when `[optimize]` takes its
    /// candidates from the catalogue).
    #[serde(default, rename = "site", skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<Site>,
    /// Build phases: hardware put online at a site (may be left out when an `[optimize]`
    /// table asks `gigafactory optimize` to choose them).
    #[serde(default, rename = "build", skip_serializing_if = "Vec::is_empty")]
    pub builds: Vec<Build>,
    /// Economic assumptions overriding the catalogue's defaults.
    #[serde(default)]
    pub economics: Economics,
    /// Power-draw assumptions overriding the catalogue's defaults.
    #[serde(default)]
    pub power: Power,
    /// A job trace to replay (instead of tenants).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<Workload>,
    /// Synthetic tenants (instead of a trace).
    #[serde(default, rename = "tenant", skip_serializing_if = "Vec::is_empty")]
    pub tenants: Vec<Tenant>,
    /// A file of demand that several plans share (its path relative to this file's
    /// folder): its `[demand]`, `[[tenant]]` and `[[shock]]` tables stand for the plan's
    /// own, which it must then leave out, so that every plan that names it meets the same
    /// demand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand_file: Option<String>,
    /// The scheduling policy and its parameters.
    #[serde(default)]
    pub scheduler: Scheduler,
    /// How hardware is grouped.
    #[serde(default)]
    pub cluster: ClusterLayout,
    /// Accelerator failures.
    #[serde(default)]
    pub failures: Failures,
    /// How demand for a new facility builds up.
    #[serde(default)]
    pub demand: Demand,
    /// Training at scale: MFU, the longest run a lab accepts, the frontier trend.
    #[serde(default)]
    pub training: Training,
    /// How inference services scale: the utilisation ceiling, start-up delay, scaling
    /// interval, and what they may preempt.
    #[serde(default)]
    pub serving: ServingRules,
    /// Changes in demand from a date on: efficiency gains, rebounds.
    #[serde(default, rename = "shock", skip_serializing_if = "Vec::is_empty")]
    pub shocks: Vec<Shock>,
    /// Limits on what can be bought.
    #[serde(default)]
    pub procurement: Procurement,
    /// The siting and sizing question for `gigafactory optimize`: the scenario's sites are
    /// the candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimize: Option<Optimize>,
    /// Uncertain inputs, drawn by `gigafactory sweep` (every other command uses the values
    /// the file states).
    #[serde(default, rename = "uncertain", skip_serializing_if = "Vec::is_empty")]
    pub uncertain: Vec<super::uncertain::Uncertain>,
    /// What each class of tenant pays per GPU-hour (issue 19); none: no revenue figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices: Option<Prices>,
    /// Calls for proposals through which tenants receive their time (issue 19).
    #[serde(default, rename = "call", skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<Call>,
}

/// A demand file (a scenario's `demand_file`): the demand several plans share.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandFile {
    /// What the demand is and where its figures come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How demand builds up, and the reference capacity of `load`s.
    #[serde(default)]
    pub demand: Demand,
    /// The tenants.
    #[serde(default, rename = "tenant", skip_serializing_if = "Vec::is_empty")]
    pub tenants: Vec<Tenant>,
    /// Changes in demand from a date on.
    #[serde(default, rename = "shock", skip_serializing_if = "Vec::is_empty")]
    pub shocks: Vec<Shock>,
}

/// What `gigafactory optimize` minimises.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Objective {
    /// Total cost of ownership over the horizon (capex, energy, maintenance, staff, site
    /// fixed costs) for the required capacity: the cost per delivered H100-hour.
    #[default]
    Cost,
    /// Emissions over the horizon.
    Co2,
    /// Cost plus emissions priced at `co2_price_eur_per_t`.
    Weighted,
}

/// The siting and sizing question: which of the scenario's sites (the candidates), and
/// how many of which accelerator at each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Optimize {
    /// What to minimise.
    #[serde(default)]
    pub objective: Objective,
    /// Price of a tonne of CO2e for the `weighted` objective, EUR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co2_price_eur_per_t: Option<f64>,
    /// Accelerators to choose among (catalogue ids).
    pub accelerators: Vec<String>,
    /// Capacity required, in H100-equivalents (accelerators × relative throughput).
    /// Without it, the capacity is as much as the budget buys, and the objective is then
    /// minimised at that capacity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_h100_equivalents: Option<f64>,
    /// Accelerators per hall: each site gets a whole number of halls of one accelerator.
    #[serde(default = "default_hall_gpus")]
    pub hall_gpus: u32,
    /// Fewest sites to open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_sites: Option<u32>,
    /// Most sites to open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_sites: Option<u32>,
    /// Most emissions a year, t CO2e.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub co2_cap_t_per_year: Option<f64>,
    /// At most one accelerator family per site.
    #[serde(default)]
    pub one_family_per_site: bool,
    /// Fixed cost of opening a site (land, permits, a substation), EUR. No catalogue
    /// default: the published building costs are per MW, so 0 unless given.
    #[serde(default)]
    pub site_fixed_cost_eur: f64,
    /// Where the candidates come from: the scenario's `[[site]]` tables, the catalogue's
    /// EuroHPC AI-Factory hosts, or one per catalogue country (each of the last two with
    /// `candidate_grid_mw`).
    #[serde(default)]
    pub candidates: Candidates,
    /// Grid headroom given to each catalogue candidate, MW (nobody publishes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidate_grid_mw: Option<f64>,
}

/// Where the optimiser's candidate sites come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Candidates {
    /// The scenario's `[[site]]` tables.
    #[default]
    Scenario,
    /// The catalogue's EuroHPC AI-Factory host sites (`gigafactory catalog sites`).
    EurohpcSites,
    /// One per catalogue country (`gigafactory catalog countries`).
    Countries,
}

fn default_hall_gpus() -> u32 {
    1024
}

/// Limits on what can be bought.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Procurement {
    /// Yearly caps on deliveries, per accelerator family or per country (export caps).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<Cap>,
    /// Whether and when hardware is replaced with the then-current generation
    /// (`gigafactory catalog roadmap`), within the budget left.
    #[serde(default)]
    pub refresh: Refresh,
}

/// When a build phase is replaced by the then-current generation, in the same power
/// envelope (as many of the new part as the old phase's rated IT power holds, in whole
/// 8-GPU nodes) and within the budget left; the building is reused, so only IT capex is
/// spent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Refresh {
    /// Never: a phase retires at the end of its life and is not replaced.
    #[default]
    None,
    /// At the end of each phase's useful life (`life_years`).
    AtEndOfLife,
    /// When an hour of the phase is worth less at market rent than its running cost
    /// (energy and maintenance), or at the end of its life if that comes first.
    WhenUneconomic,
}

/// At most `units_per_year` accelerators delivered in any calendar year, of one family or
/// to one country. A phase that would exceed it waits for the first year with room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cap {
    /// Accelerator family (`gigafactory catalog accelerators --json` lists each one's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// ISO country code of the sites it applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Accelerators a year.
    pub units_per_year: u32,
}

/// How demand for a new facility builds up (synthetic tenants and inference services).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Demand {
    /// Months over which arrivals rise from nothing to their full rate along an S-curve
    /// (3x² − 2x³) from the start: the chicken-and-egg problem of a new facility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adoption_months: Option<f64>,
    /// The capacity, H100-equivalents, that tenants' `load` is a share of: stated, so that
    /// plans of different sizes meet the same demand (a `load` above 0 requires it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_h100_equivalents: Option<f64>,
}

/// Training at scale, overriding the catalogue (`gigafactory catalog training`): what a
/// site's largest training run is, against the frontier run of each year.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Training {
    /// Model FLOP utilisation of a large run, (0, 1]: achieved over peak dense BF16.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfu: Option<f64>,
    /// The longest a lab lets one training run go, days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_run_days: Option<f64>,
    /// Share of a run's wall-clock time spent training, (0, 1]: the rest is lost to
    /// failures, restarts and checkpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_time: Option<f64>,
    /// Growth of the frontier run's compute, factor a year (4.17 = x4.17 a year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frontier_growth_per_year: Option<f64>,
}

/// The `[serving]` table: how inference services hold replicas (each default from
/// `gigafactory catalog serving`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServingRules {
    /// Replicas are added before their load passes this share of their throughput, (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utilisation_ceiling: Option<f64>,
    /// Seconds from placing a replica to serving.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_s: Option<f64>,
    /// Minutes between scaling decisions (a divisor of 60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_interval_min: Option<u32>,
    /// Share of peak dense BF16 reached while reading prompts, (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefill_mfu: Option<f64>,
    /// What a service takes GPUs back from when it needs them: `batch` (default: batch
    /// jobs are preempted, writing a checkpoint), `batch-and-training` (training
    /// campaigns' runs too), or `none` (the service waits for GPUs to come free).
    #[serde(default)]
    pub preempt: Preempt,
}

/// What an inference service preempts to get GPUs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Preempt {
    /// Batch tenants' jobs, not training campaigns' runs.
    #[default]
    Batch,
    /// Batch jobs and training campaigns' runs.
    BatchAndTraining,
    /// Nothing: the service waits for GPUs to come free (ahead of every queued job).
    None,
}

/// What a demand shock changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShockTarget {
    /// The compute each job needs (its run time on the reference accelerator).
    Compute,
    /// How often jobs arrive.
    Arrivals,
}

/// A change in demand from a date on, multiplying compute per job or arrivals (synthetic
/// tenants only): `factor = 0.5` on `compute` is a DeepSeek-style efficiency gain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Shock {
    /// From this day on.
    pub date: Date,
    /// What it multiplies.
    pub on: ShockTarget,
    /// The factor (> 0).
    pub factor: f64,
    /// The class of tenants it touches; every tenant when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<TenantClass>,
}

/// Scheduling policies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyName {
    /// First come, first served, strictly: the head of the queue blocks the rest.
    #[default]
    Fifo,
    /// FIFO with a reservation for the head job and backfilling of jobs that do not delay it.
    EasyBackfill,
    /// Slurm-style fair share: decayed usage against tenant shares, with backfill.
    FairShare,
    /// Per-tenant GPU caps (Helios's virtual clusters), FIFO within a tenant.
    Quota,
    /// Tiresias-style discretised least attained service, with preemption.
    Las,
    /// Shortest job first with known durations: the ideal to compare with.
    Sjf,
}

/// The scheduling policy and its parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scheduler {
    /// Which policy.
    #[serde(default)]
    pub policy: PolicyName,
    /// Requested wall time as a multiple of a job's true run time (>= 1; default 1,
    /// exact estimates). Backfilling decisions use requested wall times.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub walltime_factor: Option<f64>,
    /// How many queued jobs a backfill pass looks at (default 1,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backfill_depth: Option<u32>,
    /// Seconds between backfill passes (Slurm's `bf_interval`, 30 by default there);
    /// default 0: a pass at every event. Jobs starting in priority order start at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backfill_interval_s: Option<u64>,
    /// Fair share: half-life of past usage, days (default 7, Slurm's PriorityDecayHalfLife).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub halflife_days: Option<f64>,
    /// LAS: attained-service thresholds between queues, GPU-hours (default [1, 10, 100]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub las_thresholds_gpu_h: Option<Vec<f64>>,
}

/// How hardware is grouped into network domains.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterLayout {
    /// Nodes per pod (network domain); default 32.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_nodes: Option<u32>,
    /// Whether a run larger than any one build phase may span phases of the same
    /// accelerator family: within a site at full speed, across sites at a stated
    /// efficiency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cross_site: Option<CrossSite>,
}

impl ClusterLayout {
    /// Where runs may span build phases: their efficiency across sites, the stated one or
    /// the default ([`super::defaults::CROSS_SITE_EFFICIENCY`]); `None` where they may not.
    #[must_use]
    pub fn cross_site_efficiency(&self) -> Option<f64> {
        self.cross_site.filter(|c| c.allowed).map(|c| {
            c.efficiency
                .unwrap_or(super::defaults::CROSS_SITE_EFFICIENCY)
        })
    }
}

/// `[cluster] cross_site`: runs that span build phases (Gemini Ultra and GPT-4.5 were
/// trained across several data centres).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrossSite {
    /// Whether a run larger than any one build phase may span phases (default false: it
    /// is refused and counted).
    #[serde(default)]
    pub allowed: bool,
    /// Throughput of a run across sites over the same run on one site, in (0, 1]; an
    /// assumption (no published figure), default 0.8. Within one site a run spans phases
    /// at full speed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub efficiency: Option<f64>,
}

/// Accelerator failures: each GPU fails as a Poisson process; the job on it restarts from
/// its last checkpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Failures {
    /// Whether GPUs fail at all.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Mean accelerator-hours between interruptions (default: the Llama 3 405B run's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gpu_hours_per_interruption: Option<f64>,
    /// Seconds from an interruption until the job can run again (catalogue default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_delay_s: Option<u64>,
    /// Hours to repair a failed node (catalogue default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repair_h: Option<f64>,
    /// Seconds to write a checkpoint (catalogue default); sets the Young/Daly interval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_write_s: Option<f64>,
    /// Checkpoint interval, seconds, instead of Young/Daly's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint_interval_s: Option<f64>,
    /// Share of each build phase's nodes held back as hot spares, 0 to 0.5 (catalogue
    /// default 5%): no job runs on them; one stands in for a failed node at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spare_fraction: Option<f64>,
}

impl Default for Failures {
    fn default() -> Self {
        Failures {
            enabled: true,
            gpu_hours_per_interruption: None,
            restart_delay_s: None,
            repair_h: None,
            checkpoint_write_s: None,
            checkpoint_interval_s: None,
            spare_fraction: None,
        }
    }
}

fn yes() -> bool {
    true
}

fn default_seed() -> u64 {
    1
}

/// Money available for the plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Capital expenditure available, EUR. Capex is reported against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capex_eur: Option<f64>,
}

/// A place where accelerators stand, with its grid connection and energy prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Name that build phases refer to.
    pub name: String,
    /// ISO country code; fills electricity price and carbon intensity from the catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Grid connection capacity available to the site, MW.
    pub grid_mw: f64,
    /// Power usage effectiveness (facility power / IT power); catalogue default when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pue: Option<f64>,
    /// Electricity price, EUR/kWh, overriding the country's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electricity_eur_per_kwh: Option<f64>,
    /// Grid carbon intensity, gCO2e/kWh, overriding the country's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carbon_g_per_kwh: Option<f64>,
    /// Building cost at this site relative to the catalogue's per-MW figure (1 = as
    /// published).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_cost_multiplier: Option<f64>,
}

/// One phase of hardware at a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Build {
    /// Name of the site (one of the `[[site]]` names).
    pub site: String,
    /// Accelerator, by catalogue id or alias (`gigafactory catalog accelerators`).
    pub accelerator: String,
    /// Number of accelerators.
    pub count: u32,
    /// Day the phase goes into service (or give `ordered` and `lead_time_months`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online: Option<Date>,
    /// Day the phase is ordered: capex is spent then, and it goes into service
    /// `lead_time_months` later (procurement caps may delay it further).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered: Option<Date>,
    /// Months from order to service (the catalogue has no lead times: give one with
    /// `ordered`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time_months: Option<u32>,
    /// Useful life, years; catalogue default when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub life_years: Option<f64>,
    /// Price per accelerator, USD, overriding the catalogue's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_usd: Option<f64>,
    /// Throughput relative to the H100 SXM, overriding the catalogue's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative_throughput: Option<f64>,
}

/// Which end of a catalogue price range to use.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PricePoint {
    /// The low estimate.
    Low,
    /// The midpoint of low and high.
    #[default]
    Mid,
    /// The high estimate.
    High,
}

/// Economic assumptions. Each omitted value takes the catalogue default
/// (`gigafactory catalog defaults` lists them with their sources).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Economics {
    /// Share of accelerator time in use (0-1], until the workload is simulated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumed_utilization: Option<f64>,
    /// Euros per US dollar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eur_per_usd: Option<f64>,
    /// Which end of the catalogue's price range to use.
    #[serde(default)]
    pub price_point: PricePoint,
    /// Server cost as a multiple of the accelerator price (>= 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_multiplier: Option<f64>,
    /// Network cost as a multiple of accelerators plus servers (>= 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_multiplier: Option<f64>,
    /// Building cost, EUR per MW of rated IT load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_eur_per_mw_it: Option<f64>,
    /// Off-site grid connection cost, EUR per MW of rated facility power.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_connection_eur_per_mw: Option<f64>,
    /// Hardware maintenance per year as a share of IT capex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_share_per_year: Option<f64>,
    /// Staff, full-time equivalents per EUR 1 billion of capex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_fte_per_beur_capex: Option<f64>,
    /// Labour cost, EUR per hour worked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labour_cost_eur_per_hour: Option<f64>,
    /// Hours worked per full-time equivalent per year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_fte_year: Option<f64>,
    /// Market rent of an H100-hour, USD, overriding the catalogue's reference point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub market_rent_usd_per_gpu_hour: Option<f64>,
    /// The short economic life to compare with, years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_life_years: Option<f64>,
    /// Yearly change of the market rent (−0.18 = 18% cheaper each year); default: the fit
    /// of the catalogue's H100 rental history.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rent_change_per_year: Option<f64>,
}

/// Power-draw assumptions, as shares of a node's rated maximum (accelerator TDP plus
/// server overhead).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Power {
    /// Draw of a busy node, share of its rated maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub busy_fraction_of_rated: Option<f64>,
    /// Draw of an idle node, share of its rated maximum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_fraction_of_rated: Option<f64>,
}

/// The trace formats a `[workload]` can name and the readers read (adding one is a variant
/// here, its name in [`TraceFormat::ALL`], and its reader in `workload::readers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TraceFormat {
    /// gigafactory's own CSV (`id,tenant,submit_s,gpus,duration_s`, optional columns).
    Native,
    /// Helios (SenseTime, SC'21) `cluster_log.csv`.
    Helios,
    /// Acme (Shanghai AI Lab, NSDI'24) `trace_seren.csv` / `trace_kalos.csv`.
    Acme,
    /// Philly (Microsoft, ATC'19) `cluster_job_log`, one JSON array.
    Philly,
    /// Alibaba PAI 2020 `pai_job_table.csv` with `pai_task_table.csv` beside it.
    Pai2020,
    /// Alibaba GPU 2023 ("openb") `openb_pod_list_*.csv`.
    Openb,
    /// Tiresias simulator input CSV.
    Tiresias,
    /// Standard Workload Format (Parallel Workloads Archive).
    Swf,
}

impl TraceFormat {
    /// Every format, by name.
    pub const ALL: [(TraceFormat, &'static str); 8] = [
        (TraceFormat::Native, "native"),
        (TraceFormat::Helios, "helios"),
        (TraceFormat::Acme, "acme"),
        (TraceFormat::Philly, "philly"),
        (TraceFormat::Pai2020, "pai2020"),
        (TraceFormat::Openb, "openb"),
        (TraceFormat::Tiresias, "tiresias"),
        (TraceFormat::Swf, "swf"),
    ];

    /// The format's name.
    pub fn name(self) -> &'static str {
        TraceFormat::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, n)| *n)
            .unwrap_or("?")
    }

    /// The format called `name`.
    pub fn from_name(name: &str) -> Option<TraceFormat> {
        TraceFormat::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(f, _)| *f)
    }
}

/// A job trace to replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    /// Path of the trace, relative to the scenario file; gzip is read transparently.
    pub trace: String,
    /// Its format; guessed from the file when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<TraceFormat>,
    /// Skip and count malformed records instead of stopping at the first.
    #[serde(default)]
    pub lenient: bool,
    /// For traces whose times have no zone: hours east of UTC (format default otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_hours: Option<f64>,
    /// Factor from the trace's recorded run times to run times on an H100 SXM (e.g. the
    /// trace hardware's throughput relative to an H100: 0.3155 for an A100); default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_scale: Option<f64>,
}
