//! The CSV reader: a header row naming the columns, one name per row, and
//! the owner's own data about each name (tier, registrar, expiry, intent,
//! tags) kept for the audit.
//!
//! The `csv` crate runs in flexible mode and on byte records, so a short
//! row or a field of bad UTF-8 is reported for its row, never fatal. A
//! header without a `domain` column makes the whole file unreadable, which
//! is reported once, at the header line.

use std::io::Read;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::{Entry, InputError, InputItem, Intent, InvalidLine, Origin, printable};
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
                "the header has no domain column (it has: {}), so no row of this file can be read",
                names.join(", ")
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

/// What reading one record gave.
enum Step {
    /// A record, starting at this line, is in the reader's buffer.
    Record(u64),
    End,
    /// The record could not be read; this takes its place.
    Replaced(Box<Result<Entry, InputError>>),
}

/// The entries of a CSV source, one per non-empty row.
pub(super) struct CsvRows<R> {
    reader: csv::Reader<R>,
    file: String,
    /// `None` before the header is read and after the file ended or failed.
    columns: Option<Columns>,
    header_read: bool,
    record: csv::ByteRecord,
}

impl<R: Read> CsvRows<R> {
    pub(super) fn new(reader: R, file: String) -> CsvRows<R> {
        let reader = csv::ReaderBuilder::new()
            .flexible(true)
            .has_headers(false)
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .from_reader(reader);
        CsvRows {
            reader,
            file,
            columns: None,
            header_read: false,
            record: csv::ByteRecord::new(),
        }
    }

    fn origin(&self, line: u64) -> Origin {
        Origin {
            file: self.file.clone(),
            line: usize::try_from(line).unwrap_or(usize::MAX),
        }
    }

    /// Reads the next record into `self.record`.
    fn read_record(&mut self) -> Step {
        let line_before = self.reader.position().line();
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => Step::Record(
                self.record
                    .position()
                    .map_or(line_before, csv::Position::line),
            ),
            Ok(false) => Step::End,
            Err(error) => {
                let line = error.position().map_or(line_before, csv::Position::line);
                let message = error.to_string();
                Step::Replaced(Box::new(match error.into_kind() {
                    csv::ErrorKind::Io(source) => Err(InputError::Read {
                        file: self.file.clone(),
                        line: usize::try_from(line).unwrap_or(usize::MAX),
                        source,
                    }),
                    _ => Ok(Entry::Invalid(InvalidLine {
                        origin: self.origin(line),
                        raw: String::new(),
                        reason: format!("cannot read this CSV record: {message}"),
                    })),
                }))
            }
        }
    }

    fn raw_record(&self) -> String {
        let fields: Vec<_> = self.record.iter().map(String::from_utf8_lossy).collect();
        printable(&fields.join(","))
    }

    fn decoded_fields(&self) -> Result<Vec<&str>, String> {
        self.record
            .iter()
            .enumerate()
            .map(|(index, field)| {
                std::str::from_utf8(field)
                    .map_err(|_| format!("field {} is not valid UTF-8", index + 1))
            })
            .collect()
    }

    fn header_entry(&mut self, line: u64) -> Option<Entry> {
        let columns = self
            .decoded_fields()
            .and_then(|fields| Columns::from_header(&fields));
        match columns {
            Ok(columns) => {
                self.columns = Some(columns);
                None
            }
            Err(reason) => Some(Entry::Invalid(InvalidLine {
                origin: self.origin(line),
                raw: self.raw_record(),
                reason,
            })),
        }
    }

    fn row_entry(&self, columns: &Columns, line: u64) -> Entry {
        let origin = self.origin(line);
        let item = self
            .decoded_fields()
            .and_then(|fields| row_item(columns, &fields, origin.clone()));
        match item {
            Ok(item) => Entry::Name(item),
            Err(reason) => Entry::Invalid(InvalidLine {
                origin,
                raw: self.raw_record(),
                reason,
            }),
        }
    }
}

impl<R: Read> Iterator for CsvRows<R> {
    type Item = Result<Entry, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.header_read && self.columns.is_none() {
                return None;
            }
            let line = match self.read_record() {
                Step::Record(line) => line,
                Step::End => {
                    self.header_read = true;
                    self.columns = None;
                    return None;
                }
                Step::Replaced(entry) => {
                    if entry.is_err() {
                        self.header_read = true;
                        self.columns = None;
                    }
                    return Some(*entry);
                }
            };
            if self.record.iter().all(<[u8]>::is_empty) {
                continue;
            }
            if !self.header_read {
                self.header_read = true;
                match self.header_entry(line) {
                    Some(entry) => return Some(Ok(entry)),
                    None => continue,
                }
            }
            if let Some(columns) = &self.columns {
                return Some(Ok(self.row_entry(columns, line)));
            }
        }
    }
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
    item.tier = field(columns.tier).map(str::to_owned);
    item.registrar = field(columns.registrar).map(str::to_owned);
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

/// Tags are separated by `;`; each is trimmed, empty ones and repeats are
/// dropped. Commas would clash with the CSV separator, and spaces are
/// allowed inside a tag (`client a`).
fn split_tags(value: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in value
        .split(';')
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
    {
        if !tags.iter().any(|kept| kept == tag) {
            tags.push(tag.to_owned());
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
    #[case::empty(" ; ", &[])]
    fn splits_tags(#[case] value: &str, #[case] expected: &[&str]) {
        assert_eq!(split_tags(value), expected);
    }

    #[rstest]
    #[case::missing_domain(&["name", "tier"], "the header has no domain column (it has: name, tier), so no row of this file can be read")]
    #[case::twice(&["domain", "Domain"], "the header names the domain column twice")]
    fn rejects_headers(#[case] header: &[&str], #[case] reason: &str) {
        assert_eq!(Columns::from_header(header).err().as_deref(), Some(reason));
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
