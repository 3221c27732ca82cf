//! `domlife show` run as the real binary against the mock registry and the
//! mock WHOIS server on 127.0.0.1: the registry -> registrar referral, the
//! WHOIS fallback, and every way a registry answer can go wrong.

pub mod support;

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use support::mock_whois::{self, MockWhois};
use support::{MockConfig, MockRegistry, Reply, run};
use tempfile::TempDir;

const VERISIGN: &str = "whoisit-recorded__verisign_google.com.json";
const MARKMONITOR: &str = "whoisit-recorded__markmonitor_google.com.json";

/// A test's private cache directory and the mock's bootstrap file in it.
struct Setup {
    dir: TempDir,
    bootstrap: PathBuf,
}

fn setup(mock: &MockRegistry) -> Setup {
    let dir = TempDir::new().expect("temp dir");
    let bootstrap = dir.path().join("dns.json");
    std::fs::write(&bootstrap, mock.bootstrap_json()).expect("writes bootstrap");
    Setup { dir, bootstrap }
}

/// `domlife show NAME` against the mock, JSON output, a fixed as-of date.
fn show(setup: &Setup, name: &str) -> Command {
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command
        .env("DOMLIFE_CACHE_DIR", setup.dir.path())
        .args(["show", name, "--allow-loopback", "--format", "json"])
        .args(["--as-of", "2025-01-01", "--timeout", "2", "--bootstrap"])
        .arg(&setup.bootstrap)
        // Failures are the point of several tests: give up soon.
        .args(["--retries", "1", "--patience", "5"]);
    command
}

fn json_of(assert: &assert_cmd::assert::Assert) -> Value {
    let stdout = &assert.get_output().stdout;
    serde_json::from_slice(stdout)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", String::from_utf8_lossy(stdout)))
}

/// A WHOIS server answering `google.cn` with CNNIC's captured answer.
async fn cnnic_answering_google_cn() -> MockWhois {
    MockWhois::builder()
        .reply(
            "google.cn",
            mock_whois::Reply::Text(mock_whois::whois_fixture(
                "weppos__whois.cnnic.cn_cn_status_registered.txt",
            )),
        )
        .start()
        .await
}

fn google_com() -> MockConfig {
    MockConfig::new()
        .tld("com")
        .registry("google.com", Reply::fixture(VERISIGN))
        .registrar("google.com", Reply::fixture(MARKMONITOR))
        .rewrite("https://rdap.markmonitor.com/rdap/", "{base}/registrar/")
}

#[tokio::test]
async fn follows_the_registrar_link_and_keeps_both_views() {
    let mock = MockRegistry::start(google_com())
        .await
        .expect("mock starts");
    let setup = setup(&mock);
    let assert = run(show(&setup, "google.com")).await.success();
    let shown = json_of(&assert);
    let record = &shown["record"];
    assert_eq!(record["registered"], true);
    assert_eq!(record["expires"], "2028-09-14T04:00:00Z");
    assert_eq!(record["registrar_expires"], "2028-09-13T07:00:00Z");
    assert_eq!(record["registrar"]["iana_id"], "292");
    assert_eq!(record["registrar_view"]["source"]["role"], "registrar");
    let asked = shown["asked"].as_array().expect("asked is a list");
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert_eq!(asked[0]["role"], "registry");
    assert_eq!(asked[0]["outcome"], "answered");
    assert_eq!(asked[1]["role"], "registrar");
    assert_eq!(asked[1]["outcome"], "answered");
    // The deadline is the registrar's: its expiry drives the timeline.
    assert_eq!(shown["timeline"]["expiry_day"], "2028-09-13");
    assert_eq!(shown["timeline"]["as_of"]["phase"], "active");
    assert_eq!(
        mock.requests(),
        [
            "/registry/domain/google.com",
            "/registrar/domain/GOOGLE.COM"
        ]
    );
}

#[tokio::test]
async fn the_table_shows_record_servers_and_timeline() {
    let mock = MockRegistry::start(google_com())
        .await
        .expect("mock starts");
    let setup = setup(&mock);
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command
        .env("DOMLIFE_CACHE_DIR", setup.dir.path())
        .args(["show", "https://www.google.com/search", "--allow-loopback"])
        .args(["--as-of", "2025-01-01", "--bootstrap"])
        .arg(&setup.bootstrap);
    run(command)
        .await
        .success()
        .stdout(predicate::str::contains(
            "registrar expires 2028-09-13T07:00:00Z",
        ))
        .stdout(predicate::str::contains("input: "))
        .stdout(predicate::str::contains("rdap registrar"))
        .stdout(predicate::str::contains("As of 2025-01-01: active"));
}

#[tokio::test]
async fn a_registry_404_is_an_unregistered_name_not_an_error() {
    let mock = MockRegistry::start(
        MockConfig::new()
            .tld("com")
            .registry("gone.com", Reply::NotFound),
    )
    .await
    .expect("mock starts");
    let setup = setup(&mock);
    let shown = json_of(&run(show(&setup, "gone.com")).await.success());
    assert_eq!(shown["record"]["registered"], false);
    assert_eq!(shown["asked"][0]["outcome"], "not found");
    assert_eq!(shown["timeline"], Value::Null);
    assert_eq!(shown["timeline_missing"], "the registry has no such name");
}

#[tokio::test]
async fn registry_failures_exit_1_with_the_reason() {
    let cases = [
        (
            "limited.com",
            Reply::RateLimited {
                retry_after: "120".into(),
            },
            "429",
        ),
        ("broken.com", Reply::ServerError, "500"),
        ("garbled.com", Reply::InvalidJson, "unreadable"),
        (
            "huge.com",
            Reply::Oversized {
                bytes: 5 * 1024 * 1024,
                declare_length: false,
            },
            "exceeds",
        ),
        (
            "slow.com",
            Reply::Slow {
                delay: Duration::from_secs(5),
                then: Box::new(Reply::NotFound),
            },
            "timed out",
        ),
    ];
    let mut config = MockConfig::new().tld("com");
    for (name, reply, _) in &cases {
        config = config.registry(name, reply.clone());
    }
    let mock = MockRegistry::start(config).await.expect("mock starts");
    let setup = setup(&mock);
    for (name, _, reason) in cases {
        run(show(&setup, name))
            .await
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(name))
            .stderr(predicate::str::contains(reason));
    }
}

#[tokio::test]
async fn a_redirect_to_a_private_address_is_refused_before_connecting() {
    let redirect = Reply::Redirect {
        status: 302,
        location: "http://10.0.0.1/domain/moved.com".into(),
    };
    let mock = MockRegistry::start(MockConfig::new().tld("com").registry("moved.com", redirect))
        .await
        .expect("mock starts");
    let setup = setup(&mock);
    run(show(&setup, "moved.com"))
        .await
        .code(1)
        .stderr(predicate::str::contains("10.0.0.1"))
        .stderr(predicate::str::contains("refused"));
    assert_eq!(mock.requests(), ["/registry/domain/moved.com"]);
}

#[tokio::test]
async fn a_registrar_referral_to_a_private_address_is_refused_but_the_record_stands() {
    let config = MockConfig::new()
        .tld("com")
        .registry("google.com", Reply::fixture(VERISIGN))
        .rewrite(
            "https://rdap.markmonitor.com/rdap/",
            "http://192.168.1.1/rdap/",
        );
    let mock = MockRegistry::start(config).await.expect("mock starts");
    let setup = setup(&mock);
    let shown = json_of(&run(show(&setup, "google.com")).await.success());
    let record = &shown["record"];
    assert_eq!(record["expires"], "2028-09-14T04:00:00Z");
    assert_eq!(record["registrar_expires"], Value::Null);
    let error = record["registrar_view"]["error"]
        .as_str()
        .unwrap_or_default();
    assert!(error.contains("192.168.1.1"), "{error}");
    assert_eq!(shown["asked"][1]["role"], "registrar");
    assert_eq!(mock.requests(), ["/registry/domain/google.com"]);
}

#[tokio::test]
async fn a_redirect_to_plain_http_elsewhere_is_refused_even_with_allow_loopback() {
    // The flag allows plain http to this machine only: a registry that
    // redirects to http on another host is refused before any lookup of it.
    let redirect = Reply::Redirect {
        status: 301,
        location: "http://rdap.example.net/domain/moved.com".into(),
    };
    let mock = MockRegistry::start(MockConfig::new().tld("com").registry("moved.com", redirect))
        .await
        .expect("mock starts");
    let setup = setup(&mock);
    run(show(&setup, "moved.com"))
        .await
        .code(1)
        .stderr(predicate::str::contains(
            "http://rdap.example.net/domain/moved.com",
        ))
        .stderr(predicate::str::contains("plain http is refused"));
    assert_eq!(mock.requests(), ["/registry/domain/moved.com"]);
}

#[tokio::test]
async fn plain_http_is_refused_without_allow_loopback() {
    let mock = MockRegistry::start(google_com())
        .await
        .expect("mock starts");
    let setup = setup(&mock);
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command
        .env("DOMLIFE_CACHE_DIR", setup.dir.path())
        .args(["show", "google.com", "--bootstrap"])
        .arg(&setup.bootstrap);
    run(command)
        .await
        .code(1)
        .stderr(predicate::str::contains("plain http is refused"));
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn a_tld_without_rdap_falls_back_to_whois() {
    let registry = MockRegistry::start(MockConfig::new().tld("com"))
        .await
        .expect("mock starts");
    let whois = cnnic_answering_google_cn().await;
    let setup = setup(&registry);
    let mut command = show(&setup, "google.cn");
    command.args(["--whois-server", &whois.override_for("cn")]);
    let shown = json_of(&run(command).await.success());
    let record = &shown["record"];
    assert_eq!(record["source"]["protocol"], "whois");
    // CNNIC prints China time without a zone: 12:48:36 +08:00 is 04:48:36 UTC.
    assert_eq!(record["expires"], "2017-03-17T04:48:36Z");
    assert_eq!(shown["asked"][0]["protocol"], "whois");
    assert_eq!(shown["timeline"]["policy"]["tld"], "cn");
    assert_eq!(whois.received(), ["google.cn\r\n"]);
    whois.stop().await;
}

#[tokio::test]
async fn no_whois_turns_the_fallback_off() {
    let registry = MockRegistry::start(MockConfig::new().tld("com"))
        .await
        .expect("mock starts");
    let setup = setup(&registry);
    let mut command = show(&setup, "google.cn");
    command.arg("--no-whois");
    run(command)
        .await
        .code(1)
        .stderr(predicate::str::contains("no RDAP for .cn"));
}

#[tokio::test]
async fn bad_names_are_bad_input() {
    let registry = MockRegistry::start(MockConfig::new().tld("com"))
        .await
        .expect("mock starts");
    let setup = setup(&registry);
    for name in ["192.0.2.1", "example.notatld", "a..b.com"] {
        run(show(&setup, name)).await.code(2);
    }
    assert!(registry.requests().is_empty());
}

#[tokio::test]
async fn a_policy_file_sets_the_zone_whois_times_are_read_in() {
    let registry = MockRegistry::start(MockConfig::new().tld("com"))
        .await
        .expect("mock starts");
    let whois = cnnic_answering_google_cn().await;
    let setup = setup(&registry);
    let policy = setup.dir.path().join("policy.toml");
    std::fs::write(
        &policy,
        "[[entry]]\nid = \"cn-utc\"\ntlds = [\"cn\"]\n\
         time_zone = { value = \"+00:00\", source = \"test\", confidence = \"?\" }\n",
    )
    .expect("writes policy");
    let mut command = show(&setup, "google.cn");
    command
        .args(["--whois-server", &whois.override_for("cn"), "--policy-file"])
        .arg(&policy);
    let shown = json_of(&run(command).await.success());
    // The same text as in the fallback test, now read as UTC.
    assert_eq!(shown["record"]["expires"], "2017-03-17T12:48:36Z");
    whois.stop().await;
}

#[tokio::test]
async fn a_thin_whois_registry_refers_to_the_registrar_and_both_are_kept() {
    let registry = MockRegistry::start(MockConfig::new().tld("com"))
        .await
        .expect("mock starts");
    let verisign = MockWhois::builder()
        .reply(
            "domain google.com",
            mock_whois::Reply::Text(mock_whois::whois_fixture(
                "weppos__whois.verisign-grs.com_com_status_registered.txt",
            )),
        )
        .start()
        .await;
    let markmonitor = MockWhois::builder()
        .reply(
            "google.com",
            mock_whois::Reply::Text(mock_whois::whois_fixture("likexian__com_google.com.txt")),
        )
        .start()
        .await;
    let setup = setup(&registry);
    let mut command = show(&setup, "google.com");
    command.args([
        "--prefer",
        "whois",
        "--whois-server",
        &verisign.override_for("com"),
        "--whois-server",
        &markmonitor.override_for("whois.markmonitor.com"),
    ]);
    let shown = json_of(&run(command).await.success());
    let record = &shown["record"];
    assert_eq!(record["source"]["protocol"], "whois");
    assert_eq!(record["expires"], "2020-09-14T04:00:00Z");
    // MarkMonitor writes 2028-09-13T00:00:00-0700.
    assert_eq!(record["registrar_expires"], "2028-09-13T07:00:00Z");
    assert_eq!(record["registrar_view"]["source"]["role"], "registrar");
    assert_eq!(shown["asked"].as_array().map(Vec::len), Some(2));
    // Verisign's dialect, then the referral, each asked once.
    assert_eq!(verisign.received(), ["domain google.com\r\n"]);
    assert_eq!(markmonitor.received(), ["google.com\r\n"]);
    assert!(registry.requests().is_empty(), "RDAP was not asked");
    verisign.stop().await;
    markmonitor.stop().await;
}

#[tokio::test]
async fn a_whois_quota_answer_is_a_rate_limit_not_a_record() {
    let registry = MockRegistry::start(MockConfig::new().tld("com"))
        .await
        .expect("mock starts");
    let whois = MockWhois::builder()
        .otherwise(mock_whois::Reply::QuotaNotice)
        .start()
        .await;
    let setup = setup(&registry);
    let mut command = show(&setup, "example.de");
    command.args(["--whois-server", &whois.override_for("de")]);
    run(command)
        .await
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("query limit"));
    whois.stop().await;
}

#[tokio::test]
async fn a_tld_whose_rdap_is_plain_http_only_falls_back_to_whois() {
    let registry = MockRegistry::start(MockConfig::new().tld("com"))
        .await
        .expect("mock starts");
    let whois = cnnic_answering_google_cn().await;
    let setup = setup(&registry);
    // A bootstrap like IANA's for .kg and .mg: the only server is plain http.
    let bootstrap = setup.dir.path().join("http-only.json");
    std::fs::write(
        &bootstrap,
        r#"{"services": [[["cn"], ["http://rdap.example.cn/"]]]}"#,
    )
    .expect("writes bootstrap");
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command
        .env("DOMLIFE_CACHE_DIR", setup.dir.path())
        .args([
            "show",
            "google.cn",
            "--allow-loopback",
            "--format",
            "json",
            "--bootstrap",
        ])
        .arg(&bootstrap)
        .args(["--whois-server", &whois.override_for("cn")]);
    let shown = json_of(&run(command).await.success());
    assert_eq!(shown["record"]["source"]["protocol"], "whois");
    assert_eq!(whois.received(), ["google.cn\r\n"]);
    whois.stop().await;
}
