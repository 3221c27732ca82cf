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

use std::sync::Arc;
use std::time::Duration;

use chrono::FixedOffset;
use serde::Serialize;
use url::Url;

use crate::domain::DomainName;
use crate::fetch::{Gate, GiveUp, HostKey, Retryable};
use crate::lifecycle::PolicyTable;
use crate::rdap::bootstrap::Bootstrap;
use crate::rdap::{self, FetchError, Fetched, RdapParseError};
use crate::record::{Protocol, Record, Role, Source};
use crate::whois::{
    self, ChosenBy, WhoisAnswer, WhoisClient, WhoisError, WhoisParseError, WhoisQuery, WhoisTarget,
};

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
}

/// A record and the exchanges that produced it.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub record: Record,
    pub asked: Vec<Exchange>,
}

/// One question to one server, and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exchange {
    pub protocol: Protocol,
    pub role: Role,
    /// Host (RDAP) or `host:port` (WHOIS).
    pub server: String,
    /// The URL asked, for RDAP.
    #[serde(skip_serializing_if = "Option::is_none")]
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
}

impl LookupError {
    /// The same question may get an answer later (rate limit, server error,
    /// timeout, a quota notice).
    pub fn is_retryable(&self) -> bool {
        match self {
            LookupError::NoRdap { .. } | LookupError::WhoisServer(_) => false,
            LookupError::Rdap(give_up) => !matches!(**give_up, GiveUp::Failed { .. }),
            LookupError::Whois(give_up) => !matches!(**give_up, GiveUp::Failed { .. }),
            LookupError::RdapUnreadable { error, .. } => error.is_retryable(),
            LookupError::WhoisUnreadable { error, .. } => error.is_retryable(),
        }
    }

    /// The server said, to the end, that we ask too often.
    pub fn is_rate_limited(&self) -> bool {
        match self {
            LookupError::NoRdap { .. } | LookupError::WhoisServer(_) => false,
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
type ReadAnswer = (WhoisAnswer, Result<Record, WhoisParseError>);

impl Lookup {
    pub fn new(parts: Parts) -> Self {
        Lookup {
            bootstrap: Arc::new(parts.bootstrap),
            rdap: parts.rdap,
            whois: parts.whois,
            gate: parts.gate,
            order: parts.order,
            policies: Arc::new(parts.policies),
        }
    }

    /// The run's gate, for progress reports and for closing it on Ctrl-C.
    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    /// Looks `name` up at its registry (and registrar).
    pub async fn lookup(&self, name: &DomainName) -> Result<Answer, LookupError> {
        let rdap_url = match self.order {
            Order::WhoisOnly => None,
            Order::RdapThenWhois | Order::RdapOnly => self.bootstrap.domain_url(name.ascii()).ok(),
        };
        match (rdap_url, self.order) {
            (Some(url), _) => self.rdap(name, url).await,
            (None, Order::RdapOnly) => Err(LookupError::NoRdap {
                tld: name.tld().to_owned(),
            }),
            (None, _) => self.whois(name).await,
        }
    }

    /// One RDAP GET through the gate. A URL without a host cannot pass the
    /// client's safety check either, so it goes straight to the client,
    /// which refuses it with the reason.
    async fn fetch(&self, url: &Url) -> Result<Fetched, GiveUp<FetchError>> {
        match HostKey::rdap(url) {
            Some(host) => self.gate.call(&host, || self.rdap.fetch(url)).await,
            None => self
                .rdap
                .fetch(url)
                .await
                .map_err(|error| GiveUp::Failed { attempts: 1, error }),
        }
    }

    async fn rdap(&self, name: &DomainName, url: Url) -> Result<Answer, LookupError> {
        let mut asked = Vec::new();
        let fetched = self.fetch(&url).await;
        asked.push(rdap_exchange(Role::Registry, &url, &fetched));
        let document = match fetched.map_err(|error| LookupError::Rdap(Box::new(error)))? {
            Fetched::NotFound { url } => {
                let source = rdap_source(&url, Role::Registry);
                let record = Record::not_registered(name.ascii(), source);
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
        if let Some(link) = parsed.registrar_rdap {
            self.rdap_registrar(&mut record, &link, &document.url, &mut asked)
                .await;
        }
        Ok(Answer { record, asked })
    }

    /// Follows the registry's `related` link once; whatever happens is kept
    /// on the record, never returned as an error.
    async fn rdap_registrar(
        &self,
        record: &mut Record,
        link: &str,
        registry_url: &Url,
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
        let fetched = self.fetch(&url).await;
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

    /// Asks `target` through the gate and reads the answer.
    async fn ask_whois(
        &self,
        name: &DomainName,
        target: &WhoisTarget,
        zone: Option<FixedOffset>,
    ) -> Result<ReadAnswer, GiveUp<WhoisStepError>> {
        let host = HostKey::whois(&target.spec.address);
        self.gate
            .call(&host, || async {
                let answer = self
                    .whois
                    .query(target, name.ascii())
                    .await
                    .map_err(WhoisStepError::Exchange)?;
                match read_whois(name, target, &answer, zone) {
                    Err(refusal) if refusal.is_retryable() => Err(WhoisStepError::Refused(refusal)),
                    read => Ok((answer, read)),
                }
            })
            .await
    }

    async fn whois(&self, name: &DomainName) -> Result<Answer, LookupError> {
        let target = self
            .whois
            .target_for_tld(name.tld())
            .await
            .map_err(LookupError::WhoisServer)?;
        let zone = self.policies.registry_zone(name.tld());
        let (answer, read) = self
            .ask_whois(name, &target, Some(zone))
            .await
            .map_err(|error| LookupError::Whois(Box::new(error)))?;
        let mut asked = vec![whois_exchange(
            Role::Registry,
            &answer.server.to_string(),
            "answered",
        )];
        let mut record = read.map_err(|error| LookupError::WhoisUnreadable {
            server: answer.server.to_string(),
            error,
        })?;
        if let Some(referral) = self.whois.referral_target(&target, &answer.body) {
            let server = referral.spec.address.to_string();
            let source = whois_source(&referral.named.to_string(), Role::Registrar);
            // A registrar's server keeps its own conventions: no registry zone.
            let answer = match self.ask_whois(name, &referral, None).await {
                Ok((_, read)) => {
                    asked.push(whois_exchange(Role::Registrar, &server, "answered"));
                    read.map_err(|error| error.to_string())
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
    answer: &WhoisAnswer,
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
    let mut record = whois::parse_whois(&query, &answer.body)?;
    // The source names the server actually asked (an override's address).
    record.source.server = Some(answer.server.host().to_owned());
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

fn rdap_exchange(role: Role, url: &Url, fetched: &Result<Fetched, GiveUp<FetchError>>) -> Exchange {
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
