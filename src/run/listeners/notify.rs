//! The notifier (`--notify URL`): compares each audited result with what
//! each target was last told ([`Memory`]), keeps the changes at or above
//! `--notify-on`, and when the run is complete POSTs one message per
//! target that has any ([`crate::notify`]).
//!
//! A target told its changes, or with none to tell, is remembered as told
//! this run (in the store, by the hash of its URL), so a change is
//! announced once; a target that could not be told is not, so its changes
//! come again next run, and the run ends with exit status 4 after
//! everything else was reported and stored. An interrupted run tells
//! nobody: what it did not audit is no change.
//!
//! Register it after the outputs: a webhook that is slow to answer must not
//! hold up the reports.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::future::join_all;

use super::Warn;
use super::history::RecordedRun;
use crate::audit::AuditResult;
use crate::baseline::Baseline;
use crate::notify::{
    Change, Notice, NotifyFormat, Prior, Sender, Target, body, changes_of, most_severe_first,
};
use crate::reconcile::Severity;
use crate::report::Counts;
use crate::run::listener::{Batch, Listener, ListenerError, NotifyFailure, RunEnd, RunStart};
use crate::store::{Store, StoreError};

/// What the notifications of a run compare with.
pub enum Memory {
    /// Nothing: every finding at or above the threshold is new (`--no-store`,
    /// or a replay, without `--baseline`).
    Nothing,
    /// An earlier report (`--baseline`), the same for every target.
    Baseline(Arc<Baseline>),
    /// The store: the runs delivered to each target. It is told of this run
    /// once delivered.
    Store(Store),
    /// What this process told each target (by key) about each name: a
    /// server (`serve`) with no store.
    Process(HashMap<String, HashMap<String, Prior>>),
}

/// What `--notify`, `--notify-on` and `--notify-format` say.
#[derive(Debug, Clone)]
pub struct NotifyOptions {
    pub targets: Vec<Target>,
    /// The least severe change sent.
    pub threshold: Severity,
    pub format: NotifyFormat,
}

/// One target's part of a run.
#[derive(Debug, Default)]
struct Pending {
    changes: Vec<Change>,
    /// What it was told could not be read: nothing is sent to it.
    unreadable: Option<String>,
}

/// What a run's notifications did, per target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The target, as `scheme://host/…`.
    pub target: String,
    /// Changes sent (0: nothing to tell, nothing sent).
    pub changes: usize,
    pub delivered: bool,
}

/// Tells each target what changed.
pub struct Notifier {
    options: NotifyOptions,
    sender: Sender,
    memory: Memory,
    /// The store a delivery is remembered in, when there is one.
    store: Option<Store>,
    run: Option<RecordedRun>,
    warn: Warn,
    pending: Vec<Pending>,
    /// This run's states, for [`Memory::Process`].
    seen: Vec<(String, Prior)>,
    counts: Counts,
    as_of: Option<DateTime<Utc>>,
    deliveries: Vec<Delivery>,
}

impl Notifier {
    /// A notifier comparing with `memory`; with [`Memory::Store`], what is
    /// delivered is remembered in that store, as the run [`Notifier::follow`]
    /// names.
    pub fn new(options: NotifyOptions, sender: Sender, memory: Memory, warn: Warn) -> Notifier {
        let store = match &memory {
            Memory::Store(store) => Some(store.clone()),
            _ => None,
        };
        Notifier {
            options,
            sender,
            memory,
            store,
            run: None,
            warn,
            pending: Vec::new(),
            seen: Vec::new(),
            counts: Counts::default(),
            as_of: None,
            deliveries: Vec::new(),
        }
    }

    /// Remembers deliveries in `store` as the runs `run` records (the
    /// history recorder of each run; with `--baseline` the comparison is
    /// still with the baseline).
    pub fn remember_in(&mut self, store: Store, run: RecordedRun) {
        self.store = Some(store);
        self.run = Some(run);
    }

    /// Follows the run the history recorder records (a new one each run).
    pub fn follow(&mut self, run: RecordedRun) {
        self.run = Some(run);
    }

    /// What the last complete run's notifications did.
    pub fn deliveries(&self) -> &[Delivery] {
        &self.deliveries
    }

    /// What `target` was told about `domain`.
    fn prior(&self, target: &Target, domain: &str) -> Result<Option<Prior>, StoreError> {
        match &self.memory {
            Memory::Nothing => Ok(None),
            Memory::Baseline(baseline) => Ok(baseline.prior(domain).cloned()),
            Memory::Process(told) => Ok(told
                .get(target.key())
                .and_then(|names| names.get(domain))
                .cloned()),
            Memory::Store(store) => {
                let Some(latest) = store.delivered_result(target.key(), domain, false)? else {
                    return Ok(None);
                };
                let with_record = if latest.record.is_null() {
                    store.delivered_result(target.key(), domain, true)?
                } else {
                    None
                };
                Ok(Some(Prior::from_delivered(
                    &latest,
                    with_record.as_ref().or(Some(&latest)),
                )))
            }
        }
    }

    fn compare(&mut self, result: &AuditResult) {
        for index in 0..self.options.targets.len() {
            if self.pending[index].unreadable.is_some() {
                continue;
            }
            let target = &self.options.targets[index];
            let prior = match self.prior(target, &result.domain) {
                Ok(prior) => prior,
                Err(error) => {
                    self.pending[index].unreadable = Some(error.to_string());
                    continue;
                }
            };
            let threshold = self.options.threshold;
            let changes = changes_of(prior.as_ref(), result)
                .into_iter()
                .filter(|change| change.severity >= threshold);
            self.pending[index].changes.extend(changes);
        }
        if matches!(self.memory, Memory::Process(_)) {
            self.seen.push((result.domain.clone(), Prior::of(result)));
        }
    }

    /// Sends every target its message; `None` for a target with nothing
    /// to tell.
    fn send_all(&self, end: &RunEnd) -> Vec<Option<Result<u32, NotifyFailure>>> {
        let as_of = self.as_of.unwrap_or(end.started);
        let sends =
            self.options
                .targets
                .iter()
                .zip(&self.pending)
                .map(|(target, pending)| async move {
                    if let Some(reason) = &pending.unreadable {
                        return Some(Err(NotifyFailure::Memory {
                            target: target.to_string(),
                            reason: reason.clone(),
                        }));
                    }
                    if pending.changes.is_empty() {
                        return None;
                    }
                    let notice = Notice {
                        changes: &pending.changes,
                        counts: self.counts,
                        as_of,
                        started: end.started,
                        finished: end.finished,
                    };
                    let body = body(self.options.format, &notice);
                    Some(
                        self.sender
                            .send(target, &body)
                            .await
                            .map_err(NotifyFailure::Send),
                    )
                });
        tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(join_all(sends)))
    }

    /// Remembers that `index` was told this run.
    fn remember(&mut self, index: usize) {
        let target = &self.options.targets[index];
        if let Memory::Process(told) = &mut self.memory {
            let names = told.entry(target.key().to_owned()).or_default();
            for (domain, told) in &self.seen {
                let prior = told.clone().after(names.get(domain));
                names.insert(domain.clone(), prior);
            }
            return;
        }
        let Some(store) = &self.store else {
            return;
        };
        let run = self.run.as_ref().and_then(RecordedRun::get);
        let remembered = match run {
            Some(run) => {
                tokio::task::block_in_place(|| store.mark_delivered(target.key(), run, Utc::now()))
                    .map_err(|error| error.to_string())
            }
            None => Err("the run is not recorded in the store".to_owned()),
        };
        if let Err(reason) = remembered {
            (self.warn)(&format!(
                "{target} was notified but the store cannot remember it ({reason}): these \
                 changes may be announced again"
            ));
        }
    }
}

impl Listener for Notifier {
    fn started(&mut self, start: &RunStart) -> Result<(), ListenerError> {
        self.pending = self
            .options
            .targets
            .iter()
            .map(|_| Pending::default())
            .collect();
        self.seen.clear();
        self.counts = Counts::default();
        self.as_of = Some(start.as_of.instant());
        Ok(())
    }

    fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
        if !batch.audited {
            return Ok(());
        }
        // The store blocks; nothing else does.
        let blocks = matches!(self.memory, Memory::Store(_));
        let mut compare_all = || {
            for finished in &batch.results {
                add(&mut self.counts, &finished.result);
                self.compare(&finished.result);
            }
        };
        if blocks {
            tokio::task::block_in_place(compare_all);
        } else {
            compare_all();
        }
        Ok(())
    }

    fn ended(&mut self, end: &RunEnd) -> Result<(), ListenerError> {
        if !end.is_complete() {
            return Ok(());
        }
        for pending in &mut self.pending {
            most_severe_first(&mut pending.changes);
            // A line listed twice is two results, but one change.
            pending.changes.dedup();
        }
        let sent = self.send_all(end);
        let mut failures = Vec::new();
        self.deliveries.clear();
        for (index, outcome) in sent.into_iter().enumerate() {
            let changes = self.pending[index].changes.len();
            let delivered = match outcome {
                None | Some(Ok(_)) => true,
                Some(Err(failure)) => {
                    failures.push(failure);
                    false
                }
            };
            if delivered {
                self.remember(index);
            }
            self.deliveries.push(Delivery {
                target: self.options.targets[index].to_string(),
                changes,
                delivered,
            });
        }
        self.seen.clear();
        if failures.is_empty() {
            Ok(())
        } else {
            Err(ListenerError::Notifications(failures))
        }
    }
}

fn add(counts: &mut Counts, result: &AuditResult) {
    let one = Counts::of(std::slice::from_ref(result));
    counts.names += one.names;
    counts.checked += one.checked;
    counts.failed += one.failed;
    counts.invalid += one.invalid;
    counts.not_checked += one.not_checked;
    counts.error += one.error;
    counts.warning += one.warning;
    counts.notice += one.notice;
}

#[cfg(test)]
mod tests;
