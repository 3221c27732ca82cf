//! `phase-mismatch`: statuses that no allowed timeline can produce on the
//! as-of day.
//!
//! Every check asks for the *latest* day a state can legally last, so that
//! a late registry is never called impossible while a legal timeline could
//! still explain it:
//!
//! - the timeline is counted from the later of the registry's and the
//!   registrar's expiry, at the policy's longest stage lengths, and also
//!   from the dates the registry publishes; the latest of them counts;
//! - early deletion only moves states earlier, so it never excuses a late
//!   one, and a state *earlier* than the dates imply is never a mismatch (a
//!   name deleted on request enters redemption before its expiry);
//! - one day of slack covers daily batch runs;
//! - a policy whose release rule is unknown or in rounds (.br, the ccTLD
//!   fallback) says nothing about how long a name may linger, so it raises
//!   no "overdue" mismatch.
//!
//! The checks: `autoRenewPeriod` past the policy's auto-renew period (45
//! days for gTLDs, .cn and .ca) after an auto-renewal;
//! a name with no deletion status past the last day it could be renewed
//! (auto-renewing registries: the end of grace; others: the release);
//! `redemptionPeriod` past the latest end of redemption; `pendingDelete`
//! past the latest release.

use chrono::{Months, NaiveDate};

use super::facts::{DeletionStage, Facts, SLACK_DAYS};
use super::finding::{Code, DateRole, Evidence, Finding, Severity, When};
use super::lifecycle_rules::add;
use crate::lifecycle::{Expiry, Phase, ReleaseRule, Timeline};
use crate::status::Status;

pub(super) fn check(facts: &Facts, findings: &mut Vec<Finding>) {
    findings.extend(auto_renew_period(facts));
    findings.extend(overdue(facts));
}

fn mismatch(facts: &Facts, rule: String, statuses: Vec<Status>) -> Finding {
    let mut evidence = Evidence::default()
        .with_statuses(statuses)
        .with_date(DateRole::AsOf, When::Instant(facts.audit.as_of))
        .with_source(&facts.record.source)
        .with_reason(rule.clone());
    if let Some(expiry) = facts.record.expires {
        evidence = evidence.with_date(DateRole::RegistryExpiry, When::Instant(expiry));
    }
    if let Some(expiry) = facts.record.registrar_expires {
        evidence = evidence.with_date(DateRole::RegistrarExpiry, When::Instant(expiry));
    }
    Finding::new(
        Code::PhaseMismatch,
        Severity::Warning,
        format!("{rule}: the registry's data is stale or wrong; ask the registrar"),
        evidence,
    )
}

/// `autoRenewPeriod` is legal for the policy's auto-renew period (45 days
/// for gTLDs) from the auto-renewal, which
/// happened at the registry's expiry (not yet moved) or a year before it
/// (moved); before the earlier of those a later renewal may have moved the
/// date further, so only "too late" is checked.
fn auto_renew_period(facts: &Facts) -> Option<Finding> {
    if !facts.record.has_status(&Status::AutoRenewPeriod) {
        return None;
    }
    let expiry = facts.record.expires?;
    let expiry_day = facts.day(expiry);
    let renewed_day = facts.day(expiry.checked_sub_months(Months::new(12))?);
    let period = i64::from(facts.audit.policy.auto_renew_period.value());
    let limit = period + SLACK_DAYS;
    let day = facts.as_of_day;
    let after_moved = day > add(renewed_day, limit) && day < expiry_day;
    let after_unmoved = day > add(expiry_day, limit);
    if !(after_moved || after_unmoved) {
        return None;
    }
    let since = if after_unmoved {
        expiry_day
    } else {
        renewed_day
    };
    Some(mismatch(
        facts,
        format!(
            "autoRenewPeriod {} days after the auto-renewal on {since}, beyond its \
             {period} days",
            facts.days_until(since).unsigned_abs()
        ),
        vec![Status::AutoRenewPeriod],
    ))
}

fn overdue(facts: &Facts) -> Option<Finding> {
    let policy = facts.audit.policy;
    if matches!(
        policy.release.value(),
        ReleaseRule::Unknown | ReleaseRule::Rounds
    ) {
        return None;
    }
    let day = facts.as_of_day;
    let past = |limit: NaiveDate| day > add(limit, SLACK_DAYS);
    let statuses = facts.lifecycle_statuses();
    match facts.deletion {
        Some(DeletionStage::PendingRestore) => None,
        Some(DeletionStage::Redemption) if facts.record.has_status(&Status::RedemptionPeriod) => {
            let end = latest_end(facts, Phase::Redemption)?;
            past(end).then(|| {
                mismatch(
                    facts,
                    format!(
                        "still in redemption on {day}, but redemption ends by {end} at the latest"
                    ),
                    statuses,
                )
            })
        }
        Some(stage) => {
            let release = latest_release(facts)?;
            // The release day itself is the first free day.
            past(add(release, -1)).then(|| {
                mismatch(
                    facts,
                    format!(
                        "still in {} on {day}, but the name is released by {release} at the latest",
                        stage.name()
                    ),
                    statuses,
                )
            })
        }
        None if facts.record.has_status(&Status::AutoRenewPeriod) => None,
        None if policy.auto_renews.value() => {
            let end = latest_end(facts, Phase::Grace)?;
            past(end).then(|| {
                mismatch(
                    facts,
                    format!(
                        "no deletion status on {day} though the expiry has passed and grace ends \
                         by {end} at the latest (the registry auto-renews: it should show a new \
                         expiry, or redemption)"
                    ),
                    facts.record.statuses.clone(),
                )
            })
        }
        None => {
            let release = latest_release(facts)?;
            past(add(release, -1)).then(|| {
                mismatch(
                    facts,
                    format!(
                        "still registered with the old expiry on {day}, but the name is released \
                         by {release} at the latest (renewed names get a new expiry)"
                    ),
                    facts.record.statuses.clone(),
                )
            })
        }
    }
}

/// The timelines a state may follow: from the later of the two expiries at
/// the policy's lengths, and the one narrowed to the registry's dates.
fn timelines(facts: &Facts) -> Vec<Timeline> {
    let later = [facts.record.expires, facts.record.registrar_expires]
        .into_iter()
        .flatten()
        .max();
    later
        .and_then(|expiry| Timeline::for_policy(Expiry::Instant(expiry), facts.audit.policy).ok())
        .into_iter()
        .chain(facts.timeline.clone())
        .collect()
}

fn latest_end(facts: &Facts, phase: Phase) -> Option<NaiveDate> {
    timelines(facts)
        .iter()
        .filter_map(|timeline| {
            timeline
                .phases()
                .into_iter()
                .find(|span| span.phase == phase)
                .and_then(|span| span.end)
                .map(|end| end.latest)
        })
        .max()
}

fn latest_release(facts: &Facts) -> Option<NaiveDate> {
    let stated = facts
        .record
        .registry_dates
        .release
        .map(|release| facts.day(release));
    timelines(facts)
        .iter()
        .map(|timeline| timeline.release().latest)
        .chain(stated)
        .max()
}
