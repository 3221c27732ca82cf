//! What changed in a registration between two audits: the `changed`
//! findings.
//!
//! Pure: [`changes`] compares a [`RecordSnapshot`] (what an earlier audit
//! saw, read from an earlier JSON report by `check --baseline`, or from
//! the store's history) with the [`Record`] of this run. One finding per
//! aspect that differs, its severity following what changed:
//!
//! | change | severity | why |
//! |---|---|---|
//! | registered -> not registered | error | the name is gone |
//! | not registered -> registered | notice | registered (again) since |
//! | a hold, pendingDelete, redemptionPeriod, pendingRestore or pendingTransfer added | error | out of DNS, being deleted or leaving |
//! | autoRenewPeriod added | warning | expired; the registrar has not renewed yet |
//! | other statuses added (locks, billing windows, unknown words) | notice | |
//! | a transfer lock removed | warning | the name can now be transferred away |
//! | other statuses removed | notice | a hold lifted, a lock changed |
//! | registrar changed | error | a transfer: check it was yours |
//! | nameservers changed | warning | the delegation moved |
//! | DNSSEC turned off | warning; on: notice | |
//! | expiry moved later (renewed) | notice | |
//! | expiry moved earlier | warning | a renewal was undone, or the data is wrong |
//!
//! [`apply_changes`] adds them to an [`AuditResult`]; `check --baseline`
//! ([`crate::baseline`]) and the store's history ([`crate::history`]) both
//! go through it, so a change weighs the same whichever memory saw it.
//!
//! A side that does not say (no registrar, no DNSSEC flag, no expiry in one
//! of the two) is no change: sources differ in what they publish, and a
//! lookup that fell back from RDAP to WHOIS must not look like a transfer.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::audit::AuditResult;
use crate::input::Intent;
use crate::reconcile::{Code, DateRole, Evidence, Finding, Severity, When};
use crate::record::{Record, Registrar};
use crate::status::{Status, StatusKind};

/// What an earlier audit saw of a registration: the fields a change is
/// looked for in. Deserialises from the `record` of any `check --format
/// json` report, older ones included: missing fields take their default
/// (`registered` defaults to true, since a record is a registration unless
/// it says otherwise) and unknown fields are ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordSnapshot {
    pub registered: bool,
    pub expires: Option<DateTime<Utc>>,
    pub registrar_expires: Option<DateTime<Utc>>,
    pub statuses: Vec<Status>,
    pub registrar: Option<Registrar>,
    pub nameservers: Vec<String>,
    pub dnssec: Option<bool>,
}

impl Default for RecordSnapshot {
    fn default() -> RecordSnapshot {
        RecordSnapshot {
            registered: true,
            expires: None,
            registrar_expires: None,
            statuses: Vec::new(),
            registrar: None,
            nameservers: Vec::new(),
            dnssec: None,
        }
    }
}

impl From<&Record> for RecordSnapshot {
    fn from(record: &Record) -> RecordSnapshot {
        RecordSnapshot {
            registered: record.registered,
            expires: record.expires,
            registrar_expires: record.registrar_expires,
            statuses: record.statuses.clone(),
            registrar: record.registrar.clone(),
            nameservers: record.nameservers.clone(),
            dnssec: record.dnssec,
        }
    }
}

/// The `changed` findings for `current` against `previous`, worst first.
pub fn changes(previous: &RecordSnapshot, current: &Record) -> Vec<Finding> {
    let mut found = Vec::new();
    match (previous.registered, current.registered) {
        (true, false) => found.push(changed(
            Severity::Error,
            "no longer registered: the registry has no such name any more".to_owned(),
            Evidence::default().with_source(&current.source),
        )),
        (false, true) => found.push(changed(
            Severity::Notice,
            "registered since the last audit, which found no such name".to_owned(),
            Evidence::default().with_source(&current.source),
        )),
        (false, false) => {}
        (true, true) => {
            statuses(previous, current, &mut found);
            registrar(previous, current, &mut found);
            nameservers(previous, current, &mut found);
            dnssec(previous, current, &mut found);
            expiry(previous, current, &mut found);
        }
    }
    found.sort_by_key(|finding| std::cmp::Reverse(finding.severity));
    found
}

/// Adds the `changed` findings of `result` against `previous` to its
/// findings, kept worst first (then by code). For a name to drop every
/// change is a notice, as for the audit rules. A result without a record
/// has nothing to compare and is left as it is.
pub fn apply_changes(result: &mut AuditResult, previous: &RecordSnapshot) {
    let Some(record) = &result.record else {
        return;
    };
    let mut found = changes(previous, record);
    if result.input.intent == Intent::Drop {
        for finding in &mut found {
            finding.severity = Severity::Notice;
        }
    }
    result.findings.extend(found);
    result
        .findings
        .sort_by(|a, b| b.severity.cmp(&a.severity).then(a.code.cmp(&b.code)));
}

fn changed(severity: Severity, message: String, evidence: Evidence) -> Finding {
    Finding::new(
        Code::Changed,
        severity,
        format!("changed since the last audit: {message}"),
        evidence,
    )
}

fn added_severity(status: &Status) -> Severity {
    match status.kind() {
        StatusKind::Hold => Severity::Error,
        StatusKind::Lifecycle if *status == Status::AutoRenewPeriod => Severity::Warning,
        StatusKind::Lifecycle => Severity::Error,
        StatusKind::Transient if *status == Status::PendingTransfer => Severity::Error,
        _ => Severity::Notice,
    }
}

fn removed_severity(status: &Status) -> Severity {
    match status {
        Status::ClientTransferProhibited
        | Status::ServerTransferProhibited
        | Status::TransferProhibited
        | Status::Locked => Severity::Warning,
        _ => Severity::Notice,
    }
}

fn statuses(previous: &RecordSnapshot, current: &Record, found: &mut Vec<Finding>) {
    let added: Vec<Status> = current
        .statuses
        .iter()
        .filter(|status| !previous.statuses.contains(status))
        .cloned()
        .collect();
    let removed: Vec<Status> = previous
        .statuses
        .iter()
        .filter(|status| !current.statuses.contains(status))
        .cloned()
        .collect();
    for (list, verb, severity_of) in [
        (added, "added", added_severity as fn(&Status) -> Severity),
        (removed, "removed", removed_severity),
    ] {
        let Some(severity) = list.iter().map(severity_of).max() else {
            continue;
        };
        let names: Vec<String> = list.iter().map(ToString::to_string).collect();
        found.push(changed(
            severity,
            format!("status {verb}: {}", names.join(", ")),
            Evidence::default()
                .with_statuses(list)
                .with_source(&current.source),
        ));
    }
}

/// Case, spacing and punctuation differences between sources are not a
/// change of registrar.
fn same_registrar(a: &Registrar, b: &Registrar) -> Option<bool> {
    if let (Some(a), Some(b)) = (&a.iana_id, &b.iana_id) {
        return Some(a.trim() == b.trim());
    }
    let fold = |name: &str| -> String {
        name.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    match (&a.name, &b.name) {
        (Some(a), Some(b)) => Some(fold(a) == fold(b)),
        _ => None,
    }
}

/// `Name (IANA id)`, as much of it as the record says.
pub(crate) fn describe_registrar(registrar: &Registrar) -> String {
    match (&registrar.name, &registrar.iana_id) {
        (Some(name), Some(id)) => format!("{name} (IANA {id})"),
        (Some(name), None) => name.clone(),
        (None, Some(id)) => format!("IANA {id}"),
        (None, None) => "unknown".to_owned(),
    }
}

fn registrar(previous: &RecordSnapshot, current: &Record, found: &mut Vec<Finding>) {
    let (Some(before), Some(now)) = (&previous.registrar, &current.registrar) else {
        return;
    };
    if same_registrar(before, now) == Some(false) {
        let change = format!(
            "{} -> {}",
            describe_registrar(before),
            describe_registrar(now)
        );
        found.push(changed(
            Severity::Error,
            format!("registrar {change}: make sure this transfer was yours"),
            Evidence::default()
                .with_reason(format!("registrar {change}"))
                .with_source(&current.source),
        ));
    }
}

fn canonical(nameservers: &[String]) -> Vec<String> {
    let mut names: Vec<String> = nameservers
        .iter()
        .map(|name| name.trim().trim_end_matches('.').to_lowercase())
        .filter(|name| !name.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn nameservers(previous: &RecordSnapshot, current: &Record, found: &mut Vec<Finding>) {
    let before = canonical(&previous.nameservers);
    let now = canonical(&current.nameservers);
    // An empty list is a source (or an older report) that does not say; a
    // name with no delegation at all is reported by the status rules.
    if before == now || before.is_empty() || now.is_empty() {
        return;
    }
    let added: Vec<&str> = now
        .iter()
        .filter(|name| !before.contains(name))
        .map(String::as_str)
        .collect();
    let removed: Vec<&str> = before
        .iter()
        .filter(|name| !now.contains(name))
        .map(String::as_str)
        .collect();
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("removed {}", removed.join(", ")));
    }
    let change = parts.join("; ");
    let mut evidence = Evidence::default()
        .with_reason(format!("nameservers {change}"))
        .with_source(&current.source);
    evidence.nameservers = now.clone();
    found.push(changed(
        Severity::Warning,
        format!("nameservers {change}"),
        evidence,
    ));
}

fn dnssec(previous: &RecordSnapshot, current: &Record, found: &mut Vec<Finding>) {
    match (previous.dnssec, current.dnssec) {
        (Some(true), Some(false)) => found.push(changed(
            Severity::Warning,
            "DNSSEC turned off (the registry no longer has a DS record)".to_owned(),
            Evidence::default().with_source(&current.source),
        )),
        (Some(false), Some(true)) => found.push(changed(
            Severity::Notice,
            "DNSSEC turned on".to_owned(),
            Evidence::default().with_source(&current.source),
        )),
        _ => {}
    }
}

/// Compares like with like: the registrar's dates when both audits have
/// one, else the registry's. A shift of less than a day is a source's
/// rounding or time zone, not a renewal.
fn expiry(previous: &RecordSnapshot, current: &Record, found: &mut Vec<Finding>) {
    let pair = match (previous.registrar_expires, current.registrar_expires) {
        (Some(before), Some(now)) => Some((before, now, DateRole::RegistrarExpiry)),
        _ => previous
            .expires
            .zip(current.expires)
            .map(|(before, now)| (before, now, DateRole::RegistryExpiry)),
    };
    let Some((before, now, role)) = pair else {
        return;
    };
    if (now - before).abs() < TimeDelta::days(1) {
        return;
    }
    let (severity, what) = if now > before {
        (Severity::Notice, "renewed: expiry moved")
    } else {
        (Severity::Warning, "expiry moved back")
    };
    found.push(changed(
        severity,
        format!(
            "{what} from {} to {}",
            before.date_naive(),
            now.date_naive()
        ),
        Evidence::default()
            .with_date(DateRole::PreviousExpiry, When::Instant(before))
            .with_date(role, When::Instant(now))
            .with_source(&current.source),
    ));
}

#[cfg(test)]
mod tests;
