//! Scheduling: which waiting jobs start, where, and which running ones are preempted. A
//! policy sees the cluster (what is free, where), the engine's time, and the queue and
//! running set through [`View`]; it decides, the simulation carries the decisions out and
//! does the accounting. Nothing here knows of money, power or the scenario file, so a
//! policy can be tested, or replaced, on its own.
//!
//! EASY backfilling and fair share share one backfill pass (`policies::easy::backfill`,
//! with its reservation on one partition); the other policies are one file each.

pub mod policies;
pub mod policy;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

pub use policy::{Decision, JobKey, Policy, QueuedJob, Running, TenantView, View};

use crate::scenario::PolicyName;

/// The scheduling policy and its parameters, resolved (every default filled in).
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyConfig {
    /// The policy.
    pub name: PolicyName,
    /// Queued jobs one backfill pass looks at.
    pub backfill_depth: usize,
    /// Seconds between backfill passes (0: at every event).
    pub backfill_interval_s: u64,
    /// LAS's attained-service thresholds between queues, GPU-hours.
    pub las_thresholds_gpu_h: Vec<f64>,
    /// Fair share's half-life of past usage, s.
    pub halflife_s: f64,
    /// Requested wall time over true run time.
    pub walltime_factor: f64,
}

/// A hasher for the simulation's own integer keys (never adversarial input): one
/// multiplication (Fibonacci hashing) instead of SipHash.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by job, hashed with [`KeyHasher`].
pub(crate) type KeyMap<V> = HashMap<JobKey, V, BuildHasherDefault<KeyHasher>>;

/// A set of jobs, hashed with [`KeyHasher`] (a policy's jobs taken out of its queues).
pub(crate) type KeySet = std::collections::HashSet<JobKey, BuildHasherDefault<KeyHasher>>;
