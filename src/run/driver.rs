//! The run driver: entries in, events out. It reads the list as it looks
//! names up, keeps a window of audits in flight, and hands the results to
//! its listeners as they finish, those that finish together in one batch
//! (so that a store commit or a write covers many results, not one).
//!
//! Every entry yields exactly one result. Ctrl-C or SIGTERM stops
//! scheduling: the entries being looked up and those never read are
//! reported as not checked (a batch marked not audited), then the run
//! ends. A list that cannot be read again ends the run too, with what was
//! read reported. A listener that fails (a full disk under a report) is
//! dropped from the run and its error kept for the end: the audit, and
//! the history the store keeps of it, go on. A closed standard output
//! (`| head`) stops the run quietly, like an interrupt.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Utc;
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};

use super::listener::{Batch, Ending, Finished, Listener, ListenerError, RunEnd, RunStart, Signal};
use super::signals::Signals;
use crate::audit::{AsOf, AuditResult, Auditor};
use crate::input::{Entry, InputError, MergedEntries};

/// A run of one list through one auditor.
pub struct Driver<'a> {
    auditor: &'a Auditor,
    /// Audits in flight at once.
    window: usize,
    listeners: Vec<Slot<'a>>,
    failures: Vec<ListenerError>,
    /// A listener saw standard output close.
    output_closed: bool,
}

/// A listener and whether it has failed (and is no longer called).
struct Slot<'a> {
    listener: &'a mut dyn Listener,
    failed: bool,
}

/// How the audit loop stopped, and what it left unaudited.
enum Stopped {
    Complete,
    Signalled(Signal, Vec<(usize, Arc<Entry>)>),
    OutputClosed(Vec<(usize, Arc<Entry>)>),
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
            failures: Vec::new(),
            output_closed: false,
        }
    }

    /// Adds a listener; they are called in the order they were added.
    pub fn listen(&mut self, listener: &'a mut dyn Listener) -> &mut Self {
        self.listeners.push(Slot {
            listener,
            failed: false,
        });
        self
    }

    /// Audits every entry, telling the listeners.
    pub async fn run(mut self, mut entries: MergedEntries, as_of: AsOf) -> RunEnd {
        let started = Utc::now();
        let start = RunStart {
            total: entries.total(),
            started,
            as_of,
        };
        self.each(|listener| listener.started(&start));
        let stopped = self.audit_all(&mut entries).await;
        let (in_flight, unread, ending) = match stopped {
            Stopped::Complete => (Vec::new(), None, Ending::Complete),
            Stopped::Signalled(signal, in_flight) => {
                (in_flight, Some(entries), Ending::Interrupted(signal))
            }
            Stopped::OutputClosed(in_flight) => (in_flight, Some(entries), Ending::OutputClosed),
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
            });
        }
        let mut end = RunEnd {
            started,
            finished: Utc::now(),
            ending,
            failed_outputs: Vec::new(),
        };
        self.each(|listener| listener.ended(&end));
        end.failed_outputs = self.failures;
        end
    }

    fn emit(&mut self, batch: &mut Batch) {
        self.each(|listener| listener.results(batch));
    }

    /// Calls every listener still working; one that fails is dropped.
    fn each(&mut self, mut call: impl FnMut(&mut dyn Listener) -> Result<(), ListenerError>) {
        for slot in self.listeners.iter_mut().filter(|slot| !slot.failed) {
            match call(&mut *slot.listener) {
                Ok(()) => {}
                Err(ListenerError::OutputClosed) => {
                    slot.failed = true;
                    self.output_closed = true;
                }
                Err(error) => {
                    slot.failed = true;
                    self.failures.push(error);
                }
            }
        }
    }

    /// Audits the entries as they are read, at most `window` at a time. The
    /// entries being looked up are kept so that an interrupted run can still
    /// report them.
    async fn audit_all(&mut self, entries: &mut MergedEntries) -> Stopped {
        let auditor = self.auditor;
        let mut in_flight: HashMap<usize, Arc<Entry>> = HashMap::new();
        let mut audits = FuturesUnordered::new();
        // Installed before the first request, or a signal in that moment
        // kills the run unreported.
        let mut signals = Signals::install();
        loop {
            if self.output_closed {
                return Stopped::OutputClosed(by_index(in_flight));
            }
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
                        return Stopped::Unreadable { in_flight, error };
                    }
                }
            }
            // A finished audit is kept even when a signal came at the same time.
            let first = tokio::select! {
                biased;
                next = audits.next() => match next {
                    Some(done) => done,
                    None => return Stopped::Complete,
                },
                signal = signals.next() => {
                    return Stopped::Signalled(signal, by_index(in_flight));
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
            });
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

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::input::{ReadOptions, Source};
    use crate::run::listener::RunStart;
    use crate::run::settings::{AnswerFlags, Flags};
    use crate::run::{Resources, RunSettings};

    /// Everything a listener is told, in order.
    #[derive(Default)]
    struct Recorder {
        events: Vec<String>,
    }

    impl Listener for Recorder {
        fn started(&mut self, start: &RunStart) -> Result<(), ListenerError> {
            self.events.push(format!("started {}", start.total));
            Ok(())
        }

        fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
            for finished in &batch.results {
                self.events.push(format!(
                    "{} {} {} {}",
                    finished.index,
                    finished.result.domain,
                    finished.result.outcome.name(),
                    batch.audited
                ));
            }
            Ok(())
        }

        fn ended(&mut self, end: &RunEnd) -> Result<(), ListenerError> {
            self.events
                .push(format!("ended complete={}", end.is_complete()));
            Ok(())
        }
    }

    /// Adds a `changed`-like note, to show later listeners see it.
    struct Marker;

    impl Listener for Marker {
        fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
            for finished in &mut batch.results {
                finished.result.notes.push("marked".to_owned());
            }
            Ok(())
        }
    }

    struct SeesMarks(usize);

    impl Listener for SeesMarks {
        fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
            self.0 += batch
                .results
                .iter()
                .filter(|finished| finished.result.notes.iter().any(|note| note == "marked"))
                .count();
            Ok(())
        }
    }

    fn replay_auditor() -> Auditor {
        let replay = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/replay");
        let flags = Flags {
            as_of: Some("2025-06-01".to_owned()),
            answers: AnswerFlags {
                replay: Some(replay),
                ..AnswerFlags::default()
            },
            ..Flags::default()
        };
        let settings = RunSettings::merge(flags, &Default::default()).unwrap();
        let resources = Resources::open(&settings, Default::default()).unwrap();
        let lifecycle = settings.lifecycle;
        Auditor::new(
            resources.lookup,
            lifecycle.policies,
            lifecycle.thresholds,
            lifecycle.as_of,
        )
    }

    fn list(dir: &Path, text: &str) -> MergedEntries {
        let path: PathBuf = dir.join("list.txt");
        std::fs::write(&path, text).unwrap();
        MergedEntries::open([Source::Path(path)], &ReadOptions::default()).unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_entry_reaches_every_listener_once_between_start_and_end() {
        let dir = tempfile::tempdir().unwrap();
        let entries = list(
            dir.path(),
            "google.com\nnot a name\nlemonde.fr\nnever-captured.com\ngoogle.com\n",
        );
        let auditor = replay_auditor();
        let (mut recorder, mut marker, mut sees) = (Recorder::default(), Marker, SeesMarks(0));
        let mut driver = Driver::new(&auditor, 2);
        driver
            .listen(&mut marker)
            .listen(&mut recorder)
            .listen(&mut sees);
        let end = driver.run(entries, AsOf::Instant(Utc::now())).await;
        assert!(end.is_complete());
        assert!(end.failed_outputs.is_empty());

        let events = &recorder.events;
        assert_eq!(events.first().map(String::as_str), Some("started 4"));
        assert_eq!(
            events.last().map(String::as_str),
            Some("ended complete=true")
        );
        let mut results: Vec<&str> = events[1..events.len() - 1]
            .iter()
            .map(String::as_str)
            .collect();
        results.sort_unstable();
        assert_eq!(
            results,
            [
                "0 google.com checked true",
                "1 not a name invalid true",
                "2 lemonde.fr checked true",
                "3 never-captured.com failed true",
            ]
        );
        assert_eq!(sees.0, 4, "a listener sees what earlier ones added");
    }

    /// Fails at its first batch, as a full disk would.
    #[derive(Default)]
    struct Fails {
        calls: usize,
    }

    impl Listener for Fails {
        fn results(&mut self, _batch: &mut Batch) -> Result<(), ListenerError> {
            self.calls += 1;
            Err(ListenerError::Output(std::io::Error::other("disk full")))
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_listener_is_dropped_and_the_run_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let entries = list(dir.path(), "google.com\nlemonde.fr\n");
        let auditor = replay_auditor();
        let (mut fails, mut recorder) = (Fails::default(), Recorder::default());
        let mut driver = Driver::new(&auditor, 1);
        driver.listen(&mut fails).listen(&mut recorder);
        let end = driver.run(entries, AsOf::Instant(Utc::now())).await;
        assert!(end.is_complete());
        let failures: Vec<String> = end.failed_outputs.iter().map(ToString::to_string).collect();
        assert_eq!(failures, ["cannot write the output: disk full"]);
        assert_eq!(fails.calls, 1, "not called after its failure");
        assert_eq!(recorder.events.len(), 4, "{:?}", recorder.events);
    }

    /// Says standard output was closed at its first batch.
    #[derive(Default)]
    struct Closed;

    impl Listener for Closed {
        fn results(&mut self, _batch: &mut Batch) -> Result<(), ListenerError> {
            Err(ListenerError::OutputClosed)
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_closed_output_stops_the_run_quietly_with_the_rest_not_checked() {
        let dir = tempfile::tempdir().unwrap();
        let entries = list(dir.path(), "google.com\nlemonde.fr\ngoogle.de\n");
        let auditor = replay_auditor();
        let (mut closed, mut recorder) = (Closed, Recorder::default());
        let mut driver = Driver::new(&auditor, 1);
        driver.listen(&mut closed).listen(&mut recorder);
        let end = driver.run(entries, AsOf::Instant(Utc::now())).await;
        assert!(matches!(end.ending, Ending::OutputClosed));
        assert!(end.failed_outputs.is_empty(), "a closed pipe is no failure");
        let events = &recorder.events;
        assert_eq!(events[1], "0 google.com checked true");
        assert_eq!(
            events[2..events.len() - 1],
            [
                "1 lemonde.fr not_checked false",
                "2 google.de not_checked false"
            ]
        );
    }
}
