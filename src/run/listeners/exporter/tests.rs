use super::*;
use crate::run::listener::{Finished, Signal};
use crate::testutil;

fn run(state: &ExporterState, results: &[AuditResult], ending: Ending) {
    let mut exporter = Exporter::new(state.clone());
    let start = RunStart {
        total: results.len(),
        started: testutil::as_of(),
        as_of: AsOf::Instant(testutil::as_of()),
    };
    exporter.started(&start).unwrap();
    assert!(state.snapshot().running_since.is_some());
    // Out of order, as a driver delivers them.
    let mut batch = Batch {
        results: results
            .iter()
            .cloned()
            .enumerate()
            .rev()
            .map(|(index, result)| Finished { index, result })
            .collect(),
        audited: true,
    };
    exporter.results(&mut batch).unwrap();
    let end = RunEnd {
        started: start.started,
        finished: start.started + chrono::Duration::seconds(90),
        ending,
        failed_outputs: Vec::new(),
    };
    exporter.ended(&end).unwrap();
    assert!(state.snapshot().running_since.is_none());
}

#[test]
fn a_complete_audit_is_served_whole_as_the_report_writes_it() {
    let state = ExporterState::default();
    assert!(state.snapshot().last.is_none());
    let results = testutil::results();
    run(&state, &results, Ending::Complete);
    let snapshot = state.snapshot();
    let last = snapshot.last.unwrap();
    let mut expected = Vec::new();
    report::write_all(
        ReportFormat::Prometheus,
        &mut expected,
        &testutil::report(),
        &testutil::context(None),
    )
    .unwrap();
    assert_eq!(
        last.exposition.as_str(),
        String::from_utf8(expected).unwrap()
    );
    assert_eq!(last.duration(), Duration::from_secs(90));
    assert_eq!(
        (last.counts.checked, last.counts.failed, last.counts.invalid),
        (2, 1, 1)
    );
    assert_eq!(snapshot.audits.get("complete"), Some(&1));
}

#[test]
fn an_interrupted_audit_leaves_the_last_complete_one_in_place() {
    let state = ExporterState::default();
    let results = testutil::results();
    run(&state, &results, Ending::Complete);
    let before = state.snapshot().last.unwrap().exposition;
    run(
        &state,
        &results[..1],
        Ending::Interrupted(Signal::Terminate),
    );
    let snapshot = state.snapshot();
    assert!(Arc::ptr_eq(&snapshot.last.unwrap().exposition, &before));
    assert_eq!(snapshot.audits.get("interrupted"), Some(&1));
    assert_eq!(snapshot.audits.get("complete"), Some(&1));
}
