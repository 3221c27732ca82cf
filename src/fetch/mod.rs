//! Politeness: every registry request of a run goes through one [`Gate`],
//! which keeps each host within its rate (a governor token bucket per host,
//! adapted on 429s), lets each host have as many requests in flight as its
//! rate times its latency needs (capped per host and overall), retries
//! with backoff and honours `Retry-After`.
//!
//! - [`rate`]: [`Rate`] and `--rate HOST=RATE` ([`RateOverride`]);
//! - [`rate_table`]: the built-in per-host rates and the defaults;
//! - [`host_key`]: which host a request counts against;
//! - [`retryable`]: the [`Retryable`] view of the clients' errors;
//! - [`backoff`], [`adapt`]: how long to wait, how the rate adapts;
//! - `in_flight`: how many requests a host may have waiting for answers;
//! - [`gate`]: the [`Gate`] and its configuration; [`give_up`]: why it stopped.
//!
//! The gate knows nothing of RDAP or WHOIS: a call is any future returning
//! a [`Retryable`] error, so the lookup decides what a request is.

pub mod adapt;
pub mod backoff;
mod bucket;
mod clock;
pub mod gate;
pub mod give_up;
mod host;
pub mod host_key;
mod in_flight;
pub mod rate;
pub mod rate_table;
pub mod retryable;

pub use adapt::AdaptConfig;
pub use backoff::Backoff;
pub use gate::{DEFAULT_CONCURRENCY, Gate, GateConfig};
pub use give_up::GiveUp;
pub use host::{Bound, HostSnapshot, RETRY_AFTER_CAP};
pub use host_key::HostKey;
pub use in_flight::HOST_IN_FLIGHT_CEILING;
pub use rate::{Rate, RateError, RateOverride, RateOverrideError};
pub use rate_table::{
    DEFAULT_RDAP_RATE, DEFAULT_WHOIS_RATE, KNOWN_HOSTS, KnownHost, RateOrigin, RateTable,
};
pub use retryable::Retryable;
