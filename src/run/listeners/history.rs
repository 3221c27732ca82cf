//! The history recorder: a live run's results go into the store as they
//! finish, each compared first with its name's previous recorded state,
//! which adds its `changed` findings ([`crate::history`]). The results that
//! finish together are recorded in one commit: per result, the commit
//! would cost more than the lookup.
//!
//! The store failing never fails the audit: the run goes on, unrecorded,
//! and says so.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};

use super::Warn;
use crate::history;
use crate::run::listener::{Batch, Listener, ListenerError, RunEnd, RunStart};
use crate::store::{RunId, Store};

/// Records a run in a store.
pub struct HistoryRecorder {
    store: Store,
    /// The command line, as the run's description in the store.
    summary: String,
    run: Option<RunId>,
    shared: RecordedRun,
    as_of: Option<DateTime<Utc>>,
    warn: Warn,
}

/// The run a [`HistoryRecorder`] records into, once it has begun: the
/// notifier ([`super::notify`]) marks it delivered after the run.
#[derive(Debug, Clone, Default)]
pub struct RecordedRun(Arc<Mutex<Option<RunId>>>);

impl RecordedRun {
    /// The run, when the store began one.
    pub fn get(&self) -> Option<RunId> {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn set(&self, run: Option<RunId>) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = run;
    }
}

impl HistoryRecorder {
    pub fn new(store: Store, summary: String, warn: Warn) -> HistoryRecorder {
        HistoryRecorder {
            store,
            summary,
            run: None,
            shared: RecordedRun::default(),
            as_of: None,
            warn,
        }
    }

    /// The store it records in.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Where the id of the run being recorded can be read.
    pub fn recorded_run(&self) -> RecordedRun {
        self.shared.clone()
    }
}

impl Listener for HistoryRecorder {
    fn started(&mut self, start: &RunStart) -> Result<(), ListenerError> {
        self.as_of = Some(start.as_of.instant());
        match self.store.begin_run(&self.summary, start.started) {
            Ok(run) => self.run = Some(run),
            Err(error) => {
                self.run = None;
                (self.warn)(&format!("this run is not recorded in the store: {error}"));
            }
        }
        self.shared.set(self.run);
        Ok(())
    }

    fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
        let (Some(run), Some(as_of), true) = (self.run, self.as_of, batch.audited) else {
            return Ok(());
        };
        let recorded = tokio::task::block_in_place(|| {
            let results = batch
                .results
                .iter_mut()
                .map(|finished| &mut finished.result);
            history::record_results(&self.store, run, results, as_of)
        });
        for (finished, outcome) in batch.results.iter().zip(recorded) {
            if let Err(error) = outcome {
                (self.warn)(&format!(
                    "{} is not recorded in the store: {error}",
                    finished.result.domain
                ));
            }
        }
        Ok(())
    }

    fn ended(&mut self, end: &RunEnd) -> Result<(), ListenerError> {
        if let Some(run) = self.run
            && let Err(error) = self.store.finish_run(run, end.is_complete(), Utc::now())
        {
            (self.warn)(&format!(
                "the run's end is not recorded in the store: {error}"
            ));
        }
        Ok(())
    }
}
