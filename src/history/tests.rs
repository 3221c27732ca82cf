//! Tests of recording runs: notes the first time, `changed` findings with
//! their severities after, and failed lookups never taken as the previous
//! state.

use chrono::{Days, TimeDelta, TimeZone};
use rstest::rstest;

use super::*;
use crate::audit::{ErrorKind, Outcome, ResultError};
use crate::input::Intent;
use crate::reconcile::{Code, Finding, Severity};
use crate::record::{Record, Registrar};
use crate::status::Status;
use crate::testutil;

/// Records a whole run in `store` the way `check` does: starts it at `started`, compares and
/// records every result ([`record_results`]) and finishes it at `finished`
/// (`complete` false when the run was interrupted). `as_of` is the date the
/// audit judged the records at. Returns the run's id. On an error the run
/// stays unfinished (incomplete) with the results that could be recorded.
fn record_run(
    store: &Store,
    args_summary: &str,
    results: &mut [AuditResult],
    started: DateTime<Utc>,
    finished: DateTime<Utc>,
    complete: bool,
    as_of: DateTime<Utc>,
) -> Result<RunId, HistoryError> {
    let run = store.begin_run(args_summary, started)?;
    for outcome in record_results(store, run, results.iter_mut(), as_of) {
        outcome?;
    }
    store.finish_run(run, complete, finished)?;
    Ok(run)
}

fn day(n: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 6, 0, 0)
        .single()
        .unwrap_or_default()
        + Days::new(n)
}

/// Records `results` as a complete run on day `n`.
fn run_on(store: &Store, n: u64, results: &mut [AuditResult]) -> RunId {
    let started = day(n);
    record_run(
        store,
        &format!("check day {n}"),
        results,
        started,
        started + TimeDelta::minutes(5),
        true,
        started,
    )
    .unwrap()
}

/// (code, severity) of each finding, in order.
fn codes(result: &AuditResult) -> Vec<(Code, Severity)> {
    result
        .findings
        .iter()
        .map(|finding| (finding.code, finding.severity))
        .collect()
}

fn changed_messages(result: &AuditResult) -> Vec<(Severity, String)> {
    result
        .findings
        .iter()
        .filter(|finding| finding.code == Code::Changed)
        .map(|finding| (finding.severity, finding.message.clone()))
        .collect()
}

/// example.com's result as a failed lookup.
fn failed(mut result: AuditResult) -> AuditResult {
    result.outcome = Outcome::Failed;
    result.record = None;
    result.timeline = None;
    result.error = Some(ResultError {
        kind: ErrorKind::Unavailable,
        message: "rdap.example: HTTP 503".to_owned(),
    });
    result.findings = vec![Finding::lookup_failed("rdap.example: HTTP 503")];
    result
}

fn record_of(result: &mut AuditResult) -> &mut Record {
    result.record.as_mut().unwrap()
}

#[test]
fn a_first_run_notes_names_with_a_record_and_records_every_result() {
    let store = Store::in_memory().unwrap();
    let mut results = testutil::results();
    let expected = testutil::results();
    let run = run_on(&store, 0, &mut results);

    for (result, before) in results.iter().zip(&expected) {
        assert_eq!(result.findings, before.findings, "{}", result.domain);
        let first_time = result
            .notes
            .iter()
            .any(|note| note.contains("audited for the first time"));
        assert_eq!(first_time, before.record.is_some(), "{}", result.domain);
    }
    let info = store.run(run).unwrap();
    assert!(info.complete);
    assert_eq!(info.args, "check day 0");
    assert_eq!(info.finished_at, Some(day(0) + TimeDelta::minutes(5)));

    let held = store.history("held.org").unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].as_of, day(0));
    assert_eq!(held[0].record["statuses"][0], "serverHold");
    assert_eq!(held[0].findings[0]["code"], "on-hold");
    let failed = store.history("fail.net").unwrap();
    assert_eq!(failed.len(), 1);
    assert!(failed[0].record.is_null());
    assert_eq!(failed[0].findings[0]["code"], "lookup-failed");
}

#[test]
fn an_unchanged_second_run_has_no_change_and_no_note() {
    let store = Store::in_memory().unwrap();
    run_on(&store, 0, &mut testutil::results());
    let mut again = testutil::results();
    run_on(&store, 1, &mut again);
    assert_eq!(again[0].findings, testutil::results()[0].findings);
    assert!(again[0].notes.is_empty(), "{:?}", again[0].notes);
}

#[rstest]
#[case::hold_added(
    |r: &mut Record| r.statuses.push(Status::ClientHold),
    Severity::Error, "status added: clientHold")]
#[case::transfer_lock_removed(
    |r: &mut Record| r.statuses.clear(),
    Severity::Warning, "status removed: clientTransferProhibited")]
#[case::registrar(
    |r: &mut Record| r.registrar = Some(Registrar { name: Some("Other".to_owned()), iana_id: Some("1".to_owned()) }),
    Severity::Error, "registrar Example Registrar, Inc. (IANA 9999) -> Other (IANA 1)")]
#[case::renewed(
    |r: &mut Record| r.expires = r.expires.map(|e| e + Days::new(365)),
    Severity::Notice, "renewed: expiry moved from 2025-01-20 to 2026-01-20")]
#[case::expiry_moved_back(
    |r: &mut Record| r.expires = r.expires.map(|e| e - Days::new(30)),
    Severity::Warning, "expiry moved back from 2025-01-20 to 2024-12-21")]
#[case::gone(
    |r: &mut Record| r.registered = false,
    Severity::Error, "no longer registered")]
fn a_second_run_reports_what_changed(
    #[case] change: fn(&mut Record),
    #[case] severity: Severity,
    #[case] message: &str,
) {
    let store = Store::in_memory().unwrap();
    run_on(&store, 0, &mut testutil::results());
    let mut current = testutil::results();
    change(record_of(&mut current[0]));
    run_on(&store, 1, &mut current);

    let changed = changed_messages(&current[0]);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].0, severity);
    assert!(changed[0].1.contains(message), "{}", changed[0].1);
    assert!(current[0].notes.is_empty(), "{:?}", current[0].notes);
    // The other names did not change.
    assert_eq!(current[1].findings, testutil::results()[1].findings);
    // What was stored is the result with its change.
    let stored = store.history("example.com").unwrap();
    assert_eq!(stored.len(), 2);
    assert!(
        stored[1]
            .findings
            .as_array()
            .unwrap()
            .iter()
            .any(|finding| finding["code"] == "changed")
    );
}

#[test]
fn changes_are_sorted_worst_first_among_the_other_findings() {
    let store = Store::in_memory().unwrap();
    run_on(&store, 0, &mut testutil::results());
    let mut current = testutil::results();
    let record = record_of(&mut current[0]);
    record.statuses.push(Status::ServerHold);
    record.expires = record.expires.map(|e| e + Days::new(365));
    run_on(&store, 1, &mut current);
    assert_eq!(
        codes(&current[0]),
        [
            (Code::Changed, Severity::Error),
            (Code::Expiring, Severity::Warning),
            (Code::Changed, Severity::Notice),
        ]
    );
}

#[test]
fn a_name_to_drop_gets_notices_only() {
    let store = Store::in_memory().unwrap();
    run_on(&store, 0, &mut testutil::results());
    let mut current = testutil::results();
    current[0].input.intent = Intent::Drop;
    record_of(&mut current[0]).registered = false;
    run_on(&store, 1, &mut current);
    let changed = changed_messages(&current[0]);
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].0, Severity::Notice);
}

#[test]
fn a_failed_lookup_between_two_good_runs_is_not_the_previous_state() {
    let store = Store::in_memory().unwrap();
    run_on(&store, 0, &mut testutil::results());

    let mut down = testutil::results();
    down[0] = failed(down[0].clone());
    run_on(&store, 1, &mut down);
    // No record: nothing compared, no note, the failure kept as it was.
    assert_eq!(codes(&down[0]), [(Code::LookupFailed, Severity::Error)]);
    assert!(down[0].notes.is_empty());

    let mut back = testutil::results();
    record_of(&mut back[0]).statuses.push(Status::ServerHold);
    run_on(&store, 2, &mut back);
    let changed = changed_messages(&back[0]);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(changed[0].1.contains("status added: serverHold"));
    assert!(back[0].notes.is_empty(), "{:?}", back[0].notes);
    assert_eq!(store.history("example.com").unwrap().len(), 3);
}

#[test]
fn a_name_seen_only_as_failed_lookups_is_new_when_it_first_has_a_record() {
    let store = Store::in_memory().unwrap();
    let mut down = vec![failed(testutil::results()[0].clone())];
    run_on(&store, 0, &mut down);
    let mut up = vec![testutil::results()[0].clone()];
    run_on(&store, 1, &mut up);
    assert!(changed_messages(&up[0]).is_empty());
    assert!(
        up[0]
            .notes
            .iter()
            .any(|note| note.contains("audited for the first time"))
    );
}

#[test]
fn an_unreadable_previous_record_is_a_note_not_an_error() {
    let store = Store::in_memory().unwrap();
    let run = store.begin_run("by hand", day(0)).unwrap();
    store
        .record_result(
            run,
            "example.com",
            &serde_json::json!({ "statuses": "not a list" }),
            &serde_json::json!([]),
            day(0),
        )
        .unwrap();
    let mut current = vec![testutil::results()[0].clone()];
    run_on(&store, 1, &mut current);
    assert!(changed_messages(&current[0]).is_empty());
    assert!(
        current[0]
            .notes
            .iter()
            .any(|note| note.contains("unreadable")),
        "{:?}",
        current[0].notes
    );
}

#[test]
fn an_interrupted_run_is_recorded_as_incomplete() {
    let store = Store::in_memory().unwrap();
    let run = record_run(
        &store,
        "check",
        &mut testutil::results(),
        day(0),
        day(0),
        false,
        day(0),
    )
    .unwrap();
    assert!(!store.run(run).unwrap().complete);
}
