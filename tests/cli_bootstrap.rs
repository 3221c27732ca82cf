//! `domlife bootstrap show` and `domlife bootstrap update`, run as the real
//! binary. Every run gets its own `--cache-dir`, so the user's cache is never
//! read or written.

pub mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use support::{MockConfig, MockRegistry, run};
use tempfile::TempDir;

const SAMPLE: &str = r#"{
    "publication": "2030-05-06T07:08:09Z",
    "services": [
        [["com", "net"], ["https://rdap.example/com/"]],
        [["co.uk"], ["https://rdap.example/co-uk"]],
        [["kg"], ["http://rdap.cctld.kg/"]]
    ]
}"#;

fn domlife(cache: &TempDir) -> Command {
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    // The environment variable points at the test's directory, so even a
    // run without --cache-dir never touches the user's cache.
    command
        .env("DOMLIFE_CACHE_DIR", cache.path())
        .arg("bootstrap");
    command
}

fn sample_file(dir: &TempDir) -> std::path::PathBuf {
    let path = dir.path().join("sample.json");
    std::fs::write(&path, SAMPLE).expect("writes sample");
    path
}

#[test]
fn show_reports_the_embedded_snapshot_by_default() {
    let cache = TempDir::new().expect("temp dir");
    domlife(&cache)
        .args(["show", "com"])
        .assert()
        .success()
        .stdout(predicate::str::contains("bootstrap:   embedded snapshot"))
        .stdout(predicate::str::contains(
            "publication: 2026-07-23T02:00:03Z",
        ))
        .stdout(predicate::str::contains("services:    590"))
        .stdout(predicate::str::contains(
            ".com: https://rdap.verisign.com/com/v1/ (bootstrap entry com)",
        ));
}

#[test]
fn show_uses_the_given_file_and_longest_suffix() {
    let cache = TempDir::new().expect("temp dir");
    let file = sample_file(&cache);
    domlife(&cache)
        .args(["show", "www.example.co.uk", "--bootstrap"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "bootstrap:   file {}",
            file.display()
        )))
        .stdout(predicate::str::contains(
            "publication: 2030-05-06T07:08:09Z",
        ))
        .stdout(predicate::str::contains("services:    3"))
        .stdout(predicate::str::contains(
            "www.example.co.uk: https://rdap.example/co-uk/ (bootstrap entry co.uk)",
        ));
}

#[test]
fn show_flags_a_plain_http_server() {
    let cache = TempDir::new().expect("temp dir");
    let file = sample_file(&cache);
    domlife(&cache)
        .args(["show", "KG.", "--bootstrap"])
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            ".kg: http://rdap.cctld.kg/ (bootstrap entry kg) (plain http: refused; WHOIS is used instead)",
        ));
}

#[test]
fn show_applies_rdap_server_overrides() {
    let cache = TempDir::new().expect("temp dir");
    domlife(&cache)
        .args([
            "show",
            "de",
            "--rdap-server",
            "de=https://rdap.denic.example/v1",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "override:    de=https://rdap.denic.example/v1/",
        ))
        .stdout(predicate::str::contains(
            ".de: https://rdap.denic.example/v1/ (--rdap-server de)",
        ));
}

#[test]
fn show_says_no_rdap_for_an_absent_tld_and_exits_1() {
    let cache = TempDir::new().expect("temp dir");
    let file = sample_file(&cache);
    domlife(&cache)
        .args(["show", "example.zz", "--bootstrap"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("no RDAP for .zz"));
}

#[test]
fn malformed_override_is_bad_input() {
    let cache = TempDir::new().expect("temp dir");
    domlife(&cache)
        .args(["show", "com", "--rdap-server", "com:https://x/"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not TLD=URL"));
}

#[test]
fn unreadable_bootstrap_file_is_bad_input() {
    let cache = TempDir::new().expect("temp dir");
    domlife(&cache)
        .args(["show", "com", "--bootstrap"])
        .arg(cache.path().join("absent.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read"));
}

#[test]
fn corrupt_cache_falls_back_to_the_embedded_snapshot_with_a_warning() {
    let cache = TempDir::new().expect("temp dir");
    std::fs::write(cache.path().join("dns.json"), "{ not json").expect("writes");
    domlife(&cache)
        .args(["show", "com", "--cache-dir"])
        .arg(cache.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("bootstrap:   embedded snapshot"))
        .stderr(predicate::str::contains("domlife: warning:"))
        .stderr(predicate::str::contains("using the embedded snapshot"));
}

#[tokio::test]
async fn update_downloads_then_answers_already_current_via_etag() {
    let mock = MockRegistry::start(MockConfig::new().tld("test").tld("example"))
        .await
        .expect("mock starts");
    let cache = TempDir::new().expect("temp dir");
    let update = || {
        let mut command = domlife(&cache);
        command
            .args([
                "update",
                "--allow-loopback",
                "--url",
                &mock.bootstrap_url(),
                "--cache-dir",
            ])
            .arg(cache.path());
        command
    };

    run(update())
        .await
        .success()
        .stdout(predicate::str::contains("updated "))
        .stdout(predicate::str::contains(
            "publication 2099-01-01T00:00:00Z, 1 services",
        ));
    let stored = std::fs::read_to_string(cache.path().join("dns.json")).expect("stored");
    assert_eq!(stored, mock.bootstrap_json());

    run(update())
        .await
        .success()
        .stdout(predicate::str::contains("already current: "));
    assert_eq!(mock.requests(), ["/dns.json", "/dns.json"]);

    // The cached copy is newer than the snapshot, so show now uses it.
    let mut show = domlife(&cache);
    show.args(["show", "example.test", "--cache-dir"])
        .arg(cache.path());
    run(show)
        .await
        .success()
        .stdout(predicate::str::contains("bootstrap:   cached file"))
        .stdout(predicate::str::contains(format!(
            "example.test: {} (bootstrap entry test)",
            mock.registry_base()
        )));
}

#[tokio::test]
async fn update_refuses_plain_http_without_allow_loopback() {
    let mock = MockRegistry::start(MockConfig::new().tld("test"))
        .await
        .expect("mock starts");
    let cache = TempDir::new().expect("temp dir");
    let mut command = domlife(&cache);
    command
        .args(["update", "--url", &mock.bootstrap_url(), "--cache-dir"])
        .arg(cache.path());
    run(command)
        .await
        .code(2)
        .stderr(predicate::str::contains("plain http is refused"));
    assert!(mock.requests().is_empty());
    assert!(!cache.path().join("dns.json").exists());
}

#[tokio::test]
async fn update_keeps_the_old_copy_when_the_download_is_not_a_bootstrap_file() {
    let mock = MockRegistry::start(
        MockConfig::new().registry("garbled.test", support::Reply::InvalidJson),
    )
    .await
    .expect("mock starts");
    let cache = TempDir::new().expect("temp dir");
    std::fs::write(cache.path().join("dns.json"), SAMPLE).expect("writes");
    let mut command = domlife(&cache);
    command
        .args(["update", "--allow-loopback", "--url"])
        .arg(mock.registry_url("garbled.test").as_str())
        .arg("--cache-dir")
        .arg(cache.path());
    run(command)
        .await
        .code(1)
        .stderr(predicate::str::contains("is not an RDAP bootstrap file"));
    let kept = std::fs::read_to_string(cache.path().join("dns.json")).expect("kept");
    assert_eq!(kept, SAMPLE);
}

#[tokio::test]
async fn an_updated_copy_older_than_the_snapshot_is_not_used() {
    let mock = MockRegistry::start(
        MockConfig::new()
            .tld("com")
            .bootstrap_publication("2020-01-01T00:00:00Z"),
    )
    .await
    .expect("mock starts");
    let cache = TempDir::new().expect("temp dir");
    let mut update = domlife(&cache);
    update
        .args([
            "update",
            "--allow-loopback",
            "--url",
            &mock.bootstrap_url(),
            "--cache-dir",
        ])
        .arg(cache.path());
    run(update)
        .await
        .success()
        .stdout(predicate::str::contains("publication 2020-01-01T00:00:00Z"));

    let mut show = domlife(&cache);
    show.args(["show", "com", "--cache-dir"]).arg(cache.path());
    run(show)
        .await
        .success()
        .stdout(predicate::str::contains("bootstrap:   embedded snapshot"))
        .stdout(predicate::str::contains(
            "https://rdap.verisign.com/com/v1/",
        ));
}
