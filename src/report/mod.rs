//! Report writers: one per output format, each consuming a [`Report`] (or,
//! for streaming formats, one [`AuditResult`] at a time) and nothing else,
//! so adding a format never touches the lookup code.
//!
//! `ndjson` writes each result as it is ready; the others write a whole,
//! ordered report at the end of the run. What a writer needs beyond the
//! results (whether the run completed, the `--fail-on` threshold, the
//! warning thresholds, the audit date) comes in one [`ReportContext`].

mod csv;
mod github;
mod ics;
mod junit;
mod markdown;
mod prometheus;
pub mod read;
mod table;

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use crate::audit::{AsOf, AuditResult, Outcome};
use crate::reconcile::{Severity, Thresholds};

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

/// A whole run: what was asked and what was found.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub meta: Meta,
    pub results: Vec<AuditResult>,
}

/// About the run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// The domlife version that wrote the report.
    pub version: String,
    pub as_of: AsOf,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    /// False when the run was interrupted.
    pub complete: bool,
    pub counts: Counts,
    /// Which part of a list a sharded run (`check --shard K/N`) audited;
    /// absent from the report of a whole list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
}

/// The part of a list a sharded run audited, and which list it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// This shard, from 1.
    pub k: u32,
    /// How many shards the list was split into.
    pub n: u32,
    /// The SHA-256 of the lists' bytes, one after the other.
    pub list_sha256: String,
    /// The lists, in order, as results name them: `merge` puts results
    /// back in the order of an unsharded run with them.
    pub lists: Vec<String>,
}

/// The first line of a sharded ndjson report, before its results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StreamMeta {
    /// The domlife version that wrote the report.
    pub version: String,
    pub as_of: AsOf,
    pub started: DateTime<Utc>,
    pub shard: ShardInfo,
}

/// Names by outcome and findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub names: usize,
    pub checked: usize,
    pub failed: usize,
    pub invalid: usize,
    pub not_checked: usize,
    pub error: usize,
    pub warning: usize,
    pub notice: usize,
}

impl Counts {
    pub fn of(results: &[AuditResult]) -> Counts {
        let mut counts = Counts {
            names: results.len(),
            ..Counts::default()
        };
        for result in results {
            match result.outcome {
                Outcome::Checked => counts.checked += 1,
                Outcome::Failed => counts.failed += 1,
                Outcome::Invalid => counts.invalid += 1,
                Outcome::NotChecked => counts.not_checked += 1,
            }
            for finding in &result.findings {
                match finding.severity {
                    Severity::Error => counts.error += 1,
                    Severity::Warning => counts.warning += 1,
                    Severity::Notice => counts.notice += 1,
                }
            }
        }
        counts
    }
}

/// What the writers need to know about the run besides its results.
#[derive(Debug, Clone)]
pub struct ReportContext {
    /// False for an interrupted run.
    pub complete: bool,
    /// The least severe finding that fails the run (`--fail-on`); `None`
    /// when findings never fail it. JUnit turns these into failures.
    pub fail_threshold: Option<Severity>,
    /// The `expiring` windows per tier; the calendar's reminders use them.
    pub thresholds: Thresholds,
    /// The instant the audit is made for (days left are counted from it).
    pub as_of: DateTime<Utc>,
    /// When the report is written (the calendar's DTSTAMP, JUnit's timestamp).
    pub generated: DateTime<Utc>,
    /// Colour the table (the caller decides from `--color` and `NO_COLOR`).
    pub color: bool,
}

impl ReportContext {
    /// True when `severity` is at or above the `--fail-on` threshold.
    pub fn fails(&self, severity: Severity) -> bool {
        self.fail_threshold
            .is_some_and(|threshold| severity >= threshold)
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
pub(crate) mod testutil;

#[cfg(test)]
mod golden;
