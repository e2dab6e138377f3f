//! The defaults of scenario settings that are choices of the model rather than measured
//! figures, each named once here and used where the setting is resolved. (Measured
//! defaults, such as prices, PUE and failure rates, are the catalogue's, in
//! `data/defaults.toml` with their sources: `gigafactory catalog defaults`.)

/// `[cluster] pod_nodes`: nodes per pod (network domain). 32 nodes of 8 GPUs (256 GPUs),
/// the scalable unit of NVIDIA's DGX SuperPOD reference architecture.
pub const POD_NODES: u32 = 32;

/// `[cluster] cross_site.efficiency`: a run across sites delivers this share of the
/// throughput of the same run on one site. An assumption, labelled as such: no published
/// figure (Gemini Ultra and GPT-4.5 were trained across data centres, with no efficiency
/// given); 0.8 supposes a fifth of the time lost to the slower links between sites.
pub const CROSS_SITE_EFFICIENCY: f64 = 0.8;

/// `[scheduler] walltime_factor`: requested wall time over true run time; 1 is exact
/// estimates (the most favourable case for backfilling).
pub const WALLTIME_FACTOR: f64 = 1.0;

/// `[scheduler] backfill_depth`: queued jobs one backfill pass looks at (Slurm's
/// counterpart is `bf_max_job_test`).
pub const BACKFILL_DEPTH: u32 = 1000;

/// `[scheduler] backfill_interval_s`: seconds between backfill passes; 0 is a pass at every
/// event (Slurm's `bf_interval` is 30 s; 0 is the exact limit it approximates).
pub const BACKFILL_INTERVAL_S: u64 = 0;

/// `[scheduler] halflife_days`: the half-life of past usage under fair share (Slurm's
/// `PriorityDecayHalfLife` default, 7 days).
pub const FAIR_SHARE_HALFLIFE_DAYS: f64 = 7.0;

/// `[scheduler] las_thresholds_gpu_h`: attained-service thresholds between LAS's queues,
/// GPU-hours (decades, as Tiresias's discretised queues).
pub const LAS_THRESHOLDS_GPU_H: [f64; 3] = [1.0, 10.0, 100.0];

/// `[workload] duration_scale`: a trace's run times as recorded (H100-equivalent).
pub const DURATION_SCALE: f64 = 1.0;

/// `[demand] adoption_months`: no ramp, demand at its full rate from the start.
pub const ADOPTION_MONTHS: f64 = 0.0;

/// `site.building_cost_multiplier`: the catalogue's per-MW building cost as published.
pub const BUILDING_COST_MULTIPLIER: f64 = 1.0;
