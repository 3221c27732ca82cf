//! The exporter's state (`domlife serve`): the listener keeps a run's
//! results and, when the run is complete, renders them once into the
//! exposition `--report prometheus` writes; `/metrics` serves the last
//! complete one, so a scrape during an audit sees the previous audit whole,
//! never half of the next. An interrupted audit changes nothing but the
//! count of audits.
//!
//! [`ExporterState`] also counts what the exporter's own metrics say: audits
//! by how they ended, lookups by protocol and result (the answers reused
//! from the store count as answered), notifications by outcome.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::audit::{AsOf, AuditResult};
use crate::lookup::{Exchange, ExchangeOutcome};
use crate::reconcile::Thresholds;
use crate::report::{self, Counts, Meta, Report, ReportContext, ReportFormat};
use crate::run::listener::{Batch, Ending, Listener, ListenerError, RunEnd, RunStart};

/// The last complete audit.
#[derive(Debug, Clone)]
pub struct Completed {
    /// Its exposition, as `--report prometheus` writes it.
    pub exposition: Arc<String>,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    pub counts: Counts,
}

impl Completed {
    /// How long it took.
    pub fn duration(&self) -> Duration {
        (self.finished - self.started).to_std().unwrap_or_default()
    }
}

/// What `/metrics` reads.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub last: Option<Completed>,
    /// When the audit going on now started.
    pub running_since: Option<DateTime<Utc>>,
    /// Audits by how they ended (`complete`, `interrupted`, `unreadable`).
    pub audits: BTreeMap<&'static str, u64>,
    /// Lookups (questions to a server) by protocol and result.
    pub lookups: BTreeMap<(&'static str, &'static str), u64>,
    /// Notifications by outcome (`delivered`, `failed`).
    pub notifications: BTreeMap<&'static str, u64>,
}

/// The exporter's state, shared by the listener of each audit and the
/// HTTP handlers. Clones share it.
#[derive(Debug, Clone, Default)]
pub struct ExporterState(Arc<Mutex<Snapshot>>);

impl ExporterState {
    fn lock(&self) -> MutexGuard<'_, Snapshot> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy of the state (the exposition itself is shared, not copied).
    pub fn snapshot(&self) -> Snapshot {
        self.lock().clone()
    }

    /// Counts an audit that ended `how` (`complete`, `interrupted`,
    /// `unreadable`).
    pub fn count_audit(&self, how: &'static str) {
        *self.lock().audits.entry(how).or_default() += 1;
    }

    /// Counts the lookups behind a result.
    pub fn count_lookups(&self, asked: &[Exchange]) {
        let mut state = self.lock();
        for exchange in asked {
            let key = (protocol_name(exchange), lookup_result(&exchange.outcome));
            *state.lookups.entry(key).or_default() += 1;
        }
    }

    /// Counts notifications delivered and failed.
    pub fn count_notifications(&self, delivered: u64, failed: u64) {
        let mut state = self.lock();
        for (outcome, count) in [("delivered", delivered), ("failed", failed)] {
            *state.notifications.entry(outcome).or_default() += count;
        }
    }
}

fn protocol_name(exchange: &Exchange) -> &'static str {
    match exchange.protocol {
        crate::record::Protocol::Rdap => "rdap",
        crate::record::Protocol::Whois => "whois",
    }
}

fn lookup_result(outcome: &ExchangeOutcome) -> &'static str {
    match outcome {
        ExchangeOutcome::Answered => "answered",
        ExchangeOutcome::NotFound => "not_found",
        ExchangeOutcome::Replayed => "replayed",
        ExchangeOutcome::Failed(error) if error.is_rate_limited() => "rate_limited",
        ExchangeOutcome::Failed(error) if error.is_timeout() => "timeout",
        ExchangeOutcome::Failed(_) | ExchangeOutcome::Reported(_) => "failed",
    }
}

/// The listener of one audit.
pub struct Exporter {
    state: ExporterState,
    /// By index, in input order.
    kept: Vec<Option<AuditResult>>,
    as_of: Option<AsOf>,
}

impl Exporter {
    pub fn new(state: ExporterState) -> Exporter {
        Exporter {
            state,
            kept: Vec::new(),
            as_of: None,
        }
    }
}

impl Listener for Exporter {
    fn started(&mut self, start: &RunStart) -> Result<(), ListenerError> {
        self.as_of = Some(start.as_of);
        self.kept = Vec::with_capacity(start.total);
        self.state.lock().running_since = Some(start.started);
        Ok(())
    }

    fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
        if !batch.audited {
            return Ok(());
        }
        for finished in &batch.results {
            self.state.count_lookups(&finished.result.asked);
            if self.kept.len() <= finished.index {
                self.kept.resize_with(finished.index + 1, || None);
            }
            self.kept[finished.index] = Some(finished.result.clone());
        }
        Ok(())
    }

    fn ended(&mut self, end: &RunEnd) -> Result<(), ListenerError> {
        let how = match end.ending {
            Ending::Complete => "complete",
            Ending::Interrupted(_) | Ending::OutputClosed => "interrupted",
            Ending::Unreadable(_) => "unreadable",
        };
        let completed = match (self.as_of, end.is_complete()) {
            (Some(as_of), true) => {
                let results: Vec<AuditResult> = std::mem::take(&mut self.kept)
                    .into_iter()
                    .flatten()
                    .collect();
                let counts = Counts::of(&results);
                Some(Completed {
                    exposition: Arc::new(exposition(results, end, as_of)),
                    started: end.started,
                    finished: end.finished,
                    counts,
                })
            }
            _ => None,
        };
        // One change, so that a scrape sees the count and the audit together.
        let mut state = self.state.lock();
        state.running_since = None;
        *state.audits.entry(how).or_default() += 1;
        if completed.is_some() {
            state.last = completed;
        }
        Ok(())
    }
}

/// `results` as `--report prometheus` writes them.
pub fn exposition(results: Vec<AuditResult>, end: &RunEnd, as_of: AsOf) -> String {
    // The writer reads the results and the as-of date, nothing else.
    let context = ReportContext {
        complete: end.is_complete(),
        fail_threshold: None,
        thresholds: Thresholds::default(),
        as_of: as_of.instant(),
        generated: end.finished,
        color: false,
    };
    let report = Report {
        meta: Meta {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            as_of,
            started: end.started,
            finished: end.finished,
            complete: end.is_complete(),
            counts: Counts::of(&results),
            shard: None,
        },
        results,
    };
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = report::write_all(ReportFormat::Prometheus, &mut out, &report, &context);
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
