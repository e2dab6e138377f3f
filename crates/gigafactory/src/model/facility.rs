//! The facility a scenario describes, with every default filled in from the catalogue.

use serde::Serialize;

use super::power;
use crate::catalog::{Accelerator, Catalog, PriceBasis};
use crate::scenario::{FieldPath, PricePoint, Problem, Scenario};
use crate::units::{Date, eur_words};

/// Economic and power parameters, the scenario's where given, else the catalogue's.
#[derive(Debug, Clone, Serialize)]
pub struct Params {
    /// Share of accelerator time in use.
    pub assumed_utilization: f64,
    /// Euros per US dollar.
    pub eur_per_usd: f64,
    /// Server cost multiple of the accelerator price.
    pub server_multiplier: f64,
    /// Network cost multiple of accelerators plus servers.
    pub network_multiplier: f64,
    /// Building cost per MW of rated IT load.
    pub building_eur_per_mw_it: f64,
    /// Grid connection cost per MW of rated facility power.
    pub grid_connection_eur_per_mw: f64,
    /// Maintenance per year, share of IT capex.
    pub maintenance_share_per_year: f64,
    /// Staff per EUR 1 billion of capex.
    pub staff_fte_per_beur_capex: f64,
    /// Labour cost per hour worked.
    pub labour_cost_eur_per_hour: f64,
    /// Hours worked per FTE per year.
    pub hours_per_fte_year: f64,
    /// Market rent of an H100-hour, EUR.
    pub market_rent_eur_per_gpu_hour: f64,
    /// Where that rent comes from.
    pub market_rent_source: String,
    /// The rent over time.
    pub rent: super::RentCurve,
    /// The short economic life, years.
    pub short_life_years: f64,
    /// Busy node draw, share of rated.
    pub busy_fraction_of_rated: f64,
    /// Idle node draw, share of rated.
    pub idle_fraction_of_rated: f64,
    /// Training at scale: MFU, run length, the frontier trend.
    pub training: super::TrainingParams,
}

/// A site with its prices and carbon intensity resolved.
#[derive(Debug, Clone, Serialize)]
pub struct SitePlan {
    /// Name.
    pub name: String,
    /// ISO country code, where given.
    pub country: Option<String>,
    /// Grid connection, MW.
    pub grid_mw: f64,
    /// Power usage effectiveness.
    pub pue: f64,
    /// Electricity price, EUR/kWh.
    pub electricity_eur_per_kwh: f64,
    /// Grid carbon intensity, gCO2e/kWh.
    pub carbon_g_per_kwh: f64,
    /// Building cost relative to the catalogue's per-MW figure.
    pub building_cost_multiplier: f64,
}

/// A build phase with its accelerator and prices resolved.
#[derive(Debug, Clone, Serialize)]
pub struct BuildPlan {
    /// Index into [`Facility::sites`].
    pub site: usize,
    /// Catalogue id of the accelerator.
    pub accelerator: String,
    /// Its product family (`nvidia-hopper`, ...; a projected part beyond the catalogue is a
    /// family of its own): a training run spans phases of one family only.
    pub family: String,
    /// Number of accelerators.
    pub count: u32,
    /// In service from (after any delay by procurement caps).
    pub online: Date,
    /// Ordered on, where the phase was given as an order: its capex is spent then.
    pub ordered: Option<Date>,
    /// In service from, as planned, before procurement caps.
    pub requested_online: Date,
    /// Useful life, years.
    pub life_years: f64,
    /// Price per accelerator, EUR.
    pub price_eur: f64,
    /// Whether the price already includes the server.
    pub system_priced: bool,
    /// Rated draw per accelerator including its share of the server, W.
    pub rated_w: f64,
    /// Throughput relative to the H100 SXM.
    pub relative_throughput: f64,
    /// For a refresh: the phase it replaces (its building is reused, so only IT capex
    /// is spent).
    pub replaces: Option<usize>,
}

impl BuildPlan {
    /// The day its capex is spent: the order date where it was ordered, else the day it
    /// goes into service.
    pub fn paid_on(&self) -> Date {
        self.ordered.unwrap_or(self.online)
    }

    /// The day it leaves service.
    pub fn retires_on(&self) -> Date {
        // Whole years as calendar years (a phase of five years online on 1 July retires on
        // 1 July, as the horizon's years end), the rest in days of a mean year.
        let whole = self.life_years.max(0.0).floor().min(10_000.0);
        self.online
            .add_years(whole as u32)
            .add_days(((self.life_years - whole) * crate::units::MEAN_YEAR_DAYS).round() as i64)
    }

    /// Rated IT power, MW.
    pub fn rated_it_mw(&self) -> f64 {
        power::rated_it_mw(self.count, self.rated_w)
    }

    /// Whether the phase is in service on `day`.
    pub fn in_service(&self, day: Date) -> bool {
        self.online <= day && day < self.retires_on()
    }
}

/// Everything the model needs, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Facility {
    /// Scenario name.
    pub name: String,
    /// Horizon start.
    pub start: Date,
    /// Horizon length, years.
    pub years: u32,
    /// Capex budget, EUR.
    pub budget_eur: Option<f64>,
    /// Sites.
    pub sites: Vec<SitePlan>,
    /// Build phases.
    pub builds: Vec<BuildPlan>,
    /// Parameters.
    pub params: Params,
    /// For a 1-in-k sample of a plan (`Facility::sampled`), the whole plan's accelerators
    /// over the sample's (about k); 1 for a whole plan. Demand stated apart from the plan
    /// is divided by it, so that the sample meets its share.
    #[serde(skip)]
    pub sample_weight: f64,
    /// For a sample, each build phase's accelerators in the whole plan (empty for a whole
    /// plan): what depends on the whole plan, such as a call's budget, reads them.
    #[serde(skip)]
    pub whole_counts: Vec<u32>,
}

impl Facility {
    /// Resolve a validated scenario against the catalogue, and check what needs the
    /// power model: that no site's rated facility power ever exceeds its grid connection.
    ///
    /// # Errors
    /// Every site whose peak rated draw exceeds its `grid_mw`, at `site[i].grid_mw`; and,
    /// should the scenario not have been validated, the names it could not resolve.
    pub fn build(s: &Scenario, catalog: &Catalog) -> Result<Facility, Vec<Problem>> {
        let params = Params::resolve(s, catalog);
        let mut problems = Vec::new();
        let sites = site_plans(s, catalog, &mut problems);
        let families_builds = build_plans(s, catalog, &sites, params.eur_per_usd, &mut problems);
        let (families, mut builds): (Vec<String>, Vec<BuildPlan>) =
            families_builds.into_iter().unzip();
        let root = FieldPath::root();
        if !problems.is_empty() {
            return Err(problems);
        }
        apply_caps(s, &sites, &families, &mut builds, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }

        let mut facility = Facility {
            name: s.name.clone(),
            start: s.start,
            years: s.years,
            budget_eur: s.budget.capex_eur,
            sites,
            builds,
            params,
            sample_weight: 1.0,
            whole_counts: Vec::new(),
        };
        // The budget and the grid are checked together, so that a plan over both hears of
        // both at once; refreshes are bought only from a budget not already overspent.
        let overspent = facility.overspend();
        if overspent.is_none() {
            facility.refresh(s, catalog);
        }
        for (i, site) in facility.sites.iter().enumerate() {
            let (peak_mw, day) = facility.peak_rated_facility_mw(i);
            if peak_mw > site.grid_mw {
                problems.push(Problem::value(
                    root.key("site").index(i).key("grid_mw"),
                    format!(
                        "the builds at \"{}\" draw {:.2} MW at their rated maximum from {day} \
                         (IT {:.2} MW x PUE {}), above this {} MW grid connection",
                        site.name,
                        peak_mw,
                        peak_mw / site.pue,
                        site.pue,
                        site.grid_mw
                    ),
                ));
            }
        }
        problems.extend(overspent);
        if problems.is_empty() {
            Ok(facility)
        } else {
            Err(problems)
        }
    }

    /// A 1-in-`k` sample of the facility for simulation: every phase's count divided by
    /// `k` (to whole 8-GPU nodes where it holds at least one), grid connections and budget
    /// too. Synthetic demand is set as a share of capacity, so it shrinks with it; a run
    /// of the sample has the full facility's utilisation and waits (for jobs much smaller
    /// than a sampled site) and 1/weight of its totals, where weight is returned with it.
    pub fn sampled(&self, k: u32) -> (Facility, f64) {
        let mut g = self.clone();
        if g.whole_counts.is_empty() {
            g.whole_counts = self.builds.iter().map(|b| b.count).collect();
        }
        let k = f64::from(k.max(1));
        for b in &mut g.builds {
            let c = f64::from(b.count) / k;
            let nodes = (c / 8.0).round();
            b.count = if nodes >= 1.0 {
                nodes as u32 * 8
            } else {
                c.round().max(1.0) as u32
            };
        }
        for s in &mut g.sites {
            s.grid_mw /= k;
        }
        g.budget_eur = self.budget_eur.map(|b| b / k);
        let full: f64 = self.planned().map(|b| f64::from(b.count)).sum();
        let part: f64 = g.planned().map(|b| f64::from(b.count)).sum();
        g.sample_weight = self.sample_weight * full / part;
        (g, full / part)
    }

    /// The phases a scenario asked for (not refreshes).
    pub fn planned(&self) -> impl Iterator<Item = &BuildPlan> {
        self.builds.iter().filter(|b| b.replaces.is_none())
    }

    /// Accelerators in service at once at most, and the same in H100 equivalents.
    pub fn peak_gpus(&self) -> (f64, f64) {
        self.builds
            .iter()
            .map(|b| {
                self.builds.iter().filter(|o| o.in_service(b.online)).fold(
                    (0.0, 0.0),
                    |(n, h), o| {
                        let c = f64::from(o.count);
                        (n + c, h + c * o.relative_throughput)
                    },
                )
            })
            .fold((0.0, 0.0), |a, x| if x.0 > a.0 { x } else { a })
    }

    /// The first phase, in order of the day its capex is spent (then file order), that
    /// takes the capex spent so far above the budget: the day, the amount and the overrun.
    fn overspend(&self) -> Option<Problem> {
        let budget = self.budget_eur?;
        let costs = super::phase_costs(self);
        let mut order: Vec<usize> = (0..self.builds.len()).collect();
        order.sort_by_key(|&i| (self.builds[i].paid_on(), i));
        let mut spent = 0.0;
        for (k, &i) in order.iter().enumerate() {
            spent += costs[i].capex_eur;
            if spent > budget * (1.0 + 1e-12) {
                let b = &self.builds[i];
                let how = if b.ordered.is_some() {
                    "ordered"
                } else {
                    "put into service"
                };
                let total: f64 = costs.iter().map(|c| c.capex_eur).sum();
                let later = order.len() - k - 1;
                return Some(Problem::value(
                    FieldPath::root().key("build").index(i),
                    format!(
                        "over budget: this phase ({} {} at \"{}\"), {how} on {}, costs {} and \
                         brings capex spent to {}, above budget.capex_eur ({}) by {}{}; the \
                         whole plan costs {} ({:.0}% of the budget)",
                        b.count,
                        b.accelerator,
                        self.sites[b.site].name,
                        b.paid_on(),
                        eur_words(costs[i].capex_eur),
                        eur_words(spent),
                        eur_words(budget),
                        eur_words(spent - budget),
                        match later {
                            0 => String::new(),
                            1 => ", and 1 phase after it".to_string(),
                            n => format!(", and {n} phases after it"),
                        },
                        eur_words(total),
                        total / budget * 100.0
                    ),
                ));
            }
        }
        None
    }

    /// Add the refresh phases `s.procurement.refresh` asks for: each phase (refreshes
    /// too) whose replacement day falls inside the horizon is cut short there and followed,
    /// on that day, by the then-current part from the roadmap, as many as fit in its
    /// rated IT power (whole 8-GPU nodes) and in the budget left, with the same life.
    fn refresh(&mut self, s: &Scenario, catalog: &Catalog) {
        use crate::scenario::Refresh;
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        if s.procurement.refresh == Refresh::None {
            return;
        }
        let end = s.start.add_years(s.years);
        let mut left = self.budget_eur.map(|b| {
            b - super::phase_costs(self)
                .iter()
                .map(|c| c.capex_eur)
                .sum::<f64>()
        });
        let replace_on = |f: &Facility, i: usize| -> Date {
            let b = &f.builds[i];
            let eol = b.retires_on();
            if s.procurement.refresh == Refresh::WhenUneconomic {
                let cost = super::running_cost_eur_per_gpu_hour(f, b);
                let from = super::year_of(&b.online);
                if let Some(y) = f
                    .params
                    .rent
                    .uneconomic_from(b.relative_throughput, cost, from)
                {
                    return super::date_of(y).max(b.online.add_days(1)).min(eol);
                }
            }
            eol
        };
        let mut due: BinaryHeap<Reverse<(Date, usize)>> = (0..self.builds.len())
            .map(|i| Reverse((replace_on(self, i), i)))
            .collect();
        while let Some(Reverse((day, i))) = due.pop() {
            if day >= end {
                break;
            }
            let old = self.builds[i].clone();
            let p = s.economics.price_point;
            let Some(part) = catalog.part_in(day.year(), |a| catalog_price(a, p)) else {
                continue;
            };
            let price_eur = part.price_usd * self.params.eur_per_usd;
            let server = if part.system_priced {
                1.0
            } else {
                self.params.server_multiplier
            };
            let unit_capex = price_eur * server * self.params.network_multiplier;
            let by_power = (old.rated_it_mw() * 1e6 / part.rated_w / 8.0).floor() * 8.0;
            let by_budget = left.map_or(f64::INFINITY, |l| (l / unit_capex / 8.0).floor() * 8.0);
            let count = by_power.min(by_budget).max(0.0) as u32;
            // The life that ends on `day`, as `retires_on` reads it: whole calendar years,
            // then days.
            let mut whole = 0;
            while old.online.add_years(whole + 1) <= day {
                whole += 1;
            }
            self.builds[i].life_years = f64::from(whole)
                + day.days_since(&old.online.add_years(whole)) as f64
                    / crate::units::MEAN_YEAR_DAYS;
            if count == 0 {
                continue;
            }
            if let Some(l) = left.as_mut() {
                *l -= f64::from(count) * unit_capex;
            }
            self.builds.push(BuildPlan {
                site: old.site,
                family: catalog
                    .accelerator(&part.id)
                    .map_or_else(|| part.id.clone(), |a| a.family.clone()),
                accelerator: part.id,
                count,
                online: day,
                ordered: None,
                requested_online: day,
                life_years: old.life_years,
                price_eur,
                system_priced: part.system_priced,
                rated_w: part.rated_w,
                relative_throughput: part.relative_throughput,
                replaces: Some(i),
            });
            let n = self.builds.len() - 1;
            due.push(Reverse((replace_on(self, n), n)));
        }
    }

    /// The highest rated facility power at site `site` over time, MW, and the first day
    /// it is reached. Power only rises when a phase comes online, so those days suffice.
    pub fn peak_rated_facility_mw(&self, site: usize) -> (f64, Date) {
        let pue = self.sites[site].pue;
        self.builds
            .iter()
            .filter(|b| b.site == site)
            .map(|b| {
                let it: f64 = self
                    .builds
                    .iter()
                    .filter(|o| o.site == site && o.in_service(b.online))
                    .map(BuildPlan::rated_it_mw)
                    .sum();
                (power::facility_mw(it, pue), b.online)
            })
            .fold((0.0, self.start), |best, x| {
                if x.0 > best.0 || (x.0 == best.0 && x.1 < best.1) {
                    x
                } else {
                    best
                }
            })
    }
}

/// Delay phases that would exceed a procurement cap to 1 January of the first year with
/// room, taking phases in order of their planned service date (then file order).
fn apply_caps(
    s: &Scenario,
    sites: &[SitePlan],
    families: &[String],
    builds: &mut [BuildPlan],
    problems: &mut Vec<Problem>,
) {
    if s.procurement.caps.is_empty() {
        return;
    }
    let end = s.start.add_years(s.years);
    let mut order: Vec<usize> = (0..builds.len()).collect();
    order.sort_by_key(|&i| (builds[i].requested_online, i));
    // (cap, year) -> units delivered.
    let mut used: std::collections::HashMap<(usize, i32), u64> = std::collections::HashMap::new();
    for i in order {
        let b = &builds[i];
        let applies: Vec<usize> = s
            .procurement
            .caps
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.family.as_deref() == Some(families[i].as_str())
                    || c.country.as_deref().is_some_and(|k| {
                        sites[b.site]
                            .country
                            .as_deref()
                            .is_some_and(|sc| sc.eq_ignore_ascii_case(k))
                    })
            })
            .map(|(j, _)| j)
            .collect();
        let path = FieldPath::root().key("build").index(i);
        if let Some(&j) = applies
            .iter()
            .find(|&&j| b.count > s.procurement.caps[j].units_per_year)
        {
            problems.push(Problem::value(
                path.key("count"),
                format!(
                    "{} accelerators can never be delivered under procurement.caps[{j}] ({} a year): split the phase",
                    b.count,
                    s.procurement.caps[j].units_per_year
                ),
            ));
            continue;
        }
        let fits = |y: i32, used: &std::collections::HashMap<(usize, i32), u64>| {
            applies.iter().all(|&j| {
                used.get(&(j, y)).copied().unwrap_or(0) + u64::from(b.count)
                    <= u64::from(s.procurement.caps[j].units_per_year)
            })
        };
        let mut year = b.requested_online.year();
        while !fits(year, &used) {
            year += 1;
        }
        let online = if year == b.requested_online.year() {
            b.requested_online
        } else {
            Date::from_ymd(year, 1, 1).expect("a valid day")
        };
        if online >= end {
            problems.push(Problem::value(
                path.clone(),
                format!(
                    "procurement caps delay this phase to {online}, after the horizon ends ({end})"
                ),
            ));
            continue;
        }
        for &j in &applies {
            *used.entry((j, year)).or_default() += u64::from(b.count);
        }
        builds[i].online = online;
    }
}

fn catalog_price(a: &Accelerator, point: PricePoint) -> Option<f64> {
    match point {
        PricePoint::Low => a.price_usd_low,
        PricePoint::Mid => a.price_usd_mid(),
        PricePoint::High => a.price_usd_high,
    }
}

impl Params {
    /// The scenario's settings, each defaulting to the catalogue's.
    fn resolve(s: &Scenario, catalog: &Catalog) -> Params {
        let d = &catalog.defaults;
        let e = &s.economics;
        let p = &s.power;
        let eur_per_usd = e.eur_per_usd.unwrap_or(d.eur_per_usd.value);
        let rent = catalog.reference_rent();
        let (market_rent_usd, market_rent_source) = match e.market_rent_usd_per_gpu_hour {
            Some(x) => (
                x,
                "scenario (economics.market_rent_usd_per_gpu_hour)".to_string(),
            ),
            None => (
                rent.usd_per_gpu_hour,
                format!(
                    "{}, {} ({}), converted at {eur_per_usd} EUR/USD",
                    rent.offer, rent.as_of, rent.source
                ),
            ),
        };
        Params {
            assumed_utilization: e.assumed_utilization.unwrap_or(d.assumed_utilization.value),
            eur_per_usd,
            server_multiplier: e.server_multiplier.unwrap_or(d.server_multiplier.value),
            network_multiplier: e.network_multiplier.unwrap_or(d.network_multiplier.value),
            building_eur_per_mw_it: e
                .building_eur_per_mw_it
                .unwrap_or(d.building_eur_per_mw_it.value),
            grid_connection_eur_per_mw: e
                .grid_connection_eur_per_mw
                .unwrap_or(d.grid_connection_eur_per_mw.value),
            maintenance_share_per_year: e
                .maintenance_share_per_year
                .unwrap_or(d.maintenance_share_per_year.value),
            staff_fte_per_beur_capex: e
                .staff_fte_per_beur_capex
                .unwrap_or(d.staff_fte_per_beur_capex.value),
            labour_cost_eur_per_hour: e
                .labour_cost_eur_per_hour
                .unwrap_or(d.labour_cost_eur_per_hour.value),
            hours_per_fte_year: e.hours_per_fte_year.unwrap_or(d.hours_per_fte_year.value),
            market_rent_eur_per_gpu_hour: market_rent_usd * eur_per_usd,
            market_rent_source,
            rent: super::RentCurve {
                eur_per_h100_hour: market_rent_usd * eur_per_usd,
                // An overriding rent holds at the start; the catalogue's at its date.
                year0: if e.market_rent_usd_per_gpu_hour.is_some() {
                    super::year_of(&s.start)
                } else {
                    catalog.reference_rent_year()
                },
                change_per_year: e
                    .rent_change_per_year
                    .unwrap_or_else(|| catalog.rent_change_per_year()),
            },
            short_life_years: e.short_life_years.unwrap_or(d.short_life_years.value),
            busy_fraction_of_rated: p
                .busy_fraction_of_rated
                .unwrap_or(d.busy_fraction_of_rated.value),
            idle_fraction_of_rated: p
                .idle_fraction_of_rated
                .unwrap_or(d.idle_fraction_of_rated.value),
            training: super::TrainingParams::resolve(s, catalog),
        }
    }
}

/// The sites with their prices and carbon intensities resolved (problems for a site with
/// neither a country nor its own figures, should the scenario not have been validated).
fn site_plans(s: &Scenario, catalog: &Catalog, problems: &mut Vec<Problem>) -> Vec<SitePlan> {
    let d = &catalog.defaults;
    let root = FieldPath::root();
    let mut sites = Vec::with_capacity(s.sites.len());
    for (i, site) in s.sites.iter().enumerate() {
        let country = site.country.as_deref().and_then(|c| catalog.country(c));
        let price = site
            .electricity_eur_per_kwh
            .or(country.map(|c| c.electricity_eur_per_kwh));
        let carbon = site
            .carbon_g_per_kwh
            .or(country.map(|c| c.carbon_g_per_kwh));
        let (Some(price), Some(carbon)) = (price, carbon) else {
            problems.push(Problem::value(
                root.key("site").index(i),
                "no electricity price or carbon intensity: give `country` or both figures",
            ));
            continue;
        };
        sites.push(SitePlan {
            name: site.name.clone(),
            country: country.map(|c| c.code.clone()),
            grid_mw: site.grid_mw,
            pue: site.pue.unwrap_or(d.pue.value),
            electricity_eur_per_kwh: price,
            carbon_g_per_kwh: carbon,
            building_cost_multiplier: site
                .building_cost_multiplier
                .unwrap_or(crate::scenario::defaults::BUILDING_COST_MULTIPLIER),
        });
    }
    sites
}

/// The build phases resolved against the catalogue, each with its accelerator's family
/// (problems for names that do not resolve or a phase without a price).
fn build_plans(
    s: &Scenario,
    catalog: &Catalog,
    sites: &[SitePlan],
    eur_per_usd: f64,
    problems: &mut Vec<Problem>,
) -> Vec<(String, BuildPlan)> {
    let d = &catalog.defaults;
    let e = &s.economics;
    let root = FieldPath::root();
    let mut builds = Vec::with_capacity(s.builds.len());
    for (i, b) in s.builds.iter().enumerate() {
        let path = root.key("build").index(i);
        let site = sites.iter().position(|x| x.name == b.site);
        let acc = catalog.accelerator(&b.accelerator);
        let (Some(site), Some(acc)) = (site, acc) else {
            problems.push(Problem::value(
                path,
                "names a site or accelerator that does not exist",
            ));
            continue;
        };
        let Some(price_usd) = b.price_usd.or_else(|| catalog_price(acc, e.price_point)) else {
            problems.push(Problem::value(
                path.key("accelerator"),
                "no price: give `price_usd`",
            ));
            continue;
        };
        // Validation guarantees one of the two.
        let requested = match (b.online, b.ordered, b.lead_time_months) {
            (Some(d), _, _) => d,
            (None, Some(o), Some(m)) => o.add_months(m),
            _ => s.start,
        };
        builds.push((
            acc.family.clone(),
            BuildPlan {
                site,
                family: acc.family.clone(),
                accelerator: acc.id.clone(),
                count: b.count,
                online: requested,
                ordered: b.ordered,
                requested_online: requested,
                life_years: b.life_years.unwrap_or(d.life_years.value),
                price_eur: price_usd * eur_per_usd,
                system_priced: acc.price_basis == PriceBasis::System,
                rated_w: acc.rated_w(),
                relative_throughput: b.relative_throughput.unwrap_or(acc.relative_throughput),
                replaces: None,
            },
        ));
    }
    builds
}
