//! [`GiveUp`]: why the gate stopped asking for one request, with the
//! number of attempts and the last error, so a result can say exactly what
//! happened ("rate limited by ... after 5 attempts, waited 300 s").

use std::error::Error;
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};

use super::host_key::HostKey;

/// The gate gave up on a request.
#[derive(Debug)]
pub enum GiveUp<E> {
    /// The request failed in a way asking again cannot fix (refused
    /// address, 4xx, oversized answer). Fix the cause the error names.
    Failed { attempts: u32, error: E },
    /// Still failing after the allowed retries (5xx, timeouts, resets): the
    /// host is down or overloaded. Run again later or raise `--retries`.
    RetriesExhausted { attempts: u32, error: E },
    /// The server asked us to wait (`Retry-After`) longer than the run's
    /// patience: `asked` (capped at a day) from now, until `resume_at` by
    /// the wall clock (`None`: too far to write down). Run again after that
    /// time.
    WaitTooLong {
        attempts: u32,
        asked: Duration,
        resume_at: Option<DateTime<Utc>>,
        patience: Duration,
        error: E,
    },
    /// The server kept answering "too many requests" until this request had
    /// waited the run's patience. Lower the host's `--rate`.
    OutOfPatience {
        attempts: u32,
        waited: Duration,
        error: E,
    },
    /// The host is paused by an earlier `Retry-After` for longer than the
    /// run's patience, so the request was not sent (again). The server asked
    /// not to be asked before `resume_at` (`None`: too far to write down).
    /// Run again after that time.
    HostPaused {
        attempts: u32,
        host: HostKey,
        remaining: Duration,
        resume_at: Option<DateTime<Utc>>,
        last: Option<E>,
    },
    /// The gate was closed (the run is stopping); the request was not sent (again).
    Closed { attempts: u32, last: Option<E> },
}

impl<E> GiveUp<E> {
    /// How many times the request was sent.
    pub fn attempts(&self) -> u32 {
        match self {
            GiveUp::Failed { attempts, .. }
            | GiveUp::RetriesExhausted { attempts, .. }
            | GiveUp::WaitTooLong { attempts, .. }
            | GiveUp::OutOfPatience { attempts, .. }
            | GiveUp::HostPaused { attempts, .. }
            | GiveUp::Closed { attempts, .. } => *attempts,
        }
    }

    /// The error of the last attempt, if one was made.
    pub fn last_error(&self) -> Option<&E> {
        match self {
            GiveUp::Failed { error, .. }
            | GiveUp::RetriesExhausted { error, .. }
            | GiveUp::WaitTooLong { error, .. }
            | GiveUp::OutOfPatience { error, .. } => Some(error),
            GiveUp::HostPaused { last, .. } | GiveUp::Closed { last, .. } => last.as_ref(),
        }
    }
}

/// "until 2026-12-07T06:50:00Z" or, for a time past what a date can hold,
/// "for longer than can be written".
fn until(resume_at: Option<DateTime<Utc>>) -> String {
    match resume_at {
        Some(time) => format!("until {}", time.to_rfc3339_opts(SecondsFormat::Secs, true)),
        None => "for longer than a date can say".to_owned(),
    }
}

fn tries(attempts: u32) -> String {
    match attempts {
        1 => "1 attempt".to_owned(),
        n => format!("{n} attempts"),
    }
}

/// "not sent" or "not sent again after N attempts", and the last error.
fn not_sent<E: fmt::Display>(attempts: u32, last: &Option<E>) -> String {
    let mut text = match attempts {
        0 => "not sent".to_owned(),
        n => format!("not sent again after {}", tries(n)),
    };
    if let Some(error) = last {
        text.push_str(&format!("; last error: {error}"));
    }
    text
}

impl<E: fmt::Display> fmt::Display for GiveUp<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GiveUp::Failed { attempts, error } => {
                write!(f, "{error} (not retryable, {})", tries(*attempts))
            }
            GiveUp::RetriesExhausted { attempts, error } => {
                write!(f, "{error} (gave up after {})", tries(*attempts))
            }
            GiveUp::WaitTooLong {
                attempts,
                asked,
                resume_at,
                patience,
                error,
            } => write!(
                f,
                "{error} (the server asked to wait {} ({} s), more than the {} s patience; gave up after {})",
                until(*resume_at),
                asked.as_secs(),
                patience.as_secs(),
                tries(*attempts)
            ),
            GiveUp::OutOfPatience {
                attempts,
                waited,
                error,
            } => write!(
                f,
                "{error} (still rate limited after waiting {} s; gave up after {})",
                waited.as_secs(),
                tries(*attempts)
            ),
            GiveUp::HostPaused {
                attempts,
                host,
                remaining,
                resume_at,
                last,
            } => write!(
                f,
                "{host} asked to wait {} (paused for {} s more), beyond the run's patience: {}",
                until(*resume_at),
                remaining.as_secs(),
                not_sent(*attempts, last)
            ),
            GiveUp::Closed { attempts, last } => write!(
                f,
                "the run stopped before the request was sent: {}",
                not_sent(*attempts, last)
            ),
        }
    }
}

/// The last error is part of the message rather than the source, so a
/// one-line report (`{error}`) already says everything; callers who need the
/// typed error take it with [`GiveUp::last_error`].
impl<E: Error> Error for GiveUp<E> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Protocol;
    use rstest::rstest;

    const ERROR: &str = "server error 503 from https://rdap.example/";

    fn at(text: &str) -> Option<DateTime<Utc>> {
        Some(text.parse().unwrap())
    }

    fn host() -> HostKey {
        HostKey::new(Protocol::Rdap, "rdap.example")
    }

    #[rstest]
    #[case(GiveUp::Failed { attempts: 1, error: ERROR },
           "server error 503 from https://rdap.example/ (not retryable, 1 attempt)")]
    #[case(GiveUp::RetriesExhausted { attempts: 4, error: ERROR },
           "server error 503 from https://rdap.example/ (gave up after 4 attempts)")]
    #[case(GiveUp::WaitTooLong { attempts: 1, asked: Duration::from_secs(3600), resume_at: at("2026-12-07T06:50:00Z"), patience: Duration::from_secs(300), error: ERROR },
           "server error 503 from https://rdap.example/ (the server asked to wait until 2026-12-07T06:50:00Z (3600 s), more than the 300 s patience; gave up after 1 attempt)")]
    #[case(GiveUp::WaitTooLong { attempts: 1, asked: Duration::from_secs(86400), resume_at: None, patience: Duration::from_secs(300), error: ERROR },
           "server error 503 from https://rdap.example/ (the server asked to wait for longer than a date can say (86400 s), more than the 300 s patience; gave up after 1 attempt)")]
    #[case(GiveUp::OutOfPatience { attempts: 9, waited: Duration::from_millis(299_900), error: ERROR },
           "server error 503 from https://rdap.example/ (still rate limited after waiting 299 s; gave up after 9 attempts)")]
    #[case(GiveUp::HostPaused { attempts: 0, host: host(), remaining: Duration::from_secs(600), resume_at: at("2026-12-08T00:00:00Z"), last: None },
           "rdap.example (rdap) asked to wait until 2026-12-08T00:00:00Z (paused for 600 s more), beyond the run's patience: not sent")]
    #[case(GiveUp::HostPaused { attempts: 2, host: host(), remaining: Duration::from_secs(600), resume_at: at("2026-12-08T00:00:00Z"), last: Some(ERROR) },
           "rdap.example (rdap) asked to wait until 2026-12-08T00:00:00Z (paused for 600 s more), beyond the run's patience: not sent again after 2 attempts; last error: server error 503 from https://rdap.example/")]
    #[case(GiveUp::Closed { attempts: 0, last: None },
           "the run stopped before the request was sent: not sent")]
    fn says_why(#[case] give_up: GiveUp<&str>, #[case] message: &str) {
        assert_eq!(give_up.to_string(), message);
    }

    #[test]
    fn hands_back_the_last_error() {
        let give_up = GiveUp::HostPaused {
            attempts: 1,
            host: host(),
            remaining: Duration::from_secs(1),
            resume_at: None,
            last: Some(ERROR),
        };
        assert_eq!(give_up.attempts(), 1);
        assert_eq!(give_up.last_error(), Some(&ERROR));
        let closed: GiveUp<&str> = GiveUp::Closed {
            attempts: 0,
            last: None,
        };
        assert_eq!(closed.last_error(), None);
    }
}
