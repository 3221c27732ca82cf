//! One rstest table per date and phase code (expiring, expired, grace,
//! redemption, pending-delete, not-registered, registry-auto-renewed, the
//! disagreements, no-expiry-published, lookup-failed), positive and
//! negative rows, on small records with explicit as-of dates; messages are
//! checked for the dates a person acts on.

use domlife::lifecycle::Phase;
use domlife::reconcile::{Code, Finding, Severity};
use rstest::rstest;

use super::build::{Case, codes};

const NOTICE: Option<Severity> = Some(Severity::Notice);
const WARNING: Option<Severity> = Some(Severity::Warning);
const ERROR: Option<Severity> = Some(Severity::Error);

#[rstest]
#[case::far_away(
    Case::new("example.com", "clientTransferProhibited", "2025-01-20", "2024-12-01"),
    None
)]
#[case::within_30_days(
    Case::new("example.com", "clientTransferProhibited", "2025-01-20", "2025-01-01"),
    WARNING
)]
#[case::within_7_days(
    Case::new("example.com", "clientTransferProhibited", "2025-01-20", "2025-01-15"),
    ERROR
)]
#[case::today(
    Case::new("example.com", "clientTransferProhibited", "2025-01-20", "2025-01-20"),
    ERROR
)]
#[case::core_tier_60_days(Case::new("example.com", "clientTransferProhibited", "2025-01-20", "2024-12-01").threshold(60, 14), WARNING)]
#[case::core_tier_14_days(Case::new("example.com", "clientTransferProhibited", "2025-01-20", "2025-01-10").threshold(60, 14), ERROR)]
#[case::drop_is_notice(Case::new("example.com", "clientTransferProhibited", "2025-01-20", "2025-01-15").drop(), NOTICE)]
#[case::registrar_date_decides(Case::new("example.com", "clientTransferProhibited", "2025-09-14", "2025-01-15").registrar_expires("2025-01-20"), ERROR)]
#[case::input_date_when_registry_has_none(Case::new("example.de", "", "", "2025-01-15").input_expiry("2025-02-01"), WARNING)]
#[case::already_expired(
    Case::new("example.com", "clientTransferProhibited", "2025-01-20", "2025-01-25"),
    None
)]
fn expiring(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::Expiring), expected);
    if let Some(finding) = case.finding(Code::Expiring) {
        assert!(
            finding.message.contains("expires on 2025-"),
            "{}",
            finding.message
        );
    }
}

#[test]
fn expiring_counts_the_days() {
    let case = Case::new(
        "example.com",
        "clientTransferProhibited",
        "2025-01-20",
        "2025-01-01",
    );
    let message = case.finding(Code::Expiring).map(|f| f.message);
    assert_eq!(
        message.as_deref(),
        Some("expires on 2025-01-20 (in 19 days, the registry's expiry): renew it")
    );
}

#[rstest]
// .jp has no renewal after expiry: an ok name past it has no grace left.
#[case::no_grace_left(Case::new("example.jp", "active", "2025-01-31", "2025-02-03"), ERROR)]
// A gTLD name still ok 50 days on: past the 45 days any registrar may keep it.
#[case::gtld_past_every_grace(
    Case::new("example.com", "active", "2024-06-30", "2024-08-19"),
    ERROR
)]
#[case::input_date_stale(Case::new("example.de", "", "", "2024-07-05").input_expiry("2024-06-30"), WARNING)]
#[case::drop_is_notice(Case::new("example.jp", "active", "2025-01-31", "2025-02-03").drop(), NOTICE)]
#[case::not_yet(Case::new("example.jp", "active", "2025-01-31", "2025-01-30"), None)]
#[case::in_grace_instead(Case::new("example.com", "active", "2024-06-30", "2024-07-10"), None)]
fn expired(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::Expired), expected);
}

#[rstest]
#[case::dates_a_year_apart(Case::new("example.com", "clientTransferProhibited", "2025-09-14", "2024-09-20").registrar_expires("2024-09-14"), WARNING)]
#[case::status_without_registrar_date(
    Case::new("example.com", "autoRenewPeriod", "2025-09-14", "2024-09-20"),
    WARNING
)]
#[case::drop_is_notice(Case::new("example.com", "autoRenewPeriod", "2025-09-14", "2024-09-20").drop(), NOTICE)]
#[case::registrar_renewed_during_auto_renew(Case::new("example.com", "autoRenewPeriod", "2025-09-14", "2024-09-20").registrar_expires("2025-09-14"), None)]
#[case::registrar_date_still_ahead(Case::new("example.com", "clientTransferProhibited", "2026-09-14", "2025-01-01").registrar_expires("2025-09-14"), None)]
#[case::same_dates(Case::new("example.com", "clientTransferProhibited", "2025-09-14", "2024-09-20").registrar_expires("2025-09-14"), None)]
fn registry_auto_renewed(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::RegistryAutoRenewed), expected);
}

#[test]
fn an_auto_renewed_name_is_in_grace_from_the_registrar_date() {
    let case = Case::new("example.com", "autoRenewPeriod", "2025-09-14", "2024-09-20")
        .registrar_expires("2024-09-14");
    let findings = case.findings();
    assert_eq!(
        codes(&findings),
        [
            Code::Grace,
            Code::RegistryAutoRenewed,
            Code::TransferUnlocked
        ]
    );
    let grace = &findings[0].message;
    assert!(
        grace.contains("expired on 2024-09-14 (6 days ago)"),
        "{grace}"
    );
    // The registrar may delete any day up to D+45.
    assert!(grace.contains("until 2024-10-29 at the latest"), "{grace}");
    // Not deleted by the as-of day: 30 + 5 days after tomorrow at the earliest.
    assert!(
        grace.contains("released between 2024-10-26 and 2024-12-04 if not renewed"),
        "{grace}"
    );
}

#[rstest]
#[case::gtld_ten_days_on(Case::new("example.com", "active", "2024-06-30", "2024-07-10"), ERROR)]
#[case::gtld_last_possible_day(
    Case::new("example.com", "active", "2024-06-30", "2024-08-14"),
    ERROR
)]
#[case::uk_suspended(
    Case::new("example.uk", "serverHold", "2024-06-30", "2024-08-10"),
    ERROR
)]
#[case::drop_is_notice(Case::new("example.com", "active", "2024-06-30", "2024-07-10").drop(), NOTICE)]
#[case::before_expiry(Case::new("example.com", "active", "2024-06-30", "2024-06-30"), None)]
#[case::deleted_already(
    Case::new(
        "example.com",
        "pendingDelete, redemptionPeriod",
        "2024-06-30",
        "2024-07-10"
    ),
    None
)]
fn grace(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::Grace), expected);
}

#[test]
fn grace_with_a_fixed_length_gives_the_exact_last_day_and_release() {
    // .io: late renewal to D+44, released D+80.
    let case = Case::new(
        "example.io",
        "clientTransferProhibited",
        "2024-06-30",
        "2024-07-10",
    );
    let message = case
        .finding(Code::Grace)
        .map(|f| f.message)
        .unwrap_or_default();
    assert_eq!(
        message,
        "in grace: expired on 2024-06-30 (10 days ago); renewable at the registrar until \
         2024-08-13 (in 34 days); released on 2024-09-18 if not renewed"
    );
}

#[rstest]
#[case::gtld(
    Case::new(
        "example.com",
        "pendingDelete, redemptionPeriod",
        "2024-06-30",
        "2024-08-01"
    ),
    ERROR
)]
#[case::restore_requested(
    Case::new(
        "example.com",
        "pendingDelete, pendingRestore",
        "2024-06-30",
        "2024-08-01"
    ),
    ERROR
)]
#[case::deleted_before_expiry(
    Case::new(
        "example.com",
        "pendingDelete, redemptionPeriod",
        "2025-06-30",
        "2024-08-01"
    ),
    ERROR
)]
// CNNIC shows pendingDelete for its whole redemption (no 5-day stage).
#[case::cn_pending_delete_is_redemption(
    Case::new("example.cn", "pendingDelete", "2024-06-30", "2024-08-10"),
    ERROR
)]
#[case::drop_is_notice(Case::new("example.com", "pendingDelete, redemptionPeriod", "2024-06-30", "2024-08-01").drop(), NOTICE)]
#[case::last_five_days(
    Case::new("example.com", "pendingDelete", "2024-06-30", "2024-08-01"),
    None
)]
#[case::not_deleted(Case::new("example.com", "active", "2024-06-30", "2024-07-05"), None)]
fn redemption(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::Redemption), expected);
    if expected.is_some() {
        assert!(case.finding(Code::PhaseMismatch).is_none());
    }
}

#[rstest]
// Deleted on the day seen: restorable 30 days, released 5 days after.
#[case::bounded_by_the_as_of_day(
    Case::new(
        "example.com",
        "pendingDelete, redemptionPeriod",
        "2024-06-30",
        "2024-08-01"
    ),
    "restorable for a fee until between 2024-08-01 and 2024-08-30",
    "released between 2024-08-07 and 2024-09-05"
)]
#[case::registry_deletion_date(
    Case::new("example.com", "pendingDelete, redemptionPeriod", "2024-06-30", "2024-08-01").registry_deletion("2024-07-20"),
    "restorable for a fee until 2024-08-18",
    "released on 2024-08-24"
)]
#[case::early_deletion(
    Case::new(
        "example.com",
        "pendingDelete, redemptionPeriod",
        "2025-06-30",
        "2024-08-01"
    ),
    "until 2024-08-30 at the latest (the deletion date is not published",
    "released by 2024-09-05 at the latest"
)]
#[case::registry_release_date(
    Case::new("example.nl", "pendingDelete, redemptionPeriod", "", "2024-08-01").registry_release("2024-08-25"),
    "restore it through the registrar now",
    "released on 2024-08-25 (the registry's date)"
)]
// .uk has no redemption stage in the table: no made-up last day.
#[case::policy_without_redemption(
    Case::new(
        "example.uk",
        "pendingDelete, redemptionPeriod",
        "2024-06-30",
        "2024-10-01"
    ),
    "for a time the policy table does not give",
    "released "
)]
fn redemption_messages(#[case] case: Case, #[case] restore: &str, #[case] release: &str) {
    let message = case
        .finding(Code::Redemption)
        .map(|f| f.message)
        .unwrap_or_default();
    assert!(message.contains(restore), "{message}");
    assert!(message.contains(release), "{message}");
}

#[rstest]
#[case::gtld_last_days(
    Case::new("example.com", "pendingDelete", "2024-06-30", "2024-09-10"),
    ERROR
)]
// Verisign WHOIS capture (fixtures/whois, killianestates.com): deleted on
// request three weeks before its expiry, shown as pendingDelete alone.
#[case::verisign_deleted_before_expiry(
    Case::new("killianestates.com", "pendingDelete", "2013-05-26", "2013-05-06"),
    ERROR
)]
#[case::drop_is_notice(Case::new("example.com", "pendingDelete", "2024-06-30", "2024-09-10").drop(), NOTICE)]
#[case::still_redemption(
    Case::new(
        "example.com",
        "pendingDelete, redemptionPeriod",
        "2024-06-30",
        "2024-09-10"
    ),
    None
)]
fn pending_delete(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::PendingDelete), expected);
    assert!(case.finding(Code::PhaseMismatch).is_none());
}

#[test]
fn pending_delete_gives_the_release_window() {
    let case = Case::new("example.com", "pendingDelete", "2024-06-30", "2024-09-10");
    let message = case
        .finding(Code::PendingDelete)
        .map(|f| f.message)
        .unwrap_or_default();
    assert_eq!(
        message,
        "pending delete: can no longer be restored; released between 2024-09-11 and \
         2024-09-15; to keep it, register it again then"
    );
}

#[rstest]
#[case::keep(Case::new("gone.com", "", "", "2024-08-01").unregistered(), ERROR)]
#[case::drop(Case::new("gone.com", "", "", "2024-08-01").unregistered().drop(), NOTICE)]
#[case::registered(Case::new("here.com", "active", "2025-08-01", "2024-08-01"), None)]
fn not_registered(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::NotRegistered), expected);
    if expected.is_some() {
        assert_eq!(case.findings().len(), 1, "nothing else is known");
    }
}

#[rstest]
#[case::months_apart(Case::new("example.com", "clientTransferProhibited", "2025-09-14", "2025-01-01").registrar_expires("2025-08-01"), WARNING)]
#[case::a_year_apart_before_expiry(Case::new("example.com", "clientTransferProhibited", "2026-09-14", "2025-01-01").registrar_expires("2025-09-14"), WARNING)]
#[case::hours_apart(Case::new("example.com", "clientTransferProhibited", "2028-09-14T04:00:00Z", "2025-01-01").registrar_expires("2028-09-13T07:00:00Z"), None)]
#[case::auto_renewed(Case::new("example.com", "clientTransferProhibited", "2025-09-14", "2024-09-20").registrar_expires("2024-09-14"), None)]
#[case::registry_only(
    Case::new("example.com", "clientTransferProhibited", "2025-09-14", "2025-01-01"),
    None
)]
fn expiry_disagreement(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::ExpiryDisagreement), expected);
}

#[rstest]
// gTLD release is D+36..D+81; a stated D+100 is outside.
#[case::release_outside_the_window(Case::new("example.com", "pendingDelete", "2024-06-30", "2024-09-20").registry_release("2024-10-08"), NOTICE)]
// Deletion is D+1..D+46.
#[case::deletion_outside_the_window(Case::new("example.com", "pendingDelete, redemptionPeriod", "2024-06-30", "2024-08-25").registry_deletion("2024-08-20"), NOTICE)]
#[case::release_inside_the_window(Case::new("example.com", "pendingDelete", "2024-06-30", "2024-08-20").registry_release("2024-08-25"), None)]
#[case::nothing_stated(
    Case::new("example.com", "pendingDelete", "2024-06-30", "2024-08-20"),
    None
)]
fn registry_date_disagreement(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::RegistryDateDisagreement), expected);
    // The registry's date wins: never a mismatch for following it.
    assert!(case.finding(Code::PhaseMismatch).is_none());
}

#[rstest]
#[case::de_without_input(
    Case::new("example.de", "", "", "2024-08-01"),
    NOTICE,
    "add an expires column"
)]
#[case::de_with_input(Case::new("example.de", "", "", "2024-08-01").input_expiry("2025-03-01"), NOTICE, "expires column (2025-03-01)")]
#[case::com(
    Case::new("example.com", "active", "2025-08-01", "2024-08-01"),
    None,
    ""
)]
fn no_expiry_published(
    #[case] case: Case,
    #[case] expected: Option<Severity>,
    #[case] words: &str,
) {
    assert_eq!(case.severity(Code::NoExpiryPublished), expected);
    let message = case
        .finding(Code::NoExpiryPublished)
        .map(|f| f.message)
        .unwrap_or_default();
    assert!(message.contains(words), "{message}");
}

#[test]
fn lookup_failed_is_an_error_with_its_reason() {
    let finding = Finding::lookup_failed("rdap.test: timed out after 10 s");
    assert_eq!(finding.code, Code::LookupFailed);
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(
        finding.evidence.reason.as_deref(),
        Some("rdap.test: timed out after 10 s")
    );
}

#[test]
fn findings_come_worst_first_with_json_evidence() {
    let case = Case::new(
        "example.com",
        "active, clientHold",
        "2024-06-30",
        "2024-07-10",
    );
    let findings = case.findings();
    let severities: Vec<Severity> = findings.iter().map(|f| f.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(severities, sorted);
    assert_eq!(
        codes(&findings),
        [
            Code::Grace,
            Code::OnHold,
            Code::TransferUnlocked,
            Code::StatusConflict
        ]
    );
    let json = serde_json::to_value(&findings[0]).unwrap_or_default();
    assert_eq!(json["code"], "grace");
    assert_eq!(json["severity"], "error");
    assert_eq!(json["evidence"]["source"]["server"], "rdap.test");
    let roles: Vec<&str> = json["evidence"]["dates"]
        .as_array()
        .map(|dates| dates.iter().filter_map(|d| d["role"].as_str()).collect())
        .unwrap_or_default();
    assert!(roles.contains(&"registry_expiry"), "{roles:?}");
    assert!(roles.contains(&"last_renewal"), "{roles:?}");
}

#[rstest]
#[case::active(Case::new("example.com", "clientTransferProhibited", "2025-01-20", "2024-12-01"), &[Phase::Active], true)]
#[case::grace_by_status(Case::new("example.com", "active", "2024-06-30", "2024-07-10"), &[Phase::Grace], true)]
#[case::redemption_before_expiry(Case::new("example.com", "pendingDelete, redemptionPeriod", "2025-06-30", "2024-08-01"), &[Phase::Redemption], true)]
#[case::unregistered(Case::new("gone.com", "", "", "2024-08-01").unregistered(), &[Phase::Released], false)]
#[case::no_expiry_known(Case::new("example.de", "", "", "2024-08-01"), &[], false)]
// No status vocabulary: the dates alone, and .it's unknown rules (every
// stage may last 0 days) leave every phase after expiry possible but
// released (the registry still lists the name).
#[case::dates_only(Case::new("example.it", "it:GRACE-PERIOD", "2024-06-30", "2024-07-10"), &[Phase::Grace, Phase::Redemption, Phase::PendingDelete], true)]
fn assessment_gives_the_phase_and_timeline(
    #[case] case: Case,
    #[case] phases: &[Phase],
    #[case] has_timeline: bool,
) {
    let assessment = case.assess();
    assert_eq!(assessment.phases, phases);
    assert_eq!(assessment.timeline.is_some(), has_timeline);
}
