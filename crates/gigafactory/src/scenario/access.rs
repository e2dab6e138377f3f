//! Who uses a facility and on what terms: the classes of tenant and what each class pays
//! (issue 19). The AI Factories' published access rules make use free at the point of use
//! for research and for start-ups and SMEs, and pay-per-use for large industry; a price
//! of 0 is a free tier.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Who uses the facility, by class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TenantClass {
    /// Publicly funded research.
    Academia,
    /// Start-ups and small and medium enterprises.
    StartupSme,
    /// Established industry.
    Industry,
    /// Frontier AI laboratories.
    FrontierLab,
    /// Public administrations and public services (their inference services, chiefly).
    PublicSector,
}

impl TenantClass {
    /// Every class, in the order tables list them.
    pub const ALL: [TenantClass; 5] = [
        TenantClass::Academia,
        TenantClass::StartupSme,
        TenantClass::Industry,
        TenantClass::FrontierLab,
        TenantClass::PublicSector,
    ];

    /// The class as a scenario names it (`startup_sme`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TenantClass::Academia => "academia",
            TenantClass::StartupSme => "startup_sme",
            TenantClass::Industry => "industry",
            TenantClass::FrontierLab => "frontier_lab",
            TenantClass::PublicSector => "public_sector",
        }
    }
}

/// `[prices]`: what each class of tenant pays per GPU-hour allocated to it, EUR (0: a
/// free tier). Every class that a tenant of the scenario has must be priced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Prices {
    /// Publicly funded research, EUR per GPU-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub academia: Option<f64>,
    /// Start-ups and SMEs, EUR per GPU-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_sme: Option<f64>,
    /// Established industry, EUR per GPU-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<f64>,
    /// Frontier AI laboratories, EUR per GPU-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frontier_lab: Option<f64>,
    /// Public administrations and services, EUR per GPU-hour.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_sector: Option<f64>,
}

impl Prices {
    /// The price of `class`, if the table gives one.
    #[must_use]
    pub fn of(&self, class: TenantClass) -> Option<f64> {
        match class {
            TenantClass::Academia => self.academia,
            TenantClass::StartupSme => self.startup_sme,
            TenantClass::Industry => self.industry,
            TenantClass::FrontierLab => self.frontier_lab,
            TenantClass::PublicSector => self.public_sector,
        }
    }
}

/// A tenant's data-residency region: its work runs only at sites in the region's countries
/// (each country's bloc in `gigafactory catalog countries`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// The European Union: its 27 member states.
    Eu,
    /// The European Economic Area: the EU's member states and the EEA states outside it
    /// (Norway in the catalogue).
    Eea,
}

impl Region {
    /// Whether a country of catalogue bloc `bloc` (`EU`, `EEA`, `aggregate`) is in the
    /// region.
    #[must_use]
    pub fn admits_bloc(self, bloc: &str) -> bool {
        match self {
            Region::Eu => bloc == "EU",
            Region::Eea => bloc == "EU" || bloc == "EEA",
        }
    }
}
