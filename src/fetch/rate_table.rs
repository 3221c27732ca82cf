//! Which rate each host starts at: the user's `--rate` overrides first, then
//! the built-in table of large registries and registrars, then a
//! conservative default per protocol.
//!
//! Registries rarely publish figures, and blocks for exceeding unpublished
//! ones are the usual complaint about bulk tools, so the table errs slow.
//! Each entry says where its figure comes from; no entry claims a published
//! limit that was not checked against the registry's own documentation
//! (none could be checked when the table was written, so all are marked as
//! conservative guesses with the reason for the figure). A known or
//! overridden rate is a ceiling: the adaptive slow-down lowers it on a 429
//! and recovers back to it, never above. Only a host at the protocol default
//! may climb higher, and only when the run asks to discover limits
//! ([`super::GateConfig::discover`]).

use std::collections::HashMap;

use super::host_key::HostKey;
use super::rate::{Rate, RateOverride};
use crate::record::Protocol;

/// Default for an RDAP server the table does not list: 5 requests a second,
/// burst 5. RDAP is HTTP with keep-alive and most gTLD servers are run for
/// machine clients; the adaptive slow-down handles the ones that are not.
pub const DEFAULT_RDAP_RATE: Rate = Rate::every_millis(200, 5);

/// Default for a WHOIS server the table does not list: 1 request a second,
/// burst 2. Port-43 servers are older, often quota-driven, and answer an
/// over-quota client by hanging up or with a text notice.
pub const DEFAULT_WHOIS_RATE: Rate = Rate::every_millis(1000, 2);

/// One entry of the built-in table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownHost {
    pub protocol: Protocol,
    /// Lower-case host name.
    pub host: &'static str,
    pub rate: Rate,
    /// Where the figure comes from.
    pub basis: &'static str,
}

const GUESS_STRICT_WHOIS: &str = "conservative guess: this port-43 server is known to cut off \
     bulk clients (quota notice or hang-up); no figure published in a form checked here";
const GUESS_BIG_RDAP: &str = "conservative guess: large gTLD registry RDAP service; no published \
     per-client figure checked here, 429 answers lower it further";
const GUESS_REGISTRAR_RDAP: &str = "conservative guess: registrar RDAP servers are smaller than \
     registry ones; no published per-client figure checked here";

/// The built-in table: large registries and registrars.
pub const KNOWN_HOSTS: &[KnownHost] = &[
    KnownHost {
        protocol: Protocol::Rdap,
        host: "rdap.verisign.com",
        rate: Rate::every_millis(200, 5),
        basis: GUESS_BIG_RDAP,
    },
    KnownHost {
        protocol: Protocol::Rdap,
        host: "rdap.publicinterestregistry.org",
        rate: Rate::every_millis(200, 5),
        basis: GUESS_BIG_RDAP,
    },
    KnownHost {
        protocol: Protocol::Rdap,
        host: "pubapi.registry.google",
        rate: Rate::every_millis(200, 5),
        basis: GUESS_BIG_RDAP,
    },
    KnownHost {
        protocol: Protocol::Rdap,
        host: "rdap.markmonitor.com",
        rate: Rate::every_millis(500, 2),
        basis: GUESS_REGISTRAR_RDAP,
    },
    KnownHost {
        protocol: Protocol::Rdap,
        host: "rdap.godaddy.com",
        rate: Rate::every_millis(500, 2),
        basis: GUESS_REGISTRAR_RDAP,
    },
    KnownHost {
        protocol: Protocol::Whois,
        host: "whois.verisign-grs.com",
        rate: Rate::every_millis(500, 2),
        basis: "conservative guess: thin-registry WHOIS for .com/.net, large capacity, but RDAP \
                is the supported bulk path; twice the generic WHOIS default",
    },
    KnownHost {
        protocol: Protocol::Whois,
        host: "whois.denic.de",
        rate: Rate::every_millis(2000, 1),
        basis: GUESS_STRICT_WHOIS,
    },
    KnownHost {
        protocol: Protocol::Whois,
        host: "whois.cnnic.cn",
        rate: Rate::every_millis(2000, 1),
        basis: GUESS_STRICT_WHOIS,
    },
    KnownHost {
        protocol: Protocol::Whois,
        host: "whois.jprs.jp",
        rate: Rate::every_millis(2000, 1),
        basis: GUESS_STRICT_WHOIS,
    },
    KnownHost {
        protocol: Protocol::Whois,
        host: "whois.nic.uk",
        rate: Rate::every_millis(2000, 1),
        basis: GUESS_STRICT_WHOIS,
    },
    KnownHost {
        protocol: Protocol::Whois,
        host: "whois.eu",
        rate: Rate::every_millis(2000, 1),
        basis: GUESS_STRICT_WHOIS,
    },
];

/// Where a host's rate came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateOrigin {
    /// A `--rate` value.
    Override,
    /// The built-in table.
    Known,
    /// The protocol's default.
    Default,
}

/// Starting rates: overrides, the built-in table, then the defaults.
#[derive(Debug, Clone)]
pub struct RateTable {
    overrides: HashMap<String, Rate>,
    known: &'static [KnownHost],
    default_rdap: Rate,
    default_whois: Rate,
}

impl Default for RateTable {
    /// The built-in table and defaults, no overrides.
    fn default() -> Self {
        RateTable {
            overrides: HashMap::new(),
            known: KNOWN_HOSTS,
            default_rdap: DEFAULT_RDAP_RATE,
            default_whois: DEFAULT_WHOIS_RATE,
        }
    }
}

impl RateTable {
    /// The built-in table with `overrides` laid over it (a later override of
    /// the same host wins).
    pub fn with_overrides<'a>(overrides: impl IntoIterator<Item = &'a RateOverride>) -> Self {
        let mut table = RateTable::default();
        for rate in overrides {
            table.overrides.insert(rate.host.clone(), rate.rate);
        }
        table
    }

    /// The rate `host` starts at and where it came from. An override given
    /// with a port matches that port only; one without matches every port.
    pub fn rate_for(&self, host: &HostKey) -> (Rate, RateOrigin) {
        let overridden = self
            .overrides
            .get(host.host())
            .or_else(|| self.overrides.get(host.host_name()));
        if let Some(rate) = overridden {
            return (*rate, RateOrigin::Override);
        }
        let known = self
            .known
            .iter()
            .find(|known| known.protocol == host.protocol() && known.host == host.host_name());
        if let Some(known) = known {
            return (known.rate, RateOrigin::Known);
        }
        let default = match host.protocol() {
            Protocol::Rdap => self.default_rdap,
            Protocol::Whois => self.default_whois,
        };
        (default, RateOrigin::Default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use std::time::Duration;

    fn override_of(text: &str) -> RateOverride {
        text.parse().expect("valid override")
    }

    #[rstest]
    #[case(Protocol::Whois, "whois.denic.de", 2000, RateOrigin::Known)]
    #[case(Protocol::Rdap, "whois.denic.de", 200, RateOrigin::Default)]
    #[case(Protocol::Rdap, "rdap.verisign.com", 200, RateOrigin::Known)]
    #[case(Protocol::Whois, "whois.example", 1000, RateOrigin::Default)]
    #[case(Protocol::Rdap, "rdap.markmonitor.com", 100, RateOrigin::Override)]
    #[case(Protocol::Rdap, "127.0.0.1:9000", 10, RateOrigin::Override)]
    #[case(Protocol::Rdap, "127.0.0.1:9001", 50, RateOrigin::Override)]
    #[case(Protocol::Rdap, "localhost:9001", 200, RateOrigin::Default)]
    fn resolves_rates(
        #[case] protocol: Protocol,
        #[case] host: &str,
        #[case] interval_ms: u64,
        #[case] origin: RateOrigin,
    ) {
        let overrides = [
            override_of("rdap.markmonitor.com=10/s"),
            override_of("127.0.0.1=20/s"),
            override_of("127.0.0.1:9000=50/s"),
            // The later value for the same host wins.
            override_of("127.0.0.1:9000=100/s"),
        ];
        let table = RateTable::with_overrides(&overrides);
        let (rate, found) = table.rate_for(&HostKey::new(protocol, host));
        assert_eq!(
            (rate.interval(), found),
            (Duration::from_millis(interval_ms), origin),
            "{host}"
        );
    }

    #[test]
    fn known_hosts_are_unique_lower_case_and_sane() {
        for (index, known) in KNOWN_HOSTS.iter().enumerate() {
            assert_eq!(known.host, known.host.to_ascii_lowercase());
            assert!(!known.basis.is_empty());
            assert!(known.rate.interval() >= Duration::from_millis(100));
            assert!(known.rate.burst() >= 1);
            assert!(
                KNOWN_HOSTS[..index]
                    .iter()
                    .all(|other| (other.protocol, other.host) != (known.protocol, known.host)),
                "{} listed twice",
                known.host
            );
        }
    }
}
