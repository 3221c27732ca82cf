//! Small text helpers shared by the RDAP readers: comparing keywords,
//! normalising names, making server text safe for one-line messages.

/// A domain or host name as a lower-case A-label without the trailing dot;
/// U-labels are converted by the crate's one set of rules
/// ([`crate::domain::to_a_label`]). `None` when empty or not a valid name.
pub(super) fn ascii_name(text: &str) -> Option<String> {
    crate::domain::to_a_label(text).ok()
}

/// Lower case with everything but letters and digits removed, so that
/// `last changed`, `lastChanged` and `last_changed` compare equal.
pub(super) fn fold(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Text from a server, made safe for a one-line message: control
/// characters (escape sequences, newlines) become spaces, runs of spaces one.
pub(super) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("NS1.Example.COM.", Some("ns1.example.com"))]
    #[case(" bücher.example ", Some("xn--bcher-kva.example"))]
    #[case("", None)]
    #[case(".", None)]
    fn names(#[case] text: &str, #[case] expected: Option<&str>) {
        assert_eq!(ascii_name(text).as_deref(), expected);
    }

    #[rstest]
    #[case("last changed", "lastchanged")]
    #[case("lastChanged", "lastchanged")]
    #[case(" Last_Changed ", "lastchanged")]
    #[case("IANA Registrar ID", "ianaregistrarid")]
    fn folds(#[case] text: &str, #[case] expected: &str) {
        assert_eq!(fold(text), expected);
    }

    #[test]
    fn one_line_defuses_terminal_control() {
        assert_eq!(one_line("a\n  b\x1b[31m\tc "), "a b [31m c");
    }
}
