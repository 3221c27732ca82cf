//! [`HostKey`]: which server a request counts against. Limits belong to a
//! service on a host, so the key is the protocol plus `host` (or
//! `host:port` when the port is not the protocol's default, which also lets
//! tests run several mock registries on 127.0.0.1).

use std::fmt;

use url::Url;

use crate::record::Protocol;
use crate::whois::{ServerAddress, WHOIS_PORT};

/// A rate-limited service: RDAP or WHOIS on one host (and port).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostKey {
    protocol: Protocol,
    host: String,
}

impl HostKey {
    /// `host` is a host name or `host:port`; it is lower-cased and a
    /// trailing dot dropped so spellings of one host share a limiter.
    pub fn new(protocol: Protocol, host: &str) -> HostKey {
        HostKey {
            protocol,
            host: host.trim().trim_end_matches('.').to_ascii_lowercase(),
        }
    }

    /// The key of the RDAP server a URL points at: its host, with the port
    /// when the URL names a non-default one. `None` for a URL without a host.
    pub fn rdap(url: &Url) -> Option<HostKey> {
        let host = url.host_str()?;
        Some(match url.port() {
            Some(port) => HostKey::new(Protocol::Rdap, &format!("{host}:{port}")),
            None => HostKey::new(Protocol::Rdap, host),
        })
    }

    /// The key of a WHOIS server, as dialled (after any `--whois-server`
    /// override), with the port when it is not 43.
    pub fn whois(server: &ServerAddress) -> HostKey {
        if server.port() == WHOIS_PORT {
            HostKey::new(Protocol::Whois, server.host())
        } else {
            HostKey::new(
                Protocol::Whois,
                &format!("{}:{}", server.host(), server.port()),
            )
        }
    }

    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// `host` or `host:port`, lower case.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The host without its port, for matching rates given without one.
    pub(crate) fn host_name(&self) -> &str {
        match self.host.rsplit_once(':') {
            // A bracketed IPv6 literal keeps its colons inside the brackets.
            Some((name, port))
                if port.bytes().all(|b| b.is_ascii_digit())
                    && (!name.contains(':') || name.ends_with(']')) =>
            {
                name
            }
            _ => &self.host,
        }
    }
}

impl fmt::Display for HostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let protocol = match self.protocol {
            Protocol::Rdap => "rdap",
            Protocol::Whois => "whois",
        };
        write!(f, "{} ({protocol})", self.host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("https://rdap.verisign.com/com/v1/domain/x.com", "rdap.verisign.com")]
    #[case("https://RDAP.Verisign.com:443/com/v1/", "rdap.verisign.com")]
    #[case("http://127.0.0.1:8080/registry/", "127.0.0.1:8080")]
    #[case("https://[::1]:8443/", "[::1]:8443")]
    fn rdap_keys(#[case] url: &str, #[case] host: &str) {
        let url = Url::parse(url).expect("test URL");
        let key = HostKey::rdap(&url).expect("has a host");
        assert_eq!(key.host(), host);
        assert_eq!(key.protocol(), Protocol::Rdap);
    }

    #[test]
    fn rdap_key_needs_a_host() {
        let url = Url::parse("data:text/plain,x").expect("test URL");
        assert_eq!(HostKey::rdap(&url), None);
    }

    #[rstest]
    #[case("whois.denic.de", 43, "whois.denic.de")]
    #[case("127.0.0.1", 4343, "127.0.0.1:4343")]
    fn whois_keys(#[case] host: &str, #[case] port: u16, #[case] key: &str) {
        let server = ServerAddress::new(host, port).expect("valid server");
        assert_eq!(HostKey::whois(&server).host(), key);
    }

    #[rstest]
    #[case("rdap.example", "rdap.example")]
    #[case("127.0.0.1:8080", "127.0.0.1")]
    #[case("[::1]:8443", "[::1]")]
    #[case("[::1]", "[::1]")]
    fn host_names(#[case] host: &str, #[case] name: &str) {
        assert_eq!(HostKey::new(Protocol::Rdap, host).host_name(), name);
    }

    #[test]
    fn spellings_share_a_key() {
        assert_eq!(
            HostKey::new(Protocol::Whois, "WHOIS.Denic.DE."),
            HostKey::new(Protocol::Whois, "whois.denic.de")
        );
        assert_ne!(
            HostKey::new(Protocol::Whois, "example.net"),
            HostKey::new(Protocol::Rdap, "example.net")
        );
    }
}
