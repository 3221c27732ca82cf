//! The port-43 WHOIS client: picks the server for a name, asks it over TCP
//! and, for thin registries, follows the registrar referral once.
//!
//! Server choice, first match wins:
//! 1. a `--whois-server TLD=...` override;
//! 2. the built-in table ([`ServerTable`]);
//! 3. whois.iana.org's `refer:` for the TLD, asked once per run and cached in
//!    memory, shared by all clones of the client.
//!
//! Host overrides (`--whois-server HOST=...`) then redirect the connection,
//! whichever step named the host. The query always goes out in the dialect of
//! the server meant (the table's template), followed by CRLF.
//!
//! The client returns raw bytes and which server sent them; decoding and
//! reading the text belong to `whois::parse`. Every exchange has a connect
//! deadline, a total deadline and a size cap; names are [`DomainName`]s, so
//! nothing but plain LDH labels can reach a query line; addresses are
//! checked by the shared [`crate::net`] policy.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::OnceCell;
use tokio::time::{Instant, timeout_at};

use super::address::ServerAddress;
use super::error::WhoisError;
use super::extract::{iana_refer, referral_server};
use super::overrides::ServerOverrides;
use super::servers::{QueryTemplate, ServerSpec, ServerTable};
use crate::domain::DomainName;
use crate::net::Refusal;
use crate::net::resolve::{ResolveError, resolve_allowed};

/// How the client behaves; plain data, built once from the command line.
#[derive(Debug, Clone)]
pub struct WhoisConfig {
    /// Deadline for the TCP connection (across all addresses of the host).
    pub connect_timeout: Duration,
    /// Deadline for the whole exchange: resolve, connect, send, read to EOF.
    pub total_timeout: Duration,
    /// Largest answer accepted, in bytes; beyond it the answer is an error
    /// ([`WhoisError::TooLarge`]), not a truncated text.
    pub max_answer_bytes: usize,
    /// Permit loopback and private addresses (tests, local servers).
    pub allow_loopback: bool,
    /// Where to ask which server runs a TLD missing from the table.
    pub iana_server: ServerAddress,
    /// The user's `--whois-server` values.
    pub overrides: ServerOverrides,
    /// Servers and their dialects.
    pub table: Arc<ServerTable>,
}

impl Default for WhoisConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(20),
            max_answer_bytes: 1024 * 1024,
            allow_loopback: false,
            iana_server: ServerAddress::iana(),
            overrides: ServerOverrides::default(),
            table: ServerTable::embedded(),
        }
    }
}

/// Which rule chose a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChosenBy {
    /// A `--whois-server TLD=...` override.
    Override,
    /// The built-in table.
    Table,
    /// whois.iana.org's `refer:` line.
    Iana,
    /// The registry answer's "Registrar WHOIS Server:" line.
    Referral,
}

/// A server to ask and how to ask it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoisTarget {
    /// The server as the rule named it (before any host override).
    pub named: ServerAddress,
    /// Where the connection goes (after host overrides) and the dialect of `named`.
    pub spec: ServerSpec,
    pub chosen_by: ChosenBy,
}

/// One server's raw answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoisAnswer {
    /// The server that answered, as dialled (`host:port`).
    pub server: ServerAddress,
    /// The IP address and port it was reached at.
    pub peer: SocketAddr,
    pub chosen_by: ChosenBy,
    /// The charset the table says this server answers in, a hint for the reader.
    pub charset: Option<String>,
    /// The answer, byte for byte, up to EOF.
    pub body: Vec<u8>,
}

/// A registry answer and, when it named a registrar server, what that said.
#[derive(Debug)]
pub struct WhoisLookup {
    pub registry: WhoisAnswer,
    /// `None` when the registry answer names no other server.
    pub referral: Option<Referral>,
}

/// The registrar server a registry answer pointed to, and its outcome; a
/// failure here does not fail the lookup.
#[derive(Debug)]
pub struct Referral {
    /// The server as the registry wrote it.
    pub named: ServerAddress,
    pub outcome: Result<WhoisAnswer, WhoisError>,
}

/// The WHOIS client. Cheap to clone; clones share the IANA cache.
#[derive(Debug, Clone)]
pub struct WhoisClient {
    inner: Arc<Inner>,
}

type IanaCache = Mutex<HashMap<String, Arc<OnceCell<Option<ServerAddress>>>>>;

#[derive(Debug)]
struct Inner {
    config: WhoisConfig,
    /// TLD -> the server IANA named (or `None`: IANA names none). Failed
    /// questions are not cached, so the next name retries them.
    iana: IanaCache,
}

impl WhoisClient {
    pub fn new(config: WhoisConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                iana: Mutex::default(),
            }),
        }
    }

    /// Looks `name` up at its registry's server and returns the raw answer.
    pub async fn lookup(&self, name: &DomainName) -> Result<WhoisAnswer, WhoisError> {
        let target = self.target_for(name).await?;
        self.query(&target, name).await
    }

    /// Like [`Self::lookup`], then follows the registry's "Registrar WHOIS
    /// Server:" once, unless it names the registry's own server. The
    /// registrar's answer is never followed further.
    pub async fn lookup_with_referral(&self, name: &DomainName) -> Result<WhoisLookup, WhoisError> {
        let target = self.target_for(name).await?;
        let registry = self.query(&target, name).await?;
        let referral = match self.referral_target(&target, &registry.body) {
            Some(referred) => Some(Referral {
                named: referred.named.clone(),
                outcome: self.query(&referred, name).await,
            }),
            None => None,
        };
        Ok(WhoisLookup { registry, referral })
    }

    /// The registry's server for `name`, by its TLD (override, table, then
    /// IANA).
    pub async fn target_for(&self, name: &DomainName) -> Result<WhoisTarget, WhoisError> {
        let tld = name.tld();
        let config = &self.inner.config;
        if let Some(address) = config.overrides.for_tld(tld) {
            let dialect = config
                .table
                .for_tld(tld)
                .or_else(|| config.table.for_host(address.host()));
            return Ok(self.target(address.clone(), dialect, ChosenBy::Override));
        }
        if let Some(spec) = config.table.for_tld(tld) {
            return Ok(self.target(spec.address.clone(), Some(spec), ChosenBy::Table));
        }
        let named = self.iana_server_for(tld).await?;
        let dialect = config.table.for_host(named.host());
        Ok(self.target(named, dialect, ChosenBy::Iana))
    }

    /// Sends `name` to `target` in its dialect and reads the answer to EOF.
    pub async fn query(
        &self,
        target: &WhoisTarget,
        name: &DomainName,
    ) -> Result<WhoisAnswer, WhoisError> {
        let line = target.spec.query.render(name.ascii());
        let (peer, body) = self.exchange(&target.spec.address, &line).await?;
        Ok(WhoisAnswer {
            server: target.spec.address.clone(),
            peer,
            chosen_by: target.chosen_by,
            charset: target.spec.charset.clone(),
            body,
        })
    }

    fn target(
        &self,
        named: ServerAddress,
        dialect: Option<&ServerSpec>,
        chosen_by: ChosenBy,
    ) -> WhoisTarget {
        let dial = self.inner.config.overrides.redirect(&named).clone();
        let spec = ServerSpec {
            address: dial,
            query: dialect.map_or_else(QueryTemplate::bare, |spec| spec.query.clone()),
            charset: dialect.and_then(|spec| spec.charset.clone()),
        };
        WhoisTarget {
            named,
            spec,
            chosen_by,
        }
    }

    /// The registrar server a registry answer (from `registry`) refers to, in
    /// its dialect and after host overrides; `None` when the answer names no
    /// server or names the registry's own. For callers that schedule the
    /// second query themselves (per-host limits); [`Self::lookup_with_referral`]
    /// does both steps.
    pub fn referral_target(&self, registry: &WhoisTarget, body: &[u8]) -> Option<WhoisTarget> {
        let named = referral_server(body)?;
        let dialect = self.inner.config.table.for_host(named.host());
        let referred = self.target(named, dialect, ChosenBy::Referral);
        let same_server = referred.named.host() == registry.named.host()
            || referred.spec.address == registry.spec.address;
        (!same_server).then_some(referred)
    }

    async fn iana_server_for(&self, tld: &str) -> Result<ServerAddress, WhoisError> {
        let cell = {
            let mut cache = self
                .inner
                .iana
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            Arc::clone(cache.entry(tld.to_owned()).or_default())
        };
        let iana = &self.inner.config.iana_server;
        let named = cell
            .get_or_try_init(|| async {
                let dial = self.inner.config.overrides.redirect(iana);
                let (_, body) = self.exchange(dial, tld).await?;
                Ok::<_, WhoisError>(iana_refer(&body))
            })
            .await?;
        named.clone().ok_or_else(|| WhoisError::NoServer {
            tld: tld.to_owned(),
            iana: iana.clone(),
        })
    }

    /// One TCP exchange: `line` + CRLF out, everything up to EOF back.
    async fn exchange(
        &self,
        server: &ServerAddress,
        line: &str,
    ) -> Result<(SocketAddr, Vec<u8>), WhoisError> {
        let config = &self.inner.config;
        let deadline = Instant::from_std(crate::net::deadline(
            std::time::Instant::now(),
            config.total_timeout,
        ));
        let timed_out = |bytes_read| WhoisError::Timeout {
            server: server.clone(),
            after: config.total_timeout,
            bytes_read,
        };
        let io_failed = |error: std::io::Error, bytes_read| WhoisError::Io {
            server: server.clone(),
            kind: error.kind(),
            message: error.to_string(),
            bytes_read,
        };

        let addresses = timeout_at(deadline, resolve_permitted(server, config.allow_loopback))
            .await
            .map_err(|_| timed_out(0))??;
        let (mut stream, peer) = self.connect(server, &addresses, deadline).await?;

        let query = format!("{line}\r\n");
        timeout_at(deadline, stream.write_all(query.as_bytes()))
            .await
            .map_err(|_| timed_out(0))?
            .map_err(|error| io_failed(error, 0))?;

        let mut body = Vec::new();
        let mut chunk = vec![0_u8; 16 * 1024];
        loop {
            let read = timeout_at(deadline, stream.read(&mut chunk))
                .await
                .map_err(|_| timed_out(body.len()))?
                .map_err(|error| io_failed(error, body.len()))?;
            if read == 0 {
                break;
            }
            if body.len() + read > config.max_answer_bytes {
                return Err(WhoisError::TooLarge {
                    server: server.clone(),
                    limit: config.max_answer_bytes,
                    bytes_read: body.len() + read,
                });
            }
            body.extend_from_slice(&chunk[..read]);
        }
        if body.is_empty() {
            return Err(WhoisError::EmptyAnswer {
                server: server.clone(),
            });
        }
        Ok((peer, body))
    }

    /// Tries each permitted address in turn within the connect deadline.
    async fn connect(
        &self,
        server: &ServerAddress,
        addresses: &[SocketAddr],
        total_deadline: Instant,
    ) -> Result<(TcpStream, SocketAddr), WhoisError> {
        let started = Instant::now();
        let connect_by =
            crate::net::deadline(started.into_std(), self.inner.config.connect_timeout);
        let deadline = Instant::from_std(connect_by).min(total_deadline);
        let mut last_error = None;
        for address in addresses {
            match timeout_at(deadline, TcpStream::connect(address)).await {
                Ok(Ok(stream)) => return Ok((stream, *address)),
                Ok(Err(error)) => last_error = Some(error),
                Err(_) => {
                    return Err(WhoisError::ConnectTimeout {
                        server: server.clone(),
                        after: deadline.saturating_duration_since(started),
                    });
                }
            }
        }
        Err(match last_error {
            Some(error) => WhoisError::Connect {
                server: server.clone(),
                kind: error.kind(),
                message: error.to_string(),
            },
            None => WhoisError::Resolve {
                server: server.clone(),
                message: "no address".to_owned(),
            },
        })
    }
}

/// Resolves `server` through the shared address policy (the same rule as
/// RDAP: loopback only when allowed, private ranges never), so that a
/// referral or IANA's `refer:` cannot point the client at the local network.
async fn resolve_permitted(
    server: &ServerAddress,
    allow_loopback: bool,
) -> Result<Vec<SocketAddr>, WhoisError> {
    let policy = crate::net::AddressPolicy { allow_loopback };
    resolve_allowed(policy, server.host(), server.port())
        .await
        .map_err(|error| match error {
            ResolveError::Refused(Refusal::Resolved { addresses, .. }) if !addresses.is_empty() => {
                WhoisError::ForbiddenAddress {
                    server: server.clone(),
                    address: addresses[0].0,
                }
            }
            other => WhoisError::Resolve {
                server: server.clone(),
                message: other.to_string(),
            },
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn client(overrides: &[&str]) -> WhoisClient {
        WhoisClient::new(WhoisConfig {
            overrides: ServerOverrides::parse_all(overrides.iter().copied()).unwrap(),
            ..WhoisConfig::default()
        })
    }

    #[rstest]
    #[case("x.de", &[], "whois.denic.de:43", "-T dn,ace x.de", ChosenBy::Table)]
    #[case("x.jp", &[], "whois.jprs.jp:43", "x.de/e", ChosenBy::Table)]
    #[case("x.com", &[], "whois.verisign-grs.com:43", "domain x.de", ChosenBy::Table)]
    #[case("x.it", &[], "whois.nic.it:43", "x.de", ChosenBy::Table)]
    #[case("x.de", &["de=127.0.0.1:4343"], "127.0.0.1:4343", "-T dn,ace x.de", ChosenBy::Override)]
    #[case("X.DE", &["DE=127.0.0.1:4343"], "127.0.0.1:4343", "-T dn,ace x.de", ChosenBy::Override)]
    #[case("x.museum", &["museum=whois.jprs.jp"], "whois.jprs.jp:43", "x.de/e", ChosenBy::Override)]
    #[case("x.museum", &["museum=whois.example.net"], "whois.example.net:43", "x.de", ChosenBy::Override)]
    #[case("x.de", &["whois.denic.de=127.0.0.1:9"], "127.0.0.1:9", "-T dn,ace x.de", ChosenBy::Table)]
    #[case("x.it", &["de=127.0.0.1:1"], "whois.nic.it:43", "x.de", ChosenBy::Table)]
    #[tokio::test]
    async fn chooses_server_and_dialect_without_network(
        #[case] name: &str,
        #[case] overrides: &[&str],
        #[case] dialled: &str,
        #[case] line: &str,
        #[case] chosen_by: ChosenBy,
    ) {
        let name = crate::domain::normalize(name).unwrap().name;
        let target = client(overrides).target_for(&name).await.unwrap();
        assert_eq!(target.spec.address.to_string(), dialled);
        assert_eq!(target.spec.query.render("x.de"), line);
        assert_eq!(target.chosen_by, chosen_by);
    }

    #[test]
    fn a_referral_to_the_registry_itself_is_not_followed() {
        let client = client(&["whois.markmonitor.com=127.0.0.1:2"]);
        let registry = client.target(
            ServerAddress::new("whois.verisign-grs.com", 43).unwrap(),
            None,
            ChosenBy::Table,
        );
        let to_self = b"Registrar WHOIS Server: WHOIS.verisign-grs.com\r\n";
        assert!(client.referral_target(&registry, to_self).is_none());
        let onward = b"Registrar WHOIS Server: whois.markmonitor.com\r\n";
        let referred = client.referral_target(&registry, onward).unwrap();
        assert_eq!(referred.named.to_string(), "whois.markmonitor.com:43");
        assert_eq!(referred.spec.address.to_string(), "127.0.0.1:2");
        assert_eq!(referred.chosen_by, ChosenBy::Referral);
    }
}
