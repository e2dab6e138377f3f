//! Reports of a run: one self-contained HTML page (inline CSS and SVG, nothing fetched
//! when it is opened) with the headline figures and charts, readable printed to PDF.

mod svg;

use std::fmt::Write as _;

use gigafactory::model::Assessment;
use gigafactory::sim::SimOutcome;
use gigafactory::units::eur_words;

pub use svg::{Series, bars, esc};

const BLUE: &str = "#1f5fa8";
const ORANGE: &str = "#d9822b";
const GREY: &str = "#8a8f98";
const GREEN: &str = "#3a8c4a";

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;\
color:#1d2126;padding:0 1em}h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;\
margin-top:1.6em;border-bottom:1px solid #ccd}table{border-collapse:collapse;margin:.6em 0}\
td,th{padding:.25em .8em;text-align:left;border-bottom:1px solid #e4e6ea}td.n{text-align:right;\
font-variant-numeric:tabular-nums}.note{color:#555;font-size:.92em}figure.chart{margin:1em 0;\
break-inside:avoid}svg{width:100%;height:auto}svg .title{font-weight:600;font-size:14px}\
svg .tick{font-size:11px;fill:#444}svg .grid{stroke:#dde;stroke-width:1}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}}";

/// The report of a run: `label` names where the scenario came from; `o` is the
/// simulation's outcome, when the plan was simulated.
pub fn html(
    a: &Assessment,
    o: Option<&SimOutcome>,
    label: &str,
    start: &str,
    years: u32,
) -> String {
    let mut h = String::new();
    write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{t}</title><style>{STYLE}</style></head><body>\n<h1>{t}</h1>\n\
         <p class=\"note\">{label}: {n} accelerators at {s} site{plural}, from {start} for {years} \
         years. \
         Made by gigafactory {v}.</p>\n",
        t = esc(&a.name),
        label = esc(label),
        n = a.gpus,
        s = a.sites.len(),
        plural = if a.sites.len() == 1 { "" } else { "s" },
        v = env!("CARGO_PKG_VERSION"),
    )
    .expect("String");
    if let Some(smp) = o.and_then(|o| o.sampling.as_ref()) {
        writeln!(
            h,
            "<p class=\"note\"><strong>Sampled.</strong> {}.</p>",
            esc(&smp.note)
        )
        .expect("String");
    }
    h.push_str(&headline(a, o));
    h.push_str("<h2>Charts</h2>\n");
    let sites: Vec<String> = a.sites.iter().map(|s| s.name.clone()).collect();
    h.push_str(&bars(
        "Facility power at rated load against the grid connection, per site",
        "MW",
        &sites,
        &[
            Series {
                name: "facility MW (rated)",
                colour: BLUE,
                values: a.sites.iter().map(|s| s.facility_power_mw).collect(),
            },
            Series {
                name: "grid connection MW",
                colour: GREY,
                values: a.sites.iter().map(|s| s.grid_mw).collect(),
            },
        ],
    ));
    let c = &a.capex;
    h.push_str(&bars(
        "Capex by part",
        "EUR",
        &[
            "accelerators".into(),
            "servers".into(),
            "network".into(),
            "buildings".into(),
            "grid".into(),
        ],
        &[Series {
            name: "capex",
            colour: BLUE,
            values: vec![
                c.accelerators_eur,
                c.servers_eur,
                c.network_eur,
                c.building_eur,
                c.grid_connection_eur,
            ],
        }],
    ));
    if let Some(o) = o {
        let ys: Vec<String> = o.years.iter().map(|y| y.year.to_string()).collect();
        h.push_str(&bars(
            "Accelerators online and allocated, mean over each year",
            "GPUs",
            &ys,
            &[
                Series {
                    name: "online",
                    colour: GREY,
                    values: o.years.iter().map(|y| y.gpus_online).collect(),
                },
                Series {
                    name: "allocated",
                    colour: BLUE,
                    values: o
                        .years
                        .iter()
                        .map(|y| y.gpus_online * y.utilization)
                        .collect(),
                },
            ],
        ));
        h.push_str(&bars(
            "GPU-hours served and demand lost (withdrawn or refused), per year",
            "GPU-hours",
            &ys,
            &[
                Series {
                    name: "served",
                    colour: BLUE,
                    values: o.years.iter().map(|y| y.served_gpu_hours).collect(),
                },
                Series {
                    name: "lost demand",
                    colour: ORANGE,
                    values: o.years.iter().map(|y| y.lost_demand_gpu_hours).collect(),
                },
            ],
        ));
        let mut cost = 0.0;
        let mut value = 0.0;
        let (mut costs, mut values) = (Vec::new(), Vec::new());
        for y in &o.years {
            cost += y.capex_eur + y.opex_eur;
            value += y.market_value_eur;
            costs.push(cost);
            values.push(value);
        }
        h.push_str(&bars(
            "Cumulative cost (capex and opex) against the market value of the hours served",
            "EUR",
            &ys,
            &[
                Series {
                    name: "cumulative cost",
                    colour: ORANGE,
                    values: costs,
                },
                Series {
                    name: "cumulative market value",
                    colour: GREEN,
                    values,
                },
            ],
        ));
        let names: Vec<String> = o.tenants.iter().map(|t| t.name.clone()).collect();
        h.push_str(&bars(
            "Wait before a job starts, per tenant",
            "hours",
            &names,
            &[
                Series {
                    name: "median",
                    colour: GREY,
                    values: o.tenants.iter().map(|t| t.wait_s_p50 / 3600.0).collect(),
                },
                Series {
                    name: "95th percentile",
                    colour: BLUE,
                    values: o.tenants.iter().map(|t| t.wait_s_p95 / 3600.0).collect(),
                },
            ],
        ));
    }
    h.push_str(
        "<p class=\"note\">Sources of every default figure: <code>gigafactory catalog sources</code>. \
         The same figures are in summary.json, years.csv and tenants.csv beside this file.</p>\n\
         </body></html>\n",
    );
    h
}

fn headline(a: &Assessment, o: Option<&SimOutcome>) -> String {
    let mut rows: Vec<(String, String)> = Vec::new();
    let budget = match (a.budget_eur, a.capex_share_of_budget) {
        (Some(b), Some(s)) => format!(" ({:.0}% of the {} budget)", s * 100.0, eur_words(b)),
        _ => String::new(),
    };
    rows.push((
        "Capex".into(),
        format!("{}{budget}", eur_words(a.capex_eur)),
    ));
    for s in &a.sites {
        rows.push((
            format!("Power at {}", s.name),
            format!(
                "{:.1} MW rated facility power against a {:.0} MW grid connection",
                s.facility_power_mw, s.grid_mw
            ),
        ));
    }
    rows.push((
        "Cost per delivered GPU-hour".into(),
        format!(
            "EUR {:.2} (EUR {:.2} per H100-equivalent hour) against a market rent of EUR {:.2} \
             per H100-hour",
            a.cost_per_gpu_hour_eur, a.cost_per_h100_hour_eur, a.market_rent_eur_per_gpu_hour
        ),
    ));
    rows.push((
        "Utilisation".into(),
        match o {
            Some(o) => format!(
                "{:.1}% of GPU-time in service, simulated",
                o.utilization * 100.0
            ),
            None => format!("{:.0}% assumed", a.assumed_utilization * 100.0),
        },
    ));
    if let Some(o) = o {
        for t in &o.tenants {
            rows.push((
                format!("Wait p95, {}", t.name),
                format!("{:.1} h", t.wait_s_p95 / 3600.0),
            ));
        }
        rows.push((
            "CO2".into(),
            format!("{:.0} t CO2e over the simulated time", o.co2_t),
        ));
    } else {
        rows.push((
            "CO2".into(),
            format!("{:.0} t CO2e a year", a.co2_t_per_year),
        ));
    }
    let mut h = String::from("<h2>Headline figures</h2>\n<table>\n");
    for (k, v) in rows {
        writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", esc(&k), esc(&v)).expect("String");
    }
    h.push_str("</table>\n");
    h
}
