//! `gigafactory workload`: statistics of a trace or a scenario's tenants, in the columns
//! the trace authors publish; generating a scenario's jobs as native CSV; the presets.

use crate::output::{out, outln};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use gigafactory::workload::generate::{PRESETS, published};
use gigafactory::workload::native::NativeWriter;
use gigafactory::workload::{
    Format, JobSource, ReadOptions, SkipCounts, Stats, StatsBuilder, TraceReader,
};

use crate::table::{Align, int, num, plural, render};
use crate::{Failure, read_scenario};
use gigafactory_report::folder::AtomicFile;

/// The `workload` subcommands.
#[derive(clap::Subcommand)]
pub(crate) enum WorkloadCommand {
    /// Summary statistics of a trace file or of a scenario's workload, per tenant.
    Stats {
        /// A trace file (any supported format; gzip is fine).
        #[arg(conflicts_with = "scenario", required_unless_present = "scenario")]
        file: Option<PathBuf>,
        /// The trace's format (guessed from the file when omitted).
        #[arg(long, value_parser = format_names())]
        format: Option<String>,
        /// A scenario whose workload (trace or tenants) to summarise.
        #[arg(long, value_name = "SCENARIO")]
        scenario: Option<String>,
        /// Skip and count malformed records instead of stopping at the first.
        #[arg(long)]
        lenient: bool,
        /// For traces whose times have no zone: hours east of UTC.
        #[arg(long, value_name = "HOURS", allow_hyphen_values = true, value_parser = parse_utc_offset)]
        utc_offset: Option<f64>,
        /// Show a preset's published row beside it (repeatable).
        #[arg(long, value_name = "PRESET", value_parser = preset_names())]
        compare: Vec<String>,
        /// JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Write a scenario's generated jobs as native CSV.
    Generate {
        /// The scenario (a file or a built-in name) with [[tenant]] tables.
        #[arg(long, value_name = "SCENARIO")]
        scenario: String,
        /// Output file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The job-mix presets and the published traces they are fitted to.
    Presets,
}

fn format_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(Format::ALL.map(|(_, n)| n))
}

fn preset_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(PRESETS.map(|p| p.0))
}

/// Run a `workload` subcommand.
pub(crate) fn run(cmd: WorkloadCommand) -> Result<(), Failure> {
    match cmd {
        WorkloadCommand::Stats {
            file,
            format,
            scenario,
            lenient,
            utc_offset,
            compare,
            json,
        } => {
            let (rows, skipped) = match (file, scenario) {
                (Some(f), _) => {
                    let options = ReadOptions {
                        lenient,
                        utc_offset_hours: utc_offset,
                        ..ReadOptions::default()
                    };
                    let reader = TraceReader::open(
                        &f,
                        format.as_deref().and_then(Format::from_name),
                        &options,
                    )
                    .map_err(|e| Failure::Input(format!("error: {e}\n")))?;
                    summarise_source(JobSource::Trace {
                        reader,
                        duration_scale: 1.0,
                    })?
                }
                (None, Some(s)) => {
                    let source = scenario_source(&s)?;
                    summarise_source(source)?
                }
                (None, None) => unreachable!("clap requires one"),
            };
            out!("{}", show(&rows, &compare, skipped, json));
            Ok(())
        }
        WorkloadCommand::Generate { scenario, out } => generate(&scenario, &out),
        WorkloadCommand::Presets => {
            let rows: Vec<Vec<String>> = PRESETS
                .iter()
                .map(|(id, target, what)| {
                    let src = published()
                        .iter()
                        .find(|p| p.id == *target)
                        .map_or("", |p| p.source.as_str());
                    vec![id.to_string(), src.to_string(), what.to_string()]
                })
                .collect();
            out!(
                "{}",
                render(&["Preset", "Fitted to", "What"], &[Align::Left; 3], &rows)
            );
            outln!(
                "\nSources (keys: `gigafactory catalog sources`). How presets are fitted: README, Workloads."
            );
            Ok(())
        }
    }
}

fn scenario_source(arg: &str) -> Result<JobSource, Failure> {
    let src = read_scenario(Some(arg))?;
    crate::prepare(&src)?
        .job_source()
        .map_err(|e| Failure::Input(format!("error: {e}\n")))?
        .ok_or_else(|| {
            Failure::Input(format!(
                "error: {}: the scenario has no [workload] trace and no [[tenant]] tables\n",
                src.label
            ))
        })
}

type Rows = Vec<(String, Stats)>;

fn summarise_source(mut source: JobSource) -> Result<(Rows, Option<SkipCounts>), Failure> {
    let mut per: BTreeMap<u32, StatsBuilder> = BTreeMap::new();
    let mut all = StatsBuilder::default();
    for job in source.by_ref() {
        let job = job.map_err(|e| Failure::Input(format!("error: {e}\n")))?;
        per.entry(job.tenant.0).or_default().add(&job);
        all.add(&job);
    }
    let skipped = match &source {
        JobSource::Trace { reader, .. } => Some(reader.skipped()),
        JobSource::Generated(_) => None,
    };
    Ok((rows(per, all, source.tenants()), skipped))
}

fn rows(
    per: BTreeMap<u32, StatsBuilder>,
    all: StatsBuilder,
    tenants: &gigafactory::workload::Tenants,
) -> Rows {
    let mut v: Rows = per
        .into_iter()
        .map(|(t, b)| {
            (
                tenants.name(gigafactory::workload::TenantId(t)).to_string(),
                b.finish(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    if v.len() != 1 {
        v.push(("(all)".into(), all.finish()));
    }
    v
}

fn show(rows: &Rows, compare: &[String], skipped: Option<SkipCounts>, json: bool) -> String {
    let published_rows: Vec<_> = compare
        .iter()
        .filter_map(|c| {
            PRESETS
                .iter()
                .find(|p| p.0 == c)
                .and_then(|p| published().iter().find(|s| s.id == p.1))
        })
        .collect();
    if json {
        let v = serde_json::json!({
            "rows": rows.iter().map(|(n, s)| serde_json::json!({"tenant": n, "stats": s})).collect::<Vec<_>>(),
            "published": published_rows.iter().map(|p| serde_json::json!({
                "id": p.id, "source": p.source, "job_num": p.job_num,
                "avg_run_time_gpu": p.avg_run_time_gpu, "med_run_time_gpu": p.med_run_time_gpu,
                "avg_gpu_num": p.avg_gpu_num, "med_gpu_num": p.med_gpu_num,
                "complete_rate_gpu": p.complete_rate_gpu, "cancel_rate_gpu": p.cancel_rate_gpu, "fail_rate_gpu": p.fail_rate_gpu,
            })).collect::<Vec<_>>(),
            "skipped": skipped.map(|s| serde_json::json!({
                "zero_gpu": s.zero_gpu, "no_gpu_record": s.no_gpu_record, "unfinished": s.unfinished, "malformed": s.malformed,
            })),
        });
        return serde_json::to_string_pretty(&v).expect("JSON") + "\n";
    }
    let headers = [
        "tenant",
        "job_num",
        "avg_run_time_gpu",
        "med_run_time_gpu",
        "avg_gpu_num",
        "med_gpu_num",
        "complete_rate_gpu",
        "cancel_rate_gpu",
        "fail_rate_gpu",
        "complete_rate_gpu_time",
        "cancel_rate_gpu_time",
        "fail_rate_gpu_time",
        "gpu_hours",
    ];
    let mut align = vec![Align::Left];
    align.extend([Align::Right; 12]);
    let mut table: Vec<Vec<String>> = rows
        .iter()
        .map(|(n, s)| {
            vec![
                n.clone(),
                int(s.job_num),
                num(s.avg_run_time_gpu, 1),
                num(s.med_run_time_gpu, 1),
                num(s.avg_gpu_num, 3),
                num(s.med_gpu_num, 1),
                num(s.complete_rate_gpu, 3),
                num(s.cancel_rate_gpu, 3),
                num(s.fail_rate_gpu, 3),
                num(s.complete_rate_gpu_time, 3),
                num(s.cancel_rate_gpu_time, 3),
                num(s.fail_rate_gpu_time, 3),
                num(s.gpu_hours, 0),
            ]
        })
        .collect();
    for p in &published_rows {
        let g = p.gpu_time_shares();
        let gpu_s = p.complete_gpu_time + p.cancel_gpu_time + p.fail_gpu_time;
        table.push(vec![
            format!("published: {} ({})", p.id, p.source),
            int(p.job_num),
            num(p.avg_run_time_gpu, 1),
            num(p.med_run_time_gpu, 1),
            num(p.avg_gpu_num, 3),
            num(p.med_gpu_num, 1),
            num(p.complete_rate_gpu, 3),
            num(p.cancel_rate_gpu, 3),
            num(p.fail_rate_gpu, 3),
            num(g[0], 3),
            num(g[1], 3),
            num(g[2], 3),
            num(gpu_s / 3600.0, 0),
        ]);
    }
    let mut out = render(&headers, &align, &table);
    out.push_str(
        "\nTimes in seconds; *_rate_gpu are shares of jobs, *_rate_gpu_time shares of GPU time.\n",
    );
    if let Some(s) = skipped {
        out.push_str(&format!(
            "Passed over: {} jobs without GPUs, {} without a GPU record, {} unfinished, {} malformed.\n",
            int(s.zero_gpu),
            int(s.no_gpu_record),
            int(s.unfinished),
            int(s.malformed)
        ));
    }
    out
}

fn generate(scenario: &str, out: &Path) -> Result<(), Failure> {
    let source = scenario_source(scenario)?;
    let JobSource::Generated(mut generator) = source else {
        return Err(Failure::Input(format!(
            "error: {scenario}: the scenario replays a trace; `generate` needs [[tenant]] tables\n"
        )));
    };
    let fail =
        |e: std::io::Error| Failure::Run(format!("error: cannot write {}: {e}\n", out.display()));
    // Written under a temporary name and renamed when complete.
    let result = (|| {
        let mut w = NativeWriter::new(AtomicFile::create(out)?)?;
        let mut n = 0u64;
        while let Some(job) = generator.next() {
            w.write(&job, generator.tenants())?;
            n += 1;
        }
        w.finish()?.commit()?;
        Ok(n)
    })();
    match result {
        Ok(n) => {
            outln!("Wrote {} to {}", plural(n, "job"), out.display());
            Ok(())
        }
        Err(e) => Err(fail(e)),
    }
}

/// `--utc-offset`: hours east of UTC, from -12 to 14 (the zones that exist).
fn parse_utc_offset(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (-12.0..=14.0).contains(&x) => Ok(x),
        Ok(x) => Err(format!("expected hours from -12 to 14, found {x}")),
        Err(_) => Err(format!("expected hours east of UTC, found \"{s}\"")),
    }
}
