//! The built-in data: accelerators, countries, EuroHPC sites, market rents, depreciation
//! lives, failure figures, default parameters, training at scale and serving models, each
//! figure with its source.
//!
//! The data live in `data/*.toml` beside this crate and are embedded at compile time; a
//! user's build needs nothing at run time. `gigafactory catalog` prints them.

mod accelerator;
mod country;
mod defaults;
mod market;
mod roadmap;
mod serving;
mod site;
mod training;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

pub use accelerator::{Accelerator, PriceBasis};
pub use country::Country;
pub use defaults::{Defaults, Sourced};
pub use market::{DepreciationLife, FailureRecord, RentPoint};
pub use roadmap::{Generation, Part, Projection, Roadmap};
pub use serving::{ModelClass, Profile, ReplicaSpec, Serving, Throughput, TokenPrice};
pub use site::CatalogSite;
pub use training::{FrontierRun, GrowthFactor, Purpose, RunSize, Training, WorkKind};

/// Everything the catalogue holds.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// Accelerators, in the order of the data file.
    pub accelerators: Vec<Accelerator>,
    /// EU-27 countries, Norway and the EU-27 aggregate.
    pub countries: Vec<Country>,
    /// EuroHPC AI-Factory host sites.
    pub sites: Vec<CatalogSite>,
    /// Market rental price points.
    pub rents: Vec<RentPoint>,
    /// Hyperscalers' depreciation lives.
    pub depreciation: Vec<DepreciationLife>,
    /// The reference failure record (Llama 3 405B).
    pub failures: FailureRecord,
    /// Default economic and power parameters.
    pub defaults: Defaults,
    /// The accelerator roadmap, for refreshes.
    pub roadmap: Roadmap,
    /// Training at scale: MFU, run lengths, the frontier trend.
    pub training: Training,
    /// Serving models: model classes, throughput, daily profiles, prices per token.
    pub serving: Serving,
    /// Source key → full reference.
    pub sources: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceleratorFile {
    accelerator: Vec<Accelerator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountryFile {
    country: Vec<Country>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFile {
    site: Vec<CatalogSite>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MarketFile {
    rent: Vec<RentPoint>,
    depreciation: Vec<DepreciationLife>,
    failures: FailureRecord,
}

/// The data files, by name, as embedded in the binary.
pub const DATA_FILES: [(&str, &str); 9] = [
    (
        "accelerators.toml",
        include_str!("../../data/accelerators.toml"),
    ),
    ("countries.toml", include_str!("../../data/countries.toml")),
    ("sites.toml", include_str!("../../data/sites.toml")),
    ("market.toml", include_str!("../../data/market.toml")),
    ("defaults.toml", include_str!("../../data/defaults.toml")),
    ("sources.toml", include_str!("../../data/sources.toml")),
    ("roadmap.toml", include_str!("../../data/roadmap.toml")),
    ("training.toml", include_str!("../../data/training.toml")),
    ("serving.toml", include_str!("../../data/serving.toml")),
];

fn parse<T: serde::de::DeserializeOwned>(index: usize) -> T {
    let (name, text) = DATA_FILES[index];
    // The embedded files are part of the program; the catalogue tests parse every one,
    // so a failure here is a build defect, not bad user input.
    toml::from_str(text).unwrap_or_else(|e| panic!("built-in data/{name} is invalid: {e}"))
}

impl Catalog {
    /// The catalogue built into this program, parsed once per process.
    pub fn builtin() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(Catalog::from_embedded)
    }

    /// Parse the embedded data files afresh (what [`Catalog::builtin`] does once).
    pub fn from_embedded() -> Catalog {
        let market: MarketFile = parse(3);
        Catalog {
            accelerators: parse::<AcceleratorFile>(0).accelerator,
            countries: parse::<CountryFile>(1).country,
            sites: parse::<SiteFile>(2).site,
            rents: market.rent,
            depreciation: market.depreciation,
            failures: market.failures,
            defaults: parse(4),
            sources: parse(5),
            roadmap: parse(6),
            training: parse(7),
            serving: parse(8),
        }
    }

    /// The accelerator called `name`: its id, full name or an alias, ignoring case,
    /// spaces, dashes and underscores.
    ///
    /// # Example
    /// ```
    /// let c = gigafactory::catalog::Catalog::builtin();
    /// assert_eq!(c.accelerator("h100 sxm").unwrap().id, "H100");
    /// assert!(c.accelerator("H800").is_none());
    /// ```
    pub fn accelerator(&self, name: &str) -> Option<&Accelerator> {
        let key = normalize(name);
        self.accelerators.iter().find(|a| {
            normalize(&a.id) == key
                || normalize(&a.name) == key
                || a.aliases.iter().any(|x| normalize(x) == key)
        })
    }

    /// The country with ISO code (or alias) `code`, ignoring case.
    pub fn country(&self, code: &str) -> Option<&Country> {
        self.countries.iter().find(|c| {
            c.code.eq_ignore_ascii_case(code)
                || c.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
        })
    }

    /// The catalogue site with id `id`, ignoring case.
    pub fn site(&self, id: &str) -> Option<&CatalogSite> {
        self.sites.iter().find(|s| s.id.eq_ignore_ascii_case(id))
    }

    /// The yearly change of the H100 rent: a least-squares line through the logarithms
    /// of every dated H100 price point (a year-only date counts as mid-year, a month as
    /// mid-month), as exp(slope) − 1. Computed from the data, so new points update it.
    pub fn rent_change_per_year(&self) -> f64 {
        let pts: Vec<(f64, f64)> = self
            .rents
            .iter()
            .filter(|r| r.accelerator == "H100")
            .filter_map(|r| Some((date_in_years(&r.as_of)?, r.usd_per_gpu_hour.ln())))
            .collect();
        let n = pts.len() as f64;
        let (mx, my) = (
            pts.iter().map(|p| p.0).sum::<f64>() / n,
            pts.iter().map(|p| p.1).sum::<f64>() / n,
        );
        let sxy: f64 = pts.iter().map(|(x, y)| (x - mx) * (y - my)).sum();
        let sxx: f64 = pts.iter().map(|(x, _)| (x - mx).powi(2)).sum();
        (sxy / sxx).exp() - 1.0
    }

    /// The part a refresh buys in calendar `year` (see [`Roadmap::part_in`]), each
    /// catalogued part priced by `price`.
    pub fn part_in(&self, year: i32, price: impl Fn(&Accelerator) -> Option<f64>) -> Option<Part> {
        self.roadmap.part_in(year, |id| self.accelerator(id), price)
    }

    /// The reference rent's date, in years (mid-month).
    pub fn reference_rent_year(&self) -> f64 {
        date_in_years(&self.reference_rent().as_of).expect("the reference rent is dated")
    }

    /// The rental price point marked as the reference for comparisons.
    pub fn reference_rent(&self) -> &RentPoint {
        // market.toml marks exactly one point; a catalogue test checks it.
        self.rents
            .iter()
            .find(|r| r.reference)
            .expect("market.toml marks one reference rent")
    }
}

/// `YYYY` (mid-year) or `YYYY-MM` (mid-month) as a fractional year; `None` for "n/d".
fn date_in_years(s: &str) -> Option<f64> {
    match s.split_once('-') {
        None => Some(s.parse::<f64>().ok()? + 0.5),
        Some((y, m)) => Some(y.parse::<f64>().ok()? + (m.parse::<f64>().ok()? - 0.5) / 12.0),
    }
}

/// Lower case without spaces, dashes or underscores, for forgiving name look-ups.
pub(crate) fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests;
