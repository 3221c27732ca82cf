//! `domlife explain`: the list of every finding code, one code's paragraph,
//! JSON, and an unknown code refused with exit status 2 and the valid codes.

use assert_cmd::Command;
use domlife::reconcile::Code;
use predicates::prelude::*;

fn domlife() -> Command {
    Command::cargo_bin("domlife").unwrap_or_else(|error| panic!("binary: {error}"))
}

#[test]
fn without_a_code_every_code_is_listed() {
    let output = domlife()
        .arg("explain")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&output);
    for code in Code::ALL {
        assert!(
            text.lines()
                .any(|line| line.split_whitespace().next() == Some(code.as_str())),
            "{code} missing from:\n{text}"
        );
    }
}

#[test]
fn one_code_gets_its_paragraph() {
    domlife()
        .args(["explain", "registry-auto-renewed"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "registry-auto-renewed: the registry moved the expiry a year ahead",
        ))
        .stdout(predicate::str::contains("Severity: warning"))
        .stdout(predicate::str::contains("autoRenewPeriod"));
}

#[test]
fn paragraphs_are_wrapped_for_a_terminal() {
    let output = domlife()
        .args(["explain", "phase-mismatch"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8_lossy(&output);
    assert!(text.lines().count() > 5, "{text}");
    assert!(
        text.lines().all(|line| line.chars().count() <= 100),
        "{text}"
    );
}

#[test]
fn json_gives_the_code_severity_and_text() {
    let output = domlife()
        .args(["explain", "GRACE", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&output).unwrap_or_default();
    assert_eq!(json["code"], "grace");
    assert!(
        json["severity"]
            .as_str()
            .is_some_and(|s| s.starts_with("error"))
    );
    assert!(
        json["text"]
            .as_str()
            .is_some_and(|t| t.contains("Renew it now"))
    );
}

#[test]
fn an_unknown_code_exits_2_listing_the_valid_ones() {
    domlife()
        .args(["explain", "expiring-soon"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(
            "unknown finding code \"expiring-soon\"",
        ))
        .stderr(predicate::str::contains(
            "expiring, expired, registry-auto-renewed",
        ))
        .stderr(predicate::str::contains("still-delegated"));
}
