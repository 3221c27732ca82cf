//! Which network targets domlife may talk to: the address classes, the
//! policy that allows or refuses them, and the URL check every request and
//! every redirect hop goes through before any connection is made.
//!
//! The rule is deliberately short. Only public addresses over HTTPS are
//! allowed by default. `allow_loopback` (the `--allow-loopback` flag) opens
//! exactly two doors, both needed to talk to a server on the same machine
//! (tests, a local mock, a local mirror): plain `http`, and loopback addresses
//! (127.0.0.0/8, ::1). Every other non-public range (private, link-local,
//! unique-local, CGNAT, documentation, benchmarking, multicast, broadcast,
//! unspecified, reserved) stays refused whatever the flags: those are where a
//! hostile referral or redirect would reach internal services (cloud metadata
//! at 169.254.169.254, an intranet), and no registry lives there.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// What kind of address an IP is, for the purpose of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressClass {
    /// Reachable on the public internet.
    Public,
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// RFC 1918: 10/8, 172.16/12, 192.168/16.
    Private,
    /// 169.254/16, fe80::/10 (and the deprecated site-local fec0::/10).
    LinkLocal,
    /// fc00::/7.
    UniqueLocal,
    /// 100.64/10, carrier-grade NAT (RFC 6598).
    SharedCgnat,
    /// 0.0.0.0/8, ::.
    Unspecified,
    /// 255.255.255.255.
    Broadcast,
    /// 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20.
    Documentation,
    /// 198.18/15, 2001:2::/48.
    Benchmarking,
    /// 224/4, ff00::/8.
    Multicast,
    /// 240/4, 192.0.0/24, 100::/64, Teredo 2001::/32, local-use NAT64
    /// 64:ff9b:1::/48 and other special-purpose ranges.
    Reserved,
}

impl AddressClass {
    /// Classifies an address. IPv4 addresses embedded in IPv6 (mapped,
    /// compatible, NAT64 well-known prefix, 6to4) are classified by the
    /// IPv4 part, so `::ffff:10.0.0.1` and `2002:a00:1::1` are as private
    /// as `10.0.0.1`.
    pub fn of(ip: IpAddr) -> AddressClass {
        match ip {
            IpAddr::V4(v4) => classify_v4(v4),
            IpAddr::V6(v6) => classify_v6(v6),
        }
    }
}

impl fmt::Display for AddressClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AddressClass::Public => "a public address",
            AddressClass::Loopback => "a loopback address",
            AddressClass::Private => "a private address",
            AddressClass::LinkLocal => "a link-local address",
            AddressClass::UniqueLocal => "a unique-local address",
            AddressClass::SharedCgnat => "a carrier-grade NAT address",
            AddressClass::Unspecified => "the unspecified address",
            AddressClass::Broadcast => "the broadcast address",
            AddressClass::Documentation => "a documentation address",
            AddressClass::Benchmarking => "a benchmarking address",
            AddressClass::Multicast => "a multicast address",
            AddressClass::Reserved => "a reserved address",
        })
    }
}

fn classify_v4(ip: Ipv4Addr) -> AddressClass {
    let [a, b, c, _] = ip.octets();
    match (a, b, c) {
        _ if ip.is_broadcast() => AddressClass::Broadcast,
        (0, _, _) => AddressClass::Unspecified,
        (127, _, _) => AddressClass::Loopback,
        (10, _, _) | (192, 168, _) => AddressClass::Private,
        (172, 16..=31, _) => AddressClass::Private,
        (169, 254, _) => AddressClass::LinkLocal,
        (100, 64..=127, _) => AddressClass::SharedCgnat,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => AddressClass::Documentation,
        (198, 18..=19, _) => AddressClass::Benchmarking,
        (192, 0, 0) => AddressClass::Reserved,
        (224..=239, _, _) => AddressClass::Multicast,
        (240..=255, _, _) => AddressClass::Reserved,
        _ => AddressClass::Public,
    }
}

fn classify_v6(ip: Ipv6Addr) -> AddressClass {
    if let Some(v4) = embedded_v4(ip) {
        return classify_v4(v4);
    }
    if let Some(v4) = six_to_four(ip) {
        return match classify_v4(v4) {
            // A 6to4 address goes to a relay, never to this machine.
            AddressClass::Loopback => AddressClass::Reserved,
            class => class,
        };
    }
    if ip.is_unspecified() {
        return AddressClass::Unspecified;
    }
    if ip.is_loopback() {
        return AddressClass::Loopback;
    }
    let s = ip.segments();
    match s[0] {
        0xff00..=0xffff => AddressClass::Multicast,
        0xfe80..=0xfeff => AddressClass::LinkLocal,
        0xfc00..=0xfdff => AddressClass::UniqueLocal,
        0x2001 if s[1] == 0x0db8 => AddressClass::Documentation,
        0x2001 if s[1] == 0x0002 && s[2] == 0 => AddressClass::Benchmarking,
        0x2001 if s[1] == 0 => AddressClass::Reserved,
        // Local-use NAT64 (RFC 8215): translated to IPv4 addresses inside
        // the operator's network, which may be private ones.
        0x0064 if s[1] == 0xff9b && s[2] == 0x0001 => AddressClass::Reserved,
        0x3fff if s[1] < 0x1000 => AddressClass::Documentation,
        0x0100 if s[1..4] == [0, 0, 0] => AddressClass::Reserved,
        0x0000 => AddressClass::Reserved,
        _ => AddressClass::Public,
    }
}

/// The IPv4 address carried inside an IPv6 one, for the forms a connection
/// would actually reach over IPv4: `::ffff:a.b.c.d` (mapped), `::a.b.c.d`
/// (compatible, deprecated) and `64:ff9b::a.b.c.d` (NAT64).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let [a, b] = s[6].to_be_bytes();
    let [c, d] = s[7].to_be_bytes();
    let tail = Ipv4Addr::new(a, b, c, d);
    match s[..6] {
        [0, 0, 0, 0, 0, 0xffff] => Some(tail),
        // `::` and `::1` are themselves, not IPv4-compatible addresses.
        [0, 0, 0, 0, 0, 0] if s[6] != 0 => Some(tail),
        [0x64, 0xff9b, 0, 0, 0, 0] => Some(tail),
        _ => None,
    }
}

/// The IPv4 address a 6to4 address (`2002::/16`, RFC 3056) is routed to:
/// the 32 bits after the prefix.
fn six_to_four(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    (s[0] == 0x2002).then(|| {
        let [a, b] = s[1].to_be_bytes();
        let [c, d] = s[2].to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    })
}

/// Why a URL or an address was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The URL is plain `http`; allowed only to this machine, with `--allow-loopback`.
    #[error(
        "plain http is refused (RDAP is HTTPS only; --allow-loopback allows http to this machine)"
    )]
    PlainHttp,
    /// The scheme is neither `https` nor `http`.
    #[error("the scheme {0:?} is refused (only https)")]
    Scheme(String),
    /// The URL has no host to connect to.
    #[error("the URL has no host")]
    NoHost,
    /// The URL names an IP address the policy forbids.
    #[error("{ip} is {class}{hint}", hint = loopback_hint(*.class))]
    Address { ip: IpAddr, class: AddressClass },
    /// Every address the host name resolved to is forbidden.
    #[error(
        "{host} resolves only to forbidden addresses ({}){}",
        describe_addresses(.addresses),
        resolved_hint(.addresses)
    )]
    Resolved {
        host: String,
        addresses: Vec<(IpAddr, AddressClass)>,
    },
}

fn loopback_hint(class: AddressClass) -> &'static str {
    if class == AddressClass::Loopback {
        " (allowed only with --allow-loopback)"
    } else {
        ""
    }
}

fn resolved_hint(addresses: &[(IpAddr, AddressClass)]) -> &'static str {
    if addresses
        .iter()
        .all(|(_, class)| *class == AddressClass::Loopback)
    {
        loopback_hint(AddressClass::Loopback)
    } else {
        ""
    }
}

fn describe_addresses(addresses: &[(IpAddr, AddressClass)]) -> String {
    addresses
        .iter()
        .map(|(ip, class)| format!("{ip}: {class}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The network policy: plain data, one switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddressPolicy {
    /// Allow plain `http` and loopback addresses (see the module docs).
    pub allow_loopback: bool,
}

impl AddressPolicy {
    /// The default: HTTPS to public addresses only.
    pub const STRICT: AddressPolicy = AddressPolicy {
        allow_loopback: false,
    };
    /// For servers on this machine: also plain http and loopback.
    pub const LOCAL: AddressPolicy = AddressPolicy {
        allow_loopback: true,
    };

    /// Whether a connection to `ip` is allowed.
    pub fn allows(&self, ip: IpAddr) -> bool {
        match AddressClass::of(ip) {
            AddressClass::Public => true,
            AddressClass::Loopback => self.allow_loopback,
            _ => false,
        }
    }

    /// Checks an address, saying why it is refused.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Refusal> {
        if self.allows(ip) {
            Ok(())
        } else {
            Err(Refusal::Address {
                ip,
                class: AddressClass::of(ip),
            })
        }
    }

    /// Checks a URL before any connection: the scheme, and the host when it
    /// is an IP literal. Host names are checked later, on the addresses they
    /// resolve to (see [`super::resolve`]).
    pub fn check_url(&self, url: &Url) -> Result<(), Refusal> {
        match url.scheme() {
            "https" => {}
            // The flag is for a server on this machine (a mock registry);
            // plain http anywhere else stays refused, redirects included.
            "http" if self.allow_loopback && names_this_machine(url) => {}
            "http" => return Err(Refusal::PlainHttp),
            other => return Err(Refusal::Scheme(other.to_owned())),
        }
        match url.host() {
            None => Err(Refusal::NoHost),
            Some(Host::Ipv4(ip)) => self.check_ip(IpAddr::V4(ip)),
            Some(Host::Ipv6(ip)) => self.check_ip(IpAddr::V6(ip)),
            Some(Host::Domain(_)) => Ok(()),
        }
    }
}

/// True when the URL's host is a loopback literal or `localhost`.
pub fn names_this_machine(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("8.8.8.8", AddressClass::Public)]
    #[case("192.0.43.10", AddressClass::Public)]
    #[case("172.15.255.255", AddressClass::Public)]
    #[case("172.32.0.1", AddressClass::Public)]
    #[case("100.63.255.255", AddressClass::Public)]
    #[case("127.0.0.1", AddressClass::Loopback)]
    #[case("127.255.0.9", AddressClass::Loopback)]
    #[case("10.0.0.1", AddressClass::Private)]
    #[case("172.16.0.1", AddressClass::Private)]
    #[case("172.31.255.254", AddressClass::Private)]
    #[case("192.168.1.1", AddressClass::Private)]
    #[case("169.254.169.254", AddressClass::LinkLocal)]
    #[case("100.64.0.1", AddressClass::SharedCgnat)]
    #[case("100.127.255.255", AddressClass::SharedCgnat)]
    #[case("0.0.0.0", AddressClass::Unspecified)]
    #[case("0.1.2.3", AddressClass::Unspecified)]
    #[case("255.255.255.255", AddressClass::Broadcast)]
    #[case("192.0.2.7", AddressClass::Documentation)]
    #[case("198.51.100.7", AddressClass::Documentation)]
    #[case("203.0.113.7", AddressClass::Documentation)]
    #[case("198.18.0.1", AddressClass::Benchmarking)]
    #[case("198.19.255.1", AddressClass::Benchmarking)]
    #[case("224.0.0.1", AddressClass::Multicast)]
    #[case("239.255.255.250", AddressClass::Multicast)]
    #[case("240.0.0.1", AddressClass::Reserved)]
    #[case("192.0.0.8", AddressClass::Reserved)]
    #[case("2606:4700::1111", AddressClass::Public)]
    #[case("2001:500:8f::53", AddressClass::Public)]
    #[case("::1", AddressClass::Loopback)]
    #[case("::", AddressClass::Unspecified)]
    #[case("fe80::1", AddressClass::LinkLocal)]
    #[case("fec0::1", AddressClass::LinkLocal)]
    #[case("fc00::1", AddressClass::UniqueLocal)]
    #[case("fd12:3456::1", AddressClass::UniqueLocal)]
    #[case("2001:db8::1", AddressClass::Documentation)]
    #[case("3fff:0fff::1", AddressClass::Documentation)]
    #[case("2001:2::1", AddressClass::Benchmarking)]
    #[case("2001::1", AddressClass::Reserved)]
    #[case("100::1", AddressClass::Reserved)]
    #[case("ff02::1", AddressClass::Multicast)]
    #[case("::ffff:10.0.0.1", AddressClass::Private)]
    #[case("::ffff:127.0.0.1", AddressClass::Loopback)]
    #[case("::ffff:8.8.8.8", AddressClass::Public)]
    #[case("64:ff9b::a9fe:a9fe", AddressClass::LinkLocal)]
    #[case("::10.1.2.3", AddressClass::Private)]
    // 6to4 (#18): by the IPv4 address it embeds.
    #[case("2002:a00:1::1", AddressClass::Private)]
    #[case("2002:c0a8:101::1", AddressClass::Private)]
    #[case("2002:a9fe:a9fe::1", AddressClass::LinkLocal)]
    #[case("2002:6440:1::1", AddressClass::SharedCgnat)]
    #[case("2002:c000:201::1", AddressClass::Documentation)]
    #[case("2002:e000:1::1", AddressClass::Multicast)]
    #[case("2002::1", AddressClass::Unspecified)]
    #[case("2002:7f00:1::1", AddressClass::Reserved)]
    #[case("2002:808:808::1", AddressClass::Public)]
    // Local-use NAT64 (#18) is not public; the well-known prefix goes by its IPv4.
    #[case("64:ff9b:1::a00:1", AddressClass::Reserved)]
    #[case("64:ff9b:1:ffff::808:808", AddressClass::Reserved)]
    #[case("64:ff9b::808:808", AddressClass::Public)]
    #[case("64:ff9b::a00:1", AddressClass::Private)]
    #[case("64:ff9b:2::1", AddressClass::Public)]
    // Teredo stays non-public.
    #[case("2001:0:4136:e378:8000:63bf:3fff:fdd2", AddressClass::Reserved)]
    fn classifies(#[case] ip: &str, #[case] expected: AddressClass) {
        let ip: IpAddr = ip.parse().expect("test literal");
        assert_eq!(AddressClass::of(ip), expected);
    }

    #[rstest]
    #[case("8.8.8.8", true, true)]
    #[case("2606:4700::1111", true, true)]
    #[case("127.0.0.1", false, true)]
    #[case("::1", false, true)]
    #[case("::ffff:127.0.0.1", false, true)]
    #[case("10.0.0.1", false, false)]
    #[case("169.254.169.254", false, false)]
    #[case("fd00::1", false, false)]
    #[case("100.64.0.1", false, false)]
    #[case("0.0.0.0", false, false)]
    #[case("192.0.2.1", false, false)]
    #[case("2002:a00:1::1", false, false)]
    #[case("2002:7f00:1::1", false, false)]
    #[case("64:ff9b:1::a00:1", false, false)]
    #[case("2002:808:808::1", true, true)]
    fn policy_table(#[case] ip: &str, #[case] strict: bool, #[case] local: bool) {
        let ip: IpAddr = ip.parse().expect("test literal");
        assert_eq!(AddressPolicy::STRICT.allows(ip), strict, "strict {ip}");
        assert_eq!(AddressPolicy::LOCAL.allows(ip), local, "local {ip}");
    }

    #[rstest]
    #[case("https://rdap.verisign.com/com/v1/", AddressPolicy::STRICT, None)]
    #[case("http://rdap.nic.mg/", AddressPolicy::STRICT, Some(Refusal::PlainHttp))]
    #[case("http://rdap.nic.mg/", AddressPolicy::LOCAL, Some(Refusal::PlainHttp))]
    #[case("http://localhost:8080/", AddressPolicy::LOCAL, None)]
    #[case("http://10.0.0.1/", AddressPolicy::LOCAL, Some(Refusal::PlainHttp))]
    #[case("ftp://rdap.example/", AddressPolicy::LOCAL, Some(Refusal::Scheme("ftp".into())))]
    #[case("http://127.0.0.1:8080/", AddressPolicy::LOCAL, None)]
    // URL parsing turns these spellings into IPv4 literals, which are then checked.
    #[case(
        "https://2130706433/",
        AddressPolicy::STRICT,
        Some(Refusal::Address { ip: "127.0.0.1".parse().expect("literal"), class: AddressClass::Loopback })
    )]
    #[case(
        "https://0x0a.0.0.1/",
        AddressPolicy::LOCAL,
        Some(Refusal::Address { ip: "10.0.0.1".parse().expect("literal"), class: AddressClass::Private })
    )]
    #[case("http://[::1]:8080/", AddressPolicy::LOCAL, None)]
    #[case(
        "https://127.0.0.1/",
        AddressPolicy::STRICT,
        Some(Refusal::Address { ip: "127.0.0.1".parse().expect("literal"), class: AddressClass::Loopback })
    )]
    #[case(
        "https://10.0.0.1/",
        AddressPolicy::LOCAL,
        Some(Refusal::Address { ip: "10.0.0.1".parse().expect("literal"), class: AddressClass::Private })
    )]
    #[case(
        "https://[fe80::1]/",
        AddressPolicy::LOCAL,
        Some(Refusal::Address { ip: "fe80::1".parse().expect("literal"), class: AddressClass::LinkLocal })
    )]
    #[case(
        "https://[2002:a00:1::1]/rdap/",
        AddressPolicy::LOCAL,
        Some(Refusal::Address { ip: "2002:a00:1::1".parse().expect("literal"), class: AddressClass::Private })
    )]
    #[case(
        "https://[64:ff9b:1::a00:1]/rdap/",
        AddressPolicy::STRICT,
        Some(Refusal::Address { ip: "64:ff9b:1::a00:1".parse().expect("literal"), class: AddressClass::Reserved })
    )]
    #[case(
        "https://[::ffff:169.254.169.254]/latest/",
        AddressPolicy::LOCAL,
        Some(Refusal::Address { ip: "::ffff:169.254.169.254".parse().expect("literal"), class: AddressClass::LinkLocal })
    )]
    fn url_checks(
        #[case] url: &str,
        #[case] policy: AddressPolicy,
        #[case] refusal: Option<Refusal>,
    ) {
        let url = Url::parse(url).expect("test literal");
        assert_eq!(policy.check_url(&url).err(), refusal);
    }

    #[test]
    fn refusal_messages_say_what_and_why() {
        let refusal = AddressPolicy::STRICT
            .check_url(&Url::parse("https://127.0.0.1/").expect("literal"))
            .expect_err("loopback is refused by default");
        assert_eq!(
            refusal.to_string(),
            "127.0.0.1 is a loopback address (allowed only with --allow-loopback)"
        );
        let refusal = AddressPolicy::LOCAL
            .check_url(&Url::parse("https://10.0.0.1/").expect("literal"))
            .expect_err("private is always refused");
        assert_eq!(refusal.to_string(), "10.0.0.1 is a private address");
    }
}
