//! Writing a timeline sheet's rows as they come: `table` (aligned text),
//! `csv` (flat columns), `json` (`{"results": [...]}`, a row a line) or
//! `ndjson`. A computed row's object is what `domlife timeline --format
//! json` prints for it, plus `"line"`; a refused row is `{"line", "input",
//! "error"}`. Nothing is held but the row being written.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::value::RawValue;

use super::row::{Computed, TimelineRow};
use crate::escape::{printable, spreadsheet_cell};
use crate::lifecycle::{Phase, TimelineReport, Window};

/// The output formats of `timeline --csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Table,
    Csv,
    Json,
    Ndjson,
}

/// The columns of the `csv` format.
const CSV_HEADER: &str = "line,domain,tld,registrar,policy,expires,phase,grace_end,\
                          redemption_end,release_earliest,release_latest,days_to_release,error";

/// Writes rows in one format.
pub struct SheetWriter<W: Write> {
    format: SheetFormat,
    out: W,
    rows: usize,
}

#[derive(Serialize)]
struct ComputedLine<'a> {
    line: usize,
    #[serde(flatten)]
    report: TimelineReport<'a, &'a RawValue>,
}

#[derive(Serialize)]
struct RefusedLine<'a> {
    line: usize,
    input: &'a str,
    error: &'a str,
}

impl<W: Write> SheetWriter<W> {
    /// Starts the output (a header, an opening bracket).
    pub fn start(format: SheetFormat, mut out: W) -> io::Result<SheetWriter<W>> {
        match format {
            SheetFormat::Csv => writeln!(out, "{CSV_HEADER}")?,
            SheetFormat::Json => out.write_all(b"{\"results\": [\n")?,
            SheetFormat::Table => writeln!(
                out,
                "{:>6}  {:<30}  {:<10}  {:<24}  {:<24}  {:<24}  {:<24}",
                "LINE", "DOMAIN", "EXPIRES", "PHASE", "GRACE ENDS", "REDEMPTION ENDS", "RELEASED"
            )?,
            SheetFormat::Ndjson => {}
        }
        Ok(SheetWriter {
            format,
            out,
            rows: 0,
        })
    }

    /// Writes one row.
    pub fn row(&mut self, row: &TimelineRow) -> io::Result<()> {
        match self.format {
            SheetFormat::Json | SheetFormat::Ndjson => self.json(row)?,
            SheetFormat::Csv => self.csv(row)?,
            SheetFormat::Table => self.table(row)?,
        }
        self.rows += 1;
        Ok(())
    }

    /// Ends the output and hands the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        if self.format == SheetFormat::Json {
            self.out.write_all(b"\n]}\n")?;
        }
        self.out.flush()?;
        Ok(self.out)
    }

    fn json(&mut self, row: &TimelineRow) -> io::Result<()> {
        if self.format == SheetFormat::Json && self.rows > 0 {
            self.out.write_all(b",\n")?;
        }
        match row {
            TimelineRow::Computed(computed) => serde_json::to_writer(
                &mut self.out,
                &ComputedLine {
                    line: computed.line,
                    report: computed.report().with_policy_json(&computed.policy_json),
                },
            )?,
            TimelineRow::Refused { line, input, error } => serde_json::to_writer(
                &mut self.out,
                &RefusedLine {
                    line: *line,
                    input,
                    error,
                },
            )?,
        }
        if self.format == SheetFormat::Ndjson {
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn csv(&mut self, row: &TimelineRow) -> io::Result<()> {
        let out = &mut self.out;
        let (computed, line) = match row {
            TimelineRow::Computed(computed) => (computed, computed.line),
            TimelineRow::Refused { line, error, .. } => {
                write!(out, "{line},,,,,,,,,,,,")?;
                csv_cell(out, error)?;
                return out.write_all(b"\n");
            }
        };
        let facts = Facts::of(computed);
        write!(out, "{line},")?;
        csv_cell(out, &computed.domain)?;
        write!(out, ",{},", computed.tld)?;
        csv_cell(out, computed.registrar.as_deref().unwrap_or_default())?;
        out.write_all(b",")?;
        csv_cell(out, &computed.policy.entries.join(" + "))?;
        writeln!(
            out,
            ",{},{},{},{},{},{},{},",
            computed.timeline.expiry_day(),
            facts.phase,
            facts.grace_end,
            facts.redemption_end,
            facts.release.earliest,
            facts.release.latest,
            facts.days_to_release,
        )
    }

    fn table(&mut self, row: &TimelineRow) -> io::Result<()> {
        match row {
            TimelineRow::Computed(computed) => {
                let facts = Facts::of(computed);
                writeln!(
                    self.out,
                    "{:>6}  {:<30}  {:<10}  {:<24}  {:<24}  {:<24}  {:<24}",
                    computed.line,
                    printable(&computed.domain),
                    computed.timeline.expiry_day(),
                    facts.phase,
                    facts.grace_end,
                    facts.redemption_end,
                    facts.release.to_string(),
                )
            }
            TimelineRow::Refused { line, error, .. } => {
                writeln!(self.out, "{line:>6}  error: {}", printable(error))
            }
        }
    }
}

/// A computed row's flat facts, as the `csv` and `table` formats show them.
struct Facts {
    /// The phase on the audit day, or every possible one (`grace|redemption`).
    phase: String,
    grace_end: String,
    redemption_end: String,
    release: Window,
    /// From the audit day to the earliest release (negative once released).
    days_to_release: i64,
}

impl Facts {
    fn of(computed: &Computed) -> Facts {
        let phases = computed.timeline.phases();
        let end_of = |phase: Phase| {
            phases
                .iter()
                .find(|span| span.phase == phase)
                .and_then(|span| span.end)
                .map_or_else(String::new, |end| end.to_string())
        };
        let release = computed.timeline.release();
        let at = &computed.phase_at;
        Facts {
            phase: at
                .phases
                .iter()
                .map(|phase| phase.name())
                .collect::<Vec<_>>()
                .join("|"),
            grace_end: end_of(Phase::Grace),
            redemption_end: end_of(Phase::Redemption),
            release,
            days_to_release: (release.earliest - at.day).num_days(),
        }
    }
}

/// A CSV cell from registry or input text: defused for spreadsheets,
/// quoted when it holds a separator, a quote or a line break.
fn csv_cell(out: &mut impl Write, text: &str) -> io::Result<()> {
    let safe = spreadsheet_cell(text);
    if safe.contains([',', '"', '\n', '\r']) {
        write!(out, "\"{}\"", safe.replace('"', "\"\""))
    } else {
        out.write_all(safe.as_bytes())
    }
}
