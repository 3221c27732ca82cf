//! [`DnsClient`]: asks recursive resolvers about a name through
//! hickory-resolver and returns a [`DnsReport`].
//!
//! This is the module's only I/O. It sits beside the RDAP and WHOIS
//! clients and shares nothing with them: DNS questions never go through
//! the registries' gate, so they cost no registry rate, and their own
//! bound (`--dns-concurrency` names at once) and deadline
//! (`--dns-timeout` per question) apply. The resolver's cache keeps every
//! answer for the run (up to its TTL), so a name asked twice costs one
//! round of questions.
//!
//! A client that cannot be built (an unreadable `/etc/resolv.conf`) is
//! still a client: every name it is asked about gets the reason as a
//! [`DnsUnavailable`], and the audit notes it beside the registry's
//! findings.

use std::net::SocketAddr;
use std::time::Duration;

use chrono::Utc;
use hickory_resolver::TokioResolver;
use hickory_resolver::config::{
    ConnectionConfig, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::Name;
use tokio::sync::Semaphore;

use super::answer::{ASKED, DnsAnswer, DnsReport, RecordKind};
use super::caps::{MAX_ERROR_CHARS, cap_text};
use super::config::DnsConfig;
use super::read;

/// Tries per question: a second UDP packet covers one lost on the way.
const ATTEMPTS: usize = 2;

/// Why a name could not be asked about at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("DNS could not be asked: {0}")]
pub struct DnsUnavailable(pub String);

/// Asks DNS about names; cheap to share (`Arc`) between audits.
#[derive(Debug)]
pub struct DnsClient {
    resolver: Result<TokioResolver, String>,
    /// The resolvers asked, as reports show them.
    resolvers: Vec<String>,
    limit: Semaphore,
    timeout: Duration,
}

impl DnsClient {
    /// A client for `config`. Never fails: a resolver that cannot be set
    /// up is reported on every name instead (see the module docs).
    pub fn new(config: &DnsConfig) -> DnsClient {
        let built = resolver_config(config).and_then(|(resolver_config, mut options)| {
            let resolvers = labels(&resolver_config);
            options.timeout = config.timeout;
            options.attempts = ATTEMPTS;
            // An audit asks what DNS publishes, not what this machine's
            // hosts file says.
            options.use_hosts_file = ResolveHosts::Never;
            options.max_active_requests = config.concurrency.max(1) * ASKED.len();
            let mut builder = TokioResolver::builder_with_config(
                resolver_config,
                TokioRuntimeProvider::default(),
            );
            *builder.options_mut() = options;
            builder
                .build()
                .map(|resolver| (resolver, resolvers))
                .map_err(|error| error.to_string())
        });
        let (resolver, resolvers) = match built {
            Ok((resolver, resolvers)) => (Ok(resolver), resolvers),
            Err(reason) => (Err(cap_text(&reason, MAX_ERROR_CHARS).0), Vec::new()),
        };
        DnsClient {
            resolver,
            resolvers,
            limit: Semaphore::new(config.concurrency.max(1)),
            timeout: config.timeout,
        }
    }

    /// Asks about `name` (an A-label): NS and SOA, then A, AAAA, MX and
    /// TXT. Every question has an answer or a typed outcome; only a
    /// client without a resolver gives an error.
    pub async fn ask(&self, name: &str) -> Result<DnsReport, DnsUnavailable> {
        let resolver = self
            .resolver
            .as_ref()
            .map_err(|reason| DnsUnavailable(reason.clone()))?;
        let fqdn = Name::from_ascii(format!("{}.", name.trim_end_matches('.')))
            .map_err(|error| DnsUnavailable(format!("{name:?} is not a DNS name: {error}")))?;
        // The semaphore is never closed; a closed one would only mean no
        // bound, which is still a correct answer.
        let _permit = self.limit.acquire().await.ok();
        let asked_at = Utc::now();
        let ask = |kind| self.question(resolver, &fqdn, kind);
        let (ns, soa) = tokio::join!(ask(RecordKind::Ns), ask(RecordKind::Soa));
        let (a, aaaa, mx, txt) = tokio::join!(
            ask(RecordKind::A),
            ask(RecordKind::Aaaa),
            ask(RecordKind::Mx),
            ask(RecordKind::Txt)
        );
        let mut answers = Vec::with_capacity(ASKED.len());
        let mut notes = Vec::new();
        for (answer, answer_notes) in [ns, soa, a, aaaa, mx, txt] {
            answers.push(answer);
            notes.extend(answer_notes);
        }
        let answered = answers.iter().any(|answer| !answer.outcome.is_unasked());
        Ok(DnsReport {
            name: name.to_owned(),
            asked_at,
            answered_by: match self.resolvers.as_slice() {
                [only] if answered => Some(only.clone()),
                _ => None,
            },
            resolvers: self.resolvers.clone(),
            answers,
            notes,
        })
    }

    /// One question, bounded by the deadline of all its attempts (the
    /// resolver's own deadlines are per attempt).
    async fn question(
        &self,
        resolver: &TokioResolver,
        name: &Name,
        kind: RecordKind,
    ) -> (DnsAnswer, Vec<String>) {
        let patience = self.timeout.saturating_mul(ATTEMPTS as u32 + 1);
        let lookup = resolver.lookup(name.clone(), read::record_type(kind));
        let mut notes = Vec::new();
        let answer = match tokio::time::timeout(patience, lookup).await {
            Ok(Ok(lookup)) => read::answered(kind, lookup.answers(), &mut notes),
            Ok(Err(error)) => read::failed(kind, &error),
            Err(_) => read::timed_out(kind),
        };
        (answer, notes)
    }
}

/// The `--dns-server` resolvers, or the system's.
fn resolver_config(config: &DnsConfig) -> Result<(ResolverConfig, ResolverOpts), String> {
    if config.servers.is_empty() {
        return hickory_resolver::system_conf::read_system_conf()
            .map_err(|error| format!("cannot read the system's resolver configuration: {error}"));
    }
    let servers = config
        .servers
        .iter()
        .map(|server| {
            let connection = |mut connection: ConnectionConfig| {
                connection.port = server.0.port();
                connection
            };
            NameServerConfig::new(
                server.0.ip(),
                true,
                vec![
                    connection(ConnectionConfig::udp()),
                    connection(ConnectionConfig::tcp()),
                ],
            )
        })
        .collect();
    Ok((
        ResolverConfig::from_name_servers(servers),
        ResolverOpts::default(),
    ))
}

/// Each resolver as `IP:PORT` (the port of its first transport).
fn labels(config: &ResolverConfig) -> Vec<String> {
    config
        .name_servers()
        .iter()
        .map(|server| {
            let port = server
                .connections
                .first()
                .map_or(super::config::DNS_PORT, |connection| connection.port);
            SocketAddr::new(server.ip, port).to_string()
        })
        .collect()
}
