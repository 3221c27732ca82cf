//! End-to-end behaviour of the reader on answers written for one property
//! each (the captured answers are in tests/whois_corpus.rs).

mod families;

use rstest::rstest;

use crate::record::{Protocol, Record, Role};
use crate::status::Status;
use crate::whois::{WhoisParseError, WhoisQuery, parse_whois};

fn read(domain: &str, server: Option<&str>, body: &[u8]) -> Result<Record, WhoisParseError> {
    parse_whois(&WhoisQuery::new(domain, server), body)
}

fn date(record_date: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    record_date.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

#[rstest]
#[case::verisign(
    "example-none.com",
    Some("whois.verisign-grs.com"),
    "No match for \"EXAMPLE-NONE.COM\".\r\n>>> Last update of whois database: 2024-05-01T10:00:00Z <<<\r\n\r\nNOTICE: The expiration date displayed in this record is the date the\r\nregistrar's sponsorship of the domain name registration in the registry is\r\ncurrently set to expire.\r\n"
)]
#[case::denic(
    "example-none.de",
    Some("whois.denic.de"),
    "Domain: example-none.de\nStatus: free\n"
)]
#[case::eurid(
    "example-none.eu",
    Some("whois.eu"),
    "% The WHOIS service offered by EURid...\n\nDomain: example-none.eu\nScript: LATIN\n\nStatus: AVAILABLE\n"
)]
#[case::cnnic("example-none.cn", Some("whois.cnnic.cn"), "No matching record.")]
#[case::nominet(
    "example-none.co.uk",
    Some("whois.nic.uk"),
    "\n    No match for \"example-none.co.uk\".\n\n    This domain name has not been registered.\n\n    WHOIS lookup made at 10:00:00 01-May-2024\n\n-- \nThis WHOIS information is provided for free by Nominet UK the central registry\nfor .uk domain names. (C) exceeding query rate or volume\nlimits.\n"
)]
#[case::srs_nz(
    "example-none.nz",
    Some("whois.srs.net.nz"),
    "version: 8.0\nquery_datetime: 2024-05-01T10:00:00+12:00\ndomain_name: example-none.nz\nquery_status: 220 Available\n"
)]
#[case::ripn(
    "example-none.ru",
    Some("whois.tcinet.ru"),
    "% By submitting a query to RIPN's Whois Service\n% you agree to abide by the following terms of use:\n\nNo entries found for the selected source(s).\n"
)]
#[case::jprs(
    "example-none.jp",
    Some("whois.jprs.jp"),
    "[ JPRS database provides information on network administration. ]\n\nNo match!!\n"
)]
fn not_found_answers_are_unregistered_records(
    #[case] domain: &str,
    #[case] server: Option<&str>,
    #[case] text: &str,
) {
    let record = read(domain, server, text.as_bytes());
    let record = record.unwrap_or_else(|error| panic!("{text}: {error}"));
    assert!(!record.registered, "{text}");
    assert_eq!(record.domain, domain);
    assert!(record.statuses.is_empty() && record.expires.is_none());
}

#[rstest]
#[case::pir("WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS")]
#[case::cnnic("Your connection limit exceeded. Please slow down and try again later.")]
#[case::denic("% Error: 55000000002 Connection refused; access control limit exceeded")]
#[case::quota("%% Quota exceeded")]
fn refusals_are_rate_limited_errors(#[case] text: &str) {
    let error = read("example.com", Some("whois.example"), text.as_bytes());
    let Err(error) = error else {
        panic!("read a record from {text:?}");
    };
    assert!(error.is_rate_limited());
    assert!(error.is_retryable());
    assert_eq!(error.evidence(), Some(text));
}

#[test]
fn terms_that_mention_query_limits_do_not_hide_a_record() {
    let text = "    Domain name:\n        example.co.uk\n\n    Relevant dates:\n        Expiry date:  14-Feb-2025\n\n--\nrestrictions on: (C) exceeding query rate or volume limits. Too many queries will be blocked.\n";
    let record = read("example.co.uk", Some("whois.nic.uk"), text.as_bytes());
    assert_eq!(
        record.ok().and_then(|r| date(r.expires)),
        Some("2025-02-14T00:00:00Z".to_string())
    );
}

#[rstest]
#[case::nothing(b"".as_slice())]
#[case::blank_lines(b"\r\n\r\n   \n".as_slice())]
fn empty_answers_are_errors(#[case] body: &[u8]) {
    let error = read("example.com", None, body);
    assert!(matches!(error, Err(WhoisParseError::Empty { .. })));
    assert!(error.is_err_and(|e| e.is_retryable() && !e.is_rate_limited()));
}

#[test]
fn unreadable_answers_keep_the_first_lines() {
    let text = "Welcome to the \"example\" server\n\nPlease use the web interface\nThank you\nline four\nline five\nline six\nline seven\nline eight\nline nine\n";
    let error = read("example.com", Some("whois.example"), text.as_bytes());
    let Err(error) = error else {
        panic!("read a record from prose");
    };
    assert!(!error.is_retryable());
    let evidence = "Welcome to the \\\"example\\\" server | Please use the web interface | Thank you | line four | line five | line six | line seven | line eight";
    assert_eq!(error.evidence(), Some(evidence));
    let message = error.to_string();
    assert!(message.contains("whois.example"), "{message}");
    assert!(message.contains("please report it"), "{message}");
    assert!(message.ends_with(evidence), "{message}");
}

#[test]
fn the_evidence_of_a_refused_answer_is_escaped_and_bounded() {
    let long = "x".repeat(2000);
    let text = format!("Weird\u{7}banner \u{202E}here\n{long}\n");
    let Err(error) = read("example.com", None, text.as_bytes()) else {
        panic!("read a record from prose");
    };
    let evidence = error.evidence().unwrap_or_default();
    assert!(evidence.starts_with("Weirdbanner here | xxx"), "{evidence}");
    assert!(evidence.ends_with(" ..."), "{evidence}");
    assert!(evidence.chars().count() <= 644, "{}", evidence.len());
    assert!(!evidence.chars().any(char::is_control));
}

#[test]
fn a_backslash_in_the_evidence_is_escaped() {
    let Err(error) = read("example.com", None, b"Path C:\\whois\\x is not here\n") else {
        panic!("read a record from prose");
    };
    assert_eq!(error.evidence(), Some(r"Path C:\\whois\\x is not here"));
}

#[test]
fn the_source_is_the_registry_over_whois() {
    let record = read(
        "Example.COM.",
        Some("WHOIS.VERISIGN-GRS.COM"),
        b"Domain Name: EXAMPLE.COM\nRegistry Expiry Date: 2030-08-13T04:00:00Z\n",
    );
    let Ok(record) = record else {
        panic!("not read");
    };
    assert_eq!(record.domain, "example.com");
    assert_eq!(record.source.protocol, Protocol::Whois);
    assert_eq!(record.source.role, Role::Registry);
    assert_eq!(
        record.source.server.as_deref(),
        Some("whois.verisign-grs.com")
    );
    assert!(record.notes.is_empty(), "{:?}", record.notes);
}

#[test]
fn an_answer_about_another_name_is_noted() {
    let record = read(
        "example.com",
        None,
        b"Domain Name: OTHER.COM\nRegistry Expiry Date: 2030-08-13T04:00:00Z\n",
    );
    assert!(record.is_ok_and(|r| r.notes.iter().any(|n| n.contains("OTHER.COM"))));
}

#[test]
fn control_and_escape_sequences_never_reach_values() {
    let body = b"Domain Name: example.com\nRegistrar: Evil\x1b[2J\x1b]0;pwned\x07 Registrar\x00 Inc.\nDomain Status: ok\n";
    let record = read("example.com", None, body);
    let name = record.ok().and_then(|r| r.registrar).and_then(|r| r.name);
    assert_eq!(name.as_deref(), Some("Evil Registrar Inc."));
}

#[test]
fn a_national_charset_is_decoded_for_its_registry() {
    let mut body = b"Domain Name : example.kr\nAuthorized Agency : ".to_vec();
    // "(주)후이즈" in EUC-KR.
    body.extend_from_slice(b"(\xC1\xD6)\xC8\xC4\xC0\xCC\xC1\xEE\n");
    let record = read("example.kr", Some("whois.kr"), &body);
    let Ok(record) = record else {
        panic!("not read");
    };
    assert_eq!(
        record.registrar.and_then(|r| r.name).as_deref(),
        Some("(주)후이즈")
    );
    assert!(record.notes.is_empty(), "{:?}", record.notes);
}

#[test]
fn an_unknown_charset_is_guessed_from_the_bytes_with_a_note() {
    let body = b"Domain Name: example.com\nRegistrar: M\xFCller GmbH\nDomain Status: ok\n";
    let record = read("example.com", Some("whois.example"), body);
    let Ok(record) = record else {
        panic!("not read");
    };
    assert_eq!(
        record.registrar.and_then(|r| r.name).as_deref(),
        Some("Müller GmbH")
    );
    assert!(
        record
            .notes
            .iter()
            .any(|note| note.contains("not UTF-8") && note.contains("windows-1252")),
        "{:?}",
        record.notes
    );
}

#[test]
fn jprs_iso_2022_jp_answers_are_decoded() {
    // "[有効期限] 2021/05/31" and "[状態] Active" in ISO-2022-JP.
    let body = b"[Domain Name]                   EXAMPLE.JP\n[\x1b$BM-8z4|8B\x1b(B]                      2021/05/31\n[\x1b$B>uBV\x1b(B]                          Active\n";
    let record = read("example.jp", Some("whois.jprs.jp"), body);
    let Ok(record) = record else {
        panic!("not read");
    };
    assert_eq!(
        date(record.expires).as_deref(),
        Some("2021-05-30T15:00:00Z")
    );
    assert_eq!(record.statuses, vec![Status::Ok]);
}

#[test]
fn switch_style_values_on_the_next_line() {
    let text = "Domain name:\nexample.ch\n\nHolder of domain name:\nExample AG\nZurich\n\nRegistrar:\nExample Registrar AG\n\nFirst registration date:\n1995-09-08\n\nDNSSEC:N\n\nName servers:\nns1.example.ch\t[192.0.2.1]\nns2.example.net\n";
    let Ok(record) = read("example.ch", Some("whois.nic.ch"), text.as_bytes()) else {
        panic!("not read");
    };
    assert_eq!(
        date(record.created).as_deref(),
        Some("1995-09-08T00:00:00Z")
    );
    assert_eq!(
        record.registrar.and_then(|r| r.name).as_deref(),
        Some("Example Registrar AG")
    );
    assert_eq!(record.nameservers, ["ns1.example.ch", "ns2.example.net"]);
    assert_eq!(record.dnssec, Some(false));
}

#[test]
fn dns_belgium_layout() {
    let text = "Domain:\texample.be\nStatus:\tNOT AVAILABLE\nRegistered:\tTue Dec 12 2000\n\nRegistrant:\n\tNot shown, please visit www.dnsbelgium.be for webbased whois.\n\nRegistrar Technical Contacts:\n\tOrganisation:\tWrong Org\n\tEmail:\tx@example.com\n\nRegistrar:\n\tName:\t Example Registrar\n\tWebsite: https://www.example.com\n\nNameservers:\n\tns1.example.be\n\tns2.example.be\n\nKeys:\n\nFlags:\n\tclientTransferProhibited\n";
    let Ok(record) = read("example.be", Some("whois.dns.be"), text.as_bytes()) else {
        panic!("not read");
    };
    assert_eq!(
        date(record.created).as_deref(),
        Some("2000-12-12T00:00:00Z")
    );
    assert_eq!(
        record.registrar.and_then(|r| r.name).as_deref(),
        Some("Example Registrar")
    );
    assert_eq!(record.nameservers, ["ns1.example.be", "ns2.example.be"]);
    assert_eq!(record.statuses, vec![Status::ClientTransferProhibited]);
}

#[test]
fn dk_hostmaster_dns_line_is_the_domain_not_a_name_server() {
    let text = "Domain:               example.dk\nDNS:                  example.dk\nRegistered:           1999-01-10\nExpires:              2030-03-31\nDnssec:               Signed delegation\nStatus:               Active\n\nRegistrant\nHandle:               ***N/A***\nName:                 Example A/S\n\nNameservers\nHostname:             ns1.example.net\nHostname:             ns2.example.net\n";
    let Ok(record) = read(
        "example.dk",
        Some("whois.dk-hostmaster.dk"),
        text.as_bytes(),
    ) else {
        panic!("not read");
    };
    assert_eq!(record.nameservers, ["ns1.example.net", "ns2.example.net"]);
    assert_eq!(record.dnssec, Some(true));
    assert_eq!(record.statuses, vec![Status::Ok]);
    assert_eq!(
        date(record.expires).as_deref(),
        Some("2030-03-31T00:00:00Z")
    );
}

#[test]
fn registrar_expiry_and_registry_expiry_are_kept_apart() {
    let text = "Domain Name: EXAMPLE.COM\nRegistry Expiry Date: 2026-09-14T04:00:00Z\nRegistrar Registration Expiration Date: 2025-09-14T04:00:00Z\nRegistrar: Example Registrar, LLC\nRegistrar IANA ID: 9999\n";
    let Ok(record) = read(
        "example.com",
        Some("whois.verisign-grs.com"),
        text.as_bytes(),
    ) else {
        panic!("not read");
    };
    assert_eq!(
        date(record.expires).as_deref(),
        Some("2026-09-14T04:00:00Z")
    );
    assert_eq!(
        date(record.registrar_expires).as_deref(),
        Some("2025-09-14T04:00:00Z")
    );
    assert_eq!(
        record.registrar.and_then(|r| r.iana_id).as_deref(),
        Some("9999")
    );
}

#[test]
fn stated_lifecycle_dates_go_to_registry_dates() {
    let text = "domain:        EXAMPLE.RU\nstate:         REGISTERED, NOT DELEGATED\ncreated:       2005-10-15T20:00:00Z\npaid-till:     2019-10-15T21:00:00Z\nfree-date:     2019-11-18\nsource:        TCI\n";
    let Ok(record) = read("example.ru", Some("whois.tcinet.ru"), text.as_bytes()) else {
        panic!("not read");
    };
    assert_eq!(
        date(record.expires).as_deref(),
        Some("2019-10-15T21:00:00Z")
    );
    assert_eq!(
        date(record.registry_dates.release).as_deref(),
        Some("2019-11-17T21:00:00Z")
    );
    assert_eq!(record.statuses, vec![Status::Inactive]);
}

#[test]
fn an_unreadable_date_is_a_note_not_an_error() {
    let text = "    Domain name:\n        amazon.co.uk\n\n    Relevant dates:\n        Registered on: before Aug-1996\n        Expiry date:  05-Dec-2020\n";
    let Ok(record) = read("amazon.co.uk", Some("whois.nic.uk"), text.as_bytes()) else {
        panic!("not read");
    };
    assert_eq!(record.created, None);
    assert_eq!(
        record.notes,
        vec!["cannot read the date in Registered on: \"before Aug-1996\"".to_string()]
    );
}

#[rstest]
#[case::jprs_state(
    "example.co.jp",
    Some("whois.jprs.jp"),
    "[Domain Name]                GOOGLE.CO.JP\n[State]                         Connected (2024/03/31)\n",
    "2024-03-30T15:00:00Z"
)]
#[case::ua_ok_until(
    "example.com.ua",
    Some("whois.com.ua"),
    "domain: example.com.ua\nstatus: OK-UNTIL 20131211000000\n",
    "2013-12-11T00:00:00Z"
)]
#[case::tr_stars(
    "example.com.tr",
    Some("whois.nic.tr"),
    "** Domain Name: example.com.tr\n\n** Additional Info:\nCreated on..............: 2001-Aug-23.\nExpires on..............: 2019-Aug-22.\n",
    "2019-08-22T00:00:00Z"
)]
#[case::gg_sentence(
    "example.gg",
    Some("whois.gg"),
    "Domain:\n     example.gg\n\nRelevant dates:\n     Registered on 30th April 2003 at 00:00:00.000\n     Expires on 30th April 2030 at 00:00:00.000\n",
    "2030-04-30T00:00:00Z"
)]
fn expiry_in_uncommon_places(
    #[case] domain: &str,
    #[case] server: Option<&str>,
    #[case] text: &str,
    #[case] expected: &str,
) {
    let record = read(domain, server, text.as_bytes());
    assert_eq!(
        record.ok().and_then(|r| date(r.expires)).as_deref(),
        Some(expected)
    );
}

#[test]
fn hkirc_name_servers_after_a_blank_line() {
    let text = "Domain Name:  EXAMPLE.HK\n\nExpiry Date: 31-03-2030\n\nName Servers Information:\n\nNS1.EXAMPLE.COM\nNS2.EXAMPLE.COM\n\n";
    let record = read("example.hk", Some("whois.hkirc.hk"), text.as_bytes());
    let Ok(record) = record else {
        panic!("not read");
    };
    assert_eq!(record.nameservers, ["ns1.example.com", "ns2.example.com"]);
    assert_eq!(
        date(record.expires).as_deref(),
        Some("2030-03-31T00:00:00Z")
    );
}

mod never_panics {
    use proptest::prelude::*;

    use crate::whois::{WhoisQuery, parse_whois};

    /// Lines built from the pieces real answers are made of, so that the
    /// generator reaches the reader's branches rather than only noise.
    fn whois_line() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "Domain Name",
            "Registry Expiry Date",
            "[Expires on]",
            "a. [Domain Name]",
            "expires............",
            "Registrar",
            "Name servers",
            "Status",
            "state",
            "nserver",
            "Relevant dates",
            "registrar",
            "nic-hdl",
            "",
            "% note",
            ">>>",
            "NOTICE",
            "Record expires on",
            "DNSSEC",
            "Server Name",
        ]);
        let value = prop::sample::select(vec![
            "",
            "2020-10-31",
            "31.10.2020",
            "2020. 03. 02.",
            "20190523 #1",
            "Tue Mar 21 2023",
            "before Aug-1996",
            "2021-03-17 12:48:36 (UTC+8)",
            "(",
            ")",
            "[x]",
            "ns1.example.com.",
            "REGISTERED, NOT DELEGATED",
            "clientHold https://icann.org/epp#clientHold",
            "é",
            "OK-UNTIL 2013",
            "Connected (",
            "\u{1b}[31m",
            "12:00",
            "::",
            "***",
            "- -",
        ]);
        let indent = prop::sample::select(vec!["", "  ", "        ", "\t"]);
        let separator = prop::sample::select(vec![": ", ":", " ", "  : ", " on "]);
        (indent, key, separator, value)
            .prop_map(|(indent, key, separator, value)| format!("{indent}{key}{separator}{value}"))
    }

    proptest! {
        #[test]
        fn on_arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_whois(&WhoisQuery::new("example.jp", Some("whois.jprs.jp")), &body);
        }

        #[test]
        fn on_whois_shaped_text(lines in prop::collection::vec(whois_line(), 0..30)) {
            let body = lines.join("\n");
            for (domain, server) in [("example.com", None), ("example.ru", Some("whois.tcinet.ru")), ("example.co.uk", Some("whois.nic.uk"))] {
                let _ = parse_whois(&WhoisQuery::new(domain, server), body.as_bytes());
            }
        }
    }
}

// Issue #13: a flood of distinct status words is cut at the cap, with a note.
#[test]
fn a_flood_of_statuses_is_cut_with_a_note() {
    let mut body =
        String::from("Domain Name: example.com\nRegistry Expiry Date: 2030-01-01T00:00:00Z\n");
    for n in 0..20_000 {
        body.push_str(&format!("Domain Status: word{n}\n"));
    }
    let query = WhoisQuery::new("example.com", Some("whois.verisign-grs.com"));
    let record = parse_whois(&query, body.as_bytes()).unwrap();
    assert_eq!(record.statuses.len(), crate::record::MAX_STATUSES);
    let note = crate::record::truncated_note("statuses", crate::record::MAX_STATUSES);
    assert!(record.notes.contains(&note), "{:?}", record.notes);
}
