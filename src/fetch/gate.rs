//! [`Gate`]: the one door every registry request of a run goes through. It
//! holds a host state per server (created on first use from the
//! [`RateTable`]), the global cap on requests in flight, and the retry
//! policy: [`Gate::call`] waits for the host's turn, sends, and on a
//! retryable error waits (backoff, `Retry-After`) and sends again, or gives
//! up with a [`GiveUp`] that says why.
//!
//! Two budgets bound the retries. Failures (5xx, timeouts, resets) may be
//! retried `retries` times. "Too many requests" answers are not failures of
//! the request but the server pacing us, so they do not use that budget; the
//! host is slowed down instead, and the request keeps its place until the
//! waits it was asked to make add up to the run's `patience`.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::sync::Semaphore;

use super::adapt::AdaptConfig;
use super::backoff::Backoff;
use super::give_up::GiveUp;
use super::host::{Denied, Host, HostSnapshot, RETRY_AFTER_CAP, resume_at};
use super::host_key::HostKey;
use super::in_flight::{HOST_IN_FLIGHT_CEILING, InFlightRule};
use super::rate::Rate;
use super::rate_table::{RateOrigin, RateTable};
use super::retryable::Retryable;

/// How the gate paces a run: plain data, built once from the command line.
#[derive(Debug, Clone)]
pub struct GateConfig {
    /// Starting rate of each host.
    pub rates: RateTable,
    /// Requests in flight at once, all hosts together (at least 1): bounds
    /// the run's sockets and memory.
    pub concurrency: usize,
    /// The most requests in flight at once to one host (at least 1). Each
    /// host has as many as its rate times its latency needs (see
    /// [`super::in_flight`]), up to this or, when `None`,
    /// [`HOST_IN_FLIGHT_CEILING`].
    pub per_host_concurrency: Option<usize>,
    /// Retries of a request that failed (5xx, timeout, reset).
    pub retries: u32,
    pub backoff: Backoff,
    /// The longest a request waits on a server's say-so: a `Retry-After`
    /// or a host pause beyond it, or rate-limit waits adding up past it,
    /// end the request with a [`GiveUp`].
    pub patience: Duration,
    pub adapt: AdaptConfig,
    /// When set, hosts with no known rate (neither `--rate` nor the built-in
    /// table) start at the protocol default and may climb to this rate while
    /// they answer without 429s, to find limits nobody wrote down.
    pub discover: Option<Rate>,
}

impl Default for GateConfig {
    /// 256 requests in flight, per host as its rate and latency need, 3
    /// retries, 5 minutes' patience, built-in rates, no discovery.
    fn default() -> Self {
        GateConfig {
            rates: RateTable::default(),
            concurrency: DEFAULT_CONCURRENCY,
            per_host_concurrency: None,
            retries: 3,
            backoff: Backoff::default(),
            patience: Duration::from_secs(300),
            adapt: AdaptConfig::default(),
            discover: None,
        }
    }
}

/// Requests in flight at once, all hosts together, unless `--concurrency`
/// says otherwise: two hosts at the per-host ceiling.
pub const DEFAULT_CONCURRENCY: usize = 2 * HOST_IN_FLIGHT_CEILING;

/// Lookups a run keeps going at once for each request the gate lets fly...
const LOOKUPS_PER_REQUEST_SLOT: usize = 16;
/// ...up to this many, which bounds the memory they hold.
const MAX_LOOKUPS_IN_FLIGHT: usize = 4096;

impl GateConfig {
    /// How many lookups a run should keep started at once. Far more than
    /// requests may fly: a lookup waiting for a slow host's token must not
    /// hold back names of other hosts queued behind it in the list, so the
    /// window is wide enough to hold many hosts' worth of waiting names.
    /// Not wider: every lookup started does its first work (bootstrap, the
    /// store) at once, and at 64 per slot that burst of work at the start
    /// delayed sends enough for a registry at its limit to see two requests
    /// too close together (measured: 429s in the `known` bench scenario).
    pub fn lookups_in_flight(&self) -> usize {
        self.concurrency
            .max(1)
            .saturating_mul(LOOKUPS_PER_REQUEST_SLOT)
            .min(MAX_LOOKUPS_IN_FLIGHT)
            .max(self.concurrency)
    }
}

/// Per-host rate limits, concurrency caps and retries for a run. Cheap to
/// clone; clones share every host's state.
#[derive(Debug, Clone)]
pub struct Gate {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: GateConfig,
    global: Semaphore,
    hosts: Mutex<HashMap<HostKey, Arc<Host>>>,
}

impl Gate {
    pub fn new(config: GateConfig) -> Gate {
        let global = Semaphore::new(config.concurrency.clamp(1, Semaphore::MAX_PERMITS));
        Gate {
            inner: Arc::new(Inner {
                config,
                global,
                hosts: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Sends one request to `host` through the gate: `op` is called once per
    /// attempt, when the host's pause, slots and rate allow, and again after
    /// a retryable error, until it succeeds or the gate gives up.
    ///
    /// Never retries sooner than a `Retry-After` asked (a value over
    /// [`RETRY_AFTER_CAP`] counts as the cap). Dropping the returned future
    /// cancels the request and frees its slots.
    pub async fn call<T, E, F, Fut>(&self, host: &HostKey, mut op: F) -> Result<T, GiveUp<E>>
    where
        E: Retryable,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let config = &self.inner.config;
        let state = self.host(host);
        let mut attempts = 0;
        let mut failures = 0;
        let mut refusals = 0;
        let mut waited = Duration::ZERO;
        let mut last = None;
        loop {
            let admission = match state.admit(&self.inner.global, config.patience).await {
                Ok(admission) => admission,
                Err(Denied::Paused {
                    remaining,
                    resume_at,
                }) => {
                    return Err(GiveUp::HostPaused {
                        attempts,
                        host: host.clone(),
                        remaining,
                        resume_at,
                        last,
                    });
                }
                Err(Denied::Closed) => return Err(GiveUp::Closed { attempts, last }),
            };
            attempts += 1;
            let outcome = op().await;
            let (generation, latency) = (admission.generation, admission.sent_at.elapsed());
            drop(admission);
            let error = match outcome {
                Ok(value) => {
                    state.record_latency(latency);
                    state.record_success(generation);
                    return Ok(value);
                }
                Err(error) => error,
            };
            // An answer, even a refusal, says how long the server takes; a
            // timeout or a reset says nothing of that, and must not raise
            // the host's requests in flight.
            if error.is_rate_limited() || !error.is_retryable() {
                state.record_latency(latency);
            }
            if error.is_rate_limited() {
                state.record_rate_limited(generation, error.retry_after());
            }
            if !error.is_retryable() {
                return Err(GiveUp::Failed { attempts, error });
            }
            let asked = error
                .retry_after()
                .map(|wait| wait.min(RETRY_AFTER_CAP))
                .unwrap_or_default();
            if asked > config.patience {
                return Err(GiveUp::WaitTooLong {
                    attempts,
                    asked,
                    resume_at: error.retry_after().and_then(resume_at),
                    patience: config.patience,
                    error,
                });
            }
            let wait = if error.is_rate_limited() {
                refusals += 1;
                let wait = asked.max(config.backoff.equal_jitter(refusals, fastrand::f64()));
                if waited + wait > config.patience {
                    return Err(GiveUp::OutOfPatience {
                        attempts,
                        waited,
                        error,
                    });
                }
                wait
            } else {
                failures += 1;
                if failures > config.retries {
                    return Err(GiveUp::RetriesExhausted { attempts, error });
                }
                asked.max(config.backoff.full_jitter(failures, fastrand::f64()))
            };
            waited += wait;
            last = Some(error);
            let _backing_off = state.backing_off();
            tokio::time::sleep(wait).await;
        }
    }

    /// What every host seen so far is doing, ordered by host.
    pub fn snapshot(&self) -> Vec<HostSnapshot> {
        let mut hosts: Vec<HostSnapshot> =
            self.hosts().values().map(|host| host.snapshot()).collect();
        hosts.sort_by(|a, b| a.host.host().cmp(b.host.host()));
        hosts
    }

    /// Stops admitting requests: every call waiting for a slot, and every
    /// later attempt, gives up with [`GiveUp::Closed`]. Requests already
    /// sent finish. Used when the run is interrupted.
    pub fn close(&self) {
        self.inner.global.close();
        for host in self.hosts().values() {
            host.close();
        }
    }

    fn hosts(&self) -> std::sync::MutexGuard<'_, HashMap<HostKey, Arc<Host>>> {
        // The map is only ever inserted into, so a poisoned lock still holds a valid map.
        self.inner
            .hosts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn host(&self, key: &HostKey) -> Arc<Host> {
        let config = &self.inner.config;
        let mut hosts = self.hosts();
        if let Some(host) = hosts.get(key) {
            return Arc::clone(host);
        }
        let (start, origin) = config.rates.rate_for(key);
        let (start, ceiling) = match (origin, config.discover) {
            // Nobody knows this host's limit: no burst either, since a burst
            // is the likeliest thing for an unknown limit to refuse.
            (RateOrigin::Default, Some(discover)) => (start.with_burst(1), discover),
            _ => (start, start),
        };
        let host = Arc::new(Host::new(
            key.clone(),
            start,
            ceiling,
            config.adapt,
            InFlightRule::new(config.per_host_concurrency),
        ));
        if self.inner.global.is_closed() {
            host.close();
        }
        hosts.insert(key.clone(), Arc::clone(&host));
        host
    }
}

#[cfg(test)]
mod tests;
