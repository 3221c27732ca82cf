//! Flags shared by the commands that look names up (`show`, `check`): which
//! protocol, which servers, how safely, lowered once into [`LookupFlags`].

use clap::{Args, ValueEnum};

use super::dns_args::DnsArgs;
use super::net_args::{BootstrapArgs, NetworkArgs};
use crate::lookup::Order;
use crate::run::settings::LookupFlags;
use crate::whois::ServerOverride;

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
    #[command(flatten)]
    pub dns: DnsArgs,
}

impl LookupArgs {
    /// The lookup flags, typed, for [`crate::run::settings`] to merge.
    pub fn flags(&self) -> LookupFlags {
        LookupFlags {
            client: self.network.client_config(),
            bootstrap_file: self.bootstrap.bootstrap.clone(),
            cache_dir: self.bootstrap.cache.cache_dir.clone(),
            rdap_servers: self.bootstrap.rdap_servers.clone(),
            whois_servers: self.whois_servers.clone(),
            order: match (self.prefer, self.no_whois) {
                (Prefer::Whois, _) => Order::WhoisOnly,
                (Prefer::Rdap, true) => Order::RdapOnly,
                (Prefer::Rdap, false) => Order::RdapThenWhois,
            },
        }
    }
}
