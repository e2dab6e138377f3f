//! Sweeps against figures known in closed form.

use super::*;
use crate::plan::sensitivity::Design;
use std::path::PathBuf;

const PLAN: &str = "name = \"capex\"\nstart = \"2027-01-01\"\nyears = 2\n\
    [[site]]\nname = \"h\"\ncountry = \"FI\"\ngrid_mw = 100\n\
    [[build]]\nsite = \"h\"\naccelerator = \"H100\"\ncount = 1000\nprice_usd = 30000\n\
    online = \"2027-01-01\"\n\
    [economics]\nrent_change_per_year = -0.2\n";

fn uniform(path: &str, low: f64, high: f64) -> Uncertain {
    Uncertain::uniform(path, low, high)
}

fn spec(design: Design, samples: usize) -> SweepSpec {
    SweepSpec {
        inputs: vec![
            uniform("build[0].price_usd", 20_000.0, 40_000.0),
            uniform("build[0].count", 496.0, 1504.0),
            // No effect on capex.
            uniform("economics.rent_change_per_year", -0.3, -0.1),
        ],
        design,
        samples,
        seeds: vec![7],
        sample: Sample::Auto,
        design_seed: 11,
        threads: 2,
    }
}

fn plan() -> Plan {
    Plan::prepare("capex", PLAN, PathBuf::from("."), Catalog::builtin()).unwrap()
}

/// Capex is affine in the price (accelerators plus what each costs besides) and linear in
/// the count: capex = count × (a × price + b), a and b read off the model at two prices.
fn capex(price: f64, count: f64) -> f64 {
    let p = plan();
    let doc = Doc::of(&p.scenario, Catalog::builtin());
    let at = |x: f64| {
        let f = evaluate_point(
            &p,
            &doc,
            &spec(Design::Latin, 1).inputs[..1],
            &[x],
            7,
            Catalog::builtin(),
            Sample::Auto,
        )
        .unwrap()
        .unwrap();
        f.capex_eur / 1000.0
    };
    let (lo, hi) = (at(20_000.0), at(40_000.0));
    let a = (hi - lo) / 20_000.0;
    count * (lo + a * (price - 20_000.0))
}

#[test]
fn a_sweep_recovers_the_quantiles_and_sobol_indices_of_a_product() {
    // Y = count × Z, Z = a × price + b uniform, count uniform (whole numbers from 496 to
    // 1504: the variance of a continuous uniform within 0.0001%).
    let (z_lo, z_hi) = (capex(20_000.0, 1.0), capex(40_000.0, 1.0));
    let (mz, vz) = ((z_lo + z_hi) / 2.0, (z_hi - z_lo).powi(2) / 12.0);
    let (mc, vc) = (1000.0, 1008.0_f64.powi(2) / 12.0);
    let (v_price, v_count, v_both) = (vz * mc * mc, vc * mz * mz, vz * vc);
    let v = v_price + v_count + v_both;
    let p = plan();
    let s = sweep(
        std::slice::from_ref(&p),
        &spec(Design::Saltelli, 4096),
        Catalog::builtin(),
        &|_, _| {},
        None,
    )
    .unwrap();
    assert_eq!(s.rows.len(), 4096 * 5);
    let summary = s.summary();
    let capex_row = summary.iter().find(|f| f.key == "capex_eur").unwrap();
    let Some(Influence::Sobol(idx)) = &capex_row.influence[0] else {
        panic!("{:?}", capex_row.influence)
    };
    // Each estimate within its own 95% interval of the analytic index (and the interval
    // narrow enough to tell the inputs apart).
    let idx: Vec<_> = idx.iter().map(|x| x.unwrap()).collect();
    let near = |x: f64, hw: f64, want: f64| (x - want).abs() <= hw && hw < 0.12;
    let want = [
        (v_price / v, (v_price + v_both) / v),
        (v_count / v, (v_count + v_both) / v),
        (0.0, 0.0),
    ];
    for (i, (s1, st)) in want.iter().enumerate() {
        assert!(
            near(idx[i].first, idx[i].first_95, *s1),
            "{i}: {:?} want {s1}",
            idx[i]
        );
        assert!(
            near(idx[i].total, idx[i].total_95, *st),
            "{i}: {:?} want {st}",
            idx[i]
        );
    }
    assert_eq!(
        (idx[2].first, idx[2].total),
        (0.0, 0.0),
        "the rent's change does not move capex"
    );
    // The quantiles against a Monte Carlo of the closed form (200,000 draws).
    let d = capex_row.per_plan[0].as_ref().unwrap();
    let mut mc: Vec<f64> = crate::plan::sensitivity::latin(200_000, 2, 3)
        .iter()
        .map(|u| (496.0 + 1008.0 * u[1]).round() * (z_lo + (z_hi - z_lo) * u[0]))
        .collect();
    mc.sort_by(f64::total_cmp);
    for (q, got) in [(0.05, d.q05), (0.5, d.median), (0.95, d.q95)] {
        let want = quantile(&mc, q);
        assert!((got / want - 1.0).abs() < 0.02, "{q}: {got} against {want}");
    }
    // One plan, one seed: deterministic figures are exact, so no seed noise.
    assert_eq!(d.seed_sd, None);
}

#[test]
fn plans_meet_the_same_samples_and_the_cheaper_one_is_best_at_each() {
    // The same plan at a 10% higher price is costlier at every sample: best with
    // probability 1, and the rule names it (capex is exact).
    let p = plan();
    let dear = Plan::prepare(
        "dear",
        &PLAN.replace("price_usd = 30000", "price_usd = 33000"),
        PathBuf::from("."),
        Catalog::builtin(),
    )
    .unwrap();
    let mut sp = spec(Design::Latin, 40);
    sp.inputs.remove(0);
    let s = sweep(&[p, dear], &sp, Catalog::builtin(), &|_, _| {}, None).unwrap();
    assert_eq!(s.rows.len(), 80);
    let rows = s.summary();
    let c = rows.iter().find(|f| f.key == "capex_eur").unwrap();
    assert_eq!(c.p_best, Some(vec![1.0, 0.0]));
    assert_eq!(c.verdict.better(), Some(0));
    // Rank correlation: capex follows the count, not the rent.
    let Some(Influence::Rank(r)) = &c.influence[0] else {
        panic!()
    };
    assert!(
        r[0].unwrap() > 0.99 && r[1].is_none_or(|x| x.abs() < 0.4),
        "{r:?}"
    );
}

#[test]
fn an_input_a_plan_does_not_take_is_named_before_anything_runs() {
    let p = plan();
    let mut sp = spec(Design::Latin, 4);
    sp.inputs.push(uniform("site[nowhere].pue", 1.1, 1.2));
    let e = sweep(&[p], &sp, Catalog::builtin(), &|_, _| {}, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "capex: site[nowhere].pue: no site named `nowhere`"
    );
}

#[test]
fn a_plan_that_cannot_be_built_at_a_draw_is_counted_not_fatal() {
    // A budget the plan just meets at $30,000 a GPU (EUR 57.1 M), not above: the dear draws are
    // infeasible points, with the reason; the rest are evaluated.
    let text = PLAN.replace("[economics]", "[budget]\ncapex_eur = 57.1e6\n[economics]");
    let p = Plan::prepare("budget", &text, PathBuf::from("."), Catalog::builtin()).unwrap();
    let mut sp = spec(Design::Latin, 20);
    sp.inputs.truncate(1);
    let s = sweep(&[p], &sp, Catalog::builtin(), &|_, _| {}, None).unwrap();
    let (bad, why) = s.infeasible()[0];
    assert!(bad > 0 && bad < 20, "{bad}");
    assert!(why.unwrap().contains("budget"), "{why:?}");
    let capex = s
        .summary()
        .into_iter()
        .find(|f| f.key == "capex_eur")
        .unwrap();
    let d = capex.per_plan[0].as_ref().unwrap();
    assert_eq!(d.points, 20 - bad);
    assert!(d.q95 <= 57.1e6, "{d:?}");
}
