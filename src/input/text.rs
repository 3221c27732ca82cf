//! The plain-text reader: one name per line, `#` comments, blank lines.
//!
//! Lines are read as bytes so that one line of bad UTF-8 becomes one
//! invalid entry instead of stopping the file, and with a length cap so
//! that a file with no line breaks (a binary given by mistake) cannot make
//! the reader hold all of it.

use std::io::{self, BufRead};

use super::{Entry, InputError, InputItem, InvalidLine, Origin, printable};
use crate::domain::normalize;

/// Longest line read in full; a domain name is at most 253 octets, a URL
/// rarely more than a few thousand.
const MAX_LINE_BYTES: usize = 64 * 1024;

/// The entries of a plain-text source, one per line that holds something.
pub(super) struct TextLines<R> {
    reader: R,
    file: String,
    line: usize,
    buffer: Vec<u8>,
    failed: bool,
}

impl<R: BufRead> TextLines<R> {
    pub(super) fn new(reader: R, file: String) -> TextLines<R> {
        TextLines {
            reader,
            file,
            line: 0,
            buffer: Vec::new(),
            failed: false,
        }
    }

    /// The entry for the line in `self.buffer`, or `None` for a blank or
    /// comment line.
    fn entry(&self, cut: bool) -> Option<Entry> {
        let bytes = self.buffer.strip_suffix(b"\n").unwrap_or(&self.buffer);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let origin = Origin {
            file: self.file.clone(),
            line: self.line,
        };
        let invalid = |raw: &str, reason: String| {
            Some(Entry::Invalid(InvalidLine {
                origin: origin.clone(),
                raw: printable(raw),
                reason,
            }))
        };
        if cut {
            let reason =
                format!("line is longer than {MAX_LINE_BYTES} bytes; a domain name is at most 253");
            return invalid(&String::from_utf8_lossy(bytes), reason);
        }
        let line = match std::str::from_utf8(bytes) {
            Ok(line) => line,
            Err(error) => {
                let offset = error.valid_up_to();
                let reason = format!(
                    "not valid UTF-8 (byte 0x{:02X} at byte {})",
                    bytes.get(offset).copied().unwrap_or_default(),
                    offset + 1
                );
                return invalid(&String::from_utf8_lossy(bytes), reason);
            }
        };
        // A byte-order mark the source-level check missed (a reader that
        // delivered fewer than three bytes at first) is still not content.
        let line = match self.line {
            1 => line.strip_prefix('\u{feff}').unwrap_or(line),
            _ => line,
        };
        let content = without_comment(line).trim();
        if content.is_empty() {
            return None;
        }
        match normalize(content) {
            Ok(normalized) => Some(Entry::Name(InputItem::new(
                normalized,
                origin.clone(),
                content,
            ))),
            Err(error) => invalid(line, error.to_string()),
        }
    }
}

impl<R: BufRead> Iterator for TextLines<R> {
    type Item = Result<Entry, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.failed {
            self.buffer.clear();
            match read_capped_line(&mut self.reader, &mut self.buffer, MAX_LINE_BYTES) {
                Ok(None) => return None,
                Ok(Some(cut)) => {
                    self.line += 1;
                    if let Some(entry) = self.entry(cut) {
                        return Some(Ok(entry));
                    }
                }
                Err(source) => {
                    self.failed = true;
                    return Some(Err(InputError::Read {
                        file: self.file.clone(),
                        line: self.line,
                        source,
                    }));
                }
            }
        }
        None
    }
}

/// The line without its comment: `#` starts one at the start of the line or
/// after white space, so `https://example.com/#top` keeps its fragment.
fn without_comment(line: &str) -> &str {
    let mut previous_is_space = true;
    for (index, character) in line.char_indices() {
        if character == '#' && previous_is_space {
            return &line[..index];
        }
        previous_is_space = character.is_whitespace();
    }
    line
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

    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::plain("example.com", "example.com")]
    #[case::whole_line("# a comment", "")]
    #[case::indented("   # indented comment", "   ")]
    #[case::trailing("example.com # renew by hand", "example.com ")]
    #[case::trailing_tab("example.com\t#note", "example.com\t")]
    #[case::fragment("https://example.com/#top", "https://example.com/#top")]
    #[case::glued_hash("example.com#x", "example.com#x")]
    fn strips_comments(#[case] line: &str, #[case] expected: &str) {
        assert_eq!(without_comment(line), expected);
    }

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
}
