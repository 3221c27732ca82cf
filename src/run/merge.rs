//! `domlife merge`: the reports of a sharded audit (`check --shard K/N`
//! on N machines) made into the report one run would have written. The
//! parts are checked first: one list (by its digest), one as-of day, no
//! name in two parts, no shard missing (unless partial results are
//! wanted). Then the results, put back in the list's order, go to the same
//! listeners a run feeds (the report sinks, the exit-status tally) as one
//! batch: merging is a run whose answers come from reports, not a second
//! implementation of the outputs.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::listener::{Batch, Ending, Finished, Listener, ListenerError, RunEnd, RunStart, Signal};
use crate::audit::{AuditResult, Outcome};
use crate::report::ShardInfo;
use crate::report::read::ReadReport;

/// Why reports cannot be merged; each says which reports and what to do.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// Nothing to merge.
    #[error("no reports to merge")]
    Empty,
    /// Some reports are shards and some are not: merge the shards of one
    /// run only.
    #[error("{sharded} is a shard report but {whole} is not: merge the shards of one run")]
    MixedKinds { sharded: String, whole: String },
    /// The shards split different lists (or a list that changed).
    #[error(
        "{first} and {second} are shards of different lists (SHA-256 {first_sha} and {second_sha})"
    )]
    DifferentLists {
        first: String,
        second: String,
        first_sha: String,
        second_sha: String,
    },
    /// The shards split the list into different numbers of parts.
    #[error("{first} is a shard of {first_n} and {second} of {second_n}")]
    DifferentSplits {
        first: String,
        second: String,
        first_n: u32,
        second_n: u32,
    },
    /// The reports judged different days: run the shards with the same
    /// `--as-of`.
    #[error("{first} is as of {first_day} but {second} as of {second_day}")]
    DifferentDays {
        first: String,
        second: String,
        first_day: NaiveDate,
        second_day: NaiveDate,
    },
    /// The same shard was given twice.
    #[error("{first} and {second} are both shard {k}/{n}")]
    SameShard {
        first: String,
        second: String,
        k: u32,
        n: u32,
    },
    /// A name is in two reports.
    #[error("{name} is in both {first} and {second}")]
    Overlap {
        name: String,
        first: String,
        second: String,
    },
    /// Shards are missing: give every report, or `--allow-partial`.
    #[error("shard{} {} of {n} missing (give every shard's report, or --allow-partial)", if missing.len() == 1 { "" } else { "s" }, list(missing))]
    Missing { missing: Vec<u32>, n: u32 },
}

fn list(numbers: &[u32]) -> String {
    numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reports checked to be parts of one audit, their results in list order.
#[derive(Debug)]
pub struct Merged {
    start: RunStart,
    end: RunEnd,
    results: Vec<AuditResult>,
}

impl Merged {
    /// Checks that `reports` are parts of one audit and orders their
    /// results as one run of the whole list would have.
    pub fn plan(reports: Vec<ReadReport>, allow_partial: bool) -> Result<Merged, MergeError> {
        let first = reports.first().ok_or(MergeError::Empty)?;
        check_same_day(&reports)?;
        let shard = check_shards(&reports, allow_partial)?;
        check_overlap(&reports)?;
        let as_of = first.meta.as_of;
        let started = reports.iter().map(|r| r.meta.started).min();
        let finished = reports
            .iter()
            .filter_map(|report| report.meta.finished.or(Some(report.meta.started)))
            .max();
        let complete = reports.iter().all(|report| report.meta.complete);
        let lists = shard.map(|info| info.lists.clone()).unwrap_or_default();
        let mut results: Vec<AuditResult> = reports
            .into_iter()
            .flat_map(|report| report.results)
            .collect();
        results.sort_by_cached_key(|result| list_position(result, &lists));
        let (Some(started), Some(finished)) = (started, finished) else {
            return Err(MergeError::Empty);
        };
        Ok(Merged {
            start: RunStart {
                total: results.len(),
                started,
                as_of,
            },
            end: RunEnd {
                started,
                finished,
                ending: if complete {
                    Ending::Complete
                } else {
                    Ending::Interrupted(Signal::Interrupt)
                },
                failed_outputs: Vec::new(),
            },
            results,
        })
    }

    /// Feeds the merged results to `listeners`, as a run would; a listener
    /// that fails is dropped and its error kept in the end.
    pub fn feed(self, listeners: &mut [&mut dyn Listener]) -> RunEnd {
        let mut failed = vec![false; listeners.len()];
        let mut failures = Vec::new();
        let mut each = |call: &mut dyn FnMut(&mut dyn Listener) -> Result<(), ListenerError>| {
            for (listener, failed) in listeners.iter_mut().zip(failed.iter_mut()) {
                if *failed {
                    continue;
                }
                if let Err(error) = call(&mut **listener) {
                    *failed = true;
                    if !matches!(error, ListenerError::OutputClosed) {
                        failures.push(error);
                    }
                }
            }
        };
        each(&mut |listener| listener.started(&self.start));
        // Not-checked results of an interrupted shard are reported, as its
        // own report did, but they were not audited.
        let (audited, unaudited): (Vec<Finished>, Vec<Finished>) = self
            .results
            .into_iter()
            .enumerate()
            .map(|(index, result)| Finished { index, result })
            .partition(|finished| finished.result.outcome != Outcome::NotChecked);
        for (results, audited) in [(audited, true), (unaudited, false)] {
            let mut batch = Batch { results, audited };
            each(&mut |listener| listener.results(&mut batch));
        }
        let mut end = self.end;
        each(&mut |listener| listener.ended(&end));
        end.failed_outputs = failures;
        end
    }
}

/// Where a result's first line is among `lists` (unknown lists last, by
/// name): the order of an unsharded run, which numbers entries as it
/// first reads them.
fn list_position(result: &AuditResult, lists: &[String]) -> (usize, String, usize) {
    match result.first_origin() {
        Some(origin) => {
            let file = lists
                .iter()
                .position(|list| *list == origin.file)
                .unwrap_or(lists.len());
            (file, origin.file.clone(), origin.line)
        }
        None => (usize::MAX, result.domain.clone(), 0),
    }
}

fn name(report: &ReadReport) -> String {
    report.path.display().to_string()
}

fn check_same_day(reports: &[ReadReport]) -> Result<(), MergeError> {
    let first = &reports[0];
    for other in &reports[1..] {
        if other.meta.as_of_day() != first.meta.as_of_day() {
            return Err(MergeError::DifferentDays {
                first: name(first),
                second: name(other),
                first_day: first.meta.as_of_day(),
                second_day: other.meta.as_of_day(),
            });
        }
    }
    Ok(())
}

/// The shard information the reports share, `None` for whole reports.
fn check_shards(
    reports: &[ReadReport],
    allow_partial: bool,
) -> Result<Option<&ShardInfo>, MergeError> {
    let first = &reports[0];
    let sharded = reports.iter().find(|report| report.meta.shard.is_some());
    let whole = reports.iter().find(|report| report.meta.shard.is_none());
    let (Some(sharded), whole) = (sharded, whole) else {
        return Ok(None);
    };
    if let Some(whole) = whole {
        return Err(MergeError::MixedKinds {
            sharded: name(sharded),
            whole: name(whole),
        });
    }
    let Some(base) = first.meta.shard.as_ref() else {
        return Ok(None);
    };
    let mut seen: HashMap<u32, &ReadReport> = HashMap::new();
    for report in reports {
        let Some(shard) = report.meta.shard.clone() else {
            continue;
        };
        if shard.list_sha256 != base.list_sha256 {
            return Err(MergeError::DifferentLists {
                first: name(first),
                second: name(report),
                first_sha: base.list_sha256.clone(),
                second_sha: shard.list_sha256,
            });
        }
        if shard.n != base.n {
            return Err(MergeError::DifferentSplits {
                first: name(first),
                second: name(report),
                first_n: base.n,
                second_n: shard.n,
            });
        }
        if let Some(earlier) = seen.insert(shard.k, report) {
            return Err(MergeError::SameShard {
                first: name(earlier),
                second: name(report),
                k: shard.k,
                n: shard.n,
            });
        }
    }
    let missing: Vec<u32> = (1..=base.n).filter(|k| !seen.contains_key(k)).collect();
    if !missing.is_empty() && !allow_partial {
        return Err(MergeError::Missing { missing, n: base.n });
    }
    Ok(Some(base))
}

/// No name (or, for a line that is not a name, no line) in two reports.
fn check_overlap(reports: &[ReadReport]) -> Result<(), MergeError> {
    let mut owner: HashMap<String, &ReadReport> = HashMap::new();
    for report in reports {
        let mut keys = BTreeSet::new();
        for result in &report.results {
            let key = match (result.outcome, result.first_origin()) {
                (Outcome::Invalid, Some(origin)) => format!("{}:{}", origin.file, origin.line),
                _ => result.domain.clone(),
            };
            keys.insert(key);
        }
        for key in keys {
            if let Some(first) = owner.insert(key.clone(), report) {
                return Err(MergeError::Overlap {
                    name: key,
                    first: name(first),
                    second: name(report),
                });
            }
        }
    }
    Ok(())
}
