//! Power and energy: pure functions of the facility, no engine.

use crate::units::HOURS_PER_YEAR;

/// Share of its rated maximum a node draws when a share `load` of its accelerators is
/// busy: linear between the idle and the busy draw.
///
/// # Example
/// ```
/// use gigafactory::model::power::draw_fraction;
/// assert_eq!(draw_fraction(0.0, 0.1, 0.8), 0.1);
/// assert_eq!(draw_fraction(1.0, 0.1, 0.8), 0.8);
/// assert!((draw_fraction(0.5, 0.1, 0.8) - 0.45).abs() < 1e-12);
/// ```
pub fn draw_fraction(load: f64, idle_fraction: f64, busy_fraction: f64) -> f64 {
    idle_fraction + (busy_fraction - idle_fraction) * load
}

/// Rated IT power of `count` accelerators drawing `rated_w` each (accelerator plus its
/// share of the server), MW.
pub fn rated_it_mw(count: u32, rated_w: f64) -> f64 {
    f64::from(count) * rated_w / 1e6
}

/// Facility power: IT power times the power usage effectiveness.
pub fn facility_mw(it_mw: f64, pue: f64) -> f64 {
    it_mw * pue
}

/// Energy of a constant draw over a year of [`HOURS_PER_YEAR`], MWh.
pub fn energy_mwh_per_year(mean_mw: f64) -> f64 {
    mean_mw * HOURS_PER_YEAR
}

/// Cost of `energy_mwh` at `price_eur_per_kwh`, EUR.
pub fn energy_cost_eur(energy_mwh: f64, price_eur_per_kwh: f64) -> f64 {
    energy_mwh * 1000.0 * price_eur_per_kwh
}

/// Emissions of `energy_mwh` at `carbon_g_per_kwh`, tonnes CO2e.
pub fn co2_t(energy_mwh: f64, carbon_g_per_kwh: f64) -> f64 {
    // MWh × 1,000 kWh/MWh × g/kWh ÷ 1,000,000 g/t.
    energy_mwh * carbon_g_per_kwh / 1000.0
}
