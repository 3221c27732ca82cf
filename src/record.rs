//! [`Record`]: the one normalised shape every lookup produces.
//!
//! RDAP and WHOIS readers both fill a `Record`; nothing downstream (the
//! lifecycle engine, the audit, the reports) knows which protocol answered
//! except through [`Record::source`]. The JSON form is the one documented in
//! the README and printed by `domlife parse` and `--format json`.
//!
//! A gTLD registry and the sponsoring registrar can disagree, most often
//! after expiry, when the registry has auto-renewed and moved its date a year
//! ahead while the registrar has not renewed. Both views are therefore kept:
//! the registry's in the top-level fields, the registrar's in
//! [`Record::registrar_view`].

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::status::Status;

/// The most statuses a record keeps. Registries publish a handful; an
/// answer with thousands is broken or hostile, and every later step
/// (normalising, the audit's rules, the reports) would pay for each.
pub const MAX_STATUSES: usize = 64;
/// The most name servers a record keeps (a delegation has a few; DNS
/// answers carry at most 13 comfortably).
pub const MAX_NAMESERVERS: usize = 64;

/// The note a record carries when a reader kept only the first `limit`
/// values of a list (`what`: "statuses", "name servers", ...).
pub fn truncated_note(what: &str, limit: usize) -> String {
    format!("the answer lists more than {limit} {what}; only the first {limit} are kept")
}

/// Everything known about one registration, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The name looked up, lower case, A-label.
    pub domain: String,
    /// False when the registry answered that it has no such name.
    pub registered: bool,
    /// Who answered for the registry view.
    pub source: Source,
    /// Registry expiry.
    pub expires: Option<DateTime<Utc>>,
    /// Expiry as the sponsoring registrar states it (RDAP `registrar
    /// expiration`, from either server, or the registrar's own `expiration`).
    pub registrar_expires: Option<DateTime<Utc>>,
    pub created: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    /// Statuses the registry reports, EPP names where one applies.
    pub statuses: Vec<Status>,
    pub registrar: Option<Registrar>,
    /// Lower case, no trailing dot, sorted, no duplicates.
    pub nameservers: Vec<String>,
    /// Whether the delegation is signed (DS at the registry); `None` when the
    /// source does not say.
    pub dnssec: Option<bool>,
    /// Lifecycle dates the registry publishes outright.
    pub registry_dates: RegistryDates,
    /// What the registrar's own server said, when it was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrar_view: Option<RegistrarView>,
    /// Things a reader of the record should know: a referral that failed, a
    /// charset that had to be guessed, a field that could not be read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Which server produced a view, and how it was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub protocol: Protocol,
    /// Host name of the server (`rdap.verisign.com`, `whois.cnnic.cn`), or a
    /// file name when the record was read from disk.
    pub server: Option<String>,
    /// The URL asked, for RDAP.
    pub url: Option<String>,
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Rdap,
    Whois,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Registry,
    Registrar,
}

/// The sponsoring registrar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registrar {
    pub name: Option<String>,
    /// IANA registrar ID (gTLDs), as published.
    pub iana_id: Option<String>,
}

/// Lifecycle dates published by the registry itself (.se `date_to_release`,
/// .nl "Date out of quarantine", .ru `free-date`, RDAP `deletion`). Where the
/// registry states a date it wins over a computed one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryDates {
    pub deletion: Option<DateTime<Utc>>,
    pub release: Option<DateTime<Utc>>,
}

/// The sponsoring registrar's own answer, kept beside the registry's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrarView {
    pub source: Source,
    /// The registrar's own `expiration` event, where it publishes one.
    pub expires: Option<DateTime<Utc>>,
    pub statuses: Vec<Status>,
    /// Why the registrar could not be read; the registry view still stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RegistrarError>,
}

/// Why the registrar's own answer is not in the record: its kind, for code
/// that decides (retry later, report a policy refusal), and the sentence
/// reports print. Serialised as the sentence alone; read back from JSON,
/// where the kind is not kept, it is [`RegistrarErrorKind::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RegistrarError {
    kind: RegistrarErrorKind,
    message: String,
}

/// The kinds of [`RegistrarError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegistrarErrorKind {
    /// The registrar's server did not answer in time; a later run may get it.
    Timeout,
    /// The registrar's server said we ask too often; ask it more slowly.
    RateLimited,
    /// The safety policy refused the registrar's address or URL (a private
    /// address, plain http) before any connection.
    RefusedByPolicy,
    /// The server failed or the connection broke; a later run may get it.
    Unavailable,
    /// The question failed in a way asking again will not fix (a 4xx, an
    /// oversized answer, no answer in the store or the capture).
    Failed,
    /// The registrar's server answered 404.
    NotFound,
    /// The registrar answered that it has no such domain.
    NoSuchDomain,
    /// The registrar answered about another name.
    OtherName,
    /// The answer could not be read.
    Unreadable,
    /// Read back from JSON, which keeps only the sentence.
    Unknown,
}

impl RegistrarError {
    pub fn new(kind: RegistrarErrorKind, message: impl Into<String>) -> RegistrarError {
        RegistrarError {
            kind,
            message: message.into(),
        }
    }

    pub fn kind(&self) -> RegistrarErrorKind {
        self.kind
    }

    /// The sentence reports print.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The registrar's server did not answer in time.
    pub fn is_timeout(&self) -> bool {
        self.kind == RegistrarErrorKind::Timeout
    }

    /// The registrar's server said we ask too often.
    pub fn is_rate_limited(&self) -> bool {
        self.kind == RegistrarErrorKind::RateLimited
    }

    /// Asking again later may get the registrar's answer.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            RegistrarErrorKind::Timeout
                | RegistrarErrorKind::RateLimited
                | RegistrarErrorKind::Unavailable
        )
    }

    /// The safety policy refused the registrar's server.
    pub fn is_refused_by_policy(&self) -> bool {
        self.kind == RegistrarErrorKind::RefusedByPolicy
    }

    /// The registrar does not know the name (a 404, or an answer saying so).
    pub fn is_not_found(&self) -> bool {
        matches!(
            self.kind,
            RegistrarErrorKind::NotFound | RegistrarErrorKind::NoSuchDomain
        )
    }

    /// The registrar answered, but not in a form the reader knows.
    pub fn is_unreadable(&self) -> bool {
        self.kind == RegistrarErrorKind::Unreadable
    }
}

impl Serialize for RegistrarError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.message)
    }
}

impl<'de> Deserialize<'de> for RegistrarError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)
            .map(|message| RegistrarError::new(RegistrarErrorKind::Unknown, message))
    }
}

impl Registrar {
    /// A registrar as a person gives it (`--registrar`, a sheet's
    /// `registrar` column): digits are an IANA registrar ID, anything else a
    /// name as registries print it.
    pub fn from_input(text: &str) -> Registrar {
        let text = text.trim();
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            Registrar {
                name: None,
                iana_id: Some(text.to_owned()),
            }
        } else {
            Registrar {
                name: Some(text.to_owned()),
                iana_id: None,
            }
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Rdap => "rdap",
            Protocol::Whois => "whois",
        })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Registry => "registry",
            Role::Registrar => "registrar",
        })
    }
}

impl Record {
    /// An empty record for `domain`, to be filled by a reader.
    pub fn new(domain: impl Into<String>, source: Source) -> Record {
        Record {
            domain: domain.into(),
            registered: true,
            source,
            expires: None,
            registrar_expires: None,
            created: None,
            updated: None,
            statuses: Vec::new(),
            registrar: None,
            nameservers: Vec::new(),
            dnssec: None,
            registry_dates: RegistryDates::default(),
            registrar_view: None,
            notes: Vec::new(),
        }
    }

    /// The registry's answer that it has no such name.
    pub fn not_registered(domain: impl Into<String>, source: Source) -> Record {
        Record {
            registered: false,
            ..Record::new(domain, source)
        }
    }

    /// The expiry that decides the deadline: the registrar's when it states
    /// one, since a registry's auto-renewed date is not a renewal.
    pub fn effective_expiry(&self) -> Option<DateTime<Utc>> {
        self.registrar_expires.or(self.expires)
    }

    /// True when the registry reports `status` (registrar statuses excluded).
    pub fn has_status(&self, status: &Status) -> bool {
        self.statuses.contains(status)
    }

    /// Sets the nameservers in their canonical form: lower case, no
    /// trailing dot, sorted, each once; the first [`MAX_NAMESERVERS`]
    /// distinct ones the answer lists, with a note when there are more.
    pub fn set_nameservers<I, S>(&mut self, names: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut all: Vec<String> = Vec::new();
        for name in names {
            let name = name.as_ref().trim().trim_end_matches('.').to_lowercase();
            if name.is_empty() || all.contains(&name) {
                continue;
            }
            if all.len() == MAX_NAMESERVERS {
                self.notes
                    .push(truncated_note("name servers", MAX_NAMESERVERS));
                break;
            }
            all.push(name);
        }
        all.sort();
        self.nameservers = all;
    }

    /// Adds a status unless it is already there, keeping the source's order.
    /// False, and nothing added, when the record already holds
    /// [`MAX_STATUSES`] others.
    pub fn push_status(&mut self, status: Status) -> bool {
        if self.statuses.contains(&status) {
            return true;
        }
        if self.statuses.len() == MAX_STATUSES {
            return false;
        }
        self.statuses.push(status);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        Source {
            protocol: Protocol::Whois,
            server: Some("whois.cnnic.cn".into()),
            url: None,
            role: Role::Registry,
        }
    }

    #[test]
    fn nameservers_are_canonical() {
        let mut record = Record::new("example.cn", source());
        record.set_nameservers(["NS2.Example.CN.", "ns1.example.cn", "ns2.example.cn", " "]);
        assert_eq!(record.nameservers, ["ns1.example.cn", "ns2.example.cn"]);
    }

    #[test]
    fn json_shape_matches_the_design() {
        let mut record = Record::new("example.cn", source());
        record.push_status(Status::ServerHold);
        record.push_status(Status::ServerHold);
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(json["source"]["protocol"], "whois");
        assert_eq!(json["source"]["role"], "registry");
        assert_eq!(json["statuses"], serde_json::json!(["serverHold"]));
        assert_eq!(json["registry_dates"]["release"], serde_json::Value::Null);
        assert!(json.get("registrar_view").is_none());
        let back: Record = serde_json::from_value(json).unwrap();
        assert_eq!(back, record);
    }

    #[test]
    fn registrar_expiry_wins_as_the_deadline() {
        let mut record = Record::new("example.com", source());
        let registry = "2026-09-14T04:00:00Z".parse().ok();
        let registrar = "2025-09-14T04:00:00Z".parse().ok();
        record.expires = registry;
        assert_eq!(record.effective_expiry(), registry);
        record.registrar_expires = registrar;
        assert_eq!(record.effective_expiry(), registrar);
    }
}
