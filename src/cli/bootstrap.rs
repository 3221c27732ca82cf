//! `domlife bootstrap`: show which RDAP bootstrap registry is in use and
//! which server answers for a TLD, or download a current copy into the cache.

use std::process::ExitCode;

use anyhow::Context;
use clap::{Args as ClapArgs, Subcommand};
use url::Url;

use super::error::bad_input;
use super::net_args::{BootstrapArgs, CacheArgs, NetworkArgs};
use crate::rdap::Client;
use crate::rdap::bootstrap::update::{IANA_DNS_URL, UpdateOutcome, update};
use crate::rdap::bootstrap::{BootstrapError, cache};

#[derive(Debug, ClapArgs)]
#[command(after_help = "Examples:\n  \
                  domlife bootstrap show com\n  \
                  domlife bootstrap show example.co.uk --rdap-server uk=https://rdap.example/uk/\n  \
                  domlife bootstrap update")]
pub struct Args {
    #[command(subcommand)]
    command: BootstrapCommand,
}

#[derive(Debug, Subcommand)]
enum BootstrapCommand {
    /// Show the bootstrap registry in use and the RDAP server for a TLD or name.
    ///
    /// Exits 1 when the TLD has no RDAP server.
    Show {
        /// A TLD (`com`) or a domain name (`example.co.uk`).
        tld: Option<String>,
        #[command(flatten)]
        bootstrap: BootstrapArgs,
    },
    /// Download the current IANA bootstrap registry into the cache.
    ///
    /// Sends the validators of the cached copy, so an unchanged file is not
    /// downloaded again; the new file replaces the old only if it parses.
    Update {
        /// Where to download it from.
        #[arg(long, value_name = "URL", default_value = IANA_DNS_URL)]
        url: Url,
        #[command(flatten)]
        cache: CacheArgs,
        #[command(flatten)]
        network: NetworkArgs,
    },
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        BootstrapCommand::Show { tld, bootstrap } => show(tld.as_deref(), &bootstrap),
        BootstrapCommand::Update {
            url,
            cache,
            network,
        } => run_update(&url, &cache, &network),
    }
}

fn show(tld: Option<&str>, args: &BootstrapArgs) -> anyhow::Result<ExitCode> {
    let loaded = cache::load(&args.load_options()).map_err(bad_input)?;
    for note in &loaded.notes {
        eprintln!("domlife: warning: {}", crate::escape::printable(note));
    }
    let bootstrap = &loaded.bootstrap;
    println!("bootstrap:   {}", bootstrap.origin());
    match bootstrap.publication() {
        Some(date) => println!(
            "publication: {}",
            date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ),
        None => println!("publication: not stated"),
    }
    println!("services:    {}", bootstrap.service_count());
    for server in &args.rdap_servers {
        println!("override:    {server}");
    }
    let Some(tld) = tld else {
        return Ok(ExitCode::SUCCESS);
    };
    let name = tld.trim().trim_matches('.').to_lowercase();
    let label = if name.contains('.') {
        name
    } else {
        format!(".{name}")
    };
    match bootstrap.server_for(tld) {
        Ok(server) => {
            let from = if server.overridden {
                "--rdap-server"
            } else {
                "bootstrap entry"
            };
            let plain = if server.base.scheme() == "http" {
                " (plain http: refused; WHOIS is used instead)"
            } else {
                ""
            };
            println!("{label}: {} ({from} {}){plain}", server.base, server.entry);
            Ok(ExitCode::SUCCESS)
        }
        Err(no_rdap) => {
            println!("{no_rdap}");
            Ok(ExitCode::FAILURE)
        }
    }
}

fn run_update(url: &Url, cache: &CacheArgs, network: &NetworkArgs) -> anyhow::Result<ExitCode> {
    let dir = cache
        .dir()
        .ok_or(BootstrapError::NoCacheDir)
        .map_err(bad_input)?;
    let client = Client::new(network.client_config())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match runtime.block_on(update(&client, url, &dir)) {
        Ok(UpdateOutcome::Updated {
            path,
            publication,
            services,
        }) => {
            let publication = publication
                .map(|date| date.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .unwrap_or_else(|| "not stated".to_owned());
            println!(
                "updated {}: publication {publication}, {services} services",
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Ok(UpdateOutcome::AlreadyCurrent { path }) => {
            println!("already current: {}", path.display());
            Ok(ExitCode::SUCCESS)
        }
        // The user chose the URL: a refused one is theirs to fix.
        Err(BootstrapError::Download(error)) if error.is_refused() => {
            Err(bad_input(BootstrapError::Download(error)))
        }
        Err(error) => Err(error.into()),
    }
}
