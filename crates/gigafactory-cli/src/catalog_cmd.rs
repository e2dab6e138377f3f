//! `gigafactory catalog`: the built-in data as tables with their sources, or JSON.

use gigafactory::catalog::Catalog;

use crate::table::{Align, int, num, render};

/// The catalogue's tables.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(crate) enum Table {
    /// Accelerators: specifications, prices, power.
    Accelerators,
    /// Countries: electricity price and grid carbon intensity.
    Countries,
    /// EuroHPC AI-Factory host sites.
    Sites,
    /// Market rental prices.
    Rents,
    /// Hyperscalers' depreciation lives.
    Depreciation,
    /// The accelerator roadmap that refreshes buy from, by year, with its projection.
    Roadmap,
    /// The reference failure record.
    Failures,
    /// Default economic and power parameters.
    Defaults,
    /// Training at scale: MFU, run length, the frontier trend, sizes of large runs.
    Training,
    /// Serving models: model classes, replicas and throughput per accelerator, daily
    /// profiles, market prices per million tokens.
    Serving,
    /// Every source key with its full reference.
    Sources,
}

fn opt(x: Option<f64>, d: usize) -> String {
    x.map_or_else(|| "-".into(), |v| num(v, d))
}

/// The table as text (or JSON).
pub(crate) fn show(table: Table, json: bool) -> String {
    let c = Catalog::builtin();
    if json {
        let v = match table {
            Table::Accelerators => serde_json::to_value(&c.accelerators),
            Table::Countries => serde_json::to_value(&c.countries),
            Table::Sites => serde_json::to_value(&c.sites),
            Table::Rents => serde_json::to_value(&c.rents),
            Table::Depreciation => serde_json::to_value(&c.depreciation),
            Table::Roadmap => serde_json::to_value(&c.roadmap),
            Table::Failures => serde_json::to_value(&c.failures),
            Table::Defaults => serde_json::to_value(&c.defaults),
            Table::Training => serde_json::to_value(&c.training),
            Table::Serving => serde_json::to_value(&c.serving),
            Table::Sources => serde_json::to_value(&c.sources),
        };
        return serde_json::to_string_pretty(&v.expect("catalogue rows serialise")).expect("JSON")
            + "\n";
    }
    let (body, notes): (String, Vec<String>) = match table {
        Table::Accelerators => accelerators_table(c),
        Table::Countries => countries_table(c),
        Table::Sites => sites_table(c),
        Table::Rents => rents_table(c),
        Table::Depreciation => depreciation_table(c),
        Table::Roadmap => roadmap_table(c),
        Table::Failures => failures_table(c),
        Table::Defaults => defaults_table(c),
        Table::Training => training_table(c),
        Table::Serving => crate::serving::serving_catalog(c),
        Table::Sources => sources_table(c),
    };
    let mut out = body;
    if !notes.is_empty() {
        out.push_str("\nSources (keys: `gigafactory catalog sources`):\n");
        for n in notes {
            out.push_str(&format!("  {n}\n"));
        }
    }
    out
}

/// The `accelerators` table and its source notes.
fn accelerators_table(c: &Catalog) -> (String, Vec<String>) {
    let rows = c
        .accelerators
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.vendor.clone(),
                a.year.to_string(),
                num(a.bf16_dense_tflops, 0),
                opt(a.fp8_dense_tflops, 0),
                num(a.memory_gb, 0),
                num(a.bandwidth_tb_s, 2),
                num(a.tdp_w, 0),
                num(a.server_overhead_w, 0),
                match (a.price_usd_low, a.price_usd_high) {
                    (Some(l), Some(h)) if l == h => num(l, 0),
                    (Some(l), Some(h)) => format!("{}-{}", num(l, 0), num(h, 0)),
                    _ => "-".into(),
                },
                format!("{:?}", a.price_basis).to_lowercase(),
                num(a.relative_throughput, 3),
            ]
        })
        .collect::<Vec<_>>();
    let mut align = vec![Align::Left, Align::Left];
    align.extend([Align::Right; 8]);
    align.extend([Align::Left, Align::Right]);
    let body = render(
        &[
            "Id",
            "Vendor",
            "Year",
            "BF16 TF",
            "FP8 TF",
            "HBM GB",
            "TB/s",
            "TDP W",
            "+server W",
            "Price USD",
            "Price of",
            "vs H100",
        ],
        &align,
        &rows,
    );
    let notes = c
        .accelerators
        .iter()
        .map(|a| {
            format!(
                "{}: specs {}; price {}{}; server {}; throughput {}",
                a.id,
                a.spec_source,
                a.price_source,
                a.price_as_of
                    .as_ref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default(),
                a.overhead_source,
                a.throughput_source
            )
        })
        .collect();
    (body, notes)
}
/// The `countries` table and its source notes.
fn countries_table(c: &Catalog) -> (String, Vec<String>) {
    let rows = c
        .countries
        .iter()
        .map(|k| {
            vec![
                k.code.clone(),
                k.name.clone(),
                k.bloc.clone(),
                num(k.electricity_eur_per_kwh, 4),
                k.electricity_period.clone(),
                num(k.carbon_g_per_kwh, 0),
                k.carbon_year.to_string(),
            ]
        })
        .collect::<Vec<_>>();
    let body = render(
        &[
            "Code",
            "Country",
            "Bloc",
            "EUR/kWh",
            "Period",
            "gCO2e/kWh",
            "Year",
        ],
        &[
            Align::Left,
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Right,
            Align::Left,
        ],
        &rows,
    );
    let mut notes: Vec<String> = c
        .countries
        .iter()
        .filter(|k| !k.electricity_source.ends_with("excl. VAT"))
        .map(|k| format!("{}: {}", k.code, k.electricity_source))
        .collect();
    notes.insert(0, "price: E1, Eurostat nrg_pc_205, band IE (20-70 GWh/yr), excl. VAT; carbon: E3, Ember lifecycle".into());
    notes.insert(1, "bloc: EU member state (U1), EEA outside the EU (U2); a tenant's region = \"eu\" admits EU, \"eea\" both".into());
    (body, notes)
}
/// The `sites` table and its source notes.
fn sites_table(c: &Catalog) -> (String, Vec<String>) {
    let rows = c
        .sites
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                s.name.clone(),
                s.country.clone(),
                s.system.clone(),
                s.selected.clone(),
                s.source.clone(),
            ]
        })
        .collect::<Vec<_>>();
    let body = render(
        &["Id", "Name", "Country", "System", "Selected", "Source"],
        &[Align::Left; 6],
        &rows,
    );
    (
        body,
        vec!["per-site accelerator counts are mostly not public (H1)".into()],
    )
}
/// The `rents` table and its source notes.
fn rents_table(c: &Catalog) -> (String, Vec<String>) {
    let rows = c
        .rents
        .iter()
        .map(|r| {
            vec![
                r.accelerator.clone(),
                num(r.usd_per_gpu_hour, 2),
                r.as_of.clone(),
                r.source.clone(),
                format!(
                    "{}{}",
                    r.offer,
                    if r.reference { "  [reference]" } else { "" }
                ),
            ]
        })
        .collect::<Vec<_>>();
    let body = render(
        &["Accelerator", "USD/h", "As of", "Source", "Offer"],
        &[
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Left,
        ],
        &rows,
    );
    (body, vec![])
}
/// The `depreciation` table and its source notes.
fn depreciation_table(c: &Catalog) -> (String, Vec<String>) {
    let rows = c
        .depreciation
        .iter()
        .map(|d| {
            vec![
                d.company.clone(),
                num(d.life_years, 1),
                d.since.clone(),
                d.source.clone(),
                d.note.clone(),
            ]
        })
        .collect::<Vec<_>>();
    let body = render(
        &["Company", "Years", "Since", "Source", "Note"],
        &[
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Left,
            Align::Left,
        ],
        &rows,
    );
    (body, vec![])
}
/// The `roadmap` table and its source notes.
fn roadmap_table(c: &Catalog) -> (String, Vec<String>) {
    let mid = |a: &gigafactory::catalog::Accelerator| a.price_usd_mid();
    let first = c.roadmap.generation.first().map_or(2023, |g| g.from_year);
    let last = c.roadmap.generation.last().map_or(2028, |g| g.from_year);
    let rows = (first..=last + 3)
        .filter_map(|y| c.part_in(y, mid).map(|p| (y, p)))
        .map(|(y, p)| {
            let source = c
                .roadmap
                .generation
                .iter()
                .rev()
                .find(|g| g.from_year <= y)
                .map_or_else(String::new, |g| g.source.clone());
            vec![
                y.to_string(),
                p.id.clone(),
                num(p.relative_throughput, 2),
                num(p.rated_w, 0),
                num(p.price_usd, 0),
                p.basis.clone(),
                if p.basis == "projected" {
                    c.roadmap.projection.source.clone()
                } else {
                    source
                },
            ]
        })
        .collect::<Vec<_>>();
    let body = render(
        &[
            "Year",
            "Part",
            "x H100",
            "Rated W",
            "Price USD (mid)",
            "Basis",
            "Source",
        ],
        &[
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
            Align::Left,
        ],
        &rows,
    );
    let p = &c.roadmap.projection;
    (
        body,
        vec![
            format!(
                "Projection ({}): throughput per dollar doubles every {} years, anchored on the {} \
                 at its {} price; {}.",
                p.source, p.price_performance_doubling_years, p.anchor, p.anchor_year, p.power_rule
            ),
            "Rated W: the accelerator with its share of the server or rack.".into(),
        ],
    )
}
/// The `failures` table and its source notes.
fn failures_table(c: &Catalog) -> (String, Vec<String>) {
    let f = &c.failures;
    let rows = vec![
        vec!["run".into(), f.run.clone()],
        vec![
            "accelerators".into(),
            format!("{} x {}", int(u64::from(f.gpus)), f.accelerator),
        ],
        vec!["days".into(), num(f.days, 0)],
        vec![
            "interruptions (planned / unexpected)".into(),
            format!(
                "{} ({} / {})",
                f.interruptions_total, f.interruptions_planned, f.interruptions_unexpected
            ),
        ],
        vec![
            "GPU-related share of unexpected".into(),
            num(f.gpu_related_share_of_unexpected, 3),
        ],
        vec![
            "accelerator-hours per unexpected interruption".into(),
            num(f.gpu_hours_per_interruption(), 0),
        ],
    ];
    (
        render(&["Figure", "Value"], &[Align::Left, Align::Left], &rows),
        vec![f.source.clone()],
    )
}
/// The `defaults` table and its source notes.
fn defaults_table(c: &Catalog) -> (String, Vec<String>) {
    let rows = c
        .defaults
        .entries()
        .into_iter()
        .map(|(k, d)| vec![k.to_string(), format!("{}", d.value), d.source.clone()])
        .collect::<Vec<_>>();
    (
        render(
            &["Parameter", "Value", "Source"],
            &[Align::Left, Align::Right, Align::Left],
            &rows,
        ),
        vec![],
    )
}
/// The `training` tables: the defaults a scenario's `[training]` overrides, the frontier
/// trend's anchor and factors, and the sizes of published large runs.
fn training_table(c: &Catalog) -> (String, Vec<String>) {
    let t = &c.training;
    let mut rows: Vec<Vec<String>> = t
        .entries()
        .into_iter()
        .map(|(k, d)| vec![k.to_string(), format!("{}", d.value), d.source.clone()])
        .collect();
    rows.push(vec![
        format!("frontier run ({}, {})", t.frontier.run, t.frontier.date),
        format!("{:e}", t.frontier.flop),
        t.frontier.source.clone(),
    ]);
    let mut out = render(
        &["Parameter", "Value", "Source"],
        &[Align::Left, Align::Right, Align::Left],
        &rows,
    );
    out.push_str("\nThe frontier trend's factors, a year (median, 10th-90th percentile):\n");
    let rows: Vec<Vec<String>> = t
        .growth_factor
        .iter()
        .map(|g| {
            vec![
                g.name.clone(),
                format!("{}x", g.value),
                format!("{}-{}x", g.low, g.high),
                g.source.clone(),
            ]
        })
        .collect();
    out.push_str(&render(
        &["Factor", "Median", "Range", "Source"],
        &[Align::Left, Align::Right, Align::Right, Align::Left],
        &rows,
    ));
    out.push_str("\nAccelerators per run among published large runs:\n");
    let rows: Vec<Vec<String>> = t
        .run_size
        .iter()
        .map(|r| {
            let mut row = vec![
                format!(">= {:e} FLOP", r.above_flop),
                int(u64::from(r.runs)),
            ];
            row.extend([r.p10, r.p25, r.median, r.p75, r.p90].map(|x| num(x, 0)));
            row.push(r.source.clone());
            row
        })
        .collect();
    out.push_str(&render(
        &[
            "Runs of", "Runs", "P10", "P25", "Median", "P75", "P90", "Source",
        ],
        &[
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
        ],
        &rows,
    ));
    (out, vec![])
}

/// The `sources` table and its source notes.
fn sources_table(c: &Catalog) -> (String, Vec<String>) {
    let rows = c
        .sources
        .iter()
        .map(|(k, v)| vec![k.clone(), v.clone()])
        .collect::<Vec<_>>();
    (
        render(&["Key", "Reference"], &[Align::Left, Align::Left], &rows),
        vec![],
    )
}
