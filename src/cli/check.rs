//! `domlife check LIST...`: the audit of a list of names, the main job.
//!
//! Names are read (duplicates merged, bad lines kept as results), looked up
//! with bounded concurrency, and written as they complete (ndjson) or as an
//! ordered report at the end. Every input entry yields exactly one result.
//! Ctrl-C stops scheduling: what is done is written, the rest is reported
//! as not checked, and the exit status is 130.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, anyhow};
use chrono::Utc;
use clap::ValueEnum;
use futures::StreamExt;

use super::bad_input;
use super::lifecycle_input::{self, DateInput};
use super::lookup_args::LookupArgs;
use super::report_args::{self, ReportTarget};
use crate::audit::{AsOf, AuditResult, Auditor, Outcome};
use crate::baseline::Baseline;
use crate::input::{self, ReadOptions, Source};
use crate::reconcile::{Severity, Thresholds};
use crate::report::{self, ReportContext, ReportFormat};

/// Exit status of an interrupted run.
const EXIT_INTERRUPTED: u8 = 130;

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
        Exit status: 0 when no finding is at or above --fail-on (default: error), 1 when one \
        is (a name that could not be checked is an error finding), 2 for bad arguments or an \
        unreadable list or baseline or a --report directory that does not exist, 130 when \
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
    /// Lookups in flight at once.
    #[arg(long, value_name = "N", default_value_t = 8,
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Audit as of this date or date-time [default: now].
    #[arg(long = "as-of")]
    pub as_of: Option<String>,
    /// A TOML policy file adding or overriding entries of the built-in table.
    #[arg(long = "policy-file")]
    pub policy_file: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// The least severe finding that makes the run fail (exit status 1).
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
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
    let policies = lifecycle_input::load_table(args.policy_file.as_deref())?;
    let as_of = match args.as_of.as_deref() {
        None => AsOf::Instant(Utc::now()),
        Some(text) => match lifecycle_input::parse_date("as-of", text)? {
            DateInput::Day(day) => AsOf::Day(day),
            DateInput::Instant(instant) => AsOf::Instant(instant),
        },
    };
    let (lookup, warnings) = args.lookup.build(policies.clone())?;
    for warning in warnings {
        eprintln!("domlife: warning: {warning}");
    }
    let thresholds = Thresholds::default();
    let auditor = Auditor::new(lookup, policies, thresholds.clone(), as_of);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;

    let mut out = io::stdout().lock();
    let concurrency = usize::from(args.concurrency);
    let (results, complete) = runtime.block_on(async {
        let mut done: Vec<Option<AuditResult>> = vec![None; entries.len()];
        let mut finished_order = Vec::with_capacity(entries.len());
        let mut audits = futures::stream::iter(entries.iter().enumerate())
            .map(|(index, entry)| {
                let auditor = &auditor;
                async move { (index, auditor.audit(entry).await) }
            })
            .buffer_unordered(concurrency)
            .take_until(Box::pin(tokio::signal::ctrl_c()));
        while let Some((index, mut result)) = audits.next().await {
            if let Some(baseline) = &baseline {
                baseline.apply(&mut result);
            }
            if args.format.is_streaming() {
                report::write_one(&mut out, &result).or_else(ignore_broken_pipe)?;
            }
            finished_order.push(index);
            done[index] = Some(result);
        }
        let complete = finished_order.len() == entries.len();
        let mut ordered: Vec<usize> = match args.sort.unwrap_or(Sort::Input) {
            Sort::Input => (0..entries.len()).collect(),
            Sort::Done => finished_order,
        };
        if args.sort == Some(Sort::Done) {
            ordered.extend((0..entries.len()).filter(|index| done[*index].is_none()));
        }
        let results: Vec<AuditResult> = ordered
            .into_iter()
            .map(|index| {
                done[index]
                    .take()
                    .unwrap_or_else(|| AuditResult::not_checked(&entries[index]))
            })
            .collect();
        Ok::<_, io::Error>((results, complete))
    })?;

    if args.format.is_streaming() {
        // Names the interrupted run never reached still get their line.
        for result in results
            .iter()
            .filter(|result| result.outcome == Outcome::NotChecked)
        {
            report::write_one(&mut out, result).or_else(ignore_broken_pipe)?;
        }
    }
    let context = ReportContext {
        complete,
        fail_threshold: args.fail_on.threshold(),
        thresholds,
        as_of: as_of.instant(),
        generated: Utc::now(),
    };
    if !args.format.is_streaming() {
        report::write_all(args.format, &mut out, &results, &context).or_else(ignore_broken_pipe)?;
    }
    out.flush().or_else(ignore_broken_pipe)?;
    for target in &args.reports {
        target.write(&results, &context).map_err(bad_input)?;
    }
    Ok(exit_status(&results, complete, args.fail_on))
}

/// 130 when interrupted; 1 when a finding is at or above `fail_on`; else 0.
fn exit_status(results: &[AuditResult], complete: bool, fail_on: FailOn) -> ExitCode {
    if !complete {
        return ExitCode::from(EXIT_INTERRUPTED);
    }
    let failed = fail_on.threshold().is_some_and(|threshold| {
        results
            .iter()
            .any(|result| result.worst().is_some_and(|worst| worst >= threshold))
    });
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
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
