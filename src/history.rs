//! Audit history: what `check` records in the store at the end of a run, and
//! the `changed` findings each name gets against its previous recorded
//! state. Orchestration only: the store ([`crate::store`]) keeps the rows,
//! [`crate::changes`] says what differs and how much it matters.
//!
//! The previous state of a name is its latest result with a record from an
//! earlier run (interrupted runs included: what they saw was seen). Results
//! without a record (a failed lookup, an invalid line) are recorded too, so
//! `domlife history` shows them, but they are never what a later run is
//! compared with: a registry that was down must not make every name look
//! new, nor hide a change that happened meanwhile.
//!
//! Blocking (call it from `spawn_blocking`, or [`Store::call`], inside
//! async code): [`Store::begin_run`], [`record_results`] for the results as
//! they complete, then [`Store::finish_run`]. Each result gets its
//! `changed` findings (or a note) before it is stored, so record it before
//! writing the reports.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::audit::AuditResult;
use crate::changes::{RecordSnapshot, apply_changes};
use crate::store::{NewResult, RunId, Store, StoreError};

/// Why a run could not be recorded.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum HistoryError {
    /// The store failed; its own error says what to do about it. The run's
    /// reports are unaffected: only its history is missing.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A result could not be turned into JSON for the store. A bug in
    /// domlife: report it with the name.
    #[error("cannot encode the result of {domain} for the store: {detail}")]
    Encode { domain: String, detail: String },
}

/// Compares each result with its name's previous recorded state, adding the
/// `changed` findings (worst first, notices only for a name to drop) or a
/// note when there is nothing to compare with, then records them all in
/// `run` in one commit of the store: what a bulk run does with the results
/// that finish together. A result without a record is recorded as it is.
/// One outcome per result, in order; a result that fails costs only its
/// own record.
pub fn record_results<'a>(
    store: &Store,
    run: RunId,
    results: impl IntoIterator<Item = &'a mut AuditResult>,
    as_of: DateTime<Utc>,
) -> Vec<Result<(), HistoryError>> {
    let mut outcomes = Vec::new();
    let mut rows = Vec::new();
    let mut row_outcome = Vec::new();
    for result in results {
        match compare_and_encode(store, run, result) {
            Ok(row) => {
                row_outcome.push(outcomes.len());
                outcomes.push(Ok(()));
                rows.push(row);
            }
            Err(error) => outcomes.push(Err(error)),
        }
    }
    let written = store.record_results(run, rows, as_of);
    for (slot, outcome) in row_outcome.into_iter().zip(written) {
        outcomes[slot] = outcome.map_err(HistoryError::from);
    }
    outcomes
}

/// `result` compared with the store, with its `changed` findings, as the
/// row to record.
fn compare_and_encode(
    store: &Store,
    run: RunId,
    result: &mut AuditResult,
) -> Result<NewResult, HistoryError> {
    compare_with_previous(store, run, result)?;
    Ok(NewResult {
        domain: result.domain.clone(),
        record: encode(&result.domain, &result.record)?.to_string(),
        findings: encode(&result.domain, &result.findings)?.to_string(),
        phase: result.phase.map(|phase| phase.name().to_owned()),
    })
}

fn compare_with_previous(
    store: &Store,
    run: RunId,
    result: &mut AuditResult,
) -> Result<(), StoreError> {
    if result.record.is_none() {
        return Ok(());
    }
    let note = match store.previous_record(&result.domain, run)? {
        None => "no earlier record of it in the store: audited for the first time, nothing to \
                 compare with"
            .to_owned(),
        Some(previous) => match serde_json::from_value::<RecordSnapshot>(previous.record) {
            Ok(snapshot) => {
                apply_changes(result, &snapshot);
                return Ok(());
            }
            // A row this version cannot read costs this comparison only.
            Err(error) => format!(
                "the store's record of it from run {} is unreadable ({error}): nothing to \
                 compare with",
                previous.run
            ),
        },
    };
    result.notes.push(note);
    Ok(())
}

fn encode(domain: &str, value: &impl Serialize) -> Result<Value, HistoryError> {
    serde_json::to_value(value).map_err(|error| HistoryError::Encode {
        domain: domain.to_owned(),
        detail: error.to_string(),
    })
}

#[cfg(test)]
mod tests;
