//! One rstest table per status code (on-hold, transfer-unlocked,
//! registry-locked, status-conflict, phase-mismatch, and the drop checklist:
//! delete-blocked, dnssec-signed, still-delegated), positive and negative
//! rows, on small records with explicit as-of dates.

use domlife::lifecycle::PolicyTable;
use domlife::reconcile::{Audit, Code, Severity, reconcile};
use rstest::rstest;

use super::build::Case;

const NOTICE: Option<Severity> = Some(Severity::Notice);
const WARNING: Option<Severity> = Some(Severity::Warning);
const ERROR: Option<Severity> = Some(Severity::Error);

#[rstest]
#[case::server_hold(
    Case::new("example.com", "serverHold", "2025-08-01", "2024-08-01"),
    ERROR
)]
#[case::client_hold(
    Case::new(
        "example.com",
        "clientHold, clientTransferProhibited",
        "2025-08-01",
        "2024-08-01"
    ),
    ERROR
)]
#[case::inactive_alone(
    Case::new("example.cz", "inactive", "2025-08-01", "2024-08-01"),
    WARNING
)]
#[case::registry_word(
    Case::new("example.ru", "ru:NOT DELEGATED", "2025-08-01", "2024-08-01"),
    ERROR
)]
#[case::drop_is_notice(Case::new("example.com", "serverHold", "2025-08-01", "2024-08-01").drop(), NOTICE)]
#[case::active(Case::new("example.com", "active", "2025-08-01", "2024-08-01"), None)]
#[case::pending_delete_is_not_a_hold(
    Case::new(
        "example.com",
        "pendingDelete, redemptionPeriod",
        "2024-06-30",
        "2024-08-01"
    ),
    None
)]
fn on_hold(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::OnHold), expected);
}

#[rstest]
#[case::gtld_active(
    Case::new("example.com", "active", "2025-08-01", "2024-08-01"),
    WARNING
)]
#[case::cctld_with_other_locks(
    Case::new("example.cz", "clientDeleteProhibited", "2025-08-01", "2024-08-01"),
    WARNING
)]
#[case::client_lock(
    Case::new("example.com", "clientTransferProhibited", "2025-08-01", "2024-08-01"),
    None
)]
#[case::registry_lock(
    Case::new("example.com", "serverTransferProhibited", "2025-08-01", "2024-08-01"),
    None
)]
#[case::rdap_only_lock(
    Case::new("example.com", "transfer prohibited", "2025-08-01", "2024-08-01"),
    None
)]
#[case::no_statuses_published(Case::new("example.com", "", "2025-08-01", "2024-08-01"), None)]
#[case::cctld_without_locks(Case::new("example.cz", "active", "2025-08-01", "2024-08-01"), None)]
#[case::name_to_drop(Case::new("example.com", "active", "2025-08-01", "2024-08-01").drop(), None)]
#[case::being_deleted(
    Case::new(
        "example.com",
        "pendingDelete, redemptionPeriod",
        "2024-06-30",
        "2024-08-01"
    ),
    None
)]
fn transfer_unlocked(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::TransferUnlocked), expected);
}

#[rstest]
#[case::server_locks(
    Case::new(
        "example.com",
        "serverDeleteProhibited, serverTransferProhibited, clientTransferProhibited",
        "2025-08-01",
        "2024-08-01"
    ),
    NOTICE
)]
#[case::client_locks_only(
    Case::new(
        "example.com",
        "clientDeleteProhibited, clientTransferProhibited",
        "2025-08-01",
        "2024-08-01"
    ),
    None
)]
fn registry_locked(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::RegistryLocked), expected);
    if let Some(finding) = case.finding(Code::RegistryLocked) {
        assert_eq!(finding.evidence.statuses.len(), 2);
    }
}

#[rstest]
#[case::ok_with_hold("active, clientHold", true)]
#[case::ok_with_lock("active, clientTransferProhibited", true)]
#[case::ok_with_pending("active, pendingTransfer", true)]
#[case::redemption_without_pending_delete("redemptionPeriod", true)]
#[case::restore_without_pending_delete("pendingRestore", true)]
#[case::redemption_and_restore("pendingDelete, redemptionPeriod, pendingRestore", true)]
#[case::two_pending_operations("pendingTransfer, pendingUpdate", true)]
#[case::pending_delete_while_delete_prohibited("pendingDelete, clientDeleteProhibited", true)]
#[case::pending_transfer_while_transfer_prohibited(
    "pendingTransfer, serverTransferProhibited",
    true
)]
#[case::rgp_redemption("pendingDelete, redemptionPeriod", false)]
#[case::rgp_restore("pendingDelete, pendingRestore", false)]
#[case::locks(
    "clientTransferProhibited, serverDeleteProhibited, serverUpdateProhibited",
    false
)]
#[case::plain_ok("active", false)]
#[case::transfer_while_delete_prohibited("pendingTransfer, clientDeleteProhibited", false)]
fn status_conflict(#[case] statuses: &str, #[case] conflict: bool) {
    let case = Case::new("example.com", statuses, "2025-08-01", "2024-08-01");
    assert_conflict(&case, conflict);
}

#[rstest]
// RDAP requires pendingDelete beside the RGP statuses; WHOIS outputs
// abbreviate (CIRA prints `redemption` alone).
#[case::whois_redemption_alone(Case::new("example.ca", "redemption", "2025-08-01", "2024-08-01").whois("whois.cira.ca"), false)]
#[case::whois_still_checks_ok_with_hold(Case::new("example.ca", "ok, serverHold", "2025-08-01", "2024-08-01").whois("whois.cira.ca"), true)]
fn status_conflict_in_whois(#[case] case: Case, #[case] conflict: bool) {
    assert_conflict(&case, conflict);
}

fn assert_conflict(case: &Case, conflict: bool) {
    let statuses = &case.record.statuses;
    let found = case.finding(Code::StatusConflict);
    assert_eq!(found.is_some(), conflict, "{statuses:?}: {found:?}");
    if let Some(finding) = found {
        assert_eq!(finding.severity, Severity::Warning);
        assert!(finding.evidence.reason.is_some());
    }
}

#[rstest]
#[case::ok_long_after_every_grace(
    Case::new("example.com", "active", "2024-06-30", "2024-10-08"),
    true
)]
#[case::ok_within_grace(Case::new("example.com", "active", "2024-06-30", "2024-08-10"), false)]
#[case::ok_one_day_late_is_slack(
    Case::new("example.com", "active", "2024-06-30", "2024-08-15"),
    false
)]
#[case::auto_renew_period_at_d_plus_60(
    Case::new("example.com", "autoRenewPeriod", "2025-06-30", "2024-08-29"),
    true
)]
#[case::auto_renew_period_at_d_plus_30(
    Case::new("example.com", "autoRenewPeriod", "2025-06-30", "2024-07-30"),
    false
)]
// D+45 is the last day of the 45, D+46 the day of slack, D+47 too late.
#[case::auto_renew_period_day_of_slack(
    Case::new("example.com", "autoRenewPeriod", "2025-06-30", "2024-08-15"),
    false
)]
#[case::auto_renew_period_past_its_45_days(
    Case::new("example.com", "autoRenewPeriod", "2025-06-30", "2024-08-16"),
    true
)]
#[case::auto_renew_period_date_not_moved(
    Case::new("example.com", "autoRenewPeriod", "2024-06-30", "2024-08-29"),
    true
)]
#[case::pending_delete_alone_at_d_plus_120(
    Case::new("example.com", "pendingDelete", "2024-06-30", "2024-10-28"),
    true
)]
#[case::pending_delete_alone_at_d_plus_80(
    Case::new("example.com", "pendingDelete", "2024-06-30", "2024-09-18"),
    false
)]
#[case::redemption_past_its_end(
    Case::new(
        "example.com",
        "pendingDelete, redemptionPeriod",
        "2024-06-30",
        "2024-09-20"
    ),
    true
)]
#[case::redemption_at_d_plus_70(
    Case::new(
        "example.com",
        "pendingDelete, redemptionPeriod",
        "2024-06-30",
        "2024-09-08"
    ),
    false
)]
#[case::redemption_before_expiry(
    Case::new(
        "example.com",
        "pendingDelete, redemptionPeriod",
        "2025-06-30",
        "2024-09-08"
    ),
    false
)]
#[case::uk_past_release(Case::new("example.uk", "active", "2024-06-30", "2024-10-08"), true)]
#[case::uk_renewable_to_d_plus_90(
    Case::new("example.uk", "active", "2024-06-30", "2024-09-20"),
    false
)]
// .br releases in rounds: no bound on how long an expired name lingers.
#[case::release_in_rounds(Case::new("example.br", "active", "2024-06-30", "2025-06-30"), false)]
fn phase_mismatch(#[case] case: Case, #[case] mismatch: bool) {
    let found = case.finding(Code::PhaseMismatch);
    assert_eq!(found.is_some(), mismatch, "{:?}", case.findings());
}

/// The auto-renew period is the policy's figure, not a constant: a policy
/// file that shortens it to 10 days makes D+20 too late, where the table's
/// 45 days allow it.
#[test]
fn the_auto_renew_period_comes_from_the_policy() {
    let case = Case::new("example.com", "autoRenewPeriod", "2025-06-30", "2024-07-20");
    assert_eq!(case.finding(Code::PhaseMismatch), None);

    let mut table = PolicyTable::builtin().unwrap();
    table
        .merge(
            "[[entry]]\nid = \"short-auto-renew\"\ntlds = [\"com\"]\n\
             auto_renew_period = { value = 10, source = \"test\", confidence = \"V\" }\n",
            "test.toml",
        )
        .unwrap();
    let policy = table.resolve("com", None);
    assert_eq!(policy.auto_renew_period.value(), 10);
    let findings = reconcile(&case.record, &Audit::new(&policy, case.as_of));
    let mismatch = findings
        .iter()
        .find(|finding| finding.code == Code::PhaseMismatch)
        .unwrap_or_else(|| panic!("no phase-mismatch in {findings:?}"));
    let reason = mismatch.evidence.reason.as_deref().unwrap_or_default();
    assert!(reason.contains("beyond its 10 days"), "{reason}");
}

#[rstest]
#[case::delete_prohibited(Case::new("example.com", "clientDeleteProhibited", "2025-08-01", "2024-08-01").drop(), WARNING)]
#[case::pending_transfer(Case::new("example.com", "pendingTransfer", "2025-08-01", "2024-08-01").drop(), WARNING)]
#[case::unlocked(Case::new("example.com", "active", "2025-08-01", "2024-08-01").drop(), None)]
#[case::name_to_keep(
    Case::new("example.com", "clientDeleteProhibited", "2025-08-01", "2024-08-01"),
    None
)]
fn delete_blocked(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::DeleteBlocked), expected);
}

#[rstest]
#[case::signed(Case::new("example.com", "active", "2025-08-01", "2024-08-01").drop().dnssec(true), NOTICE)]
#[case::unsigned(Case::new("example.com", "active", "2025-08-01", "2024-08-01").drop().dnssec(false), None)]
#[case::not_said(Case::new("example.com", "active", "2025-08-01", "2024-08-01").drop(), None)]
#[case::name_to_keep(Case::new("example.com", "active", "2025-08-01", "2024-08-01").dnssec(true), None)]
fn dnssec_signed(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::DnssecSigned), expected);
}

#[rstest]
#[case::delegated(Case::new("example.com", "active", "2025-08-01", "2024-08-01").drop().nameservers(&["ns1.example.net"]), NOTICE)]
#[case::no_nameservers(Case::new("example.com", "active", "2025-08-01", "2024-08-01").drop(), None)]
#[case::on_hold(Case::new("example.com", "clientHold", "2025-08-01", "2024-08-01").drop().nameservers(&["ns1.example.net"]), None)]
#[case::being_deleted(Case::new("example.com", "pendingDelete, redemptionPeriod", "2024-06-30", "2024-08-01").drop().nameservers(&["ns1.example.net"]), None)]
#[case::name_to_keep(Case::new("example.com", "active", "2025-08-01", "2024-08-01").nameservers(&["ns1.example.net"]), None)]
fn still_delegated(#[case] case: Case, #[case] expected: Option<Severity>) {
    assert_eq!(case.severity(Code::StillDelegated), expected);
}
