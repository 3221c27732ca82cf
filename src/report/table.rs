//! The terminal table: one line per name, worst first, with its phase,
//! expiry, days left and worst finding; a summary line with the counts.

use std::io::{self, Write};

use comfy_table::{Cell, Color, ContentArrangement, Table, presets};

use super::model::Report;
use crate::audit::{AuditResult, Outcome};
use crate::escape::printable;
use crate::reconcile::Severity;

pub(super) fn write(out: &mut impl Write, report: &Report, color: bool) -> io::Result<()> {
    let mut rows: Vec<&AuditResult> = report.results.iter().collect();
    // Worst first; the sort is stable, so input order breaks ties.
    rows.sort_by_key(|result| std::cmp::Reverse(result.worst()));
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header([
            "Domain",
            "Phase",
            "Expires",
            "Days left",
            "Worst finding",
            "More",
        ]);
    // The caller has decided (from --color, NO_COLOR and the terminal):
    // comfy-table must not second-guess it.
    if color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    for result in rows {
        table.add_row(row(result, color));
    }
    writeln!(out, "{table}")?;
    let counts = report.meta.counts;
    write!(
        out,
        "{} names: {} checked, {} failed, {} invalid; findings: {} error, {} warning, {} notice",
        counts.names,
        counts.checked,
        counts.failed,
        counts.invalid,
        counts.error,
        counts.warning,
        counts.notice
    )?;
    if !report.meta.complete {
        write!(out, "; interrupted, {} not checked", counts.not_checked)?;
    }
    writeln!(out)
}

fn row(result: &AuditResult, color: bool) -> Vec<Cell> {
    let domain = match &result.unicode {
        Some(unicode) => format!("{unicode} ({})", result.domain),
        None => result.domain.clone(),
    };
    let timeline = result.timeline.as_ref();
    let phase = match (result.outcome, &result.record, timeline) {
        (Outcome::Checked, Some(record), _) if !record.registered => "not registered".to_owned(),
        (_, _, Some(timeline)) => match timeline.phase {
            Some(phase) => phase.name().to_owned(),
            None => timeline
                .possible
                .iter()
                .map(|phase| phase.name())
                .collect::<Vec<_>>()
                .join(" or "),
        },
        (Outcome::Checked, _, None) => String::new(),
        (Outcome::Failed, _, _) => "lookup failed".to_owned(),
        (Outcome::Invalid, _, _) => "invalid input".to_owned(),
        (Outcome::NotChecked, _, _) => "not checked".to_owned(),
    };
    let expires = timeline.map_or(String::new(), |timeline| timeline.expiry_day.to_string());
    let days_left = timeline.map_or(String::new(), |timeline| timeline.days_left.to_string());
    // Findings come worst first from the audit.
    let worst = result.findings.first();
    let mut worst_cell = Cell::new(worst.map_or(String::new(), |finding| {
        let message = printable(&finding.message);
        format!("{} {}: {message}", finding.severity, finding.code)
    }));
    if color && let Some(finding) = worst {
        worst_cell = worst_cell.fg(match finding.severity {
            Severity::Error => Color::Red,
            Severity::Warning => Color::Yellow,
            Severity::Notice => Color::Cyan,
        });
    }
    let more = match result.findings.len() {
        0 | 1 => String::new(),
        n => format!("+{}", n - 1),
    };
    vec![
        Cell::new(printable(&domain)),
        Cell::new(phase),
        Cell::new(expires),
        Cell::new(days_left),
        worst_cell,
        Cell::new(more),
    ]
}
