use super::*;

/// Source keys cited in a text: tokens of one capital letter and one or two digits
/// (`A1`, `F11`, `E3`), standing alone. Model names such as `H100` have three digits,
/// and `BF16` or `FY23` two letters, so they are not keys.
fn cited_keys(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| {
            let letters = t.chars().take_while(char::is_ascii_uppercase).count();
            let digits = t.len() - letters;
            letters == 1
                && (1..=2).contains(&digits)
                && t[letters..].chars().all(|c| c.is_ascii_digit())
        })
        .map(str::to_string)
        .collect()
}

/// Every text that names a source, with the row it belongs to.
fn all_source_texts(c: &Catalog) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for a in &c.accelerators {
        for s in [
            &a.spec_source,
            &a.price_source,
            &a.overhead_source,
            &a.throughput_source,
        ] {
            v.push((format!("accelerator {}", a.id), s.clone()));
        }
    }
    for k in &c.countries {
        v.push((format!("country {}", k.code), k.electricity_source.clone()));
        v.push((format!("country {}", k.code), k.carbon_source.clone()));
    }
    for s in &c.sites {
        v.push((format!("site {}", s.id), s.source.clone()));
    }
    for r in &c.rents {
        v.push((format!("rent {} {}", r.offer, r.as_of), r.source.clone()));
    }
    for d in &c.depreciation {
        v.push((format!("depreciation {}", d.company), d.source.clone()));
    }
    v.push(("failures".into(), c.failures.source.clone()));
    v.push((
        "roadmap projection".into(),
        c.roadmap.projection.source.clone(),
    ));
    for g in &c.roadmap.generation {
        v.push((format!("roadmap {}", g.id), g.source.clone()));
    }
    for (name, d) in c.defaults.entries() {
        v.push((format!("default {name}"), d.source.clone()));
    }
    let t = &c.training;
    for (name, d) in t.entries() {
        v.push((format!("training {name}"), d.source.clone()));
    }
    v.push(("training frontier".into(), t.frontier.source.clone()));
    for g in &t.growth_factor {
        v.push((format!("training growth {}", g.name), g.source.clone()));
    }
    for r in &t.run_size {
        v.push((
            format!("training run size {}", r.above_flop),
            r.source.clone(),
        ));
    }
    for p in &t.purpose {
        v.push((format!("training purpose {}", p.name), p.source.clone()));
    }
    v
}

#[test]
fn the_frontier_trend_grows_from_its_anchor_and_inverts() {
    let t = &Catalog::builtin().training;
    let g = t.frontier_growth_per_year.value;
    let f = &t.frontier;
    assert_eq!(f.flop_at(&f.date, g), f.flop);
    // A mean year (365.25 days) later, g times larger; two years earlier, g^2 smaller.
    let later = t.frontier.date.add_days(365);
    let ratio = f.flop_at(&later, g) / f.flop;
    assert!((ratio - g.powf(365.0 / 365.25)).abs() < 1e-9, "{ratio}");
    assert!((f.days_until(f.flop * g * g, g) - 730.5).abs() < 1e-6);
    assert!((f.days_until(f.flop / g, g) + 365.25).abs() < 1e-6);
    // A campaign's default purposes share all of its compute.
    let shares: f64 = t.purpose.iter().map(|p| p.compute_share).sum();
    assert!((shares - 1.0).abs() < 1e-9, "{shares}");
    // The decomposition multiplies to about 3.65x, as its source says.
    let product: f64 = t.growth_factor.iter().map(|f| f.value).product();
    assert!((product - 3.65).abs() < 0.01, "{product}");
}

#[test]
fn every_row_has_a_source() {
    let c = Catalog::builtin();
    for (row, source) in all_source_texts(c) {
        assert!(source.trim().len() >= 2, "{row} has no source");
    }
    for a in &c.accelerators {
        if a.price_usd_low.is_some() {
            assert!(
                a.price_as_of.is_some(),
                "accelerator {} price has no date",
                a.id
            );
        }
    }
}

#[test]
fn every_cited_key_is_listed_in_sources() {
    let c = Catalog::builtin();
    for (row, source) in all_source_texts(c) {
        for key in cited_keys(&source) {
            assert!(
                c.sources.contains_key(&key),
                "{row} cites {key}, not in sources.toml"
            );
        }
    }
    assert_eq!(
        cited_keys("F11 and [der P1]; H100 BF16 2025S2 A1,"),
        ["F11", "P1", "A1"]
    );
}

#[test]
fn holds_the_accelerators_the_issue_names() {
    let c = Catalog::builtin();
    for id in [
        "A100", "H100 SXM", "H200", "B200", "GB200", "B300", "GB300", "MI300X", "MI325X", "MI355X",
        "Gaudi 3",
    ] {
        assert!(c.accelerator(id).is_some(), "missing {id}");
    }
}

#[test]
fn relative_throughput_is_the_bf16_ratio_to_h100() {
    let c = Catalog::builtin();
    for a in &c.accelerators {
        let ratio = a.bf16_dense_tflops / 989.0;
        assert!(
            (a.relative_throughput - ratio).abs() < 1e-4,
            "{}: {} vs {ratio}",
            a.id,
            a.relative_throughput
        );
    }
}

#[test]
fn a_dgx_h100_draws_its_rated_10_2_kw() {
    // NVIDIA DGX SuperPOD design guide: 10.2 kW per 8-GPU DGX H100.
    let h100 = Catalog::builtin().accelerator("H100").unwrap();
    assert!((8.0 * h100.rated_w() - 10_200.0).abs() < 1e-9);
}

#[test]
fn nvl72_racks_draw_their_published_power() {
    let c = Catalog::builtin();
    // GB200 NVL72 ~120 kW per rack; GB300 NVL72 120-140 kW (midpoint 130 kW).
    let gb200 = 72.0 * c.accelerator("GB200").unwrap().rated_w();
    let gb300 = 72.0 * c.accelerator("GB300").unwrap().rated_w();
    assert!((gb200 - 120_000.0).abs() < 72.0, "{gb200}");
    assert!((gb300 - 130_000.0).abs() < 72.0, "{gb300}");
}

#[test]
fn covers_eu27_and_norway() {
    let c = Catalog::builtin();
    let eu27 = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
        "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    ];
    assert_eq!(eu27.len(), 27);
    for code in eu27.iter().chain(&["NO"]) {
        assert!(c.country(code).is_some(), "missing {code}");
    }
    assert_eq!(c.country("EL").unwrap().code, "GR");
    // Spot checks against the Eurostat / Ember table: Finland is the cheapest band-IE
    // price in 2025S2, Poland the most carbon-intensive grid.
    assert_eq!(c.country("FI").unwrap().electricity_eur_per_kwh, 0.0500);
    assert_eq!(c.country("PL").unwrap().carbon_g_per_kwh, 615.0);
}

#[test]
fn lists_the_19_ai_factory_sites_in_16_states() {
    let c = Catalog::builtin();
    assert_eq!(c.sites.len(), 19);
    let mut states: Vec<&str> = c.sites.iter().map(|s| s.country.as_str()).collect();
    states.sort();
    states.dedup();
    assert_eq!(states.len(), 16);
    for s in &c.sites {
        assert!(
            c.country(&s.country).is_some(),
            "{} has unknown country",
            s.id
        );
    }
}

#[test]
fn one_reference_rent() {
    let c = Catalog::builtin();
    assert_eq!(c.rents.iter().filter(|r| r.reference).count(), 1);
    assert_eq!(c.reference_rent().accelerator, "H100");
}

#[test]
fn llama3_failure_rate_is_about_50700_gpu_hours() {
    // R1 (Llama 3, Table 5): 21.2M GPU-hours / 419 unexpected interruptions ≈ 50,700 GPU-hours.
    let f = &Catalog::builtin().failures;
    assert!((f.gpu_hours_per_interruption() - 50_700.0).abs() < 100.0);
}

#[test]
fn look_ups_forgive_case_and_spacing() {
    let c = Catalog::builtin();
    assert_eq!(c.accelerator("gaudi-3").unwrap().id, "Gaudi3");
    assert_eq!(c.accelerator("NVIDIA H100 SXM 80GB").unwrap().id, "H100");
    assert_eq!(c.country("fi").unwrap().name, "Finland");
    assert_eq!(c.site("Kajaani").unwrap().country, "FI");
}

#[test]
fn rent_decline_is_the_log_linear_fit_of_the_h100_points() {
    // Worked separately (least squares of ln price on date over the 12 dated H100 points,
    // 2023 to 2026): slope -0.19956 per year, so exp(slope) - 1 = -18.09% a year.
    let c = Catalog::builtin();
    assert!(
        (c.rent_change_per_year() - (-0.180_91)).abs() < 1e-4,
        "{}",
        c.rent_change_per_year()
    );
    // The reference point, March 2026, is at 2026 + 2.5/12.
    assert!((c.reference_rent_year() - (2026.0 + 2.5 / 12.0)).abs() < 1e-12);
}

#[test]
fn roadmap_is_ordered_and_resolves() {
    let c = Catalog::builtin();
    let g = &c.roadmap.generation;
    assert!(g.windows(2).all(|w| w[0].from_year < w[1].from_year));
    for x in g {
        match &x.accelerator {
            Some(id) => assert!(c.accelerator(id).is_some(), "{id} not in the catalogue"),
            None => assert!(x.relative_throughput.is_some() && x.rated_w.is_some()),
        }
    }
    let mid = |a: &Accelerator| a.price_usd_mid();
    assert!(
        c.part_in(2022, mid).is_none(),
        "nothing before the first generation"
    );
    assert_eq!(c.part_in(2025, mid).unwrap().id, "B200");
    // Rubin's price is projected: 8.42 / (2.275 / 35,000 x 2^(2 / 2.07)), by hand $66,300.
    let rubin = c.part_in(2027, mid).unwrap();
    assert_eq!(rubin.id, "Rubin");
    assert!(
        (rubin.price_usd - 66_300.0).abs() < 200.0,
        "{}",
        rubin.price_usd
    );
    // Beyond the roadmap: Rubin Ultra's throughput grows 2^(2 / 2.07) by 2030 at its price.
    let ultra = c.part_in(2028, mid).unwrap();
    let later = c.part_in(2030, mid).unwrap();
    assert_eq!(later.id, "projected-2030");
    assert_eq!(later.price_usd, ultra.price_usd);
    assert_eq!(later.rated_w, ultra.rated_w);
    let growth = later.relative_throughput / ultra.relative_throughput;
    assert!((growth - 1.954).abs() < 0.001, "{growth}");
}
