use serde::{Deserialize, Serialize};

/// A country's industrial electricity price and grid carbon intensity.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166 alpha-2 code (or `EU27`).
    pub code: String,
    /// English name.
    pub name: String,
    /// Which bloc it belongs to: `EU` (a member state, U1), `EEA` (in the European
    /// Economic Area, not the EU, U2), `aggregate` (EU27).
    pub bloc: String,
    /// Other codes accepted (Eurostat's `EL` for Greece).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Industrial electricity price, EUR/kWh, excluding VAT and recoverable taxes.
    pub electricity_eur_per_kwh: f64,
    /// Eurostat period of the price (`2025S2`).
    pub electricity_period: String,
    /// Source of the price.
    pub electricity_source: String,
    /// Lifecycle grid carbon intensity, gCO2e/kWh.
    pub carbon_g_per_kwh: f64,
    /// Year of the carbon intensity.
    pub carbon_year: i32,
    /// Source of the carbon intensity.
    pub carbon_source: String,
}
