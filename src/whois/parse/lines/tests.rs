//! Shapes of WHOIS text the generic reader must take apart.

use rstest::rstest;

use super::*;

/// (section title or "", key, value, object) of every field.
fn read(text: &str) -> Vec<(String, String, String, ObjectKind)> {
    read_fields(text)
        .into_iter()
        .map(|field| {
            (
                field.section.map(|s| s.title).unwrap_or_default(),
                field.key,
                field.value,
                field.object,
            )
        })
        .collect()
}

fn domain(section: &str, key: &str, value: &str) -> (String, String, String, ObjectKind) {
    (
        section.to_string(),
        key.to_string(),
        value.to_string(),
        ObjectKind::Domain,
    )
}

#[rstest]
#[case::colon(
    "Registry Expiry Date: 2020-09-27T13:26:20Z",
    "registry expiry date",
    "2020-09-27T13:26:20Z"
)]
#[case::padded("expires:     20180518", "expires", "20180518")]
#[case::space_before_colon(
    "Expiration Date             : 2020. 03. 02.",
    "expiration date",
    "2020. 03. 02."
)]
#[case::no_space_after_colon("Name Server:NS1.GOOGLE.COM", "name server", "NS1.GOOGLE.COM")]
#[case::dotted_padding(
    "expires............: 20.3.2019 17:13:49",
    "expires",
    "20.3.2019 17:13:49"
)]
#[case::jprs_brackets(
    "[Expires on]                    2014/05/31",
    "expires on",
    "2014/05/31"
)]
#[case::jprs_numbered(
    "a. [Domain Name]                GOOGLE.CO.JP",
    "domain name",
    "GOOGLE.CO.JP"
)]
#[case::jprs_japanese("[有効期限]                      2021/05/31", "有効期限", "2021/05/31")]
#[case::bilingual(
    "Data de expiração / Expiration Date (dd/mm/yyyy): 01/03/2014",
    "expiration date",
    "01/03/2014"
)]
#[case::underscores(
    "domain_datebilleduntil: 2011-07-14T12:11:36+12:00",
    "domain datebilleduntil",
    "2011-07-14T12:11:36+12:00"
)]
#[case::hyphens(
    "paid-till:     2020-11-20T21:00:00Z",
    "paid till",
    "2020-11-20T21:00:00Z"
)]
#[case::mixed_case("DOMAIN NAME:           google.pl", "domain name", "google.pl")]
#[case::url_value(
    "Registrar URL: http://www.markmonitor.com",
    "registrar url",
    "http://www.markmonitor.com"
)]
#[case::sentence(
    "Record expires on 2020-10-31 (YYYY-MM-DD)",
    "record expires on",
    "2020-10-31 (YYYY-MM-DD)"
)]
fn key_value_shapes(#[case] line: &str, #[case] key: &str, #[case] value: &str) {
    assert_eq!(read(line), vec![domain("", key, value)]);
}

#[rstest]
#[case::percent("% Copyright (c) Nic.br")]
#[case::hash("# KOREAN(UTF8)")]
#[case::last_update(">>> Last update of WHOIS database: 2019-10-06T12:55:22Z <<<")]
#[case::jprs_banner("[ JPRS database provides information on network administration. ]")]
#[case::nic_it_banner("* Please note that the following result could be a subgroup of *")]
#[case::stars("*********************************************************************")]
#[case::time_is_not_a_key("WHOIS lookup made at 09:42:27 12-Oct-2019")]
#[case::url_line("https://www.icann.org/resources/pages/epp-status-codes")]
#[case::prose("registrar's sponsorship of the domain name registration in the registry is")]
fn lines_without_fields(#[case] line: &str) {
    assert_eq!(read(line), vec![]);
}

#[test]
fn notice_paragraphs_are_skipped_to_the_blank_line() {
    let text = "Domain Name: A.COM\n\
                NOTICE: The expiration date displayed in this record is the date the\n\
                registrar's sponsorship: of the domain name registration\n\
                Expiry Date: 1999-01-01\n\
                \n\
                Registry Expiry Date: 2030-01-01";
    assert_eq!(
        read(text),
        vec![
            domain("", "domain name", "A.COM"),
            domain("", "registry expiry date", "2030-01-01"),
        ]
    );
}

#[test]
fn indented_blocks_give_heading_values_and_section_fields() {
    let text = "    Registrar:\n\
                \x20       Markmonitor Inc. t/a MarkMonitor Inc. [Tag = MARKMONITOR]\n\
                \x20       URL: http://www.markmonitor.com\n\
                \n\
                \x20   Relevant dates:\n\
                \x20       Registered on: 14-Feb-1999\n\
                \x20       Expiry date:  14-Feb-2018\n\
                \n\
                \x20   Name servers:\n\
                \x20       ns1.google.com\n\
                \x20       ns2.google.com\n\
                \n\
                \x20   WHOIS lookup made at 21:25:26 18-Nov-2017\n";
    assert_eq!(
        read(text),
        vec![
            domain(
                "registrar",
                "registrar",
                "Markmonitor Inc. t/a MarkMonitor Inc. [Tag = MARKMONITOR]"
            ),
            domain("registrar", "url", "http://www.markmonitor.com"),
            domain("relevant dates", "registered on", "14-Feb-1999"),
            domain("relevant dates", "expiry date", "14-Feb-2018"),
            domain("name servers", "name servers", "ns1.google.com"),
            domain("name servers", "name servers", "ns2.google.com"),
        ]
    );
}

#[test]
fn same_indent_sections_hold_to_the_blank_line() {
    let text = "Domain:\n\
                name:       samanacrafts.ee\n\
                status:     expired\n\
                \n\
                Registrant:\n\
                name:    Anastassia Hisamova\n\
                changed: 2014-11-01 20:38:55 +02:00\n\
                \n\
                Registrar:\n\
                name:       Edicy OÜ\n";
    assert_eq!(
        read(text),
        vec![
            domain("", "domain", ""),
            domain("", "name", "samanacrafts.ee"),
            domain("", "status", "expired"),
            domain("registrant", "name", "Anastassia Hisamova"),
            domain("registrant", "changed", "2014-11-01 20:38:55 +02:00"),
            domain("registrar", "name", "Edicy OÜ"),
        ]
    );
}

#[test]
fn prefixed_gtld_keys_with_empty_values_open_no_section() {
    let text = "Registrant Phone Ext:\n\
                Registrant Fax: +1.6506188571\n\
                Name Server: NS1.GOOGLE.COM";
    assert_eq!(
        read(text),
        vec![
            domain("", "registrant phone ext", ""),
            domain("", "registrant fax", "+1.6506188571"),
            domain("", "name server", "NS1.GOOGLE.COM"),
        ]
    );
}

#[test]
fn values_continue_on_deeper_lines() {
    let text = "nameservers:           ns1.google.com.\n\
                \x20                      ns2.google.com.\n\
                created:               2002.09.19 13:00:00";
    assert_eq!(
        read(text),
        vec![
            domain("", "nameservers", "ns1.google.com."),
            domain("", "nameservers", "ns2.google.com."),
            domain("", "created", "2002.09.19 13:00:00"),
        ]
    );
}

#[test]
fn values_on_the_line_after_their_key() {
    let text = "Registrar:\nSWITCH Domain Name Registration\n\n\
                First registration date:\n1995-09-08\n\n\
                Name servers:\nns1.switch.ch\t[130.59.1.80]\nns2.switch.ch\n";
    assert_eq!(
        read(&crate::whois::parse::text::clean(text)),
        vec![
            domain("registrar", "registrar", "SWITCH Domain Name Registration"),
            domain(
                "first registration date",
                "first registration date",
                "1995-09-08"
            ),
            domain(
                "name servers",
                "name servers",
                "ns1.switch.ch [130.59.1.80]"
            ),
            domain("name servers", "name servers", "ns2.switch.ch"),
        ]
    );
}

#[test]
fn objects_after_the_domain_object_are_marked() {
    let text = "domain:      google.fr\nstatus:      ACTIVE\n\n\
                registrar:   MARKMONITOR Inc.\nregistered:  10/01/2002\n\n\
                nic-hdl:     GIH6-FRNIC\nchanged:     20/03/2015 nic@nic.fr\n";
    let objects: Vec<(String, ObjectKind)> = read(text)
        .into_iter()
        .map(|(_, key, _, object)| (key, object))
        .collect();
    assert_eq!(
        objects,
        vec![
            ("domain".to_string(), ObjectKind::Domain),
            ("status".to_string(), ObjectKind::Domain),
            ("registrar".to_string(), ObjectKind::Registrar),
            ("registered".to_string(), ObjectKind::Registrar),
            ("nic hdl".to_string(), ObjectKind::Contact),
            ("changed".to_string(), ObjectKind::Contact),
        ]
    );
}

#[test]
fn a_registrar_block_before_any_domain_is_the_domain_object() {
    let text = "\nRegistrar: Example Registrar\nStatus: ok\n";
    assert!(
        read(text)
            .iter()
            .all(|(_, _, _, object)| *object == ObjectKind::Domain)
    );
}

#[rstest]
#[case("Nome de domínio / Domain Name", "domain name")]
#[case("Administrative Contact(AC)", "administrative contact")]
#[case("domain.............", "domain")]
#[case("[Domain Name]", "[domain name]")]
#[case("Registrar_Name", "registrar name")]
#[case("** Domain Name", "domain name")]
fn keys_are_normalised(#[case] raw: &str, #[case] expected: &str) {
    assert_eq!(normalize_key(raw), expected);
}

#[test]
fn verisign_host_records_before_the_domain_are_not_the_domain() {
    let text = "   Server Name: GOOGLE.COM.ZZZ.EXAMPLE\n   IP Address: 192.0.2.1\n   Registrar: WRONG REGISTRAR\n\n   Domain Name: GOOGLE.COM\n   Registrar: MARKMONITOR INC.\n";
    let kinds: Vec<(String, ObjectKind)> = read(text)
        .into_iter()
        .map(|(_, key, _, object)| (key, object))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("server name".to_string(), ObjectKind::Contact),
            ("ip address".to_string(), ObjectKind::Contact),
            ("registrar".to_string(), ObjectKind::Contact),
            ("domain name".to_string(), ObjectKind::Domain),
            ("registrar".to_string(), ObjectKind::Domain),
        ]
    );
}

#[test]
fn grouped_gtld_lines_stay_in_the_domain_object() {
    let text = "Domain Name: EXAMPLE.COM\n\nRegistrar: Example Registrar, LLC\nDomain Status: ok\n";
    assert!(
        read(text)
            .iter()
            .all(|(_, _, _, object)| *object == ObjectKind::Domain)
    );
}

#[test]
fn an_empty_gtld_contact_field_opens_no_section() {
    let text = "Admin Email:\nRegistry Tech ID: REDACTED\nTech Email: REDACTED\nName Server: NS1.EXAMPLE.COM\n";
    assert!(
        read(text)
            .iter()
            .all(|(section, _, _, _)| section.is_empty())
    );
}
