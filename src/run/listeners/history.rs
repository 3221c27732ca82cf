//! The history recorder: a live run's results go into the store as they
//! finish, each compared first with its name's previous recorded state,
//! which adds its `changed` findings ([`crate::history`]). The results that
//! finish together are recorded in one commit: per result, the commit
//! would cost more than the lookup.
//!
//! The store failing never fails the audit: the run goes on, unrecorded,
//! and says so.

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
    as_of: Option<DateTime<Utc>>,
    warn: Warn,
}

impl HistoryRecorder {
    pub fn new(store: Store, summary: String, warn: Warn) -> HistoryRecorder {
        HistoryRecorder {
            store,
            summary,
            run: None,
            as_of: None,
            warn,
        }
    }
}

impl Listener for HistoryRecorder {
    fn started(&mut self, start: &RunStart) -> Result<(), ListenerError> {
        self.as_of = Some(start.as_of.instant());
        match self.store.begin_run(&self.summary, start.started) {
            Ok(run) => self.run = Some(run),
            Err(error) => (self.warn)(&format!("this run is not recorded in the store: {error}")),
        }
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
