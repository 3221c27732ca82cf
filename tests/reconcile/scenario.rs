//! A gTLD name walked day by day from D-40 to D+90 under the generic policy,
//! with the statuses a real registry shows at each stage, must produce the
//! expected findings and never a `phase-mismatch`; illegal states must.
//!
//! The story (D = 2024-06-30, the registrar's expiry throughout): active
//! until D; the registry auto-renews at D (its date moves to D+1y,
//! `autoRenewPeriod`); the registrar puts the name on clientHold at D+33
//! (ERRP: DNS interrupted for the last 8 renewable days) and deletes it at
//! D+41 (the registry rolls its date back to D); `pendingDelete` +
//! `redemptionPeriod` for 30 days, `pendingDelete` alone for 5, purged at
//! D+76.

use chrono::{Days, NaiveDate};
use domlife::lifecycle::Phase;
use domlife::reconcile::{Code, Severity};
use domlife::record::Record;
use rstest::rstest;

use super::build::{Case, at, codes, record};

const EXPIRY: &str = "2024-06-30";
const AUTO_RENEWED: &str = "2025-06-30";

fn day(offset: i64) -> NaiveDate {
    let d = NaiveDate::from_ymd_opt(2024, 6, 30).unwrap_or_default();
    if offset >= 0 {
        d.checked_add_days(Days::new(offset.unsigned_abs()))
    } else {
        d.checked_sub_days(Days::new(offset.unsigned_abs()))
    }
    .unwrap_or(d)
}

/// The record the registry (with the registrar's date) shows on D+offset.
fn registry_on(offset: i64) -> Record {
    let (statuses, expires) = match offset {
        ..=0 => ("active", EXPIRY),
        1..=32 => ("autoRenewPeriod", AUTO_RENEWED),
        33..=40 => ("autoRenewPeriod, clientHold", AUTO_RENEWED),
        41..=70 => ("pendingDelete, redemptionPeriod", EXPIRY),
        _ => ("pendingDelete", EXPIRY),
    };
    let mut record = record("lifecycle.com", statuses);
    record.expires = Some(at(expires));
    record.registrar_expires = Some(at(EXPIRY));
    record.registered = offset <= 75;
    record
}

fn case_on(offset: i64) -> Case {
    let mut case = Case::new("lifecycle.com", "", "", &day(offset).to_string());
    case.record = registry_on(offset);
    case
}

/// The findings a person should see on D+offset.
fn expected(offset: i64) -> Vec<(Code, Severity)> {
    use Code::*;
    use Severity::*;
    match offset {
        -40..=-31 => vec![(TransferUnlocked, Warning)],
        -30..=-8 => vec![(Expiring, Warning), (TransferUnlocked, Warning)],
        -7..=0 => vec![(Expiring, Error), (TransferUnlocked, Warning)],
        1..=32 => vec![
            (Grace, Error),
            (RegistryAutoRenewed, Warning),
            (TransferUnlocked, Warning),
        ],
        33..=40 => vec![
            (Grace, Error),
            (OnHold, Error),
            (RegistryAutoRenewed, Warning),
            (TransferUnlocked, Warning),
        ],
        41..=70 => vec![(Redemption, Error)],
        71..=75 => vec![(PendingDelete, Error)],
        _ => vec![(NotRegistered, Error)],
    }
}

/// The phase a person should be told on D+offset.
fn expected_phase(offset: i64) -> Phase {
    match offset {
        ..=0 => Phase::Active,
        1..=40 => Phase::Grace,
        41..=70 => Phase::Redemption,
        71..=75 => Phase::PendingDelete,
        _ => Phase::Released,
    }
}

#[test]
fn a_legal_lifecycle_gives_the_expected_findings_every_day() {
    for offset in -40..=90 {
        let assessment = case_on(offset).assess();
        assert_eq!(
            assessment.phases,
            [expected_phase(offset)],
            "D{offset:+} ({})",
            day(offset)
        );
        let findings = assessment.findings;
        let got: Vec<(Code, Severity)> = findings.iter().map(|f| (f.code, f.severity)).collect();
        assert_eq!(
            got,
            expected(offset),
            "D{offset:+} ({}): {findings:#?}",
            day(offset)
        );
        assert!(!codes(&findings).contains(&Code::PhaseMismatch));
    }
}

#[rstest]
#[case::first_day_of_redemption(41, "restorable for a fee until between 2024-08-10 and 2024-09-08")]
#[case::first_day_of_pending_delete(71, "released between 2024-09-10 and 2024-09-14")]
#[case::in_grace(10, "renewable at the registrar until 2024-08-14 at the latest")]
fn messages_along_the_way(#[case] offset: i64, #[case] words: &str) {
    let findings = case_on(offset).findings();
    assert!(
        findings.iter().any(|f| f.message.contains(words)),
        "D+{offset}: {findings:#?}"
    );
}

#[rstest]
// Still plain active 100 days after expiry: neither renewed nor deleted.
#[case::active_at_d_plus_100(100, "active", EXPIRY)]
// autoRenewPeriod 60 days after the auto-renewal: beyond its 45 days.
#[case::auto_renew_period_at_d_plus_60(60, "autoRenewPeriod", AUTO_RENEWED)]
// pendingDelete alone 120 days on: the release is overdue.
#[case::pending_delete_at_d_plus_120(120, "pendingDelete", EXPIRY)]
fn illegal_states_are_phase_mismatches(
    #[case] offset: i64,
    #[case] statuses: &str,
    #[case] expires: &str,
) {
    let case = Case::new("lifecycle.com", statuses, expires, &day(offset).to_string())
        .registrar_expires(EXPIRY);
    let mismatch = case.finding(Code::PhaseMismatch);
    assert_eq!(
        mismatch.as_ref().map(|f| f.severity),
        Some(Severity::Warning),
        "{:#?}",
        case.findings()
    );
}
