//! Reports of a run: one self-contained HTML page (inline CSS and SVG, nothing fetched
//! when it is opened) with the headline figures and charts, readable printed to PDF.

mod compare;
pub mod folder;
mod pricing;
mod services;
mod summary;
mod svg;
mod sweep;
mod tables;

use std::fmt::Write as _;

use gigafactory::model::Assessment;
use gigafactory::run::{Evaluation, SimOutcome, TimeSeries};
use gigafactory::units::{Date, eur_words};

pub use compare::compare_html;
pub use folder::{OutputError, RunFolder, TableFormat, Tee, comparison_json, write_comparison};
pub use summary::{Headline, SeedSpread, Seeds, Summary};
pub use svg::{Line, Series, XAxis, bars, esc, lines};
pub use sweep::{Journal, JournalError, PARTIAL, sweep_json, write_sweep};
pub use tables::{tenants_csv, years_csv};

const BLUE: &str = "#1f5fa8";
const ORANGE: &str = "#d9822b";
const GREY: &str = "#8a8f98";
const GREEN: &str = "#3a8c4a";
/// Colours for one line per tenant or site, in turn.
const PALETTE: [&str; 8] = [
    "#1f5fa8", "#d9822b", "#3a8c4a", "#b23a48", "#7b4fa0", "#2a9d9d", "#8a6d3b", "#5d6470",
];

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;\
color:#1d2126;padding:0 1em}h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;\
margin-top:1.6em;border-bottom:1px solid #ccd}table{border-collapse:collapse;margin:.6em 0}\
td,th{padding:.25em .8em;text-align:left;border-bottom:1px solid #e4e6ea}td.n{text-align:right;\
font-variant-numeric:tabular-nums}.note{color:#555;font-size:.92em}figure.chart{margin:1em 0;\
break-inside:avoid}svg{width:100%;height:auto}svg .title{font-weight:600;font-size:14px}\
svg .tick{font-size:11px;fill:#444}svg .grid{stroke:#dde;stroke-width:1}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}}";

/// The report of evaluation `e`: one self-contained HTML page.
#[must_use]
pub fn html(e: &Evaluation) -> String {
    let (a, o, label, start, years) = (
        &e.assessment,
        e.outcome.as_ref(),
        &e.label,
        e.start,
        e.horizon_years,
    );
    let mut h = String::new();
    write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{t}</title><style>{STYLE}</style></head><body>\n<h1>{t}</h1>\n\
         <p class=\"note\">{label}: {n} accelerators at {s} site{plural}, from {start} for {years} \
         year{years_plural}. \
         Made by gigafactory {v}.</p>\n",
        t = esc(&a.name),
        label = esc(label),
        n = a.gpus,
        s = a.sites.len(),
        plural = if a.sites.len() == 1 { "" } else { "s" },
        years_plural = if years == 1 { "" } else { "s" },
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
    h.push_str(&services::section(e));
    h.push_str(&pricing::section(e));
    h.push_str(&pricing::calls_section(e));
    h.push_str("<h2>Charts</h2>\n");
    let sites: Vec<String> = a.sites.iter().map(|s| s.name.clone()).collect();
    h.push_str(&bars(
        "Facility power at rated load against the grid connection",
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
    h.push_str(&capability_chart(a));
    if let Some(o) = o {
        let ys: Vec<String> = o.years.iter().map(|y| y.label.clone()).collect();
        h.push_str(&over_time(o, start));
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
            "Cumulative cost against the market value of the hours served",
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
        h.push_str(&wait_cdf(o));
    }
    h.push_str(
        "<p class=\"note\">Sources of every default figure: <code>gigafactory catalog sources</code>. \
         The same figures are in summary.json, years.csv and tenants.csv beside this file.</p>\n\
         </body></html>\n",
    );
    h
}

/// Daily means of the hourly series: (day since the start, per-day values). Days with no
/// rows (outside time-sampling windows) are missing, and lines break there.
struct Daily {
    day: Vec<f64>,
    online: Vec<f64>,
    allocated: Vec<f64>,
    // [site][day]
    power_mw: Vec<Vec<f64>>,
    // [tenant][day]
    queued_jobs: Vec<Vec<f64>>,
}

fn daily(ts: &TimeSeries) -> Daily {
    let mut d = Daily {
        day: Vec::new(),
        online: Vec::new(),
        allocated: Vec::new(),
        power_mw: vec![Vec::new(); ts.sites.len()],
        queued_jobs: vec![Vec::new(); ts.queued_jobs.len()],
    };
    let mut hours_in_day = 0.0;
    let mut last_hour = None;
    let close = |d: &mut Daily, n: f64| {
        if n > 0.0 {
            let k = d.day.len() - 1;
            d.online[k] /= n;
            d.allocated[k] /= n;
            for v in d.power_mw.iter_mut().chain(d.queued_jobs.iter_mut()) {
                v[k] /= n;
            }
        }
    };
    for r in 0..ts.len() {
        let hour = ts.hour[r];
        let day = f64::from(hour / 24);
        if d.day.last() != Some(&day) {
            close(&mut d, hours_in_day);
            hours_in_day = 0.0;
            d.day.push(day);
            d.online.push(0.0);
            d.allocated.push(0.0);
            for v in d.power_mw.iter_mut().chain(d.queued_jobs.iter_mut()) {
                v.push(0.0);
            }
        }
        let k = d.day.len() - 1;
        if last_hour != Some(hour) {
            last_hour = Some(hour);
            hours_in_day += 1.0;
            // The facility's queue is repeated in each site's row: count it once an hour.
            for (t, q) in ts.queued_jobs.iter().enumerate() {
                d.queued_jobs[t][k] += q[r];
            }
        }
        d.online[k] += ts.gpus_online[r];
        d.allocated[k] += ts.gpus_allocated[r];
        d.power_mw[ts.site[r] as usize][k] += ts.facility_power_mw[r];
    }
    close(&mut d, hours_in_day);
    d
}

/// Points of one daily line, with a break wherever days are missing.
fn daily_points(days: &[f64], values: &[f64]) -> Vec<(f64, f64)> {
    let mut p = Vec::with_capacity(days.len());
    for (i, (&x, &y)) in days.iter().zip(values).enumerate() {
        if i > 0 && x - days[i - 1] > 1.0 {
            p.push((x - 1.0, f64::NAN));
        }
        p.push((x, y));
    }
    p
}

/// The time axis of a run from `start` over `days` days: a tick at each 1 January, or at
/// the first of each month for runs under 500 days.
fn time_axis(start: Date, days: f64) -> XAxis {
    let mut ticks = Vec::new();
    {
        let s = start;
        let (y0, m0, _) = s.ymd();
        let monthly = days < 500.0;
        let step = if days < 200.0 { 1 } else { 3 };
        for k in 0..1200u32 {
            let (y, m) = if monthly {
                let m = m0 - 1 + k * step;
                (y0 + (m / 12) as i32, m % 12 + 1)
            } else {
                (y0 + k as i32 + 1, 1)
            };
            let Ok(d) = Date::from_ymd(y, m, 1) else {
                break;
            };
            let at = d.days_since(&s) as f64;
            if at > days {
                break;
            }
            if at >= 0.0 {
                let label = if monthly {
                    format!("{y}-{m:02}")
                } else {
                    y.to_string()
                };
                ticks.push((at, label));
            }
        }
    }
    XAxis {
        min: 0.0,
        max: days.max(1.0),
        log: false,
        ticks,
        label: format!("from {start}, daily means"),
    }
}

/// The charts over time: GPUs online and allocated, queue per tenant, power per site.
fn over_time(o: &SimOutcome, start: Date) -> String {
    let ts = &o.series;
    let d = daily(ts);
    let x = time_axis(start, o.simulated_s as f64 / 86_400.0);
    let mut h = lines(
        "Accelerators online and allocated",
        &x,
        "GPUs",
        None,
        &[
            Line {
                name: "online",
                colour: GREY,
                points: daily_points(&d.day, &d.online),
            },
            Line {
                name: "allocated",
                colour: BLUE,
                points: daily_points(&d.day, &d.allocated),
            },
        ],
    );
    let queue: Vec<Line<'_>> = ts
        .tenants
        .iter()
        .enumerate()
        .map(|(t, name)| Line {
            name,
            colour: PALETTE[t % PALETTE.len()],
            points: daily_points(&d.day, &d.queued_jobs[t]),
        })
        .collect();
    h.push_str(&lines("Jobs waiting, per tenant", &x, "jobs", None, &queue));
    let power: Vec<Line<'_>> = ts
        .sites
        .iter()
        .enumerate()
        .map(|(s, name)| Line {
            name,
            colour: PALETTE[s % PALETTE.len()],
            points: daily_points(&d.day, &d.power_mw[s]),
        })
        .collect();
    h.push_str(&lines("Facility power, per site", &x, "MW", None, &power));
    h
}

/// The wait before a job starts, per tenant, as a cumulative distribution on a log scale.
fn wait_cdf(o: &SimOutcome) -> String {
    let floor_h = 1.0 / 60.0;
    let max_h = o
        .tenants
        .iter()
        .filter_map(|t| t.wait_s_by_percentile.last())
        .fold(1.0f64, |m, w| m.max(w / 3600.0));
    let mut top = 1.0;
    while top < max_h {
        top *= 10.0;
    }
    let mut ticks = vec![
        (floor_h, "1 min".to_string()),
        (10.0 / 60.0, "10 min".into()),
    ];
    let mut t = 1.0;
    while t <= top {
        ticks.push((t, format!("{} h", short_hours(t))));
        t *= 10.0;
    }
    let x = XAxis {
        min: floor_h,
        max: top,
        log: true,
        ticks,
        label: "wait before the first start (log scale; under a minute drawn at one minute)".into(),
    };
    let cdf: Vec<Line<'_>> = o
        .tenants
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.wait_s_by_percentile.is_empty())
        .map(|(i, t)| Line {
            name: &t.name,
            colour: PALETTE[i % PALETTE.len()],
            points: t
                .wait_s_by_percentile
                .iter()
                .enumerate()
                .map(|(q, w)| ((w / 3600.0).max(floor_h), q as f64 / 100.0))
                .collect(),
        })
        .collect();
    lines(
        "Wait before a job starts, per tenant (cumulative share of jobs)",
        &x,
        "share of jobs",
        Some(1.0),
        &cdf,
    )
}

fn short_hours(h: f64) -> String {
    if h >= 1000.0 {
        format!("{}k", h / 1000.0)
    } else {
        format!("{h}")
    }
}

/// How far the plan's largest training run is behind the frontier, year by year: the
/// years between the year's first day and the day the frontier was that size (0 when the
/// plan can train the frontier run; the FLOP are in the headline and the tables, since a
/// linear scale cannot show a run a thousandth of the frontier's).
fn capability_chart(a: &Assessment) -> String {
    let c = &a.capability;
    let behind = |y: &gigafactory::model::CapabilityYear| {
        y.plan_matches_frontier_of.map_or(0.0, |d| {
            (y.start.days_since(&d) as f64 / gigafactory::units::MEAN_YEAR_DAYS).max(0.0)
        })
    };
    bars(
        &format!(
            "Years the plan's largest {:.0}-day run is behind the frontier",
            c.params.max_run_days
        ),
        "years",
        &c.years.iter().map(|y| y.label.clone()).collect::<Vec<_>>(),
        &[Series {
            name: "behind the frontier run, years (0: can train it)",
            colour: ORANGE,
            values: c.years.iter().map(behind).collect(),
        }],
    )
}

/// The headline row on frontier capability: the plan's first year against the frontier,
/// and the day it falls behind.
fn capability_headline(a: &Assessment) -> String {
    let c = &a.capability;
    let Some(y) = c.years.first() else {
        return String::new();
    };
    let behind = c.plan.behind_from.map_or_else(
        || "never holds a whole run".into(),
        |d| format!("behind the frontier from {d}"),
    );
    let share = 100.0 * y.plan_flop / y.frontier_flop;
    let share = if share >= 1.0 {
        format!("{share:.0}%")
    } else {
        format!("{share:.1e}%")
    };
    format!(
        "{:.1e} FLOP in {:.0} days in {} against the frontier run's {:.1e} ({share}); {behind}",
        y.plan_flop, c.params.max_run_days, y.label, y.frontier_flop,
    )
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
        if a.cost_per_gpu_hour_eur.is_finite() {
            format!(
                "EUR {:.2} (EUR {:.2} per H100-equivalent hour) against a market rent of EUR \
                 {:.2} per H100-hour",
                a.cost_per_gpu_hour_eur, a.cost_per_h100_hour_eur, a.market_rent_eur_per_gpu_hour
            )
        } else {
            format!(
                "undefined: nothing served (market rent EUR {:.2} per H100-hour)",
                a.market_rent_eur_per_gpu_hour
            )
        },
    ));
    rows.push(("Largest training run".into(), capability_headline(a)));
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
        // Services submit no jobs: their line is in the services' table.
        for t in o.tenants.iter().filter(|t| t.tokens.is_none()) {
            rows.push((
                format!("Wait p95, {}", t.name),
                format!(
                    "{:.1} h to the first start; {:.1} h queued in all, with requeues \
                     (completed jobs)",
                    t.wait_s_p95 / 3600.0,
                    t.queued_s_p95 / 3600.0
                ),
            ));
        }
        if o.jobs_rejected > 0 || o.cross_site_runs > 0 {
            let flop: f64 = o.tenants.iter().map(|t| t.refused_flop).sum();
            rows.push((
                "Refused, across sites".into(),
                format!(
                    "{} refused ({flop:.1e} FLOP of work); {} across sites ({:.0} GPU-hours \
                     while they did)",
                    count(o.jobs_rejected, "job"),
                    count(o.cross_site_runs, "run"),
                    o.cross_site_gpu_hours
                ),
            ));
        }
        rows.push((
            "CO2".into(),
            format!(
                "{} t CO2e over the simulated time",
                gigafactory::units::thousands(o.co2_t.round() as u64)
            ),
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

/// `n` `noun`s, the noun singular for one.
fn count(n: u64, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
