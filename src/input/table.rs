//! The CSV reader: a header row naming the columns, one name per row, and
//! the owner's own data about each name (tier, registrar, expiry, intent,
//! tags) kept for the audit.
//!
//! Records come from `records` with their exact first line; the `csv` crate
//! splits each into fields in flexible mode and on bytes, so a short row or
//! a field of bad UTF-8 is reported for its row, never fatal. The separator
//! is the one of `,`, `;` and tab the header uses most (spreadsheets in many
//! locales write `;`). A header that cannot be used (no `domain` column, a
//! column named twice) makes the whole file unreadable: an
//! [`InputError::Header`] naming the columns found, so the run stops before
//! any lookup.

use std::io::BufRead;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::entry::{Entry, InputError, InputItem, Intent, InvalidLine, Origin, printable};
use super::records::{Piece, Records};
use crate::domain::normalize;

/// Which field holds which column.
struct Columns {
    count: usize,
    domain: usize,
    tier: Option<usize>,
    registrar: Option<usize>,
    expires: Option<usize>,
    intent: Option<usize>,
    tags: Option<usize>,
}

impl Columns {
    fn from_header(fields: &[&str]) -> Result<Columns, String> {
        let names: Vec<String> = fields
            .iter()
            .map(|field| field.trim().to_ascii_lowercase())
            .collect();
        let find = |wanted: &str| -> Result<Option<usize>, String> {
            let mut matches = names.iter().enumerate().filter(|(_, name)| *name == wanted);
            let first = matches.next().map(|(index, _)| index);
            match matches.next() {
                Some(_) => Err(format!("the header names the {wanted} column twice")),
                None => Ok(first),
            }
        };
        let Some(domain) = find("domain")? else {
            return Err(format!(
                "the header has no domain column (it has: {})",
                printable(&names.join(", "))
            ));
        };
        Ok(Columns {
            count: fields.len(),
            domain,
            tier: find("tier")?,
            registrar: find("registrar")?,
            expires: find("expires")?,
            intent: find("intent")?,
            tags: find("tags")?,
        })
    }
}

/// Where the reader stands in the file.
enum State {
    Header,
    Rows { columns: Columns, separator: u8 },
    Done,
}

/// The separators a header may use, in the order that wins a tie.
const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];

/// The entries of a CSV source, one per non-empty row.
pub(super) struct CsvRows<R> {
    records: Records<R>,
    file: String,
    state: State,
}

impl<R: BufRead> CsvRows<R> {
    pub(super) fn new(reader: R, file: String) -> CsvRows<R> {
        CsvRows {
            records: Records::new(reader),
            file,
            state: State::Header,
        }
    }

    fn invalid(&self, line: usize, text: &[u8], reason: String) -> Entry {
        Entry::Invalid(InvalidLine {
            origin: Origin {
                file: self.file.clone(),
                line,
            },
            raw: printable(&String::from_utf8_lossy(text)),
            reason,
        })
    }

    /// The entry for one record, or `None` when it is empty or the header;
    /// an error when the header cannot be used.
    fn entry(&mut self, line: usize, text: &[u8]) -> Option<Result<Entry, InputError>> {
        let separator = match &self.state {
            State::Rows { separator, .. } => *separator,
            State::Header | State::Done => sniff_separator(text),
        };
        let fields = match split_fields(text, separator) {
            Ok(fields) if fields.iter().all(<[u8]>::is_empty) => return None,
            Ok(fields) => fields,
            Err(reason) => return Some(Ok(self.invalid(line, text, reason))),
        };
        let fields = match decode(&fields) {
            Ok(fields) => fields,
            Err(reason) => return Some(Ok(self.invalid(line, text, reason))),
        };
        match &self.state {
            State::Header => match Columns::from_header(&fields) {
                Ok(columns) => {
                    self.state = State::Rows { columns, separator };
                    None
                }
                Err(reason) => {
                    self.state = State::Done;
                    Some(Err(InputError::Header {
                        file: self.file.clone(),
                        line,
                        reason,
                    }))
                }
            },
            State::Rows { columns, .. } => {
                let origin = Origin {
                    file: self.file.clone(),
                    line,
                };
                match row_item(columns, &fields, origin) {
                    Ok(item) => Some(Ok(Entry::Name(item))),
                    Err(reason) => Some(Ok(self.invalid(line, text, reason))),
                }
            }
            State::Done => None,
        }
    }
}

impl<R: BufRead> Iterator for CsvRows<R> {
    type Item = Result<Entry, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if matches!(self.state, State::Done) {
                return None;
            }
            let piece = match self.records.next() {
                Some(Ok(piece)) => piece,
                Some(Err(source)) => {
                    self.state = State::Done;
                    return Some(Err(InputError::Read {
                        file: self.file.clone(),
                        line: self.records.last_line(),
                        error: source,
                    }));
                }
                None => {
                    self.state = State::Done;
                    return None;
                }
            };
            match piece {
                Piece::Record { line, text } => {
                    if let Some(entry) = self.entry(line, &text) {
                        return Some(entry);
                    }
                }
                Piece::Broken { line, text, reason } => {
                    let reason = if matches!(self.state, State::Header) {
                        self.state = State::Done;
                        format!(
                            "{reason}; it should be the header, so no row of this file can be read"
                        )
                    } else {
                        reason
                    };
                    return Some(Ok(self.invalid(line, &text, reason)));
                }
            }
        }
    }
}

/// The separator a header line uses: the one of [`SEPARATORS`] it holds
/// most often outside quotes, `,` when it holds none.
fn sniff_separator(header: &[u8]) -> u8 {
    let mut counts = [0usize; SEPARATORS.len()];
    let mut quoted = false;
    for byte in header {
        if *byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(at) = SEPARATORS.iter().position(|sep| sep == byte) {
            counts[at] += 1;
        }
    }
    let mut best = 0;
    for (at, count) in counts.iter().enumerate() {
        if *count > counts[best] {
            best = at;
        }
    }
    SEPARATORS[best]
}

/// Splits one record (which may span lines) into trimmed fields.
fn split_fields(text: &[u8], separator: u8) -> Result<csv::ByteRecord, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(separator)
        .flexible(true)
        .trim(csv::Trim::All)
        .buffer_capacity(text.len().max(1))
        .from_reader(text);
    let mut fields = csv::ByteRecord::new();
    let mut rest = csv::ByteRecord::new();
    let problem = |error: csv::Error| format!("cannot read this CSV row: {error}");
    reader.read_byte_record(&mut fields).map_err(problem)?;
    if reader.read_byte_record(&mut rest).map_err(problem)? {
        return Err("cannot read this CSV row: it splits into more than one record".to_owned());
    }
    Ok(fields)
}

fn decode(fields: &csv::ByteRecord) -> Result<Vec<&str>, String> {
    fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            std::str::from_utf8(field)
                .map_err(|_| format!("field {} is not valid UTF-8", index + 1))
        })
        .collect()
}

/// The item for one row, or why the row cannot be used.
fn row_item(columns: &Columns, fields: &[&str], origin: Origin) -> Result<InputItem, String> {
    if fields.len() != columns.count {
        return Err(format!(
            "the row has {} fields, the header has {}",
            fields.len(),
            columns.count
        ));
    }
    let field = |index: Option<usize>| {
        index
            .and_then(|index| fields.get(index))
            .copied()
            .filter(|value| !value.is_empty())
    };
    let domain = field(Some(columns.domain)).unwrap_or_default();
    let normalized = normalize(domain).map_err(|error| error.to_string())?;
    let mut item = InputItem::new(normalized, origin, domain);
    item.tier = field(columns.tier).map(printable);
    item.registrar = field(columns.registrar).map(printable);
    item.expires = field(columns.expires).map(parse_expiry).transpose()?;
    item.intent = field(columns.intent).map(parse_intent).transpose()?;
    item.tags = field(columns.tags).map(split_tags).unwrap_or_default();
    Ok(item)
}

/// A date is the owner's calendar day, taken as its start in UTC; a
/// date-time keeps its instant.
fn parse_expiry(value: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d") {
        return Ok(date.and_time(NaiveTime::MIN).and_utc());
    }
    DateTime::parse_from_rfc3339(value)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "expires {} is not a date (YYYY-MM-DD) or an RFC 3339 date-time",
                printable(value)
            )
        })
}

fn parse_intent(value: &str) -> Result<Intent, String> {
    if value.eq_ignore_ascii_case("keep") {
        Ok(Intent::Keep)
    } else if value.eq_ignore_ascii_case("drop") {
        Ok(Intent::Drop)
    } else {
        Err(format!(
            "intent {} is neither keep nor drop",
            printable(value)
        ))
    }
}

/// Tags are separated by `;` (commas would clash with the CSV separator;
/// spaces are allowed inside a tag, `client a`). Each is trimmed and
/// escaped like every free-text column; empty ones and repeats are dropped.
fn split_tags(value: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in value
        .split(';')
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
    {
        let tag = printable(tag);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::date("2025-03-10", "2025-03-10T00:00:00+00:00")]
    #[case::utc_time("2025-03-10T11:05:05Z", "2025-03-10T11:05:05+00:00")]
    #[case::offset_time("2025-03-10T11:05:05+08:00", "2025-03-10T03:05:05+00:00")]
    fn reads_expiry(#[case] value: &str, #[case] expected: &str) {
        assert_eq!(
            parse_expiry(value).map(|time| time.to_rfc3339()),
            Ok(expected.to_owned())
        );
    }

    #[rstest]
    #[case::month_13("2025-13-01")]
    #[case::day_32("2025-01-32")]
    #[case::us_order("03/10/2025")]
    #[case::words("next year")]
    fn rejects_expiry(#[case] value: &str) {
        assert_eq!(
            parse_expiry(value),
            Err(format!(
                "expires {value} is not a date (YYYY-MM-DD) or an RFC 3339 date-time"
            ))
        );
    }

    #[rstest]
    #[case::keep("keep", Ok(Intent::Keep))]
    #[case::drop_upper("DROP", Ok(Intent::Drop))]
    #[case::other("sell", Err("intent sell is neither keep nor drop".to_owned()))]
    fn reads_intent(#[case] value: &str, #[case] expected: Result<Intent, String>) {
        assert_eq!(parse_intent(value), expected);
    }

    #[rstest]
    #[case::one("brand", &["brand"])]
    #[case::several(" brand ; client a;;legal ", &["brand", "client a", "legal"])]
    #[case::repeats("x;x;y", &["x", "y"])]
    #[case::control_escaped("a\u{1b}[1m;b", &["a\\u{1b}[1m", "b"])]
    #[case::empty(" ; ", &[])]
    fn splits_tags(#[case] value: &str, #[case] expected: &[&str]) {
        assert_eq!(split_tags(value), expected);
    }

    #[rstest]
    #[case::missing_domain(&["name", "tier"], "the header has no domain column (it has: name, tier)")]
    #[case::twice(&["domain", "Domain"], "the header names the domain column twice")]
    fn rejects_headers(#[case] header: &[&str], #[case] reason: &str) {
        assert_eq!(Columns::from_header(header).err().as_deref(), Some(reason));
    }

    #[rstest]
    #[case::comma(b"domain,tier", b',')]
    #[case::semicolon(b"domain;tier;tags", b';')]
    #[case::tab(b"domain\ttier", b'\t')]
    #[case::one_column(b"domain", b',')]
    #[case::quoted_commas(b"\"a,b,c\";domain;tier", b';')]
    fn sniffs_the_separator_of_the_header(#[case] header: &[u8], #[case] separator: u8) {
        assert_eq!(sniff_separator(header), separator);
    }

    #[test]
    fn finds_columns_in_any_order_and_case() {
        let header = [" Tags", "DOMAIN ", "owner", "Expires"];
        match Columns::from_header(&header) {
            Ok(columns) => {
                assert_eq!(columns.count, 4);
                assert_eq!(columns.domain, 1);
                assert_eq!(columns.tags, Some(0));
                assert_eq!(columns.expires, Some(3));
                assert_eq!(columns.tier, None);
            }
            Err(reason) => panic!("{reason}"),
        }
    }
}
