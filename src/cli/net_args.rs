//! Flags shared by every command that talks to registries: network safety
//! and deadlines ([`NetworkArgs`]), and which RDAP bootstrap to use
//! ([`BootstrapArgs`], [`CacheArgs`]). Each lowers once into the library's
//! plain configuration.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::net::AddressPolicy;
use crate::rdap::ClientConfig;
use crate::rdap::bootstrap::ServerOverride;
use crate::rdap::bootstrap::cache::{self, LoadOptions};

/// The longest timeout a flag takes: an hour is already far longer than any
/// registry needs, and a larger figure is a typo, refused with exit 2.
const MAX_TIMEOUT_SECONDS: u64 = 3_600;

/// Network safety and deadlines.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// Allow loopback addresses (127.0.0.0/8, ::1) and plain http to them,
    /// for a server on this machine such as a mock registry. Private, link-local and
    /// other non-public addresses stay refused.
    #[arg(long)]
    pub allow_loopback: bool,
    /// Seconds allowed to establish a connection (1 to 3600).
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECONDS))]
    pub connect_timeout: u64,
    /// Seconds allowed for a whole request, redirects and body included (1 to 3600).
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=MAX_TIMEOUT_SECONDS))]
    pub timeout: u64,
}

impl NetworkArgs {
    pub fn client_config(&self) -> ClientConfig {
        ClientConfig {
            policy: AddressPolicy {
                allow_loopback: self.allow_loopback,
            },
            connect_timeout: Duration::from_secs(self.connect_timeout),
            timeout: Duration::from_secs(self.timeout),
            ..ClientConfig::default()
        }
    }
}

/// Where cached data lives.
#[derive(Debug, Clone, Args)]
pub struct CacheArgs {
    /// Cache directory (default: the user's cache directory for domlife).
    #[arg(long, value_name = "DIR", env = "DOMLIFE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
}

impl CacheArgs {
    /// The directory to use, `None` when the system has no cache directory.
    pub fn dir(&self) -> Option<PathBuf> {
        self.cache_dir.clone().or_else(cache::default_cache_dir)
    }
}

/// Which RDAP servers to ask.
#[derive(Debug, Clone, Args)]
pub struct BootstrapArgs {
    /// Use this RDAP bootstrap file (IANA dns.json format) instead of the
    /// cached or embedded one.
    #[arg(long, value_name = "FILE")]
    pub bootstrap: Option<PathBuf>,
    /// Ask URL for names under TLD instead of the bootstrap's server
    /// (repeatable), e.g. `--rdap-server com=https://rdap.example/com/`.
    #[arg(long = "rdap-server", value_name = "TLD=URL")]
    pub rdap_servers: Vec<ServerOverride>,
    #[command(flatten)]
    pub cache: CacheArgs,
}

impl BootstrapArgs {
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions {
            file: self.bootstrap.clone(),
            cache_dir: self.cache.dir(),
            overrides: self.rdap_servers.clone(),
        }
    }
}
