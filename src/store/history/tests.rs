//! Runs and per-name results: begin, record, finish, the previous result
//! and a name's history.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;

use super::*;

fn day(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 6, 0, 0)
        .single()
        .unwrap()
}

fn record(expires: &str) -> Value {
    json!({"domain": "example.com", "registered": true, "expires": expires, "statuses": ["active"]})
}

/// Runs on days 1, 2 and 3; example.com is seen in runs 1 and 3 only.
fn three_runs(store: &Store) -> [RunId; 3] {
    let runs = [1, 2, 3].map(|n| store.begin_run(&format!("check run {n}"), day(n)).unwrap());
    store
        .record_result(
            runs[0],
            "example.com",
            &record("2027-01-01T00:00:00Z"),
            &json!([]),
            day(1),
        )
        .unwrap();
    store
        .record_result(
            runs[1],
            "example.net",
            &record("2027-06-01T00:00:00Z"),
            &json!([]),
            day(2),
        )
        .unwrap();
    store
        .record_result(
            runs[2],
            "example.com",
            &record("2028-01-01T00:00:00Z"),
            &json!([{"kind": "changed", "severity": "notice"}]),
            day(3),
        )
        .unwrap();
    store.finish_run(runs[0], true, day(1)).unwrap();
    store.finish_run(runs[1], false, day(2)).unwrap();
    runs
}

#[test]
fn run_ids_grow_with_each_run() {
    let store = Store::in_memory().unwrap();
    let [first, second, third] = three_runs(&store);
    assert!(first < second && second < third);
}

#[test]
fn previous_result_is_the_latest_from_an_earlier_run() {
    let store = Store::in_memory().unwrap();
    let runs = three_runs(&store);
    let previous = store.previous_result("example.com", runs[2]).unwrap();
    assert_eq!(
        previous,
        Some(StoredResult {
            run: runs[0],
            run_started_at: day(1),
            run_complete: true,
            domain: "example.com".to_owned(),
            record: record("2027-01-01T00:00:00Z"),
            findings: json!([]),
            as_of: day(1),
        })
    );
}

#[test]
fn the_previous_record_skips_results_without_one() {
    let store = Store::in_memory().unwrap();
    let runs = three_runs(&store);
    store
        .record_result(
            runs[1],
            "example.com",
            &Value::Null,
            &json!([{"code": "lookup-failed"}]),
            day(2),
        )
        .unwrap();
    let later = store.begin_run("check again", day(4)).unwrap();
    let latest = store.previous_result("example.com", later).unwrap();
    assert_eq!(latest.map(|result| result.run), Some(runs[2]));
    // Run 3's result has a record; before it, run 2's has none.
    let recorded = store.previous_record("example.com", runs[2]).unwrap();
    assert_eq!(recorded.map(|result| result.run), Some(runs[0]));
    assert_eq!(
        store
            .previous_result("example.com", runs[2])
            .unwrap()
            .map(|result| result.run),
        Some(runs[1])
    );
    assert_eq!(
        store
            .previous_record("example.com", runs[1])
            .unwrap()
            .map(|r| r.run),
        Some(runs[0])
    );
    assert_eq!(store.previous_record("example.com", runs[0]).unwrap(), None);
}

#[test]
fn a_name_never_seen_before_has_no_previous_result() {
    let store = Store::in_memory().unwrap();
    let runs = three_runs(&store);
    assert_eq!(store.previous_result("example.com", runs[0]).unwrap(), None);
    assert_eq!(store.previous_result("example.org", runs[2]).unwrap(), None);
}

#[test]
fn an_interrupted_run_counts_as_previous_and_says_so() {
    let store = Store::in_memory().unwrap();
    let runs = three_runs(&store);
    let later = store.begin_run("check again", day(4)).unwrap();
    let previous = store
        .previous_result("example.net", later)
        .unwrap()
        .unwrap();
    assert_eq!(previous.run, runs[1]);
    assert!(!previous.run_complete);
}

#[test]
fn history_lists_every_result_oldest_first() {
    let store = Store::in_memory().unwrap();
    let runs = three_runs(&store);
    let history = store.history("example.com").unwrap();
    let summary: Vec<_> = history
        .iter()
        .map(|result| {
            (
                result.run,
                result.record["expires"].clone(),
                result.run_complete,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (runs[0], json!("2027-01-01T00:00:00Z"), true),
            // Run 3 was never finished: still incomplete.
            (runs[2], json!("2028-01-01T00:00:00Z"), false),
        ]
    );
    assert_eq!(
        history[1].findings,
        json!([{"kind": "changed", "severity": "notice"}])
    );
    assert!(store.history("example.org").unwrap().is_empty());
}

#[test]
fn recording_a_name_twice_in_a_run_keeps_the_last() {
    let store = Store::in_memory().unwrap();
    let run = store.begin_run("check", day(1)).unwrap();
    for expires in ["2027-01-01T00:00:00Z", "2027-02-02T00:00:00Z"] {
        store
            .record_result(run, "example.com", &record(expires), &json!([]), day(1))
            .unwrap();
    }
    let history = store.history("example.com").unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].record["expires"], "2027-02-02T00:00:00Z");
}

#[test]
fn an_unknown_run_is_a_typed_error() {
    let store = Store::in_memory().unwrap();
    let real = store.begin_run("check", day(1)).unwrap();
    let unknown = RunId(real.0 + 41);
    let recorded = store.record_result(unknown, "example.com", &json!({}), &json!([]), day(1));
    assert!(matches!(recorded, Err(StoreError::UnknownRun { run }) if run == unknown.0));
    let finished = store.finish_run(unknown, true, day(1));
    assert!(matches!(finished, Err(StoreError::UnknownRun { run }) if run == unknown.0));
}

#[test]
fn a_run_reads_back_as_begun_then_as_finished() {
    let store = Store::in_memory().unwrap();
    let run = store
        .begin_run("check --fail-on error list.txt", day(1))
        .unwrap();
    let begun = RunInfo {
        id: run,
        started_at: day(1),
        finished_at: None,
        complete: false,
        args: "check --fail-on error list.txt".to_owned(),
    };
    assert_eq!(store.run(run).unwrap(), begun);
    store.finish_run(run, false, day(2)).unwrap();
    assert_eq!(
        store.run(run).unwrap(),
        RunInfo {
            finished_at: Some(day(2)),
            ..begun
        }
    );
    let unknown = RunId(run.0 + 1);
    assert!(matches!(
        store.run(unknown),
        Err(StoreError::UnknownRun { .. })
    ));
}

#[test]
fn finishing_a_run_records_completion() {
    let store = Store::in_memory().unwrap();
    let run = store.begin_run("check", day(1)).unwrap();
    store
        .record_result(run, "example.com", &json!({}), &json!([]), day(1))
        .unwrap();
    assert!(!store.history("example.com").unwrap()[0].run_complete);
    store.finish_run(run, true, day(2)).unwrap();
    assert!(store.history("example.com").unwrap()[0].run_complete);
}

#[test]
fn a_batch_is_recorded_whole_and_each_row_answers_for_itself() {
    let store = Store::in_memory().unwrap();
    let run = store.begin_run("check", day(1)).unwrap();
    let row = |domain: &str| NewResult {
        domain: domain.to_owned(),
        record: record("2027-01-01T00:00:00Z").to_string(),
        findings: "[]".to_owned(),
        phase: Some("active".to_owned()),
    };
    let recorded = store.record_results(run, vec![row("a.com"), row("b.com")], day(1));
    assert!(recorded.iter().all(Result::is_ok), "{recorded:?}");
    for domain in ["a.com", "b.com"] {
        assert_eq!(store.history(domain).unwrap().len(), 1, "{domain}");
    }

    let unknown = RunId(run.0 + 41);
    let recorded = store.record_results(unknown, vec![row("c.com"), row("d.com")], day(1));
    assert_eq!(recorded.len(), 2);
    assert!(
        recorded.iter().all(
            |outcome| matches!(outcome, Err(StoreError::UnknownRun { run }) if *run == unknown.0)
        ),
        "{recorded:?}"
    );
    assert!(store.history("c.com").unwrap().is_empty());
}
