//! `domlife check LIST...`: the audit of a list of names, the main job.
//!
//! Names are read as they are looked up ([`MergedEntries`]: duplicates
//! merged, bad lines kept as results), with bounded concurrency, and
//! written as they complete (ndjson) or as an ordered report at the end.
//! Every input entry yields exactly one result. Only a whole report holds
//! the results; ndjson alone holds none, so a run's memory does not grow
//! with its list. Ctrl-C stops scheduling: what is done is written, the
//! names in flight and those never read are reported as not checked, and
//! the exit status is 130.

use std::collections::HashMap;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::pin::pin;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, anyhow};
use chrono::Utc;
use clap::ValueEnum;
use futures::stream::FuturesUnordered;
use futures::{FutureExt, StreamExt};

use super::bad_input;
use super::fetch_args::FetchArgs;
use super::lifecycle_input;
use super::lookup_args::LookupArgs;
use super::progress::Progress;
use super::report_args::{self, ReportTarget};
use super::store_args::StoreArgs;
use crate::audit::{AuditResult, Auditor, Outcome};
use crate::baseline::Baseline;
use crate::config::Config;
use crate::history;
use crate::input::{Entry, InputError, MergedEntries, ReadOptions, Source};
use crate::lookup::{Answers, Keeping};
use crate::reconcile::{Code, Severity};
use crate::report::{self, Counts, Meta, Report, ReportContext, ReportFormat};

/// Exit status of an interrupted run.
const EXIT_INTERRUPTED: u8 = 130;
/// Exit status when some names could not be checked (and nothing worse).
const EXIT_NOT_CHECKED: u8 = 3;

#[derive(Debug, clap::Args)]
#[command(
    about = "Audit a list of names: look each up and report where it stands",
    after_help = "Examples:\n  \
        domlife check domains.txt\n  \
        domlife check portfolio.csv --format json > report.json\n  \
        cat domains.txt | domlife check - --format ndjson\n  \
        domlife check domains.txt --format github --report junit=junit.xml --baseline last.json\n\n\
        Input: one name per line (# comments, blank lines, CRLF and a BOM are fine), or CSV \
        (.csv or --csv) with a `domain` column and optional tier, registrar, expires, intent \
        (keep|drop) and tags columns. Bad lines are reported as results, never dropped. \
        Lists are read twice (standard input is first copied to a temporary file): once to \
        count repeated names, once to look them up as they are read.\n\n\
        Exit status: 0 when no finding is at or above --fail-on (default: error); 1 when one is; \
        3 when no such finding but some names could not be checked (invalid line, failed \
        lookup: the report says which); 2 for bad arguments, an unreadable list, config or \
        baseline, a --report directory that does not exist, or a list that cannot be read \
        again on the second pass (after the lines already written); 130 when interrupted. \
        `domlife explain` lists the finding codes."
)]
pub struct Args {
    /// Files to read (`-` for standard input).
    #[arg(required = true, value_name = "LIST")]
    pub inputs: Vec<PathBuf>,
    /// Read the lists as CSV whatever their extension.
    #[arg(long)]
    pub csv: bool,
    #[command(flatten)]
    pub lookup: LookupArgs,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Audit as of this date or date-time [default: now].
    #[arg(long = "as-of")]
    pub as_of: Option<String>,
    /// A TOML policy file adding or overriding entries of the built-in table.
    #[arg(long = "policy-file")]
    pub policy_file: Option<PathBuf>,
    /// Settings file (thresholds per tier, policy entries, server overrides)
    /// [default: domlife.toml in the working directory, if there is one].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// The least severe finding that makes the run fail (exit status 1).
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// No progress bar on standard error (it is shown only on a terminal anyway).
    #[arg(long, short)]
    pub quiet: bool,
    /// Colour the table: auto (when standard output is a terminal and
    /// NO_COLOR is not set), always or never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Order of the report: by input line, or as lookups complete [default:
    /// input; ndjson is always written as lookups complete].
    #[arg(long, value_enum)]
    pub sort: Option<Sort>,
    /// Also write a report in FORMAT to FILE at the end of the run
    /// (repeatable): `--report junit=junit.xml --report markdown=summary.md`.
    #[arg(long = "report", value_name = "FORMAT=FILE",
          value_parser = report_args::parse_report_target)]
    pub reports: Vec<ReportTarget>,
    /// An earlier `check --format json` report: each name gets a `changed`
    /// finding for what differs from it (statuses, registrar, nameservers,
    /// DNSSEC, expiry, registration).
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,
}

/// Which findings fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Notice,
    Warning,
    Error,
    /// Never fail on findings (exit 0 unless interrupted).
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Notice => Some(Severity::Notice),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Error => Some(Severity::Error),
            FailOn::Never => None,
        }
    }
}

/// When to colour the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Colour or not: `NO_COLOR` (any non-empty value) turns `auto` off,
    /// as does output that is not a terminal.
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
                !no_color && io::stdout().is_terminal()
            }
        }
    }
}

/// Order of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Sort {
    /// By the first input line of each name.
    Input,
    /// As lookups complete.
    Done,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.format.is_streaming() && args.sort == Some(Sort::Input) {
        return Err(bad_input(anyhow!(
            "--sort input needs a whole report; ndjson is written as lookups complete"
        )));
    }
    // Report files and the baseline are checked before any lookup.
    report_args::check_targets(&args.reports).map_err(bad_input)?;
    let baseline = args
        .baseline
        .as_deref()
        .map(Baseline::read)
        .transpose()
        .map_err(bad_input)?;
    if baseline.as_ref().is_some_and(Baseline::is_empty) {
        eprintln!("domlife: warning: the baseline has no results: nothing to compare with");
    }
    let sources: Vec<Source<'static>> = args.inputs.iter().map(Source::from_arg).collect();
    // The first pass reads every list: an unreadable one stops the run here,
    // before any lookup.
    let entries =
        MergedEntries::open(sources, &ReadOptions { csv: args.csv }).map_err(bad_input)?;
    let config = Config::load(args.config.as_deref()).map_err(bad_input)?;
    let policies = lifecycle_input::load_table_with(&config, args.policy_file.as_deref())?;
    let as_of = lifecycle_input::as_of(args.as_of.as_deref())?;
    // The file's server overrides first, so a flag for the same TLD wins.
    let mut lookup_args = args.lookup.clone();
    lookup_args.bootstrap.rdap_servers = config
        .rdap_servers()
        .map_err(bad_input)?
        .into_iter()
        .chain(args.lookup.bootstrap.rdap_servers.iter().cloned())
        .collect();
    lookup_args.whois_servers = config
        .whois_servers()
        .map_err(bad_input)?
        .into_iter()
        .chain(args.lookup.whois_servers.iter().cloned())
        .collect();
    // The file's rates first, so a --rate for the same host wins.
    let mut fetch_args = args.fetch.clone();
    fetch_args.rate = config
        .rates()
        .map_err(bad_input)?
        .into_iter()
        .chain(args.fetch.rate.iter().cloned())
        .collect();
    let pacing = fetch_args.gate_config();
    // The gate paces each host; the lookups waiting on it are many more.
    let concurrency = pacing.lookups_in_flight();
    let answers = args
        .store
        .answers(args.lookup.bootstrap.cache.dir().as_deref())?;
    // Live runs are recorded in the store; a replay is not a new observation.
    let history_store = match &answers {
        Answers::Network(Keeping {
            cache: Some(cache), ..
        }) => Some(cache.store.clone()),
        _ => None,
    };
    let lookup = lookup_args.build(policies.clone(), pacing, answers)?;
    let thresholds = config.thresholds.clone();
    let auditor = Auditor::new(lookup, policies, thresholds.clone(), as_of);
    let started = Utc::now();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;

    // With a store, every result is recorded as it completes, before it is
    // written: the comparison with the last run adds `changed` findings.
    let run = history_store.as_ref().and_then(|store| {
        let summary: Vec<String> = std::env::args().skip(1).collect();
        store
            .begin_run(&summary.join(" "), started)
            .map_err(|error| {
                eprintln!("domlife: warning: this run is not recorded in the store: {error}");
            })
            .ok()
    });
    // A streamed report with no --report file needs no result after it is
    // written: memory then stays flat however long the list.
    let kept = match (
        args.format.is_streaming() && args.reports.is_empty(),
        args.sort,
    ) {
        (true, _) => Kept::Nothing,
        (false, Some(Sort::Done)) => Kept::InOrder(Vec::new()),
        (false, _) => Kept::ByIndex(Vec::with_capacity(entries.total())),
    };
    let mut sink = Sink {
        out: io::BufWriter::new(io::stdout().lock()),
        streaming: args.format.is_streaming(),
        kept,
    };
    let progress = Progress::new(entries.total(), args.quiet);
    let (tally, ended) = runtime.block_on(async {
        let mut tally = Tally::default();
        // Results that finish together are recorded in one commit of the
        // store and written in one go: per result, both would cost far more
        // than the lookup.
        let finish = |mut batch: Vec<(usize, AuditResult)>| -> io::Result<()> {
            if let Some(baseline) = &baseline {
                for (_, result) in &mut batch {
                    baseline.apply(result);
                }
            }
            if let (Some(store), Some(run)) = (&history_store, run) {
                let recorded = tokio::task::block_in_place(|| {
                    let results = batch.iter_mut().map(|(_, result)| result);
                    history::record_results(store, run, results, as_of.instant())
                });
                // The audit stands without its record; say so, but go on.
                for ((_, result), outcome) in batch.iter().zip(recorded) {
                    if let Err(error) = outcome {
                        eprintln!(
                            "domlife: warning: {} is not recorded in the store: {error}",
                            result.domain
                        );
                    }
                }
            }
            for (index, result) in batch {
                tally.add(&result, args.fail_on);
                sink.emit(index, result)?;
            }
            sink.flush()
        };
        let mut entries = entries;
        let ended = audit_all(&auditor, &mut entries, concurrency, &progress, finish).await?;
        progress.finish();
        // Names the run never reached still get their result, unchecked.
        let (in_flight, unread) = match &ended {
            Ended::Complete => (&[][..], None),
            Ended::Interrupted { in_flight } => (&in_flight[..], Some(entries)),
            Ended::Unreadable { in_flight, .. } => (&in_flight[..], None),
        };
        for (index, entry) in in_flight {
            sink.emit(*index, AuditResult::not_checked(entry))?;
        }
        // The first pass read every list, so an error now means one changed
        // under us; what follows it cannot be reported either way.
        for (index, entry) in unread.into_iter().flatten().map_while(Result::ok) {
            sink.emit(index, AuditResult::not_checked(&entry))?;
        }
        Ok::<_, io::Error>((tally, ended))
    })?;
    let complete = matches!(ended, Ended::Complete);
    if let (Some(store), Some(run)) = (&history_store, run)
        && let Err(error) = store.finish_run(run, complete, Utc::now())
    {
        eprintln!("domlife: warning: the run's end is not recorded in the store: {error}");
    }
    let Sink { mut out, kept, .. } = sink;
    if let Ended::Unreadable { error, .. } = ended {
        out.flush().or_else(ignore_broken_pipe)?;
        return Err(bad_input(error));
    }
    let status = tally.exit_status(complete);
    let Some(results) = kept.into_results() else {
        out.flush().or_else(ignore_broken_pipe)?;
        return Ok(status);
    };
    let context = ReportContext {
        complete,
        fail_threshold: args.fail_on.threshold(),
        thresholds,
        as_of: as_of.instant(),
        generated: Utc::now(),
        color: args.color.enabled(),
    };
    let report = Report {
        meta: Meta {
            version: env!("CARGO_PKG_VERSION"),
            as_of,
            started,
            finished: context.generated,
            complete,
            counts: Counts::of(&results),
        },
        results,
    };
    if !args.format.is_streaming() {
        report::write_all(args.format, &mut out, &report, &context).or_else(ignore_broken_pipe)?;
    }
    out.flush().or_else(ignore_broken_pipe)?;
    // Files are written without colour, whatever the terminal takes.
    let file_context = ReportContext {
        color: false,
        ..context
    };
    for target in &args.reports {
        target.write(&report, &file_context).map_err(bad_input)?;
    }
    Ok(status)
}

/// How the lookups ended.
enum Ended {
    /// Every entry was audited.
    Complete,
    /// Ctrl-C: scheduling stopped; these were being looked up.
    Interrupted { in_flight: Vec<(usize, Arc<Entry>)> },
    /// A list could not be read again (it changed after the first pass).
    Unreadable {
        in_flight: Vec<(usize, Arc<Entry>)>,
        error: InputError,
    },
}

/// Audits the entries as they are read, at most `concurrency` at a time,
/// handing the results to `finish` as they complete, those that complete
/// together in one batch. The entries being
/// looked up are kept so that an interrupted run can still report them.
async fn audit_all(
    auditor: &Auditor,
    entries: &mut MergedEntries,
    concurrency: usize,
    progress: &Progress,
    mut finish: impl FnMut(Vec<(usize, AuditResult)>) -> io::Result<()>,
) -> io::Result<Ended> {
    let mut in_flight: HashMap<usize, Arc<Entry>> = HashMap::new();
    let mut audits = FuturesUnordered::new();
    let mut interrupted = pin!(tokio::signal::ctrl_c());
    // The handler is installed when the future is first polled: do it before
    // the first request, or a Ctrl-C in that moment kills the run unreported.
    let can_interrupt = match (&mut interrupted).now_or_never() {
        None => true,
        Some(Ok(())) => {
            return Ok(Ended::Interrupted {
                in_flight: Vec::new(),
            });
        }
        // No handler could be installed: Ctrl-C ends the run the usual way.
        Some(Err(_)) => false,
    };
    loop {
        while audits.len() < concurrency.max(1) {
            let Some(next) = entries.next() else { break };
            match next {
                Ok((index, entry)) => {
                    let entry = Arc::new(entry);
                    in_flight.insert(index, Arc::clone(&entry));
                    audits.push(async move { (index, auditor.audit(&entry).await) });
                }
                Err(error) => {
                    let in_flight = by_index(in_flight);
                    return Ok(Ended::Unreadable { in_flight, error });
                }
            }
        }
        // A finished lookup is kept even when Ctrl-C came at the same time.
        let first = tokio::select! {
            biased;
            next = audits.next() => match next {
                Some(done) => done,
                None => return Ok(Ended::Complete),
            },
            _ = &mut interrupted, if can_interrupt => {
                return Ok(Ended::Interrupted { in_flight: by_index(in_flight) });
            }
        };
        let mut batch = vec![first];
        while let Some(Some(done)) = audits.next().now_or_never() {
            batch.push(done);
        }
        for (index, _) in &batch {
            in_flight.remove(index);
            progress.done_one(auditor.gate());
        }
        finish(batch)?;
    }
}

fn by_index(in_flight: HashMap<usize, Arc<Entry>>) -> Vec<(usize, Arc<Entry>)> {
    let mut in_flight: Vec<_> = in_flight.into_iter().collect();
    in_flight.sort_unstable_by_key(|(index, _)| *index);
    in_flight
}

/// Where results go: standard output as they come (ndjson), and the
/// results a whole report needs.
struct Sink<'a> {
    out: io::BufWriter<io::StdoutLock<'a>>,
    streaming: bool,
    kept: Kept,
}

impl Sink<'_> {
    fn emit(&mut self, index: usize, result: AuditResult) -> io::Result<()> {
        if self.streaming {
            report::write_one(&mut self.out, &result).or_else(ignore_broken_pipe)?;
        }
        self.kept.keep(index, result);
        Ok(())
    }

    /// Lines written so far reach the reader now, not when the buffer fills.
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush().or_else(ignore_broken_pipe)
    }
}

/// The results kept for a whole report (or a `--report` file).
enum Kept {
    /// A streamed report alone needs none: memory stays flat however long
    /// the list.
    Nothing,
    /// By index, for a report in input order.
    ByIndex(Vec<Option<AuditResult>>),
    /// As they come, for `--sort done`.
    InOrder(Vec<AuditResult>),
}

impl Kept {
    fn keep(&mut self, index: usize, result: AuditResult) {
        match self {
            Kept::Nothing => {}
            Kept::ByIndex(slots) => {
                if slots.len() <= index {
                    slots.resize_with(index + 1, || None);
                }
                if let Some(slot) = slots.get_mut(index) {
                    *slot = Some(result);
                }
            }
            Kept::InOrder(results) => results.push(result),
        }
    }

    fn into_results(self) -> Option<Vec<AuditResult>> {
        match self {
            Kept::Nothing => None,
            Kept::ByIndex(slots) => Some(slots.into_iter().flatten().collect()),
            Kept::InOrder(results) => Some(results),
        }
    }
}

/// What the exit status needs to know of the results, kept as they come
/// so that a streamed run need not hold them.
#[derive(Debug, Default)]
struct Tally {
    /// A finding about a checked name at or above `--fail-on`.
    failing: bool,
    /// A name that could not be checked (invalid line, failed lookup).
    unchecked: bool,
}

impl Tally {
    fn add(&mut self, result: &AuditResult, fail_on: FailOn) {
        self.unchecked |= result.outcome != Outcome::Checked;
        self.failing |= fail_on.threshold().is_some_and(|threshold| {
            result
                .findings
                .iter()
                .any(|finding| finding.code != Code::LookupFailed && finding.severity >= threshold)
        });
    }

    /// 130 when interrupted; 1 when a finding about a checked name is at or
    /// above `--fail-on`; 3 when, short of that, a name could not be
    /// checked; else 0.
    fn exit_status(&self, complete: bool) -> ExitCode {
        if !complete {
            ExitCode::from(EXIT_INTERRUPTED)
        } else if self.failing {
            ExitCode::FAILURE
        } else if self.unchecked {
            ExitCode::from(EXIT_NOT_CHECKED)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// A reader that stopped early (`| head`) is not a failure of ours.
fn ignore_broken_pipe(error: io::Error) -> io::Result<()> {
    if error.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(error)
    }
}
