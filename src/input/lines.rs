//! Physical lines of a source, as bytes, numbered from 1: the unit every
//! message about the input refers to.
//!
//! Lines are bytes so that one line of bad UTF-8 is reported on its own
//! instead of stopping the file; they are capped in length so that a file
//! with no line breaks (a binary given by mistake) cannot make the reader
//! hold all of it. The line terminator (`\n` or `\r\n`) is removed, and so
//! is a UTF-8 byte-order mark at the start of a line: spreadsheet programs
//! and Windows editors start files with one, and files joined with `cat`
//! carry one at every join. (The `csv` crate drops it at the start of its
//! input too, so both formats agree.)

use std::io::{self, BufRead};

/// Longest line kept in full; a domain name is at most 253 octets, a URL or
/// a CSV row rarely more than a few thousand.
pub(super) const MAX_LINE_BYTES: usize = 64 * 1024;

const BYTE_ORDER_MARK: &[u8] = b"\xEF\xBB\xBF";

/// One physical line.
pub(super) struct Line {
    /// 1-based.
    pub(super) number: usize,
    /// Without the terminator; at most [`MAX_LINE_BYTES`].
    pub(super) bytes: Vec<u8>,
    /// The line was longer than [`MAX_LINE_BYTES`]; the rest was skipped.
    pub(super) cut: bool,
}

impl Line {
    /// Nothing but white space.
    pub(super) fn is_blank(&self) -> bool {
        self.bytes.iter().all(u8::is_ascii_whitespace)
    }
}

/// The lines of a reader, in order; an I/O error ends them.
pub(super) struct PhysicalLines<R> {
    reader: R,
    number: usize,
    failed: bool,
}

impl<R: BufRead> PhysicalLines<R> {
    pub(super) fn new(reader: R) -> PhysicalLines<R> {
        PhysicalLines {
            reader,
            number: 0,
            failed: false,
        }
    }

    /// Number of the last line returned (0 before the first).
    pub(super) fn last_number(&self) -> usize {
        self.number
    }
}

impl<R: BufRead> Iterator for PhysicalLines<R> {
    type Item = io::Result<Line>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let mut bytes = Vec::new();
        match read_capped_line(&mut self.reader, &mut bytes, MAX_LINE_BYTES) {
            Ok(None) => None,
            Ok(Some(cut)) => {
                self.number += 1;
                if bytes.last() == Some(&b'\n') {
                    bytes.pop();
                }
                if bytes.last() == Some(&b'\r') {
                    bytes.pop();
                }
                if bytes.starts_with(BYTE_ORDER_MARK) {
                    bytes.drain(..BYTE_ORDER_MARK.len());
                }
                Some(Ok(Line {
                    number: self.number,
                    bytes,
                    cut,
                }))
            }
            Err(error) => {
                self.failed = true;
                Some(Err(error))
            }
        }
    }
}

/// Reads one line (with its `\n`, if any) into `buffer`, keeping at most
/// `cap` bytes and discarding the rest of the line. Returns `None` at end of
/// input, otherwise whether the line was cut.
fn read_capped_line(
    reader: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<bool>> {
    let mut read_any = false;
    let mut cut = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok(read_any.then_some(cut));
        }
        read_any = true;
        let newline = available.iter().position(|byte| *byte == b'\n');
        let chunk = match newline {
            Some(end) => &available[..=end],
            None => available,
        };
        let room = cap.saturating_sub(buffer.len());
        if chunk.len() > room {
            cut = true;
        }
        buffer.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len();
        reader.consume(used);
        if newline.is_some() {
            return Ok(Some(cut));
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::BufReader;

    use super::*;

    #[test]
    fn cuts_long_lines_and_resumes_at_the_next() {
        let input = format!("{}\nexample.com\nlast", "x".repeat(50));
        // A tiny buffer makes the line arrive in several chunks.
        let mut reader = BufReader::with_capacity(7, input.as_bytes());
        let mut buffer = Vec::new();
        let mut lines = Vec::new();
        while let Ok(Some(cut)) = read_capped_line(&mut reader, &mut buffer, 20) {
            lines.push((String::from_utf8_lossy(&buffer).into_owned(), cut));
            buffer.clear();
        }
        assert_eq!(
            lines,
            [
                ("x".repeat(20), true),
                ("example.com\n".to_owned(), false),
                ("last".to_owned(), false),
            ]
        );
    }

    #[test]
    fn strips_terminators_and_byte_order_marks() {
        let input = b"\xEF\xBB\xBFone\r\n\r\n\xEF\xBB\xBFthree\xEF\xBB\xBF\nfour\r";
        let lines: Vec<(usize, Vec<u8>)> = PhysicalLines::new(&input[..])
            .filter_map(Result::ok)
            .map(|line| (line.number, line.bytes))
            .collect();
        assert_eq!(
            lines,
            [
                (1, b"one".to_vec()),
                (2, Vec::new()),
                (3, b"three\xEF\xBB\xBF".to_vec()),
                (4, b"four".to_vec()),
            ]
        );
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert_eq!(PhysicalLines::new(&b""[..]).count(), 0);
    }
}
