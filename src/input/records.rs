//! Splits a CSV source into records, each with the physical line it starts
//! on.
//!
//! The `csv` crate reports the position where it *started reading* a record,
//! which is before any blank or comment lines it skipped (and, with CRLF,
//! before the `\n` of the previous line), so its line numbers drift. Here
//! the lines are read with [`PhysicalLines`] and joined while a quoted field
//! is open, following the `csv` crate's quoting rules (RFC 4180: a field is
//! quoted when it starts with `"`, and `""` inside it is a quote), so every
//! record knows its first line exactly; the `csv` crate then splits each
//! record into fields.
//!
//! A quote that is never closed would swallow the rest of the file; a
//! record is therefore limited to [`MAX_RECORD_LINES`] lines. Past that,
//! the opening line is reported and reading resumes at the line after it.

use std::collections::VecDeque;
use std::io::{self, BufRead};

use super::lines::{Line, MAX_LINE_BYTES, PhysicalLines};

/// Most physical lines one record may span.
pub(super) const MAX_RECORD_LINES: usize = 32;

/// What the splitter produced.
pub(super) enum Piece {
    /// One record: its first line and its text, lines joined with `\n`.
    Record { line: usize, text: Vec<u8> },
    /// A line that cannot start a record, and why.
    Broken {
        line: usize,
        text: Vec<u8>,
        reason: String,
    },
}

/// The records of a CSV source; comment (`#`) and blank lines are skipped.
pub(super) struct Records<R> {
    lines: PhysicalLines<R>,
    /// Lines taken back after an unclosed quote, read again before new ones.
    pending: VecDeque<Line>,
}

impl<R: BufRead> Records<R> {
    pub(super) fn new(reader: R) -> Records<R> {
        Records {
            lines: PhysicalLines::new(reader),
            pending: VecDeque::new(),
        }
    }

    /// Number of the last line read from the source.
    pub(super) fn last_line(&self) -> usize {
        self.lines.last_number()
    }

    fn next_line(&mut self) -> Option<io::Result<Line>> {
        match self.pending.pop_front() {
            Some(line) => Some(Ok(line)),
            None => self.lines.next(),
        }
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = io::Result<Piece>;

    fn next(&mut self) -> Option<Self::Item> {
        let first = loop {
            let line = match self.next_line()? {
                Ok(line) => line,
                Err(error) => return Some(Err(error)),
            };
            let is_comment = line.bytes.trim_ascii_start().starts_with(b"#");
            if !line.is_blank() && !is_comment {
                break line;
            }
        };
        if first.cut {
            return Some(Ok(Piece::Broken {
                line: first.number,
                text: first.bytes,
                reason: format!("line is longer than {MAX_LINE_BYTES} bytes"),
            }));
        }
        let mut quotes = QuoteState::default();
        quotes.scan_line(&first.bytes);
        let mut lines = vec![first];
        while quotes.in_quotes {
            let line = match self.next_line() {
                Some(Ok(line)) => line,
                Some(Err(error)) => return Some(Err(error)),
                None => break,
            };
            if line.cut || lines.len() == MAX_RECORD_LINES {
                self.pending.push_front(line);
                break;
            }
            quotes.scan_line(&line.bytes);
            lines.push(line);
        }
        if quotes.in_quotes {
            let mut lines = lines.into_iter();
            let first = lines.next()?;
            for line in lines.rev() {
                self.pending.push_front(line);
            }
            return Some(Ok(Piece::Broken {
                line: first.number,
                text: first.bytes,
                reason: format!(
                    "a quoted field opened on this line is not closed within {MAX_RECORD_LINES} lines"
                ),
            }));
        }
        let line = lines.first().map_or(0, |line| line.number);
        let text = lines
            .into_iter()
            .map(|line| line.bytes)
            .collect::<Vec<_>>()
            .join(&b'\n');
        Some(Ok(Piece::Record { line, text }))
    }
}

/// Where a scan stands with respect to quoted fields.
struct QuoteState {
    in_quotes: bool,
    at_field_start: bool,
    /// Inside quotes, a `"` was just seen: either the closing quote or the
    /// first of a doubled one.
    quote_pending: bool,
}

impl Default for QuoteState {
    fn default() -> QuoteState {
        QuoteState {
            in_quotes: false,
            at_field_start: true,
            quote_pending: false,
        }
    }
}

impl QuoteState {
    /// Follows one line; a line break inside quotes is field content and
    /// changes nothing, so only the lines themselves are scanned.
    fn scan_line(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if self.quote_pending {
                self.quote_pending = false;
                if byte == b'"' {
                    continue;
                }
                self.in_quotes = false;
            }
            if self.in_quotes {
                self.quote_pending = byte == b'"';
                continue;
            }
            match byte {
                b'"' if self.at_field_start => {
                    self.in_quotes = true;
                    self.at_field_start = false;
                }
                b',' => self.at_field_start = true,
                _ => self.at_field_start = false,
            }
        }
        // A quote at the very end of a line closes the field: a doubled
        // quote cannot be split across lines.
        if self.quote_pending {
            self.quote_pending = false;
            self.in_quotes = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    /// `(first line, text)` for records, `(line, reason)` for broken lines.
    fn pieces(input: &str) -> Vec<(usize, String)> {
        Records::new(input.as_bytes())
            .filter_map(Result::ok)
            .map(|piece| match piece {
                Piece::Record { line, text } => (line, String::from_utf8_lossy(&text).into_owned()),
                Piece::Broken { line, reason, .. } => (line, format!("broken: {reason}")),
            })
            .collect()
    }

    #[rstest]
    #[case::plain("h\na\nb\n", &[(1, "h"), (2, "a"), (3, "b")])]
    #[case::blank_and_comment_lines("h\n\n# note\n  \na\n", &[(1, "h"), (5, "a")])]
    #[case::crlf("h\r\na\r\n\r\nb\r\n", &[(1, "h"), (2, "a"), (4, "b")])]
    #[case::quoted_newline("h\n\"multi\nline\",x\nnext\n", &[(1, "h"), (2, "\"multi\nline\",x"), (4, "next")])]
    #[case::doubled_quote("\"say \"\"hi\"\"\",x\nnext\n", &[(1, "\"say \"\"hi\"\"\",x"), (2, "next")])]
    #[case::quote_mid_field("5\" disk,x\nnext\n", &[(1, "5\" disk,x"), (2, "next")])]
    #[case::closing_quote_at_line_end("\"a\nb\"\nnext\n", &[(1, "\"a\nb\""), (3, "next")])]
    #[case::empty_quoted_field("\"\",x\nnext\n", &[(1, "\"\",x"), (2, "next")])]
    #[case::hash_inside_row("a,#b\n", &[(1, "a,#b")])]
    fn splits_records_at_their_first_line(#[case] input: &str, #[case] expected: &[(usize, &str)]) {
        let expected: Vec<(usize, String)> = expected
            .iter()
            .map(|(line, text)| (*line, (*text).to_owned()))
            .collect();
        assert_eq!(pieces(input), expected);
    }

    #[test]
    fn an_unclosed_quote_is_reported_and_reading_resumes_on_the_next_line() {
        let mut input = String::from("h\n\"never closed,x\n");
        for n in 0..MAX_RECORD_LINES {
            input.push_str(&format!("row{n}\n"));
        }
        let pieces = pieces(&input);
        assert_eq!(pieces[0], (1, "h".to_owned()));
        assert_eq!(
            pieces[1],
            (
                2,
                "broken: a quoted field opened on this line is not closed within 32 lines"
                    .to_owned()
            )
        );
        assert_eq!(pieces[2], (3, "row0".to_owned()));
        assert_eq!(pieces.len(), 2 + MAX_RECORD_LINES);
    }

    #[test]
    fn an_unclosed_quote_at_the_end_of_the_file_is_reported() {
        assert_eq!(
            pieces("h\n\"open\nlast\n"),
            [
                (1, "h".to_owned()),
                (
                    2,
                    "broken: a quoted field opened on this line is not closed within 32 lines"
                        .to_owned()
                ),
                (3, "last".to_owned()),
            ]
        );
    }
}
