//! Flags shared by the commands that look names up (`show`, `check`): which
//! protocol, which servers, how safely, lowered once into a [`Lookup`].

use std::time::Duration;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::bad_input;
use super::net_args::{BootstrapArgs, NetworkArgs};
use crate::fetch::{Gate, GateConfig};
use crate::lifecycle::PolicyTable;
use crate::lookup::{Answers, Lookup, Order, Parts};
use crate::rdap::bootstrap::cache;
use crate::whois::{ServerOverride, WhoisClient, WhoisConfig};

/// Protocol preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Prefer {
    /// RDAP where the TLD has it, WHOIS otherwise.
    Rdap,
    /// WHOIS even where the TLD has RDAP.
    Whois,
}

#[derive(Debug, Clone, Args)]
pub struct LookupArgs {
    #[command(flatten)]
    pub network: NetworkArgs,
    #[command(flatten)]
    pub bootstrap: BootstrapArgs,
    /// Send WHOIS queries for a TLD (`de=HOST[:PORT]`), or connections meant
    /// for a server host (`whois.markmonitor.com=HOST[:PORT]`), elsewhere.
    /// Repeatable.
    #[arg(long = "whois-server", value_name = "KEY=HOST[:PORT]")]
    pub whois_servers: Vec<ServerOverride>,
    /// Do not fall back to WHOIS for TLDs without RDAP.
    #[arg(long, conflicts_with = "prefer")]
    pub no_whois: bool,
    /// Which protocol to use where both exist.
    #[arg(long, value_enum, default_value = "rdap")]
    pub prefer: Prefer,
}

impl LookupArgs {
    /// Loads the bootstrap and builds both clients behind a gate of `pacing`;
    /// `policies` is the run's policy table. A warning about the bootstrap (a
    /// corrupt cached copy, skipped) goes to standard error.
    pub fn build(
        &self,
        policies: PolicyTable,
        pacing: GateConfig,
        answers: Answers,
    ) -> anyhow::Result<Lookup> {
        let loaded = cache::load(&self.bootstrap.load_options()).map_err(bad_input)?;
        let rdap = crate::rdap::Client::new(self.network.client_config())
            .context("cannot set up the HTTP client")?;
        let whois = WhoisClient::new(WhoisConfig {
            connect_timeout: Duration::from_secs(self.network.connect_timeout),
            total_timeout: Duration::from_secs(self.network.timeout),
            allow_loopback: self.network.allow_loopback,
            overrides: self.whois_servers.iter().cloned().collect(),
            ..WhoisConfig::default()
        });
        let order = match (self.prefer, self.no_whois) {
            (Prefer::Whois, _) => Order::WhoisOnly,
            (Prefer::Rdap, true) => Order::RdapOnly,
            (Prefer::Rdap, false) => Order::RdapThenWhois,
        };
        let lookup = Lookup::new(Parts {
            bootstrap: loaded.bootstrap,
            rdap,
            whois,
            gate: Gate::new(pacing),
            order,
            policies,
            answers,
        });
        for note in loaded.notes {
            eprintln!("domlife: warning: {note}");
        }
        Ok(lookup)
    }
}
