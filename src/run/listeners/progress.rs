//! The progress bar on standard error: names done of total, rate, time
//! left, and the hosts that hold the run back, each with its rate, its
//! answer time and what bounds it (the rate limit, its requests in flight,
//! the run's `--concurrency`, or a Retry-After), so a user sees why a run
//! takes as long as it does. Shown only on a terminal and never with
//! `--quiet`, so logs and pipes stay clean. With `--verbose`, every host's
//! line is also written to standard error every ten seconds and at the end,
//! terminal or not.
//!
//! The hosts are read from the gate at most four times a second, not per
//! result: a snapshot locks every host, and a million results must not
//! take a million such rounds.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::fetch::{Bound, Gate, HostSnapshot};
use crate::run::listener::{Batch, Listener, ListenerError, RunEnd, RunStart};

/// How often the hosts on the bar are refreshed.
const SNAPSHOT_EVERY: Duration = Duration::from_millis(250);
/// How often `--verbose` writes every host's line.
const VERBOSE_EVERY: Duration = Duration::from_secs(10);
/// Hosts named on the bar; the rest are counted.
const HOSTS_ON_THE_BAR: usize = 3;

/// A progress bar, or nothing when it must not be drawn.
pub struct Progress {
    bar: Option<ProgressBar>,
    gate: Gate,
    verbose: bool,
    last_snapshot: Option<Instant>,
    last_verbose: Option<Instant>,
}

impl Progress {
    /// A bar for a run through `gate`, unless `quiet` or standard error is
    /// not a terminal; `verbose` writes every host's line now and then.
    pub fn new(gate: Gate, quiet: bool, verbose: bool) -> Progress {
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
            verbose,
            last_snapshot: None,
            last_verbose: None,
        }
    }

    /// Writes every host's line to standard error, above the bar if there is one.
    fn write_hosts(&self, hosts: &[HostSnapshot]) {
        for line in hosts.iter().map(host_line) {
            match &self.bar {
                Some(bar) => bar.println(format!("domlife: {line}")),
                None => eprintln!("domlife: {line}"),
            }
        }
    }

    fn due(last: Option<Instant>, every: Duration) -> bool {
        last.is_none_or(|last| last.elapsed() >= every)
    }
}

/// The bar's message: the hosts with requests waiting, most first.
pub fn holding_back(hosts: &[HostSnapshot]) -> String {
    let mut held: Vec<&HostSnapshot> = hosts
        .iter()
        .filter(|host| host.bound.is_some() || host.backing_off > 0)
        .collect();
    held.sort_by_key(|host| std::cmp::Reverse(host.waiting + host.backing_off));
    let mut parts: Vec<String> = held
        .iter()
        .take(HOSTS_ON_THE_BAR)
        .map(|host| short_line(host))
        .collect();
    if held.len() > HOSTS_ON_THE_BAR {
        parts.push(format!("+{} hosts", held.len() - HOSTS_ON_THE_BAR));
    }
    parts.join("  ·  ")
}

/// `rdap.example 50/s 600 ms: rate limit`.
fn short_line(host: &HostSnapshot) -> String {
    format!(
        "{} {} {}: {}",
        host.host.host(),
        host.rate,
        latency(host),
        bound(host)
    )
}

/// Everything `--verbose` says about a host.
pub fn host_line(host: &HostSnapshot) -> String {
    format!(
        "{}: {} (ceiling {}), latency {}, in flight {} of {}, waiting {}, sent {}, \
         {} refused; bound: {}",
        host.host,
        host.rate,
        host.ceiling,
        latency(host),
        host.in_flight,
        host.in_flight_limit,
        host.waiting,
        host.sent,
        host.rate_limited,
        bound(host),
    )
}

fn latency(host: &HostSnapshot) -> String {
    host.latency.map_or_else(
        || "-".to_owned(),
        |latency| format!("{} ms", latency.as_millis()),
    )
}

fn bound(host: &HostSnapshot) -> String {
    match (host.bound, host.paused_for) {
        (Some(Bound::RetryAfter), Some(left)) => format!("Retry-After, {} s left", left.as_secs()),
        (Some(bound), _) => bound.to_string(),
        (None, _) if host.backing_off > 0 => "retrying after failures".to_owned(),
        (None, _) => "none (waiting for names)".to_owned(),
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
        if !batch.audited || (self.bar.is_none() && !self.verbose) {
            return Ok(());
        }
        if let Some(bar) = &self.bar {
            bar.inc(u64::try_from(batch.results.len()).unwrap_or(u64::MAX));
        }
        let verbose = self.verbose && Self::due(self.last_verbose, VERBOSE_EVERY);
        if !verbose && (self.bar.is_none() || !Self::due(self.last_snapshot, SNAPSHOT_EVERY)) {
            return Ok(());
        }
        let hosts = self.gate.snapshot();
        self.last_snapshot = Some(Instant::now());
        if let Some(bar) = &self.bar {
            bar.set_message(holding_back(&hosts));
        }
        if verbose {
            self.last_verbose = self.last_snapshot;
            self.write_hosts(&hosts);
        }
        Ok(())
    }

    fn ended(&mut self, _end: &RunEnd) -> Result<(), ListenerError> {
        if self.verbose {
            self.write_hosts(&self.gate.snapshot());
        }
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::{HostKey, Rate};
    use crate::record::Protocol;

    fn host(name: &str, bound: Option<Bound>, waiting: usize) -> HostSnapshot {
        let rate = Rate::per_second(50.0).expect("valid rate");
        HostSnapshot {
            host: HostKey::new(Protocol::Rdap, name),
            in_flight: 30,
            in_flight_limit: 38,
            waiting,
            backing_off: 0,
            paused_for: (bound == Some(Bound::RetryAfter)).then(|| Duration::from_secs(12)),
            rate,
            ceiling: rate,
            latency: Some(Duration::from_millis(600)),
            bound,
            sent: 1000,
            rate_limited: 2,
        }
    }

    #[test]
    fn the_bar_names_the_hosts_that_hold_the_run_back_most_first() {
        let hosts = [
            host("idle.example", None, 0),
            host("slow.example", Some(Bound::InFlight), 3),
            host("limited.example", Some(Bound::Rate), 40),
            host("paused.example", Some(Bound::RetryAfter), 5),
            host("busy.example", Some(Bound::Concurrency), 1),
        ];
        assert_eq!(
            holding_back(&hosts),
            "limited.example 50/s 600 ms: rate limit  ·  \
             paused.example 50/s 600 ms: Retry-After, 12 s left  ·  \
             slow.example 50/s 600 ms: in-flight cap  ·  +1 hosts"
        );
        assert_eq!(holding_back(&hosts[..1]), "");
    }

    #[test]
    fn a_verbose_line_says_rate_latency_in_flight_and_bound() {
        let line = host_line(&host("rdap.example", Some(Bound::Rate), 7));
        assert_eq!(
            line,
            "rdap.example (rdap): 50/s (ceiling 50/s), latency 600 ms, in flight 30 of 38, \
             waiting 7, sent 1000, 2 refused; bound: rate limit"
        );
        let idle = HostSnapshot {
            latency: None,
            ..host("new.example", None, 0)
        };
        assert!(host_line(&idle).ends_with("latency -, in flight 30 of 38, waiting 0, sent 1000, 2 refused; bound: none (waiting for names)"));
    }
}
