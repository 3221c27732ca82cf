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
use crate::notify::SendError;

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
    /// Ctrl-C (SIGINT) or SIGTERM: the entries not audited were reported
    /// as not checked.
    Interrupted(Signal),
    /// Standard output was closed by its reader: the run stopped there,
    /// the entries not audited reported as not checked to the other
    /// outputs.
    OutputClosed,
    /// A list could not be read again (it changed after the first pass):
    /// what was read is reported, the rest cannot be.
    Unreadable(InputError),
}

/// The signal that stopped a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Ctrl-C.
    Interrupt,
    /// A service manager or `kill` asking the process to stop.
    Terminate,
}

/// The end of a run.
#[derive(Debug)]
pub struct RunEnd {
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub ending: Ending,
    /// Outputs that failed (a full disk, a write error): each stopped
    /// receiving events at its error, while the run, and the listeners
    /// that record it, went on.
    pub failed_outputs: Vec<ListenerError>,
}

impl RunEnd {
    /// Every entry was audited.
    pub fn is_complete(&self) -> bool {
        matches!(self.ending, Ending::Complete)
    }
}

/// An output that failed. The run goes on without it.
#[derive(Debug, thiserror::Error)]
pub enum ListenerError {
    /// Standard output cannot be written.
    #[error("cannot write the output: {0}")]
    Output(#[source] io::Error),
    /// Standard output was closed by its reader (`| head`): not a failure,
    /// but nothing more can be said there, so the run stops quietly.
    #[error("standard output was closed")]
    OutputClosed,
    /// Whole reports could not be written (standard output or `--report`
    /// files); each failure names its target.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Reports(Vec<ReportFailure>),
    /// Notifications (`--notify`) could not be delivered, or what changed
    /// could not be told; each failure names its target as
    /// `scheme://host/…`. The changes are announced again next run.
    #[error("{}", .0.iter().map(|failure| format!("cannot notify {failure}")).collect::<Vec<_>>().join("; "))]
    Notifications(Vec<NotifyFailure>),
}

/// One notify target that was not told.
#[derive(Debug, Clone, thiserror::Error)]
pub enum NotifyFailure {
    /// The POST failed.
    #[error("{0}; its changes will be announced again next run")]
    Send(SendError),
    /// What it was told before could not be read from the store.
    #[error(
        "{target}: what it was last told cannot be read from the store ({reason}); nothing was sent"
    )]
    Memory { target: String, reason: String },
}

/// One report that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the report {}: {error}", path.as_ref().map_or_else(|| "to standard output".to_owned(), |path| path.display().to_string()))]
pub struct ReportFailure {
    /// The `--report` file, `None` for standard output.
    pub path: Option<PathBuf>,
    #[source]
    pub error: io::Error,
}

impl ListenerError {
    /// An error writing to standard output: a closed pipe is the reader's
    /// choice ([`ListenerError::OutputClosed`]), anything else a failure.
    pub fn from_stdout(error: io::Error) -> ListenerError {
        if error.kind() == io::ErrorKind::BrokenPipe {
            ListenerError::OutputClosed
        } else {
            ListenerError::Output(error)
        }
    }
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
