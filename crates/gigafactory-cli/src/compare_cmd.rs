//! `gigafactory compare`: plans side by side, run in parallel with the same seeds, with the
//! rent baseline; a verdict on each figure by the library's one rule.

use crate::output::{out, outln};
use std::path::Path;

use gigafactory::catalog::Catalog;
use gigafactory::plan;
use gigafactory::run::Sample;

use crate::table::{Align, eur, num, render};
use crate::{Failure, prepare, read_scenario};

/// What `gigafactory compare` was asked.
pub(crate) struct Args<'a> {
    /// Scenario files or built-in names.
    pub plans: &'a [String],
    /// Where to write compare.json and report.html.
    pub out: Option<&'a Path>,
    /// Print compare.json instead of the table.
    pub json: bool,
    /// Print nothing but errors.
    pub quiet: bool,
    /// Only the first N years of each plan.
    pub years: Option<u32>,
    /// How each plan is sampled.
    pub sample: Sample,
    /// How many seeds each plan runs under.
    pub seeds: u32,
}

/// Run and compare the plans (files or built-in names), each sampled as `run` samples it,
/// so that a plan's figures here are those `run` gives it.
pub(crate) fn run(args: &Args<'_>) -> Result<(), Failure> {
    let mut prepared = Vec::new();
    for arg in args.plans {
        let mut plan = prepare(&read_scenario(Some(arg))?)?;
        // Named in the table as the user named it.
        plan.label.clone_from(arg);
        if let Some(n) = args.years {
            plan.shorten(n)
                .map_err(|e| Failure::Input(format!("error: --years {n}: {arg} {e}\n")))?;
        }
        prepared.push(plan);
    }
    if args.seeds > 1 && !prepared.iter().any(|p| p.has_workload()) {
        return Err(Failure::Input(format!(
            "error: --seeds {}: no plan has a workload to simulate ([[tenant]] tables or a \
             [workload] trace): their figures are the same under every seed\n",
            args.seeds
        )));
    }
    let c = plan::compare(prepared, Catalog::builtin(), args.sample, args.seeds)
        .map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    let (labels, figures, rows) = (&c.labels, &c.figures, &c.rows);
    let text = gigafactory_report::comparison_json(&c);
    if let Some(dir) = args.out {
        let cells: Vec<Vec<String>> = rows.iter().map(show).collect();
        let verdicts: Vec<String> = rows.iter().map(|r| verdict(r, labels)).collect();
        gigafactory_report::write_comparison(dir, &c, &cells, &verdicts, &footnote(&c))
            .map_err(|e| Failure::Run(format!("error: {e}\n")))?;
    }
    if args.quiet {
        return Ok(());
    }
    if args.json {
        out!("{text}");
        return Ok(());
    }
    let mut headers: Vec<&str> = vec!["Figure"];
    headers.extend(labels.iter().map(String::as_str));
    headers.push("Better");
    let mut align = vec![Align::Left];
    align.extend(labels.iter().map(|_| Align::Right));
    align.push(Align::Left);
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut v = vec![r.label.to_string()];
            v.extend(show(r));
            v.push(verdict(r, labels));
            v
        })
        .collect();
    out!("{}", render(&headers, &align, &table));
    tenants_table(&c);
    let how = if figures.iter().any(|f| f.simulated) {
        "simulated where a plan has a workload, else"
    } else {
        "all"
    };
    let over = format!(
        "Over each plan's horizon ({how} at its assumed utilisation), {}. The rent baseline is \
         what renting the same H100-equivalent hours would cost at the market rent of their \
         time; cost ÷ rent below 100% means building is cheaper than renting.",
        seeds_note(&c.seeds)
    );
    outln!("\n{}", wrap(&over, 90));
    outln!("{}", footnote(&c));
    if let Some(n) = args.years {
        outln!(
            "--years {n}: each plan's whole capex is charged against its first {}, not \
             prorated over its life, so cost per hour and cost ÷ rent read high: compare \
             plans with each other, not with the rent.",
            if n == 1 {
                "year".to_string()
            } else {
                format!("{n} years")
            }
        );
    }
    for (label, f) in labels.iter().zip(figures) {
        if let Some(note) = &f.sampling {
            outln!("{label}: {note}.");
        }
        for w in &f.warnings {
            outln!("{label}: warning: {w}.");
        }
    }
    Ok(())
}

/// Each tenant's service in each plan, under the first seed: what the plans' differences
/// (a placement rule, a size, a policy) do to whom. Nothing where no plan is simulated.
fn tenants_table(c: &plan::Comparison) {
    let rows = c.tenants();
    if rows.is_empty() {
        return;
    }
    let mut headers = vec!["Tenant (first seed)".to_string(), "Figure".to_string()];
    headers.extend(c.labels.iter().cloned());
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut align = vec![Align::Left, Align::Left];
    align.extend(c.labels.iter().map(|_| Align::Right));
    let cells = |v: &[Option<f64>], digits: usize| -> Vec<String> {
        v.iter()
            .map(|x| x.map_or("-".to_string(), |x| num(x, digits)))
            .collect()
    };
    let mut table = Vec::new();
    for r in &rows {
        let refused: Vec<Option<f64>> =
            r.jobs_refused.iter().map(|x| x.map(|n| n as f64)).collect();
        for (i, (label, values, digits)) in [
            ("Served GPU-h", &r.served_gpu_hours, 0),
            ("Lost demand GPU-h", &r.lost_demand_gpu_hours, 0),
            ("Jobs refused", &refused, 0),
            ("Wait p95 h", &r.wait_p95_h, 2),
        ]
        .into_iter()
        .enumerate()
        {
            let mut row = vec![
                if i == 0 {
                    r.name.clone()
                } else {
                    String::new()
                },
                label.to_string(),
            ];
            row.extend(cells(values, digits));
            table.push(row);
        }
    }
    out!("\n{}", render(&headers, &align, &table));
}

/// Which seeds the plans ran under, in words.
fn seeds_note(seeds: &[u64]) -> String {
    match seeds {
        [one] => format!("seed {one} for every plan"),
        [first, .., last] => format!(
            "{} seeds ({first} to {last}) for every plan: each value the mean over them, \
             ± half its 95% interval",
            seeds.len()
        ),
        [] => String::new(),
    }
}

/// The "Better" cell: the plan named better, marked where the verdict rests on one
/// replication; "about equal" where the lead is within noise or tolerance.
fn verdict(r: &plan::Row, labels: &[String]) -> String {
    match r.verdict {
        plan::Verdict::Unranked => "-".into(),
        plan::Verdict::Better {
            plan,
            basis: plan::Basis::OneReplication,
        } => format!("{} (1 run)", labels[plan]),
        plan::Verdict::Better { plan, .. } => labels[plan].clone(),
        plan::Verdict::AboutEqual(plan::Within::Sampled) => "about equal (sampled)".into(),
        plan::Verdict::AboutEqual(_) => "about equal".into(),
    }
}

/// How the verdicts were reached, in words.
fn footnote(c: &plan::Comparison) -> String {
    let sampled = c.figures.iter().any(|f| f.sampling.is_some());
    if !c.figures.iter().any(|f| f.simulated) {
        return "Better: the lower cost or power, the more hours or capability; no figure is \
                simulated, so any difference decides."
            .into();
    }
    let mut s = if c.seeds.len() > 1 {
        "Better: a plan is named only where its lead on every other plan exceeds the 95% \
         interval of their paired differences over the seeds"
            .to_string()
    } else {
        "Better: the plan ahead in one replication, marked \"(1 run)\": the simulation's own \
         noise is not measured (--seeds R measures it, and names a plan only where its lead \
         exceeds the 95% interval of the paired differences)"
            .to_string()
    };
    if sampled {
        s.push_str(&format!(
            "; a sampled run's lead must also exceed the sampling's tolerance ({}% of a total, \
             {} points of utilisation, measured against whole runs), and waits, lost demand and \
             refusals are not ranked under sampling (\"about equal (sampled)\")",
            plan::SAMPLED_TOTAL * 100.0,
            plan::SAMPLED_SHARE * 100.0
        ));
    }
    s.push_str(
        "; otherwise \"about equal\". Figures the simulation does not draw (capex, power, \
         capability) are exact.",
    );
    wrap(&s, 90)
}

/// `text` broken into lines of at most `width` characters at spaces.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        let n = word.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
    }
    out
}

/// A row's values as tables show them (`-` where a plan lacks the figure), each with its
/// 95% interval where the seeds moved it.
fn show(r: &plan::Row) -> Vec<String> {
    r.values
        .iter()
        .zip(&r.half_width_95)
        .map(|(v, hw)| match (v, hw) {
            (None, _) => "-".into(),
            (Some(x), Some(h)) if *h > 0.0 => {
                format!("{} ± {}", shown(r.unit, *x), plus_minus(r.unit, *h))
            }
            (Some(x), _) => shown(r.unit, *x),
        })
        .collect()
}

/// Half an interval as tables show it: points for shares, days for dates.
pub(crate) fn plus_minus(unit: plan::Unit, h: f64) -> String {
    match unit {
        plan::Unit::Date => format!("{h:.0} days"),
        plan::Unit::Share => format!("{} pts", num(h * 100.0, 1)),
        u => shown(u, h),
    }
}

/// A figure as tables show it.
pub(crate) fn shown(unit: plan::Unit, x: f64) -> String {
    match unit {
        plan::Unit::Count => num(x, 0),
        plan::Unit::Eur => eur(x),
        plan::Unit::Share => format!("{}%", num(x * 100.0, 1)),
        plan::Unit::Mw => num(x, 1),
        plan::Unit::Hours => num(x, 2),
        plan::Unit::Flop => format!("{x:.1e}"),
        plan::Unit::Date => gigafactory::units::Date::from_ymd(1970, 1, 1)
            .expect("a valid day")
            .add_days(x as i64)
            .to_string(),
    }
}
