//! [`Prior`]: what an earlier audit said about one name, as much as a
//! notification compares with: whether its lookup failed, its record, its
//! findings and its phase. Read from the store's delivered results or from
//! a result of an earlier JSON report (`--baseline`), leniently: a part this
//! version cannot read is left out, never a reason to fail the run.

use serde::Deserialize;
use serde_json::Value;

use crate::audit::AuditResult;
use crate::changes::RecordSnapshot;
use crate::lifecycle::Phase;
use crate::reconcile::{Code, Severity};
use crate::store::DeliveredResult;

/// One finding of an earlier audit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PriorFinding {
    pub code: Code,
    pub severity: Severity,
    #[serde(default)]
    pub message: String,
}

/// What an earlier audit said about a name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prior {
    /// The latest earlier state had no record: why (its `lookup-failed`
    /// message). The fields below are then those of the latest state
    /// that had one, if any.
    pub failure: Option<String>,
    pub record: Option<RecordSnapshot>,
    /// Its findings (`changed` ones included; the comparison skips them).
    pub findings: Vec<PriorFinding>,
    pub phase: Option<Phase>,
}

impl Prior {
    /// From the store: `latest` is the name's latest delivered result,
    /// `with_record` its latest delivered result with a record (the same
    /// one when `latest` has a record).
    pub fn from_delivered(
        latest: &DeliveredResult,
        with_record: Option<&DeliveredResult>,
    ) -> Prior {
        let mut prior = with_record.map_or_else(Prior::default, |state| {
            Prior::from_parts(&state.record, &state.findings, state.phase.as_deref())
        });
        if latest.record.is_null() {
            prior.failure = Some(failure_of(&latest.findings));
        }
        prior
    }

    /// From one result of a `check --format json` (or ndjson) report.
    pub fn from_report_result(result: &Value) -> Prior {
        let record = result.get("record").unwrap_or(&Value::Null);
        let findings = result.get("findings").unwrap_or(&Value::Null);
        let phase = result.get("phase").and_then(Value::as_str);
        let mut prior = Prior::from_parts(record, findings, phase);
        if prior.record.is_none() {
            prior.failure = Some(failure_of(findings));
        }
        prior
    }

    /// What `result` says, as a target told about it knows it.
    pub fn of(result: &AuditResult) -> Prior {
        let findings: Vec<PriorFinding> = result
            .findings
            .iter()
            .map(|finding| PriorFinding {
                code: finding.code,
                severity: finding.severity,
                message: finding.message.clone(),
            })
            .collect();
        let failure = result.record.is_none().then(|| {
            findings
                .iter()
                .find(|finding| finding.code == Code::LookupFailed)
                .map_or_else(|| "could not be checked".to_owned(), |f| f.message.clone())
        });
        Prior {
            failure,
            record: result.record.as_ref().map(RecordSnapshot::from),
            findings,
            phase: result.phase,
        }
    }

    /// What a target knows once told `self` after `previous`: `self`, or,
    /// when its lookup failed, the earlier state marked failed (as the store
    /// keeps it).
    pub fn after(self, previous: Option<&Prior>) -> Prior {
        match (&self.failure, previous) {
            (Some(failure), Some(previous)) => Prior {
                failure: Some(failure.clone()),
                ..previous.clone()
            },
            _ => self,
        }
    }

    fn from_parts(record: &Value, findings: &Value, phase: Option<&str>) -> Prior {
        Prior {
            failure: None,
            record: record
                .is_object()
                .then(|| serde_json::from_value(record.clone()).ok())
                .flatten(),
            findings: findings
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|finding| serde_json::from_value(finding.clone()).ok())
                .collect(),
            phase: phase
                .and_then(|phase| serde_json::from_value(Value::String(phase.to_owned())).ok()),
        }
    }
}

/// The message of a failed state's `lookup-failed` finding.
fn failure_of(findings: &Value) -> String {
    findings
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|finding| serde_json::from_value::<PriorFinding>(finding.clone()).ok())
        .find(|finding| finding.code == Code::LookupFailed)
        .map_or_else(
            || "could not be checked".to_owned(),
            |finding| finding.message,
        )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_report_result_is_read_leniently() {
        let prior = Prior::from_report_result(&json!({
            "domain": "example.com",
            "record": {"registered": true, "statuses": ["serverHold"], "unknown": 1},
            "phase": "redemption",
            "findings": [
                {"code": "on-hold", "severity": "error", "message": "held"},
                {"code": "from-the-future", "severity": "error", "message": "?"},
                {"code": "grace", "severity": "catastrophic"}
            ]
        }));
        assert_eq!(prior.failure, None);
        assert_eq!(prior.phase, Some(Phase::Redemption));
        assert_eq!(
            prior.findings,
            [PriorFinding {
                code: Code::OnHold,
                severity: Severity::Error,
                message: "held".to_owned()
            }]
        );
        assert_eq!(prior.record.map(|record| record.statuses.len()), Some(1));
    }

    #[test]
    fn a_failure_told_after_a_state_keeps_that_state() {
        let results = crate::testutil::results();
        let held = Prior::of(&results[1]);
        assert_eq!(held.failure, None);
        assert_eq!(held.findings.len(), 2);
        let down = Prior::of(&results[3]);
        assert_eq!(
            down.failure.as_deref(),
            Some("could not be checked: rdap.example: HTTP 503")
        );
        let known = down.clone().after(Some(&held));
        assert_eq!(known.failure, down.failure);
        assert_eq!(
            (known.record, known.findings),
            (held.record.clone(), held.findings.clone())
        );
        assert_eq!(
            held.clone().after(Some(&down)),
            held,
            "a good state replaces a failure"
        );
        assert_eq!(down.clone().after(None), down);
    }

    #[test]
    fn a_failed_result_keeps_why_and_the_state_before_it() {
        let failed = Prior::from_report_result(&json!({
            "record": null,
            "findings": [{"code": "lookup-failed", "severity": "error", "message": "could not be checked: timeout"}]
        }));
        assert_eq!(
            failed.failure.as_deref(),
            Some("could not be checked: timeout")
        );
        assert!(failed.record.is_none());

        let store = crate::store::Store::in_memory().unwrap();
        let run = store.begin_run("check", chrono::Utc::now()).unwrap();
        let delivered = |record: Value, phase: Option<&str>| DeliveredResult {
            run,
            record,
            findings: json!([{"code": "lookup-failed", "severity": "error", "message": "down"}]),
            phase: phase.map(str::to_owned),
        };
        let latest = delivered(Value::Null, None);
        let earlier = delivered(json!({"registered": true}), Some("grace"));
        let prior = Prior::from_delivered(&latest, Some(&earlier));
        assert_eq!(prior.failure.as_deref(), Some("down"));
        assert_eq!(prior.phase, Some(Phase::Grace));
        assert!(prior.record.is_some());
    }
}
