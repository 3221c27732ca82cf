//! What the run driver tells the rest of the program, and the one trait
//! that everything downstream of it implements.
//!
//! A run emits three events: it started (how many entries), results are
//! ready (a batch: the results that finished together), it ended (how).
//! Every output of a run is a [`Listener`] of these: the progress bar, the
//! history recorder, change detection against a baseline, the exit-status
//! tally, each report sink. Listeners are called in the order they were
//! registered and may add to a result (change detection adds `changed`
//! findings) before later ones see it; they never look anything up.

use std::io;
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::audit::{AsOf, AuditResult};
use crate::input::InputError;

/// A run about to look its first name up.
#[derive(Debug, Clone, Copy)]
pub struct RunStart {
    /// Entries in the list, duplicates merged (one result each).
    pub total: usize,
    pub started: DateTime<Utc>,
    pub as_of: AsOf,
}

/// One result and its place in the list.
#[derive(Debug)]
pub struct Finished {
    /// The entry's position in input order (from 0).
    pub index: usize,
    pub result: AuditResult,
}

/// Results that finished together.
#[derive(Debug)]
pub struct Batch {
    pub results: Vec<Finished>,
    /// False for the entries an interrupted run never reached, reported as
    /// not checked: they belong in reports, not in the history or the
    /// exit status.
    pub audited: bool,
}

/// How a run ended.
#[derive(Debug)]
pub enum Ending {
    /// Every entry was audited.
    Complete,
    /// Ctrl-C: the entries not audited were reported as not checked.
    Interrupted,
    /// A list could not be read again (it changed after the first pass):
    /// what was read is reported, the rest cannot be.
    Unreadable(InputError),
}

/// The end of a run.
#[derive(Debug)]
pub struct RunEnd {
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub ending: Ending,
}

impl RunEnd {
    /// Every entry was audited.
    pub fn is_complete(&self) -> bool {
        matches!(self.ending, Ending::Complete)
    }
}

/// An output that failed; the run stops there.
#[derive(Debug, thiserror::Error)]
pub enum ListenerError {
    /// Standard output cannot be written (a closed pipe is not an error).
    #[error("cannot write the output: {0}")]
    Output(#[source] io::Error),
    /// A `--report` file cannot be written.
    #[error("cannot write the report {}: {source}", path.display())]
    Report {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Something that follows a run: implement the events it cares about.
pub trait Listener: Send {
    /// The run is about to start.
    fn started(&mut self, _start: &RunStart) -> Result<(), ListenerError> {
        Ok(())
    }

    /// Results are ready, in the order they finished.
    fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError>;

    /// The run has ended; no more results will come.
    fn ended(&mut self, _end: &RunEnd) -> Result<(), ListenerError> {
        Ok(())
    }
}
