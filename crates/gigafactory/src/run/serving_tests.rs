//! Inference services' cost per million tokens (issue 16), worked by hand.

use super::*;

#[test]
fn the_cost_per_million_tokens_is_the_replicas_hours_at_the_hours_cost_split_by_gpu_time() {
    // 128 H100 serving a 70B dense model: 200,000 input and 50,000 output tokens a second,
    // all year (2027, 365 days), failures off, no batch work.
    let text = "name = \"svc\"\nstart = \"2027-01-01\"\nyears = 1\n\
        [[site]]\nname = \"h\"\ncountry = \"FI\"\ngrid_mw = 100\n\
        [[build]]\nsite = \"h\"\naccelerator = \"H100\"\ncount = 128\nonline = \"2027-01-01\"\n\
        [failures]\nenabled = false\n\
        [[tenant]]\nname = \"api\"\nclass = \"industry\"\nshare = 0\nkind = \"inference\"\n\
        model = \"dense-70b\"\nrequests_per_second = 100\ninput_tokens_per_request = 2000\n\
        output_tokens_per_request = 500\nprofile = \"flat\"\n";
    let p = Plan::prepare("t", text, PathBuf::from("."), Catalog::builtin()).unwrap();
    let e = evaluate(&p, Catalog::builtin(), Sample::Full, SimOptions::default()).unwrap();
    // By hand: on an H100, input at 989e12 FLOP/s x 0.5 (prefill) / (2 x 70e9) = 3,532.14
    // tokens/s per GPU, output at MLPerf's 2,381; a replica is 2 GPUs (70 GB of FP8 weights
    // x 1.5 > 80 GB). A token of the 4:1 mix takes 0.8 / 3,532.14 + 0.2 / 2,381 GPU-s, so
    // a replica serves 6,441 tokens/s; under the 0.7 ceiling 250,000 tokens/s need
    // ceil(55.45) = 56 replicas, 112 GPUs.
    let (t_in, t_out): (f64, f64) = (989e12 * 0.5 / 140e9, 2381.0);
    let per_token = 0.8 / t_in + 0.2 / t_out;
    let replica = 2.0 / per_token;
    assert!((250_000.0 / 0.7 / replica - 55.45).abs() < 0.01);
    let s = &e.services[0];
    let hours = 112.0 * 8760.0;
    assert!((s.gpu_hours - hours).abs() < 1e-6, "{s:?}");
    let o = e.outcome.as_ref().unwrap();
    assert!((o.utilization - 112.0 / 128.0).abs() < 1e-12);
    // The hour's cost: depreciation and opex (electricity at the simulated utilisation,
    // maintenance, staff) a year over the hours delivered a year.
    let a = &e.assessment;
    let per_hour =
        (a.depreciation_eur_per_year + a.opex_eur_per_year) / (128.0 * 8760.0 * (112.0 / 128.0));
    assert!((a.cost_per_gpu_hour_eur / per_hour - 1.0).abs() < 1e-9);
    // Split by GPU time: input takes 0.8 / t_in of the per_token GPU-s.
    let input_share = 0.8 / t_in / per_token;
    assert!((input_share - 0.7294).abs() < 1e-4);
    // Tokens served: all but the first 180 s (the replicas' start-up).
    let served_s = 365.0 * 86_400.0 - 180.0;
    let (tin, tout) = (200_000.0 * served_s, 50_000.0 * served_s);
    assert!((s.tokens_served - (tin + tout)).abs() < 1e-6 * (tin + tout));
    let cost = hours * per_hour;
    let eur_in = cost * input_share / tin * 1e6;
    let eur_out = cost * (1.0 - input_share) / tout * 1e6;
    assert!(
        (s.eur_per_m_input / eur_in - 1.0).abs() < 1e-6,
        "{s:?} {eur_in}"
    );
    assert!(
        (s.eur_per_m_output / eur_out - 1.0).abs() < 1e-6,
        "{s:?} {eur_out}"
    );
    // Against the market: the median list price of 70B open-weight models, $0.59 and
    // $0.79 per million, at 0.9231 EUR/USD.
    assert!((s.market_eur_per_m_input - 0.59 * 0.9231).abs() < 1e-9);
    assert!((s.market_eur_per_m_output - 0.79 * 0.9231).abs() < 1e-9);
    // GPU-hours by kind: all serving.
    let k = e.hours_by_kind.unwrap();
    assert!((k.serving_gpu_hours - hours).abs() < 1e-6);
    assert_eq!(k.batch_gpu_hours + k.training_gpu_hours, 0.0);
}
