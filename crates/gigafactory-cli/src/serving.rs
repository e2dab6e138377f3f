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

/// `gigafactory catalog serving`: the scaling rule's defaults, the model classes with a
/// replica on each catalogued accelerator, the daily profiles and the market's prices.
pub(crate) fn serving_catalog(c: &gigafactory::catalog::Catalog) -> (String, Vec<String>) {
    let s = &c.serving;
    let rows: Vec<Vec<String>> = [
        ("prefill_mfu", &s.prefill_mfu),
        ("kv_headroom", &s.kv_headroom),
        ("utilisation_ceiling", &s.utilisation_ceiling),
        ("startup_s", &s.startup_s),
        ("scale_interval_min", &s.scale_interval_min),
    ]
    .iter()
    .map(|(k, d)| vec![k.to_string(), format!("{}", d.value), d.source.clone()])
    .collect();
    let mut out = render(
        &["Parameter ([serving])", "Value", "Source"],
        &[Align::Left, Align::Right, Align::Left],
        &rows,
    );
    out.push_str("\nModel classes:\n");
    let rows: Vec<Vec<String>> = s
        .model
        .iter()
        .map(|m| {
            vec![
                m.id.clone(),
                num(m.params_b, 0),
                num(m.active_b, 0),
                m.source.clone(),
            ]
        })
        .collect();
    out.push_str(&render(
        &["Model", "Parameters (B)", "Active (B)", "Source"],
        &[Align::Left, Align::Right, Align::Right, Align::Left],
        &rows,
    ));
    out.push_str(
        "\nA replica on each accelerator: GPUs, and input / output tokens a second per GPU \
         (output measured on a\n70B model where a source has it, [der] otherwise; input \
         [der] from peak BF16 x prefill_mfu):\n",
    );
    let mut headers = vec!["Accelerator".to_string(), "70B out/s".into()];
    headers.extend(s.model.iter().map(|m| m.id.clone()));
    let rows: Vec<Vec<String>> = c
        .accelerators
        .iter()
        .map(|a| {
            let (t70, measured) =
                s.tokens_70b(&a.id, Some(a), a.relative_throughput, &c.accelerators);
            let mut row = vec![
                a.id.clone(),
                format!(
                    "{}{}",
                    num(t70, 0),
                    if measured { " [pub]" } else { " [der]" }
                ),
            ];
            row.extend(s.model.iter().map(|m| {
                let r = s.replica(
                    m,
                    &a.id,
                    Some(a),
                    a.relative_throughput,
                    a.memory_gb,
                    s.prefill_mfu.value,
                    &c.accelerators,
                );
                format!(
                    "{} x {} / {}",
                    r.gpus,
                    num(r.input_tokens_per_s, 0),
                    num(r.output_tokens_per_s, 0)
                )
            }));
            row
        })
        .collect();
    let header_refs: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut align = vec![Align::Left];
    align.extend(vec![Align::Right; headers.len() - 1]);
    out.push_str(&render(&header_refs, &align, &rows));
    let notes: Vec<String> = s
        .throughput_70b
        .iter()
        .map(|t| format!("{} 70B: {}", t.accelerator, t.source))
        .collect();
    out.push_str("\nDaily profiles (a cosine through the weekday; weekends at the factor):\n");
    let rows: Vec<Vec<String>> = s
        .profile
        .iter()
        .map(|p| {
            vec![
                p.id.clone(),
                format!("{}x", p.peak_to_trough),
                format!("{}", p.weekend_factor),
                format!("{:02}:00", p.trough_hour),
                p.source.clone(),
            ]
        })
        .collect();
    out.push_str(&render(
        &["Profile", "Peak/trough", "Weekend", "Quietest", "Source"],
        &[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
        ],
        &rows,
    ));
    out.push_str("\nMarket list prices per million tokens, USD (median over providers):\n");
    let rows: Vec<Vec<String>> = s
        .price
        .iter()
        .map(|p| {
            vec![
                p.model.clone(),
                num(p.input_usd_per_mtok, 2),
                num(p.output_usd_per_mtok, 2),
                p.source.clone(),
            ]
        })
        .collect();
    out.push_str(&render(
        &["Model", "Input", "Output", "Source"],
        &[Align::Left, Align::Right, Align::Right, Align::Left],
        &rows,
    ));
    (out, notes)
}
