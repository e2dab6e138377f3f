//! The jobs a scenario describes: its trace, or its synthetic tenants.

use std::path::Path;

use super::generate::{Campaign, Generator, Mix, TenantShock, TenantSpec, YEAR_S, preset};
use super::{Format, Job, ReadError, ReadOptions, SkipCounts, TenantId, Tenants, TraceReader};
use crate::model::Facility;
use crate::scenario::{Scenario, ShockTarget, Tenant, TenantKind, Workload, defaults};

/// Jobs in submit order, with the names of the tenants read so far: a simulation names each
/// tenant as its first job arrives, so a job log is right from its first row.
pub trait JobStream: Iterator<Item = Result<Job, ReadError>> {
    /// The name of tenant `t`, once a job of it has been read; `None` if the stream names
    /// no tenants.
    fn tenant_name(&self, t: TenantId) -> Option<&str>;
}

/// Jobs whose tenants have no names (tests, hand-built job lists): the simulation calls
/// them `tenant-0`, `tenant-1`, ... unless the scenario names them.
pub struct Unnamed<I>(pub I);

impl<I: Iterator<Item = Result<Job, ReadError>>> Iterator for Unnamed<I> {
    type Item = Result<Job, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }
}

impl<I: Iterator<Item = Result<Job, ReadError>>> JobStream for Unnamed<I> {
    fn tenant_name(&self, _t: TenantId) -> Option<&str> {
        None
    }
}

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

/// Tenant `t`'s offered GPU-time at the start, H100-equivalent GPUs busy on average: its
/// absolute demand (H100-hours, or a training campaign's FLOP at the plan's MFU), or its
/// load times the reference capacity the scenario states (a load with none is refused by
/// validation, unless it is 0). Demand is the whole plan's: a 1-in-k sample
/// (`sample_weight` k, about) meets its share of it, and scaling the sample's figures back
/// by the same weight gives the whole demand again.
fn offered_h100(s: &Scenario, t: &Tenant, f: &Facility) -> f64 {
    if t.kind == TenantKind::Inference {
        // A service submits no jobs: the simulation holds its replicas.
        return 0.0;
    }
    let whole = match (
        t.demand_h100_hours_per_year,
        t.compute_flop_per_year,
        t.load,
    ) {
        (Some(d), _, _) => d * 3600.0 / crate::units::MEAN_YEAR_S,
        // FLOP a year over FLOP an H100 delivers in a mean year at the MFU.
        (None, Some(flop), _) => {
            flop / (f.params.training.flop_per_h100_s() * crate::units::MEAN_YEAR_S)
        }
        (None, None, load) => {
            load.unwrap_or(0.0) * s.demand.reference_h100_equivalents.unwrap_or(0.0)
        }
    };
    whole / f.sample_weight
}

/// A tenant whose time comes through calls: its demand is its awards (their growth is in
/// the proposals, and they begin when the first round opens), as H100-equivalents offered
/// from each time on; a sample meets its share. Any other tenant as it is.
fn through_calls(
    mut spec: TenantSpec,
    s: &Scenario,
    rounds: &[super::calls::Round],
    sample_weight: f64,
) -> TenantSpec {
    let levels = super::calls::allocation_levels(s, rounds, &spec.name);
    if s.calls.iter().any(|c| c.tenant == spec.name) {
        spec.allocation = levels
            .into_iter()
            .map(|(t, x)| (t, x / sample_weight))
            .collect();
        spec.offered_h100 = spec.allocation.iter().map(|a| a.1).fold(0.0, f64::max);
        spec.growth_per_year = 0.0;
        spec.adoption_s = 0.0;
    }
    spec
}

/// What tenant `t`'s jobs are drawn from: its preset, or its training campaign (its own
/// purposes, else the catalogue's), runs cut at the longest a lab accepts; none for an
/// inference service.
pub fn tenant_mix(t: &Tenant, f: &Facility) -> Mix {
    match t.kind {
        TenantKind::Batch => {
            // Validation checked the preset names.
            Mix::Preset(Box::new(
                preset(t.preset.as_deref().unwrap_or_default()).expect("a validated preset"),
            ))
        }
        TenantKind::Training => {
            let p = &f.params.training;
            let purposes = if t.purposes.is_empty() {
                &p.purposes
            } else {
                &t.purposes
            };
            Mix::Campaign(Campaign::new(purposes, p.max_run_days * 86_400.0))
        }
        TenantKind::Inference => Mix::Service,
    }
}

/// The reader of a scenario's trace, relative to `base_dir` (the scenario file's folder).
fn open_trace(w: &Workload, base_dir: &Path) -> Result<TraceReader, ReadError> {
    let options = ReadOptions {
        lenient: w.lenient,
        utc_offset_hours: w.utc_offset_hours,
        ..ReadOptions::default()
    };
    TraceReader::open(&base_dir.join(&w.trace), w.format, &options)
}

/// What [`check_trace`] read of a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TraceCheck {
    /// The format read (named or guessed).
    pub format: Format,
    /// Jobs read.
    pub jobs: u64,
    /// Whether that was every job of the trace (`false`: it stopped at the limit).
    pub complete: bool,
    /// Records passed over (no GPUs, unfinished, malformed in lenient mode).
    pub skipped: SkipCounts,
}

/// Read a scenario's trace as a run would, up to `limit` jobs: its header, its format and
/// its first records. `None` when the scenario names no trace.
///
/// # Errors
/// The trace cannot be opened, its format told, or one of the records read is malformed
/// (its file, line and field).
pub fn check_trace(
    s: &Scenario,
    base_dir: &Path,
    limit: u64,
) -> Result<Option<TraceCheck>, ReadError> {
    let Some(w) = &s.workload else {
        return Ok(None);
    };
    let mut reader = open_trace(w, base_dir)?;
    let mut jobs = 0;
    let complete = loop {
        if jobs == limit {
            break false;
        }
        match reader.next() {
            None => break true,
            Some(r) => r.map(|_| jobs += 1)?,
        }
    };
    Ok(Some(TraceCheck {
        format: reader.format(),
        jobs,
        complete,
        skipped: reader.skipped(),
    }))
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
            let reader = open_trace(w, base_dir)?;
            return Ok(Some(JobSource::Trace {
                reader,
                duration_scale: w.duration_scale.unwrap_or(defaults::DURATION_SCALE),
            }));
        }
        if s.tenants.is_empty() {
            return Ok(None);
        }
        let rounds = super::calls::rounds(s, facility);
        let specs: Vec<TenantSpec> = s
            .tenants
            .iter()
            .map(|t| TenantSpec {
                name: t.name.clone(),
                mix: tenant_mix(t, facility),
                offered_h100: offered_h100(s, t, facility),
                // A campaign that keeps up with the frontier grows as the frontier run.
                growth_per_year: if t.frontier {
                    facility.params.training.frontier_growth_per_year - 1.0
                } else {
                    t.growth_per_year
                },
                daily_amplitude: t.daily_amplitude,
                weekend_factor: t.weekend_factor,
                adoption_s: s
                    .demand
                    .adoption_months
                    .unwrap_or(defaults::ADOPTION_MONTHS)
                    * YEAR_S
                    / 12.0,
                shocks: s
                    .shocks
                    .iter()
                    .filter(|sh| sh.class.is_none_or(|c| c == t.class))
                    .map(|sh| TenantShock {
                        at_s: sh.date.days_since(&s.start) as f64 * 86_400.0,
                        on_compute: sh.on == ShockTarget::Compute,
                        factor: sh.factor,
                    })
                    .collect(),
                allocation: Vec::new(),
            })
            .map(|spec| through_calls(spec, s, &rounds, facility.sample_weight))
            .collect();
        // The horizon the simulation plays: calendar years from the start.
        let horizon_s = s.start.add_years(s.years).days_since(&s.start) as f64 * 86_400.0;
        Ok(Some(JobSource::Generated(Generator::new(
            &specs,
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

impl JobStream for JobSource {
    fn tenant_name(&self, t: TenantId) -> Option<&str> {
        let names = self.tenants();
        ((t.0 as usize) < names.len()).then(|| names.name(t))
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

    /// The jobs of a two-tenant scenario (64 H100s, one year) with `extra` TOML appended.
    fn jobs(extra: &str) -> Vec<crate::workload::Job> {
        // Keys of `[demand]` in `extra` join the table above.
        let (demand, extra) = match extra.strip_prefix("[demand]\n") {
            Some(keys) => (keys, ""),
            None => ("", extra),
        };
        let text = format!(
            r#"
name = "demand"
start = "2027-01-01"
years = 1
[[site]]
name = "s"
country = "FI"
grid_mw = 5
[[build]]
site = "s"
accelerator = "H100"
count = 64
online = "2027-01-01"
[demand]
reference_h100_equivalents = 64
{demand}
[[tenant]]
name = "a"
class = "academia"
share = 0.5
preset = "helios-earth"
load = 0.5
[[tenant]]
name = "b"
class = "industry"
share = 0.5
preset = "philly"
load = 0.3
{extra}
"#
        );
        let (s, f) = crate::model::prepare(&text, crate::catalog::Catalog::builtin()).unwrap();
        JobSource::from_scenario(&s, &f, Path::new("."))
            .unwrap()
            .unwrap()
            .map(|j| j.unwrap())
            .collect()
    }

    const DAY: i64 = 86_400;

    #[test]
    fn a_compute_shock_halves_run_times_from_its_date() {
        // 2027-07-01 is day 181. Arrivals and sizes are untouched; run times after the date
        // are half (within a second of rounding).
        let before = jobs("");
        let after = jobs("[[shock]]\ndate = \"2027-07-01\"\non = \"compute\"\nfactor = 0.5");
        assert_eq!(before.len(), after.len());
        for (x, y) in before.iter().zip(&after) {
            assert_eq!(
                (x.submit_s, x.gpus, x.tenant),
                (y.submit_s, y.gpus, y.tenant)
            );
            if x.submit_s < 181 * DAY {
                assert_eq!(x.duration_s, y.duration_s);
            } else {
                assert!(
                    (y.duration_s as f64 - 0.5 * x.duration_s as f64).abs() <= 1.0,
                    "{x:?} {y:?}"
                );
            }
        }
    }

    #[test]
    fn an_arrivals_shock_touches_its_class_only() {
        let base = jobs("");
        let shocked = jobs(
            "[[shock]]\ndate = \"2027-07-01\"\non = \"arrivals\"\nfactor = 2\nclass = \"academia\"",
        );
        let tenant = |v: &[crate::workload::Job], t: u32| {
            v.iter()
                .filter(|j| j.tenant.0 == t)
                .cloned()
                .collect::<Vec<_>>()
        };
        // Tenant b (industry) has its own streams: its jobs are exactly as before, but for
        // their ids, which number all tenants' jobs together.
        let key = |v: Vec<crate::workload::Job>| {
            v.into_iter()
                .map(|j| (j.submit_s, j.gpus, j.duration_s, j.outcome))
                .collect::<Vec<_>>()
        };
        let (b0, b1) = (key(tenant(&base, 1)), key(tenant(&shocked, 1)));
        assert!(
            b0 == b1,
            "tenant b changed: {} vs {} jobs",
            b0.len(),
            b1.len()
        );
        // Tenant a: the 60 days after the date see twice the arrivals of the 60 days before
        // (Poisson counts: within 4 standard deviations of the ratio's expectation).
        let a = tenant(&shocked, 0);
        let count = |from: i64, to: i64| {
            a.iter()
                .filter(|j| j.submit_s >= from && j.submit_s < to)
                .count() as f64
        };
        let (pre, post) = (count(121 * DAY, 181 * DAY), count(181 * DAY, 241 * DAY));
        let sd = 2.0 * (1.0 / pre + 1.0 / post).sqrt();
        assert!((post / pre - 2.0).abs() < 4.0 * sd, "{post} / {pre}");
    }

    #[test]
    fn the_adoption_ramp_halves_arrivals_over_its_span() {
        // 3x^2 - 2x^3 averages 1/2 over [0, 1]: over a 6-month ramp (182.6 days) the
        // arrivals are half those without it; after it, the same rate.
        let flat = jobs("");
        let ramped = jobs("[demand]\nadoption_months = 6");
        let span = (YEAR_S / 2.0) as i64;
        let count = |v: &[crate::workload::Job], from: i64, to: i64| {
            v.iter()
                .filter(|j| j.submit_s >= from && j.submit_s < to)
                .count() as f64
        };
        let (f, r) = (count(&flat, 0, span), count(&ramped, 0, span));
        assert!((r / f - 0.5).abs() < 4.0 * (0.5 / f).sqrt(), "{r} / {f}");
        let (f2, r2) = (count(&flat, span, 2 * span), count(&ramped, span, 2 * span));
        assert!(
            (r2 / f2 - 1.0).abs() < 4.0 * (2.0 / f2).sqrt(),
            "{r2} / {f2}"
        );
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

#[cfg(test)]
mod horizon_tests {
    use super::*;
    use crate::catalog::Catalog;

    #[test]
    fn generated_arrivals_span_the_calendar_horizon_the_simulation_plays() {
        // Issue 12, defect 15: tenants' arrivals spanned 365.25 days a year while the
        // simulated year is the calendar's (365 days in 2027): arrivals past its end were
        // generated and counted in the expected jobs, then never played.
        let text = "name = \"h\"\nstart = \"2027-01-01\"\nyears = 1\n[[site]]\nname = \"s\"\n\
                    country = \"FI\"\ngrid_mw = 50\n[[build]]\nsite = \"s\"\n\
                    accelerator = \"H100\"\ncount = 4096\nonline = \"2027-01-01\"\n\
                    [demand]\nreference_h100_equivalents = 4096\n\
                    [[tenant]]\nname = \"a\"\nclass = \"academia\"\nshare = 1\n\
                    preset = \"helios\"\nload = 1\n";
        let (s, f) = crate::model::prepare(text, Catalog::builtin()).unwrap();
        let Some(JobSource::Generated(g)) =
            JobSource::from_scenario(&s, &f, Path::new(".")).unwrap()
        else {
            panic!("a generator");
        };
        let year = 365 * 86_400;
        let last = g.map(|j| j.submit_s).max().unwrap();
        assert!(
            last < year,
            "an arrival at {last} s, after the year's {year} s"
        );
        assert!(
            last > year - 3600,
            "arrivals run to the year's end: last at {last} s"
        );
    }
}
