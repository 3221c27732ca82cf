//! Referral extraction over captured registry answers in fixtures/whois/.

use std::path::Path;

use domlife::whois::referral_server;
use rstest::rstest;

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/whois")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("fixture {}: {error}", path.display()))
}

#[rstest]
// Verisign's thin .com answer in ICANN's 2013 format.
#[case(
    "weppos__whois.verisign-grs.com_com_status_registered.txt",
    Some("whois.markmonitor.com:43")
)]
// Verisign's pre-2013 thin format, "Whois Server:", after a "Whois Server Version 2.0" banner.
#[case(
    "weppos__whois.verisign-grs.com_com_property_status_pendingdelete.txt",
    Some("whois.godaddy.com:43")
)]
// MarkMonitor's own (registrar) answer names itself; the client does not follow it.
#[case("likexian__com_google.com.txt", Some("whois.markmonitor.com:43"))]
// A thick ccTLD registry names no other server.
#[case("weppos__whois.denic.de_de_status_registered.txt", None)]
fn finds_the_registrar_server_in_real_answers(#[case] file: &str, #[case] server: Option<&str>) {
    let found = referral_server(&fixture(file)).map(|address| address.to_string());
    assert_eq!(found.as_deref(), server);
}
