//! Text from outside (registry answers, lists, files, error messages that
//! quote them) made safe for every output that is not JSON: tables, `show`,
//! `history`, the CSV, GitHub, Markdown and Prometheus reports, and the
//! messages printed on the terminal. JSON keeps the text as it came and
//! escapes it as JSON does.
//!
//! [`printable`] is the one escaping every such writer applies to a value
//! before its own format's escaping: control characters (C0, DEL, C1) and
//! the invisible format characters that reorder or hide text (bidi
//! overrides and isolates, zero-width characters, the byte-order mark)
//! become a visible escape, `\u{1b}` (`\t`, `\r` and `\n` for the three
//! everyone knows), so that a registry cannot move the cursor, retitle
//! the terminal, forge a line or hide a character. [`spreadsheet_cell`] adds
//! the guard spreadsheets need against formulas.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every character a terminal would act on, or would not show,
/// replaced by a visible escape.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(must_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c if must_escape(c) => {
                let _ = write!(out, "{}", c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// [`printable`] line by line, for text whose line breaks are the
/// writer's own (a table, a page of `show`) and whose values may still hold
/// anything else; a CR before a line feed is part of the break and goes
/// with it. A value that may hold a line break of its own must go through
/// [`printable`] before it is put in.
pub fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| printable(line.strip_suffix('\r').unwrap_or(line)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A CSV cell of text from outside: [`printable`], and a leading `'` when
/// the text begins with a character a spreadsheet reads as the start of a
/// formula (`=`, `+`, `-`, `@`, tab, carriage return). For text columns
/// only: a number column keeps its minus sign.
pub fn spreadsheet_cell(text: &str) -> Cow<'_, str> {
    let shown = printable(text);
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{shown}"))
    } else {
        shown
    }
}

fn must_escape(character: char) -> bool {
    character.is_control() || crate::domain::is_invisible(character)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::plain("MarkMonitor Inc.", "MarkMonitor Inc.")]
    #[case::unicode_kept("厦门易名科技 bücher", "厦门易名科技 bücher")]
    #[case::csi("\u{1b}[31mEvil\u{1b}[0m", "\\u{1b}[31mEvil\\u{1b}[0m")]
    #[case::osc_title("\u{1b}]0;pwned\u{7}", "\\u{1b}]0;pwned\\u{7}")]
    #[case::bell_nul_del("a\u{7}\u{0}\u{7f}", "a\\u{7}\\u{0}\\u{7f}")]
    #[case::c1_csi("a\u{9b}31m", "a\\u{9b}31m")]
    #[case::line_breaks("a\r\nb\tc", "a\\r\\nb\\tc")]
    #[case::bidi_override("evil\u{202e}txt.exe", "evil\\u{202e}txt.exe")]
    #[case::isolate("a\u{2066}b\u{2069}", "a\\u{2066}b\\u{2069}")]
    #[case::zero_width("pay\u{200b}pal", "pay\\u{200b}pal")]
    #[case::bom("\u{feff}x", "\\u{feff}x")]
    fn escapes_what_a_terminal_acts_on_or_hides(#[case] text: &str, #[case] shown: &str) {
        assert_eq!(printable(text), shown);
    }

    #[test]
    fn printable_lines_keeps_the_writers_line_breaks() {
        assert_eq!(
            printable_lines("a\u{1b}[2J\nb\r\nc\rd"),
            "a\\u{1b}[2J\nb\nc\\rd"
        );
    }

    #[rstest]
    #[case::formula("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")")]
    #[case::plus("+1", "'+1")]
    #[case::minus("-2+3", "'-2+3")]
    #[case::at("@SUM(A1)", "'@SUM(A1)")]
    #[case::tab("\t=1", "'\\t=1")]
    #[case::carriage_return("\r=1", "'\\r=1")]
    #[case::inside("a=b", "a=b")]
    #[case::plain("clientHold", "clientHold")]
    fn guards_cells_a_spreadsheet_reads_as_formulas(#[case] text: &str, #[case] cell: &str) {
        assert_eq!(spreadsheet_cell(text), cell);
    }
}
