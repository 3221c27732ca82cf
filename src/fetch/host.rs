//! [`Host`]: everything the gate keeps for one server: its token bucket
//! (a [`Bucket`] rebuilt whenever the adaptive rate changes), its
//! pause (a `Retry-After` holds every queued request of the host), its
//! request slots (as many as its rate times its latency needs, see
//! [`super::in_flight`]), its FIFO queue for tokens, and the counters the
//! progress display reads.
//!
//! A request is admitted in this order, each wait touching only this host
//! until the last: the pause, a host slot, the host's turn in its queue and
//! a token, then a global slot. Nothing a host waits for holds a global slot,
//! so a slow or paused host never delays another. The host keeps its turn
//! while it waits for the global slot, and a request that got its global
//! slot later than its token starts the host's schedule again from the
//! moment it leaves: when the run's cap is the bottleneck a host's requests
//! leave later, never closer together than its rate.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::{Semaphore, SemaphorePermit, TryAcquireError};
use tokio::time::{Instant, sleep_until};

use super::adapt::{AdaptConfig, Adaptive};
use super::bucket::Bucket;
use super::host_key::HostKey;
use super::in_flight::{InFlightRule, Latency, Slot, Slots};
use super::rate::Rate;

/// The longest `Retry-After` taken at its word; longer values (some servers
/// send years, or garbage that saturates) are treated as this, one day.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(24 * 60 * 60);

/// The wall-clock time `wait` from now, uncapped; `None` past what a date
/// can hold (a server that sent garbage).
pub(crate) fn resume_at(wait: Duration) -> Option<DateTime<Utc>> {
    TimeDelta::from_std(wait)
        .ok()
        .and_then(|wait| Utc::now().checked_add_signed(wait))
}

/// What one host is doing, for a progress display.
#[derive(Debug, Clone, PartialEq)]
pub struct HostSnapshot {
    pub host: HostKey,
    /// Requests sent and not yet answered.
    pub in_flight: usize,
    /// How many may be: the host's rate times its latency, within bounds.
    pub in_flight_limit: usize,
    /// Requests queued for a pause, a slot, a token or a global slot.
    pub waiting: usize,
    /// Requests sleeping before a retry.
    pub backing_off: usize,
    /// How much longer the host is paused by a `Retry-After`, if it is.
    pub paused_for: Option<Duration>,
    /// The rate requests are sent at now.
    pub rate: Rate,
    /// The rate the host recovers to.
    pub ceiling: Rate,
    /// The smoothed time the host takes to answer, once it has.
    pub latency: Option<Duration>,
    /// What holds the host's requests back now, if anything does.
    pub bound: Option<Bound>,
    /// Requests sent so far (retries included).
    pub sent: u64,
    /// Answers that said "too many requests".
    pub rate_limited: u64,
}

/// What a host's waiting requests wait for: why it goes no faster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The server asked us to wait (`Retry-After`, or a quota answer).
    RetryAfter,
    /// The host's rate: requests wait for their token.
    Rate,
    /// The host's requests in flight: as many as its rate times latency
    /// (or `--host-concurrency`) are out.
    InFlight,
    /// The run's cap on requests in flight (`--concurrency`).
    Concurrency,
}

impl std::fmt::Display for Bound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Bound::RetryAfter => "Retry-After",
            Bound::Rate => "rate limit",
            Bound::InFlight => "in-flight cap",
            Bound::Concurrency => "--concurrency",
        })
    }
}

/// Why a request was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// The host is paused for `remaining` longer, more than the caller's
    /// patience, because the server asked not to be asked before
    /// `resume_at` (`None`: a time too far to write down).
    Paused {
        remaining: Duration,
        resume_at: Option<DateTime<Utc>>,
    },
    /// The gate was closed.
    Closed,
}

/// The right to send one request; dropping it frees the slots.
pub(crate) struct Admission<'a> {
    /// The adaptive generation the request is sent in.
    pub(crate) generation: u64,
    /// When it left, for the host's latency.
    pub(crate) sent_at: Instant,
    _in_flight: Counted<'a>,
    _host_slot: Slot<'a>,
    _global_slot: SemaphorePermit<'a>,
}

/// The pacing state, changed together under one lock.
struct Pace {
    adaptive: Adaptive,
    bucket: Bucket,
    paused_until: Option<Instant>,
    /// When the server said it may be asked again, uncapped, by the wall
    /// clock: what a name given up on is told.
    resume_at: Option<DateTime<Utc>>,
    latency: Latency,
}

/// Requests of a host at each stage of their admission.
#[derive(Default)]
struct Stages {
    for_slot: AtomicUsize,
    for_token: AtomicUsize,
    for_global: AtomicUsize,
}

pub(crate) struct Host {
    key: HostKey,
    slots: Slots,
    rule: InFlightRule,
    /// Serialises token waits so the host's requests leave in arrival order.
    queue: tokio::sync::Mutex<()>,
    pace: Mutex<Pace>,
    in_flight: AtomicUsize,
    waiting: AtomicUsize,
    stages: Stages,
    backing_off: AtomicUsize,
    sent: AtomicU64,
    rate_limited: AtomicU64,
}

impl Host {
    pub(crate) fn new(
        key: HostKey,
        start: Rate,
        ceiling: Rate,
        adapt: AdaptConfig,
        rule: InFlightRule,
    ) -> Host {
        let latency = Latency::default();
        Host {
            key,
            slots: Slots::new(rule.limit(start, &latency)),
            rule,
            queue: tokio::sync::Mutex::new(()),
            pace: Mutex::new(Pace {
                adaptive: Adaptive::new(adapt, start, ceiling),
                bucket: Bucket::new(start),
                paused_until: None,
                resume_at: None,
                latency,
            }),
            in_flight: AtomicUsize::new(0),
            waiting: AtomicUsize::new(0),
            stages: Stages::default(),
            backing_off: AtomicUsize::new(0),
            sent: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
        }
    }

    fn pace(&self) -> MutexGuard<'_, Pace> {
        // The state stays consistent even if a holder panicked: every update is one assignment.
        self.pace.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for this host's pause, slot and token, then for a global slot.
    pub(crate) async fn admit<'a>(
        &'a self,
        global: &'a Semaphore,
        patience: Duration,
    ) -> Result<Admission<'a>, Denied> {
        let waiting = Counted::new(&self.waiting);
        self.wait_out_pause(patience).await?;
        let host_slot = {
            let _stage = Counted::new(&self.stages.for_slot);
            self.slots.acquire().await.map_err(|_| Denied::Closed)?
        };
        let (turn, generation) = {
            let _stage = Counted::new(&self.stages.for_token);
            let turn = self.queue.lock().await;
            (turn, self.take_token(patience).await?)
        };
        let global_slot = self.global_slot(global).await?;
        drop(turn);
        drop(waiting);
        self.sent.fetch_add(1, Ordering::Relaxed);
        Ok(Admission {
            generation,
            sent_at: Instant::now(),
            _in_flight: Counted::new(&self.in_flight),
            _host_slot: host_slot,
            _global_slot: global_slot,
        })
    }

    /// Waits for the host's next token (and out any pause that comes up
    /// meanwhile); the adaptive generation the request leaves in.
    async fn take_token(&self, patience: Duration) -> Result<u64, Denied> {
        loop {
            // A 429 may have paused the host while this request queued.
            self.wait_out_pause(patience).await?;
            let decision = {
                let pace = self.pace();
                pace.bucket.take().map(|()| pace.adaptive.generation())
            };
            match decision {
                Ok(generation) => return Ok(generation),
                Err(due) => sleep_until(due).await,
            }
        }
    }

    /// A global slot for a request holding its token. One that is not free
    /// at once makes the request leave late: the host's schedule then
    /// restarts when it leaves, so the next request cannot follow it
    /// closer than the rate.
    async fn global_slot<'a>(&self, global: &'a Semaphore) -> Result<SemaphorePermit<'a>, Denied> {
        match global.try_acquire() {
            Ok(permit) => Ok(permit),
            Err(TryAcquireError::Closed) => Err(Denied::Closed),
            Err(TryAcquireError::NoPermits) => {
                let permit = {
                    let _stage = Counted::new(&self.stages.for_global);
                    global.acquire().await.map_err(|_| Denied::Closed)?
                };
                let mut pace = self.pace();
                pace.bucket = Bucket::drained(pace.adaptive.rate());
                Ok(permit)
            }
        }
    }
    async fn wait_out_pause(&self, patience: Duration) -> Result<(), Denied> {
        loop {
            let (paused_until, resume_at) = {
                let pace = self.pace();
                (pace.paused_until, pace.resume_at)
            };
            let Some(until) = paused_until else {
                return Ok(());
            };
            let remaining = until.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Ok(());
            }
            if remaining > patience {
                return Err(Denied::Paused {
                    remaining,
                    resume_at,
                });
            }
            sleep_until(until).await;
        }
    }

    /// A request of `generation` was answered "too many requests": slow the
    /// host down and, when the server said how long, pause it that long.
    pub(crate) fn record_rate_limited(&self, generation: u64, retry_after: Option<Duration>) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
        let mut pace = self.pace();
        if let Some(wait) = retry_after {
            let until = Instant::now() + wait.min(RETRY_AFTER_CAP);
            if pace.paused_until.is_none_or(|old| until >= old) {
                pace.paused_until = Some(until);
                pace.resume_at = resume_at(wait);
            }
        }
        if let Some(rate) = pace.adaptive.rate_limited(generation) {
            pace.bucket = Bucket::drained(rate);
            self.fit_slots(&pace);
        }
    }

    /// A request of `generation` succeeded: count it towards recovery.
    pub(crate) fn record_success(&self, generation: u64) {
        let mut pace = self.pace();
        if let Some(rate) = pace.adaptive.succeeded(generation) {
            pace.bucket = Bucket::drained(rate);
            self.fit_slots(&pace);
        }
    }

    /// The server answered (whatever it said) after `latency`.
    pub(crate) fn record_latency(&self, latency: Duration) {
        let mut pace = self.pace();
        pace.latency.observe(latency);
        self.fit_slots(&pace);
    }

    /// Sizes the host's slots to its rate times its latency.
    fn fit_slots(&self, pace: &Pace) {
        self.slots
            .resize(self.rule.limit(pace.adaptive.rate(), &pace.latency));
    }

    /// Counts the caller as backing off until the guard drops.
    pub(crate) fn backing_off(&self) -> Counted<'_> {
        Counted::new(&self.backing_off)
    }

    pub(crate) fn close(&self) {
        self.slots.close();
    }

    pub(crate) fn snapshot(&self) -> HostSnapshot {
        let pace = self.pace();
        let paused_for = pace
            .paused_until
            .map(|until| until.saturating_duration_since(Instant::now()))
            .filter(|remaining| !remaining.is_zero());
        HostSnapshot {
            host: self.key.clone(),
            in_flight: self.in_flight.load(Ordering::Relaxed),
            in_flight_limit: self.slots.limit(),
            waiting: self.waiting.load(Ordering::Relaxed),
            backing_off: self.backing_off.load(Ordering::Relaxed),
            paused_for,
            rate: pace.adaptive.rate(),
            ceiling: pace.adaptive.ceiling(),
            latency: pace.latency.smoothed(),
            bound: self.bound(paused_for.is_some()),
            sent: self.sent.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
        }
    }

    /// The furthest stage requests wait at: a request waiting for a global
    /// slot holds the host's turn, and those waiting for a turn hold slots.
    fn bound(&self, paused: bool) -> Option<Bound> {
        let waiting_at = |stage: &AtomicUsize| stage.load(Ordering::Relaxed) > 0;
        if paused {
            Some(Bound::RetryAfter)
        } else if waiting_at(&self.stages.for_global) {
            Some(Bound::Concurrency)
        } else if waiting_at(&self.stages.for_token) {
            Some(Bound::Rate)
        } else if waiting_at(&self.stages.for_slot) {
            Some(Bound::InFlight)
        } else {
            None
        }
    }
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Host").field(&self.snapshot()).finish()
    }
}

/// An atomic counter held up while the guard lives.
pub(crate) struct Counted<'a>(&'a AtomicUsize);

impl<'a> Counted<'a> {
    fn new(counter: &'a AtomicUsize) -> Counted<'a> {
        counter.fetch_add(1, Ordering::Relaxed);
        Counted(counter)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Protocol;

    fn host(rate: Rate) -> Host {
        Host::new(
            HostKey::new(Protocol::Rdap, "rdap.example"),
            rate,
            rate,
            AdaptConfig::default(),
            InFlightRule::new(Some(4)),
        )
    }

    #[tokio::test(start_paused = true)]
    async fn tokens_follow_the_rate_after_the_burst() {
        let host = host(Rate::every_millis(100, 2));
        let global = Semaphore::new(10);
        let start = Instant::now();
        let mut admitted_at = Vec::new();
        for _ in 0..4 {
            let admission = host.admit(&global, Duration::from_secs(60)).await;
            assert!(admission.is_ok());
            admitted_at.push(Instant::now() - start);
        }
        let millis: Vec<u128> = admitted_at.iter().map(Duration::as_millis).collect();
        // 100 ms less the 2% headroom, on the millisecond timer.
        assert_eq!(millis, [0, 0, 103, 205]);
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_change_lets_no_burst_through() {
        let host = host(Rate::every_millis(100, 5));
        let global = Semaphore::new(10);
        // The first refusal takes the burst away, the second cuts the rate
        // to 7.5/s: 136 ms apart with the headroom, on tokio's millisecond timer.
        host.record_rate_limited(0, None);
        host.record_rate_limited(1, None);
        let start = Instant::now();
        for expected in [137, 273] {
            let admission = host.admit(&global, Duration::from_secs(60)).await;
            assert!(admission.is_ok());
            assert_eq!((Instant::now() - start).as_millis(), expected);
        }
        assert_eq!(host.snapshot().rate.interval().as_millis(), 133);
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_beyond_patience_is_refused_at_once() {
        let host = host(Rate::every_millis(100, 1));
        let global = Semaphore::new(10);
        host.record_rate_limited(0, Some(Duration::from_secs(120)));
        let denied = host.admit(&global, Duration::from_secs(60)).await.err();
        let Some(Denied::Paused {
            remaining,
            resume_at,
        }) = denied
        else {
            panic!("expected a pause, got {denied:?}");
        };
        assert_eq!(remaining, Duration::from_secs(120));
        let asked = resume_at.unwrap() - Utc::now();
        assert!((118..=120).contains(&asked.num_seconds()), "{asked}");
        let snapshot = host.snapshot();
        assert_eq!(snapshot.paused_for, Some(Duration::from_secs(120)));
        assert_eq!((snapshot.waiting, snapshot.rate_limited), (0, 1));
    }
}
