//! Unit tests of [`super::parse_domain`] on small hand-written responses;
//! the real captured ones are exercised by `tests/rdap_corpus.rs`.

use chrono::{DateTime, Utc};
use rstest::rstest;
use serde_json::{Value, json};

use super::*;
use crate::record::{Protocol, Role};

fn source(url: Option<&str>) -> Source {
    Source {
        protocol: Protocol::Rdap,
        server: Some("rdap.example".into()),
        url: url.map(str::to_string),
        role: Role::Registry,
    }
}

fn parse(value: Value) -> Result<ParsedDomain, RdapParseError> {
    parse_domain(value.to_string().as_bytes(), source(None))
}

fn record(value: Value) -> Record {
    match parse(value) {
        Ok(parsed) => parsed.record,
        Err(error) => panic!("expected a record, got {error}"),
    }
}

fn domain(extra: Value) -> Value {
    let mut base = json!({"objectClassName": "domain", "ldhName": "example.com"});
    if let (Some(base), Value::Object(extra)) = (base.as_object_mut(), extra) {
        base.extend(extra);
    }
    base
}

fn at(text: &str) -> Option<DateTime<Utc>> {
    Some(
        text.parse()
            .unwrap_or_else(|error| panic!("{text}: {error}")),
    )
}

#[test]
fn maps_every_event_the_record_has_room_for() {
    let record = record(domain(json!({"events": [
        {"eventAction": "registration", "eventDate": "2001-02-03T04:05:06Z"},
        {"eventAction": "expiration", "eventDate": "2030-02-03T04:05:06.000+0000"},
        {"eventAction": "last changed", "eventDate": "2024-01-01T00:00:00+01:00"},
        {"eventAction": "deletion", "eventDate": "2030-04-04"},
        {"eventAction": "registrar expiration", "eventDate": "2029-02-03T04:05:06"},
        {"eventAction": "transfer", "eventDate": "2010-01-01T00:00:00Z"},
        {"eventAction": "last update of RDAP database", "eventDate": "2025-01-01T00:00:00Z"}
    ]})));
    assert_eq!(record.created, at("2001-02-03T04:05:06Z"));
    assert_eq!(record.expires, at("2030-02-03T04:05:06Z"));
    assert_eq!(record.updated, at("2023-12-31T23:00:00Z"));
    assert_eq!(record.registry_dates.deletion, at("2030-04-04T00:00:00Z"));
    assert_eq!(record.registrar_expires, at("2029-02-03T04:05:06Z"));
    assert!(record.notes.is_empty(), "{:?}", record.notes);
}

#[rstest]
#[case::last_changed_wins(json!([
    {"eventAction": "last update", "eventDate": "2020-01-01T00:00:00Z"},
    {"eventAction": "last changed", "eventDate": "2021-01-01T00:00:00Z"}]), "2021-01-01T00:00:00Z")]
#[case::last_update_alone(json!([
    {"eventAction": "last update", "eventDate": "2020-01-01T00:00:00Z"},
    {"eventAction": "last update of RDAP database", "eventDate": "2025-01-01T00:00:00Z"}]), "2020-01-01T00:00:00Z")]
#[case::spelled_in_camel_case(json!([
    {"eventAction": "lastChanged", "eventDate": "2022-01-01T00:00:00Z"}]), "2022-01-01T00:00:00Z")]
fn updated_comes_from_the_change_event(#[case] events: Value, #[case] expected: &str) {
    assert_eq!(
        record(domain(json!({ "events": events }))).updated,
        at(expected)
    );
}

#[test]
fn an_unreadable_date_is_a_note_not_an_error() {
    let record = record(domain(json!({"events": [
        {"eventAction": "expiration", "eventDate": "soon"},
        {"eventAction": "registration"},
        {"eventDate": "2020-01-01T00:00:00Z"}
    ]})));
    assert_eq!(record.expires, None);
    assert_eq!(record.created, None);
    assert_eq!(record.notes.len(), 2, "{:?}", record.notes);
    assert!(record.notes[0].contains("\"expiration\"") && record.notes[0].contains("soon"));
}

#[test]
fn the_first_of_several_expirations_is_kept_and_the_rest_noted() {
    let record = record(domain(json!({"events": [
        {"eventAction": "expiration", "eventDate": "2030-01-01T00:00:00Z"},
        {"eventAction": "expiration", "eventDate": "2030-01-01T00:00:00.000Z"},
        {"eventAction": "expiration", "eventDate": "2031-01-01T00:00:00Z"}
    ]})));
    assert_eq!(record.expires, at("2030-01-01T00:00:00Z"));
    assert_eq!(record.notes.len(), 1, "{:?}", record.notes);
}

#[test]
fn statuses_keep_order_without_duplicates() {
    let record = record(domain(json!({"status": [
        "client hold", "clientHold", " ", "server hold",
        "pending delete", "redemption period", "server recover prohibited"
    ]})));
    assert_eq!(
        record.statuses,
        [
            Status::ClientHold,
            Status::ServerHold,
            Status::PendingDelete,
            Status::RedemptionPeriod,
            Status::Other("server recover prohibited".into()),
        ]
    );
}

fn registrar_entity(vcard: Value, ids: Value) -> Value {
    json!({"objectClassName": "entity", "handle": "R-1", "roles": ["registrar"],
           "vcardArray": vcard, "publicIds": ids})
}

#[rstest]
#[case::fn_and_iana(
    registrar_entity(json!(["vcard", [["fn", {}, "text", "Registrar Inc."]]]), json!([{"type": "IANA Registrar ID", "identifier": "292"}])),
    Some(("Registrar Inc.", Some("292"))))]
#[case::org_when_fn_missing(
    registrar_entity(json!(["vcard", [["org", {"type": "work"}, "text", "Org Ltd"]]]), json!([])),
    Some(("Org Ltd", None)))]
#[case::numeric_iana_id(
    registrar_entity(json!(["vcard", [["fn", {}, "text", "R"]]]), json!([{"type": "iana registrar id", "identifier": 1606}])),
    Some(("R", Some("1606"))))]
#[case::non_numeric_iana_id(
    registrar_entity(json!(["vcard", [["fn", {}, "text", "R"]]]), json!([{"type": "IANA Registrar ID", "identifier": "not applicable"}])),
    Some(("R", None)))]
#[case::other_public_ids_ignored(
    registrar_entity(json!(["vcard", [["fn", {}, "text", "Domeneshop AS"]]]), json!([{"type": "Norid registrar ID", "identifier": "reg42"}])),
    Some(("Domeneshop AS", None)))]
#[case::malformed_vcard(
    registrar_entity(json!("fn:Registrar"), json!([{"type": "IANA Registrar ID", "identifier": "9"}])),
    Some(("", Some("9"))))]
#[case::role_in_capitals(
    json!({"roles": ["Registrar"], "vcardArray": ["vcard", [["fn", {}, "text", "Big R"]]]}),
    Some(("Big R", None)))]
#[case::nested_under_a_contact(
    json!({"roles": ["technical"], "vcardArray": ["vcard", [["fn", {}, "text", "Tech"]]],
           "entities": [{"roles": ["registrar"], "vcardArray": ["vcard", [["fn", {}, "text", "Nested R"]]]}]}),
    Some(("Nested R", None)))]
#[case::no_registrar(
    json!({"roles": ["registrant"], "vcardArray": ["vcard", [["fn", {}, "text", "Holder"]]]}),
    None)]
fn registrar(#[case] entity: Value, #[case] expected: Option<(&str, Option<&str>)>) {
    let record = record(domain(json!({ "entities": [entity] })));
    let found = record.registrar.as_ref().map(|registrar| {
        (
            registrar.name.as_deref().unwrap_or(""),
            registrar.iana_id.as_deref(),
        )
    });
    assert_eq!(found, expected);
}

#[test]
fn a_registrar_without_name_or_id_is_noted() {
    let record = record(domain(
        json!({"entities": [{"roles": ["registrar"], "handle": "REG-CZNIC"}]}),
    ));
    assert_eq!(record.registrar, None);
    assert!(
        record.notes.iter().any(|note| note.contains("REG-CZNIC")),
        "{:?}",
        record.notes
    );
}

#[rstest]
#[case::absent(json!({}), None)]
#[case::signed(json!({"secureDNS": {"delegationSigned": true}}), Some(true))]
#[case::unsigned(json!({"secureDNS": {"delegationSigned": false, "dsData": []}}), Some(false))]
#[case::string(json!({"secureDNS": {"delegationSigned": "true"}}), Some(true))]
#[case::ds_only(json!({"secureDNS": {"dsData": [{"keyTag": 1, "algorithm": 13, "digestType": 2, "digest": "AB"}]}}), Some(true))]
#[case::key_only(json!({"secureDNS": {"keyData": [{"flags": 257}]}}), Some(true))]
#[case::says_nothing(json!({"secureDNS": {"zoneSigned": true}}), None)]
fn dnssec(#[case] extra: Value, #[case] expected: Option<bool>) {
    assert_eq!(record(domain(extra)).dnssec, expected);
}

#[test]
fn nameservers_are_canonical() {
    let record = record(domain(json!({"nameservers": [
        {"ldhName": "NS2.EXAMPLE.NET."}, {"ldhName": "ns1.example.net"},
        {"unicodeName": "ns.bücher.example"}, {"ldhName": "ns1.example.net"}, {}
    ]})));
    assert_eq!(
        record.nameservers,
        [
            "ns.xn--bcher-kva.example",
            "ns1.example.net",
            "ns2.example.net"
        ]
    );
}

#[rstest]
#[case::ldh_upper_with_dot(json!({"objectClassName": "domain", "ldhName": "AMAZON.CYOU."}), None, "amazon.cyou")]
#[case::unicode_only(json!({"objectClassName": "domain", "unicodeName": "bücher.example"}), None, "xn--bcher-kva.example")]
#[case::u_label_in_ldh(json!({"objectClassName": "domain", "ldhName": "Bücher.example"}), None, "xn--bcher-kva.example")]
#[case::from_the_url(json!({"objectClassName": "domain"}), Some("https://rdap.example/v1/domain/Example.ORG"), "example.org")]
#[case::from_a_percent_encoded_url(json!({"objectClassName": "domain"}), Some("https://rdap.example/domain/b%C3%BCcher.example"), "xn--bcher-kva.example")]
#[case::nothing(json!({"objectClassName": "domain"}), None, "")]
fn domain_name(#[case] body: Value, #[case] url: Option<&str>, #[case] expected: &str) {
    let parsed = parse_domain(body.to_string().as_bytes(), source(url));
    let record = parsed.map(|parsed| parsed.record);
    assert_eq!(
        record.as_ref().map(|record| record.domain.as_str()),
        Ok(expected)
    );
    if expected.is_empty() {
        assert_eq!(record.map(|record| record.notes.len()), Ok(1));
    }
}

fn link(rel: &str, href: &str, media_type: Option<&str>) -> Value {
    let mut link = json!({"rel": rel, "href": href, "value": "https://rdap.registry.example/domain/example.com"});
    if let (Some(link), Some(media_type)) = (link.as_object_mut(), media_type) {
        link.insert("type".into(), media_type.into());
    }
    link
}

const SELF: &str = "https://rdap.registry.example/domain/example.com";
const RDAP: Option<&str> = Some("application/rdap+json");

#[rstest]
#[case::typed(vec![link("self", SELF, RDAP), link("related", "https://rdap.registrar.example/domain/EXAMPLE.COM", RDAP)],
    Some("https://rdap.registrar.example/domain/EXAMPLE.COM"))]
#[case::typed_with_parameters(vec![link("Related", "https://r.example/rdap/domain/example.com", Some("application/rdap+json; charset=utf-8"))],
    Some("https://r.example/rdap/domain/example.com"))]
#[case::untyped_domain_url(vec![link("related", "https://r.example/domain/example.com", None)],
    Some("https://r.example/domain/example.com"))]
#[case::untyped_other_url(vec![link("related", "https://www.registrar.example/whois", None)], None)]
#[case::html(vec![link("related", "https://r.example/domain/example.com", Some("text/html"))], None)]
#[case::self_only(vec![link("self", SELF, RDAP)], None)]
#[case::several_relations(vec![link("alternate related", "https://r.example/domain/example.com", RDAP)],
    Some("https://r.example/domain/example.com"))]
#[case::related_pointing_at_self(vec![link("self", SELF, RDAP), link("related", SELF, RDAP)], None)]
#[case::entity_url(vec![link("related", "https://r.example/entity/292", RDAP)], None)]
#[case::not_http(vec![link("related", "ftp://r.example/domain/example.com", RDAP)], None)]
#[case::domain_url_preferred(vec![link("related", "https://r.example/rdap/", RDAP), link("related", "https://r.example/rdap/domain/example.com", RDAP)],
    Some("https://r.example/rdap/domain/example.com"))]
#[case::base_url_as_last_resort(vec![link("related", "https://r.example/rdap/", RDAP)], Some("https://r.example/rdap/"))]
fn registrar_rdap(#[case] links: Vec<Value>, #[case] expected: Option<&str>) {
    let parsed = parse(domain(json!({ "links": links })));
    assert_eq!(
        parsed.map(|parsed| parsed.registrar_rdap),
        Ok(expected.map(str::to_string))
    );
}

#[test]
fn the_registrar_entity_can_carry_the_related_link() {
    let parsed = parse(domain(json!({"entities": [{"roles": ["registrar"],
        "links": [link("related", "https://r.example/domain/example.com", RDAP)]}]})));
    assert_eq!(
        parsed.map(|parsed| parsed.registrar_rdap),
        Ok(Some("https://r.example/domain/example.com".to_string()))
    );
}

#[test]
fn the_self_link_is_reported() {
    let parsed = parse(domain(json!({"links": [link("self", SELF, RDAP)]})));
    assert_eq!(
        parsed.map(|parsed| parsed.self_link),
        Ok(Some(SELF.to_string()))
    );
}

#[rstest]
#[case::number(json!({"errorCode": 404, "title": "Not Found"}))]
#[case::string(json!({"errorCode": "404", "description": ["no such domain"]}))]
#[case::with_a_class(json!({"objectClassName": "domain", "errorCode": 404}))]
fn error_404_is_not_registered(#[case] body: Value) {
    let url = "https://rdap.example/domain/free-name.example";
    let parsed = parse_domain(body.to_string().as_bytes(), source(Some(url)));
    let record = parsed.map(|parsed| parsed.record);
    assert_eq!(record.as_ref().map(|record| record.registered), Ok(false));
    assert_eq!(
        record.as_ref().map(|record| record.domain.as_str()),
        Ok("free-name.example")
    );
    assert_eq!(
        record.map(|record| record.source.url),
        Ok(Some(url.to_string()))
    );
}

#[rstest]
#[case(json!({"errorCode": 500, "title": "Internal"}), Some(500), true, false)]
#[case(json!({"errorCode": 503}), Some(503), true, false)]
#[case(json!({"errorCode": 429, "title": "Too Many Requests"}), Some(429), true, true)]
#[case(json!({"errorCode": 400, "description": ["bad", "request"]}), Some(400), false, false)]
#[case(json!({"errorCode": "teapot"}), None, false, false)]
#[case(json!({"objectClassName": "domain", "errorCode": 500}), Some(500), true, false)]
fn other_error_objects_are_typed_errors(
    #[case] body: Value,
    #[case] code: Option<u16>,
    #[case] retryable: bool,
    #[case] rate_limited: bool,
) {
    match parse(body) {
        Err(error @ RdapParseError::ServerError { .. }) => {
            assert_eq!(error.error_code(), code);
            assert_eq!(error.is_retryable(), retryable);
            assert_eq!(error.is_rate_limited(), rate_limited);
        }
        other => panic!("expected a server error, got {other:?}"),
    }
}

#[test]
fn a_server_error_message_is_one_line_with_its_words() {
    let error = parse(
        json!({"errorCode": 400, "title": "Bad\nRequest", "description": ["name", "\u{1b}[31mtoo long"]}),
    );
    let message = error
        .map(|_| String::new())
        .unwrap_or_else(|error| error.to_string());
    assert_eq!(
        message,
        "the server answered with RDAP error 400: Bad Request name [31mtoo long"
    );
}

#[rstest]
#[case::entity(br#"{"objectClassName": "entity", "handle": "292"}"#.as_slice(), "class \"entity\"")]
#[case::nameserver(br#"{"objectClassName": "nameserver", "ldhName": "ns1.example.com"}"#.as_slice(), "class \"nameserver\"")]
#[case::search(br#"{"rdapConformance": ["rdap_level_0"], "domainSearchResults": []}"#.as_slice(), "search result (domainSearchResults)")]
#[case::bootstrap(br#"{"version": "1.0", "publication": "2024-07-25T22:00:01Z", "services": []}"#.as_slice(), "bootstrap file")]
#[case::array(b"[1, 2]".as_slice(), "a JSON array")]
#[case::string(b"\"domain\"".as_slice(), "a JSON string")]
#[case::unrelated(br#"{"name": "x", "value": 1}"#.as_slice(), "members: name, value")]
fn non_domain_json_is_named(#[case] body: &[u8], #[case] found_part: &str) {
    match parse_domain(body, source(None)) {
        Err(RdapParseError::NotADomain { found, body_start }) => {
            assert!(found.contains(found_part), "{found}");
            assert!(
                body.starts_with(body_start.get(..8).unwrap_or("").as_bytes()),
                "{body_start}"
            );
        }
        other => panic!("expected NotADomain, got {other:?}"),
    }
}

#[rstest]
#[case::html(b"<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>".as_slice(), "<!DOCTYPE html> <html>")]
#[case::truncated(br#"{"objectClassName": "domain", "ldhName": "exa"#.as_slice(), "{\"objectClassName\"")]
#[case::empty(b"  \n".as_slice(), "")]
#[case::binary(b"\x1f\x8b\x08\x00".as_slice(), "")]
fn non_json_keeps_evidence(#[case] body: &[u8], #[case] evidence_start: &str) {
    match parse_domain(body, source(None)) {
        Err(error @ RdapParseError::NotJson { .. }) => {
            assert!(error.is_retryable());
            let RdapParseError::NotJson { reason, body_start } = error else {
                return;
            };
            assert!(body_start.starts_with(evidence_start), "{body_start:?}");
            assert!(!body_start.contains('\n') && !body_start.contains('\u{1f}'));
            if body.trim_ascii().is_empty() {
                assert_eq!(reason, "the body is empty");
            }
        }
        other => panic!("expected NotJson, got {other:?}"),
    }
}

#[test]
fn long_bodies_are_cut_in_the_evidence() {
    let body = format!("<html>{}</html>", "x".repeat(10_000));
    match parse_domain(body.as_bytes(), source(None)) {
        Err(RdapParseError::NotJson { body_start, .. }) => {
            assert_eq!(body_start.chars().count(), EVIDENCE_CHARS);
        }
        other => panic!("expected NotJson, got {other:?}"),
    }
}

#[test]
fn a_byte_order_mark_is_tolerated() {
    let body = [
        b"\xEF\xBB\xBF".as_slice(),
        br#"{"objectClassName":"domain","ldhName":"example.com"}"#,
    ]
    .concat();
    let parsed = parse_domain(&body, source(None));
    assert_eq!(
        parsed.map(|parsed| parsed.record.domain),
        Ok("example.com".to_string())
    );
}

#[test]
fn a_domain_without_object_class_is_read_with_a_note() {
    let record = record(json!({"ldhName": "example.com", "status": ["active"]}));
    assert_eq!(record.statuses, [Status::Ok]);
    assert!(
        record
            .notes
            .iter()
            .any(|note| note.contains("objectClassName"))
    );
}

#[test]
fn the_source_is_kept() {
    let url = "https://rdap.example/domain/example.com";
    let parsed = parse_domain(domain(json!({})).to_string().as_bytes(), source(Some(url)));
    assert_eq!(
        parsed.map(|parsed| parsed.record.source),
        Ok(source(Some(url)))
    );
}

// Issue #13: an answer flooding a list field keeps the first values of each
// and says so; reading it costs no more than the caps.
#[test]
fn floods_of_statuses_nameservers_and_events_are_cut_with_a_note() {
    let statuses: Vec<String> = (0..100_000).map(|n| format!("status {n}")).collect();
    let nameservers: Vec<Value> = (0..1_000)
        .map(|n| json!({"ldhName": format!("ns{n}.example.net")}))
        .collect();
    let events: Vec<Value> = (0..1_000)
        .map(|n| json!({"eventAction": "expiration", "eventDate": format!("bad {n}")}))
        .collect();
    let record = record(domain(json!({
        "status": statuses,
        "nameservers": nameservers,
        "events": events,
    })));
    assert_eq!(record.statuses.len(), MAX_STATUSES);
    assert_eq!(record.statuses[0], Status::Other("status 0".to_owned()));
    assert_eq!(record.nameservers.len(), crate::record::MAX_NAMESERVERS);
    assert!(record.nameservers.contains(&"ns0.example.net".to_owned()));
    let notes = &record.notes;
    for (what, limit) in [
        ("statuses", MAX_STATUSES),
        ("name servers", crate::record::MAX_NAMESERVERS),
        ("events", MAX_EVENTS),
    ] {
        let expected = truncated_note(what, limit);
        assert_eq!(
            notes.iter().filter(|note| **note == expected).count(),
            1,
            "{expected}: {notes:?}"
        );
    }
    let unreadable = notes
        .iter()
        .filter(|note| note.contains("could not be read"));
    assert_eq!(unreadable.count(), MAX_EVENTS, "{notes:?}");
}

#[test]
fn a_normal_answer_has_no_truncation_note() {
    let record = record(domain(json!({"status": ["active", "client hold"]})));
    assert!(
        record.notes.iter().all(|note| !note.contains("more than")),
        "{:?}",
        record.notes
    );
}
