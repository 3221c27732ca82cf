//! Data-driven test over every captured RDAP response in fixtures/rdap/:
//! each `NAME.json` must read as a domain, and every field its
//! `NAME.expect.json` lists must match what the reader found.
//!
//! Dates are compared as instants: the expectation holds the `eventDate`
//! string as written, read here by a parser independent of the crate's.
//! Statuses are compared as sets after `Status::parse`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domlife::rdap::{ParsedDomain, merge_registrar, parse_domain};
use domlife::record::{Protocol, Record, RegistrarError, Role, Source};
use domlife::status::Status;
use rstest::rstest;
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rdap")
}

fn file_source(path: &Path, role: Role) -> Source {
    Source {
        protocol: Protocol::Rdap,
        server: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned()),
        url: None,
        role,
    }
}

fn read(path: &Path, role: Role) -> ParsedDomain {
    let body = std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    parse_domain(&body, file_source(path, role))
        .unwrap_or_else(|error| panic!("{}: not read as a domain: {error}", path.display()))
}

fn expectation(path: &Path) -> serde_json::Map<String, Value> {
    let expect = path.with_extension("expect.json");
    let text = std::fs::read_to_string(&expect)
        .unwrap_or_else(|error| panic!("{}: {error}", expect.display()));
    match serde_json::from_str(&text) {
        Ok(Value::Object(fields)) => fields,
        other => panic!("{}: not a JSON object: {other:?}", expect.display()),
    }
}

/// Reads an expected date string on its own terms: RFC 3339, a `+0000`
/// offset, or no zone at all (UTC).
fn expected_instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .map(|instant| instant.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").map(|naive| naive.and_utc())
        })
        .or_else(|_| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(|date| date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc())
        })
        .unwrap_or_else(|error| panic!("expected date {text:?} unreadable: {error}"))
}

fn expected_date(value: &Value) -> Option<DateTime<Utc>> {
    value.as_str().map(expected_instant)
}

fn status_set<'a>(words: impl IntoIterator<Item = &'a str>) -> BTreeSet<Status> {
    words.into_iter().map(Status::parse).collect()
}

/// Every mismatch between `record`/`parsed` and the expectation, as
/// "field: expected X, found Y".
fn mismatches(parsed: &ParsedDomain, expected: &serde_json::Map<String, Value>) -> Vec<String> {
    let record = &parsed.record;
    let mut found = Vec::new();
    let mut check = |field: &str, want: String, got: String| {
        if want != got {
            found.push(format!("{field}: expected {want}, found {got}"));
        }
    };
    for (field, want) in expected {
        match field.as_str() {
            "domain" => check(field, format!("{want}"), format!("{:?}", record.domain)),
            "protocol" => check(
                field,
                format!("{want}"),
                format!(
                    "{}",
                    serde_json::to_value(record.source.protocol).unwrap_or_default()
                ),
            ),
            "registered" => check(field, format!("{want}"), format!("{}", record.registered)),
            "expires" => check(
                field,
                format!("{:?}", expected_date(want)),
                format!("{:?}", record.expires),
            ),
            "created" => check(
                field,
                format!("{:?}", expected_date(want)),
                format!("{:?}", record.created),
            ),
            "updated" => check(
                field,
                format!("{:?}", expected_date(want)),
                format!("{:?}", record.updated),
            ),
            "registrar_expires" => check(
                field,
                format!("{:?}", expected_date(want)),
                format!("{:?}", record.registrar_expires),
            ),
            "statuses" => {
                let words = want
                    .as_array()
                    .map(|words| words.iter().filter_map(Value::as_str).collect::<Vec<_>>())
                    .unwrap_or_default();
                let got: BTreeSet<Status> = record.statuses.iter().cloned().collect();
                check(
                    field,
                    format!("{:?}", status_set(words)),
                    format!("{got:?}"),
                );
            }
            "registrar" => check(
                field,
                format!("{:?}", want.as_str()),
                format!(
                    "{:?}",
                    record
                        .registrar
                        .as_ref()
                        .and_then(|registrar| registrar.name.as_deref())
                ),
            ),
            "registrar_iana_id" => check(
                field,
                format!("{:?}", want.as_str()),
                format!(
                    "{:?}",
                    record
                        .registrar
                        .as_ref()
                        .and_then(|registrar| registrar.iana_id.as_deref())
                ),
            ),
            "nameservers" => {
                let want: Vec<&str> = want
                    .as_array()
                    .map(|names| names.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                check(
                    field,
                    format!("{want:?}"),
                    format!("{:?}", record.nameservers),
                );
            }
            "dnssec" => check(
                field,
                format!("{:?}", want.as_bool()),
                format!("{:?}", record.dnssec),
            ),
            "registrar_rdap" => check(
                field,
                format!("{:?}", want.as_str()),
                format!("{:?}", parsed.registrar_rdap.as_deref()),
            ),
            // Provenance and lifecycle facts, not the reader's business.
            "note" | "server" | "phase" | "resolves" => {}
            other => check(
                other,
                "a field this test knows".into(),
                "an unknown field".into(),
            ),
        }
    }
    found
}

#[rstest]
fn every_expected_field_matches(
    #[files("fixtures/rdap/*.json")]
    #[exclude("\\.expect\\.json$")]
    path: PathBuf,
) {
    let parsed = read(&path, Role::Registry);
    let problems = mismatches(&parsed, &expectation(&path));
    assert!(
        problems.is_empty(),
        "{}:\n  {}",
        path.display(),
        problems.join("\n  ")
    );
}

#[test]
fn the_corpus_is_all_there() {
    let responses: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect()
        })
        .unwrap_or_default();
    let bodies: Vec<&PathBuf> = responses
        .iter()
        .filter(|path| {
            path.to_string_lossy().ends_with(".json")
                && !path.to_string_lossy().ends_with(".expect.json")
        })
        .collect();
    assert_eq!(
        bodies.len(),
        21,
        "fixtures/rdap should hold the 21 corpus responses"
    );
    for body in bodies {
        assert!(
            body.with_extension("expect.json").exists(),
            "{} has no expectation",
            body.display()
        );
    }
}

#[test]
fn no_response_produces_notes() {
    // The corpus is well-formed enough that every date and registrar reads;
    // a note here means the reader lost a field.
    for path in std::fs::read_dir(fixture_dir())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
    {
        let name = path.to_string_lossy();
        if !name.ends_with(".json") || name.ends_with(".expect.json") {
            continue;
        }
        let record: Record = read(&path, Role::Registry).record;
        let expected_notes: &[&str] = if name.contains("example.cz") || name.contains("nic.cz") {
            // CZ.NIC's registrar entities carry only a handle (REG-INTERNET-CZ),
            // no jCard and no IANA ID: the reader notes that.
            &["registrar entity"]
        } else {
            &[]
        };
        assert_eq!(
            record.notes.len(),
            expected_notes.len(),
            "{name}: {:?}",
            record.notes
        );
        for (note, part) in record.notes.iter().zip(expected_notes) {
            assert!(note.contains(part), "{name}: {note}");
        }
    }
}

/// Verisign's .com answer for google.com and MarkMonitor's, recorded in the
/// same session: the registry's `related` link leads to the registrar.
#[test]
fn registry_and_registrar_answers_merge() {
    let registry_path = fixture_dir().join("whoisit-recorded__verisign_google.com.json");
    let registrar_path = fixture_dir().join("whoisit-recorded__markmonitor_google.com.json");
    let registry = read(&registry_path, Role::Registry);
    assert_eq!(
        registry.registrar_rdap.as_deref(),
        Some("https://rdap.markmonitor.com/rdap/domain/GOOGLE.COM")
    );
    let registrar = read(&registrar_path, Role::Registrar);
    assert_eq!(
        registrar.self_link.as_deref(),
        Some("https://rdap.markmonitor.com/rdap/domain/google.com")
    );
    let mut record = registry.record;
    let registrar_source = file_source(&registrar_path, Role::Registrar);
    merge_registrar(
        &mut record,
        registrar_source.clone(),
        Ok::<_, RegistrarError>(registrar.record),
    );

    // MarkMonitor publishes no `registrar expiration` event: its own
    // `expiration` is the registrar's date, 21 hours before Verisign's.
    assert_eq!(
        record.registrar_expires,
        Some(expected_instant("2028-09-13T07:00:00.000+0000"))
    );
    assert_eq!(
        record.expires,
        Some(expected_instant("2028-09-14T04:00:00Z"))
    );
    assert_eq!(record.effective_expiry(), record.registrar_expires);
    let view = record
        .registrar_view
        .as_ref()
        .unwrap_or_else(|| panic!("no registrar view"));
    assert_eq!(view.source, registrar_source);
    assert_eq!(view.expires, record.registrar_expires);
    assert_eq!(view.error, None);
    assert_eq!(
        view.statuses.iter().cloned().collect::<BTreeSet<_>>(),
        record.statuses.iter().cloned().collect::<BTreeSet<_>>(),
        "both sides report the same six prohibitions"
    );
    assert!(record.notes.is_empty(), "{:?}", record.notes);
}

#[test]
fn a_registrar_answer_that_is_not_rdap_is_kept_as_an_error() {
    let registry_path = fixture_dir().join("whoisit-recorded__verisign_google.com.json");
    let mut record = read(&registry_path, Role::Registry).record;
    let source = file_source(Path::new("SOURCES.md"), Role::Registrar);
    let answer =
        parse_domain(b"<html>502 Bad Gateway</html>", source.clone()).map(|parsed| parsed.record);
    merge_registrar(&mut record, source, answer);
    let error = record
        .registrar_view
        .as_ref()
        .and_then(|view| view.error.as_ref());
    assert!(
        error.is_some_and(RegistrarError::is_unreadable),
        "{error:?}"
    );
    // The words are the evidence a person reads.
    let message = error.map_or("", RegistrarError::message);
    assert!(message.contains("502 Bad Gateway"), "{message}");
    assert_eq!(record.registrar_expires, None);
    assert_eq!(
        record.expires,
        Some(expected_instant("2028-09-14T04:00:00Z"))
    );
}
