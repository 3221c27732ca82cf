//! The only two things server selection reads from WHOIS text: IANA's
//! `refer:` line (which server runs a TLD) and a registry's "Registrar WHOIS
//! Server:" line (where a thin registry sends you for the rest).
//!
//! Everything else in an answer is the reader's business (`whois::parse`).
//! Both extractors return a validated [`ServerAddress`], never raw text, so a
//! hostile answer cannot steer a connection anywhere a host name cannot.

use super::address::ServerAddress;

/// The WHOIS server IANA names for a TLD: its `refer:` line, else its `whois:`
/// line (whois.iana.org prints both; they agree). `None` when IANA has no
/// object for the query ("This query returned 0 objects") or names no server.
pub fn iana_refer(body: &[u8]) -> Option<ServerAddress> {
    let text = String::from_utf8_lossy(body);
    first_server(&text, &["refer"]).or_else(|| first_server(&text, &["whois"]))
}

/// The registrar's WHOIS server named in a registry answer: "Registrar WHOIS
/// Server:" (ICANN's 2013 format) or "Whois Server:" (the older thin format of
/// Verisign and others). Matches whole keys only, so a banner such as
/// "% Whois Server Version 3.0 - whois.rotld.ro:43" is not taken for one; an
/// empty value (as thick registries print) or a value that is not a host name
/// is skipped, and so is a single-label name. A `whois://` or `http(s)://`
/// prefix and any path are dropped, since registrars write either.
pub fn referral_server(body: &[u8]) -> Option<ServerAddress> {
    let text = String::from_utf8_lossy(body);
    first_server(&text, &["registrar whois server", "whois server"])
}

fn first_server(text: &str, keys: &[&str]) -> Option<ServerAddress> {
    text.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        let key = key.trim();
        if !keys.iter().any(|wanted| key.eq_ignore_ascii_case(wanted)) {
            return None;
        }
        server_in(value.trim())
    })
}

fn server_in(value: &str) -> Option<ServerAddress> {
    let lower = value.to_ascii_lowercase();
    let without_scheme = ["whois://", "rwhois://", "https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))
        .unwrap_or(&lower);
    let authority = without_scheme.split('/').next().unwrap_or_default();
    let server: ServerAddress = authority.parse().ok()?;
    // A single label ("localhost", "none") is never a registrar's public server.
    server.host().contains(['.', ':']).then_some(server)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    /// Written by hand after the layout whois.iana.org uses for a TLD query
    /// (here `de`); not a capture. Contacts abridged.
    const IANA_DE_HANDWRITTEN: &str = "\
% IANA WHOIS server\r
% for more information on IANA, visit http://www.iana.org\r
% This query returned 1 object\r
\r
refer:        whois.denic.de\r
\r
domain:       DE\r
\r
organisation: DENIC eG\r
address:      Theodor-Stern-Kai 1\r
address:      Frankfurt am Main 60596\r
address:      Germany\r
\r
contact:      administrative\r
name:         Administrative Contact\r
organisation: DENIC eG\r
e-mail:       info@denic.de\r
\r
nserver:      A.NIC.DE 194.0.0.53 2001:678:2:0:0:0:0:53\r
nserver:      F.NIC.DE 81.91.164.5 2a02:568:0:2:0:0:0:53\r
ds-rdata:     26755 8 2 f341357809a5954311ccb82ade114c6c1d724a75c0395137aa397803\r
\r
whois:        whois.denic.de\r
\r
status:       ACTIVE\r
remarks:      Registration information: http://www.denic.de/\r
\r
created:      1986-11-05\r
changed:      2023-10-17\r
source:       IANA\r
";

    /// Written by hand: what whois.iana.org prints for a label it has no TLD for.
    const IANA_NONE_HANDWRITTEN: &str = "\
% IANA WHOIS server\r
% for more information on IANA, visit http://www.iana.org\r
%\r
% This query returned 0 objects.\r
";

    #[test]
    fn reads_refer_from_an_iana_answer() {
        let server = iana_refer(IANA_DE_HANDWRITTEN.as_bytes()).unwrap();
        assert_eq!(server.to_string(), "whois.denic.de:43");
    }

    #[test]
    fn falls_back_to_the_whois_line() {
        let without_refer = IANA_DE_HANDWRITTEN.replace("refer:        whois.denic.de\r\n", "");
        let server = iana_refer(without_refer.as_bytes()).unwrap();
        assert_eq!(server.to_string(), "whois.denic.de:43");
    }

    #[test]
    fn iana_without_an_object_names_no_server() {
        assert_eq!(iana_refer(IANA_NONE_HANDWRITTEN.as_bytes()), None);
    }

    #[rstest]
    #[case(
        "Registrar WHOIS Server: whois.markmonitor.com\n",
        Some("whois.markmonitor.com:43")
    )]
    #[case("   Whois Server: whois.godaddy.com\r\n", Some("whois.godaddy.com:43"))]
    #[case(
        "registrar whois server:WHOIS.Example.NET\n",
        Some("whois.example.net:43")
    )]
    #[case(
        "Registrar WHOIS Server: http://whois.example.net/\n",
        Some("whois.example.net:43")
    )]
    #[case(
        "Registrar WHOIS Server: whois://whois.example.net:4343\n",
        Some("whois.example.net:4343")
    )]
    #[case(
        "Registrar WHOIS Server: \nWhois Server: whois.b.example\n",
        Some("whois.b.example:43")
    )]
    #[case("WHOIS Server: \n", None)]
    #[case("Registrar WHOIS Server:\n", None)]
    #[case("% Whois Server Version 3.0 - whois.rotld.ro:43\n", None)]
    #[case("Whois Server Version 2.0\n", None)]
    #[case("% Whois Server Version: 1.0.0\n", None)]
    #[case("Registrar URL: http://www.markmonitor.com\n", None)]
    #[case("Registrar WHOIS Server: not a host; rm -rf\n", None)]
    #[case("Registrar WHOIS Server: localhost\n", None)]
    #[case(
        "Registrar WHOIS Server: whois.example.net\r\n\u{1b}[2J\n",
        Some("whois.example.net:43")
    )]
    fn finds_the_referral_line(#[case] text: &str, #[case] server: Option<&str>) {
        let found = referral_server(text.as_bytes()).map(|s| s.to_string());
        assert_eq!(found.as_deref(), server, "{text:?}");
    }

    #[test]
    fn ignores_invalid_utf8_around_the_line() {
        let body = b"\xff\xfe Domain Name: X\r\nRegistrar WHOIS Server: whois.example.net\r\n\xc3";
        assert_eq!(
            referral_server(body).map(|s| s.to_string()).as_deref(),
            Some("whois.example.net:43")
        );
    }
}
