//! The optimisation instance: per candidate site and accelerator, what one hall costs,
//! draws, emits and delivers, priced by the facility model.

use gigafactory::catalog::Catalog;
use gigafactory::model::{self, Facility, power};
use gigafactory::scenario::{Build, Candidates, Objective, Scenario, Site};

/// One hall of one accelerator at one site.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Index into [`Instance::sites`].
    pub site: usize,
    /// Index into [`Instance::accelerators`].
    pub accelerator: usize,
    /// Capex of the hall (accelerators, servers, network, building, grid connection), EUR.
    pub capex_eur: f64,
    /// Opex a year (energy at the assumed utilisation, maintenance, staff), EUR.
    pub opex_eur_per_year: f64,
    /// Emissions a year, t CO2e.
    pub co2_t_per_year: f64,
    /// H100-equivalents (accelerators × relative throughput).
    pub h100_equivalents: f64,
    /// Rated facility power, MW: what counts against the grid connection.
    pub facility_mw: f64,
    /// H100-equivalent hours delivered a year at the assumed utilisation.
    pub h100_hours_per_year: f64,
}

/// Everything the programme needs.
#[derive(Debug, Clone)]
pub struct Instance {
    /// The candidates as `[[site]]` tables (what a plan writes for the sites it opens).
    pub candidates: Vec<Site>,
    /// Candidate site names.
    pub sites: Vec<String>,
    /// Each candidate's grid connection (the most facility power it may host), MW.
    pub grid_mw: Vec<f64>,
    /// Accelerator ids.
    pub accelerators: Vec<String>,
    /// Each accelerator's family (for one family per site).
    pub families: Vec<String>,
    /// One per site and accelerator.
    pub units: Vec<Unit>,
    /// Accelerators per hall.
    pub hall_gpus: u32,
    /// Horizon, years: opex and emissions are counted this many years.
    pub years: f64,
    /// Capex budget, EUR.
    pub budget_eur: Option<f64>,
    /// H100-equivalents required.
    pub required_h100_equivalents: Option<f64>,
    /// Fewest and most sites.
    pub min_sites: Option<u32>,
    /// Most sites.
    pub max_sites: Option<u32>,
    /// Most emissions a year, t.
    pub co2_cap_t_per_year: Option<f64>,
    /// At most one accelerator family per site.
    pub one_family_per_site: bool,
    /// Fixed cost of opening a site, EUR (counted as capex).
    pub site_fixed_cost_eur: f64,
    /// What to minimise.
    pub objective: Objective,
    /// EUR per t CO2e, for the weighted objective.
    pub co2_price_eur_per_t: f64,
}

impl Instance {
    /// A unit's coefficient in the objective, EUR (or t for `co2`) over the horizon.
    pub fn unit_objective(&self, u: &Unit) -> f64 {
        let cost = u.capex_eur + self.years * u.opex_eur_per_year;
        let co2 = self.years * u.co2_t_per_year;
        match self.objective {
            Objective::Cost => cost,
            Objective::Co2 => co2,
            Objective::Weighted => cost + self.co2_price_eur_per_t * co2,
        }
    }

    /// The objective's charge for opening a site.
    pub fn site_objective(&self) -> f64 {
        match self.objective {
            Objective::Co2 => 0.0,
            Objective::Cost | Objective::Weighted => self.site_fixed_cost_eur,
        }
    }

    /// Most halls a unit's site can hold of it alone.
    pub fn max_halls(&self, u: &Unit) -> u32 {
        if u.facility_mw <= 0.0 {
            return 0;
        }
        ((self.grid_mw[u.site] / u.facility_mw) + 1e-9)
            .floor()
            .max(0.0) as u32
    }
}

/// The candidate sites of a scenario's `[optimize]` question: its own `[[site]]` tables,
/// or one per catalogue EuroHPC host or country, each with `candidate_grid_mw`.
pub fn candidates(s: &Scenario, catalog: &Catalog) -> Vec<Site> {
    let Some(o) = &s.optimize else {
        return s.sites.clone();
    };
    let grid_mw = o.candidate_grid_mw.unwrap_or(0.0);
    let site = |name: &str, country: &str| Site {
        name: name.to_string(),
        country: Some(country.to_string()),
        grid_mw,
        pue: None,
        electricity_eur_per_kwh: None,
        carbon_g_per_kwh: None,
        building_cost_multiplier: None,
    };
    match o.candidates {
        Candidates::Scenario => s.sites.clone(),
        Candidates::EurohpcSites => catalog
            .sites
            .iter()
            .map(|c| site(&c.name, &c.country))
            .collect(),
        Candidates::Countries => catalog
            .countries
            .iter()
            .filter(|c| c.code != "EU27")
            .map(|c| site(&c.name, &c.code))
            .collect(),
    }
}

/// Why a scenario gives no instance.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InstanceError {
    /// The scenario asks no question.
    #[error("the scenario has no [optimize] table")]
    NoQuestion,
    /// The facility model could not price a hall (the problems it found, by field).
    #[error("{}", .0.iter().map(|x| format!("{}: {}", x.path, x.message)).collect::<Vec<_>>().join("; "))]
    Unpriced(Vec<gigafactory::scenario::Problem>),
}

/// The instance of a scenario with an `[optimize]` table: its sites are the candidates,
/// priced with the scenario's economics and the catalogue's defaults.
///
/// # Errors
/// The scenario has no `[optimize]` table, or the facility model cannot price a unit.
pub fn instance(s: &Scenario, catalog: &Catalog) -> Result<Instance, InstanceError> {
    let o = s.optimize.as_ref().ok_or(InstanceError::NoQuestion)?;
    let candidates = candidates(s, catalog);
    let mut s = s.clone();
    s.sites = candidates.clone();
    let s = &s;
    // Price one hall of each accelerator with the facility model: a copy of the scenario
    // with a hall of each at the first site, no grid limit and no budget, then each hall
    // moved to every site.
    let mut priced = s.clone();
    priced.optimize = None;
    priced.budget.capex_eur = None;
    for site in &mut priced.sites {
        site.grid_mw = 1e12;
    }
    priced.procurement = Default::default();
    priced.builds = o
        .accelerators
        .iter()
        .map(|a| Build {
            site: s.sites[0].name.clone(),
            accelerator: a.clone(),
            count: o.hall_gpus,
            online: Some(s.start),
            ordered: None,
            lead_time_months: None,
            price_usd: None,
            life_years: None,
            relative_throughput: None,
        })
        .collect();
    let f = Facility::build(&priced, catalog).map_err(InstanceError::Unpriced)?;
    let u = f.params.assumed_utilization;
    let mut units = Vec::with_capacity(f.sites.len() * f.builds.len());
    for site in 0..f.sites.len() {
        for (k, b) in f.builds.iter().enumerate() {
            let mut b = b.clone();
            b.site = site;
            let x = model::build_figures(&f, &b);
            let h100 = f64::from(b.count) * b.relative_throughput;
            units.push(Unit {
                site,
                accelerator: k,
                capex_eur: x.capex.total_eur(),
                opex_eur_per_year: x.opex.total_eur(),
                co2_t_per_year: x.co2_t,
                h100_equivalents: h100,
                facility_mw: power::facility_mw(b.rated_it_mw(), f.sites[site].pue),
                h100_hours_per_year: h100 * gigafactory::units::HOURS_PER_YEAR * u,
            });
        }
    }
    let families = o
        .accelerators
        .iter()
        .map(|a| {
            catalog
                .accelerator(a)
                .map_or_else(|| a.clone(), |x| x.family.clone())
        })
        .collect();
    Ok(Instance {
        candidates,
        sites: s.sites.iter().map(|x| x.name.clone()).collect(),
        grid_mw: s.sites.iter().map(|x| x.grid_mw).collect(),
        accelerators: o.accelerators.clone(),
        families,
        units,
        hall_gpus: o.hall_gpus,
        years: f64::from(s.years),
        budget_eur: s.budget.capex_eur,
        required_h100_equivalents: o.required_h100_equivalents,
        min_sites: o.min_sites,
        max_sites: o.max_sites,
        co2_cap_t_per_year: o.co2_cap_t_per_year,
        one_family_per_site: o.one_family_per_site,
        site_fixed_cost_eur: o.site_fixed_cost_eur,
        objective: o.objective,
        co2_price_eur_per_t: o.co2_price_eur_per_t.unwrap_or(0.0),
    })
}
