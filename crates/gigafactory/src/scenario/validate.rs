use super::problem::{FieldPath, Problem, did_you_mean};
use super::types::Scenario;
use crate::catalog::Catalog;

mod calls;
mod demand;
mod optimize;
mod prices;
mod residency;
mod serving;
mod uncertain;
use demand::{load_without_reference, training, validate_demand, validate_kind};
use optimize::optimize;
use serving::serving_rules;
use uncertain::uncertain;
pub use uncertain::validate_uncertain;

/// Check what the file's structure cannot: names that must match the catalogue or each
/// other, ranges, and dates inside the horizon. Returns every problem found (none when
/// the scenario is valid), each with its field path.
///
/// # Example
/// ```
/// use gigafactory::{catalog::Catalog, scenario};
/// let mut s = scenario::builtin("eu-investai").unwrap().scenario();
/// assert!(scenario::validate(&s, Catalog::builtin()).is_empty());
/// s.builds[0].accelerator = "B20".into();
/// let problems = scenario::validate(&s, Catalog::builtin());
/// assert_eq!(problems[0].path.to_string(), "build[0].accelerator");
/// ```
pub fn validate(s: &Scenario, catalog: &Catalog) -> Vec<Problem> {
    let mut v = Checks::default();
    let root = FieldPath::root();

    if s.name.trim().is_empty() {
        v.push(root.key("name"), "expected a non-empty name");
    }
    v.range(
        root.key("years"),
        f64::from(s.years),
        1.0,
        50.0,
        "a horizon",
        " years",
    );
    let (first, last) = (
        crate::units::Date::from_ymd(2010, 1, 1).expect("a valid day"),
        crate::units::Date::from_ymd(2070, 12, 31).expect("a valid day"),
    );
    if s.start < first || s.start > last {
        v.push(
            root.key("start"),
            format!(
                "expected a start from {first} to {last} (the catalogue's prices and rents are \
                 sourced for the 2020s and projected from them), found {}",
                s.start
            ),
        );
    }

    if let Some(c) = s.budget.capex_eur {
        v.above(
            root.key("budget").key("capex_eur"),
            c,
            0.0,
            "a budget",
            " EUR",
        );
    }

    validate_sites(s, catalog, &mut v);
    if let Some(o) = &s.optimize {
        optimize(&mut v, o, s, catalog);
    }
    validate_builds(s, catalog, &mut v);
    validate_economics(s, &mut v);
    validate_workload(s, catalog, &mut v);
    validate_simulation(s, catalog, &mut v);
    training(s, &mut v);
    serving_rules(s, &mut v);
    uncertain(s, catalog, &mut v);
    prices::prices(s, &mut v);
    residency::residency(s, catalog, &mut v);
    calls::calls(s, &mut v);

    validate_power(s, catalog, &mut v);
    v.0
}

/// The `[[site]]` tables: names, countries (or a site's own prices), grid, PUE, prices.
fn validate_sites(s: &Scenario, catalog: &Catalog, v: &mut Checks) {
    let root = FieldPath::root();
    let catalogue_candidates = s
        .optimize
        .as_ref()
        .is_some_and(|o| o.candidates != super::Candidates::Scenario);
    if s.sites.is_empty() && !catalogue_candidates {
        v.push(root.key("site"), "at least one [[site]] table is required");
    }
    for (i, site) in s.sites.iter().enumerate() {
        let p = root.key("site").index(i);
        if site.name.trim().is_empty() {
            v.push(p.key("name"), "expected a non-empty site name");
        } else if let Some(j) = s.sites[..i].iter().position(|o| o.name == site.name) {
            v.push(
                p.key("name"),
                format!("site name \"{}\" is already used by site[{j}]", site.name),
            );
        }
        match &site.country {
            Some(code) if catalog.country(code).is_none() => {
                let codes = catalog.countries.iter().map(|c| c.code.as_str());
                let hint = did_you_mean(code, codes)
                    .map(|m| format!(" (did you mean \"{m}\"?)"))
                    .unwrap_or_default();
                v.push(
                    p.key("country"),
                    format!(
                        "unknown country \"{code}\"{hint}; expected an ISO code from `gigafactory catalog countries`"
                    ),
                );
            }
            Some(_) => {}
            None => {
                let missing: Vec<&str> = [
                    (
                        "electricity_eur_per_kwh",
                        site.electricity_eur_per_kwh.is_none(),
                    ),
                    ("carbon_g_per_kwh", site.carbon_g_per_kwh.is_none()),
                ]
                .into_iter()
                .filter_map(|(k, m)| m.then_some(k))
                .collect();
                if !missing.is_empty() {
                    v.push(
                        p.clone(),
                        format!(
                            "a site without `country` must give its own {}",
                            missing
                                .iter()
                                .map(|m| format!("`{m}`"))
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                    );
                }
            }
        }
        v.above(
            p.key("grid_mw"),
            site.grid_mw,
            0.0,
            "a grid connection",
            " MW",
        );
        if let Some(pue) = site.pue {
            v.range(p.key("pue"), pue, 1.0, 3.0, "a PUE", "");
        }
        if let Some(x) = site.electricity_eur_per_kwh {
            if x > 2.0 {
                v.push(
                    p.key("electricity_eur_per_kwh"),
                    format!("expected a price in EUR per kWh from 0 to 2, found {} (EUR per MWh? divide by 1000)", shown(x)),
                );
            } else {
                v.range(
                    p.key("electricity_eur_per_kwh"),
                    x,
                    0.0,
                    2.0,
                    "a price",
                    " EUR/kWh",
                );
            }
        }
        if let Some(x) = site.carbon_g_per_kwh {
            v.range(
                p.key("carbon_g_per_kwh"),
                x,
                0.0,
                2000.0,
                "a carbon intensity",
                " gCO2e/kWh",
            );
        }
    }

    for (i, site) in s.sites.iter().enumerate() {
        if let Some(m) = site.building_cost_multiplier {
            v.above(
                root.key("site").index(i).key("building_cost_multiplier"),
                m,
                0.0,
                "a building cost multiplier",
                "",
            );
        }
    }
}

/// The `[[build]]` phases: their site, accelerator, count, dates, life and prices.
fn validate_builds(s: &Scenario, catalog: &Catalog, v: &mut Checks) {
    let root = FieldPath::root();
    let end = s.start.add_years(s.years);
    if s.builds.is_empty() && s.optimize.is_none() {
        v.push(
            root.key("build"),
            "at least one [[build]] table is required (or an [optimize] table, for `gigafactory optimize` to choose them)",
        );
    }
    for (i, b) in s.builds.iter().enumerate() {
        let p = root.key("build").index(i);
        if !s.sites.iter().any(|site| site.name == b.site) {
            let names: Vec<&str> = s.sites.iter().map(|x| x.name.as_str()).collect();
            let hint = did_you_mean(&b.site, names.iter().copied())
                .map(|m| format!(" (did you mean \"{m}\"?)"))
                .unwrap_or_default();
            v.push(
                p.key("site"),
                format!(
                    "no [[site]] is named \"{}\"{hint}; the sites are: {}",
                    b.site,
                    names
                        .iter()
                        .map(|n| format!("\"{n}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
        match catalog.accelerator(&b.accelerator) {
            None => {
                let ids = catalog.accelerators.iter().map(|a| a.id.as_str());
                let hint = did_you_mean(&b.accelerator, ids.clone())
                    .map(|m| format!(" (did you mean \"{m}\"?)"))
                    .unwrap_or_default();
                v.push(
                    p.key("accelerator"),
                    format!(
                        "unknown accelerator \"{}\"{hint}; expected one of: {}",
                        b.accelerator,
                        ids.collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            Some(a) if a.price_usd_low.is_none() && b.price_usd.is_none() => v.push(
                p.key("accelerator"),
                format!(
                    "the catalogue has no price for {}; give the build a `price_usd`",
                    a.id
                ),
            ),
            Some(_) => {}
        }
        if b.count == 0 {
            v.push(p.key("count"), "expected at least 1 accelerator, found 0");
        }
        match (b.online, b.ordered) {
            (None, None) => v.push(
                p.clone(),
                "give the phase an `online` date, or `ordered` and `lead_time_months`",
            ),
            (Some(_), Some(_)) => v.push(
                p.key("ordered"),
                "give either `online` or `ordered`, not both",
            ),
            (Some(d), None) => v.in_horizon(p.key("online"), d, s.start, end),
            (None, Some(d)) => {
                v.in_horizon(p.key("ordered"), d, s.start, end);
                match b.lead_time_months {
                    None => v.push(
                        p.key("ordered"),
                        "the catalogue has no lead times: give `lead_time_months` with `ordered`",
                    ),
                    Some(m) if m > 120 => v.push(
                        p.key("lead_time_months"),
                        format!("expected at most 120 months, found {m}"),
                    ),
                    Some(m) => {
                        v.in_horizon(p.key("lead_time_months"), d.add_months(m), s.start, end)
                    }
                }
            }
        }
        if let Some(l) = b.life_years {
            v.range(
                p.key("life_years"),
                l,
                0.25,
                30.0,
                "a useful life",
                " years",
            );
        }
        if let Some(x) = b.price_usd {
            v.above(p.key("price_usd"), x, 0.0, "a price", " USD");
        }
        if let Some(x) = b.relative_throughput {
            v.range(
                p.key("relative_throughput"),
                x,
                0.001,
                1000.0,
                "a relative throughput",
                "",
            );
        }
    }
}

/// The `[economics]` table's ranges.
fn validate_economics(s: &Scenario, v: &mut Checks) {
    let root = FieldPath::root();
    let e = &s.economics;
    let ep = root.key("economics");
    let checks: [(&str, Option<f64>, f64, f64, &str); 12] = [
        ("assumed_utilization", e.assumed_utilization, 0.0, 1.0, ""),
        ("eur_per_usd", e.eur_per_usd, 0.01, 100.0, ""),
        ("server_multiplier", e.server_multiplier, 1.0, 10.0, ""),
        ("network_multiplier", e.network_multiplier, 1.0, 10.0, ""),
        (
            "building_eur_per_mw_it",
            e.building_eur_per_mw_it,
            0.0,
            1e9,
            " EUR/MW",
        ),
        (
            "grid_connection_eur_per_mw",
            e.grid_connection_eur_per_mw,
            0.0,
            1e9,
            " EUR/MW",
        ),
        (
            "maintenance_share_per_year",
            e.maintenance_share_per_year,
            0.0,
            1.0,
            "",
        ),
        (
            "staff_fte_per_beur_capex",
            e.staff_fte_per_beur_capex,
            0.0,
            10_000.0,
            "",
        ),
        (
            "labour_cost_eur_per_hour",
            e.labour_cost_eur_per_hour,
            0.0,
            1000.0,
            " EUR/h",
        ),
        (
            "hours_per_fte_year",
            e.hours_per_fte_year,
            1.0,
            8760.0,
            " h",
        ),
        (
            "market_rent_usd_per_gpu_hour",
            e.market_rent_usd_per_gpu_hour,
            0.01,
            1000.0,
            " USD",
        ),
        ("short_life_years", e.short_life_years, 0.25, 30.0, " years"),
    ];
    for (key, value, lo, hi, unit) in checks {
        if let Some(x) = value {
            v.range(ep.key(key), x, lo, hi, "a value", unit);
        }
    }
    if let Some(x) = e.rent_change_per_year {
        v.range(
            ep.key("rent_change_per_year"),
            x,
            -0.99,
            10.0,
            "a yearly change",
            "",
        );
    }
    if e.assumed_utilization == Some(0.0) {
        v.push(
            ep.key("assumed_utilization"),
            "expected a utilisation above 0, found 0",
        );
    }
}

/// The `[power]` table: shares of rated power, idle no more than busy.
fn validate_power(s: &Scenario, catalog: &Catalog, v: &mut Checks) {
    let root = FieldPath::root();
    let pp = root.key("power");
    let busy = s.power.busy_fraction_of_rated;
    let idle = s.power.idle_fraction_of_rated;
    if let Some(x) = busy {
        v.range(pp.key("busy_fraction_of_rated"), x, 0.0, 1.0, "a share", "");
    }
    if let Some(x) = idle {
        v.range(pp.key("idle_fraction_of_rated"), x, 0.0, 1.0, "a share", "");
    }
    let busy = busy.unwrap_or(catalog.defaults.busy_fraction_of_rated.value);
    let idle_v = idle.unwrap_or(catalog.defaults.idle_fraction_of_rated.value);
    if idle_v > busy {
        v.push(
            pp.key(if idle.is_some() {
                "idle_fraction_of_rated"
            } else {
                "busy_fraction_of_rated"
            }),
            format!("an idle node cannot draw more than a busy one: idle {idle_v} > busy {busy}"),
        );
    }
}

/// Preset ids, listed here so that the scenario layer need not import the workload layer;
/// a workload test checks the two lists agree.
pub const PRESET_IDS: [&str; 8] = [
    "helios-venus",
    "helios-earth",
    "helios-saturn",
    "helios-uranus",
    "helios",
    "philly",
    "seren",
    "llm-factory",
];

fn validate_workload(s: &Scenario, catalog: &Catalog, v: &mut Checks) {
    let root = FieldPath::root();
    if let Some(w) = &s.workload {
        let p = root.key("workload");
        if !s.tenants.is_empty() {
            v.push(
                p.key("trace"),
                "give either a [workload] trace or [[tenant]] tables, not both",
            );
        }
        if w.trace.trim().is_empty() {
            v.push(p.key("trace"), "expected the path of a trace file");
        }
        if let Some(x) = w.utc_offset_hours {
            v.range(
                p.key("utc_offset_hours"),
                x,
                -12.0,
                14.0,
                "an offset",
                " hours",
            );
        }
        if let Some(x) = w.duration_scale {
            v.range(p.key("duration_scale"), x, 0.001, 1000.0, "a factor", "");
        }
    }
    let mut share_sum = 0.0;
    for (i, t) in s.tenants.iter().enumerate() {
        let p = root.key("tenant").index(i);
        if t.name.trim().is_empty() {
            v.push(p.key("name"), "expected a non-empty tenant name");
        } else if let Some(j) = s.tenants[..i].iter().position(|o| o.name == t.name) {
            v.push(
                p.key("name"),
                format!("tenant name \"{}\" is already used by tenant[{j}]", t.name),
            );
        }
        validate_kind(t, &p, s, catalog, v);
        v.range(p.key("share"), t.share, 0.0, 1.0, "a share", "");
        share_sum += t.share;
        if t.kind != crate::scenario::TenantKind::Inference
            && !s.calls.iter().any(|c| c.tenant == t.name)
        {
            validate_demand(t, &p, v);
        }
        if t.load.is_some_and(|l| l > 0.0) && s.demand.reference_h100_equivalents.is_none() {
            v.push(p.key("load"), load_without_reference(s, catalog));
        }
        v.range(
            p.key("growth_per_year"),
            t.growth_per_year,
            -0.99,
            100.0,
            "a growth",
            " per year",
        );
        if let Some(h) = t.patience_h {
            v.above(p.key("patience_h"), h, 0.0, "a patience", " hours");
        }
        if let Some(q) = t.quota_gpus {
            if q < crate::units::NODE_GPUS {
                v.push(
                    p.key("quota_gpus"),
                    format!(
                        "a quota of {q} GPUs is less than one node ({} GPUs): expected at \
                         least {}",
                        crate::units::NODE_GPUS,
                        crate::units::NODE_GPUS
                    ),
                );
            }
        }
        v.range(
            p.key("daily_amplitude"),
            t.daily_amplitude,
            0.0,
            1.0,
            "an amplitude",
            "",
        );
        v.range(
            p.key("weekend_factor"),
            t.weekend_factor,
            0.0,
            10.0,
            "a factor",
            "",
        );
    }
    if share_sum > 1.0 + 1e-9 {
        v.push(
            root.key("tenant").index(s.tenants.len() - 1).key("share"),
            format!(
                "the tenants' shares add up to {}; they must not exceed 1",
                (share_sum * 1e6).round() / 1e6
            ),
        );
    }
}

/// The simulation's settings: scheduler, demand ramp, shocks, procurement caps, pods,
/// failures.
fn validate_simulation(s: &Scenario, catalog: &Catalog, v: &mut Checks) {
    let root = FieldPath::root();
    let sp = root.key("scheduler");
    let sc = &s.scheduler;
    if let Some(x) = sc.walltime_factor {
        v.range(sp.key("walltime_factor"), x, 1.0, 100.0, "a factor", "");
    }
    if let Some(x) = sc.backfill_depth {
        v.range(
            sp.key("backfill_depth"),
            f64::from(x),
            1.0,
            1e7,
            "a depth",
            " jobs",
        );
    }
    if let Some(x) = sc.halflife_days {
        v.above(sp.key("halflife_days"), x, 0.0, "a half-life", " days");
    }
    if let Some(t) = &sc.las_thresholds_gpu_h {
        if t.is_empty() || t.windows(2).any(|w| w[0] >= w[1]) || t[0] <= 0.0 {
            v.push(
                sp.key("las_thresholds_gpu_h"),
                "expected increasing thresholds above 0, like [1, 10, 100]",
            );
        }
    }
    if let Some(r) = s.demand.reference_h100_equivalents {
        if !(1.0..=1e8).contains(&r) {
            v.push(
                root.key("demand").key("reference_h100_equivalents"),
                format!(
                    "expected a capacity from 1 to 1e8 H100-equivalents, found {}",
                    shown(r)
                ),
            );
        }
    }
    if let Some(m) = s.demand.adoption_months {
        v.range(
            root.key("demand").key("adoption_months"),
            m,
            0.0,
            600.0,
            "a ramp",
            " months",
        );
    }
    validate_shocks_and_caps(s, catalog, v);
    if let Some(n) = s.cluster.pod_nodes {
        v.range(
            root.key("cluster").key("pod_nodes"),
            f64::from(n),
            1.0,
            100_000.0,
            "a pod size",
            " nodes",
        );
    }
    if let Some(e) = s.cluster.cross_site.and_then(|c| c.efficiency)
        && !(e > 0.0 && e <= 1.0)
    {
        v.push(
            root.key("cluster").key("cross_site").key("efficiency"),
            format!(
                "expected an efficiency above 0 and at most 1 (a run across sites against the \
                 same run on one site), found {}",
                shown(e)
            ),
        );
    }
    validate_failures(s, v);
}

/// Demand shocks inside the horizon; procurement caps naming a family or a country.
fn validate_shocks_and_caps(s: &Scenario, catalog: &Catalog, v: &mut Checks) {
    let root = FieldPath::root();
    let end = s.start.add_years(s.years);
    for (i, sh) in s.shocks.iter().enumerate() {
        let p = root.key("shock").index(i);
        v.range(p.key("factor"), sh.factor, 0.001, 1000.0, "a factor", "");
        if sh.date < s.start || sh.date >= end {
            v.push(
                p.key("date"),
                format!(
                    "expected a date inside the horizon {} to {end}, found {}",
                    s.start, sh.date
                ),
            );
        }
    }
    for (i, c) in s.procurement.caps.iter().enumerate() {
        let p = root.key("procurement").key("caps").index(i);
        match (&c.family, &c.country) {
            (None, None) | (Some(_), Some(_)) => {
                v.push(p.clone(), "give a cap either a `family` or a `country`")
            }
            (Some(f), None) if !catalog.accelerators.iter().any(|a| &a.family == f) => {
                let mut families: Vec<&str> = catalog
                    .accelerators
                    .iter()
                    .map(|a| a.family.as_str())
                    .collect();
                families.dedup();
                let hint = did_you_mean(f, families.iter().copied())
                    .map(|m| format!(" (did you mean \"{m}\"?)"))
                    .unwrap_or_default();
                v.push(
                    p.key("family"),
                    format!(
                        "unknown family \"{f}\"{hint}; expected one of: {}",
                        families.join(", ")
                    ),
                );
            }
            (None, Some(code)) if catalog.country(code).is_none() => {
                v.push(p.key("country"), format!("unknown country \"{code}\""));
            }
            _ => {}
        }
        if c.units_per_year == 0 {
            v.push(
                p.key("units_per_year"),
                "expected at least 1 a year, found 0",
            );
        }
    }
}

/// The `[failures]` table's ranges.
fn validate_failures(s: &Scenario, v: &mut Checks) {
    let root = FieldPath::root();
    let fp = root.key("failures");
    let f = &s.failures;
    if let Some(x) = f.gpu_hours_per_interruption {
        v.above(
            fp.key("gpu_hours_per_interruption"),
            x,
            0.0,
            "a mean time between interruptions",
            " GPU-hours",
        );
    }
    if let Some(x) = f.repair_h {
        v.range(
            fp.key("repair_h"),
            x,
            0.0,
            10_000.0,
            "a repair time",
            " hours",
        );
    }
    if let Some(x) = f.checkpoint_write_s {
        v.above(
            fp.key("checkpoint_write_s"),
            x,
            0.0,
            "a checkpoint write time",
            " s",
        );
    }
    if let Some(x) = f.checkpoint_interval_s {
        v.above(
            fp.key("checkpoint_interval_s"),
            x,
            0.0,
            "a checkpoint interval",
            " s",
        );
    }
    if let Some(x) = f.spare_fraction {
        v.range(
            fp.key("spare_fraction"),
            x,
            0.0,
            0.5,
            "a share of nodes held as spares",
            "",
        );
    }
}

#[derive(Default)]
struct Checks(Vec<Problem>);

impl Checks {
    fn push(&mut self, path: FieldPath, msg: impl Into<String>) {
        self.0.push(Problem::value(path, msg));
    }

    fn range(&mut self, path: FieldPath, x: f64, lo: f64, hi: f64, what: &str, unit: &str) {
        if !(lo..=hi).contains(&x) {
            self.push(
                path,
                format!(
                    "expected {what} from {lo} to {hi}{unit}, found {}",
                    shown(x)
                ),
            );
        }
    }

    fn in_horizon(
        &mut self,
        path: FieldPath,
        d: crate::units::Date,
        start: crate::units::Date,
        end: crate::units::Date,
    ) {
        let why = if d < start {
            "before the start"
        } else if d >= end {
            "after the end"
        } else {
            return;
        };
        self.push(
            path,
            format!("expected a date inside the horizon {start} to {end}, found {d} ({why})"),
        );
    }

    fn above(&mut self, path: FieldPath, x: f64, lo: f64, what: &str, unit: &str) {
        if x <= lo {
            self.push(
                path,
                format!("expected {what} above {lo}{unit}, found {}", shown(x)),
            );
        }
    }
}

/// A number as a message shows it: as written for everyday sizes, in scientific notation
/// for the very small and very large (`1e-300`, not three hundred digits).
fn shown(x: f64) -> String {
    if x != 0.0 && x.is_finite() && (x.abs() < 1e-4 || x.abs() >= 1e15) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}
