//! The terminal table: one row per name, the columns a person scans first.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};

use crate::audit::{AuditResult, Outcome};
use crate::reconcile::Severity;

pub(super) fn write(
    out: &mut impl Write,
    results: &[AuditResult],
    complete: bool,
) -> io::Result<()> {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header([
            "Domain",
            "Phase",
            "Expires",
            "Release",
            "Registrar",
            "Findings",
        ]);
    for result in results {
        table.add_row(row(result));
    }
    writeln!(out, "{table}")?;
    let failed = results
        .iter()
        .filter(|result| result.outcome != Outcome::Checked)
        .count();
    let count = |severity| {
        results
            .iter()
            .flat_map(|result| &result.findings)
            .filter(|finding| finding.severity == severity)
            .count()
    };
    write!(
        out,
        "{} names, {} not checked; findings: {} error, {} warning, {} notice",
        results.len(),
        failed,
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Notice)
    )?;
    if !complete {
        write!(out, " (the run was interrupted)")?;
    }
    writeln!(out)
}

fn row(result: &AuditResult) -> [String; 6] {
    let domain = match &result.unicode {
        Some(unicode) => format!("{unicode} ({})", result.domain),
        None => result.domain.clone(),
    };
    let record = result.record.as_ref();
    let lifecycle = result.lifecycle.as_ref();
    let phase = match (result.outcome, record, lifecycle) {
        (Outcome::Checked, Some(record), _) if !record.registered => "not registered".to_owned(),
        (_, _, Some(lifecycle)) => match lifecycle.phase {
            Some(phase) => phase.name().to_owned(),
            None => lifecycle
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
    let expires = lifecycle.map_or(String::new(), |lifecycle| lifecycle.expiry_day.to_string());
    let release = lifecycle.map_or(String::new(), |lifecycle| lifecycle.release.to_string());
    let registrar = record
        .and_then(|record| record.registrar.as_ref())
        .and_then(|registrar| registrar.name.clone())
        .unwrap_or_default();
    let findings = result
        .findings
        .iter()
        .map(|finding| format!("{} {}: {}", finding.severity, finding.code, finding.message))
        .collect::<Vec<_>>()
        .join("\n");
    [domain, phase, expires, release, registrar, findings]
}
