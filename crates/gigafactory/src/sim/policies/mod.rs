//! The scheduling policies, one per file, behind [`super::policy::Policy`].

mod easy;
mod fairshare;
mod fifo;
mod las;
mod quota;
mod sjf;

pub use easy::EasyBackfill;
pub use fairshare::{FairShare, factor};
pub use fifo::Fifo;
pub use las::Las;
pub use quota::Quota;
pub use sjf::Sjf;

use super::policy::Policy;
use crate::scenario::{PolicyName, Scheduler, defaults};

/// The policy a scenario names, with its parameters.
pub fn make(s: &Scheduler) -> Box<dyn Policy> {
    let depth = s.backfill_depth.unwrap_or(defaults::BACKFILL_DEPTH) as usize;
    let interval = s
        .backfill_interval_s
        .unwrap_or(defaults::BACKFILL_INTERVAL_S);
    match s.policy {
        PolicyName::Fifo => Box::new(Fifo::default()),
        PolicyName::EasyBackfill => Box::new(EasyBackfill::new(depth, interval)),
        PolicyName::FairShare => Box::new(FairShare::new(depth, interval)),
        PolicyName::Quota => Box::new(Quota::default()),
        PolicyName::Las => Box::new(Las::new(
            s.las_thresholds_gpu_h
                .as_deref()
                .unwrap_or(&defaults::LAS_THRESHOLDS_GPU_H),
        )),
        PolicyName::Sjf => Box::new(Sjf::default()),
    }
}
