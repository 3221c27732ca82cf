//! CSV: one row per name with the main fields, for spreadsheets. Lists
//! (statuses, nameservers, input lines) are joined with spaces.

use std::io::{self, Write};

use crate::audit::AuditResult;

const HEADER: [&str; 14] = [
    "domain",
    "unicode",
    "outcome",
    "registered",
    "expires",
    "registrar_expires",
    "phase",
    "release_earliest",
    "release_latest",
    "registrar",
    "statuses",
    "nameservers",
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

fn row(result: &AuditResult) -> [String; 14] {
    let record = result.record.as_ref();
    let lifecycle = result.lifecycle.as_ref();
    let instant = |value: Option<chrono::DateTime<chrono::Utc>>| {
        value.map_or(String::new(), |value| value.to_rfc3339())
    };
    [
        result.domain.clone(),
        result.unicode.clone().unwrap_or_default(),
        result.outcome.name().to_owned(),
        record.map_or(String::new(), |record| record.registered.to_string()),
        instant(record.and_then(|record| record.expires)),
        instant(record.and_then(|record| record.registrar_expires)),
        lifecycle
            .and_then(|lifecycle| lifecycle.phase)
            .map_or(String::new(), |phase| phase.name().to_owned()),
        lifecycle.map_or(String::new(), |lifecycle| {
            lifecycle.release.earliest.to_string()
        }),
        lifecycle.map_or(String::new(), |lifecycle| {
            lifecycle.release.latest.to_string()
        }),
        record
            .and_then(|record| record.registrar.as_ref())
            .and_then(|registrar| registrar.name.clone())
            .unwrap_or_default(),
        record.map_or(String::new(), |record| {
            record
                .statuses
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        }),
        record.map_or(String::new(), |record| record.nameservers.join(" ")),
        result.error.clone().unwrap_or_default(),
        result
            .origins
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" "),
    ]
}
