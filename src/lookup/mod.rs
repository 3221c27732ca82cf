//! One name in, one [`Record`] out: the lookup order across protocols and
//! servers, written once for every place answers come from.
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
//! The parts:
//! - `route`: which server each question goes to (the registries'
//!   directories, or what a capture holds);
//! - [`AnswerSource`] (`source`): who answers a [`Question`]: the
//!   registries through the run's gate ([`Network`]), the store in front
//!   of another source ([`StoreCache`]; `--offline` is the store alone), a
//!   recorder in front of another source ([`Recording`], `--record`), or a
//!   capture directory ([`Replay`], `--replay`);
//! - `read`: reading replies into records and naming who answered;
//! - `error`: [`AskError`] for one question, [`LookupError`] for a name.
//!
//! Every exchange is listed in [`Answer::asked`] so that a user can see
//! which server said what, including the ones that failed.

mod cache;
mod error;
mod identity;
mod network;
mod question;
mod read;
mod recording;
mod replay;
mod route;
mod source;

pub use cache::{Cache, StoreCache, StoreWarning};
pub use error::{AskError, LookupError, WhoisStepError};
pub use network::Network;
pub use question::{Question, Reply, Server};
pub use recording::Recording;
pub use replay::Replay;
pub use source::AnswerSource;

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::DomainName;
use crate::fetch::Gate;
use crate::lifecycle::PolicyTable;
use crate::rdap::{self, bootstrap::Bootstrap};
use crate::record::{Protocol, Record, RegistrarError, RegistrarErrorKind, Role};
use crate::store::replay::{Recorder, ReplayDir};
use crate::whois::WhoisClient;
pub use route::Order;
use route::Route;

/// Where answers come from.
#[derive(Debug, Clone)]
pub enum Answers {
    /// The registries, with what the run keeps of their answers.
    Network(Keeping),
    /// A capture directory, instead of the network.
    Replay(ReplayDir),
}

/// What a live lookup keeps of what it hears, and where it looks first.
#[derive(Debug, Clone, Default)]
pub struct Keeping {
    /// The store: fresh answers are reused, new ones kept.
    pub cache: Option<Cache>,
    /// `--record DIR`.
    pub recorder: Option<Arc<Recorder>>,
    /// Where the store says what the user should know (damaged pages).
    pub warning: StoreWarning,
}

/// The registry lookup for a run: where questions go, who answers them,
/// and the zones registries print WHOIS times in.
#[derive(Debug, Clone)]
pub struct Lookup {
    route: Route,
    source: Arc<dyn AnswerSource>,
    gate: Gate,
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
    pub answers: Answers,
}

/// A record and the exchanges that produced it.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    pub record: Record,
    pub asked: Vec<Exchange>,
}

/// One question to one server, and how it went.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Exchange {
    pub protocol: Protocol,
    pub role: Role,
    /// Host (RDAP), `host:port` (WHOIS), or the capture file.
    pub server: String,
    /// The URL asked, for RDAP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub outcome: ExchangeOutcome,
}

/// How an [`Exchange`] went. Serialised as the words reports print:
/// `answered`, `not found`, `replayed`, or the error's message.
#[derive(Debug, Clone)]
pub enum ExchangeOutcome {
    /// The server answered.
    Answered,
    /// The server has no such object (an RDAP 404).
    NotFound,
    /// The capture held the answer.
    Replayed,
    /// No answer; the error says why.
    Failed(AskError),
    /// An outcome read back from a report (`domlife merge`): its words,
    /// without the error behind them.
    Reported(String),
}

impl fmt::Display for ExchangeOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExchangeOutcome::Answered => f.write_str("answered"),
            ExchangeOutcome::NotFound => f.write_str("not found"),
            ExchangeOutcome::Replayed => f.write_str("replayed"),
            ExchangeOutcome::Failed(error) => write!(f, "{error}"),
            ExchangeOutcome::Reported(words) => f.write_str(words),
        }
    }
}

impl Serialize for ExchangeOutcome {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ExchangeOutcome {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let words = String::deserialize(deserializer)?;
        Ok(match words.as_str() {
            "answered" => ExchangeOutcome::Answered,
            "not found" => ExchangeOutcome::NotFound,
            "replayed" => ExchangeOutcome::Replayed,
            _ => ExchangeOutcome::Reported(words),
        })
    }
}

impl Exchange {
    fn of(question: &Question, replied: &Result<Reply, AskError>) -> Exchange {
        let outcome = match (replied, &question.server) {
            (Err(error), _) => ExchangeOutcome::Failed(error.clone()),
            (Ok(_), Server::Captured { .. }) => ExchangeOutcome::Replayed,
            (Ok(reply), _) if reply.body.is_none() => ExchangeOutcome::NotFound,
            (Ok(_), _) => ExchangeOutcome::Answered,
        };
        Exchange {
            protocol: question.server.protocol(),
            role: question.role,
            server: question.server.exchange_name(),
            url: question.server.url().map(ToString::to_string),
            outcome,
        }
    }
}

impl Lookup {
    /// The lookup for a run: live (through the store and the recorder the
    /// run keeps), or from a capture.
    pub fn new(parts: Parts) -> Self {
        let network: Arc<dyn AnswerSource> = Arc::new(Network {
            gate: parts.gate.clone(),
            rdap: parts.rdap,
            whois: parts.whois.clone(),
        });
        let (route, source): (Route, Arc<dyn AnswerSource>) = match parts.answers {
            Answers::Replay(dir) => (Route::Capture(dir.clone()), Arc::new(Replay { dir })),
            Answers::Network(keeping) => {
                let route = Route::Registries {
                    bootstrap: Arc::new(parts.bootstrap),
                    whois: parts.whois,
                    order: parts.order,
                };
                (route, keeping.around(network))
            }
        };
        Lookup {
            route,
            source,
            gate: parts.gate,
            policies: Arc::new(parts.policies),
        }
    }

    /// The run's gate, for progress reports and for closing it on Ctrl-C.
    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    /// Looks `name` up at its registry (and registrar).
    pub async fn lookup(&self, name: &DomainName) -> Result<Answer, LookupError> {
        let question = Question {
            role: Role::Registry,
            server: self.route.registry(name).await?,
            name: name.clone(),
        };
        match question.server.protocol() {
            Protocol::Rdap => self.rdap(question).await,
            Protocol::Whois => self.whois(question).await,
        }
    }

    /// Asks the source, listing the exchange in `asked`.
    async fn ask(&self, question: &Question, asked: &mut Vec<Exchange>) -> Result<Reply, AskError> {
        let replied = self.source.ask(question).await;
        asked.push(Exchange::of(question, &replied));
        replied
    }

    async fn rdap(&self, question: Question) -> Result<Answer, LookupError> {
        let mut asked = Vec::new();
        let reply = self.ask(&question, &mut asked).await?;
        let landed = reply.landed(&question.server);
        let answered = reply.url.as_ref().or(question.server.url());
        let source = read::source(&question.server, answered, Role::Registry);
        let name = &question.name;
        let server = answered.map_or_else(|| question.server.key(), ToString::to_string);
        let Some(body) = &reply.body else {
            if let Some(landed) = landed {
                return Err(LookupError::RedirectedNotFound {
                    landed: landed.to_string(),
                });
            }
            let mut record = Record::not_registered(name.ascii(), source);
            record.notes.extend(reply.notes);
            return Ok(Answer { record, asked });
        };
        let parsed =
            rdap::parse_domain(body, source).map_err(|error| LookupError::RdapUnreadable {
                url: server.clone(),
                error,
            })?;
        if let Some(answered) = identity::rdap_other_name(name, &parsed.names, landed) {
            return Err(LookupError::OtherName {
                server,
                asked: name.to_string(),
                answered,
            });
        }
        let mut record = parsed.record;
        record.notes.extend(reply.notes.iter().cloned());
        let link = parsed.registrar_rdap.as_deref();
        if let Some(server) = self
            .route
            .registrar(name, answered, link, &mut record.notes)
        {
            let question = Question {
                role: Role::Registrar,
                server,
                name: name.clone(),
            };
            self.rdap_registrar(&question, &mut record, &mut asked)
                .await;
        }
        Ok(Answer { record, asked })
    }

    /// The registrar's RDAP answer, folded into `record` whatever happens.
    async fn rdap_registrar(
        &self,
        question: &Question,
        record: &mut Record,
        asked: &mut Vec<Exchange>,
    ) {
        let replied = self.ask(question, asked).await;
        let source = read::source(&question.server, None, Role::Registrar);
        let answer = replied.map_err(RegistrarError::from).and_then(|reply| {
            let landed = reply.landed(&question.server).cloned();
            record.notes.extend(reply.notes);
            match reply.body {
                Some(body) => rdap::parse_domain(&body, source.clone())
                    .map_err(RegistrarError::from)
                    .and_then(|parsed| {
                        match identity::rdap_other_name(
                            &question.name,
                            &parsed.names,
                            landed.as_ref(),
                        ) {
                            Some(other) => Err(other_name(&question.name, &other)),
                            None => Ok(parsed.record),
                        }
                    }),
                None => Err(RegistrarError::new(
                    RegistrarErrorKind::NotFound,
                    "the registrar's RDAP server answered 404 (not found)",
                )),
            }
        });
        rdap::merge_registrar(record, source, answer);
    }

    async fn whois(&self, question: Question) -> Result<Answer, LookupError> {
        let mut asked = Vec::new();
        let reply = self.ask(&question, &mut asked).await?;
        let body = reply.body.unwrap_or_default();
        let zone = self.policies.registry_zone(question.name.tld());
        let read = read::whois(&question, &body, Some(zone)).map_err(|error| {
            LookupError::WhoisUnreadable {
                server: question.server.key(),
                error,
            }
        })?;
        if let Some(answered) = identity::whois_other_name(&question.name, &read.names) {
            return Err(LookupError::OtherName {
                server: question.server.key(),
                asked: question.name.to_string(),
                answered,
            });
        }
        let mut record = read.record;
        record.notes.extend(reply.notes);
        if let Some(server) = self.route.referral(&question.server, &body) {
            let question = Question {
                role: Role::Registrar,
                server,
                name: question.name.clone(),
            };
            self.whois_registrar(&question, &mut record, &mut asked)
                .await;
        }
        Ok(Answer { record, asked })
    }

    /// The registrar's WHOIS answer, folded into `record` whatever happens.
    async fn whois_registrar(
        &self,
        question: &Question,
        record: &mut Record,
        asked: &mut Vec<Exchange>,
    ) {
        let replied = self.ask(question, asked).await;
        let source = read::source(&question.server, None, Role::Registrar);
        let answer = replied.map_err(RegistrarError::from).and_then(|reply| {
            record.notes.extend(reply.notes);
            // A registrar's server keeps its own conventions: no registry zone.
            let body = reply.body.unwrap_or_default();
            let read = read::whois(question, &body, None).map_err(RegistrarError::from)?;
            match identity::whois_other_name(&question.name, &read.names) {
                Some(other) => Err(other_name(&question.name, &other)),
                None => Ok(read.record),
            }
        });
        rdap::merge_registrar(record, source, answer);
    }
}

/// A registrar's answer about another name: its view is dropped, the
/// registry's stands.
fn other_name(asked: &DomainName, answered: &str) -> RegistrarError {
    RegistrarError::new(
        RegistrarErrorKind::OtherName,
        format!("the registrar answered about {answered}, not {asked}"),
    )
}

impl Keeping {
    /// `inner` with what the run keeps around it: the recorder writes what
    /// it answers, the store answers first and keeps the rest.
    fn around(self, inner: Arc<dyn AnswerSource>) -> Arc<dyn AnswerSource> {
        let recorded: Arc<dyn AnswerSource> = match self.recorder {
            Some(recorder) => Arc::new(Recording { recorder, inner }),
            None => inner,
        };
        match self.cache {
            Some(cache) => Arc::new(StoreCache::new(cache, Some(recorded)).warning(self.warning)),
            None => recorded,
        }
    }
}

#[cfg(test)]
mod tests;
