//! The command line: clap definitions, one file per subcommand, and the one
//! place where errors become exit statuses.
//!
//! Exit statuses (documented in the README):
//! - 0: the command did its job (for an audit: nothing at or above `--fail-on`);
//! - 1: the command ran and the answer is "no" (findings, an unreadable file
//!   given to `parse`), or it failed for a reason outside the user's input;
//! - 2: the user's input is wrong (a flag, a date, a TLD, a policy file);
//! - 3: an audit could not check some names;
//! - 4: an audit ran but an output could not be delivered (a report, a
//!   notification);
//! - 130, 143: an audit was stopped by Ctrl-C or SIGTERM.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::escape::printable;

pub mod bootstrap;
pub mod check;
pub mod dns_args;
mod error;
pub mod exit_status;
pub mod explain;
pub mod fetch_args;
mod format;
pub mod history;
mod lifecycle_input;
pub mod lookup_args;
pub mod merge;
pub mod net_args;
pub mod notify_args;
pub mod parse;
pub mod policies;
mod render;
pub mod report_args;
pub mod serve;
pub mod settings_args;
pub mod show;
pub mod store_args;
pub mod timeline;
mod timeline_sheet;
pub mod whois;

pub use error::{BadInput, EXIT_BAD_INPUT, bad_input};
pub use format::Format;

#[derive(Debug, Parser)]
#[command(
    name = "domlife",
    version,
    about = "Audit domain names against their registries: expiry, lifecycle, holds, locks.",
    long_about = "domlife looks domain names up in their registries (RDAP, WHOIS where a TLD has \
                  no RDAP), computes where each name stands in its expiry lifecycle from a \
                  per-TLD and per-registrar policy table, and reports what needs attention.",
    after_help = "Examples:\n  \
                  domlife timeline example.com --expires 2024-06-30 --grace 30 --redemption 30 --pending-delete 5\n  \
                  domlife policies cn\n\n\
                  Run `domlife help <COMMAND>` for a command's options and examples."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit a list of names: look each up and report where it stands.
    Check(check::Args),
    /// Show or update the RDAP bootstrap registry (which server answers for a TLD).
    Bootstrap(bootstrap::Args),
    /// Ask a name's WHOIS server (and the registrar it refers to) and print the raw answers.
    Whois(whois::Args),
    /// Compute a name's expiry lifecycle: grace, redemption, pending delete, release.
    Timeline(timeline::Args),
    /// Show the lifecycle policy table, or the policy for one TLD and registrar.
    Policies(policies::Args),
    /// Read a saved RDAP or WHOIS response into a record (offline).
    Parse(parse::Args),
    /// Look one name up live and show its record, the servers asked and its timeline.
    Show(show::Args),
    /// Explain a finding code: what it means, why it matters, what to do.
    Explain(explain::Args),
    /// List a name's recorded states over time, from the store `check` records its runs in.
    History(history::Args),
    /// Join the reports of an audit split with `check --shard K/N` into one report.
    Merge(merge::Args),
    /// Audit lists on a schedule and serve the results as Prometheus metrics.
    Serve(serve::Args),
}

/// Parses the command line, runs the command and maps the outcome to an exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(error) => {
            // Errors quote files, servers and answers: nothing of theirs
            // may drive the terminal.
            eprintln!("domlife: {}", printable(&format!("{error:#}")));
            if error.is::<BadInput>() {
                ExitCode::from(EXIT_BAD_INPUT)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// Runs one parsed command.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Bootstrap(args) => bootstrap::run(args),
        Command::Whois(args) => whois::run(args),
        Command::Timeline(args) => timeline::run(args),
        Command::Policies(args) => policies::run(args),
        Command::Parse(args) => parse::run(args),
        Command::Show(args) => show::run(args),
        Command::Explain(args) => explain::run(args),
        Command::History(args) => history::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Serve(args) => serve::run(args),
    }
}
