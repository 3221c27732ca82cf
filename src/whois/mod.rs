//! Port-43 WHOIS (RFC 3912): for TLDs whose registry has no RDAP service.
//!
//! - [`servers`]: the built-in table of servers and their query dialects;
//! - [`overrides`]: `--whois-server KEY=HOST[:PORT]`;
//! - [`client`]: server choice (override, table, IANA `refer:`), the TCP
//!   exchange with deadlines and a size cap, and the registrar referral;
//! - [`extract`]: the two lines server choice reads from WHOIS text;
//! - [`address`], [`error`]: the server address and error types;
//! - `parse`: reading the text into a [`Record`]. WHOIS text has no
//!   standard; [`parse_whois`] reads the shapes registries actually use and
//!   is the reader's only entry point: a generic `key: value` reader that
//!   knows headings, indented blocks and RPSL objects, one synonym table for
//!   field names, and per-registry conventions (day/month order, the zone of
//!   zone-less times, charset, status words) chosen by the answering server,
//!   else by the TLD.
//!
//! The client hands back raw bytes; reading them is the parser's job.

pub mod address;
pub mod client;
pub mod error;
pub mod extract;
pub mod overrides;
pub mod servers;

pub use address::{AddressError, ServerAddress, WHOIS_PORT};
pub use client::{
    ChosenBy, Referral, WhoisAnswer, WhoisClient, WhoisConfig, WhoisLookup, WhoisTarget,
};
pub use error::WhoisError;
pub use extract::{iana_refer, referral_server};
pub use overrides::{OverrideError, OverrideKey, ServerOverride, ServerOverrides};
pub use servers::{QueryTemplate, ServerSpec, ServerTable, TableError};

mod parse;

use chrono::FixedOffset;

use crate::domain::DomainName;
use crate::record::{Record, RegistrarError, RegistrarErrorKind};
use crate::status::Status;

/// What was asked, and of whom: the reader needs both, since the answering
/// server decides the conventions (date order, zone, charset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoisQuery {
    /// The name asked for: lower case, A-label, no trailing dot.
    pub domain: String,
    /// Host name of the server that answered, when known.
    pub server: Option<String>,
    /// The TLD of `domain`, lower case (A-label for IDN TLDs).
    pub tld: String,
    /// The zone of the registry's zone-less times, from the policy table in
    /// use (a user's `--policy-file` may change it); `None` takes it from
    /// the built-in table.
    pub zone: Option<FixedOffset>,
}

impl WhoisQuery {
    /// The query a lookup of `name` made, answered by `server` (`None`:
    /// read by the conventions of the TLD's registry), zone-less times read
    /// in `zone`.
    pub fn for_name(
        name: &DomainName,
        server: Option<&str>,
        zone: Option<FixedOffset>,
    ) -> WhoisQuery {
        WhoisQuery {
            zone,
            ..WhoisQuery::new(name.ascii(), server)
        }
    }

    /// A query for `domain` as written (`domlife parse`, where no looked-up
    /// name exists), answered by `server`.
    pub fn new(domain: &str, server: Option<&str>) -> WhoisQuery {
        let domain = domain.trim().trim_end_matches('.').to_lowercase();
        let tld = domain.rsplit('.').next().unwrap_or_default().to_string();
        WhoisQuery {
            domain,
            server: server.map(|host| host.trim().trim_end_matches('.').to_lowercase()),
            tld,
            zone: None,
        }
    }

    /// The server for messages: its host name, or the TLD's registry.
    fn server_name(&self) -> String {
        self.server
            .clone()
            .unwrap_or_else(|| format!("the .{} registry", self.tld))
    }
}

/// Why a WHOIS answer gave no record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WhoisParseError {
    /// The server sent nothing (or only blank lines). Retry later; if it
    /// keeps happening the server may not serve this TLD any more.
    #[error("the WHOIS answer from {server} is empty")]
    Empty { server: String },
    /// The server refused because of query volume. Retry after a pause and
    /// query that server more slowly; the answer is not about the domain.
    #[error("{server} refused the query because of its query limit: {evidence}")]
    RateLimited { server: String, evidence: String },
    /// The answer has no field this reader knows and no "not found" phrase:
    /// probably a server that is not the registry's, or a new format.
    /// Report it with the evidence (the first lines of the answer).
    #[error("cannot read the WHOIS answer from {server}: {evidence}")]
    Unreadable { server: String, evidence: String },
}

impl WhoisParseError {
    /// True when the server asked us to slow down: retry later, more slowly.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, WhoisParseError::RateLimited { .. })
    }

    /// True when asking again later may give a readable answer.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            WhoisParseError::RateLimited { .. } | WhoisParseError::Empty { .. }
        )
    }

    /// The first lines of the answer, where the error kept them.
    pub fn evidence(&self) -> Option<&str> {
        match self {
            WhoisParseError::Empty { .. } => None,
            WhoisParseError::RateLimited { evidence, .. }
            | WhoisParseError::Unreadable { evidence, .. } => Some(evidence),
        }
    }
}

impl From<WhoisParseError> for RegistrarError {
    fn from(error: WhoisParseError) -> RegistrarError {
        let kind = match error {
            WhoisParseError::Empty { .. } => RegistrarErrorKind::Unavailable,
            WhoisParseError::RateLimited { .. } => RegistrarErrorKind::RateLimited,
            WhoisParseError::Unreadable { .. } => RegistrarErrorKind::Unreadable,
        };
        RegistrarError::new(kind, error.to_string())
    }
}

/// Reads a WHOIS answer (`body`, the bytes as received) to the `query`.
///
/// A "no match" answer is a record with `registered: false`. Times without
/// a zone are read in the registry's zone and converted to UTC; dates that
/// cannot be read, a guessed charset and an answer about another name are
/// kept in [`Record::notes`].
pub fn parse_whois(query: &WhoisQuery, body: &[u8]) -> Result<Record, WhoisParseError> {
    read_whois(query, body).map(|read| read.record)
}

/// A WHOIS answer read into a record, with the names it gives itself.
#[derive(Debug, Clone, PartialEq)]
pub struct WhoisRead {
    pub record: Record,
    /// What the answer's domain lines (`Domain Name:`, `domain:` ...) say,
    /// as printed: the caller checks that the answer is about the name it
    /// asked for. Lines of contact and registrar blocks are not in it.
    pub names: Vec<String>,
}

/// [`parse_whois`], keeping the names the answer gives its domain.
pub fn read_whois(query: &WhoisQuery, body: &[u8]) -> Result<WhoisRead, WhoisParseError> {
    parse::parse(query, body).map(|(record, names)| WhoisRead { record, names })
}

/// Status words as the reader maps them for the `tld` registry, in their
/// final shape (`REGISTERED, NOT DELEGATED` -> `[inactive]`). For comparing
/// other tools' status lists with domlife's.
pub fn map_status_words(tld: &str, words: &[&str]) -> Vec<Status> {
    parse::status_words(tld, words)
}
