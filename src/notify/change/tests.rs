use chrono::TimeZone;

use super::*;
use crate::audit::Outcome;
use crate::record::Registrar;
use crate::testutil;

/// What the target was told: `result` as an earlier report has it.
fn told(result: &AuditResult) -> Prior {
    Prior::from_report_result(&serde_json::to_value(result).unwrap())
}

fn summary(changes: &[Change]) -> Vec<String> {
    let mut lines: Vec<String> = changes
        .iter()
        .map(|change| {
            format!(
                "{} {} {:?} {}: {}",
                change.severity, change.domain, change.kind, change.code, change.message
            )
        })
        .collect();
    lines.sort();
    lines
}

#[test]
fn with_nothing_to_compare_every_finding_is_new() {
    let results = testutil::results();
    let mut held = results[1].clone();
    held.findings.push(Finding::new(
        Code::Changed,
        Severity::Error,
        "changed since the last audit: status added: serverHold",
        crate::reconcile::Evidence::default(),
    ));
    assert_eq!(
        summary(&changes_of(None, &held)),
        [
            "error held.org New on-hold: on-hold: not in DNS: serverHold, set by the registry",
            "notice held.org New registry-locked: registry-locked: registry lock: serverTransferProhibited",
        ]
    );
    let failed = changes_of(None, &results[3]);
    assert_eq!(
        summary(&failed),
        [
            "error fail.net New lookup-failed: lookup-failed: could not be checked: rdap.example: HTTP 503"
        ]
    );
}

#[test]
fn the_same_state_again_is_no_change() {
    for result in testutil::results() {
        assert_eq!(
            changes_of(Some(&told(&result)), &result),
            [],
            "{}",
            result.domain
        );
    }
}

#[test]
fn a_failed_lookup_is_announced_once_and_hides_nothing() {
    let results = testutil::results();
    let held = &results[1];
    let mut down = results[3].clone();
    down.domain = "held.org".to_owned();
    let failed = changes_of(Some(&told(held)), &down);
    assert_eq!(
        summary(&failed),
        [
            "error held.org New lookup-failed: lookup-failed: could not be checked: rdap.example: HTTP 503"
        ],
        "the hold is not announced as cleared while the registry is down"
    );
    let mut still_down = told(held);
    still_down.failure = Some("could not be checked: rdap.example: HTTP 503".to_owned());
    assert_eq!(changes_of(Some(&still_down), &down), []);

    let mut back = held.clone();
    back.findings.retain(|finding| finding.code != Code::OnHold);
    assert_eq!(
        summary(&changes_of(Some(&still_down), &back)),
        [
            "error held.org Gone lookup-failed: checked again; the lookup had failed (could not be checked: rdap.example: HTTP 503)",
            "error held.org Gone on-hold: on-hold cleared (it said: not in DNS: serverHold, set by the registry)",
        ]
    );
}

#[test]
fn findings_that_rise_or_go_and_record_changes_are_announced_with_both_sides() {
    let before = testutil::results()[0].clone();
    let mut after = before.clone();
    after.findings[0].severity = Severity::Error;
    after.findings[0].message = "expires on 2025-01-20, in 5 days: renew it".to_owned();
    after.findings.push(Finding::new(
        Code::TransferUnlocked,
        Severity::Warning,
        "no transfer lock",
        crate::reconcile::Evidence::default(),
    ));
    let record = after.record.as_mut().unwrap();
    record.statuses.clear();
    record.registrar = Some(Registrar {
        name: Some("Other Registrar".to_owned()),
        iana_id: Some("1234".to_owned()),
    });
    record.expires = record
        .expires
        .map(|expires| expires - chrono::Days::new(30));
    record.registrar_expires = Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
    let changes = changes_of(Some(&told(&before)), &after);
    assert_eq!(
        summary(&changes),
        [
            "error example.com Record changed: registrar Example Registrar, Inc. (IANA 9999) -> Other Registrar (IANA 1234): make sure this transfer was yours",
            "error example.com Worse expiring: expiring now error (was warning): expires on 2025-01-20, in 5 days: renew it",
            "warning example.com Expiry registry-expiry: registry expiry moved back: 2025-01-20 -> 2024-12-21",
            "warning example.com New transfer-unlocked: transfer-unlocked: no transfer lock",
            "warning example.com Record changed: status removed: clientTransferProhibited",
        ]
    );
    let registrar = changes
        .iter()
        .find(|change| change.message.starts_with("registrar"))
        .unwrap();
    assert_eq!(
        (registrar.before.as_deref(), registrar.after.as_deref()),
        (
            Some("Example Registrar, Inc. (IANA 9999)"),
            Some("Other Registrar (IANA 1234)")
        )
    );
    let statuses = changes
        .iter()
        .find(|change| change.message.starts_with("status"))
        .unwrap();
    assert_eq!(
        (statuses.before.as_deref(), statuses.after.as_deref()),
        (Some("clientTransferProhibited"), None)
    );
}

#[test]
fn a_phase_change_says_when_the_name_is_released_and_a_name_to_drop_gets_notices() {
    let before = testutil::results()[0].clone();
    let mut after = before.clone();
    let mut told_before = told(&before);
    told_before.phase = Some(Phase::Grace);
    after.phase = Some(Phase::Redemption);
    let release = after.timeline.as_ref().unwrap().release;
    let changes = changes_of(Some(&told_before), &after);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0].severity, Severity::Error);
    assert_eq!(
        changes[0].message,
        format!(
            "phase grace -> redemption; released {}",
            window_text(release)
        )
    );
    assert_eq!(changes[0].after.as_deref(), Some("redemption"));

    after.input.intent = Intent::Drop;
    assert_eq!(
        changes_of(Some(&told_before), &after)[0].severity,
        Severity::Notice
    );
    after.phase = None;
    assert_eq!(
        changes_of(Some(&told_before), &after),
        [],
        "an unknown phase is no change"
    );
    assert_eq!(after.outcome, Outcome::Checked);
}
