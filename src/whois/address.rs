//! [`ServerAddress`]: a validated `host[:port]` naming a WHOIS server.
//!
//! Every server name that reaches the TCP client passes through here, whether
//! it came from the built-in table, a `--whois-server` override, IANA's
//! `refer:` line or a registry's "Registrar WHOIS Server:" line, so text from a
//! registry can never smuggle anything but a host name and a port into a
//! connection.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

/// The WHOIS port (RFC 3912).
pub const WHOIS_PORT: u16 = 43;

/// A WHOIS server: a host name or IP literal (lower case, no trailing dot) and a port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ServerAddress {
    host: String,
    port: u16,
}

/// Why a `host[:port]` was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// The host is neither a DNS name (letters, digits, hyphens, dots; labels of
    /// 1-63 characters) nor an IP literal. Write IPv6 literals in brackets.
    #[error("{host:?} is not a host name or IP address")]
    BadHost { host: String },
    /// The port is not a number from 1 to 65535.
    #[error("{port:?} is not a TCP port (1-65535)")]
    BadPort { port: String },
}

impl ServerAddress {
    /// Validates `host` (a DNS name or IP literal, IPv6 without brackets) and pairs it with `port`.
    pub fn new(host: &str, port: u16) -> Result<Self, AddressError> {
        if port == 0 {
            return Err(AddressError::BadPort {
                port: port.to_string(),
            });
        }
        let host = normalise_host(host).ok_or_else(|| AddressError::BadHost {
            host: host.escape_debug().to_string(),
        })?;
        Ok(Self { host, port })
    }

    /// whois.iana.org:43, which knows the WHOIS server of every TLD.
    pub fn iana() -> Self {
        Self {
            host: "whois.iana.org".to_owned(),
            port: WHOIS_PORT,
        }
    }

    /// The host name or IP literal (IPv6 without brackets).
    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }
}

impl FromStr for ServerAddress {
    type Err = AddressError;

    /// Reads `host`, `host:port`, `[ipv6]` or `[ipv6]:port`; the port defaults to 43.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (host, port) = split_host_port(text.trim_matches(' '))?;
        let port = match port {
            None => WHOIS_PORT,
            Some(digits) => parse_port(digits)?,
        };
        Self::new(host, port)
    }
}

impl fmt::Display for ServerAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

fn split_host_port(text: &str) -> Result<(&str, Option<&str>), AddressError> {
    let bad_host = || AddressError::BadHost {
        host: text.escape_debug().to_string(),
    };
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or_else(bad_host)?;
        if host.parse::<Ipv6Addr>().is_err() {
            return Err(bad_host());
        }
        return match after {
            "" => Ok((host, None)),
            _ => after
                .strip_prefix(':')
                .map(|port| (host, Some(port)))
                .ok_or_else(bad_host),
        };
    }
    // A bare IPv6 literal has several colons and no port.
    if text.matches(':').count() > 1 {
        return Ok((text, None));
    }
    Ok(match text.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (text, None),
    })
}

fn parse_port(digits: &str) -> Result<u16, AddressError> {
    digits
        .parse::<u16>()
        .ok()
        .filter(|port| *port != 0 && digits.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| AddressError::BadPort {
            port: digits.escape_debug().to_string(),
        })
}

/// Lower-cases a DNS host name or IP literal and drops a trailing dot; `None`
/// for anything else.
pub(crate) fn normalise_host(host: &str) -> Option<String> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Some(ip.to_string());
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    let valid = !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(is_host_label)
        // A name of digits and dots only would be a malformed IPv4 literal.
        && !name.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    valid.then(|| name.to_ascii_lowercase())
}

/// A DNS label as host names use it: LDH, 1-63 characters, no hyphen at either end.
pub(crate) fn is_host_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("whois.denic.de", "whois.denic.de:43")]
    #[case("WHOIS.Denic.DE.", "whois.denic.de:43")]
    #[case("whois.denic.de:4343", "whois.denic.de:4343")]
    #[case("127.0.0.1:10043", "127.0.0.1:10043")]
    #[case("[::1]:10043", "[::1]:10043")]
    #[case("[::1]", "[::1]:43")]
    #[case("::1", "[::1]:43")]
    #[case(" whois.nic.it ", "whois.nic.it:43")]
    fn reads_host_and_port(#[case] input: &str, #[case] shown: &str) {
        let address: ServerAddress = input.parse().unwrap();
        assert_eq!(address.to_string(), shown);
    }

    #[rstest]
    #[case("", "host")]
    #[case("whois..nic.it", "host")]
    #[case("-whois.nic.it", "host")]
    #[case("whois.nic.it-", "host")]
    #[case("whois nic.it", "host")]
    #[case("whois.nic.it\r\nquery", "host")]
    #[case("who_is.nic.it", "host")]
    #[case("999.1.1.1", "host")]
    #[case("[127.0.0.1]:43", "host")]
    #[case("[::1]x", "host")]
    #[case("whois.nic.it:", "port")]
    #[case("whois.nic.it:0", "port")]
    #[case("whois.nic.it:65536", "port")]
    #[case("whois.nic.it:+43", "port")]
    #[case("whois.nic.it:4x", "port")]
    fn refuses_malformed(#[case] input: &str, #[case] part: &str) {
        let error = input.parse::<ServerAddress>().unwrap_err();
        let kind = match error {
            AddressError::BadHost { .. } => "host",
            AddressError::BadPort { .. } => "port",
        };
        assert_eq!(kind, part, "{input:?}: {error}");
    }
}
