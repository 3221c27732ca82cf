//! `check`'s CSV lists: a header row naming the columns, one name per row,
//! and the owner's own data about each name (tier, registrar, expiry,
//! intent, tags) kept for the audit. The file itself (separators, quoting,
//! broken rows) is read by [`super::csv_table`]. A header that cannot be
//! used (no `domain` column, a column named twice) makes the whole file
//! unreadable: an [`InputError::Header`] naming the columns found, so the
//! run stops before any lookup.

use std::io::BufRead;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::csv_table::{CsvItem, CsvTable, column};
use super::entry::{Entry, InputError, InputItem, Intent, InvalidLine, Origin, printable};
use crate::domain::normalize;

/// Which field holds which column.
struct Columns {
    domain: usize,
    tier: Option<usize>,
    registrar: Option<usize>,
    expires: Option<usize>,
    intent: Option<usize>,
    tags: Option<usize>,
}

impl Columns {
    fn from_header(names: &[String]) -> Result<Columns, String> {
        let Some(domain) = column(names, "domain")? else {
            return Err(format!(
                "the header has no domain column (it has: {})",
                printable(&names.join(", "))
            ));
        };
        Ok(Columns {
            domain,
            tier: column(names, "tier")?,
            registrar: column(names, "registrar")?,
            expires: column(names, "expires")?,
            intent: column(names, "intent")?,
            tags: column(names, "tags")?,
        })
    }
}

/// The entries of a CSV source, one per non-empty row.
pub(super) struct CsvRows<R> {
    table: CsvTable<R>,
    columns: Option<Columns>,
}

impl<R: BufRead> CsvRows<R> {
    pub(super) fn new(reader: R, file: String) -> CsvRows<R> {
        CsvRows {
            table: CsvTable::new(reader, file),
            columns: None,
        }
    }

    fn invalid(&self, line: usize, text: &[u8], reason: String) -> Entry {
        Entry::Invalid(InvalidLine {
            origin: self.origin(line),
            raw: printable(&String::from_utf8_lossy(text)),
            reason,
        })
    }

    fn origin(&self, line: usize) -> Origin {
        Origin {
            file: self.table.file().to_owned(),
            line,
        }
    }
}

impl<R: BufRead> Iterator for CsvRows<R> {
    type Item = Result<Entry, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        let item = match self.table.next()? {
            Ok(item) => item,
            Err(error) => return Some(Err(error)),
        };
        Some(Ok(match item {
            CsvItem::Header { line, names } => match Columns::from_header(&names) {
                Ok(columns) => {
                    self.columns = Some(columns);
                    return self.next();
                }
                Err(reason) => {
                    self.table.stop();
                    return Some(Err(InputError::Header {
                        file: self.table.file().to_owned(),
                        line,
                        reason,
                    }));
                }
            },
            CsvItem::Bad { line, text, reason } => self.invalid(line, &text, reason),
            CsvItem::Row { line, text, fields } => {
                let Some(columns) = &self.columns else {
                    return None;
                };
                match row_item(columns, &fields, self.origin(line)) {
                    Ok(item) => Entry::Name(item),
                    Err(reason) => self.invalid(line, &text, reason),
                }
            }
        }))
    }
}

/// The item for one row, or why the row cannot be used.
fn row_item(columns: &Columns, fields: &[String], origin: Origin) -> Result<InputItem, String> {
    let field = |index: Option<usize>| {
        index
            .and_then(|index| fields.get(index))
            .map(String::as_str)
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
        assert_eq!(
            Columns::from_header(&names(header)).err().as_deref(),
            Some(reason)
        );
    }

    /// A header's names as the table gives them: trimmed, lower case.
    fn names(header: &[&str]) -> Vec<String> {
        header
            .iter()
            .map(|name| name.trim().to_ascii_lowercase())
            .collect()
    }

    #[test]
    fn finds_columns_in_any_order_and_case() {
        let header = [" Tags", "DOMAIN ", "owner", "Expires"];
        match Columns::from_header(&names(&header)) {
            Ok(columns) => {
                assert_eq!(columns.domain, 1);
                assert_eq!(columns.tags, Some(0));
                assert_eq!(columns.expires, Some(3));
                assert_eq!(columns.tier, None);
            }
            Err(reason) => panic!("{reason}"),
        }
    }
}
