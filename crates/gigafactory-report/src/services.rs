//! report.html's section on inference services: tokens, cost per million against the
//! market, and the GPUs they hold through the day.

use std::fmt::Write as _;

use gigafactory::run::{Evaluation, TimeSeries};
use gigafactory::units::thousands;

use crate::svg::{Series, bars, esc};
use crate::{BLUE, ORANGE};

/// Mean GPUs allocated and serving in each hour of the day (UTC), summed over sites.
fn by_hour(ts: &TimeSeries) -> ([f64; 24], [f64; 24]) {
    // Per simulated hour, summed over sites; then the mean over the days.
    let mut alloc = [0.0; 24];
    let mut serving = [0.0; 24];
    let mut seen = vec![std::collections::BTreeSet::new(); 24];
    for r in 0..ts.len() {
        let h = ts.hour[r] as usize % 24;
        alloc[h] += ts.gpus_allocated[r];
        serving[h] += ts.gpus_serving[r];
        seen[h].insert(ts.hour[r]);
    }
    for h in 0..24 {
        let n = seen[h].len().max(1) as f64;
        alloc[h] /= n;
        serving[h] /= n;
    }
    (alloc, serving)
}

/// The section, empty without services.
pub(crate) fn section(e: &Evaluation) -> String {
    let Some(o) = &e.outcome else {
        return String::new();
    };
    if e.services.is_empty() {
        return String::new();
    }
    let mut h = String::from(
        "<h2>Inference services</h2>\n<p class=\"note\">Replicas follow each service's demand \
         through the day under the utilisation ceiling of their throughput; tokens beyond it \
         are not served in time. A service's cost is its replicas' GPU-hours at the cost per \
         delivered GPU-hour, split between input and output tokens by the GPU time each \
         took; the market price is the median list price of open-weight models of the \
         class (<code>gigafactory catalog serving</code>).</p>\n<table>\n<tr><th>Service</th>\
         <th>Model</th><th>Tokens served</th><th>Not served in time</th><th>GPU-hours</th>\
         <th>EUR per M input (market)</th><th>EUR per M output (market)</th></tr>\n",
    );
    for s in &e.services {
        writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{:.3e}</td><td class=\"n\">{:.3e}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{:.3} ({:.3})</td>\
             <td class=\"n\">{:.3} ({:.3})</td></tr>",
            esc(&s.tenant),
            esc(&s.model),
            s.tokens_served,
            s.tokens_not_served,
            thousands(s.gpu_hours.round() as u64),
            s.eur_per_m_input,
            s.market_eur_per_m_input,
            s.eur_per_m_output,
            s.market_eur_per_m_output
        )
        .expect("String");
    }
    h.push_str("</table>\n");
    if let Some(k) = e.hours_by_kind {
        writeln!(
            h,
            "<p class=\"note\">GPU-hours by kind: serving {}, training {}, batch {}; {} batch \
             jobs preempted for replicas.</p>",
            thousands(k.serving_gpu_hours.round() as u64),
            thousands(k.training_gpu_hours.round() as u64),
            thousands(k.batch_gpu_hours.round() as u64),
            thousands(o.service_preemptions)
        )
        .expect("String");
    }
    let (alloc, serving) = by_hour(&o.series);
    let batch: Vec<f64> = alloc.iter().zip(&serving).map(|(a, s)| a - s).collect();
    let hours: Vec<String> = (0..24).map(|h| format!("{h:02}")).collect();
    h.push_str(&bars(
        "GPUs by hour of the day (UTC), mean over the simulated days",
        "GPUs",
        &hours,
        &[
            Series {
                name: "serving",
                colour: ORANGE,
                values: serving.to_vec(),
            },
            Series {
                name: "jobs (batch and training)",
                colour: BLUE,
                values: batch,
            },
        ],
    ));
    h
}
