//! The findings model: [`Code`], [`Severity`], [`Finding`] and its
//! [`Evidence`], as plain serde data for every report format.
//!
//! A code is the stable identifier a user filters on, a CI job greps for and
//! `domlife explain` documents; its kebab-case spelling is part of the
//! public interface and never changes meaning. The message is for a person
//! and may be reworded; the evidence is for a program and says what the
//! finding rests on (statuses, dates, the server that answered).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::lifecycle::Window;
use crate::record::Source;
use crate::status::Status;

/// How much a finding needs attention; ordered `notice < warning < error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing to do now.
    Notice,
    /// Something to act on soon, or data to double-check.
    Warning,
    /// The name is at risk or already lost: act now.
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Notice, Severity::Warning, Severity::Error];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that is not `notice`, `warning` or `error`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity {0:?} (expected notice, warning or error)")]
pub struct UnknownSeverity(pub String);

impl FromStr for Severity {
    type Err = UnknownSeverity;

    fn from_str(text: &str) -> Result<Severity, UnknownSeverity> {
        let word = text.trim().to_ascii_lowercase();
        Severity::ALL
            .into_iter()
            .find(|severity| severity.as_str() == word)
            .ok_or_else(|| UnknownSeverity(text.to_owned()))
    }
}

/// What a finding is about. The kebab-case name is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    Expiring,
    Expired,
    RegistryAutoRenewed,
    Grace,
    Redemption,
    PendingDelete,
    NotRegistered,
    OnHold,
    TransferUnlocked,
    RegistryLocked,
    StatusConflict,
    PhaseMismatch,
    ExpiryDisagreement,
    RegistryDateDisagreement,
    NoExpiryPublished,
    LookupFailed,
    DeleteBlocked,
    DnssecSigned,
    StillDelegated,
    StillResolving,
    ResolvesOnHold,
    NotResolving,
    NsMismatch,
    Changed,
}

impl Code {
    /// Every code, in the order `domlife explain` lists them.
    pub const ALL: [Code; 24] = [
        Code::Expiring,
        Code::Expired,
        Code::RegistryAutoRenewed,
        Code::Grace,
        Code::Redemption,
        Code::PendingDelete,
        Code::NotRegistered,
        Code::OnHold,
        Code::TransferUnlocked,
        Code::RegistryLocked,
        Code::StatusConflict,
        Code::PhaseMismatch,
        Code::ExpiryDisagreement,
        Code::RegistryDateDisagreement,
        Code::NoExpiryPublished,
        Code::LookupFailed,
        Code::DeleteBlocked,
        Code::DnssecSigned,
        Code::StillDelegated,
        Code::StillResolving,
        Code::ResolvesOnHold,
        Code::NotResolving,
        Code::NsMismatch,
        Code::Changed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::Expiring => "expiring",
            Code::Expired => "expired",
            Code::RegistryAutoRenewed => "registry-auto-renewed",
            Code::Grace => "grace",
            Code::Redemption => "redemption",
            Code::PendingDelete => "pending-delete",
            Code::NotRegistered => "not-registered",
            Code::OnHold => "on-hold",
            Code::TransferUnlocked => "transfer-unlocked",
            Code::RegistryLocked => "registry-locked",
            Code::StatusConflict => "status-conflict",
            Code::PhaseMismatch => "phase-mismatch",
            Code::ExpiryDisagreement => "expiry-disagreement",
            Code::RegistryDateDisagreement => "registry-date-disagreement",
            Code::NoExpiryPublished => "no-expiry-published",
            Code::LookupFailed => "lookup-failed",
            Code::DeleteBlocked => "delete-blocked",
            Code::DnssecSigned => "dnssec-signed",
            Code::StillDelegated => "still-delegated",
            Code::StillResolving => "still-resolving",
            Code::ResolvesOnHold => "resolves-on-hold",
            Code::NotResolving => "not-resolving",
            Code::NsMismatch => "ns-mismatch",
            Code::Changed => "changed",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that names no finding code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown finding code {0:?}")]
pub struct UnknownCode(pub String);

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(text: &str) -> Result<Code, UnknownCode> {
        let word = text.trim().to_ascii_lowercase().replace('_', "-");
        Code::ALL
            .into_iter()
            .find(|code| code.as_str() == word)
            .ok_or_else(|| UnknownCode(text.to_owned()))
    }
}

/// Which date a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateRole {
    /// The day the audit is evaluated for.
    AsOf,
    RegistryExpiry,
    RegistrarExpiry,
    /// The owner's own expiry, from the input's `expires` column.
    InputExpiry,
    /// The expiry the lifecycle was computed from.
    LifecycleExpiry,
    Created,
    /// The last day the name can be renewed (end of grace).
    LastRenewal,
    /// The last day the name can be restored (end of redemption).
    LastRestore,
    /// The first day the name is free again.
    Release,
    /// A deletion date the registry publishes.
    RegistryDeletion,
    /// A release date the registry publishes.
    RegistryRelease,
    /// The computed window a registry-published date was compared with.
    Computed,
    /// The expiry an earlier audit saw (`changed`).
    PreviousExpiry,
    /// When DNS was asked.
    DnsAsked,
    /// When the last cached copy of a DNS answer may expire (asked + TTL).
    CachesExpire,
}

/// A point in time as precisely as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum When {
    Instant(DateTime<Utc>),
    Day(NaiveDate),
    Window(Window),
}

/// One dated fact a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedFact {
    pub role: DateRole,
    pub when: When,
}

/// What a finding rests on, for programs and for a person who doubts it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Evidence {
    /// The registry statuses involved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<Status>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<DatedFact>,
    /// The server whose answer the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The phases the lifecycle allows on the as-of day (snake_case names).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<String>,
    /// Nameservers, for the delegation checks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nameservers: Vec<String>,
    /// What DNS answered that the finding rests on (`A 192.0.2.1 ttl
    /// 300`, `NS ns1.example.net`, `NXDOMAIN`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dns: Vec<String>,
    /// Why a lookup failed, or which rule a state breaks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Evidence {
    pub fn with_statuses(mut self, statuses: impl IntoIterator<Item = Status>) -> Evidence {
        self.statuses.extend(statuses);
        self
    }

    pub fn with_date(mut self, role: DateRole, when: When) -> Evidence {
        self.dates.push(DatedFact { role, when });
        self
    }

    pub fn with_source(mut self, source: &Source) -> Evidence {
        self.source = Some(source.clone());
        self
    }

    pub fn with_reason(mut self, reason: impl Into<String>) -> Evidence {
        self.reason = Some(reason.into());
        self
    }
}

/// One thing that needs (or deserves) a person's attention.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    /// One line a person can act on; dates as YYYY-MM-DD.
    pub message: String,
    pub evidence: Evidence,
}

impl Finding {
    pub fn new(
        code: Code,
        severity: Severity,
        message: impl Into<String>,
        evidence: Evidence,
    ) -> Finding {
        Finding {
            code,
            severity,
            message: message.into(),
            evidence,
        }
    }

    /// The finding for a name that could not be checked at all (no record):
    /// the reason says what happened (network, rate limit, unreadable answer).
    pub fn lookup_failed(reason: impl Into<String>) -> Finding {
        let reason = reason.into();
        Finding {
            code: Code::LookupFailed,
            severity: Severity::Error,
            message: format!("could not be checked: {reason}"),
            evidence: Evidence::default().with_reason(reason),
        }
    }
}

/// `2024-07-30`, or `between 2024-07-30 and 2024-09-13` for a window.
pub fn window_text(window: Window) -> String {
    if window.is_exact() {
        window.earliest.to_string()
    } else {
        format!("between {} and {}", window.earliest, window.latest)
    }
}

/// "in 5 days", "today", "3 days ago", "1 day ago".
pub fn relative_days(days: i64) -> String {
    match days {
        0 => "today".to_owned(),
        1 => "in 1 day".to_owned(),
        -1 => "1 day ago".to_owned(),
        days if days > 0 => format!("in {days} days"),
        days => format!("{} days ago", days.unsigned_abs()),
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[test]
    fn severities_are_ordered_and_lower_case() {
        assert!(Severity::Notice < Severity::Warning);
        assert!(Severity::Warning < Severity::Error);
        assert_eq!(
            serde_json::to_string(&Severity::Warning).ok().as_deref(),
            Some("\"warning\"")
        );
        assert_eq!("ERROR".parse::<Severity>(), Ok(Severity::Error));
        assert!("fatal".parse::<Severity>().is_err());
    }

    #[test]
    fn every_code_round_trips_through_its_name_and_serde() {
        for code in Code::ALL {
            assert_eq!(code.as_str().parse::<Code>(), Ok(code));
            let json = serde_json::to_string(&code).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
        assert_eq!("pending_delete".parse::<Code>(), Ok(Code::PendingDelete));
        assert!("expiring-soon".parse::<Code>().is_err());
    }

    #[test]
    fn lookup_failed_keeps_the_reason() {
        let finding = Finding::lookup_failed("rdap.example: HTTP 429 after 3 tries");
        assert_eq!(finding.code, Code::LookupFailed);
        assert_eq!(finding.severity, Severity::Error);
        assert!(finding.message.contains("HTTP 429"));
        let json = serde_json::to_value(&finding).unwrap_or_default();
        assert_eq!(json["code"], "lookup-failed");
        assert_eq!(
            json["evidence"]["reason"],
            "rdap.example: HTTP 429 after 3 tries"
        );
        assert!(json["evidence"].get("statuses").is_none());
    }

    #[rstest]
    #[case(0, "today")]
    #[case(1, "in 1 day")]
    #[case(12, "in 12 days")]
    #[case(-1, "1 day ago")]
    #[case(-40, "40 days ago")]
    fn relative_days_read_naturally(#[case] days: i64, #[case] text: &str) {
        assert_eq!(relative_days(days), text);
    }
}
