//! The progress bar on standard error: names done of total, rate, time
//! left, and the hosts that are backing off. Shown only on a terminal and
//! never with `--quiet`, so logs and pipes stay clean.
//!
//! Which hosts back off is read from the gate at most four times a second,
//! not per result: a snapshot locks every host, and a million results must
//! not take a million such rounds.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::fetch::Gate;
use crate::run::listener::{Batch, Listener, ListenerError, RunEnd, RunStart};

/// How often the list of slowed hosts is refreshed.
const SNAPSHOT_EVERY: Duration = Duration::from_millis(250);

/// A progress bar, or nothing when it must not be drawn.
pub struct Progress {
    bar: Option<ProgressBar>,
    gate: Gate,
    last_snapshot: Option<Instant>,
}

impl Progress {
    /// A bar for a run through `gate`, unless `quiet` or standard error is
    /// not a terminal.
    pub fn new(gate: Gate, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(
                "{bar:30} {pos}/{len} names  {per_sec}  ETA {eta}  {msg}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            gate,
            last_snapshot: None,
        }
    }

    fn slowed_hosts(&self) -> String {
        let slowed: Vec<String> = self
            .gate
            .snapshot()
            .into_iter()
            .filter(|host| host.paused_for.is_some() || host.backing_off > 0)
            .map(|host| host.host.to_string())
            .collect();
        if slowed.is_empty() {
            String::new()
        } else {
            format!("backing off: {}", slowed.join(", "))
        }
    }
}

impl Listener for Progress {
    fn started(&mut self, start: &RunStart) -> Result<(), ListenerError> {
        if let Some(bar) = &self.bar {
            bar.set_length(u64::try_from(start.total).unwrap_or(u64::MAX));
            bar.enable_steady_tick(Duration::from_millis(250));
        }
        Ok(())
    }

    fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
        let Some(bar) = &self.bar else {
            return Ok(());
        };
        if !batch.audited {
            return Ok(());
        }
        bar.inc(u64::try_from(batch.results.len()).unwrap_or(u64::MAX));
        let due = self
            .last_snapshot
            .is_none_or(|last| last.elapsed() >= SNAPSHOT_EVERY);
        if due {
            self.last_snapshot = Some(Instant::now());
            let message = self.slowed_hosts();
            if let Some(bar) = &self.bar {
                bar.set_message(message);
            }
        }
        Ok(())
    }

    fn ended(&mut self, _end: &RunEnd) -> Result<(), ListenerError> {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        Ok(())
    }
}
