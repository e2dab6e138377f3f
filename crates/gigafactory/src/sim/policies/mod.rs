//! The scheduling policies, one per file, behind [`super::policy::Policy`].

mod fifo;

pub use fifo::Fifo;

use super::policy::Policy;
use crate::scenario::{PolicyName, Scheduler};

/// The policy a scenario names.
pub fn make(s: &Scheduler) -> Box<dyn Policy> {
    match s.policy {
        PolicyName::Fifo => Box::new(Fifo::default()),
        _ => Box::new(Fifo::default()),
    }
}
