//! How many requests one host may have waiting for answers: Little's law,
//! the host's rate times how long it takes to answer, with headroom,
//! between a floor and a ceiling ([`InFlightRule`]); the latency estimate
//! it reads ([`Latency`]); and the host's slots, a semaphore whose size
//! follows the rule ([`Slots`]).
//!
//! The rate limiter alone decides when a request leaves; this only decides
//! how many may wait for answers at once. A cap below rate x latency would
//! hold a slow host under its rate (8 slots at 600 ms is 13 requests a
//! second, whatever the rate allows); a cap far above it would let a
//! server that slows down under load pile up our requests. Following the
//! estimate, a server that answers slower gets more requests in flight only
//! as its rate allows, and when it speeds up the cap shrinks with it.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{AcquireError, Semaphore, SemaphorePermit};

use super::rate::Rate;

/// The most requests in flight to one host unless `--host-concurrency`
/// says otherwise: enough for 1,280 requests a second at 100 ms, or 213 at
/// 600 ms; beyond that a host's own rate is rarely the bound, and sockets
/// and memory on both sides are.
pub const HOST_IN_FLIGHT_CEILING: usize = 128;
/// The fewest: one answer awaited while the next request is on its way.
const FLOOR: usize = 2;
/// The latency assumed before a host has answered: real RDAP and WHOIS
/// servers answer in 100 ms to 2 s.
const FIRST_GUESS: Duration = Duration::from_secs(1);
/// Room above rate x latency, for answers slower than the estimate.
const HEADROOM: f64 = 1.25;

/// A host's answer time, smoothed as TCP smooths round trips (RFC 6298:
/// gains 1/8 for the mean, 1/4 for the deviation).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Latency {
    smoothed: Option<Duration>,
    deviation: Duration,
}

impl Latency {
    /// Counts one answer that took `sample`.
    pub(crate) fn observe(&mut self, sample: Duration) {
        match self.smoothed {
            None => {
                self.smoothed = Some(sample);
                self.deviation = sample / 2;
            }
            Some(smoothed) => {
                let error = smoothed.abs_diff(sample);
                self.deviation = (self.deviation * 3 + error) / 4;
                self.smoothed = Some((smoothed * 7 + sample) / 8);
            }
        }
    }

    /// The smoothed answer time, once the host has answered.
    pub(crate) fn smoothed(&self) -> Option<Duration> {
        self.smoothed
    }

    /// An answer time few answers exceed: the mean plus four deviations,
    /// as a TCP retransmission timeout is.
    fn upper(&self) -> Duration {
        self.smoothed
            .map_or(FIRST_GUESS, |smoothed| smoothed + self.deviation * 4)
    }
}

/// The bounds of a host's requests in flight: plain data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InFlightRule {
    /// The most, whatever the estimate says (at least 1).
    pub(crate) ceiling: usize,
}

impl InFlightRule {
    /// `--host-concurrency`, when given, is the ceiling; else
    /// [`HOST_IN_FLIGHT_CEILING`].
    pub(crate) fn new(cap: Option<usize>) -> InFlightRule {
        InFlightRule {
            ceiling: cap.unwrap_or(HOST_IN_FLIGHT_CEILING).max(1),
        }
    }

    /// Requests in flight a host at `rate` answering in `latency` needs:
    /// rate x (upper) latency with a quarter's headroom, within the floor
    /// and the ceiling.
    pub(crate) fn limit(&self, rate: Rate, latency: &Latency) -> usize {
        let needed = rate.requests_per_second() * latency.upper().as_secs_f64() * HEADROOM;
        // Saturating float-to-int: an absurd estimate is the ceiling.
        let needed = needed.ceil() as usize;
        needed.clamp(FLOOR.min(self.ceiling), self.ceiling)
    }
}

/// A host's request slots: a semaphore that can shrink while its permits
/// are out. Shrinking forgets free permits at once and the rest as they
/// come back, so requests already sent are never cut short.
#[derive(Debug)]
pub(crate) struct Slots {
    semaphore: Semaphore,
    sizes: Mutex<Sizes>,
}

#[derive(Debug)]
struct Sizes {
    limit: usize,
    /// Permits out that must not come back.
    owed: usize,
}

/// One slot, given back (or forgotten, if the slots shrank) on drop.
pub(crate) struct Slot<'a> {
    slots: &'a Slots,
    permit: Option<SemaphorePermit<'a>>,
}

impl Slots {
    pub(crate) fn new(limit: usize) -> Slots {
        let limit = limit.clamp(1, Semaphore::MAX_PERMITS);
        Slots {
            semaphore: Semaphore::new(limit),
            sizes: Mutex::new(Sizes { limit, owed: 0 }),
        }
    }

    fn sizes(&self) -> MutexGuard<'_, Sizes> {
        // Two counters changed together under the lock; a panic cannot leave them half-updated.
        self.sizes.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for a free slot, in arrival order.
    pub(crate) async fn acquire(&self) -> Result<Slot<'_>, AcquireError> {
        let permit = self.semaphore.acquire().await?;
        Ok(Slot {
            slots: self,
            permit: Some(permit),
        })
    }

    /// The current number of slots.
    pub(crate) fn limit(&self) -> usize {
        self.sizes().limit
    }

    /// Grows or shrinks to `limit` slots (at least 1).
    pub(crate) fn resize(&self, limit: usize) {
        let limit = limit.clamp(1, Semaphore::MAX_PERMITS);
        let mut sizes = self.sizes();
        if limit == sizes.limit {
            return;
        }
        if limit > sizes.limit {
            let mut more = limit - sizes.limit;
            let repaid = more.min(sizes.owed);
            sizes.owed -= repaid;
            more -= repaid;
            self.semaphore.add_permits(more);
        } else {
            let fewer = sizes.limit - limit;
            let forgotten = self.semaphore.forget_permits(fewer);
            sizes.owed += fewer - forgotten;
        }
        sizes.limit = limit;
    }

    pub(crate) fn close(&self) {
        self.semaphore.close();
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut sizes = self.slots.sizes();
        if let Some(permit) = self.permit.take()
            && sizes.owed > 0
        {
            sizes.owed -= 1;
            permit.forget();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(per_second: f64) -> Rate {
        Rate::per_second(per_second).expect("valid rate")
    }

    fn settled(latency: Duration) -> Latency {
        let mut estimate = Latency::default();
        for _ in 0..100 {
            estimate.observe(latency);
        }
        estimate
    }

    #[test]
    fn the_limit_is_rate_times_latency_with_headroom() {
        let rule = InFlightRule::new(None);
        // 50/s at a steady 600 ms: 30 in flight, and a quarter more.
        assert_eq!(
            rule.limit(rate(50.0), &settled(Duration::from_millis(600))),
            38
        );
        // Before any answer, a second is assumed.
        assert_eq!(rule.limit(rate(20.0), &Latency::default()), 25);
        // A slow host still has two; a fast one stops at the ceiling.
        assert_eq!(
            rule.limit(rate(1.0), &settled(Duration::from_millis(50))),
            2
        );
        assert_eq!(
            rule.limit(rate(10_000.0), &settled(Duration::from_millis(100))),
            128
        );
        // A cap given by the user wins over the floor too.
        let capped = InFlightRule::new(Some(1));
        assert_eq!(capped.limit(rate(1.0), &Latency::default()), 1);
        assert_eq!(capped.limit(rate(50.0), &Latency::default()), 1);
    }

    #[test]
    fn jitter_raises_the_estimate_and_it_settles_when_answers_steady() {
        let mut estimate = Latency::default();
        for _ in 0..50 {
            estimate.observe(Duration::from_millis(300));
            estimate.observe(Duration::from_millis(800));
        }
        let rule = InFlightRule::new(None);
        let jittery = rule.limit(rate(50.0), &estimate);
        // The slowest answers (800 ms) need 40 in flight: the estimate covers them.
        assert!(jittery >= 40, "{jittery}");
        for _ in 0..60 {
            estimate.observe(Duration::from_millis(100));
        }
        let steady = rule.limit(rate(50.0), &estimate);
        assert!((7..=8).contains(&steady), "{steady}");
        assert_eq!(
            estimate.smoothed().map(|latency| latency.as_millis()),
            Some(100)
        );
    }

    #[tokio::test]
    async fn slots_shrink_as_permits_come_back_and_grow_at_once() {
        let slots = Slots::new(3);
        let held: Vec<Slot<'_>> = vec![
            slots.acquire().await.expect("open"),
            slots.acquire().await.expect("open"),
        ];
        // One free permit is forgotten now, one held permit when it returns.
        slots.resize(1);
        assert_eq!(slots.semaphore.available_permits(), 0);
        drop(held);
        assert_eq!(slots.semaphore.available_permits(), 1);
        slots.resize(4);
        assert_eq!(slots.semaphore.available_permits(), 4);
        assert_eq!(slots.limit(), 4);
        // Growing pays what is owed before adding.
        let held: Vec<Slot<'_>> = vec![
            slots.acquire().await.expect("open"),
            slots.acquire().await.expect("open"),
            slots.acquire().await.expect("open"),
        ];
        slots.resize(1);
        slots.resize(2);
        drop(held);
        assert_eq!(slots.semaphore.available_permits(), 2);
    }
}
