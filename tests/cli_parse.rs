//! `domlife parse rdap` and `parse whois` run as a user would: the real binary on real
//! captured responses, checking the JSON it prints and its exit status.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rdap")
        .join(name)
}

const VERISIGN: &str = "whoisit-recorded__verisign_google.com.json";
const MARKMONITOR: &str = "whoisit-recorded__markmonitor_google.com.json";

fn domlife() -> Command {
    Command::cargo_bin("domlife").unwrap_or_else(|error| panic!("no binary: {error}"))
}

fn json_of(output: &[u8]) -> Value {
    serde_json::from_slice(output)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", String::from_utf8_lossy(output)))
}

#[test]
fn prints_the_record_of_a_registry_response() {
    let file = fixture(VERISIGN);
    let output = domlife()
        .args(["parse", "rdap"])
        .arg(&file)
        .assert()
        .success();
    let stdout = &output.get_output().stdout;
    assert!(stdout.starts_with(b"{\n  \""), "pretty by default");
    let record = json_of(stdout);
    assert_eq!(record["domain"], "google.com");
    assert_eq!(record["registered"], true);
    assert_eq!(record["expires"], "2028-09-14T04:00:00Z");
    assert_eq!(record["created"], "1997-09-15T04:00:00Z");
    assert_eq!(record["updated"], "2019-09-09T15:39:04Z");
    assert_eq!(record["registrar"]["name"], "MarkMonitor Inc.");
    assert_eq!(record["registrar"]["iana_id"], "292");
    assert_eq!(record["statuses"][0], "clientDeleteProhibited");
    assert_eq!(record["statuses"].as_array().map(Vec::len), Some(6));
    assert_eq!(record["nameservers"][3], "ns4.google.com");
    assert_eq!(record["dnssec"], false);
    assert_eq!(record["source"]["protocol"], "rdap");
    assert_eq!(record["source"]["role"], "registry");
    assert_eq!(record["source"]["server"], file.display().to_string());
    assert_eq!(
        record["source"]["url"],
        "https://rdap.verisign.com/com/v1/domain/GOOGLE.COM"
    );
    assert!(record.get("registrar_view").is_none());
    // #18: the registrar's RDAP link the registry gives, which a lookup follows.
    assert_eq!(
        record["notes"],
        serde_json::json!(["the registry links to the registrar's RDAP answer at \
             https://rdap.markmonitor.com/rdap/domain/GOOGLE.COM \
             (read a saved copy with --registrar-response)"])
    );
}

#[test]
fn compact_prints_one_line() {
    let output = domlife()
        .args(["parse", "rdap", "--compact"])
        .arg(fixture("whodap__you.tube.json"))
        .assert()
        .success();
    let stdout = &output.get_output().stdout;
    assert_eq!(stdout.iter().filter(|byte| **byte == b'\n').count(), 1);
    let record = json_of(stdout);
    assert_eq!(record["domain"], "you.tube");
    assert_eq!(record["expires"], "2022-04-16T23:59:59Z");
}

#[test]
fn merges_the_registrar_response() {
    let registrar_file = fixture(MARKMONITOR);
    let output = domlife()
        .args(["parse", "rdap"])
        .arg(fixture(VERISIGN))
        .arg("--registrar-response")
        .arg(&registrar_file)
        .assert()
        .success();
    let record = json_of(&output.get_output().stdout);
    assert_eq!(record["expires"], "2028-09-14T04:00:00Z");
    assert_eq!(record["registrar_expires"], "2028-09-13T07:00:00Z");
    let view = &record["registrar_view"];
    assert_eq!(view["expires"], "2028-09-13T07:00:00Z");
    assert_eq!(view["source"]["role"], "registrar");
    assert_eq!(
        view["source"]["server"],
        registrar_file.display().to_string()
    );
    assert_eq!(
        view["source"]["url"],
        "https://rdap.markmonitor.com/rdap/domain/google.com"
    );
    assert_eq!(view["statuses"].as_array().map(Vec::len), Some(6));
    assert!(view.get("error").is_none());
}

#[test]
fn a_registrar_file_that_is_not_rdap_is_recorded_not_fatal() {
    let output = domlife()
        .args(["parse", "rdap"])
        .arg(fixture(VERISIGN))
        .arg("--registrar-response")
        .arg(fixture("SOURCES.md"))
        .assert()
        .success();
    let record = json_of(&output.get_output().stdout);
    let error = record["registrar_view"]["error"].as_str().unwrap_or("");
    assert!(error.starts_with("not JSON"), "{error}");
    assert_eq!(record["registrar_expires"], Value::Null);
    assert_eq!(record["expires"], "2028-09-14T04:00:00Z");
    assert_eq!(record["notes"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_file_that_is_not_rdap_exits_1_naming_it() {
    let file = fixture("SOURCES.md");
    domlife()
        .args(["parse", "rdap"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(format!(
            "{} is not an RDAP domain response: not JSON",
            file.display()
        )))
        .stderr(predicate::function(|text: &str| text.lines().count() == 1));
}

#[test]
fn json_that_is_not_a_domain_exits_1() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = dir.path().join("entity.json");
    std::fs::write(&file, r#"{"objectClassName": "entity", "handle": "292"}"#)
        .unwrap_or_else(|error| panic!("{error}"));
    domlife()
        .args(["parse", "rdap"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "entity.json is not an RDAP domain response",
        ))
        .stderr(predicate::str::contains("class \"entity\""));
}

#[test]
fn a_404_error_object_is_an_unregistered_record() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = dir.path().join("not-found.json");
    std::fs::write(&file, r#"{"errorCode": 404, "title": "Not Found"}"#)
        .unwrap_or_else(|error| panic!("{error}"));
    let output = domlife()
        .args(["parse", "rdap"])
        .arg(&file)
        .assert()
        .success();
    let record = json_of(&output.get_output().stdout);
    assert_eq!(record["registered"], false);
}

#[test]
fn a_missing_file_is_bad_input() {
    domlife()
        .args(["parse", "rdap", "no-such-file.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-file.json"));
}

#[test]
fn a_missing_registrar_file_is_bad_input() {
    domlife()
        .args(["parse", "rdap"])
        .arg(fixture(VERISIGN))
        .args(["--registrar-response", "no-such-registrar.json"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("no-such-registrar.json"));
}

#[test]
fn help_shows_an_example() {
    domlife()
        .args(["parse", "rdap", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "domlife parse rdap registry.json --registrar-response",
        ));
}

fn whois_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/whois")
        .join(name)
}

#[test]
fn parse_whois_prints_the_record_as_json() {
    let file = whois_fixture("weppos__whois.cnnic.cn_cn_status_registered.txt");
    let output = domlife()
        .args([
            "parse",
            "whois",
            "--domain",
            "google.cn",
            "--server",
            "whois.cnnic.cn",
            "--compact",
        ])
        .arg(&file)
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["domain"], "google.cn");
    // CNNIC prints China time without a zone: 12:48:36 +08:00 is 04:48:36 UTC.
    assert_eq!(json["expires"], "2017-03-17T04:48:36Z");
    assert_eq!(json["source"]["protocol"], "whois");
    assert_eq!(json["source"]["server"], "whois.cnnic.cn");
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 1);
}

#[test]
fn parse_whois_refusal_exits_one_with_the_reason() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = dir.path().join("limit.txt");
    std::fs::write(&file, "WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS\n").expect("write");
    let output = domlife()
        .args(["parse", "whois", "--domain", "example.org"])
        .arg(&file)
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("query limit"), "{message}");
    assert!(message.contains("WHOIS LIMIT EXCEEDED"), "{message}");
}

#[test]
fn parse_whois_missing_file_is_bad_input() {
    let output = domlife()
        .args([
            "parse",
            "whois",
            "--domain",
            "example.com",
            "/nonexistent/answer.txt",
        ])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
}

// Issue #13: `parse` has no query, so an answer about another name than
// `--domain` is a note, never a refusal.
#[test]
fn a_whois_answer_about_another_name_than_domain_is_a_note() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let file = directory.path().join("answer.txt");
    std::fs::write(&file, "Domain: other.de\nStatus: connect\n")
        .unwrap_or_else(|error| panic!("{error}"));
    let output = domlife()
        .args(["parse", "whois", "--domain", "example.de"])
        .arg(&file)
        .assert()
        .success();
    let record = json_of(&output.get_output().stdout);
    assert_eq!(record["domain"], "example.de");
    assert_eq!(record["registered"], true);
    assert_eq!(record["notes"][0], "the answer is about \"other.de\"");
}
