//! `domlife history DOMAIN`: a name's recorded states over time, read from
//! the store `check` records each run in ([`crate::history`]).
//!
//! Read-only by intent: the store is opened read-only and never written (a
//! store on a read-only disk is read); one that does not exist is an error
//! naming the path (exit 2), never created here, since an empty new file
//! would only hide a wrong `--store`. A name the store has never seen is an answer,
//! not a failure: a message (an empty list in JSON) and exit 0.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::anyhow;
use chrono::{DateTime, SecondsFormat, Utc};
use comfy_table::{Table, presets};
use serde::Serialize;
use serde_json::Value;

use super::error::bad_input;
use super::format::Format;
use super::net_args::CacheArgs;
use crate::changes::{RecordSnapshot, describe_registrar};
use crate::domain;
use crate::escape::printable;
use crate::store::{self, RunId, Store, StoreError, StoredResult};

#[derive(Debug, clap::Args)]
#[command(
    about = "List a name's recorded states over time, from the store `check` records its runs in",
    after_help = "Examples:\n  \
        domlife history example.com\n  \
        domlife history example.com --store ci/domlife.sqlite3 --format json\n\n\
        Oldest run first. A name with no recorded audit prints a message and exits 0. \
        Exit status 2 when the store does not exist (it is never created by this command) \
        or the name is not a domain name."
)]
pub struct Args {
    /// The domain name (IDN, URL or e-mail forms are accepted; a subdomain is
    /// reduced to its registrable domain).
    pub domain: String,
    /// The store to read [default: domlife.sqlite3 in the cache directory,
    /// where `check` keeps it].
    #[arg(long, value_name = "FILE")]
    pub store: Option<PathBuf>,
    #[command(flatten)]
    pub cache: CacheArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// The JSON form of the command's answer.
#[derive(Debug, Serialize)]
struct History {
    domain: String,
    store: PathBuf,
    /// Oldest run first.
    entries: Vec<Entry>,
}

/// One recorded state, summarised, with the stored record and findings as
/// they were written.
#[derive(Debug, Serialize)]
struct Entry {
    run: RunId,
    run_started_at: DateTime<Utc>,
    /// False for a run that was interrupted (or is still going on).
    run_complete: bool,
    as_of: DateTime<Utc>,
    /// `null` when the lookup failed (no record).
    registered: Option<bool>,
    /// The registrar's expiry when the record states one, else the registry's.
    expires: Option<DateTime<Utc>>,
    registrar: Option<String>,
    statuses: Vec<String>,
    record: Value,
    findings: Value,
}

impl Entry {
    fn of(stored: StoredResult) -> Entry {
        // Read leniently, like a baseline: a row from an older domlife still
        // shows what it can.
        let snapshot = stored
            .record
            .is_object()
            .then(|| serde_json::from_value::<RecordSnapshot>(stored.record.clone()).ok())
            .flatten();
        Entry {
            run: stored.run,
            run_started_at: stored.run_started_at,
            run_complete: stored.run_complete,
            as_of: stored.as_of,
            registered: snapshot.as_ref().map(|record| record.registered),
            expires: snapshot
                .as_ref()
                .and_then(|record| record.registrar_expires.or(record.expires)),
            registrar: snapshot
                .as_ref()
                .and_then(|record| record.registrar.as_ref())
                .filter(|registrar| registrar.name.is_some() || registrar.iana_id.is_some())
                .map(describe_registrar),
            statuses: snapshot
                .map(|record| record.statuses.iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
            record: stored.record,
            findings: stored.findings,
        }
    }

    /// `code (severity)` of each stored finding.
    fn finding_codes(&self) -> Vec<String> {
        let text = |finding: &Value, key: &str| {
            finding
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_owned()
        };
        self.findings
            .as_array()
            .map(|findings| {
                findings
                    .iter()
                    .map(|finding| {
                        format!("{} ({})", text(finding, "code"), text(finding, "severity"))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let normalized =
        domain::normalize(&args.domain).map_err(|error| bad_input(anyhow!("{error}")))?;
    let name = normalized.name.ascii().to_owned();
    let path = match args.store {
        Some(path) => path,
        None => args
            .cache
            .dir()
            .map(|dir| dir.join(store::DEFAULT_FILE_NAME))
            .ok_or_else(|| {
                bad_input(anyhow!(
                    "this system has no cache directory: give --store FILE"
                ))
            })?,
    };
    if !path.exists() {
        return Err(bad_input(anyhow!(
            "no store at {}: `domlife check` records its runs in a store; name the one it used \
             with --store FILE",
            path.display()
        )));
    }
    // Read-only: history writes nothing, so a store on a read-only disk or
    // one this user may not write is read, and an older schema is read as
    // it is rather than migrated.
    let store = Store::open_read_only(&path).map_err(|error| match error {
        StoreError::Open { .. } | StoreError::NotAStore { .. } | StoreError::NewerSchema { .. } => {
            bad_input(error)
        }
        other => other.into(),
    })?;
    let entries: Vec<Entry> = store.history(&name)?.into_iter().map(Entry::of).collect();
    let history = History {
        domain: name,
        store: path,
        entries,
    };
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&history)?),
        Format::Table => print!("{}", table(&history)),
    }
    Ok(ExitCode::SUCCESS)
}

fn table(history: &History) -> String {
    if history.entries.is_empty() {
        return format!(
            "no recorded audit of {} in {}\n",
            history.domain,
            history.store.display()
        );
    }
    let date = |value: DateTime<Utc>| value.to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header([
        "Run",
        "As of",
        "Registered",
        "Expiry",
        "Registrar",
        "Statuses",
        "Findings",
    ]);
    for entry in &history.entries {
        let run = if entry.run_complete {
            date(entry.run_started_at)
        } else {
            format!("{} (interrupted)", date(entry.run_started_at))
        };
        let registered = match entry.registered {
            Some(true) => "yes",
            Some(false) => "no",
            None => "no record",
        };
        table.add_row([
            run,
            date(entry.as_of),
            registered.to_owned(),
            entry
                .expires
                .map(|expires| expires.date_naive().to_string())
                .unwrap_or_else(|| "-".to_owned()),
            entry
                .registrar
                .as_deref()
                .map_or_else(|| "-".to_owned(), |name| printable(name).into_owned()),
            lines(&entry.statuses),
            lines(&entry.finding_codes()),
        ]);
    }
    format!("{}\n{table}\n", history.domain)
}

/// Values from the store, one a line in their cell.
fn lines(values: &[String]) -> String {
    values
        .iter()
        .map(|value| printable(value))
        .collect::<Vec<_>>()
        .join("\n")
}
