//! Tests of the DNS rules: one row per situation, with the findings it
//! must raise (and only those), on records and DNS answers built here.

use chrono::{TimeZone, Utc};
use rstest::rstest;

use super::*;
use crate::dns::{DnsAnswer, DnsRecord};
use crate::lifecycle::PolicyTable;
use crate::record::{Protocol, Role, Source};

fn record(statuses: Vec<Status>, nameservers: &[&str]) -> Record {
    let mut record = Record::new(
        "example.com",
        Source {
            protocol: Protocol::Rdap,
            server: Some("rdap.example".to_owned()),
            url: None,
            role: Role::Registry,
        },
    );
    record.statuses = statuses;
    record.set_nameservers(nameservers.iter().copied());
    record
}

/// Records as (data, TTL).
type Records<'a> = &'a [(&'a str, u32)];

/// What DNS answered: per type, an outcome and its records.
fn dns(answers: &[(RecordKind, Outcome, Records)]) -> DnsReport {
    DnsReport {
        name: "example.com".to_owned(),
        asked_at: Utc
            .with_ymd_and_hms(2025, 6, 1, 10, 0, 0)
            .single()
            .unwrap_or_default(),
        resolvers: vec!["192.0.2.53:53".to_owned()],
        answered_by: Some("192.0.2.53:53".to_owned()),
        answers: answers
            .iter()
            .map(|(kind, outcome, records)| DnsAnswer {
                records: records
                    .iter()
                    .map(|(data, ttl)| DnsRecord {
                        ttl: *ttl,
                        data: (*data).to_owned(),
                    })
                    .collect(),
                ..DnsAnswer::empty(*kind, *outcome)
            })
            .collect(),
        notes: Vec::new(),
    }
}

const NS: &[&str] = &["ns1.example.net", "ns2.example.net"];

/// A served name: NS as the registry has them, an address, mail.
fn served() -> DnsReport {
    dns(&[
        (
            RecordKind::Ns,
            Outcome::Answered,
            &[("NS2.Example.NET", 3600), ("ns1.example.net", 3600)],
        ),
        (RecordKind::A, Outcome::Answered, &[("192.0.2.10", 300)]),
        (RecordKind::Aaaa, Outcome::NoData, &[]),
        (
            RecordKind::Mx,
            Outcome::Answered,
            &[("10 mail.example.com", 7200)],
        ),
    ])
}

/// A web-only name: an address, no mail.
fn web_only() -> DnsReport {
    dns(&[
        (
            RecordKind::Ns,
            Outcome::Answered,
            &[("ns1.example.net", 60), ("ns2.example.net", 60)],
        ),
        (RecordKind::A, Outcome::Answered, &[("192.0.2.10", 300)]),
        (RecordKind::Mx, Outcome::NoData, &[]),
    ])
}

/// Every question answered with `outcome`.
fn all(outcome: Outcome) -> DnsReport {
    let kinds = [
        RecordKind::Ns,
        RecordKind::Soa,
        RecordKind::A,
        RecordKind::Aaaa,
        RecordKind::Mx,
        RecordKind::Txt,
    ];
    let answers: Vec<(RecordKind, Outcome, Records)> =
        kinds.iter().map(|kind| (*kind, outcome, &[][..])).collect();
    dns(&answers)
}

fn findings(record: &Record, report: &DnsReport, intent: Intent) -> Vec<(Code, Severity)> {
    let Some(table) = PolicyTable::shared_builtin() else {
        panic!("built-in policy table")
    };
    let policy = table.resolve("com", None);
    let audit = Audit {
        intent,
        ..Audit::new(&policy, report.asked_at)
    };
    check(record, report, &audit)
        .into_iter()
        .map(|finding| (finding.code, finding.severity))
        .collect()
}

#[rstest]
#[case::kept_and_served(vec![Status::ClientTransferProhibited], served(), Intent::Keep, vec![])]
#[case::dropped_but_served(vec![], served(), Intent::Drop, vec![(Code::StillResolving, Severity::Warning)])]
#[case::dropped_and_gone(vec![], all(Outcome::NxDomain), Intent::Drop, vec![(Code::NotResolving, Severity::Notice)])]
#[case::dropped_on_hold(vec![Status::ClientHold], served(), Intent::Drop, vec![(Code::ResolvesOnHold, Severity::Notice)])]
#[case::server_hold(vec![Status::ServerHold], served(), Intent::Keep, vec![(Code::ResolvesOnHold, Severity::Warning)])]
#[case::redemption(vec![Status::RedemptionPeriod, Status::PendingDelete], web_only(), Intent::Keep, vec![(Code::ResolvesOnHold, Severity::Warning)])]
#[case::inactive(vec![Status::Inactive], served(), Intent::Keep, vec![(Code::ResolvesOnHold, Severity::Warning)])]
#[case::hold_and_gone(vec![Status::ServerHold], all(Outcome::NxDomain), Intent::Keep, vec![])]
#[case::nxdomain(vec![Status::Ok], all(Outcome::NxDomain), Intent::Keep, vec![(Code::NotResolving, Severity::Warning)])]
#[case::servfail(vec![], all(Outcome::ServFail), Intent::Keep, vec![(Code::NotResolving, Severity::Warning)])]
#[case::timeout_says_nothing(vec![], all(Outcome::Timeout), Intent::Keep, vec![])]
#[case::refused_says_nothing(vec![], all(Outcome::Refused), Intent::Drop, vec![])]
fn rules(
    #[case] statuses: Vec<Status>,
    #[case] report: DnsReport,
    #[case] intent: Intent,
    #[case] expected: Vec<(Code, Severity)>,
) {
    assert_eq!(findings(&record(statuses, NS), &report, intent), expected);
}

#[test]
fn an_undelegated_name_that_does_not_resolve_is_not_flagged() {
    assert_eq!(
        findings(&record(vec![], &[]), &all(Outcome::NxDomain), Intent::Keep),
        []
    );
}

#[test]
fn an_unregistered_name_gets_no_dns_finding() {
    let mut gone = record(vec![], NS);
    gone.registered = false;
    assert_eq!(findings(&gone, &served(), Intent::Drop), []);
}

#[rstest]
#[case::other_set(&["ns1.other.example", "ns2.other.example"], true)]
#[case::one_more(&["ns1.example.net", "ns2.example.net", "ns3.example.net"], true)]
#[case::same_with_dots_and_case(&["NS1.EXAMPLE.NET.", "ns2.example.net."], false)]
fn ns_sets_are_compared_without_case_or_trailing_dot(
    #[case] registry: &[&str],
    #[case] mismatch: bool,
) {
    let mut held = record(vec![], &[]);
    held.nameservers = registry.iter().map(|ns| (*ns).to_owned()).collect();
    let found = findings(&held, &served(), Intent::Keep);
    assert_eq!(
        found.contains(&(Code::NsMismatch, Severity::Notice)),
        mismatch,
        "{found:?}"
    );
}

#[test]
fn no_ns_answer_is_no_mismatch() {
    let report = dns(&[(RecordKind::Ns, Outcome::NoData, &[])]);
    assert_eq!(findings(&record(vec![], NS), &report, Intent::Keep), []);
}

fn message(record: &Record, report: &DnsReport, intent: Intent, code: Code) -> String {
    let Some(table) = PolicyTable::shared_builtin() else {
        panic!("built-in policy table")
    };
    let policy = table.resolve("com", None);
    let audit = Audit {
        intent,
        ..Audit::new(&policy, report.asked_at)
    };
    check(record, report, &audit)
        .into_iter()
        .find(|finding| finding.code == code)
        .map(|finding| finding.message)
        .unwrap_or_else(|| panic!("no {code}"))
}

#[test]
fn still_resolving_says_mail_is_delivered_and_what_to_clear() {
    let text = message(
        &record(vec![], NS),
        &served(),
        Intent::Drop,
        Code::StillResolving,
    );
    assert!(text.contains("mail is still delivered"), "{text}");
    assert!(text.contains("A 192.0.2.10 ttl 300"), "{text}");
    assert!(text.contains("MX 10 mail.example.com ttl 7200"), "{text}");
    assert!(text.contains("clear the A, MX records"), "{text}");
    let web = message(
        &record(vec![], NS),
        &web_only(),
        Intent::Drop,
        Code::StillResolving,
    );
    assert!(!web.contains("mail"), "{web}");
}

#[test]
fn resolves_on_hold_says_when_the_caches_end() {
    let text = message(
        &record(vec![Status::ServerHold], NS),
        &served(),
        Intent::Keep,
        Code::ResolvesOnHold,
    );
    // Asked 10:00, longest TTL 7200 s (the MX).
    assert!(
        text.contains("(7200 s), until 2025-06-01 12:00 UTC"),
        "{text}"
    );
    assert!(text.contains("serverHold"), "{text}");
}

#[test]
fn not_resolving_names_the_delegation_and_the_answer() {
    let text = message(
        &record(vec![], NS),
        &all(Outcome::ServFail),
        Intent::Keep,
        Code::NotResolving,
    );
    assert!(text.contains("ns1.example.net, ns2.example.net"), "{text}");
    assert!(text.contains("SERVFAIL"), "{text}");
}
