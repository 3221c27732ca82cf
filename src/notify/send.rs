//! [`Sender`]: one notification POSTed to one webhook, the way webhook
//! senders people trust do it, under the network rules of lookups.
//!
//! - The address policy of lookups: the URL is checked before any
//!   connection (https; plain http only to this machine with
//!   `--allow-loopback`) and host names resolve through
//!   [`PolicyResolver`], so neither a private address nor DNS rebinding is
//!   reached. No proxy, no redirect followed: a webhook that redirects is
//!   a failure to look at, not a hop to take with a secret in hand.
//! - A deadline per attempt (connect and whole request), retries with
//!   exponential backoff and full jitter on 5xx, 408, 429, resets,
//!   refused connections and timeouts, the receiver's `Retry-After`
//!   honoured up to [`SenderConfig::longest_wait`] (a longer one is a
//!   failure: the change is announced again next run). Other 4xx are final.
//! - The URL is never in an error: the target shows as `scheme://host/…`
//!   and reqwest's errors are stripped of it.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderName, HeaderValue};

use super::body::Body;
use super::target::Target;
use crate::fetch::Backoff;
use crate::net::resolve::{PolicyResolver, ResolveError};
use crate::net::{AddressPolicy, Refusal};
use crate::rdap::client::user_agent;
use crate::rdap::retry_after::parse_retry_after;

/// Bytes of a refusing receiver's body kept in the error.
const EXCERPT_BYTES: usize = 200;

/// How a [`Sender`] behaves; plain data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SenderConfig {
    pub policy: AddressPolicy,
    pub connect_timeout: Duration,
    /// Per attempt, the whole request and its answer.
    pub timeout: Duration,
    /// Attempts after the first.
    pub retries: u32,
    pub backoff: Backoff,
    /// The longest `Retry-After` waited for.
    pub longest_wait: Duration,
}

impl Default for SenderConfig {
    /// HTTPS to public addresses, 10 s to connect, 30 s an attempt, 3
    /// retries from 1 s doubling, `Retry-After` up to a minute.
    fn default() -> SenderConfig {
        SenderConfig {
            policy: AddressPolicy::STRICT,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Backoff {
                base: Duration::from_secs(1),
                max: Duration::from_secs(30),
            },
            longest_wait: Duration::from_secs(60),
        }
    }
}

/// Why a notification was not delivered. Every variant names the target
/// as `scheme://host/…`, never its URL.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SendError {
    /// The HTTP client could not be built (TLS setup): a bug or a broken
    /// system; report it.
    #[error("cannot set up the webhook client: {0}")]
    Setup(String),
    /// The network rules refuse the target (it resolves to a private
    /// address, or to loopback without `--allow-loopback`): give a public
    /// https URL.
    #[error("{target}: refused: {reason}")]
    Refused { target: String, reason: Refusal },
    /// The receiver answered with an error status: a 4xx says the URL or
    /// the token is wrong (fix `--notify`); a 5xx, 408 or 429 lasted
    /// through every retry (the change is announced again next run).
    #[error("{target}: HTTP {status} after {attempts} attempt{}{}", plural(*attempts), excerpt_text(excerpt))]
    Status {
        target: String,
        status: u16,
        attempts: u32,
        excerpt: String,
    },
    /// The receiver answered with a redirect: give the URL it redirects to.
    #[error("{target}: redirected (HTTP {status}); webhook redirects are not followed")]
    Redirected { target: String, status: u16 },
    /// No answer (connection refused or reset, timeout) through every retry.
    #[error("{target}: {detail} after {attempts} attempt{}", plural(*attempts))]
    Unreachable {
        target: String,
        detail: String,
        attempts: u32,
    },
    /// The receiver asked to wait longer than domlife waits: the change is
    /// announced again next run.
    #[error("{target}: asked to retry after {} s, longer than the {} s waited", wait.as_secs(), longest.as_secs())]
    WaitTooLong {
        target: String,
        wait: Duration,
        longest: Duration,
    },
}

impl SendError {
    /// Whether the network rules refused the target.
    pub fn is_refused(&self) -> bool {
        matches!(self, SendError::Refused { .. })
    }

    /// Whether a later run may succeed without changing anything (the
    /// receiver was down or busy).
    pub fn is_retryable(&self) -> bool {
        match self {
            SendError::Status { status, .. } => retryable_status(*status),
            SendError::Unreachable { .. } | SendError::WaitTooLong { .. } => true,
            SendError::Setup(_) | SendError::Refused { .. } | SendError::Redirected { .. } => false,
        }
    }
}

fn plural(count: u32) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn excerpt_text(excerpt: &str) -> String {
    if excerpt.is_empty() {
        String::new()
    } else {
        format!(": {excerpt}")
    }
}

fn retryable_status(status: u16) -> bool {
    status >= 500 || status == 408 || status == 429
}

/// Posts notifications. Clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Sender {
    http: reqwest::Client,
    config: SenderConfig,
}

/// One attempt that did not deliver, and whether to try again.
struct Failed {
    error: SendError,
    retry: bool,
    retry_after: Option<Duration>,
}

impl Sender {
    pub fn new(config: SenderConfig) -> Result<Sender, SendError> {
        let http = reqwest::Client::builder()
            .user_agent(user_agent())
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            // A proxy would connect on our behalf and bypass the address checks.
            .no_proxy()
            .dns_resolver(PolicyResolver::new(config.policy))
            .build()
            .map_err(|error| SendError::Setup(chain(&error.without_url())))?;
        Ok(Sender { http, config })
    }

    /// Delivers `body` to `target`, retrying what may pass; the number of
    /// attempts it took.
    pub async fn send(&self, target: &Target, body: &Body) -> Result<u32, SendError> {
        self.config
            .policy
            .check_url(target.url())
            .map_err(|reason| SendError::Refused {
                target: target.to_string(),
                reason,
            })?;
        let mut attempt = 1;
        loop {
            let failed = match self.attempt(target, body, attempt).await {
                Ok(()) => return Ok(attempt),
                Err(failed) => failed,
            };
            if !failed.retry || attempt > self.config.retries {
                return Err(failed.error);
            }
            let wait = match failed.retry_after {
                Some(wait) if wait > self.config.longest_wait => {
                    return Err(SendError::WaitTooLong {
                        target: target.to_string(),
                        wait,
                        longest: self.config.longest_wait,
                    });
                }
                Some(wait) => wait,
                None => self.config.backoff.full_jitter(attempt, fastrand::f64()),
            };
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, target: &Target, body: &Body, attempt: u32) -> Result<(), Failed> {
        let mut request = self
            .http
            .post(target.url().clone())
            .header(header::CONTENT_TYPE, body.content_type)
            .body(body.bytes.clone());
        for (name, value) in &body.headers {
            if let (Ok(name), Ok(value)) =
                (HeaderName::try_from(*name), HeaderValue::from_str(value))
            {
                request = request.header(name, value);
            }
        }
        let response = request
            .send()
            .await
            .map_err(|error| transport_failure(target, attempt, &error))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        if status.is_redirection() {
            return Err(Failed {
                error: SendError::Redirected {
                    target: target.to_string(),
                    status: status.as_u16(),
                },
                retry: false,
                retry_after: None,
            });
        }
        let retry_after = retry_after(&response, status);
        let excerpt = excerpt(response).await;
        Err(Failed {
            error: SendError::Status {
                target: target.to_string(),
                status: status.as_u16(),
                attempts: attempt,
                excerpt,
            },
            retry: retryable_status(status.as_u16()),
            retry_after,
        })
    }
}

/// The wait a 429 or 503 asks for.
fn retry_after(response: &reqwest::Response, status: StatusCode) -> Option<Duration> {
    if !matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    ) {
        return None;
    }
    let headers = response.headers();
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?;
    let date = headers
        .get(header::DATE)
        .and_then(|date| date.to_str().ok());
    parse_retry_after(value, date, SystemTime::now())
}

/// The start of an error body, printable on one line.
async fn excerpt(mut response: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < EXCERPT_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    bytes.truncate(EXCERPT_BYTES);
    let text = String::from_utf8_lossy(&bytes);
    let words: Vec<&str> = text.split_whitespace().collect();
    crate::escape::printable(&words.join(" ")).into_owned()
}

fn transport_failure(target: &Target, attempt: u32, error: &reqwest::Error) -> Failed {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if let Some(ResolveError::Refused(reason)) = current.downcast_ref::<ResolveError>() {
            return Failed {
                error: SendError::Refused {
                    target: target.to_string(),
                    reason: reason.clone(),
                },
                retry: false,
                retry_after: None,
            };
        }
        source = current.source();
    }
    let detail = if error.is_timeout() {
        "no answer in time".to_owned()
    } else {
        reqwest_error_without_url(error)
    };
    Failed {
        error: SendError::Unreachable {
            target: target.to_string(),
            detail,
            attempts: attempt,
        },
        retry: true,
        retry_after: None,
    }
}

/// reqwest's error text names the URL; this one does not.
fn reqwest_error_without_url(error: &reqwest::Error) -> String {
    let mut text = String::from("cannot connect");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// An error and its sources on one line.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests;
