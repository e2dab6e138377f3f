//! The scheduling policies, one per file, behind [`crate::sched::Policy`].

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

use crate::scenario::PolicyName;
use crate::sched::PolicyConfig;
use crate::sched::policy::Policy;

/// The policy configured, with its parameters.
pub fn make(c: &PolicyConfig) -> Box<dyn Policy> {
    let (depth, interval) = (c.backfill_depth, c.backfill_interval_s);
    match c.name {
        PolicyName::Fifo => Box::new(Fifo::default()),
        PolicyName::EasyBackfill => Box::new(EasyBackfill::new(depth, interval)),
        PolicyName::FairShare => Box::new(FairShare::new(depth, interval)),
        PolicyName::Quota => Box::new(Quota::default()),
        PolicyName::Las => Box::new(Las::new(&c.las_thresholds_gpu_h)),
        PolicyName::Sjf => Box::new(Sjf::default()),
    }
}
