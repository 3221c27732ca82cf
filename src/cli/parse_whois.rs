//! `domlife parse whois`: read a saved port-43 WHOIS answer and print the
//! normalised record, to check what domlife makes of a registry's text
//! without asking the registry.
//!
//! Exit status: 0 with the record (a "no match" answer is a record with
//! `registered: false`); 1 when the answer is not readable or is a
//! rate-limit refusal, with the reason on standard error; 2 when the file
//! cannot be read.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::cli::bad_input;
use crate::whois::{WhoisQuery, parse_whois};

#[derive(Debug, clap::Args)]
#[command(
    about = "Read a saved WHOIS answer and print the normalised record as JSON",
    after_help = "Examples:\n  \
                  domlife parse whois --domain google.cn --server whois.cnnic.cn answer.txt\n  \
                  domlife parse whois --domain example.co.uk answer.txt --compact\n\n\
                  The server decides the registry's conventions (day/month order, the zone of \
                  times printed without one, the charset); without --server the TLD's registry \
                  is assumed.\n\n\
                  Exit status: 0 when the answer is a record (a \"no match\" answer counts: the \
                  record says registered: false), 1 when it is unreadable or a rate-limit \
                  refusal, 2 when the file cannot be read."
)]
pub struct Args {
    /// The name that was asked (A-label).
    #[arg(long, value_name = "NAME")]
    pub domain: String,
    /// Host name of the WHOIS server that answered.
    #[arg(long, value_name = "HOST")]
    pub server: Option<String>,
    /// The answer, byte for byte as received.
    pub file: PathBuf,
    /// One line of JSON instead of pretty-printed.
    #[arg(long)]
    pub compact: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    run_to(&args, &mut io::stdout().lock(), &mut io::stderr().lock())
}

fn run_to(args: &Args, out: &mut impl Write, err: &mut impl Write) -> anyhow::Result<ExitCode> {
    let body = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))
        .map_err(bad_input)?;
    let query = WhoisQuery::new(&args.domain, args.server.as_deref());
    let record = match parse_whois(&query, &body) {
        Ok(record) => record,
        Err(error) => {
            let reason = if error.is_rate_limited() {
                "rate-limited answer"
            } else {
                "not a readable WHOIS record"
            };
            writeln!(err, "domlife: {}: {reason}: {error}", args.file.display())
                .context("cannot write to standard error")?;
            return Ok(ExitCode::FAILURE);
        }
    };
    let json = if args.compact {
        serde_json::to_string(&record)
    } else {
        serde_json::to_string_pretty(&record)
    }
    .context("cannot render the record as JSON")?;
    match writeln!(out, "{json}") {
        // A reader that stopped early (`| head`) is not a failure of ours.
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            Err(error).context("cannot write to standard output")
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::cli::BadInput;

    fn args(domain: &str, server: Option<&str>, file: &Path, compact: bool) -> Args {
        Args {
            domain: domain.to_string(),
            server: server.map(str::to_string),
            file: file.to_path_buf(),
            compact,
        }
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/whois")
            .join(name)
    }

    #[test]
    fn prints_the_record_as_json() {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let file = fixture("weppos__whois.cnnic.cn_cn_status_registered.txt");
        let code = run_to(
            &args("google.cn", Some("whois.cnnic.cn"), &file, true),
            &mut out,
            &mut err,
        );
        assert_eq!(code.ok(), Some(ExitCode::SUCCESS));
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        assert_eq!(json["domain"], "google.cn");
        assert_eq!(json["expires"], "2017-03-17T04:48:36Z");
        assert_eq!(json["source"]["protocol"], "whois");
        assert_eq!(json["source"]["server"], "whois.cnnic.cn");
        assert_eq!(String::from_utf8_lossy(&out).lines().count(), 1);
        assert!(err.is_empty());
    }

    #[test]
    fn a_refusal_exits_one_with_the_reason() {
        let dir = tempfile::tempdir();
        let Ok(dir) = dir else {
            panic!("no temporary directory");
        };
        let file = dir.path().join("limit.txt");
        assert!(std::fs::write(&file, "WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS\n").is_ok());
        let mut out = Vec::new();
        let mut err = Vec::new();
        let code = run_to(&args("example.org", None, &file, false), &mut out, &mut err);
        assert_eq!(code.ok(), Some(ExitCode::FAILURE));
        assert!(out.is_empty());
        let message = String::from_utf8_lossy(&err);
        assert!(message.contains("rate-limited answer"), "{message}");
        assert!(message.contains("WHOIS LIMIT EXCEEDED"), "{message}");
    }

    #[test]
    fn a_missing_file_is_bad_input() {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let result = run_to(
            &args(
                "example.com",
                None,
                Path::new("/nonexistent/answer.txt"),
                false,
            ),
            &mut out,
            &mut err,
        );
        assert!(result.is_err_and(|error| error.is::<BadInput>()));
    }
}
