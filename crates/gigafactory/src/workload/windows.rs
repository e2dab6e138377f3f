//! Time sampling: a run that simulates windows of time, not the whole horizon.

use serde::Serialize;

/// Periodic windows: every `period_s` seconds from `offset_s`, jobs arrive during the
/// first `warmup_s + measured_s` seconds (the active part) and are measured during the
/// last `measured_s` of those. Between active parts no jobs arrive: the facility drains, and
/// the warm-up fills it again before measuring.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Windows {
    /// Length of one period, s.
    pub period_s: f64,
    /// Arrivals before measuring, s.
    pub warmup_s: f64,
    /// Measured, s.
    pub measured_s: f64,
    /// Where the first period starts, s (periods also run before it, from negative time).
    pub offset_s: f64,
}

impl Windows {
    fn phase(&self, t: f64) -> f64 {
        (t - self.offset_s).rem_euclid(self.period_s)
    }

    /// Whether jobs arrive at `t`.
    pub fn active(&self, t: f64) -> bool {
        self.phase(t) < self.warmup_s + self.measured_s
    }

    /// The start of the next active part at or after `t`.
    pub fn next_active(&self, t: f64) -> f64 {
        if self.active(t) {
            t
        } else {
            t - self.phase(t) + self.period_s
        }
    }

    /// Whether `t` is measured.
    pub fn measured(&self, t: f64) -> bool {
        let p = self.phase(t);
        p >= self.warmup_s && p < self.warmup_s + self.measured_s
    }

    /// Measured seconds within `[a, b)`.
    ///
    /// # Example
    /// ```
    /// use gigafactory::workload::Windows;
    /// // Periods of 10 s: warm-up 0-2, measured 2-5.
    /// let w = Windows { period_s: 10.0, warmup_s: 2.0, measured_s: 3.0, offset_s: 0.0 };
    /// assert_eq!(w.measured_within(0.0, 10.0), 3.0);
    /// assert_eq!(w.measured_within(3.0, 14.0), 2.0 + 2.0);
    /// // Shifted by 5 s: measured 7-10 and 17-20.
    /// let w = Windows { offset_s: 5.0, ..w };
    /// assert_eq!(w.measured_within(0.0, 18.0), 3.0 + 1.0);
    /// assert!(w.active(5.0) && !w.active(4.0) && w.measured(8.0));
    /// ```
    pub fn measured_within(&self, a: f64, b: f64) -> f64 {
        if b <= a {
            return 0.0;
        }
        let (m0, m1) = (self.warmup_s, self.warmup_s + self.measured_s);
        let first = ((a - self.offset_s) / self.period_s).floor();
        let last = ((b - self.offset_s) / self.period_s).floor();
        let mut total = 0.0;
        let mut k = first;
        while k <= last {
            let base = self.offset_s + k * self.period_s;
            let lo = (base + m0).max(a);
            let hi = (base + m1).min(b);
            if hi > lo {
                total += hi - lo;
            }
            k += 1.0;
        }
        total
    }

    /// The share of time measured.
    pub fn measured_fraction(&self) -> f64 {
        self.measured_s / self.period_s
    }
}
