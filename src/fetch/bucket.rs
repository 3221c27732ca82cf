//! [`Bucket`]: one host's token bucket, a governor limiter at the host's
//! [`Rate`] with a small allowance for timer lateness.
//!
//! A waiting request sleeps until its token is due, and a tokio timer fires
//! up to a millisecond late. With a plain burst-1 bucket every late wake is
//! lost for good, which at 50 requests a second is a few percent of the
//! rate, and above a thousand a second caps the rate at one request per
//! wake. So one request takes many cells (its interval cut into cells of at
//! most [`CELL_GRAIN`]), and the bucket holds [`ALLOWANCE`]'s worth of cells
//! more than the burst: a request may leave that much early after one that
//! left late, which gives the lost time back.
//!
//! What it guarantees, at every rate from 1/day to 10,000/s (the test
//! `admissions_never_come_closer_than_the_interval_less_the_allowance` in
//! `gate_tests.rs` drives one host at 100/s, 5/s, 1/s, 30/m and 1/h through
//! idle spells and bursts): any `n` requests of a host are spread over at
//! least `(n - burst)` intervals less [`ALLOWANCE`], the interval being the
//! rate's own stretched by [`HEADROOM`]. For a burst of 1, no two requests
//! leave closer together than the interval less 2 ms, after an idle spell
//! too (the allowance comes back when the host is idle, but it is never
//! more than 2 ms). Any server must tolerate that much: it is less than the
//! network's own jitter between our send and its receipt.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use tokio::time::Instant;

use super::clock::{TokioClock, TokioInstant};
use super::rate::Rate;

/// The share of a host's rate the bucket lets out. A registry counts our
/// requests as they reach it, after a delay that varies; at exactly its
/// limit, the first request held up on the way makes the next ones look
/// too close together. Two percent under it, the schedule gets back the
/// slack within a few dozen requests.
const HEADROOM: f64 = 0.98;
/// How early a request may leave after one that left late: tokio's timer
/// fires on millisecond ticks and the task runs some time after, so this is
/// two ticks. A host faster than a request a millisecond needs it too, or
/// it could never reach its rate (one request per wake).
pub(crate) const ALLOWANCE: Duration = Duration::from_millis(2);
/// The longest cell: fine enough that the allowance, a whole number of
/// cells, is between 1.75 and 2 ms; coarse enough that a day's interval
/// (345,600 cells) times a burst still fits governor's `u32` capacity.
const CELL_GRAIN: Duration = Duration::from_micros(250);

type Limiter = RateLimiter<NotKeyed, InMemoryState, TokioClock, NoOpMiddleware<TokioInstant>>;

pub(crate) struct Bucket {
    limiter: Limiter,
    /// Cells one request takes.
    cells: NonZeroU32,
    capacity: NonZeroU32,
    /// Cells beyond the burst: the allowance.
    spare: NonZeroU32,
}

impl Bucket {
    /// A full bucket: the rate's whole burst may go at once, and the next
    /// request one interval later.
    pub(crate) fn new(rate: Rate) -> Bucket {
        let bucket = Bucket::with_all_cells(rate);
        // The spare cells are for late wakes, not for a bigger first burst.
        let _ = bucket.limiter.check_n(bucket.spare);
        bucket
    }

    fn with_all_cells(rate: Rate) -> Bucket {
        let interval = rate.interval().div_f64(HEADROOM);
        // `Rate` keeps its interval within 100 µs..1 day: at most 345,600
        // grains, and a cell of at least 100 µs.
        let cells = u32::try_from(interval.as_nanos().div_ceil(CELL_GRAIN.as_nanos()))
            .ok()
            .and_then(NonZeroU32::new)
            .unwrap_or(NonZeroU32::MIN);
        let cell = interval / cells.get();
        // Whole cells within the allowance, so it is never exceeded; at
        // least one, or a late wake could never be made up.
        let spare = u32::try_from(ALLOWANCE.as_nanos() / cell.as_nanos().max(1))
            .ok()
            .and_then(NonZeroU32::new)
            .unwrap_or(NonZeroU32::MIN);
        let capacity = rate
            .burst_nonzero()
            .saturating_mul(cells)
            .saturating_add(spare.get());
        let quota = Quota::with_period(cell)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
            .allow_burst(capacity);
        Bucket {
            limiter: RateLimiter::direct_with_clock(quota, TokioClock),
            cells,
            capacity,
            spare,
        }
    }

    /// A bucket for a changed rate with its burst already spent: a change
    /// of rate must never let a burst through, least of all after a 429.
    /// Also the bucket of a host whose request just left later than its
    /// token allowed: the next one is then an interval after it.
    pub(crate) fn drained(rate: Rate) -> Bucket {
        let bucket = Bucket::with_all_cells(rate);
        // A fresh bucket holds exactly `capacity` cells; the outcome carries nothing.
        let _ = bucket.limiter.check_n(bucket.capacity);
        bucket
    }

    /// Takes one request's token now, or says when one will be due.
    pub(crate) fn take(&self) -> Result<(), Instant> {
        match self.limiter.check_n(self.cells) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => Err(not_until.earliest_possible().0),
            // Never: the capacity is at least one request's cells.
            Err(_) => Err(Instant::now()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn admitted_at(bucket: &Bucket, sleep_extra: Duration, count: usize) -> Vec<u128> {
        let start = Instant::now();
        let mut at = Vec::new();
        while at.len() < count {
            match bucket.take() {
                Ok(()) => at.push((Instant::now() - start).as_micros()),
                Err(due) => tokio::time::sleep_until(due + sleep_extra).await,
            }
        }
        at
    }

    #[tokio::test(start_paused = true)]
    async fn the_burst_goes_at_once_then_the_rate() {
        let bucket = Bucket::new(Rate::every_millis(100, 2));
        let at = admitted_at(&bucket, Duration::ZERO, 4).await;
        // 100 ms less the headroom is 102.04 ms, on tokio's millisecond timer.
        assert_eq!(at, [0, 0, 103_000, 205_000]);
    }

    #[tokio::test(start_paused = true)]
    async fn late_wakes_do_not_slow_the_rate() {
        // Every wake is a millisecond late, yet requests keep to the 20 ms
        // schedule instead of drifting a millisecond each time.
        let bucket = Bucket::drained(Rate::every_millis(20, 1));
        let at = admitted_at(&bucket, Duration::from_millis(1), 6).await;
        // Due every 20.41 ms (20 ms less the headroom), each woken 1 ms late
        // and on the millisecond: the sixth leaves at 124 ms, not 6 × 21.4.
        assert_eq!(at, [22_000, 42_000, 63_000, 83_000, 104_000, 124_000]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_above_one_a_millisecond_is_reached() {
        // 10,000/s less the headroom: a thousand requests in 102 ms, though
        // each wait ends on a millisecond and a millisecond late.
        let bucket = Bucket::new(Rate::every_millis(1, 1).scaled(10.0));
        let at = admitted_at(&bucket, Duration::from_millis(1), 1001).await;
        assert!((102_000..=104_000).contains(&at[1000]), "{}", at[1000]);
    }

    #[tokio::test(start_paused = true)]
    async fn never_faster_than_the_rate_over_time() {
        let bucket = Bucket::new(Rate::every_millis(10, 1));
        let at = admitted_at(&bucket, Duration::ZERO, 101).await;
        let closest = at.windows(2).map(|pair| pair[1] - pair[0]).min();
        assert!(closest.is_some_and(|gap| gap >= 10_000), "{closest:?}");
        // 100 intervals of 10.2 ms (10 ms less the headroom).
        assert_eq!(at[100], 1_021_000);
    }
}
