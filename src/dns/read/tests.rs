//! Tests of reading the resolver's results: records in presentation form,
//! only the asked type, and each failure as its typed outcome.

use std::net::Ipv4Addr;

use hickory_resolver::net::NoRecords;
use hickory_resolver::proto::op::Query;
use hickory_resolver::proto::rr::rdata::{A, CNAME, MX, NS, SOA, TXT};

use super::*;

fn name(text: &str) -> Name {
    Name::from_ascii(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

fn record(data: RData, ttl: u32) -> Record {
    Record::from_rdata(name("example.com."), ttl, data)
}

#[test]
fn records_are_kept_in_presentation_form() {
    let mut notes = Vec::new();
    let mx = answered(
        RecordKind::Mx,
        &[record(
            RData::MX(MX::new(10, name("Mail.Example.COM."))),
            300,
        )],
        &mut notes,
    );
    assert_eq!(mx.outcome, Outcome::Answered);
    assert_eq!(
        mx.records,
        [DnsRecord {
            ttl: 300,
            data: "10 mail.example.com".to_owned()
        }]
    );
    let txt = answered(
        RecordKind::Txt,
        &[record(
            RData::TXT(TXT::new(vec!["v=spf1 ".to_owned(), "-all".to_owned()])),
            60,
        )],
        &mut notes,
    );
    assert_eq!(txt.records[0].data, "v=spf1 -all");
    let ns = answered(
        RecordKind::Ns,
        &[record(RData::NS(NS(name("NS1.Example.NET."))), 9)],
        &mut notes,
    );
    assert_eq!(ns.records[0].data, "ns1.example.net");
    let soa = SOA::new(
        name("ns1.example.net."),
        name("hostmaster.example.com."),
        7,
        3600,
        600,
        86400,
        300,
    );
    let soa = answered(
        RecordKind::Soa,
        &[record(RData::SOA(soa), 3600)],
        &mut notes,
    );
    assert_eq!(
        soa.records[0].data,
        "ns1.example.net hostmaster.example.com 7 3600 600 86400 300"
    );
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn only_the_asked_type_is_kept() {
    let mut notes = Vec::new();
    let through_cname = answered(
        RecordKind::A,
        &[
            record(RData::CNAME(CNAME(name("www.example.net."))), 60),
            record(RData::A(A(Ipv4Addr::new(192, 0, 2, 1))), 60),
        ],
        &mut notes,
    );
    assert_eq!(through_cname.records.len(), 1);
    assert_eq!(through_cname.records[0].data, "192.0.2.1");
    let only_cname = answered(
        RecordKind::Mx,
        &[record(RData::CNAME(CNAME(name("www.example.net."))), 60)],
        &mut notes,
    );
    assert_eq!(only_cname.outcome, Outcome::NoData);
}

fn no_records(code: ResponseCode) -> NetError {
    NetError::Dns(DnsError::NoRecordsFound(NoRecords::new(
        Query::query(name("example.com."), RecordType::A),
        code,
    )))
}

#[test]
fn failures_become_typed_outcomes() {
    let outcome = |error: NetError| failed(RecordKind::A, &error).outcome;
    assert_eq!(
        outcome(no_records(ResponseCode::NXDomain)),
        Outcome::NxDomain
    );
    assert_eq!(outcome(no_records(ResponseCode::NoError)), Outcome::NoData);
    assert_eq!(
        outcome(NetError::Dns(DnsError::ResponseCode(
            ResponseCode::ServFail
        ))),
        Outcome::ServFail
    );
    assert_eq!(
        outcome(NetError::Dns(DnsError::ResponseCode(ResponseCode::Refused))),
        Outcome::Refused
    );
    assert_eq!(outcome(NetError::Timeout), Outcome::Timeout);
    let other = failed(RecordKind::A, &NetError::Msg("x".repeat(1000)));
    assert_eq!(other.outcome, Outcome::Error);
    assert_eq!(other.error.map(|text| text.len()), Some(MAX_ERROR_CHARS));
}
