//! The exit status of an audit (`check`, `merge`): how the run ended and
//! what its results say, in one place, in the order the README documents.
//! A leaf, so that the commands take it from here.

use std::process::ExitCode;

use super::error::bad_input;
use crate::run::listeners::tally::Verdict;
use crate::run::{Ending, RunEnd, Signal};

/// Exit status when some names could not be checked (and nothing worse).
pub const EXIT_NOT_CHECKED: u8 = 3;
/// Exit status when the audit ran but an output could not be delivered (a
/// report that could not be written, a notification that could not be sent).
pub const EXIT_OUTPUT_FAILED: u8 = 4;
/// Exit status of a run stopped by Ctrl-C (128 + SIGINT).
pub const EXIT_INTERRUPTED: u8 = 130;
/// Exit status of a run stopped by SIGTERM (128 + SIGTERM).
pub const EXIT_TERMINATED: u8 = 143;

/// The exit status of an audit (`check`, `merge`), the first that applies:
/// 130 or 143 when stopped by a signal; 2 when a list could not be read
/// again; 4 when an output failed; 1 when a finding about a checked name
/// is at or above `--fail-on`; 3 when a name could not be checked; else 0.
/// Every failed output is said on standard error, whatever the status.
pub fn run_status(end: RunEnd, verdict: Verdict) -> anyhow::Result<ExitCode> {
    for failure in &end.failed_outputs {
        eprintln!("domlife: {failure}");
    }
    Ok(match end.ending {
        Ending::Interrupted(Signal::Interrupt) => ExitCode::from(EXIT_INTERRUPTED),
        Ending::Interrupted(Signal::Terminate) => ExitCode::from(EXIT_TERMINATED),
        Ending::Unreadable(error) => return Err(bad_input(error)),
        Ending::Complete | Ending::OutputClosed if !end.failed_outputs.is_empty() => {
            ExitCode::from(EXIT_OUTPUT_FAILED)
        }
        Ending::Complete | Ending::OutputClosed => match verdict {
            Verdict::Failing => ExitCode::FAILURE,
            Verdict::Unchecked => ExitCode::from(EXIT_NOT_CHECKED),
            Verdict::Clean => ExitCode::SUCCESS,
        },
    })
}
