//! GitHub Actions workflow commands: one annotation per finding
//! (`::error file=domains.txt,line=3,title=domlife expired example.com::...`),
//! pointing at the input line the name came from, so that the finding shows
//! on the list file in a pull request and in the run's summary.
//!
//! Registry text reaches the message, so everything is escaped, never
//! trusted: control characters (line breaks included, so no text can start
//! a command line of its own) become visible escapes
//! ([`crate::escape::printable`]), then the runner's rules apply: `%` is
//! percent-encoded, and in a property value `:` and `,` are too, since they
//! separate properties.

use std::io::{self, Write};

use crate::audit::AuditResult;
use crate::input::STDIN_NAME;
use crate::reconcile::Severity;

pub(super) fn write(out: &mut impl Write, results: &[AuditResult]) -> io::Result<()> {
    for result in results {
        for finding in &result.findings {
            let mut properties = Vec::new();
            if let Some(origin) = result
                .first_origin()
                .filter(|origin| origin.file != STDIN_NAME)
            {
                properties.push(format!("file={}", escape_property(&origin.file)));
                properties.push(format!("line={}", origin.line));
            }
            let title = format!("domlife {} {}", finding.code, result.domain);
            properties.push(format!("title={}", escape_property(&title)));
            writeln!(
                out,
                "::{} {}::{}",
                command(finding.severity),
                properties.join(","),
                escape_data(&finding.message)
            )?;
        }
    }
    Ok(())
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Notice => "notice",
    }
}

/// The message of a command.
fn escape_data(text: &str) -> String {
    crate::escape::printable(text).replace('%', "%25")
}

/// A property value, where `:` and `,` are separators.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::testutil;
    use crate::testutil::github_commands::{Annotation, parse_line};

    #[rstest]
    #[case("50% done", "50%25 done")]
    #[case("two\r\nlines", "two\\r\\nlines")]
    #[case("\u{1b}]0;title\u{7}", "\\u{1b}]0;title\\u{7}")]
    #[case("a: b, c", "a: b, c")]
    fn data_escapes_percent_and_control_characters(#[case] text: &str, #[case] escaped: &str) {
        assert_eq!(escape_data(text), escaped);
    }

    #[rstest]
    #[case("a: b, c", "a%3A b%2C c")]
    #[case("C:\\lists\\100%.txt", "C%3A\\lists\\100%25.txt")]
    fn properties_also_escape_separators(#[case] text: &str, #[case] escaped: &str) {
        assert_eq!(escape_property(text), escaped);
    }

    #[test]
    fn one_annotation_per_finding_at_its_input_line() {
        let mut out = Vec::new();
        write(&mut out, &testutil::results()).expect("writes to memory");
        let text = String::from_utf8(out).expect("UTF-8");
        let annotations: Vec<Annotation> = text
            .lines()
            .map(|line| parse_line(line).expect("a valid workflow command"))
            .collect();
        let summary: Vec<_> = annotations
            .iter()
            .map(|annotation| {
                (
                    annotation.command.as_str(),
                    annotation.property("line"),
                    annotation.property("title"),
                    annotation.property("file"),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "warning",
                    Some("2"),
                    Some("domlife expiring example.com"),
                    Some("lists/domains.txt")
                ),
                (
                    "error",
                    Some("3"),
                    Some("domlife on-hold held.org"),
                    Some("lists/domains.txt")
                ),
                (
                    "notice",
                    Some("3"),
                    Some("domlife registry-locked held.org"),
                    Some("lists/domains.txt")
                ),
                (
                    "error",
                    Some("4"),
                    Some("domlife lookup-failed not a name"),
                    Some("lists/domains.txt")
                ),
                (
                    "error",
                    Some("5"),
                    Some("domlife lookup-failed fail.net"),
                    Some("lists/domains.txt")
                ),
            ]
        );
        assert_eq!(
            annotations[1].message,
            "not in DNS: serverHold, set by the registry"
        );
    }

    #[test]
    fn hostile_text_round_trips_and_stdin_has_no_file() {
        let mut results = testutil::results();
        results.truncate(1);
        results[0].input.lines[0].file = STDIN_NAME.to_owned();
        results[0].domain = "evil,title=x::y.com".to_owned();
        results[0].findings[0].message = "line one\r\n::error::injected 100%".to_owned();
        let mut out = Vec::new();
        write(&mut out, &results).expect("writes to memory");
        let text = String::from_utf8(out).expect("UTF-8");
        assert_eq!(text.lines().count(), 1, "{text}");
        let annotation = parse_line(text.trim_end()).expect("a valid workflow command");
        assert_eq!(annotation.property("file"), None);
        assert_eq!(
            annotation.property("title"),
            Some("domlife expiring evil,title=x::y.com")
        );
        assert_eq!(annotation.message, "line one\\r\\n::error::injected 100%");
    }
}
