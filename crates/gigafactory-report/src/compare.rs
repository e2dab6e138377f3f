//! The report of `gigafactory compare`: the plans side by side.

use std::fmt::Write as _;

use gigafactory::plan::{Comparison, PlanFigures};
use gigafactory::run::SimOutcome;

use crate::svg::{Line, Series, XAxis, bars, esc, lines};
use crate::{BLUE, Daily, GREEN, GREY, ORANGE, PALETTE, STYLE, daily, daily_points};

/// One plan of a comparison: its label, its figures and, when simulated, its outcome.
struct ComparedPlan<'a> {
    /// Where it came from (file or built-in name).
    label: &'a str,
    /// Its headline figures over the horizon.
    figures: &'a PlanFigures,
    /// The simulation's outcome, when the plan was simulated.
    outcome: Option<&'a SimOutcome>,
}

/// A row of the comparison table: the figure, each plan's value as shown, the verdict.
struct CompareRow {
    /// What the figure is.
    label: String,
    /// One cell per plan.
    shown: Vec<String>,
    /// The verdict as the table words it.
    verdict: String,
}

/// The report of `gigafactory compare`: the plans side by side, as a table (with the cells
/// as `cells` shows them, a row per figure and a cell per plan, and each row's verdict as
/// `verdicts` words it, with `rule` saying how they were reached) and charts.
#[must_use]
pub fn compare_html(
    c: &Comparison,
    cells: &[Vec<String>],
    verdicts: &[String],
    rule: &str,
) -> String {
    let plans: Vec<ComparedPlan<'_>> = c
        .labels
        .iter()
        .zip(&c.figures)
        .zip(&c.outcomes)
        .map(|((label, figures), o)| ComparedPlan {
            label,
            figures,
            outcome: o.as_ref(),
        })
        .collect();
    let rows: Vec<CompareRow> = c
        .rows
        .iter()
        .zip(cells)
        .zip(verdicts)
        .map(|((r, shown), verdict)| CompareRow {
            label: r.label.to_string(),
            shown: shown.clone(),
            verdict: verdict.clone(),
        })
        .collect();
    let seeds = match c.seeds.as_slice() {
        [first, .., last] => format!(
            "the same {} seeds ({first} to {last}) for every plan, each value the mean over \
             them ± half its 95% interval",
            c.seeds.len()
        ),
        _ => format!("the same seed ({}) for every plan", c.seed),
    };
    let mut h = String::new();
    write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Plans compared</title><style>{STYLE}</style></head><body>\n\
         <h1>Plans compared</h1>\n<p class=\"note\">{n} plans, {seeds}, so that the same \
         demand meets each. Made by gigafactory {v}.</p>\n",
        n = plans.len(),
        v = env!("CARGO_PKG_VERSION"),
    )
    .expect("String");
    for p in &plans {
        if let Some(note) = &p.figures.sampling {
            writeln!(
                h,
                "<p class=\"note\"><strong>{} was sampled.</strong> {}.</p>",
                esc(p.label),
                esc(note)
            )
            .expect("String");
        }
    }
    h.push_str("<h2>Side by side</h2>\n<table>\n<tr><th>Figure</th>");
    for p in &plans {
        write!(h, "<th>{}</th>", esc(p.label)).expect("String");
    }
    h.push_str("<th>Better</th></tr>\n");
    for r in &rows {
        write!(h, "<tr><th>{}</th>", esc(&r.label)).expect("String");
        for c in &r.shown {
            write!(h, "<td class=\"n\">{}</td>", esc(c)).expect("String");
        }
        writeln!(h, "<td>{}</td></tr>", esc(&r.verdict)).expect("String");
    }
    writeln!(h, "</table>\n<p class=\"note\">{}</p>", esc(rule)).expect("String");
    h.push_str("<h2>Charts</h2>\n");
    h.push_str(&figure_charts(&plans));
    h.push_str(&simulated_charts(&plans));
    h.push_str(
        "<p class=\"note\">The rent baseline is what renting the same H100-equivalent hours would \
         cost at the market rent of their time. The same figures are in compare.json beside this \
         file.</p>\n</body></html>\n",
    );
    h
}

/// Each plan's money, utilisation and emissions side by side.
fn figure_charts(plans: &[ComparedPlan<'_>]) -> String {
    let mut h = String::new();
    let labels: Vec<String> = plans.iter().map(|p| p.label.to_string()).collect();
    let per_plan = |f: &dyn Fn(&PlanFigures) -> f64| -> Vec<f64> {
        plans.iter().map(|p| f(p.figures)).collect()
    };
    h.push_str(&bars(
        "Capex and total cost over the horizon",
        "EUR",
        &labels,
        &[
            Series {
                name: "capex",
                colour: BLUE,
                values: per_plan(&|f| f.capex_eur),
            },
            Series {
                name: "total cost (capex + opex)",
                colour: ORANGE,
                values: per_plan(&|f| f.total_cost_eur),
            },
            Series {
                name: "renting the same hours",
                colour: GREEN,
                values: per_plan(&|f| f.rent_baseline_eur),
            },
        ],
    ));
    h.push_str(&bars(
        "Cost per served H100-equivalent hour against renting it",
        "EUR per hour",
        &labels,
        &[
            Series {
                name: "cost",
                colour: ORANGE,
                values: per_plan(&|f| f.cost_per_h100_hour_eur),
            },
            Series {
                name: "rent",
                colour: GREEN,
                values: per_plan(&|f| f.rent_baseline_eur / f.served_h100_hours.max(1e-9)),
            },
        ],
    ));
    h.push_str(&bars(
        "Utilisation",
        "share of GPU-time",
        &labels,
        &[Series {
            name: "utilisation",
            colour: BLUE,
            values: per_plan(&|f| f.utilization),
        }],
    ));
    h.push_str(&bars(
        "Emissions over the horizon",
        "t CO2e",
        &labels,
        &[Series {
            name: "CO2",
            colour: GREY,
            values: per_plan(&|f| f.co2_t),
        }],
    ));
    h
}

/// The simulated plans' allocation over time and waits.
fn simulated_charts(plans: &[ComparedPlan<'_>]) -> String {
    let mut h = String::new();
    let simulated: Vec<&ComparedPlan<'_>> = plans.iter().filter(|p| p.outcome.is_some()).collect();
    if !simulated.is_empty() {
        let days = simulated
            .iter()
            .filter_map(|p| p.outcome)
            .map(|o| o.simulated_s as f64 / 86_400.0)
            .fold(1.0f64, f64::max);
        let year = gigafactory::units::MEAN_YEAR_DAYS;
        let ticks = (0..=(days / year).ceil() as u32)
            .map(|y| (f64::from(y) * year, format!("year {y}")))
            .filter(|(d, _)| *d <= days)
            .collect();
        let x = XAxis {
            min: 0.0,
            max: days,
            log: false,
            ticks,
            label: "from each plan's start, daily means".into(),
        };
        let dailies: Vec<Daily> = simulated
            .iter()
            .filter_map(|p| p.outcome)
            .map(|o| daily(&o.series))
            .collect();
        let alloc: Vec<Line<'_>> = simulated
            .iter()
            .zip(&dailies)
            .enumerate()
            .map(|(i, (p, d))| Line {
                name: p.label,
                colour: PALETTE[i % PALETTE.len()],
                points: daily_points(&d.day, &d.allocated),
            })
            .collect();
        h.push_str(&lines(
            "Accelerators allocated to jobs, per plan",
            &x,
            "GPUs",
            None,
            &alloc,
        ));
        h.push_str(&bars(
            "Wait before a job starts, 95th percentile",
            "hours",
            &simulated
                .iter()
                .map(|p| p.label.to_string())
                .collect::<Vec<_>>(),
            &[Series {
                name: "p95 wait",
                colour: BLUE,
                values: simulated
                    .iter()
                    .map(|p| p.figures.wait_s_p95.unwrap_or(0.0) / 3600.0)
                    .collect(),
            }],
        ));
    }
    h
}
