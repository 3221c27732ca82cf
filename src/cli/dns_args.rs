//! The DNS flags of the commands that look names up (`check`, `show`,
//! `serve`): `--dns`, `--dns-server`, `--dns-timeout`,
//! `--dns-concurrency`, lowered once into [`DnsFlags`].

use std::time::Duration;

use clap::Args;

use crate::dns::DnsServer;
use crate::run::settings::DnsFlags;

/// The longest `--dns-timeout`, like every other timeout flag.
const MAX_TIMEOUT_SECONDS: u64 = 3_600;

/// Whether and how to ask DNS after each registry lookup.
#[derive(Debug, Clone, Args)]
pub struct DnsArgs {
    /// After each registry lookup, ask DNS about the name (NS, SOA, A,
    /// AAAA, MX, TXT) and compare: still-resolving, resolves-on-hold,
    /// not-resolving, ns-mismatch. Also `dns = true` in domlife.toml.
    #[arg(long)]
    pub dns: bool,
    /// With --dns (or dns = true): ask this recursive resolver instead of
    /// the system's (repeatable; port 53 unless given). Public addresses
    /// only; loopback with --allow-loopback.
    #[arg(long = "dns-server", value_name = "IP[:PORT]")]
    pub dns_servers: Vec<DnsServer>,
    /// Seconds one DNS question may take, per attempt (1 to 3600)
    /// [default: 5].
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECONDS))]
    pub dns_timeout: Option<u64>,
    /// Names asked about at once (1 to 4096) [default: 64]. DNS has its
    /// own bound: it never counts against a registry's rate.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub dns_concurrency: Option<u16>,
}

impl DnsArgs {
    /// The DNS flags, typed, for [`crate::run::settings`] to merge.
    pub fn flags(&self) -> DnsFlags {
        DnsFlags {
            ask: self.dns,
            servers: self.dns_servers.clone(),
            timeout: self.dns_timeout.map(Duration::from_secs),
            concurrency: self.dns_concurrency.map(usize::from),
        }
    }
}
