//! The jobs a scenario describes: its trace, or its synthetic tenants.

use std::path::Path;

use super::generate::{Generator, TenantSpec, YEAR_S, preset};
use super::{Format, Job, ReadError, ReadOptions, Tenants, TraceReader};
use crate::model::Facility;
use crate::scenario::{Scenario, TraceFormat};

/// A scenario's jobs, in submit order.
pub enum JobSource {
    /// A trace, its run times scaled to the reference accelerator.
    Trace {
        /// The reader.
        reader: TraceReader,
        /// Factor on recorded run times.
        duration_scale: f64,
    },
    /// Synthetic tenants.
    Generated(Generator),
}

fn format_of(f: TraceFormat) -> Format {
    match f {
        TraceFormat::Native => Format::Native,
        TraceFormat::Helios => Format::Helios,
        TraceFormat::Acme => Format::Acme,
        TraceFormat::Philly => Format::Philly,
        TraceFormat::Pai2020 => Format::Pai2020,
        TraceFormat::Openb => Format::Openb,
        TraceFormat::Tiresias => Format::Tiresias,
        TraceFormat::Swf => Format::Swf,
    }
}

/// Day of the week of `start` at midnight, 0 = Monday (1970-01-01 was a Thursday).
pub fn weekday(start: &crate::units::Date) -> u32 {
    (start.days_since_epoch() + 3).rem_euclid(7) as u32
}

impl JobSource {
    /// The jobs of a validated scenario, `None` when it names neither a trace nor tenants.
    /// A trace path is taken relative to `base_dir` (the scenario file's folder).
    ///
    /// # Errors
    /// The trace cannot be opened or its format cannot be told.
    pub fn from_scenario(
        s: &Scenario,
        facility: &Facility,
        base_dir: &Path,
    ) -> Result<Option<JobSource>, ReadError> {
        if let Some(w) = &s.workload {
            let path = base_dir.join(&w.trace);
            let options = ReadOptions {
                lenient: w.lenient,
                utc_offset_hours: w.utc_offset_hours,
                ..ReadOptions::default()
            };
            let reader = TraceReader::open(&path, w.format.map(format_of), &options)?;
            return Ok(Some(JobSource::Trace {
                reader,
                duration_scale: w.duration_scale.unwrap_or(1.0),
            }));
        }
        if s.tenants.is_empty() {
            return Ok(None);
        }
        let specs: Vec<TenantSpec> = s
            .tenants
            .iter()
            .map(|t| TenantSpec {
                name: t.name.clone(),
                // Validation checked the preset names.
                preset: preset(&t.preset).expect("a validated preset"),
                load: t.load,
                growth_per_year: t.growth_per_year,
                daily_amplitude: t.daily_amplitude,
                weekend_factor: t.weekend_factor,
            })
            .collect();
        let capacity_h100: f64 = facility
            .builds
            .iter()
            .map(|b| f64::from(b.count) * b.relative_throughput)
            .sum();
        let horizon_s = f64::from(s.years) * YEAR_S;
        Ok(Some(JobSource::Generated(Generator::new(
            &specs,
            capacity_h100,
            horizon_s,
            weekday(&s.start),
            s.seed,
        ))))
    }

    /// Tenant names (for a trace: those seen so far).
    pub fn tenants(&self) -> &Tenants {
        match self {
            JobSource::Trace { reader, .. } => reader.tenants(),
            JobSource::Generated(g) => g.tenants(),
        }
    }
}

impl Iterator for JobSource {
    type Item = Result<Job, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            JobSource::Trace {
                reader,
                duration_scale,
            } => reader.next().map(|r| {
                r.map(|mut j| {
                    if *duration_scale != 1.0 {
                        j.duration_s = (j.duration_s as f64 * *duration_scale).round() as u64;
                    }
                    j
                })
            }),
            JobSource::Generated(g) => g.next().map(Ok),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Date;

    #[test]
    fn weekdays() {
        // 2027-01-01 is a Friday; 2024-01-01 a Monday.
        assert_eq!(weekday(&"2027-01-01".parse::<Date>().unwrap()), 4);
        assert_eq!(weekday(&"2024-01-01".parse::<Date>().unwrap()), 0);
    }

    #[test]
    fn the_scenario_layer_knows_every_preset() {
        let ours: Vec<&str> = crate::workload::generate::PRESETS
            .iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(ours, crate::scenario::PRESET_IDS);
    }
}
