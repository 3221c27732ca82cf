//! Rules about dates and phases: `expiring`, `expired`, `grace`,
//! `redemption`, `pending-delete`, `not-registered`,
//! `registry-auto-renewed`, `expiry-disagreement`,
//! `registry-date-disagreement` and `no-expiry-published`.
//!
//! Where the name is comes first from the registry's statuses (a deletion
//! status is the registry's own word), then from the deadline and the
//! timeline. Messages give the last day to act and the predicted release,
//! as a window where the policy has one.

use chrono::{Days, NaiveDate, TimeDelta};

use super::audit::Audit;
use super::facts::{DeadlineOrigin, DeletionStage, Facts, a_year_apart};
use super::finding::{
    Code, DateRole, Evidence, Finding, Severity, When, relative_days, window_text,
};
use crate::input::Intent;
use crate::lifecycle::timeline::Boundary;
use crate::lifecycle::{Phase, Window};
use crate::record::Record;
use crate::status::Status;

pub(super) fn check(facts: &Facts, findings: &mut Vec<Finding>) {
    findings.extend(no_expiry_published(facts));
    findings.extend(expiry_disagreement(facts));
    findings.extend(auto_renewed(facts));
    registry_date_disagreements(facts, findings);
    findings.extend(phase(facts));
}

pub(super) fn not_registered(record: &Record, audit: &Audit) -> Finding {
    let server = record.source.server.as_deref().unwrap_or("the registry");
    let message = match audit.intent {
        Intent::Keep => format!(
            "not registered: {server} has no such name (released, or never registered); \
             register it again now if it is still needed"
        ),
        Intent::Drop => {
            format!("not registered: {server} has no such name; nothing left to do")
        }
    };
    Finding::new(
        Code::NotRegistered,
        audit.severity(Severity::Error),
        message,
        Evidence::default().with_source(&record.source),
    )
}

fn no_expiry_published(facts: &Facts) -> Option<Finding> {
    let record = facts.record;
    if record.expires.is_some() || record.registrar_expires.is_some() {
        return None;
    }
    let evidence = Evidence::default().with_source(&record.source);
    let (message, evidence) = match facts.audit.input_expiry {
        Some(expiry) => (
            format!(
                "the registry publishes no expiry date; the lifecycle is computed from \
                 the input's expires column ({})",
                facts.day(expiry)
            ),
            evidence.with_date(DateRole::InputExpiry, When::Instant(expiry)),
        ),
        None => (
            "the registry publishes no expiry date: add an expires column to the input \
             to have the lifecycle computed"
                .to_owned(),
            evidence,
        ),
    };
    Some(Finding::new(
        Code::NoExpiryPublished,
        Severity::Notice,
        message,
        evidence,
    ))
}

fn expiry_disagreement(facts: &Facts) -> Option<Finding> {
    let record = facts.record;
    let (registry, registrar) = (record.expires?, record.registrar_expires?);
    let apart = (registry - registrar).abs();
    let days_apart = (facts.day(registry) - facts.day(registrar))
        .num_days()
        .abs();
    let auto_renew = facts.auto_renewal.is_some()
        || record.has_status(&Status::AutoRenewPeriod)
        || a_year_apart(registry, registrar) && registrar < facts.audit.as_of;
    if apart <= TimeDelta::days(1) || auto_renew {
        return None;
    }
    Some(Finding::new(
        Code::ExpiryDisagreement,
        Severity::Warning,
        format!(
            "the registry's expiry {} and the registrar's {} are {days_apart} day{} apart: \
             ask the registrar which is right (the registrar's is used as the deadline)",
            facts.day(registry),
            facts.day(registrar),
            if days_apart == 1 { "" } else { "s" }
        ),
        Evidence::default()
            .with_date(DateRole::RegistryExpiry, When::Instant(registry))
            .with_date(DateRole::RegistrarExpiry, When::Instant(registrar))
            .with_source(&record.source),
    ))
}

fn auto_renewed(facts: &Facts) -> Option<Finding> {
    // Once deleted, the registry's date says nothing about a renewal: the
    // deletion finding tells what is left to do.
    if facts.deletion.is_some() {
        return None;
    }
    let renewal = facts.auto_renewal?;
    let registry_day = facts.day(renewal.registry_expiry);
    let mut evidence = Evidence::default()
        .with_statuses(facts.lifecycle_statuses())
        .with_date(
            DateRole::RegistryExpiry,
            When::Instant(renewal.registry_expiry),
        )
        .with_source(&facts.record.source);
    let message = match renewal.registrar_expiry {
        Some(registrar) => {
            evidence = evidence.with_date(DateRole::RegistrarExpiry, When::Instant(registrar));
            let day = facts.day(registrar);
            format!(
                "the registry auto-renewed to {registry_day}, but the registrar's expiry \
                 {day} passed {} without renewal: the registrar's date is the real deadline",
                relative_days(facts.days_until(day))
            )
        }
        None => format!(
            "the registry shows autoRenewPeriod and moved its expiry to {registry_day}: that \
             is not a renewal; the name expired about {} and the registrar may still delete it",
            facts.deadline.map_or_else(String::new, |deadline| facts
                .day(deadline.expiry)
                .to_string())
        ),
    };
    Some(Finding::new(
        Code::RegistryAutoRenewed,
        facts.audit.severity(Severity::Warning),
        message,
        evidence,
    ))
}

fn registry_date_disagreements(facts: &Facts, findings: &mut Vec<Finding>) {
    let source = &facts.record.source;
    if let Some(timeline) = &facts.timeline {
        for disagreement in timeline.disagreements() {
            let (role, what) = match disagreement.boundary {
                Boundary::Deletion => (DateRole::RegistryDeletion, "deletion"),
                Boundary::Release => (DateRole::RegistryRelease, "release"),
            };
            findings.push(Finding::new(
                Code::RegistryDateDisagreement,
                Severity::Notice,
                format!(
                    "the registry states {what} on {}, the policy gives {}: the registry's \
                     date is used",
                    disagreement.stated,
                    window_text(disagreement.computed)
                ),
                Evidence::default()
                    .with_date(role, When::Day(disagreement.stated))
                    .with_date(DateRole::Computed, When::Window(disagreement.computed))
                    .with_source(source),
            ));
        }
    }
    for pin in &facts.rejected_pins {
        findings.push(Finding::new(
            Code::RegistryDateDisagreement,
            Severity::Notice,
            format!(
                "the registry's date {} does not fit its own expiry ({}): it is ignored",
                pin.day, pin.reason
            ),
            Evidence::default()
                .with_date(pin.role, When::Day(pin.day))
                .with_source(source)
                .with_reason(pin.reason.clone()),
        ));
    }
}

/// The one finding saying where the name stands, if it needs saying.
fn phase(facts: &Facts) -> Option<Finding> {
    match facts.deletion {
        Some(DeletionStage::Redemption) => Some(redemption(facts, false)),
        Some(DeletionStage::PendingRestore) => Some(redemption(facts, true)),
        Some(DeletionStage::PendingDelete) => Some(pending_delete(facts)),
        None => by_dates(facts),
    }
}

fn by_dates(facts: &Facts) -> Option<Finding> {
    let deadline = facts.deadline?;
    let timeline = facts.timeline.as_ref();
    let expiry_day = timeline.map_or_else(|| facts.day(deadline.expiry), |t| t.expiry_day());
    let days_left = facts.days_until(expiry_day);
    if days_left >= 0 {
        return expiring(facts, deadline.origin, expiry_day, days_left);
    }
    if deadline.origin == DeadlineOrigin::Input {
        // The registry still lists the name: the owner's date is stale.
        return Some(expired(facts, expiry_day, Severity::Warning));
    }
    let in_grace = facts
        .span(Phase::Grace)
        .and_then(|span| span.end)
        .is_some_and(|end| facts.as_of_day <= end.latest);
    if facts.status_informed() {
        // A registry with a status vocabulary shows a deletion status from
        // the day it deletes; without one the name is still renewable.
        return Some(if in_grace {
            grace(facts, expiry_day)
        } else {
            expired(facts, expiry_day, Severity::Error)
        });
    }
    match facts.phase_now().and_then(|now| now.certain()) {
        Some(Phase::Grace) => Some(grace(facts, expiry_day)),
        Some(Phase::Redemption) => Some(redemption(facts, false)),
        Some(Phase::PendingDelete) => Some(pending_delete(facts)),
        _ => Some(expired(facts, expiry_day, Severity::Error)),
    }
}

fn expiring(
    facts: &Facts,
    origin: DeadlineOrigin,
    expiry_day: NaiveDate,
    days_left: i64,
) -> Option<Finding> {
    let threshold = facts.audit.threshold;
    let severity = if days_left <= i64::from(threshold.error_days) {
        Severity::Error
    } else if days_left <= i64::from(threshold.warning_days) {
        Severity::Warning
    } else {
        return None;
    };
    let action = match facts.audit.intent {
        Intent::Keep => "renew it",
        Intent::Drop => "to be dropped: let it lapse",
    };
    let expiry = facts.deadline.map(|d| d.expiry);
    Some(Finding::new(
        Code::Expiring,
        facts.audit.severity(severity),
        format!(
            "expires on {expiry_day} ({}, {}): {action}",
            relative_days(days_left),
            origin.label()
        ),
        Evidence::default()
            .with_date(
                origin.role(),
                expiry.map_or(When::Day(expiry_day), When::Instant),
            )
            .with_date(DateRole::AsOf, When::Instant(facts.audit.as_of))
            .with_source(&facts.record.source),
    ))
}

fn expired(facts: &Facts, expiry_day: NaiveDate, keep: Severity) -> Finding {
    let ago = relative_days(facts.days_until(expiry_day));
    let origin = facts
        .deadline
        .map_or(DeadlineOrigin::Registry, |d| d.origin);
    let detail = match (origin, facts.phase_now()) {
        (DeadlineOrigin::Input, _) => {
            " but the registry still lists the name: check with the registrar that it was \
             renewed and update the input's expires column"
                .to_owned()
        }
        (_, _) if facts.status_informed() => " and was not renewed; no renewal grace is left \
             under the policy, yet the registry shows no deletion status: ask the registrar at \
             once whether it can still be saved"
            .to_owned(),
        (_, Some(now)) if now.certain().is_none() => format!(
            " and was not renewed; by the policy it is now {}: ask the registrar at once",
            now.describe().replace('_', " ")
        ),
        _ => " and was not renewed; no renewal grace is left under the policy: ask the \
              registrar at once whether it can still be saved"
            .to_owned(),
    };
    Finding::new(
        Code::Expired,
        facts.audit.severity(keep),
        format!(
            "expired on {expiry_day} ({ago}, {}){detail}",
            origin.label()
        ),
        lifecycle_evidence(facts),
    )
}

fn grace(facts: &Facts, expiry_day: NaiveDate) -> Finding {
    let ago = relative_days(facts.days_until(expiry_day));
    let until = match facts.span(Phase::Grace).and_then(|span| span.end) {
        Some(end) if end.is_exact() => format!(
            "renewable at the registrar until {} ({})",
            end.latest,
            relative_days(facts.days_until(end.latest))
        ),
        Some(end) => format!(
            "renewable at the registrar until {} at the latest, and the registrar may \
             delete it any day before",
            end.latest
        ),
        None => "renewable at the registrar".to_owned(),
    };
    Finding::new(
        Code::Grace,
        facts.audit.severity(Severity::Error),
        format!(
            "in grace: expired on {expiry_day} ({ago}); {until}; released {} if not renewed",
            release_text(facts)
        ),
        lifecycle_evidence(facts),
    )
}

fn redemption(facts: &Facts, restore_requested: bool) -> Finding {
    let redemption_days = facts.audit.policy.redemption.value().max();
    let until = match redemption_end(facts) {
        Some(end) => format!("restorable for a fee until {}", window_text(end)),
        None if redemption_days == 0 => "restorable for a fee for a time the policy table \
             does not give (it has no redemption stage for this registry)"
            .to_owned(),
        None => format!(
            "restorable for a fee until {} at the latest (the deletion date is not \
             published; it may end sooner)",
            add(facts.as_of_day, i64::from(redemption_days) - 1)
        ),
    };
    let action = if restore_requested {
        "a restore was requested (pendingRestore): check with the registrar that it completes"
    } else {
        "restore it through the registrar now"
    };
    Finding::new(
        Code::Redemption,
        facts.audit.severity(Severity::Error),
        format!(
            "in redemption (deleted): {until}; {action}; released {}",
            release_text(facts)
        ),
        lifecycle_evidence(facts),
    )
}

fn pending_delete(facts: &Facts) -> Finding {
    // RDAP shows "pending delete" alone only in the last days; the dates
    // overrule that only when they leave no other phase (a published
    // deletion date, say).
    let could_be_redemption = facts
        .phase_now()
        .is_some_and(|now| now.certain() == Some(Phase::Redemption));
    let message = if could_be_redemption {
        format!(
            "pending delete with no redemption status, though by the dates it may still be \
             restorable until {}: ask the registrar about a restore at once; released {}",
            redemption_end(facts).map_or_else(String::new, window_text),
            release_text(facts)
        )
    } else {
        format!(
            "pending delete: can no longer be restored; released {}; to keep it, register \
             it again then",
            release_text(facts)
        )
    };
    Finding::new(
        Code::PendingDelete,
        facts.audit.severity(Severity::Error),
        message,
        lifecycle_evidence(facts),
    )
}

/// The end of redemption from the timeline, when the as-of day falls in a
/// timeline that still has the name in (or before) redemption; a
/// redemption status also bounds it from the as-of day (the deletion came
/// on or before it).
fn redemption_end(facts: &Facts) -> Option<Window> {
    let now = facts.phase_now()?;
    if !now.phases.contains(&Phase::Redemption) {
        return None;
    }
    let end = facts.span(Phase::Redemption)?.end?;
    let redemption_days = facts.audit.policy.redemption.value().max();
    Some(match facts.deletion {
        Some(DeletionStage::Redemption | DeletionStage::PendingRestore) => clamp(
            end,
            facts.as_of_day,
            add(facts.as_of_day, i64::from(redemption_days) - 1),
        ),
        _ => end,
    })
}

/// The earliest and (where known) latest first free day the statuses
/// allow, counted from the as-of day: a deletion stage shown began on or
/// before it and has not ended before it; a registry with a status
/// vocabulary that shows none has not deleted the name yet.
fn release_bounds(facts: &Facts) -> Option<(NaiveDate, Option<NaiveDate>)> {
    let policy = facts.audit.policy;
    let pending = policy.pending_delete.value();
    let redemption = policy.redemption.value();
    let (after, within) = match facts.deletion {
        Some(DeletionStage::PendingDelete) => (1, Some(pending.max())),
        Some(DeletionStage::Redemption | DeletionStage::PendingRestore) => {
            (1 + pending.min(), Some(redemption.max() + pending.max()))
        }
        None if facts.status_informed() => (1 + redemption.min() + pending.min(), None),
        None => return None,
    };
    Some((
        add(facts.as_of_day, i64::from(after)),
        within.map(|days| add(facts.as_of_day, i64::from(days))),
    ))
}

/// The predicted release: the registry's own date, else the timeline's when
/// the as-of day lies on it, else a bound counted from the as-of day.
fn release_text(facts: &Facts) -> String {
    if let Some(release) = facts.record.registry_dates.release {
        return format!("on {} (the registry's date)", facts.day(release));
    }
    let on_timeline = facts.phase_now().is_some_and(|now| {
        now.phases
            .iter()
            .any(|phase| *phase != Phase::Active && *phase != Phase::Released)
    });
    let bounds = release_bounds(facts);
    match (&facts.timeline, bounds) {
        (Some(timeline), _) if on_timeline => {
            let computed = timeline.release();
            let release = bounds.map_or(computed, |(floor, ceiling)| {
                clamp(computed, floor, ceiling.unwrap_or(computed.latest))
            });
            if release.is_exact() {
                format!("on {}", release.earliest)
            } else {
                window_text(release)
            }
        }
        (_, Some((_, Some(bound)))) => format!(
            "by {bound} at the latest (counted from the as-of day: the deletion date is not \
             published)"
        ),
        _ => "on a date the policy does not give".to_owned(),
    }
}

/// `window` narrowed to `floor..=ceiling` where they overlap; a window
/// entirely outside them is kept as the policy gives it.
fn clamp(window: Window, floor: NaiveDate, ceiling: NaiveDate) -> Window {
    let earliest = window.earliest.max(floor);
    let latest = window.latest.min(ceiling);
    if earliest <= latest {
        Window { earliest, latest }
    } else {
        window
    }
}

fn lifecycle_evidence(facts: &Facts) -> Evidence {
    let mut evidence = Evidence::default()
        .with_statuses(facts.lifecycle_statuses())
        .with_date(DateRole::AsOf, When::Instant(facts.audit.as_of))
        .with_source(&facts.record.source);
    if let Some(deadline) = facts.deadline {
        evidence = evidence.with_date(deadline.origin.role(), When::Instant(deadline.expiry));
    }
    if let Some(end) = facts.span(Phase::Grace).and_then(|span| span.end) {
        evidence = evidence.with_date(DateRole::LastRenewal, When::Window(end));
    }
    if let Some(end) = facts.span(Phase::Redemption).and_then(|span| span.end) {
        evidence = evidence.with_date(DateRole::LastRestore, When::Window(end));
    }
    if let Some(timeline) = &facts.timeline {
        evidence = evidence.with_date(DateRole::Release, When::Window(timeline.release()));
    }
    if let Some(now) = facts.phase_now() {
        evidence.phases = now.phases.iter().map(|p| p.name().to_owned()).collect();
    }
    evidence
}

/// `day` moved by `days` (saturating at the calendar's ends).
pub(super) fn add(day: NaiveDate, days: i64) -> NaiveDate {
    let moved = if days >= 0 {
        day.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        day.checked_sub_days(Days::new(days.unsigned_abs()))
    };
    moved.unwrap_or(day)
}
