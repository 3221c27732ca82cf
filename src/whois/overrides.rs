//! `--whois-server KEY=HOST[:PORT]`: the user's say over which server is asked.
//!
//! A key without a dot is a TLD (`de=whois.example.net`): every name under it
//! goes to that address, whatever the table or IANA says. A key with a dot is a
//! server host (`whois.markmonitor.com=127.0.0.1:4343`): every connection meant
//! for that host, including a registrar referral or IANA's `refer:`, goes to the
//! given address instead. An override changes where a query goes, never its
//! dialect: a `.de` name still goes out as `-T dn,ace NAME`.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use super::address::{AddressError, ServerAddress, normalise_host};
use super::servers::is_tld;

/// What an override replaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OverrideKey {
    /// All names under this TLD (lower case, A-label).
    Tld(String),
    /// All connections meant for this server host (lower case).
    Host(String),
}

/// One `KEY=HOST[:PORT]` value, as clap reads it from the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerOverride {
    pub key: OverrideKey,
    pub address: ServerAddress,
}

/// Why a `--whois-server` value was refused (bad input: exit status 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    /// The value has no `=`; write it as `TLD=HOST[:PORT]`, e.g. `de=whois.denic.de`.
    #[error("{input:?} is not TLD=HOST[:PORT] (e.g. de=whois.denic.de:43)")]
    MissingEquals { input: String },
    /// Left of `=` is neither a TLD (one label, A-label form) nor a host name.
    #[error("{key:?} in {input:?} is neither a TLD nor a server host name")]
    BadKey { input: String, key: String },
    /// Right of `=` is not a valid `host[:port]`.
    #[error("bad server in {input:?}: {source}")]
    BadAddress { input: String, source: AddressError },
}

impl FromStr for ServerOverride {
    type Err = OverrideError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let (key, server) = input
            .split_once('=')
            .ok_or_else(|| OverrideError::MissingEquals {
                input: input.escape_debug().to_string(),
            })?;
        ServerOverride::new(key, server)
    }
}

impl ServerOverride {
    /// The override of `key` (a TLD or a server host) by `server`
    /// (`HOST[:PORT]`): the parts of `KEY=HOST[:PORT]`, as a settings file
    /// gives them.
    pub fn new(key: &str, server: &str) -> Result<Self, OverrideError> {
        let input = format!("{key}={server}");
        let shown = || input.escape_debug().to_string();
        let key_text = key.trim_matches(' ').to_ascii_lowercase();
        let key_text = key_text.strip_prefix('.').unwrap_or(&key_text);
        let key = if is_tld(key_text) {
            OverrideKey::Tld(key_text.to_owned())
        } else {
            match normalise_host(key_text) {
                Some(host) if host.contains(['.', ':']) => OverrideKey::Host(host),
                _ => {
                    return Err(OverrideError::BadKey {
                        input: shown(),
                        key: key.escape_debug().to_string(),
                    });
                }
            }
        };
        let address = server.parse().map_err(|source| OverrideError::BadAddress {
            input: shown(),
            source,
        })?;
        Ok(Self { key, address })
    }
}

impl fmt::Display for ServerOverride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            OverrideKey::Tld(tld) => write!(f, "{tld}={}", self.address),
            OverrideKey::Host(host) => write!(f, "{host}={}", self.address),
        }
    }
}

/// All overrides of a run; for a repeated key the last one wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerOverrides {
    by_key: HashMap<OverrideKey, ServerAddress>,
}

impl ServerOverrides {
    /// Adds one override, replacing an earlier one for the same key.
    pub fn insert(&mut self, entry: ServerOverride) {
        self.by_key.insert(entry.key, entry.address);
    }

    /// Reads every `--whois-server` value; the first malformed one is the error.
    pub fn parse_all<'a>(values: impl IntoIterator<Item = &'a str>) -> Result<Self, OverrideError> {
        values
            .into_iter()
            .map(str::parse)
            .collect::<Result<Vec<ServerOverride>, _>>()
            .map(Self::from_iter)
    }

    /// The address the user gave for names under `tld`.
    pub fn for_tld(&self, tld: &str) -> Option<&ServerAddress> {
        self.by_key.get(&OverrideKey::Tld(tld.to_owned()))
    }

    /// Where a connection meant for `address` really goes: the user's
    /// replacement for its host, else `address` itself.
    pub fn redirect<'a>(&'a self, address: &'a ServerAddress) -> &'a ServerAddress {
        self.by_key
            .get(&OverrideKey::Host(address.host().to_owned()))
            .unwrap_or(address)
    }
}

impl FromIterator<ServerOverride> for ServerOverrides {
    fn from_iter<I: IntoIterator<Item = ServerOverride>>(entries: I) -> Self {
        let mut overrides = Self::default();
        for entry in entries {
            overrides.insert(entry);
        }
        overrides
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("de=127.0.0.1:4343", "de=127.0.0.1:4343")]
    #[case("DE=whois.denic.de", "de=whois.denic.de:43")]
    #[case(".jp=whois.jprs.jp:43", "jp=whois.jprs.jp:43")]
    #[case("xn--p1ai=[::1]:10043", "xn--p1ai=[::1]:10043")]
    #[case(
        "whois.markmonitor.com=127.0.0.1:5555",
        "whois.markmonitor.com=127.0.0.1:5555"
    )]
    fn reads_overrides(#[case] input: &str, #[case] shown: &str) {
        let entry: ServerOverride = input.parse().unwrap();
        assert_eq!(entry.to_string(), shown);
    }

    #[rstest]
    #[case("de", "equals")]
    #[case("127.0.0.1:4343", "equals")]
    #[case("=whois.denic.de", "key")]
    #[case("d e=whois.denic.de", "key")]
    #[case("-de=whois.denic.de", "key")]
    #[case("de\n=whois.denic.de", "key")]
    #[case("de=", "address")]
    #[case("de=whois denic.de", "address")]
    #[case("de=whois.denic.de:0", "address")]
    #[case("de=whois.denic.de:99999", "address")]
    #[case("de=whois.denic.de:43\r\n", "address")]
    fn refuses_malformed_overrides(#[case] input: &str, #[case] part: &str) {
        let kind = match input.parse::<ServerOverride>().unwrap_err() {
            OverrideError::MissingEquals { .. } => "equals",
            OverrideError::BadKey { .. } => "key",
            OverrideError::BadAddress { .. } => "address",
        };
        assert_eq!(kind, part, "{input:?}");
    }

    #[test]
    fn tld_and_host_keys_apply_separately_and_last_wins() {
        let overrides = ServerOverrides::parse_all([
            "de=127.0.0.1:1",
            "de=127.0.0.1:2",
            "whois.markmonitor.com=127.0.0.1:3",
        ])
        .unwrap();
        assert_eq!(overrides.for_tld("de").unwrap().to_string(), "127.0.0.1:2");
        assert!(overrides.for_tld("com").is_none());
        let markmonitor: ServerAddress = "whois.markmonitor.com".parse().unwrap();
        assert_eq!(overrides.redirect(&markmonitor).to_string(), "127.0.0.1:3");
        let denic: ServerAddress = "whois.denic.de".parse().unwrap();
        assert_eq!(overrides.redirect(&denic), &denic);
    }
}
