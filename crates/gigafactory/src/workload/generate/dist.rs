//! Random streams and the few distributions the generator needs, written out so that a
//! seed gives the same jobs whatever the versions of other crates.

use rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// One independent random stream (Xoshiro256++).
pub struct Stream(Xoshiro256PlusPlus);

/// SplitMix64: spreads (seed, tenant, purpose) into well-separated stream seeds.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What each random stream is for: the `purpose` of [`Stream::new`], named so that no two
/// uses share a stream. The numbers are part of every seed's results: changing one changes
/// the figures of every run that draws from it.
pub mod purpose {
    /// A tenant's arrival times.
    pub const ARRIVALS: u64 = 1;
    /// A tenant's job sizes (GPUs).
    pub const SIZES: u64 = 2;
    /// A tenant's run times.
    pub const DURATIONS: u64 = 3;
    /// A tenant's recorded outcomes (completed, cancelled, failed).
    pub const OUTCOMES: u64 = 4;
    /// Node failures: when and where (with [`FACILITY`] as the tenant).
    pub const FAILURES: u64 = 7;
    /// The "tenant" of streams that belong to the facility rather than to a tenant.
    pub const FACILITY: u64 = u64::MAX;
}

impl Stream {
    /// The stream for `purpose` of tenant `tenant` under `seed`. Changing one tenant's or
    /// one purpose's draws leaves every other stream as it was.
    pub fn new(seed: u64, tenant: u64, purpose: u64) -> Stream {
        let s =
            splitmix(splitmix(splitmix(seed) ^ tenant.wrapping_mul(0x1000_0000_01B3)) ^ purpose);
        Stream(Xoshiro256PlusPlus::seed_from_u64(s))
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in (0, 1].
    fn uniform_open0(&mut self) -> f64 {
        1.0 - self.uniform()
    }

    /// Exponential with mean `mean`.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * self.uniform_open0().ln()
    }

    /// Standard normal (Box–Muller; one of the pair is used, for simplicity and
    /// reproducibility).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform_open0();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// Standard normal CDF, from erfc (W. J. Cody's rational approximations via the
/// complementary error function; absolute error below 1.2e-7, Numerical Recipes `erfcc`).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// A log-normal with median `median` and log-scale spread `sigma`, cut at `max`.
#[derive(Debug, Clone, Copy)]
pub struct TruncLogNormal {
    /// The median (before the cut).
    pub median: f64,
    /// The standard deviation of the logarithm.
    pub sigma: f64,
    /// The largest value drawn.
    pub max: f64,
}

impl TruncLogNormal {
    fn z(&self, x: f64) -> f64 {
        (x.ln() - self.median.ln()) / self.sigma
    }

    /// P(X ≤ x).
    pub fn cdf(&self, x: f64) -> f64 {
        if x >= self.max {
            return 1.0;
        }
        normal_cdf(self.z(x)) / normal_cdf(self.z(self.max))
    }

    /// E[X].
    pub fn mean(&self) -> f64 {
        let mu = self.median.ln();
        let s2 = self.sigma * self.sigma;
        (mu + s2 / 2.0).exp() * normal_cdf(self.z(self.max) - self.sigma)
            / normal_cdf(self.z(self.max))
    }

    /// One draw (redrawn until at most `max`).
    pub fn sample(&self, rng: &mut Stream) -> f64 {
        loop {
            let x = self.median * (self.sigma * rng.normal()).exp();
            if x <= self.max {
                return x;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_matches_tables() {
        // Standard normal table: Phi(0) = 0.5, Phi(1) = 0.841345, Phi(-1.96) = 0.024998.
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.0) - 0.841_345).abs() < 1e-6);
        assert!((normal_cdf(-1.96) - 0.024_998).abs() < 1e-6);
    }

    #[test]
    fn streams_are_reproducible_and_independent() {
        let a: Vec<f64> = (0..3).map(|_| Stream::new(1, 0, 0).uniform()).collect();
        assert_eq!(a[0], a[1]);
        assert_ne!(
            Stream::new(1, 0, 0).uniform(),
            Stream::new(1, 0, 1).uniform()
        );
        assert_ne!(
            Stream::new(1, 0, 0).uniform(),
            Stream::new(1, 1, 0).uniform()
        );
    }

    #[test]
    fn sample_moments_match_the_closed_forms() {
        let d = TruncLogNormal {
            median: 100.0,
            sigma: 1.0,
            max: 1e9,
        };
        let mut r = Stream::new(7, 0, 0);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut r)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        // E = 100 e^{1/2} = 164.87.
        assert!((mean / (100.0 * 0.5f64.exp()) - 1.0).abs() < 0.02, "{mean}");
        let below = xs.iter().filter(|&&x| x <= 100.0).count() as f64 / n as f64;
        assert!((below - 0.5).abs() < 0.005);
    }
}
