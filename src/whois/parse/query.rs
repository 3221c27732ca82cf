//! What the WHOIS reader is asked ([`WhoisQuery`]: the name and the server
//! that answered, which decides the conventions) and how it fails
//! ([`WhoisParseError`]). A leaf, so the reader and the client both take it
//! from here.

use chrono::FixedOffset;

use crate::domain::DomainName;
use crate::record::{RegistrarError, RegistrarErrorKind};

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
    pub(super) fn server_name(&self) -> String {
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
