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

mod csv_table;
mod entry;
mod lines;
mod merged;
mod records;
mod shard;
mod source;
mod table;
mod text;

pub(crate) use csv_table::{CsvItem, CsvTable, column};
pub use entry::{Entry, InputError, InputItem, Intent, InvalidLine, Origin};
pub use merged::{Lists, MergedEntries};
pub use shard::{MAX_SHARDS, Shard, ShardError, sha256_hex, shard_of};
pub use source::{Entries, ReadOptions, STDIN_NAME, Source, entries};

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
