//! The facility model against figures worked out by hand.

use super::*;
use crate::catalog::Catalog;
use crate::scenario;

/// A scenario with one site and the given builds and economics, all in the text.
fn scenario_text(site: &str, builds: &str, economics: &str) -> String {
    format!(
        r#"
name = "hand-worked"
start = "2027-01-01"
years = 5
[[site]]
name = "s"
{site}
{builds}
[economics]
{economics}
[power]
busy_fraction_of_rated = 0.76
idle_fraction_of_rated = 0.1
"#
    )
}

fn facility(text: &str) -> Result<Facility, Vec<scenario::Problem>> {
    let s = scenario::load(text).expect("loads").scenario;
    let problems = scenario::validate(&s, Catalog::builtin());
    assert!(problems.is_empty(), "{problems:?}");
    Facility::build(&s, Catalog::builtin())
}

const H100_1000: &str = r#"
[[build]]
site = "s"
accelerator = "H100"
count = 1000
online = "2027-01-01"
life_years = 4
price_usd = 30000
"#;

const SITE: &str =
    "grid_mw = 10\npue = 1.2\nelectricity_eur_per_kwh = 0.10\ncarbon_g_per_kwh = 100";

const ECONOMICS: &str = "assumed_utilization = 1.0\neur_per_usd = 0.9\nserver_multiplier = 1.4\n\
     network_multiplier = 1.2\nbuilding_eur_per_mw_it = 10e6\ngrid_connection_eur_per_mw = 1e6\n\
     maintenance_share_per_year = 0.05\nstaff_fte_per_beur_capex = 0";

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

#[test]
fn thousand_h100_at_full_load_power_energy_cost_carbon() {
    let f = facility(&scenario_text(SITE, H100_1000, ECONOMICS)).unwrap();
    let a = assess(&f);
    // DGX H100: 10.2 kW rated per 8 GPUs (NVIDIA SuperPOD guide) -> 125 nodes = 1.275 MW.
    assert!(close(a.it_power_mw, 125.0 * 10.2 / 1000.0));
    // PUE 1.2 -> 1.53 MW at the grid.
    assert!(close(a.facility_power_mw, 1.53));
    // Busy nodes draw 76% of rated: 0.969 MW IT, 1.1628 MW facility, over 8,760 h.
    let energy_mwh = 1.275 * 0.76 * 1.2 * 8760.0;
    assert!(close(energy_mwh, 10_186.128));
    assert!(close(a.energy_mwh_per_year, energy_mwh));
    // EUR 0.10/kWh -> EUR 1,018,612.80; 100 g/kWh -> 1,018.6128 t.
    assert!(close(a.electricity_cost_eur_per_year, 1_018_612.8));
    assert!(close(a.co2_t_per_year, 1_018.612_8));
}

#[test]
fn thousand_h100_capex_opex_and_rents() {
    let f = facility(&scenario_text(SITE, H100_1000, ECONOMICS)).unwrap();
    let a = assess(&f);
    // 1,000 x $30,000 x 0.9 = EUR 27.0M; servers +40% = 10.8M; network +20% of 37.8M.
    assert!(close(a.capex.accelerators_eur, 27.0e6));
    assert!(close(a.capex.servers_eur, 10.8e6));
    assert!(close(a.capex.network_eur, 7.56e6));
    // Building: 1.275 MW x EUR 10M; grid: 1.53 MW x EUR 1M.
    assert!(close(a.capex.building_eur, 12.75e6));
    assert!(close(a.capex.grid_connection_eur, 1.53e6));
    let capex = 27.0e6 + 10.8e6 + 7.56e6 + 12.75e6 + 1.53e6;
    assert!(close(a.capex_eur, capex));
    // Opex: energy as above, maintenance 5% of IT capex (45.36M), no staff.
    let opex = 1_018_612.8 + 0.05 * 45.36e6;
    assert!(close(a.opex_eur_per_year, opex));
    // Straight line over 4 years; 8.76M GPU-hours a year at full use.
    assert!(close(a.depreciation_eur_per_year, capex / 4.0));
    let hours = 1000.0 * 8760.0;
    assert!(close(a.cost_per_gpu_hour_eur, (capex / 4.0 + opex) / hours));
    assert!(close(a.cost_per_h100_hour_eur, a.cost_per_gpu_hour_eur));
    // Over its whole life the break-even rent is the cost per hour.
    assert!(close(
        a.breakeven_rent_eur_per_gpu_hour_life,
        (capex + 4.0 * opex) / (4.0 * hours)
    ));
    assert!(close(
        a.breakeven_rent_eur_per_gpu_hour_life,
        a.cost_per_gpu_hour_eur
    ));
    // Over 1.5 years the capex must come back 2.67 times faster.
    assert!(close(
        a.breakeven_rent_eur_per_gpu_hour_1_5y,
        (capex + 1.5 * opex) / (1.5 * hours)
    ));
    assert!((a.breakeven_rent_eur_per_gpu_hour_1_5y - 4.9140).abs() < 1e-4);
}

#[test]
fn utilisation_scales_draw_between_idle_and_busy() {
    let econ = ECONOMICS.replace("assumed_utilization = 1.0", "assumed_utilization = 0.5");
    let a = assess(&facility(&scenario_text(SITE, H100_1000, &econ)).unwrap());
    // Half load: 0.1 + (0.76 - 0.1) x 0.5 = 0.43 of rated.
    assert!(close(a.energy_mwh_per_year, 1.275 * 0.43 * 1.2 * 8760.0));
    // Half the hours sold: the cost per hour doubles less the energy saved.
    let capex = 59.64e6;
    let opex = 1.275 * 0.43 * 1.2 * 8760.0 * 100.0 + 0.05 * 45.36e6;
    assert!(close(
        a.cost_per_gpu_hour_eur,
        (capex / 4.0 + opex) / (1000.0 * 8760.0 * 0.5)
    ));
}

#[test]
fn system_priced_racks_take_no_server_multiplier() {
    let gb200 = H100_1000.replace("\"H100\"", "\"GB200\"");
    let a = assess(&facility(&scenario_text(SITE, &gb200, ECONOMICS)).unwrap());
    assert!(close(a.capex.accelerators_eur, 27.0e6));
    assert_eq!(a.capex.servers_eur, 0.0);
    assert!(close(a.capex.network_eur, 27.0e6 * 0.2));
    // GB200 NVL72: ~120 kW for 72 GPUs -> 1,000 GPUs ~ 1.667 MW rated.
    assert!((a.it_power_mw - 120.0 / 72.0).abs() < 0.001);
}

#[test]
fn staff_cost_follows_capex() {
    // EUR 1B of capex, 32.5 FTE per billion, 1,877.2 h a year, EUR 33.9 an hour:
    // 32.5 x 1,877.2 = 61,009 hours; x 33.9 = EUR 2,068,205.10.
    let s = cost::staff_eur_per_year(1e9, 32.5, 1877.2, 33.9);
    assert!((s - 2_068_205.1).abs() < 0.01);
}

#[test]
fn grid_connection_too_small_is_reported_at_grid_mw() {
    let site = SITE.replace("grid_mw = 10", "grid_mw = 1.5");
    let problems = facility(&scenario_text(&site, H100_1000, ECONOMICS)).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path.to_string(), "site[0].grid_mw");
    assert_eq!(
        problems[0].message,
        "the builds at \"s\" draw 1.53 MW at their rated maximum from 2027-01-01 \
         (IT 1.27 MW x PUE 1.2), above this 1.5 MW grid connection"
    );
}

#[test]
fn phases_that_do_not_overlap_do_not_add_up_at_the_grid() {
    // The first phase retires after 1 year; the second comes online after that.
    let builds = format!(
        "{}\n{}",
        H100_1000.replace("life_years = 4", "life_years = 1"),
        H100_1000.replace("2027-01-01", "2028-06-01")
    );
    let site = SITE.replace("grid_mw = 10", "grid_mw = 2");
    let f = facility(&scenario_text(&site, &builds, ECONOMICS)).unwrap();
    let (peak, day) = f.peak_rated_facility_mw(0);
    assert!(close(peak, 1.53));
    assert_eq!(day.to_string(), "2027-01-01");
    // Overlapping phases do add up: 3.06 MW > 2 MW.
    let overlapping = format!(
        "{H100_1000}\n{}",
        H100_1000.replace("2027-01-01", "2028-06-01")
    );
    let problems = facility(&scenario_text(&site, &overlapping, ECONOMICS)).unwrap_err();
    assert!(
        problems[0].message.contains("3.06 MW") && problems[0].message.contains("2028-06-01"),
        "{}",
        problems[0].message
    );
}

#[test]
fn country_fills_price_and_carbon() {
    let site = "country = \"FI\"\ngrid_mw = 10\npue = 1.2";
    let f = facility(&scenario_text(site, H100_1000, ECONOMICS)).unwrap();
    // Eurostat nrg_pc_205 band IE 2025S2 for Finland; Ember 2024.
    assert_eq!(f.sites[0].electricity_eur_per_kwh, 0.05);
    assert_eq!(f.sites[0].carbon_g_per_kwh, 72.0);
    // An override wins over the country.
    let site = format!("{site}\nelectricity_eur_per_kwh = 0.07");
    let f = facility(&scenario_text(&site, H100_1000, ECONOMICS)).unwrap();
    assert_eq!(f.sites[0].electricity_eur_per_kwh, 0.07);
}

#[test]
fn a_150_mw_site_in_germany_costs_what_the_prices_give() {
    // [der] from E1's DE price: running 150 MW all year costs ~EUR 208M/yr in DE and
    // ~EUR 70M/yr in FI (at the 2025S1 band-IE prices 0.1584 and 0.0534). The catalogue
    // holds 2025S2 (0.1595 and 0.0500), so the figures agree within the price change.
    let de = Catalog::builtin()
        .country("DE")
        .unwrap()
        .electricity_eur_per_kwh;
    let fi = Catalog::builtin()
        .country("FI")
        .unwrap()
        .electricity_eur_per_kwh;
    let cost_de = power::energy_cost_eur(power::energy_mwh_per_year(150.0), de);
    let cost_fi = power::energy_cost_eur(power::energy_mwh_per_year(150.0), fi);
    assert!((cost_de / 208e6 - 1.0).abs() < 0.01, "{cost_de}");
    assert!((cost_fi / 70e6 - 1.0).abs() < 0.07, "{cost_fi}");
}

#[test]
fn market_value_of_an_hour_scales_with_throughput() {
    let b200 = H100_1000.replace("\"H100\"", "\"B200\"");
    let econ = format!("{ECONOMICS}\nmarket_rent_usd_per_gpu_hour = 2.0");
    let a = assess(&facility(&scenario_text(SITE, &b200, &econ)).unwrap());
    // $2.00 x 0.9 EUR/USD = EUR 1.80 per H100-hour; a B200 does 2,250/989 of its work.
    assert!(close(a.market_rent_eur_per_gpu_hour, 1.8));
    assert!((a.market_value_eur_per_gpu_hour - 1.8 * 2250.0 / 989.0).abs() < 1e-3);
}

#[test]
fn every_builtin_scenario_is_valid() {
    for b in &scenario::BUILTIN {
        let result = prepare(b.text, Catalog::builtin());
        assert!(result.is_ok(), "{}: {:?}", b.id, result.err());
    }
}

#[test]
fn economic_life_ends_when_the_rent_falls_below_the_running_cost() {
    // Running cost: 1.275 kW rated x 0.76 busy x PUE 1.0 x EUR 0.515995872/kWh = EUR 0.50
    // per GPU-hour, no maintenance. Rent: $2.00 at the start (EUR 2.00 at 1 EUR/USD),
    // halving each year: worth 0.50 after ln(0.5 / 2) / ln(0.5) = 2 years.
    let site =
        "grid_mw = 10\npue = 1.0\nelectricity_eur_per_kwh = 0.515995872\ncarbon_g_per_kwh = 100";
    let econ = "eur_per_usd = 1.0\nmaintenance_share_per_year = 0\nmarket_rent_usd_per_gpu_hour = 2.0\nrent_change_per_year = -0.5";
    let a = assess(&facility(&scenario_text(site, H100_1000, econ)).unwrap());
    let p = &a.phases[0];
    assert!((p.running_cost_eur_per_gpu_hour - 0.5).abs() < 1e-9);
    assert!((p.market_value_eur_per_gpu_hour_at_online - 2.0).abs() < 1e-9);
    // Online 2027-01-01; two years later is 2029-01-01 (within the day's rounding).
    let end: crate::units::Date = p.economic_life_end.as_deref().unwrap().parse().unwrap();
    let expected: crate::units::Date = "2029-01-01".parse().unwrap();
    assert!(end.days_since(&expected).abs() <= 1, "{end}");
    // A rent that rises never falls below the cost.
    let rising = econ.replace("-0.5", "0.1");
    assert_eq!(
        assess(&facility(&scenario_text(site, H100_1000, &rising)).unwrap()).phases[0]
            .economic_life_end,
        None
    );
}

#[test]
fn rent_curve_mean_is_the_integral() {
    // Halving yearly from 2 at 2026: over [2026, 2027] the mean is the integral of
    // 2 * 0.5^t dt = 2 (1 - 0.5) / ln 2 = 1 / ln 2.
    let r = RentCurve {
        eur_per_h100_hour: 2.0,
        year0: 2026.0,
        change_per_year: -0.5,
    };
    assert!((r.mean(2026.0, 2027.0) - 1.0 / std::f64::consts::LN_2).abs() < 1e-12);
    assert_eq!(r.uneconomic_from(1.0, 0.5, 2026.0), Some(2028.0));
    // Already below the cost when it comes online: uneconomic from the start.
    assert_eq!(r.uneconomic_from(1.0, 3.0, 2026.5), Some(2026.5));
}

/// A one-site scenario with the given builds and procurement, three years from 2027.
fn procurement_text(builds: &[(&str, u32, &str)], caps: &str) -> String {
    let mut t = String::from(
        "name = \"p\"\nstart = \"2027-01-01\"\nyears = 3\n[[site]]\nname = \"s\"\ncountry = \"FI\"\ngrid_mw = 1000\n",
    );
    for (acc, count, when) in builds {
        t.push_str(&format!(
            "[[build]]\nsite = \"s\"\naccelerator = \"{acc}\"\ncount = {count}\n{when}\n"
        ));
    }
    t.push_str(caps);
    t
}

#[test]
fn a_procurement_cap_delays_a_phase_to_the_first_year_with_room() {
    // Blackwell capped at 50,000 a year. 40,000 B200 in March 2027 fit; 30,000 more in June
    // 2027 would make 70,000: they wait until 2028-01-01. 20,000 GB200 in February 2028
    // make 2028's total 50,000: they keep their date.
    let caps =
        "[procurement]\ncaps = [{ family = \"nvidia-blackwell\", units_per_year = 50000 }]\n";
    let text = procurement_text(
        &[
            ("B200", 40_000, "online = \"2027-03-01\""),
            ("B200", 30_000, "online = \"2027-06-01\""),
            ("GB200", 20_000, "online = \"2028-02-01\""),
        ],
        caps,
    );
    let (_, f) = prepare(&text, Catalog::builtin()).unwrap();
    let online: Vec<String> = f.builds.iter().map(|b| b.online.to_string()).collect();
    assert_eq!(online, ["2027-03-01", "2028-01-01", "2028-02-01"]);
    assert_eq!(f.builds[1].requested_online.to_string(), "2027-06-01");
    // A country cap: Finland at 10,000 a year cannot ever take a 15,000 phase.
    let text = procurement_text(
        &[("H100", 15_000, "online = \"2027-03-01\"")],
        "[procurement]\ncaps = [{ country = \"FI\", units_per_year = 10000 }]\n",
    );
    let problems = prepare(&text, Catalog::builtin()).unwrap_err();
    assert_eq!(problems[0].path.to_string(), "build[0].count");
    assert_eq!(
        problems[0].message,
        "15000 accelerators can never be delivered under procurement.caps[0] (10000 a year): split the phase"
    );
    // Three phases of 10,000 in 2029 under a 10,000 cap: the third would slip past the end.
    let three = [("H100", 10_000, "online = \"2029-01-01\""); 3];
    let text = procurement_text(
        &three,
        "[procurement]\ncaps = [{ country = \"FI\", units_per_year = 10000 }]\n",
    );
    let problems = prepare(&text, Catalog::builtin()).unwrap_err();
    assert_eq!(problems[0].path.to_string(), "build[1]");
    assert!(
        problems[0]
            .message
            .contains("delay this phase to 2030-01-01, after the horizon ends (2030-01-01)")
    );
}

#[test]
fn an_ordered_phase_goes_online_after_its_lead_time() {
    // Ordered 2027-11-01 with 3 months' lead: online 2028-02-01.
    let text = procurement_text(
        &[("H100", 8, "ordered = \"2027-11-01\"\nlead_time_months = 3")],
        "[failures]\nenabled = false\n",
    );
    let (_, f) = prepare(&text, Catalog::builtin()).unwrap();
    assert_eq!(f.builds[0].online.to_string(), "2028-02-01");
    // Without a lead time the order cannot be placed in time.
    let bad = procurement_text(&[("H100", 8, "ordered = \"2027-11-01\"")], "");
    let problems = prepare(&bad, Catalog::builtin()).unwrap_err();
    assert_eq!(
        problems[0].message,
        "the catalogue has no lead times: give `lead_time_months` with `ordered`"
    );
}

/// One Finnish site, euros = dollars, capex = accelerators x price x `server` (no network,
/// building or grid cost unless `extra` says so).
fn money_text(builds: &str, extra: &str) -> String {
    format!(
        "name = \"m\"\nstart = \"2027-01-01\"\nyears = 5\n{extra}\n[[site]]\nname = \"s\"\n\
         country = \"FI\"\ngrid_mw = 1000\n{builds}\n[economics]\neur_per_usd = 1\n\
         server_multiplier = 1.4\nnetwork_multiplier = 1\nbuilding_eur_per_mw_it = 10e6\n\
         grid_connection_eur_per_mw = 0\n"
    )
}

#[test]
fn the_budget_is_checked_over_time_and_names_the_phase_that_overspends() {
    // Capex = 1,000 x $10,000 x 1.4 + 1.275 MW x EUR 10M = EUR 26.75M a phase. The phase
    // ordered in February 2027 fits EUR 40M; the one put into service in March 2028
    // brings the total to EUR 53.5M. The third (file order second) is paid last.
    let phase = |when: &str| {
        format!(
            "[[build]]\nsite = \"s\"\naccelerator = \"H100\"\ncount = 1000\nprice_usd = 10000\n{when}\n"
        )
    };
    let builds = [
        phase("ordered = \"2027-02-01\"\nlead_time_months = 6"),
        phase("online = \"2029-06-01\""),
        phase("online = \"2028-03-01\""),
    ]
    .concat();
    let problems = prepare(
        &money_text(&builds, "[budget]\ncapex_eur = 40e6"),
        Catalog::builtin(),
    )
    .unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path.to_string(), "build[2]");
    assert_eq!(
        problems[0].message,
        "over budget: this phase (1000 H100 at \"s\"), put into service on 2028-03-01, costs \
         EUR 26.8 M and brings capex spent to EUR 53.5 M, above budget.capex_eur (EUR 40.0 M) \
         by EUR 13.5 M, and 1 phase after it; the whole plan costs EUR 80.2 M (201% of the budget)"
    );
    // With EUR 81M all three fit.
    assert!(
        prepare(
            &money_text(&builds, "[budget]\ncapex_eur = 81e6"),
            Catalog::builtin()
        )
        .is_ok()
    );
}

#[test]
fn refresh_replaces_a_phase_at_the_end_of_its_life_with_the_roadmap_part() {
    // 1,000 H100 from 2027-01-01 with a 2-year life: 731 days (730.5 rounded), so the
    // refresh comes on 2029-01-01. The roadmap ends with Rubin Ultra (2028), so 2029 buys
    // the projected part: Rubin Ultra's 4,167 W and price, throughput 17.5 x 2^(1/2.07).
    // The H100 phase's 1.275 MW hold 305.98 of them: 38 whole nodes = 304 accelerators.
    let build = "[[build]]\nsite = \"s\"\naccelerator = \"H100\"\ncount = 1000\n\
                 online = \"2027-01-01\"\nlife_years = 2\nprice_usd = 30000\n";
    let refresh = "[procurement]\nrefresh = \"at-end-of-life\"\n";
    let text = money_text(&format!("{build}{refresh}"), "");
    let (_, f) = prepare(&text, Catalog::builtin()).unwrap();
    let got: Vec<(String, u32, String)> = f
        .builds
        .iter()
        .map(|b| (b.accelerator.clone(), b.count, b.online.to_string()))
        .collect();
    // The refresh has a 2-year life too: 2029-01-01 + 2 calendar years = 2031-01-01, inside
    // the horizon (to 2032-01-01), so it is refreshed in turn.
    assert_eq!(
        got,
        [
            ("H100".to_string(), 1000, "2027-01-01".to_string()),
            ("projected-2029".to_string(), 304, "2029-01-01".to_string()),
            ("projected-2031".to_string(), 304, "2031-01-01".to_string()),
        ]
    );
    assert_eq!(f.builds[0].retires_on().to_string(), "2029-01-01");
    assert_eq!(f.builds[1].retires_on().to_string(), "2031-01-01");
    assert!((f.builds[1].relative_throughput - 17.5 * 2f64.powf(1.0 / 2.07)).abs() < 1e-9);
    assert_eq!(f.builds[1].replaces, Some(0));
    // Rubin Ultra's projected price: 17.5 / (2.275 / $35,000 x 2^(3/2.07)) = $98,594.
    assert!(
        (f.builds[1].price_eur - 98_594.0).abs() < 5.0,
        "{}",
        f.builds[1].price_eur
    );
    // The refresh pays IT only: 304 x $98,594 x 1.4, no building.
    let costs = phase_costs(&f);
    assert!((costs[1].capex_eur - 304.0 * f.builds[1].price_eur * 1.4).abs() < 1e-3);

    // Within a budget: the plan costs 1,000 x 30,000 x 1.4 + 1.275 MW x EUR 10M = EUR 54.75M;
    // EUR 60M leaves 5.25M, which buys 38.0 at $138,031 each: 4 nodes = 32. What is left
    // (EUR 0.83M) buys no node in 2031, so the second refresh does not happen.
    let text = money_text(&format!("{build}{refresh}"), "[budget]\ncapex_eur = 60e6");
    let (_, f) = prepare(&text, Catalog::builtin()).unwrap();
    let counts: Vec<u32> = f.builds.iter().map(|b| b.count).collect();
    assert_eq!(counts, [1000, 32]);
    assert_eq!(f.builds[1].retires_on().to_string(), "2031-01-01");
    let a = assess(&f);
    assert_eq!(a.gpus, 1000, "yearly figures count the planned phases");
    assert!((a.refresh_capex_eur - 32.0 * f.builds[1].price_eur * 1.4).abs() < 1e-3);
}

#[test]
fn refresh_when_uneconomic_comes_at_the_economic_life_end() {
    // 1,000 H100 with a 6-year life; the rent falls 50% a year from EUR 2 (2027): an
    // H100-hour's value drops below its running cost long before the life ends.
    let build = "[[build]]\nsite = \"s\"\naccelerator = \"H100\"\ncount = 1000\n\
                 online = \"2027-01-01\"\nlife_years = 6\nprice_usd = 30000\n\
                 [procurement]\nrefresh = \"when-uneconomic\"\n";
    let text = money_text(build, "").replace(
        "[economics]\n",
        "[economics]\nmarket_rent_usd_per_gpu_hour = 2\nrent_change_per_year = -0.5\n",
    );
    // Running cost: 1.275 kW x 0.76 busy x PUE 1.3 x EUR 0.05 = EUR 0.0630, plus
    // maintenance 42,000 x 6% / 8,760 h = EUR 0.2877: EUR 0.3507 an hour. EUR 2 x 0.5^t
    // falls below it after t = log2(2 / 0.3507) = 2.512 years: 2029-07-06.
    let (_, f) = prepare(&text, Catalog::builtin()).unwrap();
    assert_eq!(f.builds[1].online.to_string(), "2029-07-06");
    assert_eq!(f.builds[0].retires_on().to_string(), "2029-07-06");
    let a = assess(&f);
    assert_eq!(a.phases[0].economic_life_end.as_deref(), Some("2029-07-06"));
}
