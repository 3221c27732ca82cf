//! A server-side rate limit for the mocks: a token bucket (GCRA) per mock
//! host, deciding at arrival whether a request is within the limit, and
//! counting what it accepted and refused so tests can assert "no 429".
//!
//! Like real registries it forgives a small burst (`burst` requests back to
//! back), which also absorbs the scheduling jitter between a client's send
//! and the server's receipt.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

/// How fast a mock host lets clients ask.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimitSpec {
    /// Sustained requests per second.
    pub per_second: f64,
    /// Requests accepted back to back after an idle spell (at least 1).
    pub burst: u32,
}

/// Requests a limited mock host accepted and refused so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LimitStats {
    pub accepted: u64,
    pub refused: u64,
}

/// The running limit of one mock host.
#[derive(Debug)]
pub struct ServerLimit {
    interval: Duration,
    tolerance: Duration,
    /// Theoretical arrival time of the next conforming request.
    next: Mutex<Option<Instant>>,
    accepted: AtomicU64,
    refused: AtomicU64,
}

impl ServerLimit {
    pub fn new(spec: LimitSpec) -> ServerLimit {
        let per_second = if spec.per_second.is_finite() && spec.per_second > 0.0 {
            spec.per_second
        } else {
            panic!("mock rate limit must be positive, got {}", spec.per_second)
        };
        let interval = Duration::from_secs_f64(1.0 / per_second);
        ServerLimit {
            interval,
            tolerance: interval * spec.burst.max(1).saturating_sub(1),
            next: Mutex::new(None),
            accepted: AtomicU64::new(0),
            refused: AtomicU64::new(0),
        }
    }

    /// Accepts a request arriving now, or refuses it with how long the
    /// client should wait before the next one would be accepted.
    pub fn admit(&self) -> Result<(), Duration> {
        let now = Instant::now();
        let mut next = self.next.lock().unwrap_or_else(PoisonError::into_inner);
        let due = next.unwrap_or(now);
        if due > now + self.tolerance {
            self.refused.fetch_add(1, Ordering::Relaxed);
            return Err(due - self.tolerance - now);
        }
        *next = Some(due.max(now) + self.interval);
        self.accepted.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    pub fn stats(&self) -> LimitStats {
        LimitStats {
            accepted: self.accepted.load(Ordering::Relaxed),
            refused: self.refused.load(Ordering::Relaxed),
        }
    }
}

/// The `Retry-After` a limited mock sends: whole seconds, rounded up, at
/// least 1 (the header has no fractions, and 0 would invite an immediate retry).
pub fn retry_after_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// A uniform pick in `[base, base + jitter]`, for simulated latency.
pub fn jittered(base: Duration, jitter: Duration) -> Duration {
    base + jitter.mul_f64(fastrand::f64())
}
