//! The terminal summary of a run.

use gigafactory::model::Assessment;

use crate::table::{Align, eur, int, num, render};

/// The summary as the terminal shows it.
pub fn render_summary(a: &Assessment, start: &str, years: u32, origin: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}\n", a.name));
    out.push_str(&format!(
        "  {origin}: {} sites, {} accelerators ({} H100-equivalents), from {start} for {years} years\n",
        a.sites.len(),
        int(a.gpus),
        int(a.h100_equivalents.round() as u64),
    ));
    out.push_str(&format!(
        "  Yearly figures with every build phase in service, at {}% assumed utilisation.\n\n",
        num(a.assumed_utilization * 100.0, 0)
    ));

    let headers = [
        "Site",
        "Country",
        "Accelerators",
        "IT MW",
        "Facility MW",
        "Grid MW",
        "Mean MW",
        "Energy GWh/yr",
        "€/kWh",
        "Electricity €M/yr",
        "gCO2/kWh",
        "CO2 kt/yr",
    ];
    let mut align = vec![Align::Left, Align::Left];
    align.extend([Align::Right; 10]);
    let mut rows: Vec<Vec<String>> = a
        .sites
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.country.clone().unwrap_or_else(|| "-".into()),
                int(s.gpus),
                num(s.it_power_mw, 1),
                num(s.facility_power_mw, 1),
                num(s.grid_mw, 0),
                num(s.facility_power_mw_mean, 1),
                num(s.energy_mwh_per_year / 1e3, 1),
                num(s.electricity_eur_per_kwh, 4),
                num(s.electricity_cost_eur_per_year / 1e6, 1),
                num(s.carbon_g_per_kwh, 0),
                num(s.co2_t_per_year / 1e3, 1),
            ]
        })
        .collect();
    rows.push(vec![
        "Total".into(),
        String::new(),
        int(a.gpus),
        num(a.it_power_mw, 1),
        num(a.facility_power_mw, 1),
        num(a.sites.iter().map(|s| s.grid_mw).sum(), 0),
        num(a.facility_power_mw_mean, 1),
        num(a.energy_mwh_per_year / 1e3, 1),
        String::new(),
        num(a.electricity_cost_eur_per_year / 1e6, 1),
        String::new(),
        num(a.co2_t_per_year / 1e3, 1),
    ]);
    out.push_str(&render(&headers, &align, &rows));
    out.push('\n');

    let c = &a.capex;
    let budget = match (a.budget_eur, a.capex_share_of_budget) {
        (Some(b), Some(share)) if share > 1.0 => format!(
            "{}% of the {} budget: over by {}",
            num(share * 100.0, 0),
            eur(b),
            eur(a.capex_eur - b)
        ),
        (Some(b), Some(share)) => format!("{}% of the {} budget", num(share * 100.0, 0), eur(b)),
        _ => "no budget given".into(),
    };
    let o = &a.opex;
    let lines = [
        ("Capex", eur(a.capex_eur), budget),
        (
            "",
            String::new(),
            format!(
                "accelerators {} · servers {} · network {} · buildings {} · grid {}",
                eur(c.accelerators_eur),
                eur(c.servers_eur),
                eur(c.network_eur),
                eur(c.building_eur),
                eur(c.grid_connection_eur)
            ),
        ),
        (
            "Opex per year",
            eur(a.opex_eur_per_year),
            format!(
                "electricity {} · maintenance {} · staff {}",
                eur(o.energy_eur),
                eur(o.maintenance_eur),
                eur(o.staff_eur)
            ),
        ),
        (
            "Depreciation per year",
            eur(a.depreciation_eur_per_year),
            "straight line over each phase's useful life".into(),
        ),
        (
            "Cost per delivered GPU-hour",
            eur(a.cost_per_gpu_hour_eur),
            format!("{} per H100-equivalent hour", eur(a.cost_per_h100_hour_eur)),
        ),
        (
            "Market rent of an H100-hour",
            eur(a.market_rent_eur_per_gpu_hour),
            a.market_rent_source.clone(),
        ),
        (
            "Market value of its GPU-hour",
            eur(a.market_value_eur_per_gpu_hour),
            format!(
                "H100 rent x {} mean relative throughput",
                num(a.h100_equivalents / a.gpus as f64, 2)
            ),
        ),
        (
            "Break-even rent per GPU-hour",
            eur(a.breakeven_rent_eur_per_gpu_hour_1_5y),
            format!(
                "over {} years; {} over the useful life",
                num(a.short_life_years, 1),
                eur(a.breakeven_rent_eur_per_gpu_hour_life)
            ),
        ),
    ];
    let rows: Vec<Vec<String>> = lines
        .into_iter()
        .map(|(k, v, note)| vec![k.to_string(), v, note])
        .collect();
    out.push_str(
        &render(
            &["", "", ""],
            &[Align::Left, Align::Right, Align::Left],
            &rows,
        )[1..],
    );
    out
}
