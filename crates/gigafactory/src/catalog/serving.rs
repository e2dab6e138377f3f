use serde::{Deserialize, Serialize};

use super::{Accelerator, Sourced};

/// Serving models (`data/serving.toml`): model classes, measured throughput, daily
/// profiles of demand, market prices per million tokens, and the scaling rule's defaults.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Serving {
    /// Share of peak dense BF16 reached while reading prompts.
    pub prefill_mfu: Sourced,
    /// Memory a replica holds per byte of weights.
    pub kv_headroom: Sourced,
    /// Replicas are added before their load passes this share of their throughput.
    pub utilisation_ceiling: Sourced,
    /// Seconds from placing a replica to serving.
    pub startup_s: Sourced,
    /// Minutes between scaling decisions.
    pub scale_interval_min: Sourced,
    /// Model classes.
    pub model: Vec<ModelClass>,
    /// Measured output tokens a second per accelerator on a 70B dense model.
    pub throughput_70b: Vec<Throughput>,
    /// Shapes of demand through the day and week.
    pub profile: Vec<Profile>,
    /// Market prices per million tokens.
    pub price: Vec<TokenPrice>,
}

/// A class of model, by its parameters.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelClass {
    /// Its name in scenarios (`dense-70b`, ...).
    pub id: String,
    /// Parameters, billions (what the memory holds).
    pub params_b: f64,
    /// Parameters active per token, billions (what the work per token is).
    pub active_b: f64,
    /// Where the figures come from.
    pub source: String,
}

/// A measured serving throughput.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Throughput {
    /// Catalogue id of the accelerator.
    pub accelerator: String,
    /// Output tokens a second per accelerator.
    pub tokens_per_s: f64,
    /// Where the figure comes from.
    pub source: String,
}

/// A shape of demand: a cosine through the day with a peak-to-trough ratio, and weekends.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Its name in scenarios.
    pub id: String,
    /// Busiest hour over quietest, weekdays.
    pub peak_to_trough: f64,
    /// Saturdays' and Sundays' demand relative to weekdays'.
    pub weekend_factor: f64,
    /// The quietest hour (0-23); the busiest is 12 hours later.
    pub trough_hour: u32,
    /// Where the figures come from.
    pub source: String,
}

/// List prices per million tokens of a model class, USD.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenPrice {
    /// The model class.
    pub model: String,
    /// Per million input tokens.
    pub input_usd_per_mtok: f64,
    /// Per million output tokens.
    pub output_usd_per_mtok: f64,
    /// Where the figures come from.
    pub source: String,
}

/// The work a replica of a model does on one accelerator: its size and throughput.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReplicaSpec {
    /// Accelerators per replica.
    pub gpus: u32,
    /// Input (prefill) tokens a second per accelerator.
    pub input_tokens_per_s: f64,
    /// Output tokens a second per accelerator.
    pub output_tokens_per_s: f64,
}

/// The H100 SXM's memory bandwidth, TB/s (the catalogue's row), to scale throughput to
/// accelerators without a measurement.
const H100_BANDWIDTH_TB_S: f64 = 3.35;
/// The H100 SXM's peak dense BF16, FLOP/s (relative throughput 1).
const H100_BF16_FLOP_S: f64 = 989e12;
/// The model size of the measured throughput, billions of parameters.
const MEASURED_ACTIVE_B: f64 = 70.0;

impl Serving {
    /// The model class called `id`.
    pub fn model(&self, id: &str) -> Option<&ModelClass> {
        self.model.iter().find(|m| m.id.eq_ignore_ascii_case(id))
    }

    /// The profile called `id`.
    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profile.iter().find(|p| p.id.eq_ignore_ascii_case(id))
    }

    /// The market price of model class `id`.
    pub fn price(&self, id: &str) -> Option<&TokenPrice> {
        self.price.iter().find(|p| p.model.eq_ignore_ascii_case(id))
    }

    /// Output tokens a second one accelerator serves of a 70B dense model, and whether a
    /// source gives it: measured; else derived by memory bandwidth from a measured part of
    /// its family (`acc` catalogued, with the rest of the catalogue in `all`), else from the
    /// H100's; a projected part from the H100's by relative throughput.
    pub fn tokens_70b(
        &self,
        id: &str,
        acc: Option<&Accelerator>,
        relative: f64,
        all: &[Accelerator],
    ) -> (f64, bool) {
        let measured = |id: &str| {
            self.throughput_70b
                .iter()
                .find(|t| t.accelerator.eq_ignore_ascii_case(id))
                .map(|t| t.tokens_per_s)
        };
        if let Some(t) = measured(id) {
            return (
                t,
                !self
                    .throughput_70b
                    .iter()
                    .any(|t| t.accelerator.eq_ignore_ascii_case(id) && t.source.contains("[der")),
            );
        }
        let h100 = measured("H100").unwrap_or(0.0);
        let Some(a) = acc else {
            return (h100 * relative, false);
        };
        // The measured part of its family with the nearest bandwidth, else the H100.
        let base = all
            .iter()
            .filter(|b| b.family == a.family)
            .filter_map(|b| Some((b, measured(&b.id)?)))
            .min_by(|x, y| {
                (x.0.bandwidth_tb_s - a.bandwidth_tb_s)
                    .abs()
                    .total_cmp(&(y.0.bandwidth_tb_s - a.bandwidth_tb_s).abs())
            })
            .map_or((H100_BANDWIDTH_TB_S, h100), |(b, t)| (b.bandwidth_tb_s, t));
        (base.1 * a.bandwidth_tb_s / base.0, false)
    }

    /// What a replica of `model` needs and serves on accelerator `id` (catalogued as `acc`
    /// with `memory_gb`, or projected), whose dense BF16 is `relative` H100s: the rules at
    /// the head of `data/serving.toml`. `prefill_mfu` and `kv_headroom` may be a
    /// scenario's own.
    #[allow(clippy::too_many_arguments)]
    pub fn replica(
        &self,
        model: &ModelClass,
        id: &str,
        acc: Option<&Accelerator>,
        relative: f64,
        memory_gb: f64,
        prefill_mfu: f64,
        all: &[Accelerator],
    ) -> ReplicaSpec {
        let (t70, _) = self.tokens_70b(id, acc, relative, all);
        let bytes_gb = model.params_b * self.kv_headroom.value;
        let need = (bytes_gb / memory_gb.max(1.0)).ceil().max(1.0) as u32;
        ReplicaSpec {
            gpus: need.next_power_of_two(),
            input_tokens_per_s: relative * H100_BF16_FLOP_S * prefill_mfu
                / (2.0 * model.active_b * 1e9),
            output_tokens_per_s: t70 * MEASURED_ACTIVE_B / model.active_b,
        }
    }
}

impl Profile {
    /// Demand in each hour of a weekday relative to the week's mean hour, and on a
    /// weekend day: the cosine's 24 values, scaled so that a week's mean is 1.
    pub fn hourly(&self) -> ([f64; 24], f64) {
        let r = self.peak_to_trough.max(1.0);
        let b = (r - 1.0) / (r + 1.0);
        let mut h = [0.0; 24];
        for (i, x) in h.iter_mut().enumerate() {
            let from_trough = (i as f64 - f64::from(self.trough_hour)) / 24.0;
            *x = 1.0 - b * (std::f64::consts::TAU * from_trough).cos();
        }
        let norm = 7.0 / (5.0 + 2.0 * self.weekend_factor);
        h.iter_mut().for_each(|x| *x *= norm);
        (h, self.weekend_factor)
    }
}
