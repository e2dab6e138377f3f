//! The terminal summary of a run.

use gigafactory::run::{Assessment, SimOutcome};
use gigafactory::units::Date;

use crate::table::{Align, bold, eur, green, int, num, plural, red, render};

/// The summary as the terminal shows it.
pub(crate) fn render_summary(a: &Assessment, start: Date, years: u32, origin: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!("{}\n", bold(&a.name)));
    out.push_str(&format!(
        "  {origin}: {}, {} ({} H100-equivalents), from {start} for {}\n",
        plural(a.sites.len() as u64, "site"),
        plural(a.gpus, "accelerator"),
        int(a.h100_equivalents.round() as u64),
        plural(u64::from(years), "year"),
    ));
    let how = if a.basis.contains("simulated") {
        "simulated"
    } else {
        "assumed"
    };
    out.push_str(&format!(
        "  Yearly figures with every build phase in service, at {}% {how} utilisation.\n\n",
        num(a.assumed_utilization * 100.0, 0)
    ));

    out.push_str(&sites_table(a));

    out.push_str(&money_lines(a));
    out.push_str(&format!(
        "\nBuild phases: the rent of an H100-hour changes by {}% a year ({}); a phase's\n\
         economic life ends when its hour's market value falls below its running cost.\n",
        num(a.rent.change_per_year * 100.0, 1),
        if a.market_rent_source.starts_with("scenario") {
            "scenario"
        } else {
            "fit of the catalogue's H100 rents"
        }
    ));
    let phase_rows: Vec<Vec<String>> = a
        .phases
        .iter()
        .map(|p| {
            vec![
                p.site.clone(),
                p.accelerator.clone(),
                int(u64::from(p.count)),
                p.online.clone(),
                eur(p.running_cost_eur_per_gpu_hour),
                eur(p.market_value_eur_per_gpu_hour_at_online),
                p.economic_life_end
                    .clone()
                    .unwrap_or_else(|| "never".into()),
            ]
        })
        .collect();
    out.push_str(&render(
        &[
            "Site",
            "Accelerator",
            "Count",
            "Online",
            "Running cost/h",
            "Value/h at online",
            "Economic life ends",
        ],
        &[
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Left,
        ],
        &phase_rows,
    ));
    out.push_str(&capability_table(a));
    out
}

/// A training run's compute as the tables print it: 7.8e26, or "-" for none.
fn flop(x: f64) -> String {
    if x > 0.0 {
        format!("{x:.1e}")
    } else {
        "-".into()
    }
}

/// What each site and the plan can train, year by year, against the frontier run.
fn capability_table(a: &Assessment) -> String {
    let c = &a.capability;
    let p = &c.params;
    let span = match p.cross_site_efficiency {
        None => "runs do not span sites".to_string(),
        Some(e) => format!(
            "or on the phases of one accelerator family together: within a site at full speed, the \
             plan's across sites at {}% [cluster] cross_site",
            num(e * 100.0, 0)
        ),
    };
    let mut out = format!(
        "\nFrontier capability: the largest training run (FLOP) each site can complete in {} days on one build\n\
         phase ({}% MFU of peak dense BF16, {}% of the time training; {span}), against the\n\
         frontier run: {}, {} FLOP on {}, growing {}x a year (`gigafactory catalog training`).\n",
        num(p.max_run_days, 0),
        num(p.mfu * 100.0, 0),
        num(p.effective_time * 100.0, 0),
        p.frontier.run,
        flop(p.frontier.flop),
        p.frontier.date,
        num(p.frontier_growth_per_year, 2),
    );
    let mut headers: Vec<&str> = vec!["FLOP"];
    headers.extend(c.years.iter().map(|y| y.label.as_str()));
    headers.push("Behind the frontier from");
    let mut align = vec![Align::Left];
    align.extend(vec![Align::Right; c.years.len()]);
    align.push(Align::Left);
    let behind = |d: Option<Date>| d.map_or_else(|| "never holds a run".into(), |d| d.to_string());
    let row = |name: &str, cells: Vec<(f64, f64)>, until: String| {
        let mut r = vec![name.to_string()];
        r.extend(cells.into_iter().map(|(x, frontier)| {
            if x >= frontier {
                green(&flop(x))
            } else {
                red(&flop(x))
            }
        }));
        r.push(until);
        r
    };
    let mut rows = vec![{
        let mut r = vec!["Frontier run".to_string()];
        r.extend(c.years.iter().map(|y| flop(y.frontier_flop)));
        r.push(String::new());
        r
    }];
    for (i, s) in c.sites.iter().enumerate() {
        let cells = c
            .years
            .iter()
            .map(|y| (y.site_flop[i], y.frontier_flop))
            .collect();
        rows.push(row(&s.name, cells, behind(s.behind_from)));
    }
    let cells = c
        .years
        .iter()
        .map(|y| (y.plan_flop, y.frontier_flop))
        .collect();
    rows.push(row("Plan", cells, behind(c.plan.behind_from)));
    let mut r = vec!["Plan's run = frontier of".to_string()];
    r.extend(c.years.iter().map(|y| {
        y.plan_matches_frontier_of
            .map_or_else(|| "-".into(), |d| d.to_string()[..7].to_string())
    }));
    r.push(String::new());
    rows.push(r);
    out.push_str(&render(&headers, &align, &rows));
    out
}

/// The simulation's figures.
pub(crate) fn render_simulation(o: &SimOutcome, start: &Date) -> String {
    let mut out = format!("\n{}\n", bold("Simulation"));
    let days = o.simulated_s as f64 / 86_400.0;
    let end = start.add_days(days.round() as i64);
    if o.stopped_early {
        out.push_str(&format!(
            "  Stopped early at {end} (--until): the figures cover {} days only.\n",
            num(days, 0)
        ));
    } else {
        out.push_str(&format!("  {} days, {start} to {end}.\n", num(days, 0)));
    }
    if let Some(smp) = &o.sampling {
        out.push_str(&format!(
            "  Sampled ({} simulated): {}.\n",
            plural(smp.jobs_simulated, "job"),
            smp.note.trim_start_matches("sampled: ")
        ));
    }
    for w in &o.warnings {
        out.push_str(&format!("  Warning: {w}.\n"));
    }
    if let Some(k) = o.passed_over {
        let parts: Vec<String> = [
            (k.zero_gpu, "without GPUs"),
            (k.no_gpu_record, "without a GPU record"),
            (k.unfinished, "unfinished when the trace ends"),
            (k.malformed, "malformed (--lenient)"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{} {what}", plural(*n, "trace record")))
        .collect();
        if !parts.is_empty() {
            out.push_str(&format!("  Passed over: {}.\n", parts.join(", ")));
        }
    }
    let h = |s: f64| format!("{} h", num(s / 3600.0, 1));
    let mut rows = vec![
        vec![
            "Jobs".to_string(),
            format!(
                "{} submitted, {} completed, {} withdrawn (waited past their patience), {} refused (larger \
                 than any partition still in service less its spare nodes, or than the tenant's \
                 quota, or arriving to a full queue), {} unfinished",
                int(o.jobs_submitted),
                int(o.jobs_completed),
                int(o.jobs_withdrawn),
                int(o.jobs_rejected),
                int(o.jobs_unfinished)
            ),
        ],
        vec![
            "Utilisation".into(),
            format!(
                "{}% of GPU-time in service allocated",
                num(o.utilization * 100.0, 1)
            ),
        ],
        vec![
            "Goodput".into(),
            format!(
                "{}% of jobs' allocated GPU-time did useful work",
                num(o.goodput_fraction * 100.0, 1)
            ),
        ],
        vec![
            "Wait".into(),
            format!(
                "mean {} · p50 {} · p95 {} · p99 {}",
                h(o.wait_s_mean),
                h(o.wait_s_p50),
                h(o.wait_s_p95),
                h(o.wait_s_p99)
            ),
        ],
        vec![
            "Queued in all".into(),
            format!(
                "mean {} · p95 {} (completed jobs, with requeues after preemption or failure)",
                h(o.queued_s_mean),
                h(o.queued_s_p95)
            ),
        ],
        vec![
            "Job completion time".into(),
            format!("mean {}", h(o.jct_s_mean)),
        ],
        vec![
            "Failures".into(),
            format!(
                "{} interruptions, {} GPU-hours lost, {} GPU-hours writing checkpoints",
                int(o.interruptions),
                num(o.lost_gpu_hours, 0),
                num(o.checkpoint_overhead_gpu_hours, 0)
            ),
        ],
        vec![
            "Across sites".into(),
            format!(
                "{} larger than any one build phase ran across sites, {} GPU-hours while they \
                 did ([cluster] cross_site)",
                plural(o.cross_site_runs, "run"),
                num(o.cross_site_gpu_hours, 0)
            ),
        ],
        vec![
            "Fairness (Jain)".into(),
            format!(
                "{} (1 = service in proportion to shares)",
                num(o.fairness_jain, 3)
            ),
        ],
        vec![
            "Energy".into(),
            format!(
                "{} MWh · {} · {} t CO2e over the simulated time",
                num(o.energy_mwh, 0),
                eur(o.electricity_cost_eur),
                num(o.co2_t, 0)
            ),
        ],
    ];
    if o.cross_site_runs == 0 {
        rows.retain(|r| r[0] != "Across sites");
    }
    out.push_str(&render(&["", ""], &[Align::Left, Align::Left], &rows)[1..]);
    out.push('\n');
    out.push_str(&tenants_table(o));
    out.push_str(&years_table(o));
    out.push_str(&phases_table(o));
    out
}

/// One row per tenant.
fn tenants_table(o: &SimOutcome) -> String {
    let headers = [
        "Tenant",
        "Jobs",
        "Completed",
        "Withdrawn",
        "Wait p50 h",
        "Wait p95 h",
        "Served GPU-h",
        "Share",
        "Lost demand GPU-h",
    ];
    let mut align = vec![Align::Left];
    align.extend([Align::Right; 8]);
    let rows: Vec<Vec<String>> = o
        .tenants
        .iter()
        .map(|t| {
            vec![
                t.name.clone(),
                int(t.jobs_submitted),
                int(t.jobs_completed),
                int(t.jobs_withdrawn),
                num(t.wait_s_p50 / 3600.0, 2),
                num(t.wait_s_p95 / 3600.0, 2),
                num(t.served_gpu_hours, 0),
                format!("{}%", num(t.share_of_service * 100.0, 1)),
                num(t.lost_demand_gpu_hours, 0),
            ]
        })
        .collect();
    render(&headers, &align, &rows) + "\n"
}

/// One row per year of the horizon.
fn years_table(o: &SimOutcome) -> String {
    let headers = [
        "Year",
        "GPUs online",
        "Capex €M",
        "Opex €M",
        "Utilisation",
        "Served GPU-h",
        "Lost demand GPU-h",
        "Wait p95 h",
        "Energy MWh",
        "CO2 t",
        "Market value €M",
    ];
    let mut align = vec![Align::Left];
    align.extend([Align::Right; 10]);
    let rows: Vec<Vec<String>> = o
        .years
        .iter()
        .map(|y| {
            vec![
                y.label.clone(),
                num(y.gpus_online, 0),
                num(y.capex_eur / 1e6, 1),
                num(y.opex_eur / 1e6, 1),
                format!("{}%", num(y.utilization * 100.0, 1)),
                num(y.served_gpu_hours, 0),
                num(y.lost_demand_gpu_hours, 0),
                num(y.wait_s_p95 / 3600.0, 2),
                num(y.energy_mwh, 0),
                num(y.co2_t, 0),
                num(y.market_value_eur / 1e6, 2),
            ]
        })
        .collect();
    render(&headers, &align, &rows) + "\n"
}

/// One row per build phase: what it served against what it cost.
fn phases_table(o: &SimOutcome) -> String {
    let rows: Vec<Vec<String>> = o
        .phases
        .iter()
        .map(|p| {
            vec![
                p.site.clone(),
                p.accelerator.clone(),
                num(p.served_gpu_hours, 0),
                eur(p.value_delivered_eur),
                eur(p.cost_eur),
                {
                    let ratio = p.value_delivered_eur / p.cost_eur.max(1e-9);
                    let text = format!("{}%", num(ratio * 100.0, 0));
                    if ratio < 1.0 {
                        red(&text)
                    } else {
                        green(&text)
                    }
                },
            ]
        })
        .collect();
    render(
        &[
            "Phase site",
            "Accelerator",
            "Served GPU-h",
            "Value delivered",
            "Cost",
            "Value/cost",
        ],
        &[
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
        ],
        &rows,
    )
}

/// One row per site and the total.
fn sites_table(a: &Assessment) -> String {
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
    render(&headers, &align, &rows) + "\n"
}

/// Capex, opex, depreciation, cost per hour against the market, break-even rent.
fn money_lines(a: &Assessment) -> String {
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
            if a.cost_per_gpu_hour_eur > a.market_value_eur_per_gpu_hour {
                red(&eur(a.cost_per_gpu_hour_eur))
            } else {
                green(&eur(a.cost_per_gpu_hour_eur))
            },
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
    render(
        &["", "", ""],
        &[Align::Left, Align::Right, Align::Left],
        &rows,
    )[1..]
        .to_string()
}
