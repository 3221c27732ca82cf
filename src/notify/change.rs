//! [`Change`]: one thing a notification announces about a name, and
//! [`changes_of`], what differs between what a target was last told
//! ([`Prior`]) and this run's result.
//!
//! Pure. What counts as a change:
//! - a finding whose code was not there before (`new`), one whose
//!   severity rose (`worse`), one that is gone (`gone`, at the severity it
//!   had); `changed` findings are left out, since they are relative to the
//!   store's last run and not to what the target heard;
//! - a name whose lookup newly failed (`lookup-failed`, `new`), or that
//!   answers again (`lookup-failed`, `gone`). A failed lookup says nothing
//!   about the rest: a registry that is down must not make a redemption
//!   look over, so nothing else is compared until it answers again;
//! - a lifecycle phase change (`phase`);
//! - the registry's or the registrar's expiry moved by a day or more
//!   (`registry-expiry`, `registrar-expiry`);
//! - statuses, registrar, nameservers or DNSSEC changed (`changed`), weighed
//!   by [`crate::changes`] so that a change weighs what it weighs in
//!   reports.
//!
//! With nothing to compare with, every finding is new. A name to drop gets
//! notices only, as in the audit.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::prior::Prior;
use crate::audit::AuditResult;
use crate::changes::{RecordSnapshot, changes, describe_registrar};
use crate::input::Intent;
use crate::lifecycle::Phase;
use crate::reconcile::finding::window_text;
use crate::reconcile::{Code, Finding, Severity};
use crate::record::Record;

/// What kind of change a [`Change`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A finding that was not there.
    New,
    /// A finding whose severity rose.
    Worse,
    /// A lifecycle phase change.
    Phase,
    /// Statuses, registrar, nameservers or DNSSEC.
    Record,
    /// An expiry date moved.
    Expiry,
    /// A finding that went away.
    Gone,
}

/// One change, for the `changes` list of a notification and one line of
/// its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub domain: String,
    /// The finding code, or `phase`, `registry-expiry`, `registrar-expiry`,
    /// `changed`.
    pub code: String,
    pub severity: Severity,
    pub kind: ChangeKind,
    /// What it was and what it is: the finding's message, the phase, the
    /// date, the statuses; `null` for a side that has none.
    pub before: Option<String>,
    pub after: Option<String>,
    /// The line a person reads, without the severity and the name.
    pub message: String,
}

/// Everything that differs between `prior` (what the target was told;
/// `None`: nothing) and `result`, unfiltered and unsorted.
pub fn changes_of(prior: Option<&Prior>, result: &AuditResult) -> Vec<Change> {
    let compared = |finding: &&Finding| finding.code != Code::Changed;
    let mut found = Vec::new();
    let Some(prior) = prior else {
        for finding in result.findings.iter().filter(compared) {
            found.push(new_finding(result, finding));
        }
        return found;
    };
    let Some(record) = &result.record else {
        let failed = result
            .findings
            .iter()
            .find(|finding| finding.code == Code::LookupFailed);
        if let (None, Some(finding)) = (&prior.failure, failed) {
            found.push(new_finding(result, finding));
        }
        return found;
    };
    if let Some(why) = &prior.failure {
        found.push(change(
            result,
            Code::LookupFailed.as_str(),
            Severity::Error,
            ChangeKind::Gone,
            (Some(why.clone()), None),
            format!("checked again; the lookup had failed ({why})"),
        ));
    }
    findings(prior, result, &mut found);
    phase(prior, result, &mut found);
    if let Some(before) = &prior.record {
        expiry(before, record, result, &mut found);
        aspects(before, record, result, &mut found);
    }
    found
}

/// Sorts changes as a notification lists them: most severe first, then by
/// name, kind and code.
pub fn most_severe_first(changes: &mut [Change]) {
    changes.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.domain.cmp(&b.domain))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.code.cmp(&b.code))
    });
}

fn change(
    result: &AuditResult,
    code: &str,
    severity: Severity,
    kind: ChangeKind,
    (before, after): (Option<String>, Option<String>),
    message: String,
) -> Change {
    let severity = if result.input.intent == Intent::Drop {
        Severity::Notice
    } else {
        severity
    };
    let mut message = message;
    // The deletion findings say it themselves.
    if let Some(release) = release_text(result, code).filter(|_| !message.contains("released")) {
        message.push_str(&release);
    }
    Change {
        domain: result.domain.clone(),
        code: code.to_owned(),
        severity,
        kind,
        before,
        after,
        message,
    }
}

/// `; released between ... and ...` for a name in grace, redemption or
/// pending delete, on the lines about that.
fn release_text(result: &AuditResult, code: &str) -> Option<String> {
    let lifecycle = result.timeline.as_ref()?;
    let in_deletion = matches!(
        result.phase,
        Some(Phase::Grace | Phase::Redemption | Phase::PendingDelete)
    );
    let about_it = ["phase", "grace", "redemption", "pending-delete"].contains(&code);
    (in_deletion && about_it).then(|| format!("; released {}", window_text(lifecycle.release)))
}

fn new_finding(result: &AuditResult, finding: &Finding) -> Change {
    change(
        result,
        finding.code.as_str(),
        finding.severity,
        ChangeKind::New,
        (None, Some(finding.message.clone())),
        format!("{}: {}", finding.code, finding.message),
    )
}

/// The worst finding of each code, in code order.
fn by_code<'a>(
    findings: impl Iterator<Item = (Code, Severity, &'a str)>,
) -> Vec<(Code, Severity, &'a str)> {
    let mut worst: Vec<(Code, Severity, &str)> = Vec::new();
    for (code, severity, message) in findings {
        if matches!(code, Code::Changed | Code::LookupFailed) {
            continue;
        }
        match worst.iter_mut().find(|(seen, _, _)| *seen == code) {
            Some(kept) if kept.1 < severity => *kept = (code, severity, message),
            Some(_) => {}
            None => worst.push((code, severity, message)),
        }
    }
    worst.sort_by_key(|(code, _, _)| *code);
    worst
}

fn findings(prior: &Prior, result: &AuditResult, found: &mut Vec<Change>) {
    let before = by_code(
        prior
            .findings
            .iter()
            .map(|finding| (finding.code, finding.severity, finding.message.as_str())),
    );
    let now = by_code(
        result
            .findings
            .iter()
            .map(|finding| (finding.code, finding.severity, finding.message.as_str())),
    );
    for &(code, severity, message) in &now {
        let pair = (None, Some(message.to_owned()));
        match before.iter().find(|(seen, _, _)| *seen == code) {
            None => found.push(change(
                result,
                code.as_str(),
                severity,
                ChangeKind::New,
                pair,
                format!("{code}: {message}"),
            )),
            Some(&(_, was, earlier)) if was < severity => found.push(change(
                result,
                code.as_str(),
                severity,
                ChangeKind::Worse,
                (Some(earlier.to_owned()), Some(message.to_owned())),
                format!("{code} now {severity} (was {was}): {message}"),
            )),
            Some(_) => {}
        }
    }
    for &(code, was, message) in &before {
        if !now.iter().any(|(seen, _, _)| *seen == code) {
            found.push(change(
                result,
                code.as_str(),
                was,
                ChangeKind::Gone,
                (Some(message.to_owned()), None),
                format!("{code} cleared (it said: {message})"),
            ));
        }
    }
}

fn phase(prior: &Prior, result: &AuditResult, found: &mut Vec<Change>) {
    let (Some(before), Some(now)) = (prior.phase, result.phase) else {
        return;
    };
    if before == now {
        return;
    }
    let severity = if now == Phase::Active {
        Severity::Notice
    } else {
        Severity::Error
    };
    found.push(change(
        result,
        "phase",
        severity,
        ChangeKind::Phase,
        (Some(before.name().to_owned()), Some(now.name().to_owned())),
        format!("phase {} -> {}", before.name(), now.name()),
    ));
}

fn expiry(before: &RecordSnapshot, record: &Record, result: &AuditResult, found: &mut Vec<Change>) {
    let pairs = [
        (
            "registry-expiry",
            "registry",
            before.expires,
            record.expires,
        ),
        (
            "registrar-expiry",
            "registrar",
            before.registrar_expires,
            record.registrar_expires,
        ),
    ];
    for (code, whose, was, now) in pairs {
        let Some((was, now)) = was.zip(now) else {
            continue;
        };
        if (now - was).abs() < TimeDelta::days(1) {
            continue;
        }
        let (severity, how) = if now > was {
            (Severity::Notice, "renewed")
        } else {
            (Severity::Warning, "moved back")
        };
        found.push(change(
            result,
            code,
            severity,
            ChangeKind::Expiry,
            (Some(day(was)), Some(day(now))),
            format!("{whose} expiry {how}: {} -> {}", day(was), day(now)),
        ));
    }
}

fn day(instant: DateTime<Utc>) -> String {
    instant.date_naive().to_string()
}

/// Statuses, registrar, nameservers and DNSSEC, one at a time: the
/// earlier record with only that aspect taken from `before`, so that each
/// change of [`changes`] comes with its own before and after.
fn aspects(
    before: &RecordSnapshot,
    record: &Record,
    result: &AuditResult,
    found: &mut Vec<Change>,
) {
    let current = RecordSnapshot::from(record);
    let list = |items: &[String]| Some(items.join(", ")).filter(|text| !text.is_empty());
    let statuses = |snapshot: &RecordSnapshot| {
        list(
            &snapshot
                .statuses
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
        )
    };
    let dnssec = |snapshot: &RecordSnapshot| {
        snapshot
            .dnssec
            .map(|on| if on { "on" } else { "off" }.to_owned())
    };
    let mixes = [
        (
            RecordSnapshot {
                statuses: before.statuses.clone(),
                ..current.clone()
            },
            statuses(before),
            statuses(&current),
        ),
        (
            RecordSnapshot {
                registrar: before.registrar.clone(),
                ..current.clone()
            },
            before.registrar.as_ref().map(describe_registrar),
            current.registrar.as_ref().map(describe_registrar),
        ),
        (
            RecordSnapshot {
                nameservers: before.nameservers.clone(),
                ..current.clone()
            },
            list(&before.nameservers),
            list(&current.nameservers),
        ),
        (
            RecordSnapshot {
                dnssec: before.dnssec,
                ..current.clone()
            },
            dnssec(before),
            dnssec(&current),
        ),
    ];
    for (mixed, was, now) in mixes {
        for finding in changes(&mixed, record) {
            let message = finding
                .message
                .strip_prefix("changed since the last audit: ")
                .unwrap_or(&finding.message)
                .to_owned();
            found.push(change(
                result,
                Code::Changed.as_str(),
                finding.severity,
                ChangeKind::Record,
                (was.clone(), now.clone()),
                message,
            ));
        }
    }
}

#[cfg(test)]
mod tests;
