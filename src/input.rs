//! Reading domain lists: plain text or CSV, from files or stdin, into
//! [`Entry`] values for the later stages.
//!
//! Two rules shape this module. Every line that holds something becomes an
//! entry: a name ([`InputItem`]) or a reason it is not one
//! ([`InvalidLine`], with file, line and the text escaped for a terminal).
//! Nothing is dropped silently and a bad line never stops the run; only a
//! source that cannot be opened or read ([`InputError`]) does. And a name
//! listed twice (perhaps once as `www.example.com`, once as `EXAMPLE.COM.`)
//! is audited once: [`MergedEntries`] merges duplicates after normalisation
//! and keeps every place the name came from, without holding the list (it
//! reads the sources twice; standard input is copied to a temporary file).
//!
//! Formats (the readers live in `text` and `table`, both on the numbered
//! physical lines of `lines`):
//! - Plain text: one name per line. Blank lines are skipped; `#` starts a
//!   comment at the start of a line or after white space (so a URL's
//!   `#fragment` is not one). CRLF line ends and a UTF-8 byte-order mark are
//!   accepted. A line that is not UTF-8 is an invalid line.
//! - CSV (`.csv` files, or [`ReadOptions::csv`]): a header row naming a
//!   `domain` column and optionally `tier`, `registrar`, `expires` (a date
//!   `YYYY-MM-DD`, read as midnight UTC, or an RFC 3339 date-time), `intent`
//!   (`keep` or `drop`) and `tags` (separated by `;`). Header names are
//!   matched without regard to case or surrounding space; other columns are
//!   ignored. Lines whose first non-blank character is `#` are comments;
//!   rows with every field empty are skipped like blank lines. A row's line
//!   is the line it starts on (a quoted field may span lines).
//!
//! [`entries`] streams one source without holding it in memory and without
//! merging; [`MergedEntries`] streams several sources and merges;
//! [`read_all`] collects that in first-seen order.

mod lines;
mod merged;
mod records;
pub mod shard;
mod table;
mod text;

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{DomainName, Normalized};

pub use merged::{Lists, MergedEntries};
pub use shard::Shard;

/// Name used for standard input in origins and messages.
pub const STDIN_NAME: &str = "<stdin>";
/// How much of a raw line is kept for messages, in characters.
const MAX_RAW_CHARS: usize = 200;

/// Where a line came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// The path as given, or `<stdin>`.
    pub file: String,
    /// 1-based physical line; for CSV the line where the record starts.
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// What the owner means to do with a name; an audit treats a name to be
/// dropped differently from one that must be kept alive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Intent {
    #[default]
    Keep,
    Drop,
}

impl fmt::Display for Intent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Intent::Keep => "keep",
            Intent::Drop => "drop",
        })
    }
}

/// One domain to audit, with everything the input said about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputItem {
    pub name: DomainName,
    /// Every line that named it, in reading order; more than one when the
    /// name was listed several times.
    pub origins: Vec<Origin>,
    /// The text as written where it was first seen, escaped for printing.
    pub raw: String,
    /// What normalisation changed, and conflicts between duplicate lines.
    pub notes: Vec<String>,
    /// Free-text columns (`tier`, `registrar`, `tags`) are kept as written,
    /// with control characters escaped like `raw`.
    pub tier: Option<String>,
    pub registrar: Option<String>,
    /// The owner's own record of the expiry, to compare with the registry's.
    pub expires: Option<DateTime<Utc>>,
    /// `None` when the input did not say, which means [`Intent::Keep`]
    /// (`intent.unwrap_or_default()`).
    pub intent: Option<Intent>,
    pub tags: Vec<String>,
}

impl InputItem {
    /// An item for a name read from one line, with no CSV columns yet.
    fn new(normalized: Normalized, origin: Origin, raw: &str) -> InputItem {
        InputItem {
            origins: vec![origin],
            ..InputItem::named(normalized, raw)
        }
    }

    /// An item for a name given on its own (`show NAME`): no line, no
    /// columns.
    pub fn named(normalized: Normalized, raw: &str) -> InputItem {
        InputItem {
            name: normalized.name,
            origins: Vec::new(),
            raw: printable(raw),
            notes: normalized.notes,
            tier: None,
            registrar: None,
            expires: None,
            intent: None,
            tags: Vec::new(),
        }
    }
}

/// A line that holds something but not a name we can audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvalidLine {
    pub origin: Origin,
    /// The line as written, control characters escaped, truncated to 200
    /// characters.
    pub raw: String,
    /// Why it was rejected, for a person.
    pub reason: String,
}

/// One thing read from the input, in input order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Entry {
    Name(InputItem),
    Invalid(InvalidLine),
}

/// Why a source could not be read at all. Bad lines are not errors: they
/// are [`Entry::Invalid`]. The OS error is part of the message and not a
/// `source`, so that a chain printed whole says it once.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The file does not exist or cannot be opened (permissions, a broken
    /// link). Check the path.
    #[error("cannot open {}: {error}", path.display())]
    Open { path: PathBuf, error: io::Error },
    /// Reading stopped for a reason outside the content (a disk or pipe
    /// error, a directory given as a file). `line` is the last line read,
    /// 0 if none was. Check the file and retry.
    #[error("cannot read {file}{}: {error}", after_line(*line))]
    Read {
        file: String,
        line: usize,
        error: io::Error,
    },
    /// A source that can be read only once (standard input, a pipe) could
    /// not be copied to a temporary file to be read twice (see
    /// [`MergedEntries`]). Check the space in the temporary directory
    /// (`TMPDIR`), or pass the list as a file.
    #[error("cannot copy {file} to a temporary file: {error}")]
    Spool { file: String, error: io::Error },
    /// A CSV file whose header cannot be used (no `domain` column, a
    /// column named twice): no row of it can be read. Name the column of
    /// names `domain`, or pass a plain list of names.
    #[error("{file} line {line}: {reason}; no row of this CSV file can be read")]
    Header {
        file: String,
        line: usize,
        reason: String,
    },
}

/// Where a read error happened, for its message; line 0 means before the
/// first line.
fn after_line(line: usize) -> String {
    match line {
        0 => String::new(),
        line => format!(" after line {line}"),
    }
}

/// Where to read from.
pub enum Source<'a> {
    /// A file; read as CSV when its name ends in `.csv`.
    Path(PathBuf),
    /// Standard input, named `<stdin>`.
    Stdin,
    /// Any reader, under a name used in origins (and for the `.csv` rule).
    Reader {
        name: String,
        reader: Box<dyn Read + Send + 'a>,
    },
}

impl Source<'static> {
    /// The source a command-line argument means: `-` is standard input,
    /// anything else a path.
    pub fn from_arg(arg: impl Into<PathBuf>) -> Source<'static> {
        let path = arg.into();
        if path.as_os_str() == "-" {
            Source::Stdin
        } else {
            Source::Path(path)
        }
    }
}

/// How to read the sources.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Read every source as CSV, whatever its name (`--csv`).
    pub csv: bool,
}

/// The entries of one source, in order, one per non-blank line, not merged.
pub struct Entries<'a> {
    reader: Reader<'a>,
}

enum Reader<'a> {
    Text(text::TextLines<Box<dyn BufRead + Send + 'a>>),
    Csv(table::CsvRows<Box<dyn BufRead + Send + 'a>>),
}

impl Iterator for Entries<'_> {
    type Item = Result<Entry, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.reader {
            Reader::Text(lines) => lines.next(),
            Reader::Csv(rows) => rows.next(),
        }
    }
}

/// Opens `source` for streaming. Fails only when the source cannot be
/// opened; a read error comes as an `Err` item and ends the stream.
pub fn entries<'a>(source: Source<'a>, options: &ReadOptions) -> Result<Entries<'a>, InputError> {
    let (file, reader): (String, Box<dyn Read + Send + 'a>) = match source {
        Source::Path(path) => {
            let opened = File::open(&path).map_err(|source| InputError::Open {
                path: path.clone(),
                error: source,
            })?;
            (path.display().to_string(), Box::new(opened))
        }
        Source::Stdin => (STDIN_NAME.to_owned(), Box::new(io::stdin())),
        Source::Reader { name, reader } => (name, reader),
    };
    let reader: Box<dyn BufRead + Send + 'a> = Box::new(BufReader::new(reader));
    let is_csv = options.csv || has_csv_extension(&file);
    let reader = if is_csv {
        Reader::Csv(table::CsvRows::new(reader, file))
    } else {
        Reader::Text(text::TextLines::new(reader, file))
    };
    Ok(Entries { reader })
}

/// Reads every source in order and merges names listed more than once
/// into the entry where each was first seen. Invalid lines keep their
/// place. Holds the whole list: [`MergedEntries`] streams it.
pub fn read_all<'a>(
    sources: impl IntoIterator<Item = Source<'a>>,
    options: &ReadOptions,
) -> Result<Vec<Entry>, InputError> {
    let mut indexed = MergedEntries::open(sources, options)?.collect::<Result<Vec<_>, _>>()?;
    indexed.sort_unstable_by_key(|(index, _)| *index);
    Ok(indexed.into_iter().map(|(_, entry)| entry).collect())
}

/// Folds a later line for the same name into the first: its origins and
/// notes are added, each column keeps its first non-empty value, and a
/// different later value is noted rather than lost.
fn merge_into(first: &mut InputItem, later: InputItem) {
    let at = later
        .origins
        .first()
        .map_or_else(String::new, Origin::to_string);
    first.origins.extend(later.origins);
    for note in later.notes {
        if !first.notes.contains(&note) {
            first.notes.push(note);
        }
    }
    let mut conflicts = Vec::new();
    keep_first(&mut first.tier, later.tier, "tier", &mut conflicts);
    keep_first(
        &mut first.registrar,
        later.registrar,
        "registrar",
        &mut conflicts,
    );
    keep_first(&mut first.expires, later.expires, "expires", &mut conflicts);
    keep_first(&mut first.intent, later.intent, "intent", &mut conflicts);
    let later_tags = (!later.tags.is_empty()).then_some(later.tags);
    let mut first_tags = (!first.tags.is_empty()).then(|| std::mem::take(&mut first.tags));
    keep_first(&mut first_tags, later_tags, "tags", &mut conflicts);
    first.tags = first_tags.unwrap_or_default();
    for (column, kept, ignored) in conflicts {
        first.notes.push(format!(
            "{at} gives {column} {ignored}, kept {kept} from the first line that gave one"
        ));
    }
}

/// A value of a column as shown in a conflict note.
trait ColumnValue: PartialEq {
    fn show(&self) -> String;
}

impl ColumnValue for String {
    fn show(&self) -> String {
        format!("\"{self}\"")
    }
}

impl ColumnValue for DateTime<Utc> {
    fn show(&self) -> String {
        self.to_rfc3339()
    }
}

impl ColumnValue for Intent {
    fn show(&self) -> String {
        self.to_string()
    }
}

impl ColumnValue for Vec<String> {
    fn show(&self) -> String {
        format!("\"{}\"", self.join(";"))
    }
}

fn keep_first<T: ColumnValue>(
    kept: &mut Option<T>,
    later: Option<T>,
    column: &'static str,
    conflicts: &mut Vec<(&'static str, String, String)>,
) {
    match (kept.as_ref(), later) {
        (None, later) => *kept = later,
        (Some(first), Some(later)) if *first != later => {
            conflicts.push((column, first.show(), later.show()));
        }
        _ => {}
    }
}

fn has_csv_extension(file: &str) -> bool {
    file.rsplit_once('.')
        .is_some_and(|(_, extension)| extension.eq_ignore_ascii_case("csv"))
}

/// `text` made safe to print on a terminal: control, invisible and
/// bidirectional-override characters escaped, long text cut.
fn printable(text: &str) -> String {
    let cut = text
        .char_indices()
        .nth(MAX_RAW_CHARS)
        .map_or(text, |(at, _)| &text[..at]);
    let mut out = crate::escape::printable(cut).into_owned();
    if cut.len() < text.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
