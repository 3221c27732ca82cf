//! One name in, one [`Record`] out: the lookup order across protocols and
//! servers, every request paced by the run's [`Gate`].
//!
//! RDAP comes first when the bootstrap (or an override) names a server for
//! the TLD: the registry's answer, then the sponsoring registrar's through
//! the registry's `related` link. Port-43 WHOIS is the fallback for TLDs
//! without RDAP (.cn, .de, .jp, .ru, .io, .eu ...), with the thin-registry
//! referral to the registrar's WHOIS server. Either way the registrar's
//! answer is folded into the registry's record by
//! [`crate::rdap::merge_registrar`], so a registrar that fails never fails
//! the lookup: the record says so.
//!
//! A WHOIS quota refusal arrives as ordinary text, so the gated WHOIS step
//! is "ask and read": a refusal read in the text is a rate-limit error the
//! gate waits out like an HTTP 429, while an answer that is merely
//! unreadable is not asked again.
//!
//! Every exchange is listed in [`Answer::asked`] so that a user can see
//! which server said what, including the ones that failed.
//!
//! Answers can also come from the store ([`cache`]: fresh enough answers
//! are reused, `--offline` uses nothing else) or from a capture directory
//! ([`replay`]); `--record` keeps live answers in that layout.

mod cache;
mod replay;

pub use cache::{Cache, Keeping};

use std::sync::Arc;
use std::time::Duration;

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::domain::DomainName;
use crate::fetch::{Gate, GiveUp, HostKey, Retryable};
use crate::lifecycle::PolicyTable;
use crate::rdap::bootstrap::Bootstrap;
use crate::rdap::{self, Document, FetchError, Fetched, RdapParseError};
use crate::record::{Protocol, Record, Role, Source};
use crate::store::replay::{ReplayDir, ReplayError};
use crate::store::{Outcome as StoredOutcome, StoreError};
use crate::whois::{
    self, ChosenBy, WhoisClient, WhoisError, WhoisParseError, WhoisQuery, WhoisTarget,
};

/// Where answers come from.
#[derive(Debug, Clone)]
pub enum Answers {
    /// The registries, with what the run keeps of their answers.
    Network(Keeping),
    /// A capture directory, instead of the network.
    Replay(ReplayDir),
}

/// Which protocol to use for a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// RDAP where the bootstrap has a server, WHOIS otherwise.
    #[default]
    RdapThenWhois,
    /// RDAP only: a TLD without RDAP is an error ("no RDAP for .xx").
    RdapOnly,
    /// WHOIS only, even where RDAP exists.
    WhoisOnly,
}

/// The registry lookup for a run: servers, clients, pacing and the order.
#[derive(Debug, Clone)]
pub struct Lookup {
    bootstrap: Arc<Bootstrap>,
    rdap: rdap::Client,
    whois: WhoisClient,
    gate: Gate,
    order: Order,
    /// The run's policy table: it knows the zone each registry prints
    /// WHOIS times in.
    policies: Arc<PolicyTable>,
    answers: Answers,
}

/// The parts a [`Lookup`] is made of.
#[derive(Debug)]
pub struct Parts {
    pub bootstrap: Bootstrap,
    pub rdap: rdap::Client,
    pub whois: WhoisClient,
    pub gate: Gate,
    pub order: Order,
    pub policies: PolicyTable,
    pub answers: Answers,
}

/// A record and the exchanges that produced it.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub record: Record,
    pub asked: Vec<Exchange>,
}

/// One question to one server, and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    pub protocol: Protocol,
    pub role: Role,
    /// Host (RDAP) or `host:port` (WHOIS).
    pub server: String,
    /// The URL asked, for RDAP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `answered`, `not found`, or the error.
    pub outcome: String,
}

/// Why a name could not be looked up. The registrar's failures are not here:
/// they are notes on the record.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    /// The TLD has no RDAP server and WHOIS is off (`--no-whois`); allow the
    /// WHOIS fallback or give a server with `--rdap-server`.
    #[error("no RDAP for .{tld} (and the WHOIS fallback is off)")]
    NoRdap { tld: String },
    /// The registry's RDAP server could not be asked (after the retries the
    /// run allows); the message says why.
    #[error("RDAP registry lookup failed: {0}")]
    Rdap(Box<GiveUp<FetchError>>),
    /// The registry's RDAP answer could not be read.
    #[error("RDAP registry answer from {url} unreadable: {error}")]
    RdapUnreadable { url: String, error: RdapParseError },
    /// No WHOIS server is known for the TLD, or the name cannot be sent.
    #[error("WHOIS lookup failed: {0}")]
    WhoisServer(WhoisError),
    /// The registry's WHOIS server could not be asked, or kept refusing.
    #[error("WHOIS lookup failed: {0}")]
    Whois(Box<GiveUp<WhoisStepError>>),
    /// The registry's WHOIS answer could not be read.
    #[error("WHOIS answer from {server} unreadable: {error}")]
    WhoisUnreadable {
        server: String,
        error: WhoisParseError,
    },
    /// `--replay`: the capture directory has no answer for the name.
    #[error("{name} was not captured in {dir}")]
    NotCaptured { name: String, dir: String },
    /// `--replay`: a captured answer could not be read from disk.
    #[error("replay: {0}")]
    Replay(ReplayError),
    /// The store could not be used, or (`--offline`) has no answer.
    #[error("{0}")]
    Store(StoreError),
}

impl LookupError {
    /// The same question may get an answer later (rate limit, server error,
    /// timeout, a quota notice).
    pub fn is_retryable(&self) -> bool {
        match self {
            LookupError::NoRdap { .. }
            | LookupError::WhoisServer(_)
            | LookupError::NotCaptured { .. }
            | LookupError::Replay(_) => false,
            LookupError::Store(error) => error.is_busy(),
            LookupError::Rdap(give_up) => !matches!(**give_up, GiveUp::Failed { .. }),
            LookupError::Whois(give_up) => !matches!(**give_up, GiveUp::Failed { .. }),
            LookupError::RdapUnreadable { error, .. } => error.is_retryable(),
            LookupError::WhoisUnreadable { error, .. } => error.is_retryable(),
        }
    }

    /// The server said, to the end, that we ask too often.
    pub fn is_rate_limited(&self) -> bool {
        match self {
            LookupError::NoRdap { .. }
            | LookupError::WhoisServer(_)
            | LookupError::NotCaptured { .. }
            | LookupError::Replay(_)
            | LookupError::Store(_) => false,
            LookupError::Rdap(give_up) => gave_up_rate_limited(give_up),
            LookupError::Whois(give_up) => gave_up_rate_limited(give_up),
            LookupError::RdapUnreadable { error, .. } => error.is_rate_limited(),
            LookupError::WhoisUnreadable { error, .. } => error.is_rate_limited(),
        }
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

/// A WHOIS answer and what the reader made of it (an unreadable answer is
/// kept as the reader's error: asking again would not help).
struct Heard {
    /// `host:port` asked, or where the stored answer came from.
    server: String,
    body: Vec<u8>,
    read: Result<Record, WhoisParseError>,
}

/// Why an RDAP answer could not be had.
#[derive(Debug, thiserror::Error)]
enum Unanswered {
    #[error("{0}")]
    Network(GiveUp<FetchError>),
    #[error("{0}")]
    Store(StoreError),
}

impl Unanswered {
    fn into_lookup_error(self) -> LookupError {
        match self {
            Unanswered::Network(give_up) => LookupError::Rdap(Box::new(give_up)),
            Unanswered::Store(error) => LookupError::Store(error),
        }
    }
}

impl Lookup {
    pub fn new(parts: Parts) -> Self {
        Lookup {
            bootstrap: Arc::new(parts.bootstrap),
            rdap: parts.rdap,
            whois: parts.whois,
            gate: parts.gate,
            order: parts.order,
            policies: Arc::new(parts.policies),
            answers: parts.answers,
        }
    }

    /// The run's gate, for progress reports and for closing it on Ctrl-C.
    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    /// Looks `name` up at its registry (and registrar).
    pub async fn lookup(&self, name: &DomainName) -> Result<Answer, LookupError> {
        let keeping = match &self.answers {
            Answers::Replay(dir) => {
                let zone = self.policies.registry_zone(name.tld());
                return replay::replay(dir, name, zone);
            }
            Answers::Network(keeping) => keeping,
        };
        let rdap_url = match self.order {
            Order::WhoisOnly => None,
            // A registry whose RDAP is plain http only (a few bootstrap
            // entries) has no usable RDAP: WHOIS answers instead. A local
            // server asked without --allow-loopback stays an error that says so.
            Order::RdapThenWhois | Order::RdapOnly => self
                .bootstrap
                .domain_url(name.ascii())
                .ok()
                .filter(|url| url.scheme() != "http" || crate::net::names_this_machine(url)),
        };
        match (rdap_url, self.order) {
            (Some(url), _) => self.rdap(name, url, keeping).await,
            (None, Order::RdapOnly) => Err(LookupError::NoRdap {
                tld: name.tld().to_owned(),
            }),
            (None, _) => self.whois(name, keeping).await,
        }
    }

    /// One RDAP answer: from the store when a fresh one is there, else a
    /// GET through the gate, kept afterwards. A URL without a host cannot
    /// pass the client's safety check either, so it goes straight to the
    /// client, which refuses it with the reason.
    async fn fetch(
        &self,
        url: &Url,
        role: Role,
        name: &DomainName,
        keeping: &Keeping,
        notes: &mut Vec<String>,
    ) -> Result<Fetched, Unanswered> {
        let key = cache::key(Protocol::Rdap, role, url.as_str(), name);
        if let Some(cached) = keeping.stored(&key).await.map_err(Unanswered::Store)? {
            return Ok(match cached.response.outcome {
                StoredOutcome::NotFound => Fetched::NotFound { url: url.clone() },
                StoredOutcome::Found | StoredOutcome::Failed { .. } => {
                    Fetched::Document(Document {
                        url: url.clone(),
                        body: cached.response.body,
                        content_type: None,
                        etag: None,
                        last_modified: None,
                    })
                }
            });
        }
        let fetched = match HostKey::rdap(url) {
            Some(host) => self.gate.call(&host, || self.rdap.fetch(url)).await,
            None => self
                .rdap
                .fetch(url)
                .await
                .map_err(|error| GiveUp::Failed { attempts: 1, error }),
        }
        .map_err(Unanswered::Network)?;
        let kept = match &fetched {
            Fetched::Document(document) => {
                keeping
                    .keep(&key, StoredOutcome::Found, Some(200), &document.body)
                    .await
            }
            Fetched::NotFound { .. } => {
                keeping
                    .keep(&key, StoredOutcome::NotFound, Some(404), b"")
                    .await
            }
        };
        if let Err(why) = kept {
            notes.push(format!("the answer from {url} was not kept: {why}"));
        }
        Ok(fetched)
    }

    async fn rdap(
        &self,
        name: &DomainName,
        url: Url,
        keeping: &Keeping,
    ) -> Result<Answer, LookupError> {
        let mut asked = Vec::new();
        let mut notes = Vec::new();
        let fetched = self
            .fetch(&url, Role::Registry, name, keeping, &mut notes)
            .await;
        asked.push(rdap_exchange(Role::Registry, &url, &fetched));
        let document = match fetched.map_err(Unanswered::into_lookup_error)? {
            Fetched::NotFound { url } => {
                let source = rdap_source(&url, Role::Registry);
                let mut record = Record::not_registered(name.ascii(), source);
                record.notes.extend(notes);
                return Ok(Answer { record, asked });
            }
            Fetched::Document(document) => document,
        };
        let source = rdap_source(&document.url, Role::Registry);
        let parsed = rdap::parse_domain(&document.body, source).map_err(|error| {
            LookupError::RdapUnreadable {
                url: document.url.to_string(),
                error,
            }
        })?;
        let mut record = parsed.record;
        record.notes.extend(notes);
        if let Some(link) = parsed.registrar_rdap {
            self.rdap_registrar(name, &mut record, &link, &document.url, keeping, &mut asked)
                .await;
        }
        Ok(Answer { record, asked })
    }

    /// Follows the registry's `related` link once; whatever happens is kept
    /// on the record, never returned as an error.
    async fn rdap_registrar(
        &self,
        name: &DomainName,
        record: &mut Record,
        link: &str,
        registry_url: &Url,
        keeping: &Keeping,
        asked: &mut Vec<Exchange>,
    ) {
        let url = match Url::parse(link) {
            Ok(url) => url,
            Err(error) => {
                record.notes.push(format!(
                    "registrar RDAP link {link:?} is not a URL: {error}"
                ));
                return;
            }
        };
        // Some registries link to their own answer; asking twice adds nothing.
        if url.as_str().eq_ignore_ascii_case(registry_url.as_str()) {
            return;
        }
        let fetched = self
            .fetch(&url, Role::Registrar, name, keeping, &mut record.notes)
            .await;
        asked.push(rdap_exchange(Role::Registrar, &url, &fetched));
        let source = rdap_source(&url, Role::Registrar);
        let answer = match fetched {
            Ok(Fetched::Document(document)) => {
                let source = rdap_source(&document.url, Role::Registrar);
                rdap::parse_domain(&document.body, source)
                    .map(|parsed| parsed.record)
                    .map_err(|error| error.to_string())
            }
            Ok(Fetched::NotFound { .. }) => {
                Err("the registrar's RDAP server answered 404 (not found)".to_owned())
            }
            Err(error) => Err(error.to_string()),
        };
        rdap::merge_registrar(record, source, answer);
    }

    /// One WHOIS answer, read: from the store when a fresh one is there,
    /// else asked through the gate and kept.
    async fn ask_whois(
        &self,
        name: &DomainName,
        target: &WhoisTarget,
        role: Role,
        zone: Option<FixedOffset>,
        keeping: &Keeping,
    ) -> Result<Heard, LookupError> {
        let server = target.spec.address.to_string();
        let key = cache::key(Protocol::Whois, role, &server, name);
        if let Some(cached) = keeping.stored(&key).await.map_err(LookupError::Store)? {
            let read = read_whois(name, target, &server, &cached.response.body, zone);
            return Ok(Heard {
                server,
                body: cached.response.body,
                read,
            });
        }
        let host = HostKey::whois(&target.spec.address);
        let (answer, read) = self
            .gate
            .call(&host, || async {
                let answer = self
                    .whois
                    .query(target, name.ascii())
                    .await
                    .map_err(WhoisStepError::Exchange)?;
                let host = answer.server.host().to_owned();
                match read_whois(name, target, &host, &answer.body, zone) {
                    Err(refusal) if refusal.is_retryable() => Err(WhoisStepError::Refused(refusal)),
                    read => Ok((answer, read)),
                }
            })
            .await
            .map_err(|error| LookupError::Whois(Box::new(error)))?;
        let mut read = read;
        if let Err(why) = keeping
            .keep(&key, StoredOutcome::Found, None, &answer.body)
            .await
            && let Ok(record) = &mut read
        {
            record
                .notes
                .push(format!("the answer from {server} was not kept: {why}"));
        }
        Ok(Heard {
            server: answer.server.to_string(),
            body: answer.body,
            read,
        })
    }

    async fn whois(&self, name: &DomainName, keeping: &Keeping) -> Result<Answer, LookupError> {
        let target = self
            .whois
            .target_for_tld(name.tld())
            .await
            .map_err(LookupError::WhoisServer)?;
        let zone = self.policies.registry_zone(name.tld());
        let heard = self
            .ask_whois(name, &target, Role::Registry, Some(zone), keeping)
            .await?;
        let mut asked = vec![whois_exchange(Role::Registry, &heard.server, "answered")];
        let mut record = heard.read.map_err(|error| LookupError::WhoisUnreadable {
            server: heard.server.clone(),
            error,
        })?;
        if let Some(referral) = self.whois.referral_target(&target, &heard.body) {
            let server = referral.spec.address.to_string();
            let source = whois_source(&referral.named.to_string(), Role::Registrar);
            // A registrar's server keeps its own conventions: no registry zone.
            let answer = match self
                .ask_whois(name, &referral, Role::Registrar, None, keeping)
                .await
            {
                Ok(heard) => {
                    asked.push(whois_exchange(Role::Registrar, &server, "answered"));
                    heard.read.map_err(|error| error.to_string())
                }
                Err(error) => {
                    asked.push(whois_exchange(Role::Registrar, &server, &error.to_string()));
                    Err(error.to_string())
                }
            };
            rdap::merge_registrar(&mut record, source, answer);
        }
        Ok(Answer { record, asked })
    }
}

/// Reads a WHOIS answer. The reader picks a registry's conventions (date
/// order, zone) by the host the table, IANA or a referral named; a server
/// the user gave for the TLD with `--whois-server` stands in for that TLD's
/// registry, whatever its address, so the TLD's conventions apply.
fn read_whois(
    name: &DomainName,
    target: &WhoisTarget,
    asked_host: &str,
    body: &[u8],
    zone: Option<FixedOffset>,
) -> Result<Record, WhoisParseError> {
    let server = match target.chosen_by {
        ChosenBy::Override => None,
        ChosenBy::Table | ChosenBy::Iana | ChosenBy::Referral => {
            Some(target.named.host().to_owned())
        }
    };
    let query = WhoisQuery {
        domain: name.ascii().to_owned(),
        server,
        tld: name.tld().to_owned(),
        zone,
    };
    let mut record = whois::parse_whois(&query, body)?;
    // The source names the server actually asked (an override's address).
    record.source.server = Some(asked_host.to_owned());
    Ok(record)
}

fn rdap_source(url: &Url, role: Role) -> Source {
    Source {
        protocol: Protocol::Rdap,
        server: url.host_str().map(str::to_owned),
        url: Some(url.to_string()),
        role,
    }
}

fn whois_source(server: &str, role: Role) -> Source {
    Source {
        protocol: Protocol::Whois,
        server: Some(server.to_owned()),
        url: None,
        role,
    }
}

fn rdap_exchange(role: Role, url: &Url, fetched: &Result<Fetched, Unanswered>) -> Exchange {
    Exchange {
        protocol: Protocol::Rdap,
        role,
        server: url.host_str().unwrap_or_default().to_owned(),
        url: Some(url.to_string()),
        outcome: match fetched {
            Ok(Fetched::Document(_)) => "answered".to_owned(),
            Ok(Fetched::NotFound { .. }) => "not found".to_owned(),
            Err(error) => error.to_string(),
        },
    }
}

fn whois_exchange(role: Role, server: &str, outcome: &str) -> Exchange {
    Exchange {
        protocol: Protocol::Whois,
        role,
        server: server.to_owned(),
        url: None,
        outcome: outcome.to_owned(),
    }
}
