//! Issue 14's families of misses, one table each, read end to end.
//!
//! The answers are written after the port-43 layouts of the registries each
//! case names; they are not captures (those live in fixtures/whois/), and
//! fixtures/whois/SOURCES.md says which of them follow a capture of the
//! same registry and which were not checked against one. Where only issue
//! 14 describes a layout (ZA Central Registry's city TLDs, the quota
//! banner), the case says so. Names are `example*`; the values are invented.

use chrono::{DateTime, Utc};
use rstest::rstest;

use crate::record::Record;
use crate::whois::{WhoisQuery, parse_whois};

fn read(domain: &str, server: Option<&str>, text: &str) -> Record {
    match parse_whois(&WhoisQuery::new(domain, server), text.as_bytes()) {
        Ok(record) => record,
        Err(error) => panic!("refused {domain}: {error}"),
    }
}

fn day(date: Option<DateTime<Utc>>) -> Option<String> {
    date.map(|d| d.date_naive().to_string())
}

// Family 1: "no such name" in the registry's own words is `registered: false`.
#[rstest]
// DNS-LU (.lu): one comment line.
#[case::dns_lu("example-none.lu", "% No such domain.\n")]
// NIC Argentina (.ar): a Spanish sentence.
#[case::nic_ar(
    "example-none.com.ar",
    "El dominio no se encuentra registrado en NIC Argentina\n"
)]
// NIC Chile (.cl): the name, then "no entries found".
#[case::nic_cl(
    "example-none.cl",
    "%%\n%% This is the NIC Chile Whois server (whois.nic.cl).\n%%\n\nexample-none.cl: no entries found.\n"
)]
// TRABIS (.tr): after a banner of stars.
#[case::trabis("example-none.com.tr", "** No match found for example-none.com.tr\n")]
// DNS Belgium (.be): a status word after the disclaimer.
#[case::dns_be(
    "example-none.be",
    "% .be Whois Server 6.1\n%\n% The WHOIS service offered by DNS Belgium\n\nDomain:\texample-none.be\nStatus:\tAVAILABLE\n"
)]
// DOMREG (.lt): `Status: available` with padding.
#[case::domreg_lt(
    "example-none.lt",
    "% Hello, this is the DOMREG whois service.\n%\nDomain:\t\t\texample-none.lt\nStatus:\t\t\tavailable\n"
)]
// NIC.LV (.lv): `[Domain]` heading, then `Status: free`.
#[case::nic_lv("example-none.lv", "[Domain]\nDomain: example-none.lv\nStatus: free\n")]
// ZA Central Registry city TLDs, as issue 14 describes: `Available`, then the name.
#[case::zacr_city("example-none.joburg", "Available\nDomain: example-none.joburg\n")]
// Spanish, French, Portuguese and Turkish wordings, written for this test.
#[case::spanish(
    "example-none.test",
    "Servidor Whois\n\nNo se encontró información para el dominio example-none.test\n"
)]
#[case::spanish_status(
    "example-none.test",
    "Nombre de Dominio: example-none.test\nEstado: Disponible\n"
)]
#[case::french(
    "example-none.test",
    "% Serveur whois\n\nLe nom de domaine example-none.test n'existe pas\n"
)]
#[case::portuguese("example-none.test", "% Servidor whois\n\nDomínio não encontrado\n")]
#[case::turkish("example-none.test", "** Kayıt bulunamadı.\n")]
// Issue 14: a quota banner over a "no match" line is read for the line.
#[case::quota_banner_then_no_match(
    "example-none.test",
    "% Query rate limit exceeded, reduced information\n\nNo match for \"EXAMPLE-NONE.TEST\".\n"
)]
fn not_found_in_any_words_is_not_registered(#[case] domain: &str, #[case] text: &str) {
    let record = read(domain, None, text);
    assert!(!record.registered, "{text}");
}

#[test]
fn a_quota_banner_over_a_no_match_line_is_noted() {
    let text =
        "% Query rate limit exceeded, reduced information\n\nNo match for \"EXAMPLE-NONE.TEST\".\n";
    let record = read("example-none.test", None, text);
    assert!(!record.registered);
    assert!(
        record.notes.iter().any(|n| n.contains("reduced")),
        "{:?}",
        record.notes
    );
}

#[test]
fn a_quota_banner_over_a_record_keeps_the_record_with_a_note() {
    let text = "% Query rate limit exceeded, reduced information\n\nDomain Name: example.test\nRegistry Expiry Date: 2030-01-02T00:00:00Z\n";
    let record = read("example.test", None, text);
    assert!(record.registered);
    assert_eq!(day(record.expires).as_deref(), Some("2030-01-02"));
    assert!(record.notes.iter().any(|n| n.contains("reduced")));
}

#[test]
fn query_limits_in_the_terms_at_the_foot_add_no_note() {
    let text = "Domain Name: example.test\nRegistry Expiry Date: 2030-01-02T00:00:00Z\n\n\nTERMS: this service is subject to a query rate limit;\nabuse leads to blocking.\n";
    let record = read("example.test", None, text);
    assert!(record.notes.is_empty(), "{:?}", record.notes);
}

// Family 2: what the answer says about availability outranks echoed fields.
#[rstest]
// Issue 14: "Available" first, then the name and the registry's servers.
#[case::available_first_line(
    "example-none.capetown",
    "Available\nDomain: example-none.capetown\nName Server: ns1.registry.example\n"
)]
// A status word beside echoed fields.
#[case::status_free_with_fields(
    "example-none.test",
    "Domain Name: example-none.test\nDomain Status: free\nName Server: not.defined\nDNSSEC: unsigned\n"
)]
// Issue 14: new-gTLD back ends that print the sentence among the fields.
#[case::available_sentence_with_fields(
    "example-none.test",
    "Domain Name: example-none.test\nRegistrar: \nName Server: ns1.registry.example\n>>> example-none.test is available for registration <<<\n"
)]
fn availability_outranks_the_fields_around_it(#[case] domain: &str, #[case] text: &str) {
    let record = read(domain, None, text);
    assert!(!record.registered, "{text}");
    assert!(record.nameservers.is_empty());
}

#[test]
fn a_phrase_in_the_terms_does_not_free_a_registered_name() {
    // DENIC's layout (no dates at all for a registered name) under a notice
    // that uses the words "not registered".
    let text = "% Restricted rights.\n% A domain that is not registered may be applied for.\n\nDomain: example.de\nNserver: ns1.example.net\nStatus: connect\n";
    let record = read("example.de", Some("whois.denic.de"), text);
    assert!(record.registered);
    assert_eq!(record.nameservers, vec!["ns1.example.net".to_string()]);
}

#[test]
fn an_expiry_outranks_an_availability_statement() {
    let text = "Domain Name: example.test\nRegistry Expiry Date: 2031-05-06T00:00:00Z\nFREE\n";
    assert!(read("example.test", None, text).registered);
}

// Family 3: older and regional layouts and their local date labels.
#[rstest]
// NIC.VE (.ve): Spanish labels, indented under the holder.
#[case::nic_ve(
    "example.co.ve",
    "Titular:\nExample C.A.\t\tadmin@example.co.ve\n   Example C.A.\n   Caracas\n   Nombre de Dominio: example.co.ve\n   Fecha de Vencimiento: 2026-03-06 00:00:00\n   Ultima Actualización: 2024-11-17 20:35:01\n   Fecha de Creación: 2003-03-06 00:00:00\n   Estatus del dominio: ACTIVO\n",
    Some("2003-03-06"),
    Some("2026-03-06")
)]
// Pre-2020 SK-NIC (.sk): tab-separated keys, no colons.
#[case::sk_nic_columns(
    "example.sk",
    "Domain-name\texample.sk\nAdmin-id\tEXAM-0001\nAdmin-name\tExample s.r.o.\ndns_name\tns1.example.sk\ndns_IPv4\nLast-update\t2019-07-03\nValid-date\t2026-07-24\nDomain-status\tDOM_OK\n",
    None,
    Some("2026-07-24")
)]
// AMNIC (.am): indented blocks, `Registered:` and `Expires:`.
#[case::amnic(
    "example.am",
    "   Domain name: example.am\n   Registrar:   abcdomain (ABCDomain LLC)\n   Status:      active\n\n   Registrant:\n      Example LLC\n      Yerevan, 0010\n      AM\n\n   DNS servers:\n      ns1.example.am\n      ns2.example.am\n\n   Registered:    1999-06-11\n   Last modified: 2024-05-08\n   Expires:       2026-07-13\n",
    Some("1999-06-11"),
    Some("2026-07-13")
)]
// HKIRC (.hk): the domain's dates inside the registrant's block.
#[case::hkirc(
    "example.hk",
    "Domain Name:  EXAMPLE.HK\n\nRegistrant Contact Information:\n\nCompany English Name: EXAMPLE LIMITED\nEmail:  admin@example.hk\nDomain Name Commencement Date: 14-07-1998\nExpiry Date: 07-03-2027\nRe-registration Status:  Complete\n\nAdministrative Contact Information:\nGiven name:  A\nCreated: 01-01-2001\n",
    Some("1998-07-14"),
    Some("2027-03-07")
)]
// ISOC-IL (.il): `assigned:` and `validity:`, day first.
#[case::isoc_il(
    "example.co.il",
    "domain:       example.co.il\nassigned:     05-06-1999\nvalidity:     05-06-2026\nstatus:       Transfer Locked\n",
    Some("1999-06-05"),
    Some("2026-06-05")
)]
// A KZ-style `Domain created:` and a `Record expires on` sentence.
#[case::sentence_labels(
    "example.kz",
    "Domain Name............: example.kz\nDomain created: 2009-07-01 12:44:02 (GMT+0:00)\nRecord expires on 2026-07-01\n",
    Some("2009-07-01"),
    Some("2026-07-01")
)]
// The labels issue 14 names, one answer.
#[case::issue_labels_renewal(
    "example.test",
    "Domain: example.test\nEntry created: 2001-02-03\nRenewal date: 2027-02-03\n",
    Some("2001-02-03"),
    Some("2027-02-03")
)]
#[case::issue_labels_paid_till(
    "example.test",
    "domain: example.test\nActivation: 2001-02-03\npaid-till: 2027-02-03\n",
    Some("2001-02-03"),
    Some("2027-02-03")
)]
#[case::issue_labels_expiration(
    "example.test",
    "Domain: example.test\nRegistered on: 2001-02-03\nExpiration date: 2027-02-03\n",
    Some("2001-02-03"),
    Some("2027-02-03")
)]
#[case::issue_labels_validity(
    "example.test",
    "Domain: example.test\nFirst registration date: 2001-02-03\nValidity: 2027-02-03\n",
    Some("2001-02-03"),
    Some("2027-02-03")
)]
// MoldData (.md): keys padded inside (`Domain  name`, `Expires    on`), no colons.
#[case::md_padded_keys(
    "example.md",
    "Domain  name    example.md\nDomain state    OK\nRegistered on   2006-05-02\nExpires    on   2026-05-02\nNameserver      ns1.example.md\n",
    Some("2006-05-02"),
    Some("2026-05-02")
)]
// Jisc (.ac.uk, .gov.uk): headings with tab-indented values, worded dates.
#[case::jisc(
    "example.ac.uk",
    "Domain:\n\texample.ac.uk\n\nRegistered For:\n\tExample University\n\nServers:\n\tdns0.example.ac.uk\t192.0.2.1\n\nRenewal date:\n\tWednesday 30th April 2025\n\nEntry updated:\n\tThursday 17th October 2024\n\nEntry created:\n\tTuesday 1st September 1998\n",
    Some("1998-09-01"),
    Some("2025-04-30")
)]
// NIC Sénégal-style French labels.
#[case::french_labels(
    "example.sn",
    "Nom de domaine: example.sn\nDate de création: 2008-05-08T00:00:00.000Z\nDate d'expiration: 2026-05-08T00:00:00.000Z\n",
    Some("2008-05-08"),
    Some("2026-05-08")
)]
// Older MYNIC (.my): lettered bracketed keys.
#[case::mynic_bracketed(
    "example.com.my",
    "a [Domain Name]               EXAMPLE.COM.MY\nc [Registrant]                Example Sdn Bhd\n[Record Created]              03-May-2000\n[Record Expired]              03-May-2026\n",
    Some("2000-05-03"),
    Some("2026-05-03")
)]
#[case::last_updated_on(
    "example.com.sa",
    "Domain Name: example.com.sa\nCreated on: 2004-01-11\nLast Updated on: 2019-02-06\n",
    Some("2004-01-11"),
    None
)]
fn regional_layouts_give_their_dates(
    #[case] domain: &str,
    #[case] text: &str,
    #[case] created: Option<&str>,
    #[case] expires: Option<&str>,
) {
    let record = read(domain, None, text);
    assert!(record.registered);
    assert_eq!(day(record.created).as_deref(), created, "{text}");
    assert_eq!(day(record.expires).as_deref(), expires, "{text}");
}

#[test]
fn a_database_update_sentence_is_not_the_records_change() {
    // RIPN (.ru, .su): the answer ends with the time of the database.
    let text = "domain:        EXAMPLE.SU\nstate:         REGISTERED, DELEGATED\ncreated:       2005-10-15T20:00:00Z\npaid-till:     2026-10-15T21:00:00Z\nsource:        TCI\n\nLast updated on 2019-10-12T08:06:33Z\n";
    let record = read("example.su", Some("whois.tcinet.ru"), text);
    assert_eq!(record.updated, None);
}

#[test]
fn jisc_servers_are_name_servers() {
    let text = "Domain:\n\texample.ac.uk\n\nServers:\n\tdns0.example.ac.uk\t192.0.2.1\n\tdns1.example.ac.uk\n\nEntry created:\n\tTuesday 1st September 1998\n";
    let record = read("example.ac.uk", None, text);
    assert_eq!(
        record.nameservers,
        vec!["dns0.example.ac.uk", "dns1.example.ac.uk"]
    );
}

#[test]
fn the_old_sk_layout_gives_name_servers_and_status() {
    let text = "Domain-name\texample.sk\ndns_name\tns1.example.sk\ndns_IPv4\t192.0.2.1\ndns_name\tns2.example.sk\nValid-date\t2026-07-24\nDomain-status\tDOM_OK\n";
    let record = read("example.sk", None, text);
    assert_eq!(record.nameservers, vec!["ns1.example.sk", "ns2.example.sk"]);
}

#[rstest]
// A registry writing month first: one date above 12 decides for the answer.
#[case::month_first(
    "Domain: example.test\nCreated On: 04/05/2003\nExpires On: 04/29/2026\n",
    Some("2003-04-05"),
    Some("2026-04-29")
)]
#[case::day_first(
    "Domain: example.test\nCreated On: 05/04/2003\nExpires On: 29/04/2026\n",
    Some("2003-04-05"),
    Some("2026-04-29")
)]
// Nothing shows the order: no date is invented.
#[case::undecided(
    "Domain: example.test\nCreated On: 04/05/2003\nExpires On: 04/05/2026\n",
    None,
    None
)]
fn the_answers_dates_decide_the_order(
    #[case] text: &str,
    #[case] created: Option<&str>,
    #[case] expires: Option<&str>,
) {
    let record = read("example.test", None, text);
    assert_eq!(day(record.created).as_deref(), created);
    assert_eq!(day(record.expires).as_deref(), expires);
    if created.is_none() {
        assert!(record.notes.iter().any(|n| n.contains("04/05/2003")));
    }
}

// Family 4: the registrar's name, never a neighbouring line.
#[rstest]
// SK-NIC (.sk): a handle, then a block opening with the same handle.
#[case::sk_handle_object(
    "example.sk",
    "Domain:                       example.sk\nRegistrar:                    EXAM-0002\nCreated:                      2003-07-24\n\nRegistrar:                    EXAM-0002\nName:                         Example Registrar s. r. o.\nOrganization:                 Example Registrar s. r. o.\nCreated:                      2017-09-01\n",
    Some("Example Registrar s. r. o.")
)]
// Hostmaster.ua (.ua): a registrar object by handle, then its organization.
#[case::ua_registrar_object(
    "example.com.ua",
    "domain:           example.com.ua\nmnt-by:           ua.example\ncreated:          2002-12-04 00:00:00+02\nsource:           UAEPP\n\n% Registrar:\n% ==========\nregistrar:        ua.example\norganization:     Example Registrar Inc.\nurl:              http://registrar.example\n",
    Some("Example Registrar Inc.")
)]
// Registro .it: the name comes first under the heading, the handle after it.
#[case::nic_it_name_then_handle(
    "example.it",
    "Domain:             example.it\nStatus:             ok\nCreated:            1999-12-10 00:00:00\n\nRegistrar\n  Organization:     Example Registrar S.r.l.\n  Name:             EXAMPLE-REG\n  Web:              https://registrar.example\n",
    Some("Example Registrar S.r.l.")
)]
// A `Registrar:` heading, then the name and its address lines.
#[case::heading_then_address(
    "example.uk.com",
    "Domain Name: example.uk.com\nCreation Date: 2010-01-01\n\nRegistrar:\n    Example Registrar Ltd\n    1 Example Street\n    London\n",
    Some("Example Registrar Ltd")
)]
// CentralNic's older layout: the sponsoring registrar by organization.
#[case::sponsoring_organization(
    "example.us.com",
    "Domain ID:CNIC-DO123\nDomain Name:EXAMPLE.US.COM\nCreated On:01-Jan-2010 10:00:00 UTC\nSponsoring Registrar ID:H123\nSponsoring Registrar Organization:Example Registrar Ltd\n",
    Some("Example Registrar Ltd")
)]
// A YAML-like dump with type tags and quotes.
#[case::yaml_tags(
    "example.test",
    "domain: !!str example.test\nregistrar: !!str \"Example Registrar\"\ncreated: !!timestamp 2010-01-01\n",
    Some("Example Registrar")
)]
// A YAML-like dump: the registrar as a typed mapping.
#[case::yaml_mapping(
    "example.test",
    "domain:\n  name: example.test\n  created: 2010-01-01\nregistrar:\n  type: registrar\n  name: Example Registrar\n  url: https://registrar.example\n",
    Some("Example Registrar")
)]
// DENIC (.de): no registrar field at all.
#[case::no_registrar_field(
    "example.de",
    "Domain: example.de\nNserver: ns1.example.net\nStatus: connect\nChanged: 2011-03-30T19:36:27+02:00\n\n[Tech-C]\nType: PERSON\nName: Example Admin\n",
    None
)]
// Nominet (.uk) for names it holds itself: a sentence, not a registrar.
#[case::nominet_no_registrar(
    "example.gov.uk",
    "    Domain name:\n        example.gov.uk\n\n    Registrar:\n        No registrar listed.  This domain is directly registered with Nominet.\n\n    Relevant dates:\n        Registered on: 12-Dec-1997\n",
    None
)]
// An empty `Registrar:` followed by the holder's block.
#[case::empty_registrar_then_holder(
    "example.test",
    "Domain: example.test\nCreated: 2010-01-01\nRegistrar:\n\nRegistrant:\n    Example Holder\n",
    None
)]
fn the_registrar_is_named_not_guessed(
    #[case] domain: &str,
    #[case] text: &str,
    #[case] expected: Option<&str>,
) {
    let record = read(domain, None, text);
    let name = record.registrar.as_ref().and_then(|r| r.name.as_deref());
    assert_eq!(name, expected, "{text}");
}

#[test]
fn a_registrar_named_by_handle_keeps_the_handle_in_a_note() {
    let text = "Domain: example.sk\nRegistrar: EXAM-0002\nCreated: 2003-07-24\n\nRegistrar: EXAM-0002\nName: Example Registrar s. r. o.\n";
    let record = read("example.sk", None, text);
    assert!(
        record.notes.iter().any(|n| n.contains("EXAM-0002")),
        "{:?}",
        record.notes
    );
}

// Family 5: name servers are host names of the answering side.
#[rstest]
// Zone-file lines (`zone NS host.`).
#[case::zone_lines(
    "example.test",
    None,
    "Domain: example.test\nCreated: 2010-01-01\n\nexample.test. IN NS ns1.example.net.\nexample.test. 86400 IN NS ns2.example.net.\n",
    &["ns1.example.net", "ns2.example.net"]
)]
// Bulleted lists under a heading (NIC.VE `- ns1...`).
#[case::bullets(
    "example.co.ve",
    None,
    "Nombre de Dominio: example.co.ve\nFecha de Creación: 2003-03-06 00:00:00\nServidor(es) de Nombres de Dominio:\n- ns1.example.net\n- ns2.example.net\n",
    &["ns1.example.net", "ns2.example.net"]
)]
// Placeholders where there is none.
#[case::placeholders(
    "example.test",
    None,
    "Domain: example.test\nCreated: 2010-01-01\nName Server: not.defined\nName Server: no nameserver\nName Server: ns1.example.net\n",
    &["ns1.example.net"]
)]
// CZ.NIC FRED (.cz): the domain names an nsset by handle; its object holds the hosts.
#[case::fred_nsset(
    "example.cz",
    Some("whois.nic.cz"),
    "domain:       example.cz\nregistrar:    REG-EXAMPLE\nnsset:        NSS:EXAMPLE:1\nregistered:   24.07.2003 18:23:00\nexpire:       24.07.2026\n\nnsset:        NSS:EXAMPLE:1\nnserver:      ns1.example.net \nnserver:      ns2.example.net (192.0.2.2)\nregistrar:    REG-EXAMPLE\n",
    &["ns1.example.net", "ns2.example.net"]
)]
// A saved referral chain: the registry's part, then the registrar's.
#[case::registry_and_registrar_sets(
    "example.test",
    Some("whois.registrar.example"),
    "# whois.nic.test\nDomain Name: example.test\nCreation Date: 2010-01-01\nName Server: ns1.registry-view.example\n\n# whois.registrar.example\nDomain Name: example.test\nCreation Date: 2010-01-01\nName Server: ns1.registrar-view.example\n",
    &["ns1.registrar-view.example"]
)]
fn name_servers_are_host_names(
    #[case] domain: &str,
    #[case] server: Option<&str>,
    #[case] text: &str,
    #[case] expected: &[&str],
) {
    let record = read(domain, server, text);
    assert_eq!(record.nameservers, expected, "{text}");
}

#[test]
fn the_part_read_is_noted() {
    let text = "# whois.nic.test\nDomain Name: example.test\nCreation Date: 2010-01-01\n\n# whois.registrar.example\nDomain Name: example.test\nCreation Date: 2010-01-01\n";
    let record = read("example.test", None, text);
    assert!(
        record
            .notes
            .iter()
            .any(|n| n.contains("read the one from whois.nic.test")),
        "{:?}",
        record.notes
    );
}

// Family 6: no invented dates.
#[rstest]
// Nominet (.uk): names registered before August 1996.
#[case::nominet_before(
    "example.co.uk",
    "    Domain name:\n        example.co.uk\n\n    Relevant dates:\n        Registered on: before Aug-1996\n        Expiry date:  10-Dec-2026\n",
    "before Aug-1996"
)]
// A zone abbreviation with two meanings is not guessed.
#[case::ambiguous_zone(
    "example.test",
    "Domain Name: example.test\nCreation Date: 2010-01-01 10:00:00 CST\nRegistry Expiry Date: 2027-01-01\n",
    "CST"
)]
fn unreadable_dates_stay_empty_with_a_note(
    #[case] domain: &str,
    #[case] text: &str,
    #[case] in_note: &str,
) {
    let record = read(domain, None, text);
    assert!(record.registered);
    assert_eq!(record.created, None);
    assert!(record.expires.is_some());
    assert!(
        record.notes.iter().any(|n| n.contains(in_note)),
        "{:?}",
        record.notes
    );
}

#[rstest]
#[case::offset_in_brackets("2021-03-17 12:48:36 (UTC+8)", "2021-03-17T04:48:36+00:00")]
#[case::named_zone("2019-04-29 10:15:00 EST", "2019-04-29T15:15:00+00:00")]
fn zones_written_in_the_answer_are_applied(#[case] value: &str, #[case] expected: &str) {
    let text = format!("Domain Name: example.test\nCreation Date: {value}\n");
    let record = read("example.test", None, &text);
    assert_eq!(
        record.created.map(|d| d.to_rfc3339()).as_deref(),
        Some(expected)
    );
}
