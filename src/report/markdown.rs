//! A Markdown summary for people, made for `$GITHUB_STEP_SUMMARY` (GitHub
//! Flavored Markdown): the counts by severity and a table of the names with
//! findings, worst first. Names without findings are only counted, so a
//! long portfolio stays readable.
//!
//! Text from registries and input files reaches the table: every cell is
//! escaped (control characters shown as escapes by
//! [`crate::escape::printable`], Markdown punctuation backslash-escaped),
//! so no registry answer can break the table or inject links or HTML.

use std::io::{self, Write};

use super::model::ReportContext;
use crate::audit::{AuditResult, Outcome};
use crate::reconcile::Severity;

pub(super) fn write(
    out: &mut impl Write,
    results: &[AuditResult],
    context: &ReportContext,
) -> io::Result<()> {
    writeln!(out, "## domlife audit\n")?;
    let count = |outcome: Outcome| results.iter().filter(|r| r.outcome == outcome).count();
    write!(
        out,
        "{}: {} checked, {}, {}",
        plural(results.len(), "name"),
        count(Outcome::Checked),
        plural(count(Outcome::Failed), "failed lookup"),
        plural(count(Outcome::Invalid), "invalid line")
    )?;
    if !context.complete {
        write!(
            out,
            ", {} not checked (the run was interrupted)",
            count(Outcome::NotChecked)
        )?;
    }
    writeln!(out, ".\n")?;

    writeln!(out, "| Severity | Findings | Names at worst |")?;
    writeln!(out, "|---|---:|---:|")?;
    for severity in Severity::ALL.into_iter().rev() {
        let findings = results
            .iter()
            .flat_map(|result| &result.findings)
            .filter(|finding| finding.severity == severity)
            .count();
        let names = results
            .iter()
            .filter(|result| result.worst() == Some(severity))
            .count();
        writeln!(out, "| {} | {findings} | {names} |", label(severity))?;
    }
    writeln!(out)?;

    let mut flagged: Vec<&AuditResult> = results
        .iter()
        .filter(|result| !result.findings.is_empty())
        .collect();
    if flagged.is_empty() {
        return writeln!(out, "No findings.");
    }
    // Stable: names equally bad keep their input order.
    flagged.sort_by_key(|result| std::cmp::Reverse(result.worst()));
    writeln!(out, "### Names with findings\n")?;
    writeln!(out, "| Severity | Domain | Phase | Expires | Findings |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for result in flagged {
        let findings: Vec<String> = result
            .findings
            .iter()
            .map(|finding| {
                format!(
                    "**{}** `{}`: {}",
                    finding.severity,
                    finding.code,
                    escape(&finding.message)
                )
            })
            .collect();
        let domain = match &result.unicode {
            Some(unicode) => format!("{} ({})", escape(unicode), escape(&result.domain)),
            None => escape(&result.domain),
        };
        writeln!(
            out,
            "| {} | {domain} | {} | {} | {} |",
            result.worst().map_or("", label),
            escape(&phase(result)),
            result
                .timeline
                .as_ref()
                .map_or(String::new(), |timeline| timeline.expiry_day.to_string()),
            findings.join("<br>")
        )?;
    }
    Ok(())
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "🔴 error",
        Severity::Warning => "🟠 warning",
        Severity::Notice => "🔵 notice",
    }
}

fn phase(result: &AuditResult) -> String {
    match (&result.record, &result.timeline) {
        (Some(record), _) if !record.registered => "not registered".to_owned(),
        (_, Some(lifecycle)) => lifecycle
            .possible
            .iter()
            .map(|phase| phase.name())
            .collect::<Vec<_>>()
            .join(" or "),
        _ => match result.outcome {
            Outcome::Failed => "lookup failed".to_owned(),
            Outcome::Invalid => "invalid input".to_owned(),
            Outcome::NotChecked => "not checked".to_owned(),
            Outcome::Checked => String::new(),
        },
    }
}

/// Text safe inside a GFM table cell.
fn escape(text: &str) -> String {
    let text = crate::escape::printable(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    use super::*;
    use crate::testutil;

    /// The rows of every table, as the text of their cells.
    fn tables(markdown: &str) -> Vec<Vec<Vec<String>>> {
        let mut tables = Vec::new();
        let mut row: Vec<String> = Vec::new();
        let mut cell: Option<String> = None;
        for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
            match event {
                Event::Start(Tag::Table(_)) => tables.push(Vec::new()),
                Event::Start(Tag::TableCell) => cell = Some(String::new()),
                Event::End(TagEnd::TableCell) => row.extend(cell.take()),
                Event::End(TagEnd::TableRow | TagEnd::TableHead) => {
                    if let Some(table) = tables.last_mut() {
                        table.push(std::mem::take(&mut row));
                    }
                }
                Event::Text(text) | Event::Code(text) => {
                    if let Some(cell) = cell.as_mut() {
                        cell.push_str(&text);
                    }
                }
                Event::InlineHtml(html) => {
                    if let Some(cell) = cell.as_mut() {
                        cell.push_str(&html);
                    }
                }
                _ => {}
            }
        }
        tables
    }

    fn markdown(results: &[AuditResult]) -> String {
        let mut out = Vec::new();
        write(&mut out, results, &testutil::context(Some(Severity::Error)))
            .expect("writes to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn counts_by_severity_then_names_worst_first() {
        let tables = tables(&markdown(&testutil::results()));
        assert_eq!(tables.len(), 2);
        assert_eq!(
            tables[0],
            [
                ["Severity", "Findings", "Names at worst"],
                ["🔴 error", "3", "3"],
                ["🟠 warning", "1", "1"],
                ["🔵 notice", "1", "0"],
            ]
        );
        let names: Vec<(&str, &str)> = tables[1][1..]
            .iter()
            .map(|row| (row[0].as_str(), row[1].as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("🔴 error", "held.org"),
                ("🔴 error", "not a name"),
                ("🔴 error", "fail.net"),
                ("🟠 warning", "example.com"),
            ]
        );
        assert_eq!(tables[1][4][3], "2025-01-20");
        assert_eq!(
            tables[1][1][4],
            "error on-hold: not in DNS: serverHold, set by the registry<br>notice registry-locked: registry lock: serverTransferProhibited"
        );
    }

    #[test]
    fn hostile_text_stays_inside_its_cell() {
        let mut results = testutil::results();
        results.truncate(1);
        results[0].findings[0].message =
            "a | b\r\n[click](http://x) <script>*bold*</script> `code`".to_owned();
        let tables = tables(&markdown(&results));
        let row = &tables[1][1];
        assert_eq!(row.len(), 5, "{row:?}");
        assert_eq!(
            row[4],
            "warning expiring: a | b\\r\\n[click](http://x) <script>*bold*</script> `code`"
        );
    }

    #[test]
    fn no_findings_says_so() {
        let mut results = testutil::results();
        for result in &mut results {
            result.findings.clear();
        }
        let text = markdown(&results);
        assert_eq!(tables(&text).len(), 1);
        assert!(text.trim_end().ends_with("No findings."));
    }
}
