//! How DNS is asked: which recursive resolvers (`--dns-server IP[:PORT]`,
//! else the system's), the deadline of one question, how many names are
//! asked at once, and the address policy the servers must pass.
//!
//! A `--dns-server` address follows [`crate::net`]'s policy like every
//! other target: public addresses, loopback only with `--allow-loopback`,
//! every other non-public range refused. The system's resolvers
//! (`/etc/resolv.conf`) are not checked: the machine's administrator named
//! them, and they are usually loopback (a local cache) or private (the
//! network's resolver), which is exactly where a recursive resolver lives.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

use crate::net::{AddressPolicy, Refusal};

/// The port DNS servers listen on.
pub const DNS_PORT: u16 = 53;
/// The deadline of one question by default (seconds).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// Names asked at once by default: DNS answers in milliseconds, so this
/// keeps a bulk run's DNS well ahead of its registry lookups.
pub const DEFAULT_CONCURRENCY: usize = 64;

/// A recursive resolver to ask: an address and a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DnsServer(pub SocketAddr);

/// A `--dns-server` value that is not `IP` or `IP:PORT`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{0:?} is not an IP address with an optional port (192.0.2.1, 192.0.2.1:5353, [2001:db8::1]:53)"
)]
pub struct BadDnsServer(pub String);

impl FromStr for DnsServer {
    type Err = BadDnsServer;

    fn from_str(text: &str) -> Result<DnsServer, BadDnsServer> {
        let text = text.trim();
        if let Ok(address) = text.parse::<SocketAddr>() {
            return Ok(DnsServer(address));
        }
        let bare = text.trim_start_matches('[').trim_end_matches(']');
        bare.parse::<IpAddr>()
            .map(|ip| DnsServer(SocketAddr::new(ip, DNS_PORT)))
            .map_err(|_| BadDnsServer(text.to_owned()))
    }
}

impl fmt::Display for DnsServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// DNS settings of a run (`--dns` and its flags, `dns = true`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsConfig {
    /// `--dns-server`, in order; empty: the system's resolvers.
    pub servers: Vec<DnsServer>,
    /// The deadline of one question (`--dns-timeout`).
    pub timeout: Duration,
    /// Names asked at once (`--dns-concurrency`).
    pub concurrency: usize,
    /// Which `--dns-server` addresses may be reached.
    pub policy: AddressPolicy,
}

impl Default for DnsConfig {
    fn default() -> Self {
        DnsConfig {
            servers: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            concurrency: DEFAULT_CONCURRENCY,
            policy: AddressPolicy::default(),
        }
    }
}

/// A `--dns-server` the address policy refuses: use a public resolver,
/// or `--allow-loopback` for one on this machine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--dns-server {server}: {refusal}")]
pub struct RefusedDnsServer {
    pub server: DnsServer,
    pub refusal: Refusal,
}

impl DnsConfig {
    /// Checks every `--dns-server` against the address policy, before any
    /// packet is sent.
    pub fn check(&self) -> Result<(), RefusedDnsServer> {
        for server in &self.servers {
            self.policy
                .check_ip(server.0.ip())
                .map_err(|refusal| RefusedDnsServer {
                    server: *server,
                    refusal,
                })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("192.0.2.1", "192.0.2.1:53")]
    #[case("127.0.0.1:5353", "127.0.0.1:5353")]
    #[case("2001:db8::1", "[2001:db8::1]:53")]
    #[case("[2001:db8::1]", "[2001:db8::1]:53")]
    #[case("[::1]:5300", "[::1]:5300")]
    fn servers_take_an_optional_port(#[case] text: &str, #[case] shown: &str) {
        assert_eq!(
            text.parse::<DnsServer>().map(|s| s.to_string()),
            Ok(shown.to_owned())
        );
    }

    #[rstest]
    #[case("dns.example")]
    #[case("192.0.2.1:port")]
    #[case("192.0.2.1:70000")]
    #[case("")]
    fn names_and_bad_ports_are_refused(#[case] text: &str) {
        assert!(text.parse::<DnsServer>().is_err(), "{text}");
    }

    /// The classifier's decision only: nothing is sent to these addresses.
    #[rstest]
    #[case("8.8.8.8", false, true)]
    #[case("127.0.0.1:5353", false, false)]
    #[case("127.0.0.1:5353", true, true)]
    #[case("[::1]:53", true, true)]
    #[case("10.0.0.53", true, false)]
    #[case("192.168.1.1", true, false)]
    #[case("169.254.169.253", true, false)]
    #[case("[fd00::53]:53", true, false)]
    fn servers_follow_the_address_policy(
        #[case] server: &str,
        #[case] allow_loopback: bool,
        #[case] allowed: bool,
    ) {
        let Ok(server) = server.parse::<DnsServer>() else {
            panic!("{server} parses");
        };
        let config = DnsConfig {
            servers: vec![server],
            policy: AddressPolicy { allow_loopback },
            ..DnsConfig::default()
        };
        assert_eq!(config.check().is_ok(), allowed, "{server}");
        if let Err(refused) = config.check() {
            assert!(
                refused.to_string().starts_with("--dns-server "),
                "{refused}"
            );
        }
    }
}
