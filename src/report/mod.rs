//! Report writers: one per output format, each consuming a [`Report`] (or,
//! for streaming formats, one [`AuditResult`] at a time) and nothing else,
//! so adding a format never touches the lookup code.
//!
//! `ndjson` writes each result as it is ready; the others write a whole,
//! ordered report at the end of the run. What a writer needs beyond the
//! results (whether the run completed, the `--fail-on` threshold, the
//! warning thresholds, the audit date) comes in one [`ReportContext`].

mod csv;
pub mod exposition;
mod github;
mod ics;
mod junit;
mod markdown;
mod model;
mod prometheus;
pub mod read;
mod table;

use std::io::{self, Write};

use clap::ValueEnum;

pub use model::{Counts, Meta, Report, ReportContext, ShardInfo, StreamMeta};

use crate::audit::AuditResult;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One row per name for a terminal, worst first.
    Table,
    /// One JSON document: `{"meta": {...}, "results": [...]}`.
    Json,
    /// One JSON result per line, written as soon as each is ready.
    Ndjson,
    /// One row per name with the key fields and the findings, for spreadsheets.
    Csv,
    /// JUnit XML: a suite per tier (or TLD), a test case per name.
    Junit,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// A Markdown summary (for `$GITHUB_STEP_SUMMARY`).
    Markdown,
    /// An iCalendar file: renewal, expiry and release days as events.
    Ics,
    /// Prometheus text exposition, for node_exporter's textfile collector.
    Prometheus,
}

impl ReportFormat {
    /// True when results are written one by one as they complete.
    pub fn is_streaming(self) -> bool {
        self == ReportFormat::Ndjson
    }
}

/// Writes one result of a streaming format.
pub fn write_one(out: &mut impl Write, result: &AuditResult) -> io::Result<()> {
    serde_json::to_writer(&mut *out, result)?;
    out.write_all(b"\n")
}

/// Writes a whole report.
pub fn write_all(
    format: ReportFormat,
    out: &mut impl Write,
    report: &Report,
    context: &ReportContext,
) -> io::Result<()> {
    let results = &report.results;
    match format {
        ReportFormat::Table => table::write(out, report, context.color),
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            out.write_all(b"\n")
        }
        ReportFormat::Ndjson => results.iter().try_for_each(|result| write_one(out, result)),
        ReportFormat::Csv => csv::write(out, results),
        ReportFormat::Junit => junit::write(out, results, context),
        ReportFormat::Github => github::write(out, results),
        ReportFormat::Markdown => markdown::write(out, results, context),
        ReportFormat::Ics => ics::write(out, results, context),
        ReportFormat::Prometheus => prometheus::write(out, results, context),
    }
}

#[cfg(test)]
mod tests;
