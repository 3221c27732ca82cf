//! Report writers: one per output format, each consuming [`AuditResult`]s
//! and nothing else, so adding a format never touches the lookup code.
//!
//! `ndjson` writes each result as it is ready; the others write a whole,
//! ordered report at the end of the run.

mod csv;
mod table;

use std::io::{self, Write};

use clap::ValueEnum;

use crate::audit::AuditResult;

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One row per name for a terminal.
    Table,
    /// One JSON document: `{"complete": bool, "results": [...]}`.
    Json,
    /// One JSON result per line, written as soon as each is ready.
    Ndjson,
    /// One row per name with the main fields, for spreadsheets.
    Csv,
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

/// Writes a whole report. `complete` is false for an interrupted run.
pub fn write_all(
    format: ReportFormat,
    out: &mut impl Write,
    results: &[AuditResult],
    complete: bool,
) -> io::Result<()> {
    match format {
        ReportFormat::Table => table::write(out, results, complete),
        ReportFormat::Json => {
            let report = serde_json::json!({ "complete": complete, "results": results });
            serde_json::to_writer_pretty(&mut *out, &report)?;
            out.write_all(b"\n")
        }
        ReportFormat::Ndjson => results.iter().try_for_each(|result| write_one(out, result)),
        ReportFormat::Csv => csv::write(out, results),
    }
}
