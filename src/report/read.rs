//! Reading a report back: the JSON document `check --format json` writes,
//! or a sharded run's ndjson stream (a `{"meta": ...}` line, then one
//! result a line), for `domlife merge`.
//!
//! Unlike a `--baseline`, which is read leniently for its records only,
//! a report to merge is read whole and strictly: every result must be a
//! result this version can write again, since it ends up in the merged
//! report as it is.

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use super::model::{Meta, Report, ShardInfo, StreamMeta};
use crate::audit::{AsOf, AuditResult};

/// A report read from a file.
#[derive(Debug, Clone)]
pub struct ReadReport {
    pub path: PathBuf,
    pub meta: ReadMeta,
    pub results: Vec<AuditResult>,
}

/// What a report says about its run, from either form.
#[derive(Debug, Clone)]
pub struct ReadMeta {
    pub as_of: AsOf,
    pub started: DateTime<Utc>,
    /// `None` for a stream, which ends without saying.
    pub finished: Option<DateTime<Utc>>,
    /// False when the run was interrupted. A stream does not say; its
    /// not-checked results do.
    pub complete: bool,
    pub shard: Option<ShardInfo>,
}

/// Why a file cannot be read as a report.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file cannot be read: check the path and its permissions.
    #[error("cannot read {}: {reason}", path.display())]
    Unreadable { path: PathBuf, reason: String },
    /// The file is not a report `check` wrote (or not one with a meta
    /// part: an unsharded ndjson stream has none; merge JSON reports).
    #[error("{} is not a domlife report: {reason}", path.display())]
    NotAReport { path: PathBuf, reason: String },
}

impl ReadMeta {
    /// The calendar day the audit was made for (an instant's UTC day).
    pub fn as_of_day(&self) -> NaiveDate {
        match self.as_of {
            AsOf::Day(day) => day,
            AsOf::Instant(instant) => instant.date_naive(),
        }
    }
}

impl ReadReport {
    /// Reads the report at `path`.
    pub fn read(path: &Path) -> Result<ReadReport, ReadError> {
        let text = std::fs::read_to_string(path).map_err(|error| ReadError::Unreadable {
            path: path.to_owned(),
            reason: error.to_string(),
        })?;
        ReadReport::parse(&text, path)
    }

    /// Reads a report's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<ReadReport, ReadError> {
        let not_a_report = |reason: String| ReadError::NotAReport {
            path: path.to_owned(),
            reason,
        };
        match serde_json::from_str::<Report>(text) {
            Ok(report) => Ok(ReadReport {
                path: path.to_owned(),
                meta: ReadMeta::from(report.meta),
                results: report.results,
            }),
            Err(whole) if text.trim_start().starts_with("{\"meta\":{") => read_stream(text, path)
                .map_err(|reason| not_a_report(format!("{reason} (as a JSON document: {whole})"))),
            Err(whole) => Err(not_a_report(whole.to_string())),
        }
    }
}

impl From<Meta> for ReadMeta {
    fn from(meta: Meta) -> ReadMeta {
        ReadMeta {
            as_of: meta.as_of,
            started: meta.started,
            finished: Some(meta.finished),
            complete: meta.complete,
            shard: meta.shard,
        }
    }
}

/// A sharded ndjson report: its meta line, then results.
fn read_stream(text: &str, path: &Path) -> Result<ReadReport, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty());
    let (_, first) = lines.next().ok_or("empty")?;
    let mut first: Value = serde_json::from_str(first).map_err(|error| error.to_string())?;
    let meta: StreamMeta = serde_json::from_value(first["meta"].take())
        .map_err(|error| format!("line 1: not a report's meta: {error}"))?;
    let mut results = Vec::new();
    for (index, line) in lines {
        let result: AuditResult = serde_json::from_str(line)
            .map_err(|error| format!("line {}: not a result: {error}", index + 1))?;
        results.push(result);
    }
    let complete = results
        .iter()
        .all(|result| result.outcome != crate::audit::Outcome::NotChecked);
    Ok(ReadReport {
        path: path.to_owned(),
        meta: ReadMeta {
            as_of: meta.as_of,
            started: meta.started,
            finished: None,
            complete,
            shard: Some(meta.shard),
        },
        results,
    })
}
