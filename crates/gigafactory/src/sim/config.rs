//! What a simulation needs of a scenario, with every default filled in: resolved once
//! (`SimConfig::resolve`), so that the simulation itself reads neither the scenario nor
//! the catalogue, and a front end or a sweep can change a setting on the resolved value.

use crate::catalog::Catalog;
use crate::engine::Time;
use crate::scenario::{Scenario, defaults};
use crate::units::SECONDS_PER_DAY;

use super::FailureParams;
use crate::sched::PolicyConfig;

/// One tenant's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantConfig {
    /// Its name.
    pub name: String,
    /// Its entitled share of the facility (0 to 1).
    pub share: f64,
    /// GPUs it may hold at once; `None`: its share of the peak capacity.
    pub quota_gpus: Option<u32>,
    /// How long its jobs wait before they are withdrawn; `None`: for ever.
    pub patience_s: Option<Time>,
    /// Where its work may run.
    pub residency: Residency,
}

/// Where a tenant's work may run: the sites its placement and data-residency rules
/// admit. Every rule given must hold; none given, any site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Residency {
    /// Country codes admitted, with their catalogue aliases, upper case (`None`: any
    /// country, and sites without one).
    pub countries: Option<Vec<String>>,
    /// Site names admitted (`None`: any).
    pub sites: Option<Vec<String>>,
}

impl Residency {
    /// The rules of tenant `t`, the countries resolved in `catalog` (`region` to its
    /// member states, intersected with `allowed_countries` where both are given).
    #[must_use]
    pub fn resolve(t: &crate::scenario::Tenant, catalog: &Catalog) -> Residency {
        let codes = |c: &crate::catalog::Country| {
            std::iter::once(c.code.to_ascii_uppercase())
                .chain(c.aliases.iter().map(|a| a.to_ascii_uppercase()))
                .collect::<Vec<_>>()
        };
        let listed: Option<Vec<&crate::catalog::Country>> = t
            .allowed_countries
            .as_ref()
            .map(|cs| cs.iter().filter_map(|c| catalog.country(c)).collect());
        let countries = match (listed, t.region) {
            (None, None) => None,
            (listed, region) => Some(
                listed
                    .unwrap_or_else(|| catalog.countries.iter().collect())
                    .into_iter()
                    .filter(|c| region.is_none_or(|r| r.admits_bloc(&c.bloc)))
                    .flat_map(codes)
                    .collect(),
            ),
        };
        Residency {
            countries,
            sites: t.allowed_sites.clone(),
        }
    }

    /// Whether a site named `name` in country `country` is admitted.
    #[must_use]
    pub fn admits(&self, name: &str, country: Option<&str>) -> bool {
        let country_ok = self
            .countries
            .as_ref()
            .is_none_or(|cs| country.is_some_and(|c| cs.iter().any(|x| x.eq_ignore_ascii_case(c))));
        let site_ok = self
            .sites
            .as_ref()
            .is_none_or(|ss| ss.iter().any(|s| s == name));
        country_ok && site_ok
    }

    /// Which of `sites` are admitted, by index; `None` when there are no rules.
    #[must_use]
    pub fn mask(&self, sites: &[crate::model::SitePlan]) -> Option<std::sync::Arc<[bool]>> {
        if self.countries.is_none() && self.sites.is_none() {
            return None;
        }
        Some(
            sites
                .iter()
                .map(|s| self.admits(&s.name, s.country.as_deref()))
                .collect(),
        )
    }
}

/// A simulation's settings, resolved from a scenario and the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// The seed of every random stream.
    pub seed: u64,
    /// The end of each year of the horizon, s from the start (calendar years by date).
    pub year_ends: Vec<Time>,
    /// Nodes per pod (network domain).
    pub pod_nodes: u32,
    /// Where runs larger than any one build phase may span phases of one accelerator family:
    /// their efficiency across sites (`None`: they may not, and are refused).
    pub cross_site_efficiency: Option<f64>,
    /// Whether nodes fail.
    pub failures_on: bool,
    /// Failure, repair, restart and checkpoint parameters (checkpoints are written on
    /// preemption too, so these hold with failures off).
    pub failures: FailureParams,
    /// Share of each partition's whole nodes held as hot spares (0 with failures off).
    pub spare_fraction: f64,
    /// The tenants, in the scenario's order (none for a trace that names its own).
    pub tenants: Vec<TenantConfig>,
    /// The scheduling policy.
    pub policy: PolicyConfig,
    /// Whether the jobs are generated (arrival times from 0) rather than a trace's
    /// (shifted so that its first job arrives at 0).
    pub generated: bool,
    /// How inference services hold replicas.
    pub serving: super::ServingParams,
    /// The inference services (none until [`SimConfig::with_services`] resolves them on
    /// a facility).
    pub services: Vec<super::ServiceConfig>,
}

impl SimConfig {
    /// The settings of scenario `s`, each defaulting to the catalogue's measured figure or
    /// to the model's choice in `scenario::defaults`.
    #[must_use]
    pub fn resolve(s: &Scenario, catalog: &Catalog) -> SimConfig {
        let sc = &s.scheduler;
        SimConfig {
            seed: s.seed,
            year_ends: year_ends(s),
            pod_nodes: s.cluster.pod_nodes.unwrap_or(defaults::POD_NODES),
            cross_site_efficiency: s.cluster.cross_site_efficiency(),
            failures_on: s.failures.enabled,
            failures: FailureParams::resolve(s, catalog),
            // Hot spares per partition, when nodes fail at all: a share of its whole
            // nodes, rounded (so none under ten nodes at the default 5%).
            spare_fraction: crate::model::spare_fraction(s, catalog),
            tenants: s
                .tenants
                .iter()
                .map(|t| TenantConfig {
                    name: t.name.clone(),
                    share: t.share,
                    quota_gpus: t.quota_gpus,
                    patience_s: t.patience_h.map(|h| (h * 3600.0) as Time),
                    residency: Residency::resolve(t, catalog),
                })
                .collect(),
            policy: PolicyConfig {
                name: sc.policy,
                backfill_depth: sc.backfill_depth.unwrap_or(defaults::BACKFILL_DEPTH) as usize,
                backfill_interval_s: sc
                    .backfill_interval_s
                    .unwrap_or(defaults::BACKFILL_INTERVAL_S),
                las_thresholds_gpu_h: sc
                    .las_thresholds_gpu_h
                    .clone()
                    .unwrap_or_else(|| defaults::LAS_THRESHOLDS_GPU_H.to_vec()),
                halflife_s: sc
                    .halflife_days
                    .unwrap_or(defaults::FAIR_SHARE_HALFLIFE_DAYS)
                    * SECONDS_PER_DAY as f64,
                walltime_factor: sc.walltime_factor.unwrap_or(defaults::WALLTIME_FACTOR),
            },
            generated: s.workload.is_none(),
            serving: super::services::serving_params(s, catalog),
            services: Vec::new(),
        }
    }

    /// The same settings with scenario `s`'s inference services resolved on facility `f`
    /// (a replica's size and throughput depend on each build phase's accelerator).
    #[must_use]
    pub fn with_services(
        mut self,
        s: &Scenario,
        catalog: &Catalog,
        f: &crate::model::Facility,
    ) -> Self {
        self.services = super::services::services(s, catalog, f);
        self
    }

    /// The end of the horizon, s from the start.
    #[must_use]
    pub fn horizon_s(&self) -> Time {
        self.year_ends.last().copied().unwrap_or(0)
    }
}

/// The end of each year of the horizon, seconds from the start: calendar years from the
/// start date.
fn year_ends(s: &Scenario) -> Vec<Time> {
    (1..=s.years)
        .map(|k| s.start.add_years(k).days_since(&s.start) as Time * SECONDS_PER_DAY)
        .collect()
}

impl FailureParams {
    /// The scenario's failure and checkpoint settings, each defaulting to the catalogue's.
    fn resolve(s: &Scenario, catalog: &Catalog) -> FailureParams {
        let fp = &s.failures;
        FailureParams {
            gpu_s_per_interruption: fp
                .gpu_hours_per_interruption
                .unwrap_or_else(|| catalog.failures.gpu_hours_per_interruption())
                * 3600.0,
            restart_delay_s: fp
                .restart_delay_s
                .unwrap_or(catalog.defaults.restart_delay_s.value as Time),
            repair_s: (fp.repair_h.unwrap_or(catalog.defaults.repair_h.value) * 3600.0) as Time,
            checkpoint_write_s: fp
                .checkpoint_write_s
                .unwrap_or(catalog.defaults.checkpoint_write_s.value),
            checkpoint_interval_s: fp.checkpoint_interval_s,
        }
    }
}
