//! `domlife history DOMAIN` over a store file filled through the library:
//! the states oldest first in both formats, a name never seen, and a store
//! that does not exist (an error, never created).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::{DateTime, TimeZone, Utc};
use domlife::reconcile::{Code, Evidence, Finding, Severity};
use domlife::record::{Protocol, Record, Registrar, Role, Source};
use domlife::status::Status;
use domlife::store::Store;
use predicates::prelude::*;
use serde_json::{Value, json};

fn day(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 6, 0, 0)
        .single()
        .unwrap()
}

fn record(registrar: &str, iana_id: &str, statuses: Vec<Status>) -> Record {
    let mut record = Record::new(
        "example.com",
        Source {
            protocol: Protocol::Rdap,
            server: Some("rdap.example".to_owned()),
            url: None,
            role: Role::Registry,
        },
    );
    record.expires = Some(day(20) + chrono::Days::new(365));
    record.statuses = statuses;
    record.registrar = Some(Registrar {
        name: Some(registrar.to_owned()),
        iana_id: Some(iana_id.to_owned()),
    });
    record
}

fn findings(findings: &[Finding]) -> Value {
    serde_json::to_value(findings).unwrap()
}

/// example.com over four runs: a good one, a failed lookup, a transfer to
/// another registrar, and an interrupted run with a hold; other.org once.
fn filled_store(directory: &Path) -> PathBuf {
    let path = directory.join("domlife.sqlite3");
    let store = Store::open(&path).unwrap();
    let record_run = |started: DateTime<Utc>, complete: bool, entries: &[(&str, Value, Value)]| {
        let run = store.begin_run("check domains.txt", started).unwrap();
        for (domain, record, findings) in entries {
            store
                .record_result(run, domain, record, findings, started)
                .unwrap();
        }
        store.finish_run(run, complete, started).unwrap();
    };
    let first = record(
        "Example Registrar, Inc.",
        "9999",
        vec![Status::ClientTransferProhibited],
    );
    record_run(
        day(1),
        true,
        &[
            (
                "example.com",
                serde_json::to_value(&first).unwrap(),
                json!([]),
            ),
            (
                "other.org",
                serde_json::to_value(&first).unwrap(),
                json!([]),
            ),
        ],
    );
    record_run(
        day(2),
        true,
        &[(
            "example.com",
            Value::Null,
            findings(&[Finding::lookup_failed("rdap.example: HTTP 503")]),
        )],
    );
    let moved = record(
        "Other Registrar",
        "1",
        vec![Status::ClientTransferProhibited],
    );
    let transfer = Finding::new(
        Code::Changed,
        Severity::Error,
        "changed since the last audit: registrar Example Registrar, Inc. (IANA 9999) -> Other Registrar (IANA 1)",
        Evidence::default(),
    );
    record_run(
        day(3),
        true,
        &[(
            "example.com",
            serde_json::to_value(&moved).unwrap(),
            findings(&[transfer]),
        )],
    );
    let held = record(
        "Other Registrar",
        "1",
        vec![Status::ClientTransferProhibited, Status::ServerHold],
    );
    record_run(
        day(4),
        false,
        &[(
            "example.com",
            serde_json::to_value(&held).unwrap(),
            json!([]),
        )],
    );
    path
}

fn domlife() -> Command {
    Command::cargo_bin("domlife").unwrap()
}

#[test]
fn the_table_lists_every_state_oldest_first() {
    let directory = tempfile::tempdir().unwrap();
    let store = filled_store(directory.path());
    let output = domlife()
        .args(["history", "example.com", "--store"])
        .arg(&store)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    let position = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in\n{text}"))
    };
    assert!(position("2026-11-01T06:00:00Z") < position("2026-11-02T06:00:00Z"));
    assert!(position("2026-11-02T06:00:00Z") < position("2026-11-03T06:00:00Z"));
    assert!(position("Example Registrar, Inc. (IANA 9999)") < position("Other Registrar (IANA 1)"));
    assert!(position("lookup-failed (error)") < position("changed (error)"));
    assert!(position("no record") > position("2026-11-02T06:00:00Z"));
    position("2026-11-04T06:00:00Z (interrupted)");
    position("serverHold");
    position("2027-11-20");
    assert!(!text.contains("other.org"));
}

#[test]
fn json_gives_each_state_with_its_record_and_findings() {
    let directory = tempfile::tempdir().unwrap();
    let store = filled_store(directory.path());
    let output = domlife()
        .args(["history", "EXAMPLE.com.", "--format", "json", "--store"])
        .arg(&store)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let history: Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(history["domain"], "example.com");
    let entries = history["entries"].as_array().unwrap();
    let column = |key: &str| -> Vec<Value> { entries.iter().map(|e| e[key].clone()).collect() };
    assert_eq!(
        column("registered"),
        [json!(true), Value::Null, json!(true), json!(true)]
    );
    assert_eq!(
        column("registrar"),
        [
            json!("Example Registrar, Inc. (IANA 9999)"),
            Value::Null,
            json!("Other Registrar (IANA 1)"),
            json!("Other Registrar (IANA 1)")
        ]
    );
    assert_eq!(
        column("run_complete"),
        [json!(true), json!(true), json!(true), json!(false)]
    );
    assert_eq!(
        entries[3]["statuses"],
        json!(["clientTransferProhibited", "serverHold"])
    );
    assert_eq!(entries[1]["findings"][0]["code"], "lookup-failed");
    assert_eq!(entries[2]["findings"][0]["severity"], "error");
    assert_eq!(entries[0]["expires"], "2027-11-20T06:00:00Z");
    assert_eq!(entries[0]["as_of"], "2026-11-01T06:00:00Z");
}

#[test]
fn the_name_is_normalised_like_everywhere_else() {
    let directory = tempfile::tempdir().unwrap();
    let store = filled_store(directory.path());
    domlife()
        .args(["history", "https://www.Other.ORG/path", "--store"])
        .arg(&store)
        .assert()
        .success()
        .stdout(predicate::str::contains("other.org").and(predicate::str::contains("IANA 9999")));
}

#[test]
fn a_name_never_recorded_says_so_and_succeeds() {
    let directory = tempfile::tempdir().unwrap();
    let store = filled_store(directory.path());
    domlife()
        .args(["history", "never.net", "--store"])
        .arg(&store)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("no recorded audit of never.net"));
    let output = domlife()
        .args(["history", "never.net", "--format", "json", "--store"])
        .arg(&store)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let history: Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(history["entries"], json!([]));
}

#[test]
fn a_missing_store_is_an_error_naming_it_and_is_not_created() {
    let directory = tempfile::tempdir().unwrap();
    let missing = directory.path().join("nowhere.sqlite3");
    domlife()
        .args(["history", "example.com", "--store"])
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(missing.display().to_string()));
    assert!(!missing.exists());
}

#[test]
fn a_file_that_is_not_a_store_or_a_bad_name_is_bad_input() {
    let directory = tempfile::tempdir().unwrap();
    let not_a_store = directory.path().join("notes.txt");
    std::fs::write(&not_a_store, "these are not the rows you are looking for\n").unwrap();
    domlife()
        .args(["history", "example.com", "--store"])
        .arg(&not_a_store)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("notes.txt"));
    let store = filled_store(directory.path());
    domlife()
        .args(["history", "not a name", "--store"])
        .arg(&store)
        .assert()
        .code(2);
}
