//! [`FetchError`]: everything that can go wrong fetching an RDAP URL, typed
//! so the scheduler decides with predicates (`is_retryable()`,
//! `is_rate_limited()`, `retry_after()`) and never by reading messages.
//!
//! Each variant keeps the URL it concerns and, for an HTTP answer, the start
//! of the body as evidence (control characters removed, so it is safe to
//! print).

use std::time::Duration;

use crate::net::Refusal;

/// Why a fetch produced no document.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    /// The safety policy refused the URL (scheme, address, or what its host
    /// resolves to), before any connection. `via` is the URL that redirected
    /// here, if any. Not retryable: check the bootstrap entry or the
    /// referral, or pass `--allow-loopback` for a server on this machine.
    #[error("refused {url}{}: {reason}", via_suffix(.via))]
    Refused {
        url: String,
        via: Option<String>,
        reason: Refusal,
    },
    /// 429: the server wants us to slow down. Retry after `retry_after`
    /// (when it said) and lower the request rate for this host.
    #[error("rate limited by {url} (429){}", retry_suffix(*.retry_after))]
    RateLimited {
        url: String,
        retry_after: Option<Duration>,
        excerpt: String,
    },
    /// 5xx: the server failed. Retry later; a 503 may carry a `Retry-After`.
    #[error("server error {status} from {url}: {excerpt:?}")]
    Server {
        url: String,
        status: u16,
        retry_after: Option<Duration>,
        excerpt: String,
    },
    /// Any other unexpected status (400, 403, 410, an unfollowable 3xx...).
    /// Not retryable: the request or the server's configuration is wrong.
    #[error("unexpected status {status} from {url}: {excerpt:?}")]
    Status {
        url: String,
        status: u16,
        excerpt: String,
    },
    /// The connect or total deadline passed. Retryable; raise
    /// `--timeout` for a slow server.
    #[error("timed out fetching {url}")]
    Timeout { url: String },
    /// The connection failed or broke (refused, reset, TLS failure, name
    /// that does not resolve). Retryable.
    #[error("connection to {url} failed: {detail}")]
    Connection { url: String, detail: String },
    /// The body is larger than the configured cap; not retryable.
    #[error("response from {url} exceeds {limit} bytes")]
    TooLarge { url: String, limit: usize },
    /// More redirects than the configured bound; not retryable.
    #[error("more than {limit} redirects, last from {url}")]
    TooManyRedirects { url: String, limit: usize },
    /// A redirect without a usable `Location` header; not retryable.
    #[error("redirect {status} from {url} has no usable Location ({location:?})")]
    BadRedirect {
        url: String,
        status: u16,
        location: Option<String>,
    },
    /// The HTTP client could not be built (TLS roots, invalid header). A
    /// setup problem, not a server one.
    #[error("cannot set up the HTTP client: {0}")]
    Setup(String),
}

fn via_suffix(via: &Option<String>) -> String {
    via.as_ref()
        .map(|via| format!(" (redirected from {via})"))
        .unwrap_or_default()
}

fn retry_suffix(retry_after: Option<Duration>) -> String {
    retry_after
        .map(|wait| format!(", retry after {} s", wait.as_secs()))
        .unwrap_or_default()
}

impl FetchError {
    /// Whether trying the same URL again later can succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            FetchError::RateLimited { .. }
                | FetchError::Server { .. }
                | FetchError::Timeout { .. }
                | FetchError::Connection { .. }
        )
    }

    /// Whether the server asked us to slow down (429).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, FetchError::RateLimited { .. })
    }

    /// Whether the safety policy refused the target.
    pub fn is_refused(&self) -> bool {
        matches!(self, FetchError::Refused { .. })
    }

    /// The wait the server asked for (`Retry-After` on a 429 or 5xx).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::RateLimited { retry_after, .. }
            | FetchError::Server { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The HTTP status, when the server answered with one.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::RateLimited { .. } => Some(429),
            FetchError::Server { status, .. }
            | FetchError::Status { status, .. }
            | FetchError::BadRedirect { status, .. } => Some(*status),
            _ => None,
        }
    }
}
