//! Who pays (issue 19, part 3): revenue recomputed from the job table, the break-even
//! price tried in a second run, and the identities cost = revenue + subsidy per year and
//! in total, the classes' subsidies adding up to it.

use std::collections::HashMap;

use super::*;
use crate::scenario::TenantClass;
use crate::sim::{JobEnd, JobRecord, JobSink};

/// Two years of 256 H100 for research (free) and industry (at `industry` EUR per
/// GPU-hour), failures off; arrivals all but stop four months before the end (two shocks of
/// 1/1000 each), so that
/// every job has ended when the run does and the job table holds all the hours served.
fn plan(industry: f64) -> Plan {
    let text = format!(
        "name = \"prices\"\nstart = \"2027-01-01\"\nyears = 2\nseed = 3\n\
         [[site]]\nname = \"kajaani\"\ncountry = \"FI\"\ngrid_mw = 2\n\
         [[build]]\nsite = \"kajaani\"\naccelerator = \"H100\"\ncount = 256\n\
         online = \"2027-01-01\"\n\
         [demand]\nreference_h100_equivalents = 256\n\
         [failures]\nenabled = false\n\
         [[tenant]]\nname = \"research\"\nclass = \"academia\"\nshare = 0.6\n\
         preset = \"philly\"\nload = 0.4\npatience_h = 48\n\
         [[tenant]]\nname = \"firms\"\nclass = \"industry\"\nshare = 0.4\n\
         preset = \"philly\"\nload = 0.2\npatience_h = 48\n\
         [[shock]]\ndate = \"2028-09-01\"\non = \"arrivals\"\nfactor = 0.001\n\
         [[shock]]\ndate = \"2028-09-02\"\non = \"arrivals\"\nfactor = 0.001\n\
         [prices]\nacademia = 0\nindustry = {industry}\n"
    );
    Plan::prepare("t", &text, PathBuf::from("."), Catalog::builtin()).unwrap()
}

/// GPU-hours of each tenant's jobs that ran, from the job table.
#[derive(Default)]
struct Hours(HashMap<String, f64>);

impl JobSink for Hours {
    fn record(&mut self, r: &JobRecord<'_>) -> std::io::Result<()> {
        if let (JobEnd::Completed, Some(start)) = (r.outcome, r.start_s) {
            *self.0.entry(r.tenant.to_string()).or_default() +=
                f64::from(r.gpus) * (r.end_s - start) as f64 / 3600.0;
        }
        Ok(())
    }
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn revenue_is_the_job_tables_hours_at_each_class_price() {
    let p = plan(3.0);
    let mut hours = Hours::default();
    let options = SimOptions {
        job_log: Some(&mut hours),
        ..SimOptions::default()
    };
    let e = evaluate(&p, Catalog::builtin(), Sample::Full, options).unwrap();
    let o = e.outcome.as_ref().unwrap();
    assert_eq!(o.jobs_unfinished, 0, "every job ends before the run does");
    let pricing = e.pricing.as_ref().unwrap();
    // From the job table, independently of the accounts.
    let research = hours.0["research"];
    let firms = hours.0["firms"];
    assert!(research > 0.0 && firms > 0.0);
    assert!(
        close(pricing.revenue_eur, firms * 3.0, 1e-9),
        "{} vs {}",
        pricing.revenue_eur,
        firms * 3.0
    );
    assert!(close(pricing.gpu_hours, research + firms, 1e-9));
    assert_eq!(pricing.tenant_prices, vec![0.0, 3.0]);
    // Identities: per year and in total.
    for y in &pricing.years {
        assert!(close(y.cost_eur, y.revenue_eur + y.subsidy_eur, 1e-12));
    }
    let sum = |f: fn(&YearPricing) -> f64| pricing.years.iter().map(f).sum::<f64>();
    assert!(close(pricing.cost_eur, sum(|y| y.cost_eur), 1e-12));
    assert!(close(pricing.revenue_eur, sum(|y| y.revenue_eur), 1e-12));
    assert!(close(
        pricing.cost_eur,
        pricing.revenue_eur + pricing.subsidy_eur,
        1e-12
    ));
    let classes: f64 = pricing.classes.iter().map(|c| c.subsidy_eur).sum();
    assert!(close(classes, pricing.subsidy_eur, 1e-9));
    let class_revenue: f64 = pricing.classes.iter().map(|c| c.revenue_eur).sum();
    assert!(close(class_revenue, pricing.revenue_eur, 1e-9));
    // The years' tenants add up to the facility's hours.
    for y in &o.years {
        let t: f64 = y.served_gpu_hours_by_tenant.iter().sum();
        assert!(close(t, y.served_gpu_hours, 1e-9));
    }
    // The cost is the run's total cost, as compare counts it.
    let f = crate::plan::figures(&p.scenario, &p.facility, &e.assessment, Some(o));
    assert!(close(pricing.cost_eur, f.total_cost_eur, 1e-12));
    // Research pays nothing: the whole subsidy over its hours.
    let free = pricing.subsidy_eur_per_free_gpu_hour.unwrap();
    assert!(close(free, pricing.subsidy_eur / research, 1e-9));
}

#[test]
fn at_the_break_even_price_revenue_covers_the_cost() {
    let first = evaluate(
        &plan(3.0),
        Catalog::builtin(),
        Sample::Full,
        SimOptions::default(),
    )
    .unwrap()
    .pricing
    .unwrap();
    let price = first.break_even_eur_per_gpu_hour.unwrap();
    assert!(price > 3.0, "a price that does not cover the cost: {price}");
    let again = evaluate(
        &plan(price),
        Catalog::builtin(),
        Sample::Full,
        SimOptions::default(),
    )
    .unwrap()
    .pricing
    .unwrap();
    assert!(
        again.subsidy_eur.abs() < 1e-6 * again.cost_eur,
        "subsidy {} of cost {}",
        again.subsidy_eur,
        again.cost_eur
    );
    assert!(again.subsidy_eur_per_free_gpu_hour.unwrap().abs() < 1e-6);
}

#[test]
fn without_prices_there_are_no_pricing_figures() {
    let mut p = plan(1.0);
    p.scenario.prices = None;
    let e = evaluate(&p, Catalog::builtin(), Sample::Full, SimOptions::default()).unwrap();
    assert!(e.pricing.is_none());
}

#[test]
fn a_market_linked_class_pays_each_years_market_value_of_its_hours() {
    // Industry market-linked: each year its hours at that year's market value of a
    // GPU-hour (the year's market value over its served GPU-hours), recomputed here from
    // the years; cost = revenue + subsidy still holds, and research stays free.
    let mut p = plan(3.0);
    let prices = p.scenario.prices.as_mut().unwrap();
    prices.industry = None;
    prices.market_linked = vec![TenantClass::Industry];
    let e = evaluate(&p, Catalog::builtin(), Sample::Full, SimOptions::default()).unwrap();
    let o = e.outcome.as_ref().unwrap();
    let pricing = e.pricing.as_ref().unwrap();
    let firms = o.tenants.iter().position(|t| t.name == "firms").unwrap();
    let mut expected = 0.0;
    for (y, yp) in o.years.iter().zip(&pricing.years) {
        let rate = y.market_value_eur / y.served_gpu_hours;
        // An H100-hour's rent: between $1 and $5 at the catalogue's figures.
        assert!((0.9..5.0).contains(&rate), "{rate}");
        let r = y.served_gpu_hours_by_tenant[firms] * rate;
        assert!(close(yp.revenue_eur, r, 1e-9));
        assert!(close(yp.cost_eur, yp.revenue_eur + yp.subsidy_eur, 1e-12));
        expected += r;
    }
    assert!(close(pricing.revenue_eur, expected, 1e-9));
    let industry = pricing
        .classes
        .iter()
        .find(|c| c.class == "industry")
        .unwrap();
    assert!(industry.market_linked);
    assert!(close(
        industry.price_eur_per_gpu_hour,
        expected / industry.gpu_hours,
        1e-9
    ));
    // Falling rents: the second year's price is below the first's.
    let rate = |i: usize| o.years[i].market_value_eur / o.years[i].served_gpu_hours;
    assert!(rate(1) < rate(0));
    let free = pricing.subsidy_eur_per_free_gpu_hour.unwrap();
    let research = o.tenants.iter().find(|t| t.name == "research").unwrap();
    assert!(close(
        free,
        pricing.subsidy_eur / research.served_gpu_hours,
        1e-9
    ));
}
