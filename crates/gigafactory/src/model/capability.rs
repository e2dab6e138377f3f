//! What a plan can train: the largest training run each site can complete within the
//! longest run a lab accepts, year by year, against the frontier run of the year, and the
//! date each site and the plan fall behind the frontier (the "state of the art for 18
//! months" doubt as a figure).
//!
//! A run takes one build phase's accelerators (the scheduler's partition: one site, one
//! accelerator, less its hot spares), all at once, for the whole run; its compute is
//! accelerators × peak dense BF16 × MFU × effective time × duration. Where the scenario
//! lets runs span phases (`[cluster] cross_site`), a run may take the phases of one
//! accelerator together: within a site at full speed, across sites at the stated
//! efficiency.

use serde::Serialize;

use super::{BuildPlan, Facility};
use crate::catalog::Catalog;
use crate::scenario::Scenario;
use crate::units::{Date, NODE_GPUS, SECONDS_PER_DAY};

/// The training assumptions, the scenario's `[training]` where given, else the
/// catalogue's (`gigafactory catalog training`).
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TrainingParams {
    /// Model FLOP utilisation.
    pub mfu: f64,
    /// The longest run a lab accepts, days.
    pub max_run_days: f64,
    /// Share of a run's wall-clock time spent training.
    pub effective_time: f64,
    /// Peak dense BF16 of an H100 SXM, FLOP/s: a relative throughput of 1.
    pub h100_peak_flops: f64,
    /// The run that anchors the frontier trend, with its source.
    pub frontier: crate::catalog::FrontierRun,
    /// Growth of the frontier run, factor a year.
    pub frontier_growth_per_year: f64,
    /// Where the growth comes from.
    pub frontier_growth_source: String,
    /// Share of each phase's whole nodes held as hot spares (0 with failures off).
    pub spare_fraction: f64,
    /// Where runs may span phases: their efficiency across sites (`None`: they may not).
    pub cross_site_efficiency: Option<f64>,
    /// A training campaign's purposes when a tenant gives none: the catalogue's.
    #[serde(skip)]
    pub purposes: Vec<crate::catalog::Purpose>,
}

impl TrainingParams {
    /// Resolve the scenario's `[training]` against the catalogue's defaults.
    pub fn resolve(s: &Scenario, catalog: &Catalog) -> TrainingParams {
        let (t, d) = (&s.training, &catalog.training);
        let growth = t
            .frontier_growth_per_year
            .unwrap_or(d.frontier_growth_per_year.value);
        TrainingParams {
            mfu: t.mfu.unwrap_or(d.mfu.value),
            max_run_days: t.max_run_days.unwrap_or(d.max_run_days.value),
            effective_time: t.effective_time.unwrap_or(d.effective_time.value),
            h100_peak_flops: catalog
                .accelerator("H100")
                .expect("the catalogue holds the H100, the reference of relative throughput")
                .bf16_dense_tflops
                * 1e12,
            frontier: d.frontier.clone(),
            frontier_growth_per_year: growth,
            frontier_growth_source: if t.frontier_growth_per_year.is_some() {
                "the scenario (training.frontier_growth_per_year)".to_string()
            } else {
                d.frontier_growth_per_year.source.clone()
            },
            spare_fraction: spare_fraction(s, catalog),
            cross_site_efficiency: s.cluster.cross_site_efficiency(),
            purposes: d.purpose.clone(),
        }
    }

    /// The frontier run's compute at `date`, FLOP.
    pub fn frontier_flop_at(&self, date: &Date) -> f64 {
        self.frontier.flop_at(date, self.frontier_growth_per_year)
    }

    /// The day the frontier run was (or will be) `flop` in size, `round`ed from the
    /// fractional day count.
    fn frontier_day_of(&self, flop: f64, round: fn(f64) -> f64) -> Date {
        let days = self
            .frontier
            .days_until(flop, self.frontier_growth_per_year);
        self.frontier.date.add_days(round(days) as i64)
    }

    /// FLOP per H100-second at this MFU: a job's work over its run time on an H100.
    pub fn flop_per_h100_s(&self) -> f64 {
        self.h100_peak_flops * self.mfu
    }

    /// The compute, FLOP, of the longest accepted run on `gpus` accelerators of
    /// `relative_throughput`.
    pub fn run_flop(&self, gpus: u32, relative_throughput: f64) -> f64 {
        f64::from(gpus)
            * relative_throughput
            * self.h100_peak_flops
            * self.mfu
            * self.effective_time
            * self.max_run_days
            * SECONDS_PER_DAY as f64
    }
}

/// Share of each phase's whole nodes held as hot spares: the scenario's, else the
/// catalogue's, and none when failures are off (the simulation holds the same).
pub fn spare_fraction(s: &Scenario, catalog: &Catalog) -> f64 {
    if s.failures.enabled {
        s.failures
            .spare_fraction
            .unwrap_or(catalog.defaults.spare_fraction.value)
    } else {
        0.0
    }
}

impl BuildPlan {
    /// The most accelerators one job may take in this phase: all of them below a node,
    /// else its whole nodes less the hot spares (at least one node stays in service). The
    /// simulation refuses larger jobs; the capability figures use it as the largest run.
    pub fn largest_job_gpus(&self, spare_fraction: f64) -> u32 {
        if self.count < NODE_GPUS {
            return self.count;
        }
        let whole = self.count / NODE_GPUS;
        let spares = ((f64::from(whole) * spare_fraction).round() as u32).min(whole - 1);
        (whole - spares) * NODE_GPUS
    }
}

/// One year of the horizon: the frontier run and the largest run each site and the plan
/// can train.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CapabilityYear {
    /// The year as the other tables label it ("2027" or "2027-28").
    pub label: String,
    /// The year's first day (the start's anniversary).
    pub start: Date,
    /// The frontier run's compute on the year's first day, FLOP.
    pub frontier_flop: f64,
    /// Per site (the facility's order): the largest run started in the year whose
    /// accelerators stay in service for the whole run, FLOP (0: none).
    pub site_flop: Vec<f64>,
    /// The plan's: the largest of its sites', or of a run across sites where runs may span
    /// them.
    pub plan_flop: f64,
    /// When the frontier run was (or will be) as large as the plan's largest run: how
    /// far behind (or ahead of) the frontier the plan is. `None` without any run.
    pub plan_matches_frontier_of: Option<Date>,
}

/// A site's (or the plan's) standing against the frontier.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FrontierStanding {
    /// Site name, or the plan's name.
    pub name: String,
    /// The first day, from when it can hold a whole run, that its largest run is smaller
    /// than the frontier run: the day it opens when it is behind already; when it still
    /// leads at the horizon's end, the day the frontier overtakes its last hardware or
    /// that hardware retires, after the horizon. `None`: it never holds a whole run.
    pub behind_from: Option<Date>,
}

/// What the plan can train, year by year, against the frontier.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Capability {
    /// The assumptions.
    pub params: TrainingParams,
    /// One row per year of the horizon.
    pub years: Vec<CapabilityYear>,
    /// Per site, in the facility's order.
    pub sites: Vec<FrontierStanding>,
    /// The whole plan.
    pub plan: FrontierStanding,
}

/// The largest run, FLOP, started on `t` at `site` (any site when `None`) by a phase in
/// service for the whole run.
fn largest_run(f: &Facility, p: &TrainingParams, site: Option<usize>, t: Date) -> f64 {
    let end = t.add_days(p.max_run_days.ceil() as i64);
    let live: Vec<&BuildPlan> = f
        .builds
        .iter()
        .filter(|b| site.is_none_or(|s| b.site == s))
        .filter(|b| b.online <= t && b.retires_on() >= end)
        .collect();
    let gpus = |b: &BuildPlan| b.largest_job_gpus(p.spare_fraction);
    let alone = live
        .iter()
        .map(|b| p.run_flop(gpus(b), b.relative_throughput))
        .fold(0.0, f64::max);
    let Some(efficiency) = p.cross_site_efficiency else {
        return alone;
    };
    // The phases of one family together, at the pace of the slowest: within a site at
    // full speed, across sites at the stated efficiency.
    let together = |of: &dyn Fn(&BuildPlan) -> bool| {
        let (n, rate) = live
            .iter()
            .filter(|b| of(b))
            .fold((0u32, f64::INFINITY), |(n, r), b| {
                (n + gpus(b), r.min(b.relative_throughput))
            });
        if n == 0 { 0.0 } else { p.run_flop(n, rate) }
    };
    let mut best = alone;
    for fam in live.iter().map(|b| b.family.as_str()) {
        for s in 0..f.sites.len() {
            best = best.max(together(&|b| b.family == fam && b.site == s));
        }
        let sites = (0..f.sites.len())
            .filter(|&s| live.iter().any(|b| b.family == fam && b.site == s))
            .count();
        if sites > 1 {
            best = best.max(efficiency * together(&|b| b.family == fam));
        }
    }
    best
}

/// The days a run may start on that change what is in service for it: each phase's
/// online day and the last day a run on it ends before it retires, sorted.
fn change_days(f: &Facility, p: &TrainingParams) -> Vec<Date> {
    let run_days = p.max_run_days.ceil() as i64;
    let mut days: Vec<Date> = f
        .builds
        .iter()
        .flat_map(|b| [b.online, b.retires_on().add_days(1 - run_days)])
        .collect();
    days.sort();
    days.dedup();
    days
}

/// The largest run started within `[from, to)`: at `from` or on a change day inside.
fn largest_in(
    f: &Facility,
    p: &TrainingParams,
    site: Option<usize>,
    (from, to): (Date, Date),
    changes: &[Date],
) -> f64 {
    std::iter::once(from)
        .chain(changes.iter().copied().filter(|d| *d > from && *d < to))
        .map(|t| largest_run(f, p, site, t))
        .fold(0.0, f64::max)
}

/// [`FrontierStanding::behind_from`]: the pieces between change days, in order, from the
/// first that holds a run; in each the largest run is constant, and the frontier passes
/// it on a day found in closed form.
fn behind_from(
    f: &Facility,
    p: &TrainingParams,
    site: Option<usize>,
    changes: &[Date],
) -> Option<Date> {
    // Pieces start at each change day; before the first with any run, the site is not
    // yet built and is not "behind".
    let first = changes
        .iter()
        .position(|d| largest_run(f, p, site, *d) > 0.0)?;
    for (i, &a) in changes.iter().enumerate().skip(first) {
        let c = largest_run(f, p, site, a);
        if c <= 0.0 {
            return Some(a);
        }
        // The frontier reaches c on this day; behind from the next.
        let crossing = p.frontier_day_of(c, f64::floor).add_days(1);
        let next = changes.get(i + 1).copied();
        if crossing <= a || next.is_none_or(|b| crossing < b) {
            return Some(crossing.max(a));
        }
    }
    None
}

/// What `f` can train over its horizon.
pub fn capability(f: &Facility) -> Capability {
    let p = f.params.training.clone();
    let changes = change_days(f, &p);
    let years = (0..f.years)
        .map(|i| {
            let window = (f.start.add_years(i), f.start.add_years(i + 1));
            let site_flop: Vec<f64> = (0..f.sites.len())
                .map(|s| largest_in(f, &p, Some(s), window, &changes))
                .collect();
            // The largest site's, or a run across sites where runs may span them.
            let plan_flop = largest_in(f, &p, None, window, &changes);
            CapabilityYear {
                label: crate::units::year_label(&f.start, i),
                start: window.0,
                frontier_flop: p.frontier_flop_at(&window.0),
                plan_flop,
                plan_matches_frontier_of: (plan_flop > 0.0)
                    .then(|| p.frontier_day_of(plan_flop, f64::round)),
                site_flop,
            }
        })
        .collect();
    let sites = f
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| FrontierStanding {
            name: s.name.clone(),
            behind_from: behind_from(f, &p, Some(i), &changes),
        })
        .collect();
    let plan = FrontierStanding {
        name: f.name.clone(),
        behind_from: behind_from(f, &p, None, &changes),
    };
    Capability {
        params: p,
        years,
        sites,
        plan,
    }
}
