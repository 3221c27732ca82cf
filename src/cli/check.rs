//! `domlife check LIST...`: the audit of a list of names, the main job.
//!
//! Names are read (duplicates merged, bad lines kept as results), looked up
//! with bounded concurrency, and written as they complete (ndjson) or as an
//! ordered report at the end. Every input entry yields exactly one result.
//! Ctrl-C stops scheduling: what is done is written, the rest is reported
//! as not checked, and the exit status is 130.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use chrono::Utc;
use clap::ValueEnum;
use futures::StreamExt;

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
use crate::input::{self, ReadOptions, Source};
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
        (keep|drop) and tags columns. Bad lines are reported as results, never dropped.\n\n\
        Exit status: 0 when no finding is at or above --fail-on (default: error); 1 when one is; \
        3 when no such finding but some names could not be checked (invalid line, failed \
        lookup: the report says which); 2 for bad arguments, an unreadable list, config or \
        baseline, or a --report directory that does not exist; 130 when \
        interrupted. `domlife explain` lists the finding codes."
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
    let entries = input::read_all(sources, &ReadOptions { csv: args.csv }).map_err(bad_input)?;
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
    let keep_results = !args.format.is_streaming() || !args.reports.is_empty();

    let mut out = io::stdout().lock();
    let (results, tally, complete) = runtime.block_on(async {
        let mut done: Vec<Option<AuditResult>> = Vec::new();
        if keep_results {
            done.resize(entries.len(), None);
        }
        let mut reached = vec![false; entries.len()];
        let mut finished_order = Vec::with_capacity(entries.len());
        let mut tally = Tally::default();
        let mut audits = futures::stream::iter(entries.iter().enumerate())
            .map(|(index, entry)| {
                let auditor = &auditor;
                async move { (index, auditor.audit(entry).await) }
            })
            .buffer_unordered(concurrency)
            .take_until(Box::pin(tokio::signal::ctrl_c()));
        let progress = Progress::new(entries.len(), args.quiet);
        while let Some((index, mut result)) = audits.next().await {
            progress.done_one(auditor.gate());
            if let Some(baseline) = &baseline {
                baseline.apply(&mut result);
            }
            if let (Some(store), Some(run)) = (&history_store, run) {
                let recorded = tokio::task::block_in_place(|| {
                    history::record_result(store, run, &mut result, as_of.instant())
                });
                // The audit stands without its record; say so, but go on.
                if let Err(error) = recorded {
                    eprintln!(
                        "domlife: warning: {} is not recorded in the store: {error}",
                        result.domain
                    );
                }
            }
            tally.add(&result, args.fail_on);
            if args.format.is_streaming() {
                report::write_one(&mut out, &result).or_else(ignore_broken_pipe)?;
            }
            finished_order.push(index);
            reached[index] = true;
            if keep_results {
                done[index] = Some(result);
            }
        }
        progress.finish();
        let complete = finished_order.len() == entries.len();
        let unreached = (0..entries.len()).filter(|index| !reached[*index]);
        if args.format.is_streaming() {
            // Names the interrupted run never reached still get their line.
            for index in unreached.clone() {
                let result = AuditResult::not_checked(&entries[index]);
                report::write_one(&mut out, &result).or_else(ignore_broken_pipe)?;
            }
        }
        if !keep_results {
            return Ok::<_, io::Error>((Vec::new(), tally, complete));
        }
        let mut ordered: Vec<usize> = match args.sort.unwrap_or(Sort::Input) {
            Sort::Input => (0..entries.len()).collect(),
            Sort::Done => finished_order,
        };
        if args.sort == Some(Sort::Done) {
            ordered.extend(unreached);
        }
        let results: Vec<AuditResult> = ordered
            .into_iter()
            .map(|index| {
                done[index]
                    .take()
                    .unwrap_or_else(|| AuditResult::not_checked(&entries[index]))
            })
            .collect();
        Ok((results, tally, complete))
    })?;
    if let (Some(store), Some(run)) = (&history_store, run)
        && let Err(error) = store.finish_run(run, complete, Utc::now())
    {
        eprintln!("domlife: warning: the run's end is not recorded in the store: {error}");
    }
    let status = tally.exit_status(complete);
    if !keep_results {
        out.flush().or_else(ignore_broken_pipe)?;
        return Ok(status);
    }
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
