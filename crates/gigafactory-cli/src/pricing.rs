//! The terminal's lines on access and who pays: what the calls for proposals awarded;
//! revenue per class at the scenario's `[prices]`, the public subsidy, and the price paying
//! users would need for the facility to break even.

use gigafactory::run::Evaluation;

use crate::table::{Align, num, render};

/// Euros in millions, or billions past a thousand million.
fn eur(x: f64) -> String {
    if x.abs() >= 1e9 {
        format!("€{} bn", num(x / 1e9, 2))
    } else {
        format!("€{} M", num(x / 1e6, 1))
    }
}

/// The section on prices and subsidy, empty without prices.
pub(crate) fn render_pricing(e: &Evaluation) -> String {
    let Some(p) = &e.pricing else {
        return String::new();
    };
    let mut out = format!(
        "\nWho pays ([prices], EUR per GPU-hour allocated): cost {} (capex paid and opex), \
         revenue {}, public subsidy {}\n({}% of the cost); the mean cost of a GPU-hour is €{}.\n",
        eur(p.cost_eur),
        eur(p.revenue_eur),
        eur(p.subsidy_eur),
        num(
            if p.cost_eur > 0.0 {
                p.subsidy_eur / p.cost_eur * 100.0
            } else {
                0.0
            },
            1
        ),
        num(p.cost_eur_per_gpu_hour, 2),
    );
    if let Some(x) = p.subsidy_eur_per_free_gpu_hour {
        out.push_str(&format!(
            "The subsidy per GPU-hour of the free classes (price 0): €{}.\n",
            num(x, 2)
        ));
    }
    match p.break_even_eur_per_gpu_hour {
        Some(x) => out.push_str(&format!(
            "Paying classes would need €{} per GPU-hour for revenue to cover the cost, the free \
             classes unchanged.\n",
            num(x, 2)
        )),
        None => out.push_str("No class pays: the public pays the whole cost.\n"),
    }
    let rows: Vec<Vec<String>> = p
        .classes
        .iter()
        .map(|c| {
            vec![
                c.class.clone(),
                if c.market_linked {
                    format!("market, mean {}", num(c.price_eur_per_gpu_hour, 2))
                } else {
                    num(c.price_eur_per_gpu_hour, 2)
                },
                num(c.gpu_hours / 1e6, 2),
                eur(c.revenue_eur),
                eur(c.subsidy_eur),
                num(c.subsidy_eur_per_gpu_hour, 2),
            ]
        })
        .collect();
    let mut align = vec![Align::Left];
    align.extend([Align::Right; 5]);
    out.push_str(&render(
        &[
            "Class",
            "€/GPU-h",
            "M GPU-h",
            "Revenue",
            "Subsidy",
            "Subsidy €/GPU-h",
        ],
        &align,
        &rows,
    ));
    out
}

/// The section on calls for proposals, empty without calls.
pub(crate) fn render_calls(e: &Evaluation) -> String {
    let Some(c) = &e.calls else {
        return String::new();
    };
    let rows: Vec<Vec<String>> = c
        .calls
        .iter()
        .map(|f| {
            vec![
                f.name.clone(),
                format!("{} ({})", f.tenant, f.class),
                f.rounds.to_string(),
                format!("{} / {}", f.accepted, f.proposals),
                format!("{}%", num(f.acceptance_rate * 100.0, 1)),
                num(f.requested_h100_hours, 0),
                num(f.budget_h100_hours, 0),
                num(f.oversubscription, 2),
                num(f.awarded_h100_hours, 0),
                f.served_gpu_hours.map_or("-".into(), |x| num(x, 0)),
                f.wait_p95_h.map_or("-".into(), |x| num(x, 2)),
            ]
        })
        .collect();
    let table = render(
        &[
            "Call",
            "Tenant (class)",
            "Rounds",
            "Awarded",
            "Rate",
            "Requested H100-h",
            "Budget H100-h",
            "Oversubscribed",
            "Awarded H100-h",
            "Served GPU-h",
            "Wait p95 h",
        ],
        &[
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
        &rows,
    );
    format!(
        "\nCalls for proposals ([[call]]): each round awards proposals in full, in the rule's \
         order, while they fit its budget\n(the call's share of the plan's H100-hours over the \
         allocation period); declined hours are demand the call turned away.\n{table}"
    )
}
