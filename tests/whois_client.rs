//! The WHOIS client against the mock server on 127.0.0.1: query forms on the
//! wire, deadlines, the size cap, hang-ups, the registrar referral, the IANA
//! `refer:` flow and the address policy.

pub mod support;

use std::time::Duration;

use domlife::domain::{self, DomainError, DomainName};
use domlife::whois::{
    ChosenBy, ServerAddress, ServerOverrides, WhoisClient, WhoisConfig, WhoisError,
};
use rstest::rstest;
use support::mock_whois::{MockWhois, QUOTA_NOTICE, Reply, whois_fixture};

const VERISIGN_GOOGLE: &str = "weppos__whois.verisign-grs.com_com_status_registered.txt";
const VERISIGN_OLD_THIN: &str =
    "weppos__whois.verisign-grs.com_com_property_status_pendingdelete.txt";
const MARKMONITOR_GOOGLE: &str = "likexian__com_google.com.txt";
const DENIC_GOOGLE: &str = "weppos__whois.denic.de_de_status_registered.txt";

/// Written by hand after the layout of whois.iana.org's TLD answers, for
/// `museum` (a TLD the built-in table does not know); not a capture.
const IANA_MUSEUM_HANDWRITTEN: &str = "\
% IANA WHOIS server\r
% for more information on IANA, visit http://www.iana.org\r
% This query returned 1 object\r
\r
refer:        whois.nic.museum\r
\r
domain:       MUSEUM\r
\r
organisation: Museum Registry\r
\r
nserver:      A.NIC.MUSEUM 192.0.2.53\r
\r
whois:        whois.nic.museum\r
\r
status:       ACTIVE\r
\r
created:      2000-01-01\r
source:       IANA\r
";

/// Written by hand: whois.iana.org's answer when it knows no such TLD.
const IANA_NOTHING_HANDWRITTEN: &str = "\
% IANA WHOIS server\r
% for more information on IANA, visit http://www.iana.org\r
%\r
% This query returned 0 objects.\r
";

fn config(overrides: &[String]) -> WhoisConfig {
    WhoisConfig {
        allow_loopback: true,
        connect_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(10),
        overrides: ServerOverrides::parse_all(overrides.iter().map(String::as_str)).unwrap(),
        ..WhoisConfig::default()
    }
}

fn client(overrides: &[String]) -> WhoisClient {
    WhoisClient::new(config(overrides))
}

fn name(text: &str) -> DomainName {
    domain::normalize(text).expect("a name").name
}

#[rstest]
#[case("de", "example.de", "-T dn,ace example.de", None)]
#[case("jp", "Example.JP", "example.jp/e", Some("iso-2022-jp"))]
#[case("com", "google.com", "domain google.com", None)]
#[case("cn", "example.cn", "example.cn", Some("utf-8"))]
#[case("it", "example.it", "example.it", None)]
#[tokio::test]
async fn sends_each_registrys_query_form(
    #[case] tld: &str,
    #[case] name: &str,
    #[case] line: &str,
    #[case] charset: Option<&str>,
) {
    let fixture = whois_fixture(DENIC_GOOGLE);
    let server = MockWhois::builder()
        .reply(line, Reply::Text(fixture.clone()))
        .start()
        .await;
    let answer = client(&[server.override_for(tld)])
        .lookup(&self::name(name))
        .await
        .unwrap();
    assert_eq!(server.received(), vec![format!("{line}\r\n")]);
    assert_eq!(answer.body, fixture);
    assert_eq!(answer.server.to_string(), server.address().to_string());
    assert_eq!(answer.peer, server.address());
    assert_eq!(answer.chosen_by, ChosenBy::Override);
    assert_eq!(answer.charset.as_deref(), charset);
}

#[tokio::test]
async fn a_server_slower_than_the_deadline_is_a_retryable_timeout() {
    let server = MockWhois::builder()
        .otherwise(Reply::Delayed {
            after: Duration::from_secs(600),
            body: b"too late\r\n".to_vec(),
        })
        .start()
        .await;
    let client = WhoisClient::new(WhoisConfig {
        total_timeout: Duration::from_millis(300),
        ..config(&[server.override_for("de")])
    });
    let error = client.lookup(&name("example.de")).await.unwrap_err();
    assert!(matches!(error, WhoisError::Timeout { .. }), "{error}");
    assert!(error.is_retryable());
    assert_eq!(error.bytes_read(), 0);
    assert_eq!(error.server().to_string(), server.address().to_string());
}

#[tokio::test]
async fn an_endless_answer_stops_at_the_size_cap() {
    let server = MockWhois::builder().otherwise(Reply::Endless).start().await;
    let client = WhoisClient::new(WhoisConfig {
        max_answer_bytes: 64 * 1024,
        ..config(&[server.override_for("de")])
    });
    let error = client.lookup(&name("example.de")).await.unwrap_err();
    assert!(
        matches!(error, WhoisError::TooLarge { limit: 65536, .. }),
        "{error}"
    );
    assert!(!error.is_retryable());
    assert!(error.bytes_read() > 64 * 1024);
}

#[tokio::test]
async fn an_answer_exactly_at_the_cap_is_kept() {
    let body = vec![b'x'; 1000];
    let server = MockWhois::builder()
        .otherwise(Reply::Text(body.clone()))
        .start()
        .await;
    let client = WhoisClient::new(WhoisConfig {
        max_answer_bytes: 1000,
        ..config(&[server.override_for("de")])
    });
    assert_eq!(client.lookup(&name("example.de")).await.unwrap().body, body);
}

#[tokio::test]
async fn a_hang_up_without_a_byte_is_rate_limited_and_retryable() {
    let server = MockWhois::builder().otherwise(Reply::Close).start().await;
    let error = client(&[server.override_for("de")])
        .lookup(&name("example.de"))
        .await
        .unwrap_err();
    assert!(matches!(error, WhoisError::EmptyAnswer { .. }), "{error}");
    assert!(error.is_rate_limited());
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_quota_notice_in_text_is_handed_to_the_reader() {
    let server = MockWhois::builder()
        .otherwise(Reply::QuotaNotice)
        .start()
        .await;
    let answer = client(&[server.override_for("de")])
        .lookup(&name("example.de"))
        .await
        .unwrap();
    assert_eq!(answer.body, QUOTA_NOTICE);
}

#[tokio::test]
async fn a_stopped_server_refuses_and_that_is_retryable() {
    let server = MockWhois::builder().start().await;
    let overrides = [server.override_for("de")];
    server.stop().await;
    let error = client(&overrides)
        .lookup(&name("example.de"))
        .await
        .unwrap_err();
    assert!(matches!(error, WhoisError::Connect { .. }), "{error}");
    assert!(error.is_retryable());
    assert!(!error.is_rate_limited());
}

#[tokio::test]
async fn follows_the_registrar_referral_once() {
    let registry = MockWhois::builder()
        .reply(
            "domain google.com",
            Reply::Text(whois_fixture(VERISIGN_GOOGLE)),
        )
        .start()
        .await;
    // MarkMonitor's answer names whois.markmonitor.com again: not followed.
    let registrar = MockWhois::builder()
        .reply("google.com", Reply::Text(whois_fixture(MARKMONITOR_GOOGLE)))
        .start()
        .await;
    let client = client(&[
        registry.override_for("com"),
        registrar.override_for("whois.markmonitor.com"),
    ]);

    let lookup = client
        .lookup_with_referral(&name("google.com"))
        .await
        .unwrap();

    assert_eq!(lookup.registry.body, whois_fixture(VERISIGN_GOOGLE));
    assert_eq!(lookup.registry.chosen_by, ChosenBy::Override);
    let referral = lookup.referral.unwrap();
    assert_eq!(referral.named.to_string(), "whois.markmonitor.com:43");
    let answer = referral.outcome.unwrap();
    assert_eq!(answer.body, whois_fixture(MARKMONITOR_GOOGLE));
    assert_eq!(answer.server.to_string(), registrar.address().to_string());
    assert_eq!(answer.chosen_by, ChosenBy::Referral);
    assert_eq!(registry.received(), vec!["domain google.com\r\n"]);
    assert_eq!(registrar.received(), vec!["google.com\r\n"]);
}

#[tokio::test]
async fn a_failed_referral_is_kept_beside_the_registry_answer() {
    // The pre-2013 thin format: "Whois Server: whois.godaddy.com".
    let registry = MockWhois::builder()
        .reply(
            "domain killianestates.com",
            Reply::Text(whois_fixture(VERISIGN_OLD_THIN)),
        )
        .start()
        .await;
    let registrar = MockWhois::builder().otherwise(Reply::Close).start().await;
    let client = client(&[
        registry.override_for("com"),
        registrar.override_for("whois.godaddy.com"),
    ]);

    let lookup = client
        .lookup_with_referral(&name("killianestates.com"))
        .await
        .unwrap();

    assert_eq!(lookup.registry.body, whois_fixture(VERISIGN_OLD_THIN));
    let referral = lookup.referral.unwrap();
    assert_eq!(referral.named.to_string(), "whois.godaddy.com:43");
    let error = referral.outcome.unwrap_err();
    assert!(matches!(error, WhoisError::EmptyAnswer { .. }), "{error}");
    assert_eq!(registrar.received(), vec!["killianestates.com\r\n"]);
}

#[tokio::test]
async fn a_thick_registry_answer_has_no_referral() {
    let registry = MockWhois::builder()
        .otherwise(Reply::Text(whois_fixture(DENIC_GOOGLE)))
        .start()
        .await;
    let lookup = client(&[registry.override_for("de")])
        .lookup_with_referral(&name("google.de"))
        .await
        .unwrap();
    assert!(lookup.referral.is_none());
}

#[tokio::test]
async fn asks_iana_once_per_tld_and_shares_the_answer_between_clones() {
    let iana = MockWhois::builder()
        .reply("museum", Reply::Text(IANA_MUSEUM_HANDWRITTEN.into()))
        .start()
        .await;
    let registry = MockWhois::builder()
        .otherwise(Reply::Text(b"Domain Name: ANY.MUSEUM\r\n".to_vec()))
        .start()
        .await;
    let client = WhoisClient::new(WhoisConfig {
        iana_server: iana.address().to_string().parse::<ServerAddress>().unwrap(),
        ..config(&[registry.override_for("whois.nic.museum")])
    });
    let clone = client.clone();

    let (one, two) = (name("one.museum"), name("two.museum"));
    let (first, second) = tokio::join!(client.lookup(&one), clone.lookup(&two));
    let third = client.lookup(&name("three.museum")).await.unwrap();

    assert_eq!(first.unwrap().chosen_by, ChosenBy::Iana);
    assert_eq!(second.unwrap().chosen_by, ChosenBy::Iana);
    assert_eq!(third.server.to_string(), registry.address().to_string());
    assert_eq!(iana.received(), vec!["museum\r\n"]);
    let mut asked = registry.received();
    asked.sort();
    assert_eq!(
        asked,
        vec!["one.museum\r\n", "three.museum\r\n", "two.museum\r\n"]
    );
    let target = client.target_for(&name("four.museum")).await.unwrap();
    assert_eq!(target.named.to_string(), "whois.nic.museum:43");
}

#[tokio::test]
async fn a_tld_iana_does_not_know_has_no_server() {
    let iana = MockWhois::builder()
        .otherwise(Reply::Text(IANA_NOTHING_HANDWRITTEN.into()))
        .start()
        .await;
    let client = WhoisClient::new(WhoisConfig {
        iana_server: iana.address().to_string().parse().unwrap(),
        ..config(&[])
    });
    let error = client.lookup(&name("name.aero")).await.unwrap_err();
    assert!(
        matches!(&error, WhoisError::NoServer { tld, .. } if tld == "aero"),
        "{error}"
    );
    assert!(!error.is_retryable());
    // The "none" answer is cached too.
    assert!(client.lookup(&name("other.aero")).await.is_err());
    assert_eq!(iana.received(), vec!["aero\r\n"]);
}

#[tokio::test]
async fn a_failed_iana_question_is_asked_again() {
    let iana = MockWhois::builder().otherwise(Reply::Close).start().await;
    let client = WhoisClient::new(WhoisConfig {
        iana_server: iana.address().to_string().parse().unwrap(),
        ..config(&[])
    });
    for _ in 0..2 {
        let error = client.lookup(&name("name.museum")).await.unwrap_err();
        assert!(matches!(error, WhoisError::EmptyAnswer { .. }), "{error}");
    }
    assert_eq!(iana.received(), vec!["museum\r\n", "museum\r\n"]);
}

#[tokio::test]
async fn loopback_is_refused_unless_allowed() {
    let server = MockWhois::builder().start().await;
    let client = WhoisClient::new(WhoisConfig {
        allow_loopback: false,
        ..config(&[server.override_for("de")])
    });
    let error = client.lookup(&name("example.de")).await.unwrap_err();
    assert!(
        matches!(error, WhoisError::ForbiddenAddress { .. }),
        "{error}"
    );
    assert!(server.received().is_empty());
}

/// A query line is built from a [`DomainName`] alone, and no text that
/// could smuggle a second query or a terminal escape becomes one.
#[rstest]
#[case("example.de\r\n-T dn,ace other.de")]
#[case("example.de other.de")]
#[case("\u{1b}]0;x\u{7}example.de")]
fn an_unsafe_name_never_becomes_a_domain_name(#[case] text: &str) {
    let error = domain::normalize(text).unwrap_err();
    assert!(
        matches!(error, DomainError::DisallowedCharacter { .. }),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whois_command_prints_both_answers_without_control_characters() {
    let registry = MockWhois::builder()
        .reply(
            "domain google.com",
            Reply::Text(whois_fixture(VERISIGN_GOOGLE)),
        )
        .start()
        .await;
    let registrar = MockWhois::builder()
        .reply("google.com", Reply::Text(whois_fixture(MARKMONITOR_GOOGLE)))
        .start()
        .await;
    let args = vec![
        "whois".to_owned(),
        "google.com".to_owned(),
        "--allow-loopback".to_owned(),
        "--whois-server".to_owned(),
        registry.override_for("com"),
        "--whois-server".to_owned(),
        registrar.override_for("whois.markmonitor.com"),
    ];
    let output = tokio::task::spawn_blocking(move || {
        assert_cmd::Command::cargo_bin("domlife")
            .unwrap()
            .args(&args)
            .output()
            .unwrap()
    })
    .await
    .unwrap();

    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains(&format!("% {} (--whois-server)", registry.address())));
    assert!(stdout.contains(&format!("% {} (registry referral)", registrar.address())));
    assert!(stdout.contains("Registry Expiry Date: 2020-09-14T04:00:00Z"));
    assert!(stdout.contains("Registrar Registration Expiration Date: 2028-09-13T00:00:00-0700"));
    assert!(!stdout.contains('\r'));
}
