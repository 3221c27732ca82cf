//! The progress bar of `check` on standard error: names done of total,
//! rate, time left, and the hosts that are backing off. Shown only on a
//! terminal and never with `--quiet`, so logs and pipes stay clean.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::fetch::Gate;

/// A progress bar, or nothing when it must not be drawn.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(total: usize, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            ProgressDrawTarget::stderr(),
        );
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} names  {per_sec}  ETA {eta}  {msg}")
        {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(250));
        Progress { bar: Some(bar) }
    }

    /// One more name done; the message lists the hosts slowing the run.
    pub fn done_one(&self, gate: &Gate) {
        let Some(bar) = &self.bar else {
            return;
        };
        bar.inc(1);
        let slowed: Vec<String> = gate
            .snapshot()
            .into_iter()
            .filter(|host| host.paused_for.is_some() || host.backing_off > 0)
            .map(|host| host.host.to_string())
            .collect();
        if slowed.is_empty() {
            bar.set_message(String::new());
        } else {
            bar.set_message(format!("backing off: {}", slowed.join(", ")));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
