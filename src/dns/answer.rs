//! What DNS said about one name: the questions asked (NS, SOA, A, AAAA,
//! MX, TXT), and for each the records answered with their TTLs or a typed
//! outcome (NXDOMAIN, NODATA, SERVFAIL, REFUSED, timeout, error).
//!
//! Plain serde data with no I/O, like [`crate::record`]: the resolver
//! wrapper (`super::client`) fills it, the audit's DNS rules
//! (`crate::reconcile`) read it, reports print it. Everything in it came
//! from the network and is untrusted: it is size-capped when it is built
//! ([`super::caps`]) and escaped by every writer that is not JSON.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The record types asked, in the order they are asked: the delegation
/// first (NS, SOA), then what services use (A, AAAA, MX, TXT).
pub const ASKED: [RecordKind; 6] = [
    RecordKind::Ns,
    RecordKind::Soa,
    RecordKind::A,
    RecordKind::Aaaa,
    RecordKind::Mx,
    RecordKind::Txt,
];

/// A record type domlife asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RecordKind {
    Ns,
    Soa,
    A,
    Aaaa,
    Mx,
    Txt,
}

impl RecordKind {
    /// The type's mnemonic, as `dig` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Ns => "NS",
            RecordKind::Soa => "SOA",
            RecordKind::A => "A",
            RecordKind::Aaaa => "AAAA",
            RecordKind::Mx => "MX",
            RecordKind::Txt => "TXT",
        }
    }

    /// A, AAAA and MX: the types that make a name serve web sites and mail.
    pub fn is_service(self) -> bool {
        matches!(self, RecordKind::A | RecordKind::Aaaa | RecordKind::Mx)
    }
}

/// How one question was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Records of the type were answered.
    Answered,
    /// NXDOMAIN: the name does not exist in DNS.
    NxDomain,
    /// NOERROR with no record of the type: the name exists, the type not.
    NoData,
    /// SERVFAIL: the resolver could not get an answer (a lame or broken
    /// delegation, a DNSSEC failure, unreachable nameservers).
    ServFail,
    /// REFUSED: the resolver would not answer us.
    Refused,
    /// No answer before `--dns-timeout`.
    Timeout,
    /// Anything else (another response code, a network or protocol error);
    /// the answer's `error` says what.
    Error,
}

impl Outcome {
    /// The outcome as `show` prints it (`dig`'s status words).
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::NxDomain => "NXDOMAIN",
            Outcome::NoData => "NODATA",
            Outcome::ServFail => "SERVFAIL",
            Outcome::Refused => "REFUSED",
            Outcome::Timeout => "timeout",
            Outcome::Error => "error",
        }
    }

    /// True when nobody could be asked: a timeout, REFUSED or an error.
    pub fn is_unasked(self) -> bool {
        matches!(self, Outcome::Timeout | Outcome::Refused | Outcome::Error)
    }
}

/// One record of an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsRecord {
    /// Seconds a cache may keep it, as the resolver answered.
    pub ttl: u32,
    /// The record's data in presentation form: an address, a host name
    /// (lower case, no trailing dot), `10 mail.example.com` for MX, the
    /// concatenated strings of a TXT record, the seven SOA fields.
    pub data: String,
}

/// The answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsAnswer {
    #[serde(rename = "type")]
    pub kind: RecordKind,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<DnsRecord>,
    /// Records answered beyond the cap and not kept.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub omitted: usize,
    /// What went wrong, for [`Outcome::Error`] (and the response code of
    /// an unusual one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl DnsAnswer {
    /// An answer with no records.
    pub fn empty(kind: RecordKind, outcome: Outcome) -> DnsAnswer {
        DnsAnswer {
            kind,
            outcome,
            records: Vec::new(),
            omitted: 0,
            error: None,
        }
    }
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

/// Everything DNS said about one name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DnsReport {
    /// The name asked (A-label).
    pub name: String,
    /// When the questions were asked (DNS is asked now, whatever `--as-of`).
    pub asked_at: DateTime<Utc>,
    /// The recursive resolvers asked: `--dns-server` addresses, or the
    /// system's (`/etc/resolv.conf`).
    pub resolvers: Vec<String>,
    /// The resolver that answered, when it is known (one resolver asked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
    /// One answer per type, in the order asked.
    pub answers: Vec<DnsAnswer>,
    /// What a reader should know: records dropped, text cut short.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl DnsReport {
    /// The answer for `kind`, if it was asked.
    pub fn answer(&self, kind: RecordKind) -> Option<&DnsAnswer> {
        self.answers.iter().find(|answer| answer.kind == kind)
    }

    /// The records answered for `kind` (none when it was not answered).
    pub fn records(&self, kind: RecordKind) -> &[DnsRecord] {
        self.answer(kind)
            .map_or(&[], |answer| answer.records.as_slice())
    }

    /// The types answered with records among A, AAAA and MX.
    pub fn service_kinds(&self) -> Vec<RecordKind> {
        self.answers
            .iter()
            .filter(|answer| answer.kind.is_service() && !answer.records.is_empty())
            .map(|answer| answer.kind)
            .collect()
    }

    /// True when A, AAAA or MX records were answered: the name is served.
    pub fn resolves(&self) -> bool {
        !self.service_kinds().is_empty()
    }

    /// The NS set answered, normalised like a registry's nameservers
    /// (lower case, no trailing dot, sorted, no duplicates); `None` when
    /// no NS records came back.
    pub fn nameservers(&self) -> Option<Vec<String>> {
        let records = self.records(RecordKind::Ns);
        if records.is_empty() {
            return None;
        }
        let mut names: Vec<String> = records
            .iter()
            .map(|record| normalise_host(&record.data))
            .collect();
        names.sort();
        names.dedup();
        Some(names)
    }

    /// True when no question got an answer of any kind (every one timed
    /// out, was refused or failed): DNS could not be asked.
    pub fn unasked(&self) -> bool {
        !self.answers.is_empty()
            && self
                .answers
                .iter()
                .all(|answer| answer.outcome.is_unasked())
    }

    /// The longest TTL among the A, AAAA, MX and NS records: how long a
    /// cache may keep serving the name (its addresses, or the delegation
    /// that leads to them) after it is taken out of DNS.
    pub fn max_ttl(&self) -> Option<u32> {
        self.answers
            .iter()
            .filter(|answer| answer.kind.is_service() || answer.kind == RecordKind::Ns)
            .flat_map(|answer| &answer.records)
            .map(|record| record.ttl)
            .max()
    }

    /// When the last cached copy may expire: `asked_at` plus
    /// [`DnsReport::max_ttl`].
    pub fn caches_expire(&self) -> Option<DateTime<Utc>> {
        let ttl = self.max_ttl()?;
        Some(self.asked_at + TimeDelta::seconds(i64::from(ttl)))
    }

    /// The records of `kinds` as evidence lines: `A 192.0.2.1 ttl 300`.
    pub fn evidence(&self, kinds: &[RecordKind]) -> Vec<String> {
        self.answers
            .iter()
            .filter(|answer| kinds.contains(&answer.kind))
            .flat_map(|answer| {
                answer.records.iter().map(move |record| {
                    format!(
                        "{} {} ttl {}",
                        answer.kind.as_str(),
                        record.data,
                        record.ttl
                    )
                })
            })
            .collect()
    }
}

/// A host name as nameserver lists keep it: lower case, no trailing dot.
pub fn normalise_host(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}
