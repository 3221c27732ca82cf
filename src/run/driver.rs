//! The run driver: entries in, events out. It reads the list as it looks
//! names up, keeps a window of audits in flight, and hands the results to
//! its listeners as they finish, those that finish together in one batch
//! (so that a store commit or a write covers many results, not one).
//!
//! Every entry yields exactly one result. Ctrl-C stops scheduling: the
//! entries being looked up and those never read are reported as not
//! checked (a batch marked not audited), then the run ends. A list that
//! cannot be read again ends the run too, with what was read reported.

use std::collections::HashMap;
use std::pin::pin;
use std::sync::Arc;

use chrono::Utc;
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};

use super::listener::{Batch, Ending, Finished, Listener, ListenerError, RunEnd, RunStart};
use crate::audit::{AsOf, AuditResult, Auditor};
use crate::input::{Entry, InputError, MergedEntries};

/// A run of one list through one auditor.
pub struct Driver<'a> {
    auditor: &'a Auditor,
    /// Audits in flight at once.
    window: usize,
    listeners: Vec<&'a mut dyn Listener>,
}

/// How the audit loop stopped, and what it left unaudited.
enum Stopped {
    Complete,
    Interrupted {
        in_flight: Vec<(usize, Arc<Entry>)>,
    },
    Unreadable {
        in_flight: Vec<(usize, Arc<Entry>)>,
        error: InputError,
    },
}

impl<'a> Driver<'a> {
    /// A driver keeping up to `window` audits in flight.
    pub fn new(auditor: &'a Auditor, window: usize) -> Driver<'a> {
        Driver {
            auditor,
            window: window.max(1),
            listeners: Vec::new(),
        }
    }

    /// Adds a listener; they are called in the order they were added.
    pub fn listen(&mut self, listener: &'a mut dyn Listener) -> &mut Self {
        self.listeners.push(listener);
        self
    }

    /// Audits every entry, telling the listeners. An `Err` is a listener
    /// that failed: the run stopped there.
    pub async fn run(
        mut self,
        mut entries: MergedEntries,
        as_of: AsOf,
    ) -> Result<RunEnd, ListenerError> {
        let started = Utc::now();
        let start = RunStart {
            total: entries.total(),
            started,
            as_of,
        };
        for listener in &mut self.listeners {
            listener.started(&start)?;
        }
        let stopped = self.audit_all(&mut entries).await?;
        let (in_flight, unread, ending) = match stopped {
            Stopped::Complete => (Vec::new(), None, Ending::Complete),
            Stopped::Interrupted { in_flight } => (in_flight, Some(entries), Ending::Interrupted),
            Stopped::Unreadable { in_flight, error } => {
                (in_flight, None, Ending::Unreadable(error))
            }
        };
        let mut unaudited: Vec<Finished> = in_flight
            .iter()
            .map(|(index, entry)| not_checked(*index, entry))
            .collect();
        // The first pass read every list, so an error now means one changed
        // under us; what follows it cannot be reported either way.
        for (index, entry) in unread.into_iter().flatten().map_while(Result::ok) {
            unaudited.push(not_checked(index, &entry));
        }
        if !unaudited.is_empty() {
            self.emit(&mut Batch {
                results: unaudited,
                audited: false,
            })?;
        }
        let end = RunEnd {
            started,
            finished: Utc::now(),
            ending,
        };
        for listener in &mut self.listeners {
            listener.ended(&end)?;
        }
        Ok(end)
    }

    fn emit(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
        for listener in &mut self.listeners {
            listener.results(batch)?;
        }
        Ok(())
    }

    /// Audits the entries as they are read, at most `window` at a time. The
    /// entries being looked up are kept so that an interrupted run can still
    /// report them.
    async fn audit_all(&mut self, entries: &mut MergedEntries) -> Result<Stopped, ListenerError> {
        let auditor = self.auditor;
        let mut in_flight: HashMap<usize, Arc<Entry>> = HashMap::new();
        let mut audits = FuturesUnordered::new();
        let mut interrupted = pin!(tokio::signal::ctrl_c());
        // The handler is installed when the future is first polled: do it
        // before the first request, or a Ctrl-C in that moment kills the run
        // unreported. No handler at all: Ctrl-C ends the run the usual way.
        let can_interrupt = match (&mut interrupted).now_or_never() {
            None => true,
            Some(Ok(())) => {
                return Ok(Stopped::Interrupted {
                    in_flight: Vec::new(),
                });
            }
            Some(Err(_)) => false,
        };
        loop {
            while audits.len() < self.window {
                let Some(next) = entries.next() else { break };
                match next {
                    Ok((index, entry)) => {
                        let entry = Arc::new(entry);
                        in_flight.insert(index, Arc::clone(&entry));
                        audits.push(async move { (index, auditor.audit(&entry).await) });
                    }
                    Err(error) => {
                        let in_flight = by_index(in_flight);
                        return Ok(Stopped::Unreadable { in_flight, error });
                    }
                }
            }
            // A finished audit is kept even when Ctrl-C came at the same time.
            let first = tokio::select! {
                biased;
                next = audits.next() => match next {
                    Some(done) => done,
                    None => return Ok(Stopped::Complete),
                },
                _ = &mut interrupted, if can_interrupt => {
                    return Ok(Stopped::Interrupted { in_flight: by_index(in_flight) });
                }
            };
            let mut results = vec![first];
            while let Some(Some(done)) = audits.next().now_or_never() {
                results.push(done);
            }
            let results = results
                .into_iter()
                .map(|(index, result)| {
                    in_flight.remove(&index);
                    Finished { index, result }
                })
                .collect();
            self.emit(&mut Batch {
                results,
                audited: true,
            })?;
        }
    }
}

fn not_checked(index: usize, entry: &Entry) -> Finished {
    Finished {
        index,
        result: AuditResult::not_checked(entry),
    }
}

fn by_index(in_flight: HashMap<usize, Arc<Entry>>) -> Vec<(usize, Arc<Entry>)> {
    let mut in_flight: Vec<_> = in_flight.into_iter().collect();
    in_flight.sort_unstable_by_key(|(index, _)| *index);
    in_flight
}
