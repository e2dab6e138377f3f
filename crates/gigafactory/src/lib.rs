//! gigafactory: simulate and plan large AI compute facilities.
//!
//! The layers, each importing only those before it (see `DESIGN.md`):
//! [`units`], [`catalog`], [`scenario`], [`model`], [`workload`], [`engine`], [`cluster`],
//! [`sched`] (the scheduling policies), [`sim`], [`run`] (one scenario evaluated end to
//! end, sampling included) and [`plan`] (plans compared).

pub mod catalog;
pub mod cluster;
pub mod engine;
pub mod model;
pub mod plan;
pub mod run;
pub mod scenario;
pub mod sched;
pub mod sim;
pub mod units;
pub mod workload;
