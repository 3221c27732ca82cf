//! Why a question or a lookup failed, typed from the transport up to the
//! result: [`AskError`] for one question (what an answer source returns,
//! and what [`super::Exchange`] keeps), [`LookupError`] for a name with no
//! record. Callers decide with predicates (`is_timeout()`,
//! `is_rate_limited()`, `is_retryable()`, `is_refused_by_policy()` ...);
//! the messages are for people and keep the words reports have always
//! printed.

use std::sync::Arc;
use std::time::Duration;

use crate::fetch::{GiveUp, Retryable};
use crate::rdap::{FetchError, RdapParseError};
use crate::record::{RegistrarError, RegistrarErrorKind};
use crate::store::StoreError;
use crate::store::replay::ReplayError;
use crate::whois::{WhoisError, WhoisParseError};

/// Why one question got no answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AskError {
    /// The RDAP server could not be asked, or kept failing, after the
    /// retries the run allows; the message says why.
    #[error("{0}")]
    Rdap(Arc<GiveUp<FetchError>>),
    /// The WHOIS server could not be asked, or kept refusing.
    #[error("WHOIS lookup failed: {0}")]
    Whois(Arc<GiveUp<WhoisStepError>>),
    /// The store could not be used, or (`--offline`) holds no answer: run
    /// once online to fill it.
    #[error("{0}")]
    Store(StoreError),
    /// `--replay`: the capture directory has no answer for the name.
    /// Record it (`--record DIR`) or take the name out of the list.
    #[error("{name} was not captured in {dir}")]
    NotCaptured { name: String, dir: String },
    /// `--replay`: a captured answer could not be read from disk.
    #[error("replay: {0}")]
    Replay(ReplayError),
}

impl AskError {
    /// The same question may get an answer later (rate limit, server error,
    /// timeout, a quota notice, a busy store).
    pub fn is_retryable(&self) -> bool {
        match self {
            AskError::Rdap(give_up) => !matches!(**give_up, GiveUp::Failed { .. }),
            AskError::Whois(give_up) => !matches!(**give_up, GiveUp::Failed { .. }),
            AskError::Store(error) => error.is_busy(),
            AskError::NotCaptured { .. } | AskError::Replay(_) => false,
        }
    }

    /// The server said, to the end, that we ask too often.
    pub fn is_rate_limited(&self) -> bool {
        match self {
            AskError::Rdap(give_up) => gave_up_rate_limited(give_up),
            AskError::Whois(give_up) => gave_up_rate_limited(give_up),
            AskError::Store(_) | AskError::NotCaptured { .. } | AskError::Replay(_) => false,
        }
    }

    /// The last attempt ran out of time (connecting or answering).
    pub fn is_timeout(&self) -> bool {
        match self {
            AskError::Rdap(give_up) => {
                matches!(give_up.last_error(), Some(FetchError::Timeout { .. }))
            }
            AskError::Whois(give_up) => matches!(
                give_up.last_error(),
                Some(WhoisStepError::Exchange(
                    WhoisError::Timeout { .. } | WhoisError::ConnectTimeout { .. }
                ))
            ),
            AskError::Store(_) | AskError::NotCaptured { .. } | AskError::Replay(_) => false,
        }
    }

    /// The connection could not be made or broke (refused, reset, a name
    /// that does not resolve).
    pub fn is_connection_failed(&self) -> bool {
        match self {
            AskError::Rdap(give_up) => {
                matches!(give_up.last_error(), Some(FetchError::Connection { .. }))
            }
            AskError::Whois(give_up) => matches!(
                give_up.last_error(),
                Some(WhoisStepError::Exchange(
                    WhoisError::Connect { .. } | WhoisError::Io { .. } | WhoisError::Resolve { .. }
                ))
            ),
            AskError::Store(_) | AskError::NotCaptured { .. } | AskError::Replay(_) => false,
        }
    }

    /// The safety policy refused the target (a private address, plain
    /// http) before any connection.
    pub fn is_refused_by_policy(&self) -> bool {
        match self {
            AskError::Rdap(give_up) => give_up.last_error().is_some_and(FetchError::is_refused),
            AskError::Whois(give_up) => matches!(
                give_up.last_error(),
                Some(WhoisStepError::Exchange(
                    WhoisError::ForbiddenAddress { .. }
                ))
            ),
            AskError::Store(_) | AskError::NotCaptured { .. } | AskError::Replay(_) => false,
        }
    }

    /// `--replay`: the capture has no answer for the name.
    pub fn is_not_captured(&self) -> bool {
        matches!(self, AskError::NotCaptured { .. })
    }

    /// `--offline`: the store has no answer for the question.
    pub fn is_not_in_store(&self) -> bool {
        matches!(self, AskError::Store(error) if error.is_not_in_store())
    }
}

fn gave_up_rate_limited<E: Retryable>(give_up: &GiveUp<E>) -> bool {
    match give_up {
        GiveUp::OutOfPatience { .. } | GiveUp::WaitTooLong { .. } | GiveUp::HostPaused { .. } => {
            true
        }
        other => other.last_error().is_some_and(Retryable::is_rate_limited),
    }
}

impl From<AskError> for RegistrarError {
    fn from(error: AskError) -> RegistrarError {
        let kind = if error.is_timeout() {
            RegistrarErrorKind::Timeout
        } else if error.is_rate_limited() {
            RegistrarErrorKind::RateLimited
        } else if error.is_refused_by_policy() {
            RegistrarErrorKind::RefusedByPolicy
        } else if error.is_retryable() {
            RegistrarErrorKind::Unavailable
        } else {
            RegistrarErrorKind::Failed
        };
        RegistrarError::new(kind, error.to_string())
    }
}

/// Why a name could not be looked up. The registrar's failures are not
/// here: they are [`RegistrarError`]s on the record.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// The TLD has no RDAP server and WHOIS is off (`--no-whois`); allow the
    /// WHOIS fallback or give a server with `--rdap-server`.
    #[error("no RDAP for .{tld} (and the WHOIS fallback is off)")]
    NoRdap { tld: String },
    /// No WHOIS server is known for the TLD, or IANA could not be asked
    /// which one it is.
    #[error("WHOIS lookup failed: {0}")]
    WhoisServer(WhoisError),
    /// The registry's server, the store or the capture gave no answer; the
    /// [`AskError`] says why.
    #[error("{}", registry_words(.0))]
    Unanswered(AskError),
    /// The registry's RDAP answer could not be read.
    #[error("RDAP registry answer from {url} unreadable: {error}")]
    RdapUnreadable { url: String, error: RdapParseError },
    /// The registry's WHOIS answer could not be read.
    #[error("WHOIS answer from {server} unreadable: {error}")]
    WhoisUnreadable {
        server: String,
        error: WhoisParseError,
    },
    /// The registry answered about another name (its `ldhName`, its
    /// `Domain Name:` line, or the URL a redirect landed on), so nothing in
    /// the answer is taken for the name asked. A server that keeps doing
    /// so is misconfigured or not the registry: report it, or check the
    /// `--rdap-server`/`--whois-server` given, or the capture.
    #[error("the answer from {server} is about {answered}, not {asked}: not used")]
    OtherName {
        server: String,
        asked: String,
        answered: String,
    },
    /// The registry's RDAP server redirected the question, and the server it
    /// landed on answered 404: that is not the registry saying the name is
    /// free. Ask the registry again later, or give its server with
    /// `--rdap-server`.
    #[error(
        "the registry's RDAP server sent the question on to {landed}, which answered 404 \
         (not found): not taken as \"not registered\""
    )]
    RedirectedNotFound { landed: String },
}

/// An RDAP failure names the step it ended; the others already say it.
fn registry_words(error: &AskError) -> String {
    match error {
        AskError::Rdap(give_up) => format!("RDAP registry lookup failed: {give_up}"),
        other => other.to_string(),
    }
}

impl From<AskError> for LookupError {
    fn from(error: AskError) -> LookupError {
        LookupError::Unanswered(error)
    }
}

impl LookupError {
    /// The registry's question, when it was asked and got no answer.
    pub fn unanswered(&self) -> Option<&AskError> {
        match self {
            LookupError::Unanswered(error) => Some(error),
            _ => None,
        }
    }

    /// The same question may get an answer later (rate limit, server error,
    /// timeout, a quota notice).
    pub fn is_retryable(&self) -> bool {
        match self {
            LookupError::Unanswered(error) => error.is_retryable(),
            LookupError::RdapUnreadable { error, .. } => error.is_retryable(),
            LookupError::WhoisUnreadable { error, .. } => error.is_retryable(),
            LookupError::NoRdap { .. }
            | LookupError::WhoisServer(_)
            | LookupError::OtherName { .. }
            | LookupError::RedirectedNotFound { .. } => false,
        }
    }

    /// The server said, to the end, that we ask too often.
    pub fn is_rate_limited(&self) -> bool {
        match self {
            LookupError::Unanswered(error) => error.is_rate_limited(),
            LookupError::RdapUnreadable { error, .. } => error.is_rate_limited(),
            LookupError::WhoisUnreadable { error, .. } => error.is_rate_limited(),
            LookupError::NoRdap { .. }
            | LookupError::WhoisServer(_)
            | LookupError::OtherName { .. }
            | LookupError::RedirectedNotFound { .. } => false,
        }
    }

    /// The registry's server (or IANA's) ran out of time.
    pub fn is_timeout(&self) -> bool {
        match self {
            LookupError::Unanswered(error) => error.is_timeout(),
            LookupError::WhoisServer(error) => matches!(
                error,
                WhoisError::Timeout { .. } | WhoisError::ConnectTimeout { .. }
            ),
            _ => false,
        }
    }

    /// The connection to the registry's server could not be made or broke.
    pub fn is_connection_failed(&self) -> bool {
        self.unanswered()
            .is_some_and(AskError::is_connection_failed)
    }

    /// The safety policy refused the registry's server.
    pub fn is_refused_by_policy(&self) -> bool {
        match self {
            LookupError::Unanswered(error) => error.is_refused_by_policy(),
            LookupError::WhoisServer(error) => {
                matches!(error, WhoisError::ForbiddenAddress { .. })
            }
            _ => false,
        }
    }

    /// No server is known for the name's TLD (no RDAP with WHOIS off, or no
    /// WHOIS server anywhere).
    pub fn is_no_server(&self) -> bool {
        matches!(
            self,
            LookupError::NoRdap { .. } | LookupError::WhoisServer(WhoisError::NoServer { .. })
        )
    }

    /// The registry answered, but not in a form the readers know.
    pub fn is_unreadable(&self) -> bool {
        matches!(
            self,
            LookupError::RdapUnreadable { .. } | LookupError::WhoisUnreadable { .. }
        )
    }

    /// The registry's answer was about another name, and was not used.
    pub fn is_other_name(&self) -> bool {
        matches!(self, LookupError::OtherName { .. })
    }

    /// A redirect ended in a 404, which is not taken as "not registered".
    pub fn is_redirected_not_found(&self) -> bool {
        matches!(self, LookupError::RedirectedNotFound { .. })
    }

    /// `--replay`: the capture has no answer for the name.
    pub fn is_not_captured(&self) -> bool {
        self.unanswered().is_some_and(AskError::is_not_captured)
    }

    /// `--offline`: the store has no answer for the name.
    pub fn is_not_in_store(&self) -> bool {
        self.unanswered().is_some_and(AskError::is_not_in_store)
    }
}

/// One gated WHOIS step: the exchange, or a refusal read in the answer.
#[derive(Debug, thiserror::Error)]
pub enum WhoisStepError {
    #[error(transparent)]
    Exchange(WhoisError),
    /// The server answered with a quota notice or nothing at all.
    #[error(transparent)]
    Refused(WhoisParseError),
}

impl Retryable for WhoisStepError {
    fn is_retryable(&self) -> bool {
        match self {
            WhoisStepError::Exchange(error) => error.is_retryable(),
            WhoisStepError::Refused(error) => error.is_retryable(),
        }
    }

    fn is_rate_limited(&self) -> bool {
        match self {
            WhoisStepError::Exchange(error) => error.is_rate_limited(),
            WhoisStepError::Refused(error) => error.is_rate_limited(),
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        None
    }
}
