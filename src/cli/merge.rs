//! `domlife merge REPORT...`: the reports of an audit split over machines
//! (`check --shard K/N`) joined into one, in any format `check` writes,
//! with the exit status one run would have had. The checks and the
//! ordering are [`crate::run::merge`]'s; this file wires the listeners.

use std::path::PathBuf;
use std::process::ExitCode;

use super::error::bad_input;
use super::report_args::{self, ColorChoice, FailOn, ReportTarget};
use crate::report::ReportFormat;
use crate::report::read::ReadReport;
use crate::run::config_file::ConfigFile;
use crate::run::listener::Listener;
use crate::run::listeners::report::{Order, ReportOptions, WholeReport};
use crate::run::listeners::tally::Tally;
use crate::run::merge::Merged;

#[derive(Debug, clap::Args)]
#[command(
    about = "Join the reports of an audit split with `check --shard K/N` into one report",
    after_help = "Examples:\n  \
        domlife merge shard-1.json shard-2.json shard-3.json shard-4.json\n  \
        domlife merge reports/*.ndjson --format json > domlife.json\n  \
        domlife merge reports/*.json --format github --report junit=junit.xml --fail-on warning\n\n\
        The reports (json, or ndjson as `check --shard` streams it) must be shards of the same \
        list (its SHA-256 is in each report) and the same as-of day; a name in two reports or \
        a missing shard is refused (exit status 2) unless --allow-partial. Results come out in \
        the order of an unsharded run of the list.\n\n\
        Exit status: as `check`: 0, 1 for a finding at or above --fail-on, 3 when some names \
        could not be checked, 130 when a shard was interrupted, 2 for reports that do not fit \
        together or cannot be read."
)]
pub struct Args {
    /// Shard reports written by `check --shard K/N --format json` (or ndjson).
    #[arg(required = true, value_name = "REPORT")]
    pub reports: Vec<PathBuf>,
    /// Merge even when some shards' reports are missing (the merged report
    /// then covers part of the list).
    #[arg(long)]
    pub allow_partial: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// The least severe finding that makes the merge fail (exit status 1).
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// Colour the table: auto, always or never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Settings file, for the calendar's reminders per tier [default:
    /// domlife.toml in the working directory, if there is one].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also write the merged report in FORMAT to FILE (repeatable).
    #[arg(long = "report", value_name = "FORMAT=FILE",
          value_parser = report_args::parse_report_target)]
    pub reports_out: Vec<ReportTarget>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    report_args::check_targets(&args.reports_out).map_err(bad_input)?;
    let reports = args
        .reports
        .iter()
        .map(|path| ReadReport::read(path))
        .collect::<Result<Vec<_>, _>>()
        .map_err(bad_input)?;
    let merged = Merged::plan(reports, args.allow_partial).map_err(bad_input)?;
    let thresholds = ConfigFile::load(args.config.as_deref())
        .map_err(bad_input)?
        .thresholds;
    let mut tally = Tally::new(args.fail_on.threshold());
    let mut report = WholeReport::new(ReportOptions {
        stdout: Some(args.format),
        files: args
            .reports_out
            .iter()
            .map(|target| (target.format, target.path.clone()))
            .collect(),
        order: Order::Input,
        fail_threshold: args.fail_on.threshold(),
        thresholds,
        color: args.color.enabled(),
        shard: None,
    });
    let mut listeners: [&mut dyn Listener; 2] = [&mut tally, &mut report];
    let end = merged.feed(&mut listeners);
    super::exit_status::run_status(end, tally.verdict())
}
