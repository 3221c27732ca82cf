//! What each notify target (`--notify URL`) was told: the runs whose
//! states were delivered to it, so that a notification compares a run with
//! what its target last heard, never announces a change twice, and
//! announces an undelivered one again at the next run.
//!
//! A target is known by a key its caller derives from the URL (a hash):
//! webhook URLs carry their secret in the path or query, and the store
//! never holds one. Like the history (`history.rs`), records and findings
//! come back as JSON values whose shape this module does not know.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use serde_json::Value;

use super::cache::from_millis;
use super::error::{StoreError, database};
use super::handle::Store;
use super::history::RunId;

/// A name's result in a run that was delivered to a target.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveredResult {
    pub run: RunId,
    /// `null` when the name had no record (a failed lookup, an invalid line).
    pub record: Value,
    pub findings: Value,
    /// The lifecycle phase (`active`, `grace`...), when it was known and
    /// recorded (rows older than the phase column have none).
    pub phase: Option<String>,
}

impl Store {
    /// `domain`'s latest result among the runs delivered to `target`;
    /// with `with_record`, the latest that has a record. `None` when the
    /// target was never told about the name.
    pub fn delivered_result(
        &self,
        target: &str,
        domain: &str,
        with_record: bool,
    ) -> Result<Option<DeliveredResult>, StoreError> {
        let condition = if with_record {
            "AND results.record <> 'null'"
        } else {
            ""
        };
        let row = self
            .lock()
            .query_row(
                &format!(
                    "SELECT results.run_id, results.record, results.findings, results.phase
                     FROM results JOIN deliveries
                       ON deliveries.run_id = results.run_id AND deliveries.target = ?1
                     WHERE results.domain = ?2 {condition}
                     ORDER BY results.run_id DESC LIMIT 1"
                ),
                params![target, domain],
                |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, Option<String>>(3)?,
                    ))
                },
            )
            .optional()
            .map_err(database("read what a notify target was told"))?;
        row.map(|(run, record, findings, phase)| {
            Ok(DeliveredResult {
                run: RunId(run),
                record: parse(&record, domain)?,
                findings: parse(&findings, domain)?,
                phase,
            })
        })
        .transpose()
    }

    /// Remembers that `run`'s states were delivered to `target` at `now`.
    pub fn mark_delivered(
        &self,
        target: &str,
        run: RunId,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let target = target.to_owned();
        self.write(move |connection| {
            connection
                .execute(
                    "INSERT OR REPLACE INTO deliveries (target, run_id, delivered_at)
                     VALUES (?1, ?2, ?3)",
                    params![target, run.0, now.timestamp_millis()],
                )
                .map_err(|error| {
                    if error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
                        StoreError::UnknownRun { run: run.0 }
                    } else {
                        database("remember a delivery")(error)
                    }
                })?;
            Ok(())
        })
    }

    /// The latest run delivered to `target`, and when.
    pub fn last_delivery(
        &self,
        target: &str,
    ) -> Result<Option<(RunId, DateTime<Utc>)>, StoreError> {
        let row = self
            .lock()
            .query_row(
                "SELECT run_id, delivered_at FROM deliveries WHERE target = ?1
                 ORDER BY run_id DESC LIMIT 1",
                params![target],
                |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)),
            )
            .optional()
            .map_err(database("read the last delivery"))?;
        row.map(|(run, at)| Ok((RunId(run), from_millis(at)?)))
            .transpose()
    }
}

fn parse(text: &str, domain: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|error| StoreError::BadStoredValue {
        detail: format!("delivered result of {domain}: {error}"),
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;

    use super::*;
    use crate::store::NewResult;

    fn day(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 6, 0, 0)
            .single()
            .unwrap()
    }

    fn run_with(store: &Store, day_of: u32, record: Value, phase: Option<&str>) -> RunId {
        let run = store.begin_run("check", day(day_of)).unwrap();
        let row = NewResult {
            domain: "example.com".to_owned(),
            record: record.to_string(),
            findings: json!([{"code": "grace"}]).to_string(),
            phase: phase.map(str::to_owned),
        };
        let recorded = store.record_results(run, vec![row], day(day_of));
        assert!(recorded.iter().all(Result::is_ok));
        store.finish_run(run, true, day(day_of)).unwrap();
        run
    }

    #[test]
    fn a_target_sees_only_the_runs_delivered_to_it() {
        let store = Store::in_memory().unwrap();
        let first = run_with(&store, 1, json!({"registered": true}), Some("active"));
        let failed = run_with(&store, 2, Value::Null, None);
        let third = run_with(&store, 3, json!({"registered": false}), Some("released"));
        assert_eq!(
            store.delivered_result("a", "example.com", false).unwrap(),
            None
        );

        store.mark_delivered("a", first, day(1)).unwrap();
        store.mark_delivered("a", failed, day(2)).unwrap();
        store.mark_delivered("b", third, day(3)).unwrap();
        let latest = store
            .delivered_result("a", "example.com", false)
            .unwrap()
            .unwrap();
        assert_eq!((latest.run, latest.record.clone()), (failed, Value::Null));
        let with_record = store
            .delivered_result("a", "example.com", true)
            .unwrap()
            .unwrap();
        assert_eq!(with_record.run, first);
        assert_eq!(with_record.phase.as_deref(), Some("active"));
        assert_eq!(with_record.findings, json!([{"code": "grace"}]));
        let other = store
            .delivered_result("b", "example.com", true)
            .unwrap()
            .unwrap();
        assert_eq!(other.run, third);
        assert_eq!(store.last_delivery("a").unwrap(), Some((failed, day(2))));
        assert_eq!(store.last_delivery("c").unwrap(), None);
    }

    #[test]
    fn a_delivery_of_an_unknown_run_is_refused() {
        let store = Store::in_memory().unwrap();
        let refused = store.mark_delivered("a", RunId(41), day(1));
        assert!(
            matches!(refused, Err(StoreError::UnknownRun { run: 41 })),
            "{refused:?}"
        );
    }
}
