//! report.html's section on who pays: revenue per class at the scenario's `[prices]`, the
//! public subsidy, the break-even price, and cost against revenue year by year.

use std::fmt::Write as _;

use gigafactory::run::Evaluation;
use gigafactory::units::thousands;

use crate::svg::{Series, bars, esc};
use crate::{BLUE, ORANGE};

/// Euros as whole thousands.
fn eur(x: f64) -> String {
    let s = thousands(x.abs().round() as u64);
    if x < 0.0 { format!("−{s}") } else { s }
}

/// The section, empty without prices.
pub(crate) fn section(e: &Evaluation) -> String {
    let Some(p) = &e.pricing else {
        return String::new();
    };
    let mut h = String::from(
        "<h2>Who pays</h2>\n<p class=\"note\">Revenue is each tenant's allocated GPU-hours \
         at its class's price (<code>[prices]</code>, EUR per GPU-hour; 0 is a free tier). \
         The cost is each year's capex paid and opex over the simulated years, capex in \
         full in the year it is paid (the headline cost per GPU-hour spreads it over the \
         hardware's life instead, so the two differ where the horizon is shorter than that \
         life); the subsidy is the cost less the revenue. A class's subsidy is its hours at the mean cost of a GPU-hour less what it \
         paid; the classes' subsidies add up to the total.</p>\n",
    );
    writeln!(
        h,
        "<p>Cost EUR {}, revenue EUR {}, public subsidy EUR {}; mean cost EUR {:.2} per \
         GPU-hour.{}{}</p>",
        eur(p.cost_eur),
        eur(p.revenue_eur),
        eur(p.subsidy_eur),
        p.cost_eur_per_gpu_hour,
        p.subsidy_eur_per_free_gpu_hour
            .map(|x| format!(" Subsidy per GPU-hour of the free classes: EUR {x:.2}."))
            .unwrap_or_default(),
        p.break_even_eur_per_gpu_hour
            .map(|x| format!(" Paying classes would break even at EUR {x:.2} per GPU-hour."))
            .unwrap_or_default(),
    )
    .expect("String");
    h.push_str(
        "<table>\n<tr><th>Class</th><th>EUR per GPU-hour</th><th>GPU-hours</th>\
         <th>Revenue, EUR</th><th>Subsidy, EUR</th><th>Subsidy per GPU-hour, EUR</th></tr>\n",
    );
    for c in &p.classes {
        writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}{:.2}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.2}</td></tr>",
            esc(&c.class),
            if c.market_linked { "market, mean " } else { "" },
            c.price_eur_per_gpu_hour,
            thousands(c.gpu_hours.round() as u64),
            eur(c.revenue_eur),
            eur(c.subsidy_eur),
            c.subsidy_eur_per_gpu_hour
        )
        .expect("String");
    }
    h.push_str("</table>\n");
    let years: Vec<String> = p.years.iter().map(|y| y.year.to_string()).collect();
    h.push_str(&bars(
        "Cost and revenue by year",
        "EUR",
        &years,
        &[
            Series {
                name: "cost (capex paid and opex)",
                colour: BLUE,
                values: p.years.iter().map(|y| y.cost_eur).collect(),
            },
            Series {
                name: "revenue",
                colour: ORANGE,
                values: p.years.iter().map(|y| y.revenue_eur).collect(),
            },
        ],
    ));
    h
}

/// The section on calls for proposals, empty without calls: per call, proposals received
/// and awarded, hours requested against the budget and awarded, and how its tenant was
/// served (each proposal is in `projects.csv`).
pub(crate) fn calls_section(e: &Evaluation) -> String {
    let Some(c) = &e.calls else {
        return String::new();
    };
    let mut h = String::from(
        "<h2>Calls for proposals</h2>\n<p class=\"note\">Each round awards proposals in \
         full, in the call's order (review score, smallest first, or a lottery), while they fit \
         its budget: the call's share of the plan's H100-hours over the allocation period. The \
         awards are the tenant's demand; declined hours are demand the call turned away. \
         Each proposal is a row of <code>projects.csv</code>; the tenant's service and waits \
         are in its row of the tenants' table.</p>\n<table>\n<tr><th>Call (tenant)</th>\
         <th>Awarded / proposals (rounds)</th><th>Acceptance</th><th>Requested H100-h</th>\
         <th>Budget H100-h</th><th>Over-subscription</th><th>Awarded H100-h</th></tr>\n",
    );
    let n = |x: f64| thousands(x.max(0.0).round() as u64);
    for f in &c.calls {
        writeln!(
            h,
            "<tr><td>{} ({}, {})</td><td class=\"n\">{} / {} ({})</td>\
             <td class=\"n\">{:.1}%</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{:.2}</td><td class=\"n\">{}</td></tr>",
            esc(&f.name),
            esc(&f.tenant),
            f.class,
            f.accepted,
            f.proposals,
            f.rounds,
            f.acceptance_rate * 100.0,
            n(f.requested_h100_hours),
            n(f.budget_h100_hours),
            f.oversubscription,
            n(f.awarded_h100_hours),
        )
        .expect("String");
    }
    h.push_str("</table>\n");
    h
}
