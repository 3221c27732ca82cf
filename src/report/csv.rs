//! CSV: one row per name with the key fields, for spreadsheets. Lists
//! (statuses, nameservers, input lines) are joined with spaces, findings
//! with ` | ` as `severity code: message`.
//!
//! Cells of text from registries or the input go through
//! [`spreadsheet_cell`]: control characters escaped, and a leading `'` where
//! a spreadsheet would start a formula. Numbers, dates and booleans are
//! written as they are, so `days_left` stays a number.

use std::io::{self, Write};

use crate::audit::AuditResult;
use crate::escape::spreadsheet_cell;

const HEADER: [&str; 16] = [
    "domain",
    "unicode",
    "outcome",
    "registered",
    "expires",
    "registrar_expires",
    "phase",
    "days_left",
    "release_earliest",
    "release_latest",
    "registrar",
    "statuses",
    "nameservers",
    "findings",
    "error",
    "lines",
];

pub(super) fn write(out: &mut impl Write, results: &[AuditResult]) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(HEADER).map_err(io::Error::other)?;
    for result in results {
        writer.write_record(row(result)).map_err(io::Error::other)?;
    }
    writer.flush()
}

fn row(result: &AuditResult) -> [String; 16] {
    let record = result.record.as_ref();
    let timeline = result.timeline.as_ref();
    let instant = |value: Option<chrono::DateTime<chrono::Utc>>| {
        value.map_or(String::new(), |value| value.to_rfc3339())
    };
    let text = |value: String| spreadsheet_cell(&value).into_owned();
    [
        text(result.domain.clone()),
        text(result.unicode.clone().unwrap_or_default()),
        result.outcome.name().to_owned(),
        record.map_or(String::new(), |record| record.registered.to_string()),
        instant(record.and_then(|record| record.expires)),
        instant(record.and_then(|record| record.registrar_expires)),
        result
            .phase
            .map_or(String::new(), |phase| phase.name().to_owned()),
        timeline.map_or(String::new(), |timeline| timeline.days_left.to_string()),
        timeline.map_or(String::new(), |timeline| {
            timeline.release.earliest.to_string()
        }),
        timeline.map_or(String::new(), |timeline| {
            timeline.release.latest.to_string()
        }),
        text(
            record
                .and_then(|record| record.registrar.as_ref())
                .and_then(|registrar| registrar.name.clone())
                .unwrap_or_default(),
        ),
        text(record.map_or(String::new(), |record| {
            record
                .statuses
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        })),
        text(record.map_or(String::new(), |record| record.nameservers.join(" "))),
        text(
            result
                .findings
                .iter()
                .map(|finding| {
                    format!("{} {}: {}", finding.severity, finding.code, finding.message)
                })
                .collect::<Vec<_>>()
                .join(" | "),
        ),
        text(
            result
                .error
                .as_ref()
                .map_or(String::new(), |error| error.message.clone()),
        ),
        text(
            result
                .input
                .lines
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        ),
    ]
}
