//! `domlife serve`: the audit as a standing service, a Prometheus exporter
//! in the manner of `domain_exporter` with domlife's audit behind it.
//!
//! The lists are audited at start and then every `--every`, re-read each
//! time, by the same [`Driver`] and listeners as `check`: the history in
//! the store (so answers within `--max-age` cost no query), the exporter's
//! state ([`crate::run::listeners::exporter`]) that `/metrics` serves, and
//! the notifier (`--notify`, per complete audit). The HTTP side is
//! [`http`]; what it answers is [`metrics`].
//!
//! SIGTERM or Ctrl-C: the server stops accepting and finishes the requests
//! it has; the audit going on sees the same signal and ends as an
//! interrupted run (recorded as such, nobody notified), or is abandoned
//! after [`GRACE`]; the process then exits 0.

pub mod http;
pub mod metrics;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::audit::{AsOf, Auditor};
use crate::input::{MergedEntries, ReadOptions, Source};
use crate::run::listener::{Ending, Signal};
use crate::run::listeners::Warn;
use crate::run::listeners::exporter::{Exporter, ExporterState};
use crate::run::listeners::history::HistoryRecorder;
use crate::run::listeners::notify::Notifier;
use crate::run::signals::Signals;
use crate::run::{Driver, RunEnd};
use crate::store::Store;

/// How long a stopping server waits for an audit, or for requests, to end.
pub const GRACE: Duration = Duration::from_secs(3);

/// What the service audits and how.
pub struct Service {
    /// The lookup, policies and thresholds of every audit and probe.
    pub auditor: Auditor,
    /// `--as-of`, when given; else each audit is as of its start.
    pub as_of: Option<AsOf>,
    pub lists: Vec<PathBuf>,
    pub read: ReadOptions,
    pub every: Duration,
    /// Audits in flight at once.
    pub window: usize,
    /// The store the history of each audit goes to (a live run's).
    pub store: Option<Store>,
    pub notifier: Option<Notifier>,
    /// The command line, as the store records each audit (no secrets).
    pub summary: String,
    /// Where the service says what it does (standard error).
    pub log: Warn,
}

impl Service {
    /// Serves on `listener` and audits on schedule until SIGTERM or
    /// Ctrl-C.
    pub async fn run(mut self, listener: TcpListener) -> std::io::Result<()> {
        let state = ExporterState::default();
        let auditor = Arc::new(self.auditor.clone());
        let app = http::App {
            state: state.clone(),
            auditor,
            as_of: self.as_of,
        };
        let (stop, stopped) = watch::channel(false);
        let mut signals = Signals::install();
        let log = Arc::clone(&self.log);
        tokio::spawn(async move {
            let signal = match signals.next().await {
                Signal::Interrupt => "Ctrl-C (SIGINT)",
                Signal::Terminate => "SIGTERM",
            };
            log(&format!("{signal}: stopping"));
            let _ = stop.send(true);
        });
        let mut server_stop = stopped.clone();
        let server = tokio::spawn(async move {
            axum::serve(listener, http::router(app))
                .with_graceful_shutdown(async move {
                    let _ = server_stop.wait_for(|stop| *stop).await;
                })
                .await
        });
        let mut stopping = stopped;
        loop {
            self.audit(&state, &stopping).await;
            tokio::select! {
                () = tokio::time::sleep(self.every) => {}
                _ = stopping.wait_for(|stop| *stop) => break,
            }
        }
        match tokio::time::timeout(GRACE, server).await {
            Ok(Ok(served)) => served,
            // The task panicked, or requests outlived the grace: the
            // process ends anyway.
            Ok(Err(_)) | Err(_) => Ok(()),
        }
    }

    /// One audit of the lists, unless the service is stopping.
    async fn audit(&mut self, state: &ExporterState, stopping: &watch::Receiver<bool>) {
        let sources = self.lists.iter().map(Source::from_arg);
        let opened = tokio::task::block_in_place(|| MergedEntries::open(sources, &self.read));
        let entries = match opened {
            Ok(entries) => entries,
            Err(error) => {
                (self.log)(&format!("the lists cannot be read, audit skipped: {error}"));
                state.count_audit("unreadable");
                return;
            }
        };
        if *stopping.borrow() {
            return;
        }
        let as_of = self.as_of.unwrap_or_else(|| AsOf::Instant(Utc::now()));
        let auditor = self.auditor.at(as_of);
        let mut history = self
            .store
            .clone()
            .map(|store| HistoryRecorder::new(store, self.summary.clone(), Arc::clone(&self.log)));
        let mut exporter = Exporter::new(state.clone());
        let mut driver = Driver::new(&auditor, self.window);
        if let Some(history) = &mut history {
            if let Some(notifier) = &mut self.notifier {
                notifier.follow(history.recorded_run());
            }
            driver.listen(history);
        }
        driver.listen(&mut exporter);
        if let Some(notifier) = &mut self.notifier {
            driver.listen(notifier);
        }
        let run = driver.run(entries, as_of);
        let mut stopping = stopping.clone();
        let end = tokio::select! {
            end = run => Some(end),
            () = async {
                let _ = stopping.wait_for(|stop| *stop).await;
                tokio::time::sleep(GRACE).await;
            } => None,
        };
        match end {
            Some(end) => self.report(&end, state),
            None => (self.log)("the audit did not stop in time and was abandoned"),
        }
    }

    /// Says how an audit ended, and counts its notifications.
    fn report(&self, end: &RunEnd, state: &ExporterState) {
        let took = (end.finished - end.started).num_milliseconds() as f64 / 1000.0;
        match &end.ending {
            Ending::Complete => {
                let counts = state.snapshot().last.map(|last| last.counts);
                if let Some(counts) = counts {
                    (self.log)(&format!(
                        "audit complete in {took:.1} s: {} names, {} checked, {} failed, {} \
                         invalid; findings: {} error, {} warning, {} notice",
                        counts.names,
                        counts.checked,
                        counts.failed,
                        counts.invalid,
                        counts.error,
                        counts.warning,
                        counts.notice
                    ));
                }
            }
            Ending::Interrupted(_) | Ending::OutputClosed => {
                (self.log)(&format!("audit interrupted after {took:.1} s"));
            }
            Ending::Unreadable(error) => (self.log)(&format!("audit stopped: {error}")),
        }
        for failure in &end.failed_outputs {
            (self.log)(&failure.to_string());
        }
        let Some(notifier) = &self.notifier else {
            return;
        };
        if !end.is_complete() {
            return;
        }
        let told = notifier.deliveries().iter().filter(|d| d.changes > 0);
        let (mut delivered, mut failed) = (0, 0);
        for delivery in told {
            if delivery.delivered {
                delivered += 1;
                (self.log)(&format!(
                    "notified {}: {} change{}",
                    delivery.target,
                    delivery.changes,
                    if delivery.changes == 1 { "" } else { "s" }
                ));
            } else {
                failed += 1;
            }
        }
        state.count_notifications(delivered, failed);
    }
}
