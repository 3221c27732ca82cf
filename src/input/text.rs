//! The plain-text reader: one name per line, `#` comments, blank lines.

use std::io::BufRead;

use super::entry::{Entry, InputError, InputItem, InvalidLine, Origin, printable};
use super::lines::{Line, MAX_LINE_BYTES, PhysicalLines};
use crate::domain::normalize;

/// The entries of a plain-text source, one per line that holds something.
pub(super) struct TextLines<R> {
    lines: PhysicalLines<R>,
    file: String,
}

impl<R: BufRead> TextLines<R> {
    pub(super) fn new(reader: R, file: String) -> TextLines<R> {
        TextLines {
            lines: PhysicalLines::new(reader),
            file,
        }
    }

    /// The entry for one line, or `None` for a blank or comment line.
    fn entry(&self, line: &Line) -> Option<Entry> {
        let origin = Origin {
            file: self.file.clone(),
            line: line.number,
        };
        let invalid = |raw: &str, reason: String| {
            Some(Entry::Invalid(InvalidLine {
                origin: origin.clone(),
                raw: printable(raw),
                reason,
            }))
        };
        if line.cut {
            let reason =
                format!("line is longer than {MAX_LINE_BYTES} bytes; a domain name is at most 253");
            return invalid(&String::from_utf8_lossy(&line.bytes), reason);
        }
        let text = match std::str::from_utf8(&line.bytes) {
            Ok(text) => text,
            Err(error) => {
                let offset = error.valid_up_to();
                let reason = format!(
                    "not valid UTF-8 (byte 0x{:02X} at byte {})",
                    line.bytes.get(offset).copied().unwrap_or_default(),
                    offset + 1
                );
                return invalid(&String::from_utf8_lossy(&line.bytes), reason);
            }
        };
        let content = without_comment(text).trim();
        if content.is_empty() {
            return None;
        }
        match normalize(content) {
            Ok(normalized) => Some(Entry::Name(InputItem::new(
                normalized,
                origin.clone(),
                content,
            ))),
            Err(error) => invalid(text, error.to_string()),
        }
    }
}

impl<R: BufRead> Iterator for TextLines<R> {
    type Item = Result<Entry, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.lines.next()? {
                Ok(line) => {
                    if let Some(entry) = self.entry(&line) {
                        return Some(Ok(entry));
                    }
                }
                Err(source) => {
                    return Some(Err(InputError::Read {
                        file: self.file.clone(),
                        line: self.lines.last_number(),
                        error: source,
                    }));
                }
            }
        }
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

#[cfg(test)]
mod tests {
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
    fn an_overlong_line_is_one_invalid_entry_and_reading_goes_on() {
        let input = format!("{}\nexample.com\n", "a".repeat(MAX_LINE_BYTES + 10));
        let entries: Vec<Entry> = TextLines::new(input.as_bytes(), "big.txt".to_owned())
            .filter_map(Result::ok)
            .collect();
        match entries.as_slice() {
            [Entry::Invalid(invalid), Entry::Name(item)] => {
                assert_eq!(invalid.origin.line, 1);
                assert_eq!(
                    invalid.reason,
                    "line is longer than 65536 bytes; a domain name is at most 253"
                );
                assert_eq!(invalid.raw.chars().count(), 201);
                assert_eq!(item.origins[0].line, 2);
            }
            other => panic!("unexpected entries: {other:?}"),
        }
    }
}
