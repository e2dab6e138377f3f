//! `gigafactory sweep`: plans evaluated over samples of the first one's uncertain inputs,
//! each figure's distribution, the odds each plan is best, and what decides the answer.

use std::io::IsTerminal;
use std::path::Path;

use gigafactory::catalog::Catalog;
use gigafactory::plan;
use gigafactory::plan::sensitivity::Design;
use gigafactory::plan::sweep::{self, FigureSummary, Influence};
use gigafactory::plan::sweep_setup::{self, SetupError, SweepOptions};
use gigafactory::plan::swings::{self, Swing};
use gigafactory::run::Sample;

use crate::Failure;
use crate::compare_cmd::shown;
use crate::output::{out, outln};
use crate::table::{Align, int, render};

/// What `gigafactory sweep` was asked.
pub(crate) struct Args<'a> {
    /// The scenario whose `[[uncertain]]` tables are swept, then other plans.
    pub plans: &'a [String],
    /// Base samples.
    pub samples: usize,
    /// Seeds per point.
    pub seeds: u32,
    /// Latin hypercube or Saltelli's scheme.
    pub design: Design,
    /// Where to write sweep.parquet and summary.json.
    pub out: Option<&'a Path>,
    /// Print summary.json instead of the tables.
    pub json: bool,
    /// Print nothing but errors.
    pub quiet: bool,
    /// Threads (default: all cores).
    pub jobs: Option<usize>,
    /// Only the first N years of each plan.
    pub years: Option<u32>,
    /// How simulated plans are sampled.
    pub sample: Sample,
    /// Evaluate at assumed utilisation, not simulating jobs.
    pub unsimulated: bool,
}

/// The figures the terminal shows what decides, in this order.
const DECIDED: [&str; 5] = [
    "cost_per_h100_hour_eur",
    "cost_over_rent",
    "total_cost_eur",
    "utilization",
    "co2_t",
];

pub(crate) fn run(args: &Args<'_>) -> Result<(), Failure> {
    let options = SweepOptions {
        samples: args.samples,
        seeds: args.seeds,
        design: args.design,
        years: args.years,
        sample: args.sample,
        unsimulated: args.unsimulated,
        threads: args.jobs.unwrap_or(usize::MAX),
    };
    let (plans, spec) =
        sweep_setup::setup(args.plans, &options, Catalog::builtin()).map_err(|e| match e {
            SetupError::Invalid(bad) => Failure::Input(bad.report()),
            SetupError::Input(m) => Failure::Input(format!("error: {m}\n")),
            SetupError::Option {
                name,
                value,
                message,
            } => Failure::Input(format!("error: --{name} {value}: {message}\n")),
        })?;
    let inputs = spec.inputs.clone();
    let show = !args.quiet && std::io::stderr().is_terminal();
    let started = std::time::Instant::now();
    let progress = |done: usize, total: usize| {
        if !show {
            return;
        }
        let f = done as f64 / total as f64;
        let spent = started.elapsed().as_secs_f64();
        let left = if f > 0.0 {
            format!(", about {:.0} s left", spent / f * (1.0 - f))
        } else {
            String::new()
        };
        eprint!("\r{done}/{total} points, {spent:.0} s{left}   ");
    };
    // With --out, every finished point is kept in the folder as it finishes, so that the
    // same command run again after a kill continues where this one stopped.
    let (journal, done) = match args.out {
        None => (None, Vec::new()),
        Some(dir) => {
            let (j, done) = gigafactory_report::Journal::open(dir, &sweep::identity(&plans, &spec))
                .map_err(|e| match e {
                    gigafactory_report::JournalError::Other(_) => {
                        Failure::Input(format!("error: --out {}: {e}\n", dir.display()))
                    }
                    gigafactory_report::JournalError::Output(_) => {
                        Failure::Run(format!("error: {e}\n"))
                    }
                })?;
            (Some(j), done)
        }
    };
    if !done.is_empty() && !args.quiet {
        eprintln!(
            "Resuming: {} points from an earlier run of this sweep in {}.",
            int(done.len() as u64),
            args.out.map_or(String::new(), |d| d.display().to_string())
        );
    }
    let kept: std::sync::Mutex<Option<std::io::Error>> = std::sync::Mutex::new(None);
    let finished = |row: &sweep::SweepRow| {
        if let Some(j) = &journal {
            if let Err(e) = j.record(row) {
                kept.lock().expect("no panic").get_or_insert(e);
            }
        }
    };
    let s = sweep::resume(
        &plans,
        &spec,
        Catalog::builtin(),
        done,
        &finished,
        &progress,
        None,
    )
    .map_err(|e| Failure::Input(format!("error: {e}\n")))?;
    if show {
        eprint!("\r{}\r", " ".repeat(60));
    }
    if let Some(e) = kept.into_inner().expect("no panic") {
        return Err(Failure::Run(format!(
            "error: cannot keep the sweep's points in {}: {e}\n",
            gigafactory_report::PARTIAL
        )));
    }
    let figures = s.summary();
    // One at a time: each input at its 5% and 95% quantiles, the others at their medians.
    let swings = if args.quiet && args.out.is_none() {
        Vec::new()
    } else {
        swings::swings(&plans, &spec, Catalog::builtin())
            .map_err(|e| Failure::Input(format!("error: {e}\n")))?
    };
    let written = match args.out {
        None => Vec::new(),
        Some(dir) => gigafactory_report::write_sweep(dir, &s, &inputs, &figures, &swings)
            .map_err(|e| Failure::Run(format!("error: {e}\n")))?,
    };
    if let Some(j) = journal {
        j.finish().map_err(|e| {
            Failure::Run(format!(
                "error: cannot remove {}: {e}\n",
                gigafactory_report::PARTIAL
            ))
        })?;
    }
    if args.quiet {
        return Ok(());
    }
    if args.json {
        out!(
            "{}",
            gigafactory_report::sweep_json(&s, &inputs, &figures, &swings)
        );
        return Ok(());
    }
    let k = inputs.len();
    outln!(
        "{} samples of {k} uncertain input{} ({}) × {} seed{} × {} plan{}: {} points in {:.1} s.",
        int(s.values.len() as u64),
        if k == 1 { "" } else { "s" },
        match args.design {
            Design::Latin => "Latin hypercube",
            Design::Saltelli => "Saltelli's scheme",
        },
        s.seeds.len(),
        if s.seeds.len() == 1 { "" } else { "s" },
        plans.len(),
        if plans.len() == 1 { "" } else { "s" },
        int(s.rows.len() as u64),
        started.elapsed().as_secs_f64()
    );
    if args.unsimulated {
        outln!(
            "Each plan at its assumed utilisation (economics.assumed_utilization): no jobs simulated."
        );
    }
    for ((n, why), label) in s.infeasible().iter().zip(&s.labels) {
        if let (1.., Some(why)) = (n, why) {
            outln!(
                "{label}: cannot be built at {} of {} points (left out of its figures), e.g. {why}",
                int(*n as u64),
                int((s.rows.len() / s.labels.len()) as u64)
            );
        }
    }
    out!("{}", distributions(&s.labels, &figures));
    out!("{}", decides(&s.labels, &s.inputs, &figures, args.design));
    out!("{}", one_at_a_time(&s.labels, &s.inputs, &figures, &swings));
    if let Some(dir) = args.out {
        outln!("\nWrote {} in {}", written.join(", "), dir.display());
    }
    Ok(())
}

/// Each figure per plan: median and the 5–95% range; the odds each plan is best; the
/// verdict.
fn distributions(labels: &[String], figures: &[FigureSummary]) -> String {
    let mut headers: Vec<String> = vec!["Figure".into()];
    headers.extend(labels.iter().map(|l| format!("{l}: median [5%, 95%]")));
    let multi = labels.len() > 1;
    if multi {
        headers.push("P(best)".into());
        headers.push("Better".into());
    }
    let rows: Vec<Vec<String>> = figures
        .iter()
        .filter(|f| f.per_plan.iter().any(Option::is_some))
        .map(|f| {
            let unit = f.unit;
            let mut row = vec![f.label.to_string()];
            row.extend(f.per_plan.iter().map(|d| match d {
                None => "-".into(),
                Some(d) if d.q05 == d.q95 => shown(unit, d.median),
                Some(d) => format!(
                    "{} [{}, {}]",
                    shown(unit, d.median),
                    shown(unit, d.q05),
                    shown(unit, d.q95)
                ),
            }));
            if multi {
                row.push(f.p_best.as_ref().map_or_else(
                    || "-".into(),
                    |p| {
                        p.iter()
                            .map(|x| format!("{:.0}%", x * 100.0))
                            .collect::<Vec<_>>()
                            .join(" / ")
                    },
                ));
                row.push(match f.verdict {
                    plan::Verdict::Better { plan, .. } => labels[plan].clone(),
                    plan::Verdict::AboutEqual(_) => "about equal".into(),
                    plan::Verdict::Unranked => "-".into(),
                });
            }
            row
        })
        .collect();
    let h: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut align = vec![Align::Left];
    align.extend(std::iter::repeat_n(Align::Right, labels.len()));
    if multi {
        align.push(Align::Right);
        align.push(Align::Left);
    }
    format!(
        "\n{}{}",
        render(&h, &align, &rows),
        if multi {
            "P(best): the share of points (sample and seed, the same for every plan) at which \
             each plan is best, in the plans' order. Better: by the one rule for verdicts \
             (README, Comparing plans), over every point, paired.\n"
        } else {
            ""
        }
    )
}

/// What decides the headline figures, per plan: each input's total Sobol index (or rank
/// correlation), largest first.
fn decides(labels: &[String], inputs: &[String], figures: &[FigureSummary], d: Design) -> String {
    let mut s = format!(
        "\nWhat decides the answer ({}):\n",
        match d {
            Design::Latin => "Spearman's rank correlation of each figure with each input",
            Design::Saltelli =>
                "total Sobol index ± half its 95% interval; first order in brackets",
        }
    );
    for key in DECIDED {
        let Some(f) = figures.iter().find(|f| f.key == key) else {
            continue;
        };
        for (p, label) in labels.iter().enumerate() {
            let Some(inf) = &f.influence[p] else { continue };
            let parts: Vec<(f64, String)> = match inf {
                Influence::Rank(r) => inputs
                    .iter()
                    .zip(r)
                    .filter_map(|(i, x)| x.map(|x| (x.abs(), format!("{i} {x:+.2}"))))
                    .collect(),
                Influence::Sobol(ix) => inputs
                    .iter()
                    .zip(ix)
                    .filter_map(|(i, x)| {
                        x.map(|x| {
                            (
                                x.total,
                                format!("{i} {:.2} ± {:.2} [{:.2}]", x.total, x.total_95, x.first),
                            )
                        })
                    })
                    .collect(),
            };
            ranked(&mut s, labels.len() > 1, label, f.label, parts);
        }
    }
    s
}

/// The headline figures' swings per plan: each input from its 5% to its 95% quantile with
/// the others at their medians, largest swing first.
fn one_at_a_time(
    labels: &[String],
    inputs: &[String],
    figures: &[FigureSummary],
    swings: &[Vec<Swing>],
) -> String {
    let mut s = String::from(
        "\nOne at a time (each input at its 5% and 95% quantiles, the others at their medians, \
         first seed):\n",
    );
    for key in DECIDED {
        let Some(f) = figures.iter().find(|f| f.key == key) else {
            continue;
        };
        for (p, label) in labels.iter().enumerate() {
            let parts: Vec<(f64, String)> = inputs
                .iter()
                .zip(&swings[p])
                .filter_map(|(i, w)| match w.figure(key) {
                    (Some(lo), Some(hi)) => Some((
                        (hi - lo).abs(),
                        format!("{i} {} → {}", shown(f.unit, lo), shown(f.unit, hi)),
                    )),
                    _ => None,
                })
                .collect();
            ranked(&mut s, labels.len() > 1, label, f.label, parts);
        }
    }
    // Where a plan cannot be built at a swing's end, its figures there are missing: say so.
    for (label, mine) in labels.iter().zip(swings) {
        let bad: Vec<(&str, &str, &String)> = inputs
            .iter()
            .zip(mine)
            .flat_map(|(i, w)| {
                [("5%", &w.at_low), ("95%", &w.at_high)]
                    .into_iter()
                    .filter_map(move |(q, f)| f.as_ref().err().map(|e| (i.as_str(), q, e)))
            })
            .collect();
        if let Some((input, q, why)) = bad.first() {
            s.push_str(&format!(
                "  {label} cannot be built at {} of {} swing points (left out above), e.g. \
                 with {input} at its {q} quantile: {why}\n",
                bad.len(),
                2 * inputs.len()
            ));
        }
    }
    s
}

/// One line of a "what decides" block: a plan's figure and its inputs' parts, the largest
/// (by the number each comes with) first; nothing where no input has a part.
fn ranked(
    s: &mut String,
    name_plan: bool,
    plan: &str,
    figure: &str,
    mut parts: Vec<(f64, String)>,
) {
    if parts.is_empty() {
        return;
    }
    parts.sort_by(|a, b| b.0.total_cmp(&a.0));
    let who = if name_plan {
        format!("{plan}: ")
    } else {
        String::new()
    };
    let list: Vec<String> = parts.into_iter().map(|p| p.1).collect();
    s.push_str(&format!("  {who}{figure}: {}\n", list.join(", ")));
}
