//! One name in, one [`Record`] out: the lookup order across protocols and
//! servers.
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
//! Every exchange is listed in [`Answer::asked`] so that a user can see
//! which server said what, including the ones that failed.

use std::sync::Arc;

use chrono::FixedOffset;
use serde::Serialize;
use url::Url;

use crate::domain::DomainName;
use crate::lifecycle::PolicyTable;
use crate::rdap::bootstrap::Bootstrap;
use crate::rdap::{self, FetchError, Fetched, RdapParseError};
use crate::record::{Protocol, Record, Role, Source};
use crate::whois::{
    self, ChosenBy, WhoisAnswer, WhoisClient, WhoisError, WhoisParseError, WhoisQuery,
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

/// The registry lookup for a run: servers, clients and the order.
#[derive(Debug, Clone)]
pub struct Lookup {
    bootstrap: Arc<Bootstrap>,
    rdap: rdap::Client,
    whois: WhoisClient,
    order: Order,
    /// The run's policy table: it knows the zone each registry prints
    /// WHOIS times in.
    policies: Arc<PolicyTable>,
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
    /// The registry's RDAP server could not be asked; see the cause. Rate
    /// limits and server errors are worth retrying later.
    #[error("RDAP registry lookup failed: {0}")]
    Rdap(#[source] Box<FetchError>),
    /// The registry's RDAP answer could not be read.
    #[error("RDAP registry answer from {url} unreadable: {error}")]
    RdapUnreadable { url: String, error: RdapParseError },
    /// The registry's WHOIS server could not be asked; see the cause.
    #[error("WHOIS lookup failed: {0}")]
    Whois(#[source] WhoisError),
    /// The registry's WHOIS answer could not be read (or was a quota notice).
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
            LookupError::NoRdap { .. } => false,
            LookupError::Rdap(error) => error.is_retryable(),
            LookupError::RdapUnreadable { error, .. } => error.is_retryable(),
            LookupError::Whois(error) => error.is_retryable(),
            LookupError::WhoisUnreadable { error, .. } => error.is_rate_limited(),
        }
    }

    /// The server said we ask too often.
    pub fn is_rate_limited(&self) -> bool {
        match self {
            LookupError::NoRdap { .. } => false,
            LookupError::Rdap(error) => error.is_rate_limited(),
            LookupError::RdapUnreadable { error, .. } => error.is_rate_limited(),
            LookupError::Whois(error) => error.is_rate_limited(),
            LookupError::WhoisUnreadable { error, .. } => error.is_rate_limited(),
        }
    }

    /// How long the server asked us to wait, when it said.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            LookupError::Rdap(error) => error.retry_after(),
            _ => None,
        }
    }
}

impl Lookup {
    pub fn new(
        bootstrap: Bootstrap,
        rdap: rdap::Client,
        whois: WhoisClient,
        order: Order,
        policies: PolicyTable,
    ) -> Self {
        Lookup {
            bootstrap: Arc::new(bootstrap),
            rdap,
            whois,
            order,
            policies: Arc::new(policies),
        }
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

    async fn rdap(&self, name: &DomainName, url: Url) -> Result<Answer, LookupError> {
        let mut asked = Vec::new();
        let fetched = self.rdap.fetch(&url).await;
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
        let fetched = self.rdap.fetch(&url).await;
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

    async fn whois(&self, name: &DomainName) -> Result<Answer, LookupError> {
        let lookup = self.whois.lookup_with_referral(name.ascii()).await;
        let lookup = lookup.map_err(LookupError::Whois)?;
        let mut asked = vec![whois_exchange(Role::Registry, &lookup.registry)];
        let zone = self.policies.registry_zone(name.tld());
        let mut record = read_whois(name, &lookup.registry, Some(zone))?;
        if let Some(referral) = lookup.referral {
            let source = whois_source(&referral.named.to_string(), Role::Registrar);
            let answer = match referral.outcome {
                Ok(answer) => {
                    asked.push(whois_exchange(Role::Registrar, &answer));
                    // A registrar's server keeps its own conventions.
                    read_whois(name, &answer, None).map_err(|error| error.to_string())
                }
                Err(error) => {
                    asked.push(Exchange {
                        protocol: Protocol::Whois,
                        role: Role::Registrar,
                        server: referral.named.to_string(),
                        url: None,
                        outcome: error.to_string(),
                    });
                    Err(error.to_string())
                }
            };
            rdap::merge_registrar(&mut record, source, answer);
        }
        Ok(Answer { record, asked })
    }
}

fn read_whois(
    name: &DomainName,
    answer: &WhoisAnswer,
    zone: Option<FixedOffset>,
) -> Result<Record, LookupError> {
    // The reader picks a registry's conventions (date order, zone) by the
    // answering host. A server the user named for the TLD with
    // --whois-server stands in for that TLD's registry, whatever its
    // address, so the TLD's conventions apply.
    let server = match answer.chosen_by {
        ChosenBy::Override => None,
        ChosenBy::Table | ChosenBy::Iana | ChosenBy::Referral => {
            Some(answer.server.host().to_owned())
        }
    };
    let query = WhoisQuery {
        domain: name.ascii().to_owned(),
        server,
        tld: name.tld().to_owned(),
        zone,
    };
    whois::parse_whois(&query, &answer.body).map_err(|error| LookupError::WhoisUnreadable {
        server: answer.server.to_string(),
        error,
    })
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

fn rdap_exchange(role: Role, url: &Url, fetched: &Result<Fetched, FetchError>) -> Exchange {
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

fn whois_exchange(role: Role, answer: &WhoisAnswer) -> Exchange {
    Exchange {
        protocol: Protocol::Whois,
        role,
        server: answer.server.to_string(),
        url: None,
        outcome: "answered".to_owned(),
    }
}
