//! `domlife whois NAME`: asks the registry's port-43 server (and the registrar
//! it refers to) and prints the raw answers, so a user can see exactly what a
//! registry said before trusting a reading of it.
//!
//! The answers are shown as UTF-8 (invalid bytes replaced) with control
//! characters removed, since registry text must not reach a terminal raw;
//! decoding by charset is the reader's job, not this command's.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use crate::whois::{ChosenBy, ServerOverride, WhoisAnswer, WhoisClient, WhoisConfig};

use super::error::bad_input;
use super::net_args::NetworkArgs;

#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
                  domlife whois example.de\n  \
                  domlife whois example.com --no-referral\n  \
                  domlife whois example.de --whois-server de=whois.denic.de:43")]
pub struct Args {
    /// The domain name (IDN, URL and e-mail forms are accepted; a subdomain is
    /// reduced to its registrable domain).
    pub name: String,
    /// Send names under a TLD (`de=HOST[:PORT]`), or connections meant for a
    /// server host (`whois.markmonitor.com=HOST[:PORT]`), to another server.
    /// Repeatable; the query form stays that of the registry.
    #[arg(long = "whois-server", value_name = "KEY=HOST[:PORT]")]
    pub whois_server: Vec<ServerOverride>,
    /// Do not follow the registry's "Registrar WHOIS Server:" line.
    #[arg(long)]
    pub no_referral: bool,
    #[command(flatten)]
    pub network: NetworkArgs,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let name = crate::domain::normalize(&args.name)
        .map_err(|error| bad_input(anyhow::anyhow!("{error}")))?
        .name;
    let config = WhoisConfig {
        connect_timeout: Duration::from_secs(args.network.connect_timeout),
        total_timeout: Duration::from_secs(args.network.timeout),
        allow_loopback: args.network.allow_loopback,
        overrides: args.whois_server.iter().cloned().collect(),
        ..WhoisConfig::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = WhoisClient::new(config);
    let mut out = std::io::stdout().lock();
    if args.no_referral {
        let answer = runtime.block_on(client.lookup(&name))?;
        print_answer(&mut out, &answer)?;
    } else {
        let lookup = runtime.block_on(client.lookup_with_referral(&name))?;
        print_answer(&mut out, &lookup.registry)?;
        if let Some(referral) = lookup.referral {
            match referral.outcome {
                Ok(answer) => print_answer(&mut out, &answer)?,
                Err(error) => writeln!(out, "% referral to {} failed: {error}", referral.named)?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_answer(out: &mut impl Write, answer: &WhoisAnswer) -> std::io::Result<()> {
    let chosen_by = match answer.chosen_by {
        ChosenBy::Override => "--whois-server",
        ChosenBy::Table => "built-in table",
        ChosenBy::Iana => "IANA refer",
        ChosenBy::Referral => "registry referral",
    };
    writeln!(
        out,
        "% {} ({chosen_by}) at {}, {} bytes",
        answer.server,
        answer.peer,
        answer.body.len()
    )?;
    writeln!(out, "{}", printable(&answer.body))
}

/// Lossy UTF-8 as the server's lines, shown by [`crate::escape::printable`]:
/// a line's CR (CRLF answers) is dropped and tabs are laid out as spaces,
/// everything else a terminal would act on is shown as an escape.
fn printable(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .split('\n')
        .map(|line| {
            let line = line
                .strip_suffix('\r')
                .unwrap_or(line)
                .replace('\t', "    ");
            crate::escape::printable(&line).into_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn escapes_what_a_terminal_acts_on_and_drops_carriage_returns() {
        assert_eq!(
            printable(b"Domain: x.de\r\n\x1b[2J\x07Status:\tconnect\r\n\xff"),
            "Domain: x.de\n\\u{1b}[2J\\u{7}Status:    connect\n\u{fffd}"
        );
    }
}
