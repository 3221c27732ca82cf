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
    check_query_name,
};
pub use error::WhoisError;
pub use extract::{iana_refer, referral_server};
pub use overrides::{OverrideError, OverrideKey, ServerOverride, ServerOverrides};
pub use parse::KnownRegistry;
pub use servers::{QueryTemplate, ServerSpec, ServerTable, TableError};

mod parse;

use chrono::FixedOffset;

use crate::record::Record;
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
    /// A query for `domain` (A-label) answered by `server`.
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
    /// Report it with the evidence (the first lines of the answer,
    /// escaped), which the message carries.
    #[error(
        "cannot read the WHOIS answer from {server}: a layout domlife does not know \
         (please report it with these first lines): {evidence}"
    )]
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

/// Reads a WHOIS answer (`body`, the bytes as received) to the `query`.
///
/// A "no match" answer is a record with `registered: false`. Times without
/// a zone are read in the registry's zone and converted to UTC; dates that
/// cannot be read, a guessed charset and an answer about another name are
/// kept in [`Record::notes`].
pub fn parse_whois(query: &WhoisQuery, body: &[u8]) -> Result<Record, WhoisParseError> {
    parse::parse(query, body)
}

/// The registries the WHOIS reader knows conventions of (date order,
/// charset, servers), by TLD. Every answer goes through one generic reader;
/// these registries' answers are read with their conventions, any other
/// answer with the TLD's zone from the policy table and dates read only
/// where their order is certain.
pub fn known_registries() -> Vec<KnownRegistry> {
    parse::known_registries()
}

/// Status words as the reader maps them for the `tld` registry, in their
/// final shape (`REGISTERED, NOT DELEGATED` -> `[inactive]`). For comparing
/// other tools' status lists with domlife's.
pub fn map_status_words(tld: &str, words: &[&str]) -> Vec<Status> {
    parse::status_words(tld, words)
}
