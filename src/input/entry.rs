//! What reading a list yields: an [`Entry`] per line that holds something,
//! a name ([`InputItem`], with the [`Origin`]s it came from and the
//! columns the list gave) or an [`InvalidLine`], and the [`InputError`]
//! that stops a source. The readers (`text`, `table`), the merger and the
//! audit all take these types from here; text shown to a person passes
//! through [`printable`] first.

use std::fmt;
use std::io;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{DomainName, Normalized};

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
    pub(super) fn new(normalized: Normalized, origin: Origin, raw: &str) -> InputItem {
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
    /// [`MergedEntries`](super::MergedEntries)). Check the space in the
    /// temporary directory (`TMPDIR`), or pass the list as a file.
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

/// `text` made safe to print on a terminal: control, invisible and
/// bidirectional-override characters escaped, long text cut.
pub(super) fn printable(text: &str) -> String {
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
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::plain("example.com", "example.com")]
    #[case::unicode_kept("bücher.de 例子", "bücher.de 例子")]
    #[case::tab_and_newline("a\tb\r\n", "a\\tb\\r\\n")]
    #[case::terminal_escape("\u{1b}[2Jx", "\\u{1b}[2Jx")]
    #[case::bidi_override("\u{202e}moc", "\\u{202e}moc")]
    #[case::zero_width("a\u{200b}b", "a\\u{200b}b")]
    #[case::quotes_left_alone("\"a\",'b'", "\"a\",'b'")]
    fn printable_escapes_what_a_terminal_would_act_on(#[case] text: &str, #[case] expected: &str) {
        assert_eq!(printable(text), expected);
    }

    #[test]
    fn printable_cuts_long_text() {
        let long = "é".repeat(MAX_RAW_CHARS + 50);
        let shown = printable(&long);
        assert_eq!(shown.chars().count(), MAX_RAW_CHARS + 1);
        assert!(shown.ends_with("é…"));
        assert_eq!(
            printable(&"a".repeat(MAX_RAW_CHARS)),
            "a".repeat(MAX_RAW_CHARS)
        );
    }
}
