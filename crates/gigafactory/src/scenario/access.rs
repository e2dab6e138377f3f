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
    /// Classes that pay the market value of their hours instead of a fixed price: each
    /// year, what renting the facility's hours would cost then (the catalogue's H100 rent
    /// at the time times the hardware's throughput relative to an H100; `years.csv`'s
    /// `market_value_eur` over its served GPU-hours). Such a class has no fixed price.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub market_linked: Vec<TenantClass>,
}

impl Prices {
    /// Whether `class` pays the market value of its hours.
    #[must_use]
    pub fn market(&self, class: TenantClass) -> bool {
        self.market_linked.contains(&class)
    }

    /// The fixed price of `class`, if the table gives one.
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

/// `[[call]]`: a share of the facility's time allocated through periodic calls for
/// proposals, the EuroHPC way. Each round opens at the start and every `every_months`
/// after; its budget is `share` of the facility's H100-equivalent hours over the
/// allocation period that follows; the rule picks which proposals are awarded in full.
/// The tenant named runs the awarded projects: its jobs arrive at the awarded hours' rate,
/// and the declined proposals' hours are unmet demand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Call {
    /// Name.
    pub name: String,
    /// The `[[tenant]]` that runs the awarded projects (its demand is the call's awards,
    /// so it gives no `load` or `demand_h100_hours_per_year` of its own).
    pub tenant: String,
    /// Months between rounds (the first opens at the start).
    pub every_months: u32,
    /// How long an awarded project runs, months (default `every_months`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation_months: Option<u32>,
    /// Share of the facility's H100-equivalent hours over a round's allocation period
    /// that the round awards (EuroHPC JU: 35-50% of each system's time).
    pub share: f64,
    /// How the awarded proposals are chosen.
    pub rule: CallRule,
    /// Proposals expected per round (a Poisson count), their sizes drawn from a lognormal
    /// of `proposal_h100_hours_median` and `proposal_h100_hours_p90`; or give them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposals: Option<f64>,
    /// Median proposal, H100-hours requested, at the start (grows with the tenant's
    /// `growth_per_year`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal_h100_hours_median: Option<f64>,
    /// 90th percentile of the proposals, H100-hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal_h100_hours_p90: Option<f64>,
    /// Or the proposals themselves, submitted to every round.
    #[serde(default, rename = "proposal", skip_serializing_if = "Vec::is_empty")]
    pub given: Vec<Proposal>,
}

/// How a round chooses among its proposals: in an order, each awarded in full if it fits
/// what is left of the budget (else passed over for the next).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallRule {
    /// Peer review: the highest score first (generated proposals' scores are uniform
    /// draws, independent of their size).
    Score,
    /// The smallest request first (most projects served).
    SmallestFirst,
    /// A lottery: a random order, drawn from the seed.
    Lottery,
}

/// A proposal to a call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    /// Name.
    pub name: String,
    /// H100-hours requested.
    pub h100_hours: f64,
    /// Its review score (higher is better; `rule = "score"`).
    #[serde(default)]
    pub score: f64,
}
