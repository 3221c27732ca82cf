//! `domlife parse`: read a saved registry response and print the normalised
//! record, to check what domlife makes of a server's answer without asking
//! the server. One subcommand per protocol.
//!
//! Status 2 only when a file cannot be opened or read: whatever it holds
//! (nothing, half an answer, binary) is read or refused as a lookup would,
//! status 0 or 1. A file larger than the largest answer a lookup accepts
//! (the clients' size caps) is refused unread, as the network answer would
//! be, so a huge file costs neither time nor memory.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use super::error::bad_input;
use crate::rdap::{ClientConfig, merge_registrar, parse_domain};
use crate::record::{Protocol, Record, Role, Source};
use crate::whois::{WhoisConfig, WhoisQuery, parse_whois};

#[derive(Debug, clap::Args)]
#[command(
    about = "Read a saved registry response and print the normalised record as JSON",
    after_help = "Examples:\n  \
                  domlife parse rdap verisign-google.com.json\n  \
                  domlife parse rdap verisign-google.com.json --registrar-response markmonitor-google.com.json --compact\n  \
                  domlife parse whois --domain google.cn --server whois.cnnic.cn answer.txt"
)]
pub struct Args {
    #[command(subcommand)]
    pub kind: Kind,
    /// One line of JSON instead of pretty-printed.
    #[arg(long, global = true)]
    pub compact: bool,
}

/// The kind of response to read.
#[derive(Debug, Subcommand)]
pub enum Kind {
    /// An RDAP domain response (JSON), optionally with the registrar's (the
    /// record's notes name the registrar's RDAP link the registry gives).
    #[command(after_help = "Example:\n  \
                      domlife parse rdap registry.json --registrar-response registrar.json\n\n\
                      Exit status: 0 when the file is an RDAP domain response (a 404 error object \
                      counts: the record says registered: false), 1 when it is not, 2 when a file \
                      cannot be read.")]
    Rdap(RdapArgs),
    /// A port-43 WHOIS answer (text, byte for byte as received).
    #[command(after_help = "Examples:\n  \
                      domlife parse whois --domain google.cn --server whois.cnnic.cn answer.txt\n  \
                      domlife parse whois --domain example.co.uk answer.txt --compact\n\n\
                      The server decides the registry's conventions (day/month order, the zone of \
                      times printed without one, the charset); without --server the TLD's \
                      registry is assumed.\n\n\
                      Exit status: 0 when the answer is a record (a \"no match\" answer counts: \
                      the record says registered: false), 1 when it is unreadable or a \
                      rate-limit refusal, 2 when the file cannot be read.")]
    Whois(WhoisArgs),
}

#[derive(Debug, clap::Args)]
pub struct WhoisArgs {
    /// The name that was asked (A-label).
    #[arg(long, value_name = "NAME")]
    pub domain: String,
    /// Host name of the WHOIS server that answered.
    #[arg(long, value_name = "HOST")]
    pub server: Option<String>,
    /// The answer, byte for byte as received.
    pub file: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RdapArgs {
    /// The registry's RDAP domain response.
    pub file: PathBuf,
    /// The sponsoring registrar's RDAP response for the same domain; a file
    /// that is not one is reported in `registrar_view.error`, not as a failure.
    #[arg(long, value_name = "FILE2")]
    pub registrar_response: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let record = match args.kind {
        Kind::Rdap(rdap) => read_rdap(&rdap)?,
        Kind::Whois(whois) => read_whois(&whois)?,
    };
    print_record(&record, args.compact)
}

fn read_rdap(args: &RdapArgs) -> anyhow::Result<Record> {
    let cap = ClientConfig::default().max_body_bytes;
    let body = read_file(&args.file, cap, "RDAP")?;
    let parsed = parse_domain(&body, file_source(&args.file, Role::Registry))
        .with_context(|| format!("{} is not an RDAP domain response", args.file.display()))?;
    let mut record = parsed.record;
    record.source.url = parsed.self_link;
    // A live lookup follows this link; from a file, the user is told where it leads.
    if let (Some(link), None) = (&parsed.registrar_rdap, &args.registrar_response) {
        record.notes.push(format!(
            "the registry links to the registrar's RDAP answer at {link} \
             (read a saved copy with --registrar-response)"
        ));
    }
    if let Some(path) = &args.registrar_response {
        let body = read_file(path, cap, "RDAP")?;
        let mut source = file_source(path, Role::Registrar);
        let answer = parse_domain(&body, source.clone()).map(|registrar| {
            source.url = registrar.self_link;
            registrar.record
        });
        merge_registrar(&mut record, source, answer);
    }
    Ok(record)
}

fn read_whois(args: &WhoisArgs) -> anyhow::Result<Record> {
    let cap = WhoisConfig::default().max_answer_bytes;
    let body = read_file(&args.file, cap, "WHOIS")?;
    let query = WhoisQuery::new(&args.domain, args.server.as_deref());
    parse_whois(&query, &body)
        .with_context(|| format!("{} is not a readable WHOIS record", args.file.display()))
}

/// The file's bytes, at most `cap`: a longer file is refused (status 1)
/// as a `protocol` answer of that size would be. Only a file that cannot
/// be opened or read is status 2.
fn read_file(path: &Path, cap: usize, protocol: &str) -> anyhow::Result<Vec<u8>> {
    let mut body = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(cap as u64 + 1).read_to_end(&mut body))
        .with_context(|| format!("cannot read {}", path.display()))
        .map_err(bad_input)?;
    if body.len() > cap {
        anyhow::bail!(
            "{} is larger than any {protocol} answer domlife accepts ({} MiB): not read",
            path.display(),
            cap / (1024 * 1024)
        );
    }
    Ok(body)
}

/// A response read from disk: the file stands where the server would.
fn file_source(path: &Path, role: Role) -> Source {
    Source {
        protocol: Protocol::Rdap,
        server: Some(path.display().to_string()),
        url: None,
        role,
    }
}

fn print_record(record: &Record, compact: bool) -> anyhow::Result<ExitCode> {
    let json = if compact {
        serde_json::to_string(record)
    } else {
        serde_json::to_string_pretty(record)
    }
    .context("cannot render the record as JSON")?;
    match writeln!(io::stdout().lock(), "{json}") {
        // A reader that stopped early (`| head`) is not a failure of ours.
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            Err(error).context("cannot write to standard output")
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}
