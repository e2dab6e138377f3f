//! What decides the answer (issue 17): sample designs over uncertain inputs (Latin
//! hypercube; Saltelli's scheme for Sobol indices), quantiles, Sobol indices and rank
//! correlations. Pure numbers: no plans, no files.

use crate::workload::generate::Stream;

/// How a sweep samples its inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Design {
    /// A Latin hypercube of N points: each input's range cut into N equally likely strata,
    /// each stratum drawn once, the strata paired at random. Sensitivity by rank
    /// correlation.
    Latin,
    /// Saltelli's scheme: two Latin hypercubes A and B of N points and, for each of the k
    /// inputs, A with that input's column from B: N × (k + 2) points. First-order indices
    /// by Saltelli (2010), total by Jansen (1999), as SALib computes them.
    Saltelli,
}

/// The random stream of a sweep's design (its purpose number, apart from the workload's).
const DESIGN_STREAM: u64 = 0x0053_5745_4550; // "SWEEP" in ASCII

/// A Latin hypercube: `n` rows of `k` quantiles in (0, 1), from `seed`.
#[must_use]
pub fn latin(n: usize, k: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = Stream::new(seed, DESIGN_STREAM, k as u64);
    let mut rows = vec![vec![0.0; k]; n];
    for j in 0..k {
        // A random permutation of the strata (Fisher–Yates).
        let mut strata: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let r = ((rng.uniform() * (i + 1) as f64) as usize).min(i);
            strata.swap(i, r);
        }
        for (row, s) in rows.iter_mut().zip(strata) {
            // Inside the stratum, away from 0 and 1 (quantile functions are infinite there).
            let u = (s as f64 + rng.uniform()) / n as f64;
            row[j] = u.clamp(1e-12, 1.0 - 1e-12);
        }
    }
    rows
}

/// Saltelli's points for `k` inputs from `n` base rows: for each base row, A's, B's, then
/// A's with input i taken from B, for i in 0..k (so row `j × (k + 2) + 2 + i` is A_B^i of
/// base row j).
#[must_use]
pub fn saltelli(n: usize, k: usize, seed: u64) -> Vec<Vec<f64>> {
    let base = latin(n, 2 * k, seed);
    let mut out = Vec::with_capacity(n * (k + 2));
    for row in &base {
        let (a, b) = row.split_at(k);
        out.push(a.to_vec());
        out.push(b.to_vec());
        for i in 0..k {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            out.push(ab);
        }
    }
    out
}

/// One input's Sobol indices, each with half the width of its 95% interval (1.96 standard
/// errors of the estimator's mean over the base rows): how far the estimate may be from
/// the index itself.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sobol {
    /// First-order index: the share of the output's variance the input explains alone.
    pub first: f64,
    /// Half the width of `first`'s 95% interval.
    pub first_95: f64,
    /// Total index: the share it explains with all its interactions.
    pub total: f64,
    /// Half the width of `total`'s 95% interval.
    pub total_95: f64,
}

/// First-order and total Sobol indices of each of `k` inputs from `y`, the outputs at the
/// points [`saltelli`] gives (in its order): first order by Saltelli (2010), mean of
/// (f(B) − m)·(f(A_B^i) − f(A)) with m the mean output over every point, total by Jansen
/// (1999), mean of (f(A) − f(A_B^i))² / 2, each over the variance of A's and B's outputs
/// together (population variance): SALib's estimators on its standardised outputs, to the
/// last digits. `None` where the output does not vary.
#[must_use]
pub fn sobol_indices(y: &[f64], k: usize) -> Vec<Option<Sobol>> {
    let stride = k + 2;
    let n = y.len() / stride;
    let at = |j: usize, o: usize| y[j * stride + o];
    let ab: Vec<f64> = (0..n).flat_map(|j| [at(j, 0), at(j, 1)]).collect();
    let mean = ab.iter().sum::<f64>() / ab.len().max(1) as f64;
    let var = ab.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / ab.len().max(1) as f64;
    // Outputs centred on the mean of every point, as SALib does (it standardises them):
    // the first-order estimator's expectation is unchanged, its spread much smaller when
    // the output's mean is large against its spread.
    let centre = y.iter().sum::<f64>() / y.len().max(1) as f64;
    let mean_and_95 = |t: &[f64]| {
        let m = t.iter().sum::<f64>() / t.len() as f64;
        let sd = (t.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (t.len() as f64 - 1.0).max(1.0))
            .sqrt();
        (m, 1.96 * sd / (t.len() as f64).sqrt())
    };
    (0..k)
        .map(|i| {
            if n == 0 || var <= 0.0 || !var.is_finite() {
                return None;
            }
            let first: Vec<f64> = (0..n)
                .map(|j| (at(j, 1) - centre) * (at(j, 2 + i) - at(j, 0)) / var)
                .collect();
            let total: Vec<f64> = (0..n)
                .map(|j| (at(j, 0) - at(j, 2 + i)).powi(2) / (2.0 * var))
                .collect();
            let ((first, first_95), (total, total_95)) = (mean_and_95(&first), mean_and_95(&total));
            Some(Sobol {
                first,
                first_95,
                total,
                total_95,
            })
        })
        .collect()
}

/// The `q` quantile of `sorted` (ascending; linear between order statistics, as numpy's
/// default).
#[must_use]
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// Ranks of `x` (1-based, ties given their mean rank).
fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        for &o in &order[i..=j] {
            r[o] = mean_rank;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation of `x` and `y` (`None` where either does not vary).
#[must_use]
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    let (rx, ry) = (ranks(x), ranks(y));
    let n = rx.len() as f64;
    if n < 2.0 {
        return None;
    }
    let (mx, my) = (rx.iter().sum::<f64>() / n, ry.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx).powi(2);
        syy += (b - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latin_hypercube_draws_each_stratum_once() {
        let rows = latin(10, 3, 1);
        for j in 0..3 {
            let mut strata: Vec<usize> = rows.iter().map(|r| (r[j] * 10.0) as usize).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..10).collect::<Vec<_>>());
        }
        assert_eq!(rows, latin(10, 3, 1));
        assert_ne!(rows, latin(10, 3, 2));
    }

    #[test]
    fn saltellis_points_swap_one_column_each() {
        let p = saltelli(4, 2, 9);
        assert_eq!(p.len(), 4 * 4);
        let (a, b, ab0, ab1) = (&p[0], &p[1], &p[2], &p[3]);
        assert_eq!((ab0[0], ab0[1]), (b[0], a[1]));
        assert_eq!((ab1[0], ab1[1]), (a[0], b[1]));
    }

    #[test]
    fn quantiles_and_ranks() {
        let s = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&s, 0.5), 3.0);
        assert!((quantile(&s, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(ranks(&[3.0, 1.0, 3.0]), vec![2.5, 1.0, 2.5]);
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 15.0]), Some(0.5));
        assert_eq!(spearman(&[1.0, 2.0], &[1.0, 1.0]), None);
    }

    /// y = x1 · x2 with x1 ~ U(1, 3), x2 ~ U(2, 6), and x3 without effect. With m and v
    /// each input's mean and variance: V1 = v1 m2², V2 = v2 m1², V12 = v1 v2, V = their
    /// sum; S1 = V1 / V, ST1 = (V1 + V12) / V.
    #[test]
    fn sobol_indices_of_a_product_are_the_analytic_ones() {
        let (m1, v1, m2, v2) = (2.0, 4.0 / 12.0, 4.0, 16.0 / 12.0);
        let (a, b, ab) = (v1 * m2 * m2, v2 * m1 * m1, v1 * v2);
        let total = a + b + ab;
        let points = saltelli(4096, 3, 5);
        let y: Vec<f64> = points
            .iter()
            .map(|u| (1.0 + 2.0 * u[0]) * (2.0 + 4.0 * u[1]))
            .collect();
        let s: Vec<Sobol> = sobol_indices(&y, 3)
            .into_iter()
            .map(Option::unwrap)
            .collect();
        // Within the estimates' own 95% intervals, which are narrow enough to tell.
        let close = |x: f64, hw: f64, want: f64| (x - want).abs() < hw && hw < 0.1;
        assert!(close(s[0].first, s[0].first_95, a / total), "{s:?}");
        assert!(close(s[1].first, s[1].first_95, b / total), "{s:?}");
        assert!(close(s[0].total, s[0].total_95, (a + ab) / total), "{s:?}");
        assert!(close(s[1].total, s[1].total_95, (b + ab) / total), "{s:?}");
        assert_eq!((s[2].first, s[2].total), (0.0, 0.0));
    }
}
