//! `domlife check LIST...`: the audit of a list of names, the main job.
//!
//! This file only wires: it checks what can be checked before any lookup
//! (report targets, the baseline, the lists), resolves the settings,
//! registers the listeners the flags ask for on a [`Driver`] and maps how
//! the run ended to an exit status. The run itself (lists read as names
//! are looked up, one result per entry, Ctrl-C) is [`crate::run`]'s.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use clap::ValueEnum;

use super::error::bad_input;
use super::fetch_args::FetchArgs;
use super::lookup_args::LookupArgs;
use super::notify_args::{self, NotifyArgs};
use super::report_args::{self, ColorChoice, FailOn, ReportTarget};
use super::settings_args::{self, ConfigArgs};
use super::store_args::StoreArgs;
use crate::audit::Auditor;
use crate::baseline::Baseline;
use crate::escape::printable;
use crate::input::{MergedEntries, ReadOptions, Shard, Source};
use crate::report::{ReportFormat, ShardInfo};
use crate::run::listeners::Warn;
use crate::run::listeners::baseline::BaselineChanges;
use crate::run::listeners::history::HistoryRecorder;
use crate::run::listeners::notify::{Notifier, NotifyOptions};
use crate::run::listeners::progress::Progress;
use crate::run::listeners::report::{Order, ReportOptions, WholeReport};
use crate::run::listeners::stream::NdjsonStream;
use crate::run::listeners::tally::Tally;
use crate::run::{Driver, RunSettings};

#[derive(Debug, clap::Args)]
#[command(
    about = "Audit a list of names: look each up and report where it stands",
    after_help = "Examples:\n  \
        domlife check domains.txt\n  \
        domlife check portfolio.csv --format json > report.json\n  \
        cat domains.txt | domlife check - --format ndjson\n  \
        domlife check domains.txt --format github --report junit=junit.xml --baseline last.json\n  \
        domlife check retiring.csv --dns --fail-on warning   # intent=drop names still in DNS\n\n\
        Input: one name per line (# comments, blank lines, CRLF and a BOM are fine), or CSV \
        (.csv or --csv) with a `domain` column and optional tier, registrar, expires, intent \
        (keep|drop) and tags columns. Bad lines are reported as results, never dropped. \
        Lists are read twice (standard input is first copied to a temporary file): once to \
        count repeated names, once to look them up as they are read.\n\n\
        Exit status: 0 when no finding is at or above --fail-on (default: error); 1 when one is; \
        3 when no such finding but some names could not be checked (invalid line, failed \
        lookup: the report says which); 2 for bad arguments, an unreadable list, config or \
        baseline, a --report directory that does not exist, or a list that cannot be read \
        again on the second pass (after the lines already written); 4 when the audit ran but \
        an output could not be written (a full disk: the store still records the run) or a \
        --notify webhook could not be told (its changes come again next run); 130 \
        (Ctrl-C) or 143 (SIGTERM) when stopped, after writing what is done. When several \
        apply, the first of 130/143, 2, 4, 1, 3 wins. A reader closing standard output \
        (`| head`) stops the run quietly. `domlife explain` lists the finding codes."
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
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// The least severe finding that makes the run fail (exit status 1).
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// No progress bar on standard error (it is shown only on a terminal anyway).
    #[arg(long, short)]
    pub quiet: bool,
    /// Write each host's rate, answer time, requests in flight and what
    /// bounds it (rate limit, in-flight cap, --concurrency, Retry-After) to
    /// standard error every 10 s and at the end, terminal or not.
    #[arg(long, short)]
    pub verbose: bool,
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
    /// Audit only shard K of N of the list (1-based: 1/4 .. 4/4), for an
    /// audit split over N machines; `domlife merge` joins their reports.
    /// Entries are shared out by a hash of the name, the same everywhere.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    #[command(flatten)]
    pub notify: NotifyArgs,
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
    // What can be wrong with the flags and files is found before any lookup.
    check_flags(&args)?;
    let baseline = read_baseline(args.baseline.as_deref())?;
    let sources: Vec<Source<'static>> = args.inputs.iter().map(Source::from_arg).collect();
    // The first pass reads every list: an unreadable one stops the run here.
    let options = ReadOptions { csv: args.csv };
    let entries = MergedEntries::open_shard(sources, &options, args.shard).map_err(bad_input)?;
    let shard = args
        .shard
        .zip(entries.lists())
        .map(|(shard, lists)| ShardInfo {
            k: shard.k(),
            n: shard.n(),
            list_sha256: lists.sha256.clone(),
            lists: lists.files.clone(),
        });
    let settings = settings_args::run_settings(
        &args.config,
        &args.lookup,
        &args.fetch,
        &args.store,
        args.as_of.as_deref(),
    )?;
    let notify = args.notify.options(settings.lookup.client.policy)?;
    let resources = settings_args::open(&settings)?;
    let lifecycle = &settings.lifecycle;
    let auditor = Auditor::new(
        resources.lookup,
        lifecycle.policies.clone(),
        lifecycle.thresholds.clone(),
        lifecycle.as_of,
    )
    .with_dns(resources.dns);
    let found = Found {
        baseline: baseline.map(std::sync::Arc::new),
        store: resources.history,
        shard,
        notify,
    };
    let mut outputs = Outputs::new(&args, &settings, &auditor, found)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let end = runtime.block_on(async {
        // The gate paces each host; the lookups waiting on it are many more.
        let mut driver = Driver::new(&auditor, settings.pacing.lookups_in_flight());
        outputs.register(&mut driver);
        driver.run(entries, lifecycle.as_of).await
    });
    super::exit_status::run_status(end, outputs.tally.verdict())
}

/// Refuses flags that cannot work together, and report files that could
/// not be written, before the run.
fn check_flags(args: &Args) -> anyhow::Result<()> {
    if args.format.is_streaming() && args.sort == Some(Sort::Input) {
        return Err(bad_input(anyhow!(
            "--sort input needs a whole report; ndjson is written as lookups complete"
        )));
    }
    report_args::check_targets(&args.reports).map_err(bad_input)
}

fn read_baseline(path: Option<&std::path::Path>) -> anyhow::Result<Option<Baseline>> {
    let baseline = path.map(Baseline::read).transpose().map_err(bad_input)?;
    if baseline.as_ref().is_some_and(Baseline::is_empty) {
        eprintln!("domlife: warning: the baseline has no results: nothing to compare with");
    }
    Ok(baseline)
}

/// What the listeners need besides the flags, found before the run.
struct Found {
    baseline: Option<std::sync::Arc<Baseline>>,
    /// The store of a live run, for its history.
    store: Option<crate::store::Store>,
    shard: Option<ShardInfo>,
    notify: Option<NotifyOptions>,
}

/// The listeners a `check` run's flags ask for.
struct Outputs {
    baseline: Option<BaselineChanges>,
    history: Option<HistoryRecorder>,
    tally: Tally,
    progress: Progress,
    stream: Option<NdjsonStream>,
    report: Option<WholeReport>,
    notify: Option<Notifier>,
}

impl Outputs {
    fn new(
        args: &Args,
        settings: &RunSettings,
        auditor: &Auditor,
        found: Found,
    ) -> anyhow::Result<Outputs> {
        let warn: Warn = std::sync::Arc::new(|message: &str| {
            eprintln!("domlife: warning: {}", printable(message));
        });
        let summary = notify_args::command_summary();
        let streaming = args.format.is_streaming();
        let history = found
            .store
            .map(|store| HistoryRecorder::new(store, summary, warn.clone()));
        let notify = found
            .notify
            .map(|options| {
                let baseline = found.baseline.clone();
                notify_args::check_notifier(options, settings, baseline, history.as_ref(), warn)
            })
            .transpose()?;
        Ok(Outputs {
            baseline: found.baseline.map(BaselineChanges::new),
            history,
            tally: Tally::new(args.fail_on.threshold()),
            progress: Progress::new(auditor.gate().clone(), args.quiet, args.verbose),
            stream: streaming.then(|| NdjsonStream::new(found.shard.clone())),
            // A streamed report with no --report file keeps no result: memory
            // then stays flat however long the list.
            report: (!streaming || !args.reports.is_empty())
                .then(|| WholeReport::new(report_options(args, settings, found.shard))),
            notify,
        })
    }

    /// Change detection first (it adds findings the others must see), then
    /// the exit status, the progress bar, the outputs and the notifier.
    fn register<'a>(&'a mut self, driver: &mut Driver<'a>) {
        if let Some(baseline) = &mut self.baseline {
            driver.listen(baseline);
        }
        if let Some(history) = &mut self.history {
            driver.listen(history);
        }
        driver.listen(&mut self.tally).listen(&mut self.progress);
        if let Some(stream) = &mut self.stream {
            driver.listen(stream);
        }
        if let Some(report) = &mut self.report {
            driver.listen(report);
        }
        if let Some(notify) = &mut self.notify {
            driver.listen(notify);
        }
    }
}

fn report_options(args: &Args, settings: &RunSettings, shard: Option<ShardInfo>) -> ReportOptions {
    ReportOptions {
        stdout: (!args.format.is_streaming()).then_some(args.format),
        files: args
            .reports
            .iter()
            .map(|target| (target.format, target.path.clone()))
            .collect(),
        order: match args.sort {
            Some(Sort::Done) => Order::Done,
            Some(Sort::Input) | None => Order::Input,
        },
        fail_threshold: args.fail_on.threshold(),
        thresholds: settings.lifecycle.thresholds.clone(),
        color: args.color.enabled(),
        shard,
    }
}
