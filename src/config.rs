//! `domlife.toml`: the settings a team keeps beside its domain lists, so
//! that a scheduled audit and a person at a terminal see the same thing.
//!
//! ```toml
//! [thresholds.default]          # when `expiring` warns and errs (days)
//! warning_days = 30
//! error_days = 7
//! [thresholds.tiers.core]       # per CSV `tier`
//! warning_days = 60
//! error_days = 14
//!
//! [servers.rdap]                # like --rdap-server
//! com = "https://rdap.example/com/"
//! [servers.whois]               # like --whois-server
//! de = "whois.denic.de:43"
//!
//! [rates]                       # like --rate
//! "whois.denic.de" = "30/m"
//!
//! [[entry]]                     # policy entries, as in a --policy-file
//! id = "my-registrar"
//! # ...
//! ```
//!
//! The file is found in the working directory or given with `--config`.
//! Unknown keys are an error that names them: a misspelt threshold must not
//! silently fall back to the default. Command-line flags add to what the
//! file says (a `--rdap-server` for the same TLD wins).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::fetch::RateOverride;
use crate::lifecycle::{PolicyError, PolicyTable};
use crate::reconcile::Thresholds;
use crate::{rdap, whois};

/// The file looked for in the working directory.
pub const DEFAULT_FILE: &str = "domlife.toml";

/// The settings of `domlife.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub thresholds: Thresholds,
    #[serde(default)]
    servers: Servers,
    /// Per-host request rates, `HOST = "RATE"` as `--rate HOST=RATE`.
    #[serde(default)]
    rates: BTreeMap<String, String>,
    /// Policy entries in the `--policy-file` format.
    #[serde(default)]
    entry: Vec<toml::Table>,
    /// Where the settings came from, for messages.
    #[serde(skip)]
    origin: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Servers {
    #[serde(default)]
    rdap: BTreeMap<String, String>,
    #[serde(default)]
    whois: BTreeMap<String, String>,
}

/// Why the configuration cannot be used. Each names the file: fix it there.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file given with `--config` cannot be read.
    #[error("cannot read {path}: {reason}")]
    Read { path: String, reason: String },
    /// The file is not valid TOML or has a key domlife does not know.
    #[error("{path}: {reason}")]
    Parse { path: String, reason: String },
    /// A server override is malformed.
    #[error("{path}: servers.{protocol}.{key}: {reason}")]
    Server {
        path: String,
        protocol: &'static str,
        key: String,
        reason: String,
    },
    /// A rate is malformed: `N/s`, `N/m` or `N/h`.
    #[error("{path}: rates.{host}: {reason}")]
    Rate {
        path: String,
        host: String,
        reason: String,
    },
    /// A policy entry is malformed (see the policy-file format).
    #[error("{0}")]
    Policy(String),
}

impl Config {
    /// Reads `path`, or `domlife.toml` in the working directory when there
    /// is one; no file at all is the default configuration.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let (path, required) = match path {
            Some(path) => (path.to_path_buf(), true),
            None => (PathBuf::from(DEFAULT_FILE), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if !required && error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config::default());
            }
            Err(error) => {
                return Err(ConfigError::Read {
                    path: path.display().to_string(),
                    reason: error.to_string(),
                });
            }
        };
        Config::parse(&text, &path.display().to_string())
    }

    /// Reads settings from TOML text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|error| ConfigError::Parse {
            path: origin.to_owned(),
            reason: one_line(&error.to_string()),
        })?;
        config.origin = origin.to_owned();
        // Check everything now, so a bad file fails before any lookup.
        config.rdap_servers()?;
        config.whois_servers()?;
        config.rates()?;
        config.apply_policies(&mut PolicyTable::builtin().map_err(policy_error)?)?;
        Ok(config)
    }

    /// Adds the file's policy entries to `table`.
    pub fn apply_policies(&self, table: &mut PolicyTable) -> Result<(), ConfigError> {
        if self.entry.is_empty() {
            return Ok(());
        }
        let mut document = toml::Table::new();
        document.insert(
            "entry".to_owned(),
            toml::Value::Array(self.entry.iter().cloned().map(toml::Value::Table).collect()),
        );
        table
            .merge(&document.to_string(), &self.origin)
            .map_err(policy_error)
    }

    /// The `[servers.rdap]` overrides.
    pub fn rdap_servers(&self) -> Result<Vec<rdap::bootstrap::ServerOverride>, ConfigError> {
        self.servers
            .rdap
            .iter()
            .map(|(key, value)| {
                format!("{key}={value}")
                    .parse()
                    .map_err(|error: rdap::bootstrap::OverrideError| {
                        self.server_error("rdap", key, error.to_string())
                    })
            })
            .collect()
    }

    /// The `[servers.whois]` overrides.
    pub fn whois_servers(&self) -> Result<Vec<whois::ServerOverride>, ConfigError> {
        self.servers
            .whois
            .iter()
            .map(|(key, value)| {
                format!("{key}={value}")
                    .parse()
                    .map_err(|error: whois::OverrideError| {
                        self.server_error("whois", key, error.to_string())
                    })
            })
            .collect()
    }

    /// The `[rates]` overrides.
    pub fn rates(&self) -> Result<Vec<RateOverride>, ConfigError> {
        self.rates
            .iter()
            .map(|(host, rate)| {
                format!("{host}={rate}").parse().map_err(
                    |error: crate::fetch::RateOverrideError| ConfigError::Rate {
                        path: self.origin.clone(),
                        host: host.clone(),
                        reason: error.to_string(),
                    },
                )
            })
            .collect()
    }

    fn server_error(&self, protocol: &'static str, key: &str, reason: String) -> ConfigError {
        ConfigError::Server {
            path: self.origin.clone(),
            protocol,
            key: key.to_owned(),
            reason,
        }
    }
}

fn policy_error(error: PolicyError) -> ConfigError {
    ConfigError::Policy(error.to_string())
}

/// TOML errors span several lines (a snippet with a caret); one line reads
/// better after `domlife:`.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::Threshold;

    const FULL: &str = r#"
[thresholds.default]
warning_days = 45
error_days = 10

[thresholds.tiers.core]
warning_days = 60
error_days = 14

[servers.rdap]
com = "https://rdap.example/com/"

[servers.whois]
de = "whois.example.de:4343"

[rates]
"whois.example.de" = "30/m"

[[entry]]
id = "my-registrar"
tlds = ["gtld"]
registrar = { label = "My Registrar", names = ["My Registrar"], iana_ids = [99999] }
grace = { value = 20, source = "our contract", confidence = "V" }
"#;

    #[test]
    fn reads_every_section() {
        let config = Config::parse(FULL, "domlife.toml").unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(config.thresholds.for_tier(None).warning_days, 45);
        assert_eq!(
            config.thresholds.for_tier(Some("CORE")),
            Threshold {
                warning_days: 60,
                error_days: 14
            }
        );
        assert_eq!(
            config.rdap_servers().map(|servers| servers.len()).ok(),
            Some(1)
        );
        assert_eq!(
            config.whois_servers().map(|servers| servers.len()).ok(),
            Some(1)
        );
        let mut table = PolicyTable::builtin().unwrap_or_else(|error| panic!("{error}"));
        assert!(config.apply_policies(&mut table).is_ok());
        let registrar = crate::record::Registrar {
            name: Some("My Registrar".into()),
            iana_id: None,
        };
        let policy = table.resolve("com", Some(&registrar));
        assert!(
            policy.entries.contains(&"my-registrar".to_owned()),
            "{:?}",
            policy.entries
        );
    }

    #[test]
    fn unknown_keys_are_named() {
        let error = Config::parse("[thresholds]\nwarn_days = 3\n", "x.toml").err();
        let message = error.map(|error| error.to_string()).unwrap_or_default();
        assert!(message.contains("x.toml"), "{message}");
        assert!(message.contains("warn_days"), "{message}");
        assert!(!message.contains('\n'), "{message}");

        let error = Config::parse("colour = true\n", "x.toml").err();
        assert!(error.is_some_and(|error| error.to_string().contains("colour")));
    }

    #[test]
    fn bad_servers_and_policies_are_refused_up_front() {
        let error = Config::parse("[servers.whois]\nde = \"not a host!\"\n", "x.toml").err();
        let message = error.map(|error| error.to_string()).unwrap_or_default();
        assert!(message.contains("servers.whois.de"), "{message}");

        let error = Config::parse(
            "[[entry]]\nid = \"x\"\ntlds = [\"com\"]\ngrace = \"long\"\n",
            "x.toml",
        );
        assert!(error.is_err());
    }

    #[test]
    fn no_file_is_the_default_but_a_named_missing_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let missing = dir.path().join("none.toml");
        assert!(matches!(
            Config::load(Some(&missing)),
            Err(ConfigError::Read { .. })
        ));
    }
}
