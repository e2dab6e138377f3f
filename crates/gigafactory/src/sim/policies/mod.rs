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
use crate::scenario::{PolicyName, Scheduler};

/// The policy a scenario names, with its parameters.
pub fn make(s: &Scheduler) -> Box<dyn Policy> {
    let depth = s.backfill_depth.unwrap_or(1000) as usize;
    let interval = s.backfill_interval_s.unwrap_or(0);
    match s.policy {
        PolicyName::Fifo => Box::new(Fifo::default()),
        PolicyName::EasyBackfill => Box::new(EasyBackfill::new(depth, interval)),
        PolicyName::FairShare => Box::new(FairShare::new(depth, interval)),
        PolicyName::Quota => Box::new(Quota::default()),
        PolicyName::Las => Box::new(Las::new(
            s.las_thresholds_gpu_h
                .as_deref()
                .unwrap_or(&[1.0, 10.0, 100.0]),
        )),
        PolicyName::Sjf => Box::new(Sjf::default()),
    }
}
