//! The yearly economics of a facility at an assumed utilisation: what `gigafactory run`
//! reports until the workload is simulated.

use serde::Serialize;

use super::cost::{self, Capex, Opex};
use super::facility::{BuildPlan, Facility};
use super::power;
use crate::units::HOURS_PER_YEAR;

/// One site's figures. Yearly figures assume every build phase is in service.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SiteAssessment {
    /// Site name.
    pub name: String,
    /// ISO country code, where given.
    pub country: Option<String>,
    /// Accelerators.
    pub gpus: u64,
    /// Rated IT power (accelerators plus servers at their rated maximum), MW.
    pub it_power_mw: f64,
    /// Rated facility power (IT x PUE): what the grid must carry, MW.
    pub facility_power_mw: f64,
    /// Grid connection, MW.
    pub grid_mw: f64,
    /// Power usage effectiveness.
    pub pue: f64,
    /// Mean facility draw at the assumed utilisation, MW.
    pub facility_power_mw_mean: f64,
    /// Energy per year, MWh.
    pub energy_mwh_per_year: f64,
    /// Electricity price, EUR/kWh.
    pub electricity_eur_per_kwh: f64,
    /// Electricity bill per year, EUR.
    pub electricity_cost_eur_per_year: f64,
    /// Grid carbon intensity, gCO2e/kWh.
    pub carbon_g_per_kwh: f64,
    /// Emissions per year, tonnes CO2e.
    pub co2_t_per_year: f64,
    /// Capex, EUR.
    pub capex_eur: f64,
}

/// The whole facility's figures: yearly figures for the phases the scenario asked for;
/// refreshes add their capex to `refresh_capex_eur` and appear in `phases`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Assessment {
    /// Scenario name.
    pub name: String,
    /// What the yearly figures assume.
    pub basis: String,
    /// Share of accelerator time assumed in use.
    pub assumed_utilization: f64,
    /// Accelerators.
    pub gpus: u64,
    /// Accelerators weighted by throughput relative to the H100 SXM.
    pub h100_equivalents: f64,
    /// Capex, EUR.
    pub capex_eur: f64,
    /// Capex by part.
    pub capex: Capex,
    /// Capex budget, EUR.
    pub budget_eur: Option<f64>,
    /// Capex of refreshes within the horizon (IT only: the buildings are reused), EUR.
    pub refresh_capex_eur: f64,
    /// Capex, refreshes included, over the budget.
    pub capex_share_of_budget: Option<f64>,
    /// Rated IT power, MW.
    pub it_power_mw: f64,
    /// Rated facility power, MW.
    pub facility_power_mw: f64,
    /// Mean facility draw at the assumed utilisation, MW.
    pub facility_power_mw_mean: f64,
    /// Energy per year, MWh.
    pub energy_mwh_per_year: f64,
    /// Electricity bill per year, EUR.
    pub electricity_cost_eur_per_year: f64,
    /// Emissions per year, tonnes CO2e.
    pub co2_t_per_year: f64,
    /// Opex per year, EUR.
    pub opex_eur_per_year: f64,
    /// Opex per year by part.
    pub opex: Opex,
    /// Straight-line depreciation per year over each phase's useful life, EUR.
    pub depreciation_eur_per_year: f64,
    /// (Depreciation + opex) per delivered accelerator-hour, EUR.
    pub cost_per_gpu_hour_eur: f64,
    /// (Depreciation + opex) per delivered H100-equivalent hour, EUR.
    pub cost_per_h100_hour_eur: f64,
    /// Rent per delivered accelerator-hour that recovers capex and opex over the short
    /// economic life.
    pub breakeven_rent_eur_per_gpu_hour_1_5y: f64,
    /// The same over each phase's useful life.
    pub breakeven_rent_eur_per_gpu_hour_life: f64,
    /// The short economic life used above, years.
    pub short_life_years: f64,
    /// Market rent of an H100-hour, EUR.
    pub market_rent_eur_per_gpu_hour: f64,
    /// Where the market rent comes from.
    pub market_rent_source: String,
    /// Market value of one of this facility's accelerator-hours: the H100 rent times the
    /// mean relative throughput, EUR.
    pub market_value_eur_per_gpu_hour: f64,
    /// Per site.
    pub sites: Vec<SiteAssessment>,
    /// The rent over time.
    pub rent: super::RentCurve,
    /// Per build phase: running cost, market value and economic life.
    pub phases: Vec<super::PhaseValue>,
    /// What the plan can train, year by year, against the frontier.
    pub capability: super::Capability,
}

/// What one build phase costs and draws, a year, with every phase in service.
#[derive(Debug, Clone)]
pub struct BuildFigures {
    /// Capex.
    pub capex: Capex,
    /// Opex a year.
    pub opex: Opex,
    /// Facility energy a year, MWh.
    pub energy_mwh: f64,
    /// Emissions a year, t CO2e.
    pub co2_t: f64,
    /// Mean facility power, MW.
    pub mean_facility_mw: f64,
}

/// Capex, yearly opex, energy and emissions of one build phase `b` of `f` with every
/// phase in service, at the assumed utilisation. Linear in `b.count`.
pub fn build_figures(f: &Facility, b: &BuildPlan) -> BuildFigures {
    let p = &f.params;
    let site = &f.sites[b.site];
    let server_multiplier = if b.system_priced {
        1.0
    } else {
        p.server_multiplier
    };
    let mut capex = cost::it_capex(
        b.count,
        b.price_eur,
        server_multiplier,
        p.network_multiplier,
    );
    let rated_it = b.rated_it_mw();
    // A refresh reuses the building and its grid connection.
    if b.replaces.is_none() {
        capex.building_eur = rated_it * p.building_eur_per_mw_it * site.building_cost_multiplier;
        capex.grid_connection_eur =
            power::facility_mw(rated_it, site.pue) * p.grid_connection_eur_per_mw;
    }

    let fraction = power::draw_fraction(
        p.assumed_utilization,
        p.idle_fraction_of_rated,
        p.busy_fraction_of_rated,
    );
    let mean_facility_mw = power::facility_mw(rated_it * fraction, site.pue);
    let energy_mwh = power::energy_mwh_per_year(mean_facility_mw);
    let opex = Opex {
        energy_eur: power::energy_cost_eur(energy_mwh, site.electricity_eur_per_kwh),
        maintenance_eur: capex.it_eur() * p.maintenance_share_per_year,
        staff_eur: cost::staff_eur_per_year(
            capex.total_eur(),
            p.staff_fte_per_beur_capex,
            p.hours_per_fte_year,
            p.labour_cost_eur_per_hour,
        ),
    };
    BuildFigures {
        capex,
        opex,
        energy_mwh,
        co2_t: power::co2_t(energy_mwh, site.carbon_g_per_kwh),
        mean_facility_mw,
    }
}

/// Energy at busy draw plus maintenance, per accelerator-hour, EUR.
fn running_cost_eur_per_gpu_hour(f: &Facility, b: &BuildPlan, x: &BuildFigures) -> f64 {
    let p = &f.params;
    let site = &f.sites[b.site];
    let kwh = b.rated_w / 1000.0 * p.busy_fraction_of_rated * site.pue;
    kwh * site.electricity_eur_per_kwh
        + x.opex.maintenance_eur / (f64::from(b.count) * HOURS_PER_YEAR)
}

/// Energy at busy draw plus maintenance, per accelerator-hour of phase `b`, EUR.
pub(super) fn running_cost(f: &Facility, b: &BuildPlan) -> f64 {
    running_cost_eur_per_gpu_hour(f, b, &build_figures(f, b))
}

fn phase_value(f: &Facility, b: &BuildPlan, x: &BuildFigures) -> super::PhaseValue {
    let cost = running_cost_eur_per_gpu_hour(f, b, x);
    let online = super::year_of(&b.online);
    let rent = &f.params.rent;
    super::PhaseValue {
        site: f.sites[b.site].name.clone(),
        accelerator: b.accelerator.clone(),
        count: b.count,
        online: b.online.to_string(),
        running_cost_eur_per_gpu_hour: cost,
        market_value_eur_per_gpu_hour_at_online: b.relative_throughput * rent.at(online),
        economic_life_end: rent
            .uneconomic_from(b.relative_throughput, cost, online)
            .map(|y| super::date_of(y).to_string()),
    }
}

/// A build phase's money that does not depend on how busy it is: its capex, and its
/// maintenance and staff per year in service.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhaseCosts {
    /// Capital expenditure, EUR.
    pub capex_eur: f64,
    /// Maintenance and staff per year in service, EUR.
    pub fixed_opex_eur_per_year: f64,
}

/// The fixed costs of each build phase of `f`, in build order.
pub fn phase_costs(f: &Facility) -> Vec<PhaseCosts> {
    f.builds
        .iter()
        .map(|b| {
            let x = build_figures(f, b);
            PhaseCosts {
                capex_eur: x.capex.total_eur(),
                fixed_opex_eur_per_year: x.opex.maintenance_eur + x.opex.staff_eur,
            }
        })
        .collect()
}

/// Assess `f` at a utilisation measured elsewhere (a simulation's) instead of the assumed one.
pub fn assess_at(f: &Facility, utilization: f64, basis: &str) -> Assessment {
    let mut g = f.clone();
    g.params.assumed_utilization = utilization;
    let mut a = assess(&g);
    a.basis = basis.to_string();
    a
}

/// Assess `f` at its assumed utilisation, every build phase in service.
pub fn assess(f: &Facility) -> Assessment {
    let p = &f.params;
    let u = p.assumed_utilization;
    let figures: Vec<BuildFigures> = f.builds.iter().map(|b| build_figures(f, b)).collect();

    let mut sites: Vec<SiteAssessment> = f
        .sites
        .iter()
        .map(|s| SiteAssessment {
            name: s.name.clone(),
            country: s.country.clone(),
            gpus: 0,
            it_power_mw: 0.0,
            facility_power_mw: 0.0,
            grid_mw: s.grid_mw,
            pue: s.pue,
            facility_power_mw_mean: 0.0,
            energy_mwh_per_year: 0.0,
            electricity_eur_per_kwh: s.electricity_eur_per_kwh,
            electricity_cost_eur_per_year: 0.0,
            carbon_g_per_kwh: s.carbon_g_per_kwh,
            co2_t_per_year: 0.0,
            capex_eur: 0.0,
        })
        .collect();
    let mut capex = Capex::default();
    let mut opex = Opex::default();
    let (mut depreciation, mut h100_eq) = (0.0, 0.0);
    let (mut cost_short, mut hours_short, mut cost_life, mut hours_life) = (0.0, 0.0, 0.0, 0.0);
    let mut refresh_capex = 0.0;
    for (b, x) in f.builds.iter().zip(&figures) {
        // Refreshes replace phases: they add money spent, not hardware at once.
        if b.replaces.is_some() {
            refresh_capex += x.capex.total_eur();
            continue;
        }
        let s = &mut sites[b.site];
        s.gpus += u64::from(b.count);
        s.it_power_mw += b.rated_it_mw();
        s.facility_power_mw += power::facility_mw(b.rated_it_mw(), s.pue);
        s.facility_power_mw_mean += x.mean_facility_mw;
        s.energy_mwh_per_year += x.energy_mwh;
        s.electricity_cost_eur_per_year += x.opex.energy_eur;
        s.co2_t_per_year += x.co2_t;
        s.capex_eur += x.capex.total_eur();
        capex = capex.plus(&x.capex);
        opex = opex.plus(&x.opex);
        depreciation += x.capex.total_eur() / b.life_years;
        h100_eq += f64::from(b.count) * b.relative_throughput;
        let hours = cost::delivered_hours_per_year(f64::from(b.count), u);
        // Break-even over a life: total cost over that life / hours sold over it, summed
        // over phases so that phases with different lives weigh by what they cost.
        cost_short += x.capex.total_eur() + x.opex.total_eur() * p.short_life_years;
        hours_short += hours * p.short_life_years;
        cost_life += x.capex.total_eur() + x.opex.total_eur() * b.life_years;
        hours_life += hours * b.life_years;
    }
    let gpus: u64 = sites.iter().map(|s| s.gpus).sum();
    let yearly_cost = depreciation + opex.total_eur();
    let capex_eur = capex.total_eur();
    Assessment {
        name: f.name.clone(),
        basis: "yearly figures with every build phase in service, at the assumed utilisation"
            .into(),
        assumed_utilization: u,
        gpus,
        h100_equivalents: h100_eq,
        capex_eur,
        capex,
        budget_eur: f.budget_eur,
        refresh_capex_eur: refresh_capex,
        capex_share_of_budget: f.budget_eur.map(|b| (capex_eur + refresh_capex) / b),
        it_power_mw: sites.iter().map(|s| s.it_power_mw).sum(),
        facility_power_mw: sites.iter().map(|s| s.facility_power_mw).sum(),
        facility_power_mw_mean: sites.iter().map(|s| s.facility_power_mw_mean).sum(),
        energy_mwh_per_year: sites.iter().map(|s| s.energy_mwh_per_year).sum(),
        electricity_cost_eur_per_year: opex.energy_eur,
        co2_t_per_year: sites.iter().map(|s| s.co2_t_per_year).sum(),
        opex_eur_per_year: opex.total_eur(),
        opex,
        depreciation_eur_per_year: depreciation,
        cost_per_gpu_hour_eur: yearly_cost / cost::delivered_hours_per_year(gpus as f64, u),
        cost_per_h100_hour_eur: yearly_cost / cost::delivered_hours_per_year(h100_eq, u),
        breakeven_rent_eur_per_gpu_hour_1_5y: cost_short / hours_short,
        breakeven_rent_eur_per_gpu_hour_life: cost_life / hours_life,
        short_life_years: p.short_life_years,
        market_rent_eur_per_gpu_hour: p.market_rent_eur_per_gpu_hour,
        market_rent_source: p.market_rent_source.clone(),
        market_value_eur_per_gpu_hour: p.market_rent_eur_per_gpu_hour * h100_eq / gpus as f64,
        sites,
        rent: p.rent,
        phases: f
            .builds
            .iter()
            .zip(&figures)
            .map(|(b, x)| phase_value(f, b, x))
            .collect(),
        capability: super::capability(f),
    }
}
