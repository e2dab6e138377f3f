//! Who pays (issue 19): revenue from each class of tenant at the scenario's `[prices]`,
//! and the public subsidy, which is what revenue does not cover of the cost.
//!
//! The cost is the run's: each year's capex (in the year a phase is paid for) plus opex,
//! as `years.csv` and `compare`'s total cost count it. Revenue is each tenant's allocated
//! GPU-hours times its class's price; a market-linked class pays each year the market
//! value of the facility's GPU-hour that year (the year's `market_value_eur` over its
//! served GPU-hours: the mean over the hardware in service, not the tenant's own mix). A class's subsidy is its hours at the facility's
//! mean cost per GPU-hour less what it paid, so the classes' subsidies add up to the
//! total (cost − revenue) because the tenants' hours add up to the facility's.

use schemars::JsonSchema;
use serde::Serialize;

use crate::scenario::{Scenario, TenantClass};
use crate::sim::SimOutcome;

/// One class of tenant under the prices.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ClassPricing {
    /// The class (`academia`, `startup_sme`, …).
    pub class: String,
    /// Its price, EUR per GPU-hour (0: a free tier); for a market-linked class, the mean
    /// over the run of what it paid per GPU-hour.
    pub price_eur_per_gpu_hour: f64,
    /// Whether it pays the market value of its hours, year by year.
    pub market_linked: bool,
    /// GPU-hours allocated to its tenants over the run.
    pub gpu_hours: f64,
    /// What they paid, EUR.
    pub revenue_eur: f64,
    /// Their hours at the facility's mean cost per GPU-hour less what they paid, EUR
    /// (negative where the class pays more than the mean cost).
    pub subsidy_eur: f64,
    /// The mean cost per GPU-hour less the price, EUR.
    pub subsidy_eur_per_gpu_hour: f64,
}

/// One year under the prices: cost = revenue + subsidy.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct YearPricing {
    /// Calendar year in which this year of the horizon starts.
    pub year: i32,
    /// Capex paid and opex, EUR.
    pub cost_eur: f64,
    /// What the tenants paid, EUR.
    pub revenue_eur: f64,
    /// Cost less revenue, EUR.
    pub subsidy_eur: f64,
}

/// A run's revenue and subsidy at the scenario's prices.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Pricing {
    /// Capex paid and opex over the run, EUR (the years' sum).
    pub cost_eur: f64,
    /// What the tenants paid, EUR.
    pub revenue_eur: f64,
    /// Cost less revenue: what the public pays, EUR.
    pub subsidy_eur: f64,
    /// GPU-hours allocated to tenants (the facility's served hours).
    pub gpu_hours: f64,
    /// The facility's mean cost per allocated GPU-hour, EUR.
    pub cost_eur_per_gpu_hour: f64,
    /// GPU-hours of the free classes (price 0).
    pub free_gpu_hours: f64,
    /// The subsidy per GPU-hour delivered to the free classes, EUR (none without them).
    pub subsidy_eur_per_free_gpu_hour: Option<f64>,
    /// The one price per GPU-hour that the paying classes (price above 0) would need for
    /// revenue to cover the cost, the free classes unchanged, EUR (none without paying
    /// classes, or without hours).
    pub break_even_eur_per_gpu_hour: Option<f64>,
    /// Each class that has a tenant.
    pub classes: Vec<ClassPricing>,
    /// Each year.
    pub years: Vec<YearPricing>,
    /// Each tenant's price, EUR per GPU-hour, in the order of the outcome's tenants (for a
    /// market-linked class, the mean of what it paid).
    pub tenant_prices: Vec<f64>,
}

/// Revenue and subsidy of outcome `o` at scenario `s`'s `[prices]`; none without prices.
/// Validation has given every tenant's class a price.
#[must_use]
pub fn pricing(s: &Scenario, o: &SimOutcome) -> Option<Pricing> {
    let prices = s.prices.as_ref()?;
    let class_of = |name: &str| s.tenants.iter().find(|t| t.name == name).map(|t| t.class);
    let classes: Vec<Option<TenantClass>> = o.tenants.iter().map(|t| class_of(&t.name)).collect();
    // Each tenant's price in each year: fixed, or the year's market value of a GPU-hour.
    let price_in = |y: &crate::sim::YearOutcome, c: Option<TenantClass>| match c {
        Some(c) if prices.market(c) => {
            if y.served_gpu_hours > 0.0 {
                y.market_value_eur / y.served_gpu_hours
            } else {
                0.0
            }
        }
        c => c.and_then(|c| prices.of(c)).unwrap_or(0.0),
    };
    // Each tenant's payments over the run.
    let mut paid = vec![0.0; o.tenants.len()];
    let years: Vec<YearPricing> = o
        .years
        .iter()
        .map(|y| {
            let cost = y.capex_eur + y.opex_eur;
            let mut revenue = 0.0;
            for (t, h) in y.served_gpu_hours_by_tenant.iter().enumerate() {
                let r = h * price_in(y, classes.get(t).copied().flatten());
                if let Some(p) = paid.get_mut(t) {
                    *p += r;
                }
                revenue += r;
            }
            YearPricing {
                year: y.year,
                cost_eur: cost,
                revenue_eur: revenue,
                subsidy_eur: cost - revenue,
            }
        })
        .collect();
    let cost: f64 = years.iter().map(|y| y.cost_eur).sum();
    let revenue: f64 = years.iter().map(|y| y.revenue_eur).sum();
    let hours: f64 = o.tenants.iter().map(|t| t.served_gpu_hours).sum();
    let mean = if hours > 0.0 { cost / hours } else { 0.0 };
    let tenant_prices: Vec<f64> = o
        .tenants
        .iter()
        .zip(&classes)
        .zip(&paid)
        .map(|((t, c), r)| match c {
            Some(c) if prices.market(*c) => {
                if t.served_gpu_hours > 0.0 {
                    r / t.served_gpu_hours
                } else {
                    0.0
                }
            }
            c => c.and_then(|c| prices.of(c)).unwrap_or(0.0),
        })
        .collect();
    let class_rows: Vec<ClassPricing> = TenantClass::ALL
        .iter()
        .filter(|c| classes.contains(&Some(**c)))
        .map(|&c| {
            let mine = || {
                o.tenants
                    .iter()
                    .zip(&classes)
                    .zip(&paid)
                    .filter(|((_, k), _)| **k == Some(c))
            };
            let h: f64 = mine().map(|((t, _), _)| t.served_gpu_hours).sum();
            let revenue: f64 = mine().map(|(_, r)| r).sum();
            let price = if prices.market(c) {
                if h > 0.0 { revenue / h } else { 0.0 }
            } else {
                prices.of(c).unwrap_or(0.0)
            };
            ClassPricing {
                class: c.as_str().to_string(),
                price_eur_per_gpu_hour: price,
                market_linked: prices.market(c),
                gpu_hours: h,
                revenue_eur: revenue,
                subsidy_eur: h * mean - revenue,
                subsidy_eur_per_gpu_hour: mean - price,
            }
        })
        .collect();
    let free: f64 = class_rows
        .iter()
        .filter(|c| c.price_eur_per_gpu_hour == 0.0 && !c.market_linked)
        .map(|c| c.gpu_hours)
        .sum();
    let paying = hours - free;
    Some(Pricing {
        cost_eur: cost,
        revenue_eur: revenue,
        subsidy_eur: cost - revenue,
        gpu_hours: hours,
        cost_eur_per_gpu_hour: mean,
        free_gpu_hours: free,
        subsidy_eur_per_free_gpu_hour: (free > 0.0).then(|| (cost - revenue) / free),
        break_even_eur_per_gpu_hour: (paying > 0.0).then(|| cost / paying),
        classes: class_rows,
        years,
        tenant_prices,
    })
}
