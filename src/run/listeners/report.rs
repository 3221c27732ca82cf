//! The report sink: keeps the results a whole report needs and writes it
//! when the run ends, to standard output (any format but ndjson, which
//! [`super::stream`] writes as it goes) and to each `--report FORMAT=FILE`.
//! The results are kept once, however many files are written from them.
//!
//! A run whose list could not be read again writes no whole report: it
//! would claim to be a report of the list when it is not.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use crate::audit::{AsOf, AuditResult};
use crate::reconcile::{Severity, Thresholds};
use crate::report::{self, Counts, Meta, Report, ReportContext, ReportFormat, ShardInfo};
use crate::run::listener::{
    Batch, Ending, Listener, ListenerError, ReportFailure, RunEnd, RunStart,
};

/// The order of a whole report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By the first input line of each name.
    Input,
    /// As lookups complete.
    Done,
}

/// What the writers need to know besides the results.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The format written to standard output, `None` for no whole report
    /// there (it is streamed, or not wanted).
    pub stdout: Option<ReportFormat>,
    /// `--report FORMAT=FILE`, each written whole at the end.
    pub files: Vec<(ReportFormat, PathBuf)>,
    pub order: Order,
    pub fail_threshold: Option<Severity>,
    pub thresholds: Thresholds,
    /// Colour the table on standard output (files never are).
    pub color: bool,
    /// The part of the list a sharded run audited, for the report's meta.
    pub shard: Option<ShardInfo>,
}

/// Keeps results and writes whole reports at the end.
pub struct WholeReport {
    options: ReportOptions,
    /// By index for input order, else as they come.
    kept: Vec<Option<AuditResult>>,
    as_of: Option<AsOf>,
}

impl WholeReport {
    pub fn new(options: ReportOptions) -> WholeReport {
        WholeReport {
            options,
            kept: Vec::new(),
            as_of: None,
        }
    }

    fn report(&mut self, end: &RunEnd, as_of: AsOf) -> (Report, ReportContext) {
        let results: Vec<AuditResult> = std::mem::take(&mut self.kept)
            .into_iter()
            .flatten()
            .collect();
        let complete = end.is_complete();
        let context = ReportContext {
            complete,
            fail_threshold: self.options.fail_threshold,
            thresholds: self.options.thresholds.clone(),
            as_of: as_of.instant(),
            generated: end.finished,
            color: self.options.color,
        };
        let meta = Meta {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            as_of,
            started: end.started,
            finished: end.finished,
            complete,
            counts: Counts::of(&results),
            shard: self.options.shard.clone(),
        };
        (Report { meta, results }, context)
    }
}

impl Listener for WholeReport {
    fn started(&mut self, start: &RunStart) -> Result<(), ListenerError> {
        self.as_of = Some(start.as_of);
        if self.options.order == Order::Input {
            self.kept.reserve(start.total);
        }
        Ok(())
    }

    fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
        for finished in &batch.results {
            let result = finished.result.clone();
            match self.options.order {
                Order::Done => self.kept.push(Some(result)),
                Order::Input => {
                    if self.kept.len() <= finished.index {
                        self.kept.resize_with(finished.index + 1, || None);
                    }
                    self.kept[finished.index] = Some(result);
                }
            }
        }
        Ok(())
    }

    fn ended(&mut self, end: &RunEnd) -> Result<(), ListenerError> {
        let (Some(as_of), false) = (self.as_of, matches!(end.ending, Ending::Unreadable(_))) else {
            return Ok(());
        };
        let (report, context) = self.report(end, as_of);
        let mut failures = Vec::new();
        if let Some(format) = self.options.stdout {
            let mut out = BufWriter::new(io::stdout());
            let written =
                report::write_all(format, &mut out, &report, &context).and_then(|()| out.flush());
            // A reader that stopped early (`| head`) is not a failure.
            if let Err(error) = written
                && error.kind() != io::ErrorKind::BrokenPipe
            {
                failures.push(ReportFailure { path: None, error });
            }
        }
        // Files are written without colour, whatever the terminal takes;
        // each is tried, whatever happened to the others.
        let context = ReportContext {
            color: false,
            ..context
        };
        for (format, path) in &self.options.files {
            if let Err(error) = write_file(*format, path, &report, &context) {
                failures.push(ReportFailure {
                    path: Some(path.clone()),
                    error,
                });
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(ListenerError::Reports(failures))
        }
    }
}

/// Writes the whole report to `path`, replacing it.
fn write_file(
    format: ReportFormat,
    path: &PathBuf,
    report: &Report,
    context: &ReportContext,
) -> io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    report::write_all(format, &mut out, report, context)?;
    out.flush()
}
