//! A CSV file as a header and rows, whatever the columns mean: `check`'s
//! lists ([`super::table`]) and `timeline --csv`'s expiry sheets read
//! their files through it, so both take the same separators, quoting,
//! BOM and CRLF, and report a broken row the same way.
//!
//! Records come from `records` with their exact first line; `csv-core`
//! (the parser under the `csv` crate, built once per file: building it is
//! far dearer than splitting a row) splits each into fields on bytes, so a
//! short row or a field of bad UTF-8 is reported for its row, never fatal. The separator
//! is the one of `,`, `;` and tab the header uses most (spreadsheets in many
//! locales write `;`). The reader of a table says what its header must
//! hold; a header that breaks (bad quoting, bad UTF-8) makes the whole file
//! unreadable.

use std::io::BufRead;

use super::entry::InputError;
use super::records::{Piece, Records};

/// The separators a header may use, in the order that wins a tie.
const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];

/// What a table yields, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CsvItem {
    /// The header's column names, trimmed and lower case: comes first.
    Header { line: usize, names: Vec<String> },
    /// A row with as many fields as the header, each trimmed.
    Row {
        line: usize,
        text: Vec<u8>,
        fields: Vec<String>,
    },
    /// A row that cannot be read, and why.
    Bad {
        line: usize,
        text: Vec<u8>,
        reason: String,
    },
}

/// Where the reader stands in the file.
enum State {
    Header,
    Rows {
        columns: usize,
        splitter: Box<Splitter>,
    },
    Done,
}

/// The items of a CSV source; empty rows are skipped.
pub(crate) struct CsvTable<R> {
    records: Records<R>,
    file: String,
    state: State,
}

impl<R: BufRead> CsvTable<R> {
    pub(crate) fn new(reader: R, file: String) -> CsvTable<R> {
        CsvTable {
            records: Records::new(reader),
            file,
            state: State::Header,
        }
    }

    /// The file's name, as given.
    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    /// Stops the table: what follows its header cannot be read.
    pub(crate) fn stop(&mut self) {
        self.state = State::Done;
    }

    /// The item for one record, or `None` when it is empty.
    fn item(&mut self, line: usize, text: Vec<u8>) -> Option<CsvItem> {
        let mut header_splitter = None;
        let splitter = match &mut self.state {
            State::Rows { splitter, .. } => splitter,
            State::Header | State::Done => {
                header_splitter.insert(Box::new(Splitter::new(sniff_separator(&text))))
            }
        };
        let bad = |reason| CsvItem::Bad {
            line,
            text: text.clone(),
            reason,
        };
        let fields = match splitter.split(&text) {
            Ok(fields) if fields.iter().all(String::is_empty) => return None,
            Ok(fields) => fields,
            Err(reason) => return Some(bad(reason)),
        };
        match &self.state {
            State::Header => {
                self.state = State::Rows {
                    columns: fields.len(),
                    splitter: header_splitter.unwrap_or_else(|| Box::new(Splitter::new(b','))),
                };
                let names = fields
                    .iter()
                    .map(|name| name.to_ascii_lowercase())
                    .collect();
                Some(CsvItem::Header { line, names })
            }
            State::Rows { columns, .. } if fields.len() != *columns => Some(bad(format!(
                "the row has {} fields, the header has {columns}",
                fields.len()
            ))),
            State::Rows { .. } => Some(CsvItem::Row { line, text, fields }),
            State::Done => None,
        }
    }
}

impl<R: BufRead> Iterator for CsvTable<R> {
    type Item = Result<CsvItem, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if matches!(self.state, State::Done) {
                return None;
            }
            let piece = match self.records.next() {
                Some(Ok(piece)) => piece,
                Some(Err(error)) => {
                    self.state = State::Done;
                    return Some(Err(InputError::Read {
                        file: self.file.clone(),
                        line: self.records.last_line(),
                        error,
                    }));
                }
                None => {
                    self.state = State::Done;
                    return None;
                }
            };
            match piece {
                Piece::Record { line, text } => {
                    if let Some(item) = self.item(line, text) {
                        return Some(Ok(item));
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
                    return Some(Ok(CsvItem::Bad { line, text, reason }));
                }
            }
        }
    }
}

/// The index of column `wanted` among a header's `names`, `None` when it
/// is absent; an error when it is named twice.
pub(crate) fn column(names: &[String], wanted: &str) -> Result<Option<usize>, String> {
    let mut matches = names.iter().enumerate().filter(|(_, name)| *name == wanted);
    let first = matches.next().map(|(index, _)| index);
    match matches.next() {
        Some(_) => Err(format!("the header names the {wanted} column twice")),
        None => Ok(first),
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

/// Splits records into trimmed fields with one separator.
struct Splitter {
    core: csv_core::Reader,
    output: Vec<u8>,
    ends: Vec<usize>,
}

impl Splitter {
    fn new(separator: u8) -> Splitter {
        Splitter {
            core: csv_core::ReaderBuilder::new().delimiter(separator).build(),
            output: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// Splits one record (which may span lines) into trimmed fields.
    fn split(&mut self, text: &[u8]) -> Result<Vec<String>, String> {
        use csv_core::ReadRecordResult;
        self.core.reset();
        self.output.resize(text.len().max(16), 0);
        self.ends.resize(16, 0);
        let (mut input, mut written, mut fields) = (text, 0, 0);
        loop {
            let (result, read, out, ends) =
                self.core
                    .read_record(input, &mut self.output[written..], &mut self.ends[fields..]);
            input = &input[read..];
            written += out;
            fields += ends;
            match result {
                // The next call passes what is left: nothing, at the end,
                // which ends the record.
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => self.output.resize(self.output.len() * 2, 0),
                ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                ReadRecordResult::Record | ReadRecordResult::End => break,
            }
        }
        if input.iter().any(|byte| !byte.is_ascii_whitespace()) {
            return Err("cannot read this CSV row: it splits into more than one record".to_owned());
        }
        let mut start = 0;
        let mut decoded = Vec::with_capacity(fields);
        for (index, end) in self.ends[..fields].iter().enumerate() {
            let field = self.output[start..*end].trim_ascii();
            start = *end;
            let field = std::str::from_utf8(field)
                .map_err(|_| format!("field {} is not valid UTF-8", index + 1))?;
            decoded.push(field.to_owned());
        }
        Ok(decoded)
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn items(text: &str) -> Vec<CsvItem> {
        CsvTable::new(text.as_bytes(), "t.csv".to_owned())
            .map(|item| item.unwrap())
            .collect()
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
    fn a_header_then_rows_with_their_lines() {
        let read = items("\u{feff}Domain;Expires\r\n\r\nexample.com; 2025-01-01 \r\nshort\r\n");
        assert_eq!(
            read[0],
            CsvItem::Header {
                line: 1,
                names: vec!["domain".to_owned(), "expires".to_owned()]
            }
        );
        assert_eq!(
            read[1],
            CsvItem::Row {
                line: 3,
                text: b"example.com; 2025-01-01 ".to_vec(),
                fields: vec!["example.com".to_owned(), "2025-01-01".to_owned()],
            }
        );
        assert!(
            matches!(&read[2], CsvItem::Bad { line: 4, reason, .. } if reason == "the row has 1 fields, the header has 2"),
            "{:?}",
            read[2]
        );
        assert_eq!(read.len(), 3);
    }

    #[test]
    fn columns_are_found_once() {
        let names: Vec<String> = ["domain", "tier", "tier"].map(String::from).to_vec();
        assert_eq!(column(&names, "domain"), Ok(Some(0)));
        assert_eq!(column(&names, "tags"), Ok(None));
        assert_eq!(
            column(&names, "tier"),
            Err("the header names the tier column twice".to_owned())
        );
    }
}
