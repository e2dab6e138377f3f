//! The terminal's lines on inference services: tokens served, GPU-hours by kind, and the
//! cost per million tokens against the market.

use gigafactory::run::Evaluation;

use crate::table::{Align, int, num, render};

/// Tokens as a short figure: 1.2e12.
fn tokens(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else {
        format!("{x:.2e}")
    }
}

/// The services section of a simulated run, empty without services.
pub(crate) fn render_services(e: &Evaluation) -> String {
    let (Some(o), Some(k)) = (&e.outcome, e.hours_by_kind) else {
        return String::new();
    };
    if e.services.is_empty() {
        return String::new();
    }
    let all = k.serving_gpu_hours + k.training_gpu_hours + k.batch_gpu_hours;
    let pct = |x: f64| {
        if all > 0.0 {
            format!("{}%", num(x / all * 100.0, 1))
        } else {
            "0%".into()
        }
    };
    let mut out = format!(
        "\nServing: replicas follow each service's demand through the day, kept under the \
         utilisation ceiling of their\nthroughput ([serving], `gigafactory catalog serving`); \
         {} batch jobs preempted for them.\nGPU-hours by kind: serving {} · training {} · \
         batch {}\n",
        int(o.service_preemptions),
        pct(k.serving_gpu_hours),
        pct(k.training_gpu_hours),
        pct(k.batch_gpu_hours),
    );
    let headers = [
        "Service",
        "Model",
        "Tokens served",
        "Not in time",
        "GPU-h",
        "Busy",
        "€/M in",
        "€/M out",
        "Market €/M in",
        "Market €/M out",
    ];
    let mut align = vec![Align::Left, Align::Left];
    align.extend([Align::Right; 8]);
    let rows: Vec<Vec<String>> = e
        .services
        .iter()
        .map(|s| {
            vec![
                s.tenant.clone(),
                s.model.clone(),
                tokens(s.tokens_served),
                if s.tokens_demanded > 0.0 {
                    format!(
                        "{}%",
                        num(s.tokens_not_served / s.tokens_demanded * 100.0, 2)
                    )
                } else {
                    "0%".into()
                },
                num(s.gpu_hours, 0),
                format!("{}%", num(s.busy_share * 100.0, 0)),
                num(s.eur_per_m_input, 3),
                num(s.eur_per_m_output, 3),
                num(s.market_eur_per_m_input, 3),
                num(s.market_eur_per_m_output, 3),
            ]
        })
        .collect();
    out.push_str(&render(&headers, &align, &rows));
    out.push_str(
        "A service's cost is its replicas' GPU-hours at the cost per delivered GPU-hour, \
         split between input and output\ntokens by the GPU time each took at the catalogue's \
         throughput; the market price is the median list price\nof the model class's open \
         weights (genai-prices, `gigafactory catalog serving`).\n",
    );
    out
}
