//! Change detection against an earlier report (`check --baseline`): each
//! audited result gets its `changed` findings, or a note when the
//! baseline has nothing to compare it with ([`crate::baseline`]).

use std::sync::Arc;

use crate::baseline::Baseline;
use crate::run::listener::{Batch, Listener, ListenerError};

/// Compares every audited result with `baseline`.
pub struct BaselineChanges {
    baseline: Arc<Baseline>,
}

impl BaselineChanges {
    /// Shared: the notifier compares with the same report.
    pub fn new(baseline: Arc<Baseline>) -> BaselineChanges {
        BaselineChanges { baseline }
    }
}

impl Listener for BaselineChanges {
    fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
        if batch.audited {
            for finished in &mut batch.results {
                self.baseline.apply(&mut finished.result);
            }
        }
        Ok(())
    }
}
