//! `domlife timeline --csv FILE`: the batch form of `timeline`, wired to
//! [`crate::run::timelines`]: open the sheet, compute and write each row
//! as it is read, and say with the exit status whether every row could be
//! computed.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter};
use std::process::ExitCode;

use anyhow::anyhow;

use super::error::bad_input;
use super::exit_status::EXIT_NOT_CHECKED;
use super::settings_args::ConfigArgs;
use crate::input::STDIN_NAME;
use crate::run::timelines::{SheetError, SheetFormat, SheetWriter, TimelineRow, TimelineRows};

/// Reads the sheet at `path` (`-`: standard input) and writes it in
/// `format` (as typed), with the settings of `config` as of `as_of`.
pub(super) fn run(
    path: &str,
    format: &str,
    config: &ConfigArgs,
    as_of: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let format = sheet_format(format)?;
    let lifecycle = config.lifecycle(as_of)?;
    let (reader, file) = open(path)?;
    let mut rows = TimelineRows::new(reader, file, &lifecycle.policies, lifecycle.as_of);
    // The header is read first: a sheet without its columns writes nothing.
    let first = rows.next().transpose().map_err(bad_input)?;
    let refused = match write(format, first.into_iter().map(Ok).chain(rows)) {
        Ok(refused) => refused,
        // A reader that stopped early (`| head`) is not a failure of ours.
        Err(error)
            if error
                .downcast_ref::<io::Error>()
                .is_some_and(|error| error.kind() == io::ErrorKind::BrokenPipe) =>
        {
            return Ok(ExitCode::SUCCESS);
        }
        Err(error) => return Err(error),
    };
    Ok(if refused > 0 {
        ExitCode::from(EXIT_NOT_CHECKED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes every row to standard output; returns how many were refused.
fn write(
    format: SheetFormat,
    rows: impl Iterator<Item = Result<TimelineRow, SheetError>>,
) -> anyhow::Result<usize> {
    let mut writer = SheetWriter::start(format, BufWriter::new(io::stdout()))?;
    let mut refused = 0usize;
    for row in rows {
        let row = row.map_err(bad_input)?;
        refused += usize::from(matches!(row, TimelineRow::Refused { .. }));
        writer.row(&row)?;
    }
    writer.finish()?;
    Ok(refused)
}

/// `--format` of the batch form.
fn sheet_format(text: &str) -> anyhow::Result<SheetFormat> {
    Ok(match text.trim().to_ascii_lowercase().as_str() {
        "table" => SheetFormat::Table,
        "csv" => SheetFormat::Csv,
        "json" => SheetFormat::Json,
        "ndjson" => SheetFormat::Ndjson,
        _ => {
            return Err(bad_input(anyhow!(
                "--format: {text:?} is not a format of timeline --csv (table, csv, json or ndjson)"
            )));
        }
    })
}

/// The sheet: a file, or standard input for `-`.
fn open(path: &str) -> anyhow::Result<(Box<dyn BufRead>, String)> {
    if path == "-" {
        return Ok((Box::new(BufReader::new(io::stdin())), STDIN_NAME.to_owned()));
    }
    let file =
        File::open(path).map_err(|error| bad_input(anyhow!("cannot open {path}: {error}")))?;
    Ok((Box::new(BufReader::new(file)), path.to_owned()))
}
