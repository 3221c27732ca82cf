//! Tests of reading baselines and applying them to results.

use super::*;
use crate::input::Intent;
use crate::reconcile::{Code, Severity};
use crate::testutil;

fn report_of(results: &[AuditResult]) -> String {
    serde_json::json!({ "complete": true, "results": results }).to_string()
}

#[test]
fn a_json_report_of_this_version_reads_back() {
    let results = testutil::results();
    let baseline = Baseline::parse(&report_of(&results)).expect("a report");
    assert_eq!(baseline.len(), 4);
    // Nothing changed: no finding, no note.
    let mut again = results[0].clone();
    baseline.apply(&mut again);
    assert_eq!(again.findings, results[0].findings);
    assert_eq!(again.notes, results[0].notes);
}

#[test]
fn ndjson_and_bare_lists_read_too() {
    let results = testutil::results();
    let ndjson: String = results
        .iter()
        .map(|result| serde_json::to_string(result).unwrap_or_default() + "\n")
        .collect();
    assert_eq!(Baseline::parse(&ndjson).map(|b| b.len()), Ok(4));
    let list = serde_json::to_string(&results).unwrap_or_default();
    assert_eq!(Baseline::parse(&list).map(|b| b.len()), Ok(4));
}

#[test]
fn not_a_report_says_why() {
    assert!(Baseline::parse("{\"version\": 1}").is_err_and(|why| why.contains("results")));
    assert!(Baseline::parse("<html>").is_err_and(|why| why.contains("not JSON")));
    assert!(Baseline::parse("[{\"name\": \"x\"}]").is_err());
}

#[test]
fn changes_become_findings_worst_first_and_new_names_get_a_note() {
    let previous = testutil::results();
    let baseline = Baseline::parse(&report_of(&previous[..1])).expect("a report");
    let mut current = testutil::results();
    if let Some(record) = current[0].record.as_mut() {
        record.statuses.push(crate::status::Status::ClientHold);
    }
    baseline.apply(&mut current[0]);
    let codes: Vec<(Code, Severity)> = current[0]
        .findings
        .iter()
        .map(|finding| (finding.code, finding.severity))
        .collect();
    assert_eq!(
        codes,
        [
            (Code::Changed, Severity::Error),
            (Code::Expiring, Severity::Warning)
        ]
    );
    baseline.apply(&mut current[1]);
    assert!(
        current[1]
            .findings
            .iter()
            .all(|finding| finding.code != Code::Changed)
    );
    assert!(
        current[1]
            .notes
            .iter()
            .any(|note| note.contains("not in the baseline"))
    );
}

#[test]
fn a_name_to_drop_gets_notices_only() {
    let previous = testutil::results();
    let baseline = Baseline::parse(&report_of(&previous)).expect("a report");
    let mut current = testutil::results()[0].clone();
    current.input.intent = Intent::Drop;
    if let Some(record) = current.record.as_mut() {
        record.registered = false;
    }
    baseline.apply(&mut current);
    let changed: Vec<Severity> = current
        .findings
        .iter()
        .filter(|finding| finding.code == Code::Changed)
        .map(|finding| finding.severity)
        .collect();
    assert_eq!(changed, [Severity::Notice]);
}
