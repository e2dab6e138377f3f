use serde::{Deserialize, Serialize};

/// What a catalogue price covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceBasis {
    /// The accelerator (or its baseboard) alone: server and network multipliers apply.
    Accelerator,
    /// A whole system's price per accelerator (a rack), which includes the server: only
    /// the network multiplier applies.
    System,
}

/// One accelerator model. Dense figures, per accelerator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Accelerator {
    /// Short id used in scenarios (`"B200"`).
    pub id: String,
    /// Full name.
    pub name: String,
    /// Other names a scenario may use.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Maker.
    pub vendor: String,
    /// Product family (used by procurement limits).
    pub family: String,
    /// Year of first availability.
    pub year: i32,
    /// Dense BF16 TFLOP/s.
    pub bf16_dense_tflops: f64,
    /// Dense FP8 TFLOP/s, where the chip has FP8.
    #[serde(default)]
    pub fp8_dense_tflops: Option<f64>,
    /// High-bandwidth memory, GB.
    pub memory_gb: f64,
    /// Memory bandwidth, TB/s.
    pub bandwidth_tb_s: f64,
    /// Thermal design power, W.
    pub tdp_w: f64,
    /// Source of the specification figures.
    pub spec_source: String,
    /// Low estimate of the price, USD per accelerator.
    #[serde(default)]
    pub price_usd_low: Option<f64>,
    /// High estimate of the price, USD per accelerator.
    #[serde(default)]
    pub price_usd_high: Option<f64>,
    /// What the price covers.
    pub price_basis: PriceBasis,
    /// Source of the price (or why there is none).
    pub price_source: String,
    /// When the price held.
    #[serde(default)]
    pub price_as_of: Option<String>,
    /// What a node draws beyond its accelerators at its rated maximum, W per accelerator.
    pub server_overhead_w: f64,
    /// Source or derivation of `server_overhead_w`.
    pub overhead_source: String,
    /// Training throughput relative to the H100 SXM (= 1.0).
    pub relative_throughput: f64,
    /// Source or derivation of `relative_throughput`.
    pub throughput_source: String,
}

impl Accelerator {
    /// The midpoint of the catalogue's price range, USD, where there is one.
    pub fn price_usd_mid(&self) -> Option<f64> {
        Some((self.price_usd_low? + self.price_usd_high?) / 2.0)
    }

    /// Rated maximum draw per accelerator including its share of the server, W.
    pub fn rated_w(&self) -> f64 {
        self.tdp_w + self.server_overhead_w
    }
}
