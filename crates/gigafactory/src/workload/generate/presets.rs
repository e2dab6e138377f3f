//! Job-mix presets fitted to published trace summaries.
//!
//! # How a preset is fitted
//!
//! The targets are the published row (`data/trace_summaries.toml`): mean and median GPUs
//! per job, mean and median run time, the longest run and largest job, and the shares of
//! completed, cancelled and failed jobs, by jobs and by GPU time.
//!
//! - **GPUs per job**: 1 GPU with probability [`SINGLE_GPU_SHARE`], else a power of two
//!   from 2 to the largest allowed, with probability ∝ size^−α. The published median is 1
//!   everywhere, which any single-GPU share above one half gives; the share itself is not
//!   published, so 0.7 is a modelling choice. α is solved (bisection) so that the mean
//!   matches the published mean exactly.
//! - **Run time**: a mixture of two log-normals cut at the longest published run: short
//!   jobs (weight [`SHORT_WEIGHT`]) and long ones, both with log-spread [`SIGMA`]. The two
//!   medians are solved so that the mixture's median and mean equal the published ones
//!   (nested bisection on closed forms). Two components keep the sample mean stable (a
//!   single log-normal matching a mean/median ratio of 64 would need σ ≈ 2.9, whose sample
//!   mean over 200,000 jobs still wanders by ±14%).
//! - **Outcome**: chosen per component. The shares by jobs are met exactly; within that,
//!   the shares by GPU time are met as closely as probabilities allow (a least-squares
//!   projection). Where a trace puts far more GPU time than jobs in one outcome (Seren:
//!   7.5% of jobs but 66% of GPU time cancelled), the fit gets the direction and part of
//!   the size of that skew, since job size here does not depend on outcome.

use std::sync::OnceLock;

use serde::Deserialize;

use super::dist::TruncLogNormal;

/// Share of single-GPU jobs (a modelling choice; see the module docs).
pub const SINGLE_GPU_SHARE: f64 = 0.7;
/// Weight of the short-job component of the run-time mixture.
pub const SHORT_WEIGHT: f64 = 0.8;
/// Log-scale spread of each run-time component.
pub const SIGMA: f64 = 1.2;

/// A published summary row.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedSummary {
    /// Preset id.
    pub id: String,
    /// GPUs in the cluster, where given.
    #[serde(default)]
    pub cluster_gpus: Option<u32>,
    /// GPU jobs in the trace.
    pub job_num: u64,
    /// Mean run time, s.
    pub avg_run_time_gpu: f64,
    /// Median run time, s.
    pub med_run_time_gpu: f64,
    /// Longest run, s.
    pub max_run_time_gpu: f64,
    /// Mean GPUs per job.
    pub avg_gpu_num: f64,
    /// Median GPUs per job.
    pub med_gpu_num: f64,
    /// Largest job, GPUs, where given.
    #[serde(default)]
    pub max_gpu: Option<u32>,
    /// Share of jobs completed.
    pub complete_rate_gpu: f64,
    /// Share of jobs cancelled.
    pub cancel_rate_gpu: f64,
    /// Share of jobs failed.
    pub fail_rate_gpu: f64,
    /// GPU-seconds in completed jobs.
    pub complete_gpu_time: f64,
    /// GPU-seconds in cancelled jobs.
    pub cancel_gpu_time: f64,
    /// GPU-seconds in failed jobs.
    pub fail_gpu_time: f64,
    /// Source key(s).
    pub source: String,
}

impl PublishedSummary {
    /// Shares of completed, cancelled and failed jobs, normalised to sum to 1.
    pub fn job_shares(&self) -> [f64; 3] {
        normalise([
            self.complete_rate_gpu,
            self.cancel_rate_gpu,
            self.fail_rate_gpu,
        ])
    }

    /// Shares of GPU time in completed, cancelled and failed jobs.
    pub fn gpu_time_shares(&self) -> [f64; 3] {
        normalise([
            self.complete_gpu_time,
            self.cancel_gpu_time,
            self.fail_gpu_time,
        ])
    }

    /// The largest job allowed: the published maximum, else the largest power of two that
    /// fits the cluster, never above the trace-wide 2,048.
    pub fn max_job_gpus(&self) -> u32 {
        let fit = self
            .cluster_gpus
            .map_or(2048, |g| 1 << (31 - g.max(1).leading_zeros()));
        self.max_gpu.unwrap_or(fit.min(2048))
    }
}

fn normalise(x: [f64; 3]) -> [f64; 3] {
    let s: f64 = x.iter().sum();
    x.map(|v| v / s)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SummaryFile {
    summary: Vec<PublishedSummary>,
}

/// The published summaries built into the program.
pub fn published() -> &'static [PublishedSummary] {
    static S: OnceLock<Vec<PublishedSummary>> = OnceLock::new();
    S.get_or_init(|| {
        toml::from_str::<SummaryFile>(include_str!("../../../data/trace_summaries.toml"))
            .expect("built-in data/trace_summaries.toml is valid")
            .summary
    })
}

/// A fitted job mix.
#[derive(Debug, Clone)]
pub struct Preset {
    /// Preset id.
    pub id: String,
    /// What it is.
    pub description: String,
    /// The published row it was fitted to.
    pub target: PublishedSummary,
    /// Job sizes and their probabilities.
    pub sizes: Vec<(u32, f64)>,
    /// Short and long run-time components.
    pub short: TruncLogNormal,
    /// Long run-time component.
    pub long: TruncLogNormal,
    /// Weight of the short component.
    pub short_weight: f64,
    /// Outcome probabilities (completed, cancelled, failed) for short and long jobs.
    pub outcome_short: [f64; 3],
    /// The same for long jobs.
    pub outcome_long: [f64; 3],
}

/// Preset ids, with what each is.
pub const PRESETS: [(&str, &str, &str); 8] = [
    (
        "helios-venus",
        "helios-venus",
        "SenseTime Helios, Venus cluster (1,022 GPUs), 2020",
    ),
    (
        "helios-earth",
        "helios-earth",
        "SenseTime Helios, Earth cluster (997 GPUs), 2020",
    ),
    (
        "helios-saturn",
        "helios-saturn",
        "SenseTime Helios, Saturn cluster (2,080 GPUs), 2020",
    ),
    (
        "helios-uranus",
        "helios-uranus",
        "SenseTime Helios, Uranus cluster (2,119 GPUs), 2020",
    ),
    (
        "helios",
        "helios",
        "SenseTime Helios, all four clusters, 2020",
    ),
    ("philly", "philly", "Microsoft Philly, 2017"),
    (
        "seren",
        "seren",
        "Shanghai AI Lab Acme, Seren cluster: LLM development, 2023",
    ),
    (
        "llm-factory",
        "seren",
        "LLM-era public AI factory: no such trace is published; Acme's Seren, an LLM \
         development cluster of 2023, is the closest, and its fit is used",
    ),
];

/// The preset called `id`, fitted (fits are cheap: about 10 µs).
pub fn preset(id: &str) -> Option<Preset> {
    let (_, target_id, description) = PRESETS.iter().find(|(p, _, _)| *p == id)?;
    let target = published().iter().find(|s| s.id == *target_id)?.clone();
    Some(fit(id, description, target))
}

fn bisect(mut lo: f64, mut hi: f64, f: impl Fn(f64) -> f64) -> f64 {
    // f is increasing; find f(x) = 0.
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < 0.0 { lo = mid } else { hi = mid }
    }
    0.5 * (lo + hi)
}

fn sizes_for(alpha: f64, max: u32) -> Vec<(u32, f64)> {
    let mut tail: Vec<(u32, f64)> = std::iter::successors(Some(2u32), |k| k.checked_mul(2))
        .take_while(|k| *k <= max)
        .map(|k| (k, (k as f64).powf(-alpha)))
        .collect();
    let z: f64 = tail.iter().map(|(_, w)| w).sum();
    for t in &mut tail {
        t.1 *= (1.0 - SINGLE_GPU_SHARE) / z;
    }
    let mut v = vec![(1, SINGLE_GPU_SHARE)];
    v.extend(tail);
    v
}

fn mean_size(sizes: &[(u32, f64)]) -> f64 {
    sizes.iter().map(|(k, p)| *k as f64 * p).sum()
}

/// Fit a preset to `target` (see the module docs).
pub fn fit(id: &str, description: &str, target: PublishedSummary) -> Preset {
    let max_gpus = target.max_job_gpus();
    // Mean size falls as alpha rises: solve mean(alpha) = target.
    let alpha = bisect(-10.0, 10.0, |a| {
        target.avg_gpu_num - mean_size(&sizes_for(a, max_gpus))
    });
    let sizes = sizes_for(alpha, max_gpus);

    let (m, mu, max) = (
        target.med_run_time_gpu,
        target.avg_run_time_gpu,
        target.max_run_time_gpu,
    );
    let w = SHORT_WEIGHT;
    let comp = |median: f64| TruncLogNormal {
        median,
        sigma: SIGMA,
        max,
    };
    // For a long median b, the short median a that puts the mixture's median at m.
    let short_for = |b: f64| {
        let a_ln = bisect(0.0, max.ln(), |ln_a| {
            0.5 - (w * comp(ln_a.exp()).cdf(m) + (1.0 - w) * comp(b).cdf(m))
        });
        a_ln.exp()
    };
    let mixture_mean = |b: f64| w * comp(short_for(b)).mean() + (1.0 - w) * comp(b).mean();
    let b = bisect(m.ln(), max.ln(), |ln_b| mixture_mean(ln_b.exp()) - mu).exp();
    let (short, long) = (comp(short_for(b)), comp(b));

    // Outcomes. Job shares must hold exactly: w qs + (1-w) ql = r, so ql = (r - w qs)/(1-w).
    // GPU-time shares, with L the long component's share of run time, are then
    // g = L r/(1-w) + c qs with the same c for every outcome; the best qs is the target
    // (g - L r/(1-w))/c projected onto {sum qs = 1, 0 <= qs, 0 <= ql <= 1}.
    let l = (1.0 - w) * long.mean() / (w * short.mean() + (1.0 - w) * long.mean());
    let (r, g) = (target.job_shares(), target.gpu_time_shares());
    let c = (1.0 - l) - l * w / (1.0 - w);
    let ideal: [f64; 3] = std::array::from_fn(|o| (g[o] - l * r[o] / (1.0 - w)) / c);
    let lo: [f64; 3] = std::array::from_fn(|o| ((r[o] - (1.0 - w)) / w).max(0.0));
    let hi: [f64; 3] = std::array::from_fn(|o| (r[o] / w).min(1.0));
    let at = |shift: f64| -> [f64; 3] {
        std::array::from_fn(|o| (ideal[o] + shift).clamp(lo[o], hi[o]))
    };
    let shift = bisect(-2.0, 2.0, |x| at(x).iter().sum::<f64>() - 1.0);
    let qs = at(shift);
    let ql: [f64; 3] = std::array::from_fn(|o| ((r[o] - w * qs[o]) / (1.0 - w)).clamp(0.0, 1.0));
    Preset {
        id: id.to_string(),
        description: description.to_string(),
        target,
        sizes,
        short,
        long,
        short_weight: w,
        outcome_short: qs,
        outcome_long: ql,
    }
}
