//! Which IP addresses a WHOIS connection may go to.
//!
//! Server names come from registry text (referrals, IANA's `refer:`), so a
//! hostile or broken answer could point the client at the local network. Every
//! name is therefore resolved here and each address checked before the client
//! connects to that very address (no second resolution in between).
//! Loopback and private targets are allowed only when the caller says so
//! (tests, and users pointing `--whois-server` at a local server).
//!
//! This is deliberately minimal and mirrors the RDAP client's policy; the two
//! are meant to be unified into one shared module.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::address::ServerAddress;
use super::error::WhoisError;

/// Resolves `server` and returns the addresses a connection may use, in the
/// resolver's order. Fails when nothing resolves or every address is refused.
pub(crate) async fn resolve_permitted(
    server: &ServerAddress,
    allow_loopback: bool,
) -> Result<Vec<SocketAddr>, WhoisError> {
    let resolved: Vec<SocketAddr> = tokio::net::lookup_host((server.host(), server.port()))
        .await
        .map_err(|error| WhoisError::Resolve {
            server: server.clone(),
            message: error.to_string(),
        })?
        .collect();
    let Some(first) = resolved.first().copied() else {
        return Err(WhoisError::Resolve {
            server: server.clone(),
            message: "no address".to_owned(),
        });
    };
    let permitted: Vec<SocketAddr> = resolved
        .into_iter()
        .filter(|address| allow_loopback || is_public(address.ip()))
        .collect();
    if permitted.is_empty() {
        return Err(WhoisError::ForbiddenAddress {
            server: server.clone(),
            address: first.ip(),
        });
    }
    Ok(permitted)
}

/// An address on the public Internet: not loopback, private, link-local,
/// shared (CGNAT), unspecified, broadcast, multicast or documentation space.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let shared_cgnat = a == 100 && (64..128).contains(&b);
    let reserved = a == 0 || a >= 240;
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || shared_cgnat
        || reserved)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00;
    let link_local = first & 0xffc0 == 0xfe80;
    let documentation = first == 0x2001 && ip.segments()[1] == 0x0db8;
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || unique_local
        || link_local
        || documentation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("81.91.164.5", true)]
    #[case("2a02:568:0:2::53", true)]
    #[case("127.0.0.1", false)]
    #[case("10.1.2.3", false)]
    #[case("172.16.0.1", false)]
    #[case("192.168.1.1", false)]
    #[case("169.254.169.254", false)]
    #[case("100.64.0.1", false)]
    #[case("0.0.0.0", false)]
    #[case("255.255.255.255", false)]
    #[case("224.0.0.1", false)]
    #[case("192.0.2.1", false)]
    #[case("::1", false)]
    #[case("::", false)]
    #[case("fd00::1", false)]
    #[case("fe80::1", false)]
    #[case("::ffff:127.0.0.1", false)]
    #[case("::ffff:81.91.164.5", true)]
    fn sorts_public_from_local(#[case] ip: &str, #[case] public: bool) {
        assert_eq!(is_public(ip.parse().unwrap()), public, "{ip}");
    }

    #[tokio::test]
    async fn refuses_loopback_unless_allowed() {
        let server = ServerAddress::new("127.0.0.1", 43).unwrap();
        let refused = resolve_permitted(&server, false).await.unwrap_err();
        assert!(
            matches!(refused, WhoisError::ForbiddenAddress { .. }),
            "{refused}"
        );
        let allowed = resolve_permitted(&server, true).await.unwrap();
        assert_eq!(allowed, vec!["127.0.0.1:43".parse().unwrap()]);
    }
}
