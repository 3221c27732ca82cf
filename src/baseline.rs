//! `check --baseline REPORT.json`: the records of an earlier run's JSON
//! report, to compare this run with ([`crate::changes`]). CI runners are
//! ephemeral; the last run's report, kept as an artifact, is their memory.
//!
//! Reading is deliberately lenient, since the report may come from an
//! older domlife: the whole document (`{"results": [...]}`, a bare list of
//! results, or `--format ndjson` lines) is read as JSON values, and each
//! result's `record` separately into a [`RecordSnapshot`], so one entry
//! this version cannot read costs that entry only. Beside the record, each
//! result's findings and phase are kept ([`Prior`]): notifications
//! (`--notify`) compare with them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::audit::AuditResult;
use crate::changes::apply_changes;
use crate::notify::Prior;

/// Why a baseline report cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file cannot be read: check the path and its permissions.
    #[error("cannot read the baseline {}: {reason}", path.display())]
    Unreadable { path: PathBuf, reason: String },
    /// The file is not a domlife report: pass the file an earlier
    /// `domlife check --format json` (or ndjson) run wrote.
    #[error("the baseline {} is not a domlife JSON report: {reason}", path.display())]
    NotAReport { path: PathBuf, reason: String },
}

/// What an earlier report recorded, by domain (A-label, lower case); the
/// record is `None` for a name it has without a usable one (its lookup
/// failed).
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    records: HashMap<String, Prior>,
}

impl Baseline {
    /// Reads a report file.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|error| BaselineError::Unreadable {
            path: path.to_owned(),
            reason: error.to_string(),
        })?;
        Baseline::parse(&text).map_err(|reason| BaselineError::NotAReport {
            path: path.to_owned(),
            reason,
        })
    }

    /// Reads a report's text; `Err` says why it is not a report.
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let results: Vec<Value> = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(mut report)) => match report.remove("results") {
                Some(Value::Array(results)) => results,
                _ => return Err("no \"results\" list".to_owned()),
            },
            Ok(Value::Array(results)) => results,
            Ok(_) => return Err("neither a report object nor a list of results".to_owned()),
            Err(whole) => text
                .lines()
                .filter(|line| !line.trim().is_empty())
                .map(serde_json::from_str::<Value>)
                .collect::<Result<_, _>>()
                .map_err(|_| format!("not JSON: {whole}"))?,
        };
        let mut records = HashMap::new();
        for result in &results {
            let Some(domain) = result.get("domain").and_then(Value::as_str) else {
                continue;
            };
            records.insert(
                domain.trim().to_lowercase(),
                Prior::from_report_result(result),
            );
        }
        if records.is_empty() && !results.is_empty() {
            return Err("no result names a domain".to_owned());
        }
        Ok(Baseline { records })
    }

    /// The number of names the report has.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when the report has no names at all.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Adds the `changed` findings of a result that has a record
    /// ([`apply_changes`]), or a note saying why there is nothing to compare.
    pub fn apply(&self, result: &mut AuditResult) {
        if result.record.is_none() {
            return;
        }
        match self
            .records
            .get(&result.domain.to_lowercase())
            .map(|prior| &prior.record)
        {
            None => result.notes.push(
                "not in the baseline report: audited for the first time, nothing to compare with"
                    .to_owned(),
            ),
            Some(None) => result.notes.push(
                "the baseline report has no record of it (not checked then): nothing to compare with"
                    .to_owned(),
            ),
            Some(Some(previous)) => apply_changes(result, previous),
        }
    }

    /// What the report said about `domain`, if it has it.
    pub fn prior(&self, domain: &str) -> Option<&Prior> {
        self.records.get(&domain.to_lowercase())
    }
}

#[cfg(test)]
mod tests;
