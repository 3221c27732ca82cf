//! `domlife timeline`: the lifecycle dates of one name from its expiry, the
//! policy of its TLD (and registrar) or durations given on the command line.

use std::process::ExitCode;

use anyhow::anyhow;
use clap::Parser;

use super::error::bad_input;
use super::format::Format;
use super::lifecycle_input;
use super::render::{Report, render_table};
use super::settings_args::ConfigArgs;
use super::timeline_sheet as sheet;
use crate::escape::printable_lines;
use crate::lifecycle::{DayRange, Expiry, Stage, Timeline};
use crate::run::date_input::{self, DateInput};

#[derive(Debug, Parser)]
#[command(
    about = "Compute a name's expiry lifecycle: grace, redemption, pending delete, release",
    after_help = "Examples:\n  \
        domlife timeline example.com --expires 2024-06-30 --grace 30 --redemption 30 --pending-delete 5\n  \
        domlife timeline example.cn --expires 2025-03-10T11:05:05+08:00 --registrar 阿里云 --as-of 2025-04-20\n  \
        domlife timeline example.com --expires 2024-06-30 --registrar 'GoDaddy.com, LLC' --format json\n  \
        domlife timeline --csv expiries.csv --format csv > lifecycle.csv\n\n\
        Days are whole days of the registry's zone; the expiry day is the last active day and each \
        stage has exactly its number of days. A range (--grace 0-45) makes later dates windows.\n\n\
        With --csv, FILE (or - for standard input) is a CSV sheet with a domain and an expires \
        column and optional registrar, grace, redemption and pending_delete columns (`,` `;` or \
        tab separated); each row is computed as the single form computes one name, offline, and \
        written as it is read (table, csv, json or ndjson). A row that cannot be computed is a \
        row with its error. Exit status: 0; 3 when some rows could not be computed; 2 when the \
        file cannot be read or has no domain or expires column."
)]
pub struct Args {
    /// The domain name (its TLD selects the policy); with --csv, the CSV
    /// sheet to read (`-` for standard input).
    #[arg(value_name = "DOMAIN|FILE")]
    pub domain: String,
    /// Read FILE as a sheet of names and expiry dates, one timeline a row.
    #[arg(long)]
    pub csv: bool,
    /// Expiry: a date (YYYY-MM-DD) or an RFC 3339 date-time.
    #[arg(long, required_unless_present = "csv", conflicts_with = "csv")]
    pub expires: Option<String>,
    /// Sponsoring registrar: a name as the registry prints it, or an IANA registrar ID.
    #[arg(long, conflicts_with = "csv")]
    pub registrar: Option<String>,
    /// Days renewable after expiry, N or MIN-MAX (overrides the policy).
    #[arg(long, allow_hyphen_values = true, conflicts_with = "csv")]
    pub grace: Option<String>,
    /// Days of redemption (overrides the policy).
    #[arg(long, allow_hyphen_values = true, conflicts_with = "csv")]
    pub redemption: Option<String>,
    /// Days of pending delete (overrides the policy).
    #[arg(
        long = "pending-delete",
        allow_hyphen_values = true,
        conflicts_with = "csv"
    )]
    pub pending_delete: Option<String>,
    /// Which phase the name is in on this date or date-time [default: now].
    #[arg(long = "as-of")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format: table or json (with --csv also csv or ndjson).
    #[arg(long, default_value = "table")]
    pub format: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    if args.csv {
        return sheet::run(
            &args.domain,
            &args.format,
            &args.config,
            args.as_of.as_deref(),
        );
    }
    let format = lifecycle_input::format(&args.format)?;
    let tld = tld_of_domain(&args.domain)?;
    let expires = args.expires.as_deref().unwrap_or_default();
    let expiry = match date_input::parse_date("expires", expires).map_err(bad_input)? {
        DateInput::Day(day) => Expiry::Day(day),
        DateInput::Instant(instant) => Expiry::Instant(instant),
    };
    let lifecycle = args.config.lifecycle(args.as_of.as_deref())?;
    let registrar = args.registrar.as_deref().map(lifecycle_input::registrar);
    let mut policy = lifecycle.policies.resolve(&tld, registrar.as_ref());
    for (stage, flag, text) in [
        (Stage::Grace, "--grace", &args.grace),
        (Stage::Redemption, "--redemption", &args.redemption),
        (
            Stage::PendingDelete,
            "--pending-delete",
            &args.pending_delete,
        ),
    ] {
        if let Some(text) = text {
            let days =
                DayRange::parse(text).map_err(|error| bad_input(anyhow!("{flag}: {error}")))?;
            policy.override_stage(stage, days, flag);
        }
    }
    let timeline = Timeline::for_policy(expiry, &policy)
        .map_err(|error| bad_input(anyhow!("--expires: {error}")))?;
    let phase_at = lifecycle.as_of.phase_on(&timeline);
    let domain = args.domain.trim().trim_end_matches('.').to_lowercase();
    let report = Report::new(domain, &tld, &timeline, &phase_at, &policy);
    match format {
        Format::Json => lifecycle_input::emit(&(serde_json::to_string_pretty(&report)? + "\n"))?,
        Format::Table => {
            lifecycle_input::emit(&printable_lines(&render_table(&report, &phase_at)))?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The TLD of a name as typed, through the same normalisation as every
/// other input (IDNA, URL and e-mail forms, registrable domain).
fn tld_of_domain(domain: &str) -> anyhow::Result<String> {
    let normalized = crate::domain::normalize(domain)
        .map_err(|error| bad_input(anyhow!("{domain:?}: {error}")))?;
    Ok(normalized.name.tld().to_owned())
}
