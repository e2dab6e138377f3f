//! Training campaigns: a lab's compute spent on purposes (final runs, experiments,
//! post-training, evaluation), each with its own run sizes and lengths.
//!
//! A purpose's runs take a log-normal number of accelerators through its median and 90th
//! percentile, cut at its maximum and rounded to what a scheduler allocates (1, 2 or 4
//! GPUs, else whole 8-GPU nodes), for a log-normal number of hours on an H100 through its
//! median and 90th percentile, cut at the longest run a lab accepts. Sizes and hours are
//! independent. A run's compute is accelerators × hours × 3,600 × the H100's peak dense
//! BF16 × MFU, so an accelerator of relative throughput r runs it in 1/r of the time: FLOP
//! ÷ (accelerators × peak × MFU). Jobs are drawn purpose by purpose with probabilities
//! that give each purpose its share of the compute in expectation: a purpose's share of
//! jobs is its compute share over its mean GPU-seconds per job, normalised.

use super::dist::TruncLogNormal;
use crate::catalog::{Purpose, WorkKind};
use crate::units::NODE_GPUS;
use crate::workload::JobKind;

/// The 90th percentile of the standard normal.
const Z90: f64 = 1.281_551_565_544_600_4;

/// One purpose as the generator draws it.
#[derive(Debug, Clone)]
pub struct PurposeMix {
    /// Name.
    pub name: String,
    /// The kind its jobs record.
    pub kind: JobKind,
    /// Its share of the campaign's compute.
    pub compute_share: f64,
    /// Probability that a job is of this purpose.
    pub job_probability: f64,
    /// Accelerators per run before rounding.
    pub gpus: TruncLogNormal,
    /// Run time on an H100, s.
    pub duration_s: TruncLogNormal,
    /// Mean accelerators per run after rounding.
    pub mean_gpus: f64,
}

/// A training campaign's purposes.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// The purposes, in the scenario's (or the catalogue's) order.
    pub purposes: Vec<PurposeMix>,
}

/// What a scheduler allocates for a wish of `x` accelerators: 1, 2 or 4 below a node, the
/// whole node from 6, else the nearest number of whole nodes.
pub fn allocated_gpus(x: f64) -> u32 {
    if x < 1.5 {
        1
    } else if x < 3.0 {
        2
    } else if x < 6.0 {
        4
    } else if x < 12.0 {
        NODE_GPUS
    } else {
        ((x / f64::from(NODE_GPUS)).round() as u32).max(2) * NODE_GPUS
    }
}

/// E[allocated_gpus(X)] for `d`, exactly: each allocation's probability from the CDF.
fn mean_allocated(d: &TruncLogNormal) -> f64 {
    let node = f64::from(NODE_GPUS);
    let mut bounds = vec![
        (1.0, 0.0, 1.5),
        (2.0, 1.5, 3.0),
        (4.0, 3.0, 6.0),
        (node, 6.0, 12.0),
    ];
    let last = allocated_gpus(d.max) / NODE_GPUS;
    bounds.extend((2..=last).map(|n| {
        let v = f64::from(n) * node;
        (v, v - node / 2.0, v + node / 2.0)
    }));
    bounds
        .iter()
        .map(|&(v, lo, hi)| {
            let lo = if lo <= 0.0 { 0.0 } else { d.cdf(lo) };
            v * (d.cdf(hi) - lo)
        })
        .sum()
}

/// A log-normal through `median` and `p90`, cut at `max`.
fn through(median: f64, p90: f64, max: f64) -> TruncLogNormal {
    TruncLogNormal {
        median,
        // A point mass at the median (p90 = median) as a very narrow spread.
        sigma: ((p90 / median).ln() / Z90).max(1e-6),
        max,
    }
}

impl Campaign {
    /// The campaign of `purposes`, runs cut at `longest_s` seconds (on an H100).
    pub fn new(purposes: &[Purpose], longest_s: f64) -> Campaign {
        let mut mixes: Vec<PurposeMix> = purposes
            .iter()
            .map(|p| {
                let gpus = through(p.gpus_median, p.gpus_p90, p.gpus_max);
                PurposeMix {
                    name: p.name.clone(),
                    kind: match p.kind {
                        WorkKind::Pretrain => JobKind::Pretrain,
                        WorkKind::Sft => JobKind::Sft,
                        WorkKind::Eval => JobKind::Eval,
                        WorkKind::Mllm => JobKind::Mllm,
                        WorkKind::Debug => JobKind::Debug,
                        WorkKind::Other => JobKind::Other,
                    },
                    compute_share: p.compute_share,
                    job_probability: 0.0,
                    mean_gpus: mean_allocated(&gpus),
                    gpus,
                    duration_s: through(p.hours_median * 3600.0, p.hours_p90 * 3600.0, longest_s),
                }
            })
            .collect();
        let weights: Vec<f64> = mixes
            .iter()
            .map(|m| m.compute_share / (m.mean_gpus * m.duration_s.mean()))
            .collect();
        let total: f64 = weights.iter().sum();
        for (m, w) in mixes.iter_mut().zip(weights) {
            m.job_probability = w / total;
        }
        Campaign { purposes: mixes }
    }

    /// Mean H100 GPU-seconds per job over the purposes.
    pub fn mean_gpu_s(&self) -> f64 {
        self.purposes
            .iter()
            .map(|m| m.job_probability * m.mean_gpus * m.duration_s.mean())
            .sum()
    }

    /// The most accelerators one of its runs takes.
    pub fn largest_gpus(&self) -> u32 {
        self.purposes
            .iter()
            .map(|m| allocated_gpus(m.gpus.max))
            .max()
            .unwrap_or(1)
    }
}
