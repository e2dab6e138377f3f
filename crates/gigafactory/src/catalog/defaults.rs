use serde::{Deserialize, Serialize};

/// A default value with its source.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sourced {
    /// The value, in the unit its name gives.
    pub value: f64,
    /// Where it comes from.
    pub source: String,
}

/// Default economic and power parameters; a scenario may override each.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    /// Euros per US dollar.
    pub eur_per_usd: Sourced,
    /// Server cost as a multiple of the accelerator price.
    pub server_multiplier: Sourced,
    /// Network cost as a multiple of server and accelerator cost.
    pub network_multiplier: Sourced,
    /// Building cost, EUR per MW of IT load.
    pub building_eur_per_mw_it: Sourced,
    /// Off-site grid connection cost, EUR per MW of facility power.
    pub grid_connection_eur_per_mw: Sourced,
    /// Hardware maintenance per year, as a share of the IT purchase cost.
    pub maintenance_share_per_year: Sourced,
    /// Staff, full-time equivalents per EUR 1 billion of capex.
    pub staff_fte_per_beur_capex: Sourced,
    /// Labour cost, EUR per hour worked.
    pub labour_cost_eur_per_hour: Sourced,
    /// Hours worked per full-time equivalent per year.
    pub hours_per_fte_year: Sourced,
    /// Share of accelerator time in use, until the workload is simulated.
    pub assumed_utilization: Sourced,
    /// Power usage effectiveness when a site gives none.
    pub pue: Sourced,
    /// Useful life of hardware, years, when a build gives none.
    pub life_years: Sourced,
    /// The short economic life to compare with, years.
    pub short_life_years: Sourced,
    /// Draw of a busy node as a share of its rated maximum.
    pub busy_fraction_of_rated: Sourced,
    /// Draw of an idle node as a share of its rated maximum.
    pub idle_fraction_of_rated: Sourced,
    /// Seconds to write a checkpoint.
    pub checkpoint_write_s: Sourced,
    /// Seconds from an interruption until the job runs again.
    pub restart_delay_s: Sourced,
    /// Hours to repair a failed node.
    pub repair_h: Sourced,
    /// Share of each partition's nodes held back as hot spares (when failures are on).
    pub spare_fraction: Sourced,
}

impl Defaults {
    /// Every default as (name, value, source), in file order.
    pub fn entries(&self) -> Vec<(&'static str, &Sourced)> {
        vec![
            ("eur_per_usd", &self.eur_per_usd),
            ("server_multiplier", &self.server_multiplier),
            ("network_multiplier", &self.network_multiplier),
            ("building_eur_per_mw_it", &self.building_eur_per_mw_it),
            (
                "grid_connection_eur_per_mw",
                &self.grid_connection_eur_per_mw,
            ),
            (
                "maintenance_share_per_year",
                &self.maintenance_share_per_year,
            ),
            ("staff_fte_per_beur_capex", &self.staff_fte_per_beur_capex),
            ("labour_cost_eur_per_hour", &self.labour_cost_eur_per_hour),
            ("hours_per_fte_year", &self.hours_per_fte_year),
            ("assumed_utilization", &self.assumed_utilization),
            ("pue", &self.pue),
            ("life_years", &self.life_years),
            ("short_life_years", &self.short_life_years),
            ("busy_fraction_of_rated", &self.busy_fraction_of_rated),
            ("idle_fraction_of_rated", &self.idle_fraction_of_rated),
            ("checkpoint_write_s", &self.checkpoint_write_s),
            ("restart_delay_s", &self.restart_delay_s),
            ("repair_h", &self.repair_h),
            ("spare_fraction", &self.spare_fraction),
        ]
    }
}
