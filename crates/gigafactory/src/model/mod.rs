//! The facility model: pure functions of the facility (power against load, PUE, capex
//! and opex, depreciation, carbon, break-even rent). No engine, no I/O.

mod assess;
pub mod cost;
mod facility;
pub mod power;

pub use assess::{Assessment, SiteAssessment, assess};
pub use facility::{BuildPlan, Facility, Params, SitePlan};

#[cfg(test)]
mod tests;
