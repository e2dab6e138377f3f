//! Money: capex, opex, depreciation and break-even rent. Pure functions.

use serde::Serialize;

use crate::units::HOURS_PER_YEAR;

/// Capital expenditure, by part, EUR.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Capex {
    /// Accelerators (or whole systems, for system-priced parts).
    pub accelerators_eur: f64,
    /// Servers around the accelerators.
    pub servers_eur: f64,
    /// Cluster network.
    pub network_eur: f64,
    /// Building, power and cooling plant, per MW of rated IT load.
    pub building_eur: f64,
    /// Off-site grid connection, per MW of rated facility power.
    pub grid_connection_eur: f64,
}

impl Capex {
    /// Everything.
    pub fn total_eur(&self) -> f64 {
        self.it_eur() + self.building_eur + self.grid_connection_eur
    }

    /// The IT equipment: accelerators, servers and network.
    pub fn it_eur(&self) -> f64 {
        self.accelerators_eur + self.servers_eur + self.network_eur
    }

    /// Sum of two.
    pub fn plus(&self, o: &Capex) -> Capex {
        Capex {
            accelerators_eur: self.accelerators_eur + o.accelerators_eur,
            servers_eur: self.servers_eur + o.servers_eur,
            network_eur: self.network_eur + o.network_eur,
            building_eur: self.building_eur + o.building_eur,
            grid_connection_eur: self.grid_connection_eur + o.grid_connection_eur,
        }
    }
}

/// IT capex of `count` accelerators at `price_eur` each: the server multiplier applies
/// when the price is the accelerator's alone (`server_multiplier` = 1 for a system
/// price), the network multiplier to accelerators and servers together.
///
/// # Example
/// ```
/// use gigafactory::model::cost::it_capex;
/// // 8 GPUs at EUR 10,000, servers 1.4x, network 1.2x.
/// let c = it_capex(8, 10_000.0, 1.4, 1.2);
/// assert_eq!(c.accelerators_eur, 80_000.0);
/// assert!((c.servers_eur - 32_000.0).abs() < 1e-6);
/// assert!((c.network_eur - 22_400.0).abs() < 1e-6);
/// ```
pub fn it_capex(
    count: u32,
    price_eur: f64,
    server_multiplier: f64,
    network_multiplier: f64,
) -> Capex {
    let accelerators_eur = f64::from(count) * price_eur;
    let servers_eur = accelerators_eur * (server_multiplier - 1.0);
    let network_eur = (accelerators_eur + servers_eur) * (network_multiplier - 1.0);
    Capex {
        accelerators_eur,
        servers_eur,
        network_eur,
        ..Capex::default()
    }
}

/// Operating expenditure per year, by part, EUR.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Opex {
    /// Electricity.
    pub energy_eur: f64,
    /// Hardware maintenance.
    pub maintenance_eur: f64,
    /// Staff.
    pub staff_eur: f64,
}

impl Opex {
    /// Everything.
    pub fn total_eur(&self) -> f64 {
        self.energy_eur + self.maintenance_eur + self.staff_eur
    }

    /// Sum of two.
    pub fn plus(&self, o: &Opex) -> Opex {
        Opex {
            energy_eur: self.energy_eur + o.energy_eur,
            maintenance_eur: self.maintenance_eur + o.maintenance_eur,
            staff_eur: self.staff_eur + o.staff_eur,
        }
    }
}

/// Yearly staff cost for a facility of `capex_eur`: full-time equivalents in proportion
/// to capex, times hours per FTE, times the hourly labour cost.
pub fn staff_eur_per_year(
    capex_eur: f64,
    fte_per_beur: f64,
    hours_per_fte: f64,
    eur_per_hour: f64,
) -> f64 {
    capex_eur / 1e9 * fte_per_beur * hours_per_fte * eur_per_hour
}

/// Hours delivered per year by `gpus` accelerators in use a share `utilization` of the
/// time.
pub fn delivered_hours_per_year(gpus: f64, utilization: f64) -> f64 {
    gpus * HOURS_PER_YEAR * utilization
}

/// The rent per delivered hour that recovers `capex_eur` plus `opex_eur_per_year` over
/// `years`, when `hours_per_year` are sold each year.
///
/// # Example
/// ```
/// use gigafactory::model::cost::breakeven_rent;
/// // [der]: $50k per GPU over 1.5 years at full use needs $3.8 per hour.
/// let r = breakeven_rent(50_000.0, 0.0, 8760.0, 1.5);
/// assert!((r - 3.805).abs() < 0.001);
/// ```
pub fn breakeven_rent(
    capex_eur: f64,
    opex_eur_per_year: f64,
    hours_per_year: f64,
    years: f64,
) -> f64 {
    (capex_eur + opex_eur_per_year * years) / (hours_per_year * years)
}
