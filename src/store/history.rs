//! Audit history: each `check` run and the result it produced per name, so a
//! later run can say what changed and `domlife history` can list a name's
//! states over time.
//!
//! Records and findings are stored as JSON values: this module does not know
//! their shape, so the audit can evolve them without a migration, and old
//! rows stay readable as plain JSON.

use std::fmt;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use serde_json::Value;

use super::cache::from_millis;
use super::error::{StoreError, database};
use super::handle::Store;

/// Identifies one run in one store. Ids grow with time and are never
/// reused, so they order runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RunId(pub(super) i64);

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A run as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunInfo {
    pub id: RunId,
    pub started_at: DateTime<Utc>,
    /// `None` while the run is going on, or when it died without finishing.
    pub finished_at: Option<DateTime<Utc>>,
    pub complete: bool,
    /// How it was invoked, as given to [`Store::begin_run`].
    pub args: String,
}

/// One name's result in one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredResult {
    pub run: RunId,
    pub run_started_at: DateTime<Utc>,
    /// False while the run is going on, and for a run that was interrupted.
    pub run_complete: bool,
    pub domain: String,
    pub record: Value,
    pub findings: Value,
    /// The date the audit judged the record at.
    pub as_of: DateTime<Utc>,
}

const RESULT_COLUMNS: &str = "results.run_id, runs.started_at, runs.complete, results.domain,
     results.record, results.findings, results.as_of";

impl Store {
    /// Starts a run at `now`; `args` is a short summary of how it was
    /// invoked, for `domlife history`. The run counts as incomplete until
    /// [`Store::finish_run`] says otherwise.
    pub fn begin_run(&self, args: &str, now: DateTime<Utc>) -> Result<RunId, StoreError> {
        let args = args.to_owned();
        self.write(move |connection| {
            connection
                .execute(
                    "INSERT INTO runs (started_at, args) VALUES (?1, ?2)",
                    params![now.timestamp_millis(), args],
                )
                .map_err(database("start a run"))?;
            Ok(RunId(connection.last_insert_rowid()))
        })
    }

    /// Records `domain`'s result in `run`, replacing one recorded earlier in
    /// the same run: [`Store::record_results`] with one row.
    pub fn record_result(
        &self,
        run: RunId,
        domain: &str,
        record: &Value,
        findings: &Value,
        as_of: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let row = NewResult {
            domain: domain.to_owned(),
            record: record.to_string(),
            findings: findings.to_string(),
            phase: None,
        };
        let outcomes = self.record_results(run, vec![row], as_of);
        outcomes.into_iter().next().unwrap_or_else(|| {
            Err(StoreError::TaskFailed {
                detail: "a write was dropped unanswered".to_owned(),
            })
        })
    }

    /// Records results of `run`, each replacing one recorded earlier for
    /// its name in the same run, in one commit, which a bulk run needs: a
    /// commit costs far more than the insert in it. One answer per row.
    pub fn record_results(
        &self,
        run: RunId,
        rows: Vec<NewResult>,
        as_of: DateTime<Utc>,
    ) -> Vec<Result<(), StoreError>> {
        let inserts = rows
            .into_iter()
            .map(|row| move |connection: &Connection| insert_result(connection, run, &row, as_of))
            .collect();
        self.write_all(inserts)
    }

    /// Ends `run` at `now`; `complete` is false when it was interrupted.
    pub fn finish_run(
        &self,
        run: RunId,
        complete: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(move |connection| {
            let changed = connection
                .execute(
                    "UPDATE runs SET finished_at = ?1, complete = ?2 WHERE id = ?3",
                    params![now.timestamp_millis(), complete, run.0],
                )
                .map_err(database("finish a run"))?;
            if changed == 0 {
                return Err(StoreError::UnknownRun { run: run.0 });
            }
            Ok(())
        })
    }

    /// The run `run`, as recorded so far.
    pub fn run(&self, run: RunId) -> Result<RunInfo, StoreError> {
        let row = self
            .lock()
            .query_row(
                "SELECT started_at, finished_at, complete, args FROM runs WHERE id = ?1",
                params![run.0],
                |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, Option<i64>>(1)?,
                        row.get::<_, bool>(2)?,
                        row.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()
            .map_err(database("read a run"))?;
        let (started_at, finished_at, complete, args) =
            row.ok_or(StoreError::UnknownRun { run: run.0 })?;
        Ok(RunInfo {
            id: run,
            started_at: from_millis(started_at)?,
            finished_at: finished_at.map(from_millis).transpose()?,
            complete,
            args,
        })
    }

    /// `domain`'s latest result from a run before `before` (interrupted runs
    /// included: what they saw was seen), or `None` for a name never
    /// audited before.
    pub fn previous_result(
        &self,
        domain: &str,
        before: RunId,
    ) -> Result<Option<StoredResult>, StoreError> {
        self.latest_before(domain, before, "")
    }

    /// Like [`Store::previous_result`], skipping results without a record
    /// (failed lookups, invalid lines): what a change is measured against.
    pub fn previous_record(
        &self,
        domain: &str,
        before: RunId,
    ) -> Result<Option<StoredResult>, StoreError> {
        self.latest_before(domain, before, "AND results.record <> 'null'")
    }

    fn latest_before(
        &self,
        domain: &str,
        before: RunId,
        condition: &str,
    ) -> Result<Option<StoredResult>, StoreError> {
        let row = self
            .lock()
            .query_row(
                &format!(
                    "SELECT {RESULT_COLUMNS} FROM results JOIN runs ON runs.id = results.run_id
                     WHERE results.domain = ?1 AND results.run_id < ?2 {condition}
                     ORDER BY results.run_id DESC LIMIT 1"
                ),
                params![domain, before.0],
                read_row,
            )
            .optional()
            .map_err(database("read the previous result"))?;
        row.map(ResultRow::into_result).transpose()
    }

    /// Every recorded result for `domain`, oldest run first.
    pub fn history(&self, domain: &str) -> Result<Vec<StoredResult>, StoreError> {
        let connection = self.lock();
        let mut statement = connection
            .prepare(&format!(
                "SELECT {RESULT_COLUMNS} FROM results JOIN runs ON runs.id = results.run_id
                 WHERE results.domain = ?1 ORDER BY results.run_id"
            ))
            .map_err(database("read a history"))?;
        let rows = statement
            .query_map(params![domain], read_row)
            .map_err(database("read a history"))?;
        rows.map(|row| row.map_err(database("read a history"))?.into_result())
            .collect()
    }
}

/// A `results` row joined with its run, before validation.
struct ResultRow {
    run: i64,
    run_started_at: i64,
    run_complete: bool,
    domain: String,
    record: String,
    findings: String,
    as_of: i64,
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<ResultRow> {
    Ok(ResultRow {
        run: row.get(0)?,
        run_started_at: row.get(1)?,
        run_complete: row.get(2)?,
        domain: row.get(3)?,
        record: row.get(4)?,
        findings: row.get(5)?,
        as_of: row.get(6)?,
    })
}

impl ResultRow {
    fn into_result(self) -> Result<StoredResult, StoreError> {
        Ok(StoredResult {
            run: RunId(self.run),
            run_started_at: from_millis(self.run_started_at)?,
            run_complete: self.run_complete,
            record: parse_json(&self.record, "record", &self.domain)?,
            findings: parse_json(&self.findings, "findings", &self.domain)?,
            domain: self.domain,
            as_of: from_millis(self.as_of)?,
        })
    }
}

fn parse_json(text: &str, column: &str, domain: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|error| StoreError::BadStoredValue {
        detail: format!("{column} of {domain}: {error}"),
    })
}

#[cfg(test)]
mod tests;

/// One result to record: the name, its record and findings as JSON text,
/// and the lifecycle phase it was in (`active`, `grace`..., `None` when
/// unknown).
#[derive(Debug, Clone)]
pub struct NewResult {
    pub domain: String,
    pub record: String,
    pub findings: String,
    pub phase: Option<String>,
}

fn insert_result(
    connection: &Connection,
    run: RunId,
    row: &NewResult,
    as_of: DateTime<Utc>,
) -> Result<(), StoreError> {
    let result = connection
        .prepare_cached(
            "INSERT OR REPLACE INTO results (run_id, domain, record, findings, as_of, phase)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )
        .and_then(|mut statement| {
            statement.execute(params![
                run.0,
                row.domain,
                row.record,
                row.findings,
                as_of.timestamp_millis(),
                row.phase,
            ])
        });
    match result {
        Ok(_) => Ok(()),
        Err(error)
            if error.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) =>
        {
            // The only constraint a well-formed insert can break is the
            // reference to `runs`.
            Err(StoreError::UnknownRun { run: run.0 })
        }
        Err(error) => Err(database("record a result")(error)),
    }
}
