//! The accelerator roadmap: which part a buyer gets in a given year, with its throughput,
//! power and price, and the price-performance trend that projects beyond it.

use serde::{Deserialize, Serialize};

use super::{Accelerator, PriceBasis};

/// How parts are projected where the roadmap says nothing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Projection {
    /// Years for throughput per dollar to double.
    pub price_performance_doubling_years: f64,
    /// Catalogue accelerator whose price and throughput anchor the trend.
    pub anchor: String,
    /// The year the anchor's price holds.
    pub anchor_year: i32,
    /// Source key of the trend.
    pub source: String,
    /// How power is projected, and on what grounds.
    pub power_rule: String,
}

/// One generation: the leading part in volume from `from_year` on.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Generation {
    /// Short id.
    pub id: String,
    /// Full name, for announced parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// First year it is bought in volume.
    pub from_year: i32,
    /// The catalogue accelerator, for shipping parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accelerator: Option<String>,
    /// `shipping` or `announced`.
    pub status: String,
    /// Throughput relative to the H100 SXM, for announced parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative_throughput: Option<f64>,
    /// Rated draw per accelerator with its share of the server, W, for announced parts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rated_w: Option<f64>,
    /// Published price, USD, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_usd: Option<f64>,
    /// Sources of its figures.
    pub source: String,
}

/// The roadmap file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Roadmap {
    /// The projection rule.
    pub projection: Projection,
    /// Generations, oldest first.
    pub generation: Vec<Generation>,
}

/// What a buyer gets in a year: a roadmap part or a projected one, resolved.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Part {
    /// Id (`projected-2031` beyond the roadmap).
    pub id: String,
    /// Throughput relative to the H100 SXM.
    pub relative_throughput: f64,
    /// Rated draw per accelerator with its share of the server, W.
    pub rated_w: f64,
    /// Price per accelerator, USD.
    pub price_usd: f64,
    /// Whether the price covers the whole system (no server multiplier).
    pub system_priced: bool,
    /// Where the figures come from: `catalogue`, `announced`, or `projected`.
    pub basis: String,
}

impl Roadmap {
    /// Throughput per dollar in `year` along the trend, from the anchor's `price_usd`.
    fn throughput_per_usd(&self, anchor: &Accelerator, anchor_price: f64, year: i32) -> f64 {
        let p = &self.projection;
        anchor.relative_throughput / anchor_price
            * 2f64.powf(f64::from(year - p.anchor_year) / p.price_performance_doubling_years)
    }

    /// The part bought in calendar `year`, priced at `price(accelerator)` for catalogued
    /// parts (the scenario's price point); `None` before the first generation or when a
    /// catalogued part has no price.
    pub fn part_in<'a>(
        &self,
        year: i32,
        accelerator: impl Fn(&str) -> Option<&'a Accelerator>,
        price: impl Fn(&Accelerator) -> Option<f64>,
    ) -> Option<Part> {
        let idx = self.generation.iter().rposition(|g| g.from_year <= year)?;
        let anchor = accelerator(&self.projection.anchor)?;
        let anchor_price = price(anchor)?;
        let resolve = |g: &Generation| -> Option<Part> {
            match &g.accelerator {
                Some(id) => {
                    let a = accelerator(id)?;
                    Some(Part {
                        id: a.id.clone(),
                        relative_throughput: a.relative_throughput,
                        rated_w: a.rated_w(),
                        price_usd: price(a)?,
                        system_priced: a.price_basis == PriceBasis::System,
                        basis: "catalogue".into(),
                    })
                }
                None => {
                    let rel = g.relative_throughput?;
                    Some(Part {
                        id: g.id.clone(),
                        relative_throughput: rel,
                        rated_w: g.rated_w?,
                        price_usd: g.price_usd.unwrap_or_else(|| {
                            rel / self.throughput_per_usd(anchor, anchor_price, g.from_year)
                        }),
                        system_priced: false,
                        basis: if g.price_usd.is_some() {
                            "announced".into()
                        } else {
                            "announced; price projected".into()
                        },
                    })
                }
            }
        };
        let g = &self.generation[idx];
        let mut part = resolve(g)?;
        let is_last = idx + 1 == self.generation.len();
        if is_last && year > g.from_year {
            let years = f64::from(year - g.from_year);
            part.relative_throughput *=
                2f64.powf(years / self.projection.price_performance_doubling_years);
            part.id = format!("projected-{year}");
            part.basis = "projected".into();
        }
        Some(part)
    }
}
