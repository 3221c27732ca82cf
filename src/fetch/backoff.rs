//! [`Backoff`]: how long a call waits before asking a failing host again.
//!
//! Exponential with jitter (the "full jitter" and "equal jitter" schemes of
//! the AWS architecture note "Exponential Backoff and Jitter"): randomness
//! keeps the names that failed together from retrying together. The random
//! draw is a parameter so the arithmetic is tested exactly.

use std::time::Duration;

/// Exponential backoff bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The ceiling of the first retry's wait; doubled for each further one.
    pub base: Duration,
    /// No wait is longer than this (a server's `Retry-After` aside).
    pub max: Duration,
}

impl Default for Backoff {
    /// 0.5 s doubling to at most 30 s.
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(500),
            max: Duration::from_secs(30),
        }
    }
}

impl Backoff {
    /// The longest wait before retry number `retry` (1 for the first):
    /// `base * 2^(retry - 1)`, at most `max`.
    pub fn ceiling(&self, retry: u32) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        self.base
            .checked_mul(1_u32 << doublings)
            .map_or(self.max, |wait| wait.min(self.max))
    }

    /// Full jitter, for failures: anywhere in `[0, ceiling]`, `unit` being a
    /// uniform draw in `[0, 1)`.
    pub(crate) fn full_jitter(&self, retry: u32, unit: f64) -> Duration {
        self.ceiling(retry).mul_f64(unit.clamp(0.0, 1.0))
    }

    /// Equal jitter, for rate-limited answers: in `[ceiling / 2, ceiling]`,
    /// so a host that keeps refusing is always left alone for longer.
    pub(crate) fn equal_jitter(&self, retry: u32, unit: f64) -> Duration {
        let half = self.ceiling(retry) / 2;
        half + half.mul_f64(unit.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(1, 500)]
    #[case(2, 1000)]
    #[case(3, 2000)]
    #[case(7, 30_000)]
    #[case(40, 30_000)]
    #[case(u32::MAX, 30_000)]
    fn ceilings_double_to_the_cap(#[case] retry: u32, #[case] millis: u64) {
        assert_eq!(
            Backoff::default().ceiling(retry),
            Duration::from_millis(millis)
        );
    }

    #[rstest]
    #[case(0.0, 0, 1000)]
    #[case(0.5, 1000, 1500)]
    #[case(0.999, 1998, 1999)]
    #[case(7.0, 2000, 2000)]
    fn jitter_stays_in_its_band(#[case] unit: f64, #[case] full_ms: u64, #[case] equal_ms: u64) {
        let backoff = Backoff::default();
        assert_eq!(
            backoff.full_jitter(3, unit).as_millis(),
            u128::from(full_ms)
        );
        assert_eq!(
            backoff.equal_jitter(3, unit).as_millis(),
            u128::from(equal_ms)
        );
    }
}
