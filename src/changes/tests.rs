//! Tests of [`changes`]: one row per kind of change, with its severity.

use chrono::{TimeZone, Utc};
use rstest::rstest;

use super::*;
use crate::record::{Protocol, Role, Source};

fn date(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 7, 0, 0)
        .single()
        .unwrap()
}

fn record() -> Record {
    let mut record = Record::new(
        "example.com",
        Source {
            protocol: Protocol::Rdap,
            server: Some("rdap.example".to_owned()),
            url: None,
            role: Role::Registry,
        },
    );
    record.expires = Some(date(2026, 3, 1));
    record.statuses = vec![
        Status::ClientTransferProhibited,
        Status::ClientDeleteProhibited,
    ];
    record.registrar = Some(Registrar {
        name: Some("Example Registrar, Inc.".to_owned()),
        iana_id: Some("9999".to_owned()),
    });
    record.set_nameservers(["ns1.example.net", "ns2.example.net"]);
    record.dnssec = Some(true);
    record
}

/// (severity, message) of each finding.
fn summary(previous: &Record, current: &Record) -> Vec<(Severity, String)> {
    changes(&RecordSnapshot::from(previous), current)
        .into_iter()
        .inspect(|finding| assert_eq!(finding.code, Code::Changed))
        .map(|finding| (finding.severity, finding.message))
        .collect()
}

#[test]
fn the_same_record_has_no_change() {
    assert!(summary(&record(), &record()).is_empty());
}

#[rstest]
#[case::hold_added(
    |r: &mut Record| r.statuses.push(Status::ServerHold),
    Severity::Error, "status added: serverHold")]
#[case::pending_delete_added(
    |r: &mut Record| r.statuses.extend([Status::PendingDelete, Status::RedemptionPeriod]),
    Severity::Error, "status added: pendingDelete, redemptionPeriod")]
#[case::transfer_pending(
    |r: &mut Record| r.statuses.push(Status::PendingTransfer),
    Severity::Error, "status added: pendingTransfer")]
#[case::auto_renew(
    |r: &mut Record| r.statuses.push(Status::AutoRenewPeriod),
    Severity::Warning, "status added: autoRenewPeriod")]
#[case::lock_added(
    |r: &mut Record| r.statuses.push(Status::ServerUpdateProhibited),
    Severity::Notice, "status added: serverUpdateProhibited")]
#[case::transfer_lock_removed(
    |r: &mut Record| r.statuses.retain(|s| *s != Status::ClientTransferProhibited),
    Severity::Warning, "status removed: clientTransferProhibited")]
#[case::other_lock_removed(
    |r: &mut Record| r.statuses.retain(|s| *s != Status::ClientDeleteProhibited),
    Severity::Notice, "status removed: clientDeleteProhibited")]
#[case::registrar(
    |r: &mut Record| r.registrar = Some(Registrar { name: Some("Other Registrar".to_owned()), iana_id: Some("1".to_owned()) }),
    Severity::Error, "registrar Example Registrar, Inc. (IANA 9999) -> Other Registrar (IANA 1)")]
#[case::nameservers(
    |r: &mut Record| r.set_nameservers(["ns1.example.net", "ns.attacker.example"]),
    Severity::Warning, "nameservers added ns.attacker.example; removed ns2.example.net")]
#[case::dnssec_off(
    |r: &mut Record| r.dnssec = Some(false),
    Severity::Warning, "DNSSEC turned off")]
#[case::renewed(
    |r: &mut Record| r.expires = Some(date(2027, 3, 1)),
    Severity::Notice, "renewed: expiry moved from 2026-03-01 to 2027-03-01")]
#[case::moved_back(
    |r: &mut Record| r.expires = Some(date(2025, 3, 1)),
    Severity::Warning, "expiry moved back from 2026-03-01 to 2025-03-01")]
#[case::gone(
    |r: &mut Record| r.registered = false,
    Severity::Error, "no longer registered")]
fn each_change_has_its_severity(
    #[case] change: fn(&mut Record),
    #[case] severity: Severity,
    #[case] message: &str,
) {
    let mut current = record();
    change(&mut current);
    let found = summary(&record(), &current);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, severity);
    assert!(
        found[0]
            .1
            .starts_with(&format!("changed since the last audit: {message}")),
        "{}",
        found[0].1
    );
}

#[rstest]
#[case::registrar_spelling(|r: &mut Record| r.registrar = Some(Registrar { name: Some("EXAMPLE REGISTRAR INC".to_owned()), iana_id: None }))]
#[case::registrar_unknown_now(|r: &mut Record| r.registrar = None)]
#[case::dnssec_unknown_now(|r: &mut Record| r.dnssec = None)]
#[case::expiry_unknown_now(|r: &mut Record| r.expires = None)]
#[case::expiry_hours(|r: &mut Record| r.expires = Some(date(2026, 3, 1) + TimeDelta::hours(9)))]
#[case::nameserver_case(|r: &mut Record| r.nameservers = vec!["NS2.EXAMPLE.NET.".to_owned(), "ns1.example.net".to_owned()])]
fn what_a_source_does_not_say_is_no_change(#[case] change: fn(&mut Record)) {
    let mut current = record();
    change(&mut current);
    assert_eq!(summary(&record(), &current), []);
}

#[test]
fn the_registrar_expiry_is_compared_when_both_have_one() {
    // The registry auto-renewed (a year ahead); the registrar did not renew.
    let mut previous = record();
    previous.registrar_expires = Some(date(2026, 3, 1));
    let mut current = record();
    current.expires = Some(date(2027, 3, 1));
    current.registrar_expires = Some(date(2026, 3, 1));
    assert_eq!(summary(&previous, &current), []);
    current.registrar_expires = Some(date(2027, 3, 1));
    let found = changes(&RecordSnapshot::from(&previous), &current);
    assert_eq!(found.len(), 1);
    let roles: Vec<DateRole> = found[0]
        .evidence
        .dates
        .iter()
        .map(|fact| fact.role)
        .collect();
    assert_eq!(roles, [DateRole::PreviousExpiry, DateRole::RegistrarExpiry]);
}

#[test]
fn several_changes_come_worst_first() {
    let mut current = record();
    current.expires = Some(date(2027, 3, 1));
    current.statuses.push(Status::ClientHold);
    current.set_nameservers(["ns1.parking.example"]);
    let severities: Vec<Severity> = summary(&record(), &current)
        .into_iter()
        .map(|(severity, _)| severity)
        .collect();
    assert_eq!(
        severities,
        [Severity::Error, Severity::Warning, Severity::Notice]
    );
}

#[test]
fn an_old_report_record_reads_with_defaults() {
    let old = serde_json::json!({
        "domain": "example.com",
        "expires": "2026-03-01T07:00:00Z",
        "statuses": ["client transfer prohibited", "clientDeleteProhibited https://icann.org/epp#clientDeleteProhibited"],
        "a_field_from_another_version": 1
    });
    let snapshot: RecordSnapshot = serde_json::from_value(old).expect("reads");
    assert!(snapshot.registered);
    assert_eq!(snapshot.statuses, record().statuses);
    assert_eq!(snapshot.dnssec, None);
    let mut current = record();
    current
        .statuses
        .retain(|s| *s != Status::ClientTransferProhibited);
    let found = changes(&snapshot, &current);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].severity, Severity::Warning);
}
