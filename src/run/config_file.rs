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
//! dns = true                    # like --dns: ask DNS after each lookup
//!
//! [[entry]]                     # policy entries, as in a --policy-file
//! id = "my-registrar"
//! # ...
//! ```
//!
//! The file is found in the working directory or given with `--config`.
//! Every value is read into its typed form when the file is loaded, so a
//! bad one fails before any lookup with the file, the key and the value;
//! nothing is kept as text to be parsed again later. Unknown keys are an
//! error that names them: a misspelt threshold must not silently fall back
//! to the default. How the file combines with flags is
//! [`super::settings`]'s business.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::fetch::RateOverride;
use crate::lifecycle::{PolicyEntry, PolicyError, PolicyTable};
use crate::reconcile::Thresholds;
use crate::{rdap, whois};

/// The file looked for in the working directory.
pub const DEFAULT_FILE: &str = "domlife.toml";

/// The settings of `domlife.toml`, each value in its typed form.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    /// Where the settings came from (`None`: no file, the defaults).
    pub origin: Option<String>,
    pub thresholds: Thresholds,
    /// `[servers.rdap]`, in key order.
    pub rdap_servers: Vec<rdap::bootstrap::ServerOverride>,
    /// `[servers.whois]`, in key order.
    pub whois_servers: Vec<whois::ServerOverride>,
    /// `[rates]`, in key order.
    pub rates: Vec<RateOverride>,
    /// `[[entry]]`: policy entries in the `--policy-file` format, checked.
    pub policy_entries: Vec<PolicyEntry>,
    /// `dns = true`: ask DNS about every name, as `--dns` does.
    pub dns: Option<bool>,
}

/// The file as TOML, before its values are checked.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// Read as any value so that a wrong one (`dns = "yes"`) is reported
    /// like every other bad value, with the key and the value.
    #[serde(default)]
    dns: Option<toml::Value>,
    #[serde(default)]
    thresholds: Thresholds,
    #[serde(default)]
    servers: RawServers,
    #[serde(default)]
    rates: BTreeMap<String, String>,
    #[serde(default)]
    entry: Vec<PolicyEntry>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawServers {
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
    /// A value is malformed: the key says where, the reason says why.
    #[error("{path}: {key} = {value:?}: {reason}")]
    Value {
        path: String,
        key: String,
        value: String,
        reason: String,
    },
    /// A policy entry is malformed (see the policy-file format).
    #[error("{0}")]
    Policy(PolicyError),
}

impl ConfigFile {
    /// Reads `path`, or `domlife.toml` in the working directory when there
    /// is one; no file at all is the default configuration.
    pub fn load(path: Option<&Path>) -> Result<ConfigFile, ConfigError> {
        let (path, required) = match path {
            Some(path) => (path.to_path_buf(), true),
            None => (PathBuf::from(DEFAULT_FILE), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => ConfigFile::parse(&text, &path.display().to_string()),
            Err(error) if !required && error.kind() == std::io::ErrorKind::NotFound => {
                Ok(ConfigFile::default())
            }
            Err(error) => Err(ConfigError::Read {
                path: path.display().to_string(),
                reason: error.to_string(),
            }),
        }
    }

    /// Reads settings from TOML text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<ConfigFile, ConfigError> {
        let raw: RawFile = toml::from_str(text).map_err(|error| ConfigError::Parse {
            path: origin.to_owned(),
            reason: one_line(&error.to_string()),
        })?;
        let value_error = |key: String, value: &str, reason: String| ConfigError::Value {
            path: origin.to_owned(),
            key,
            value: value.to_owned(),
            reason,
        };
        let rdap_servers = typed(&raw.servers.rdap, |key, value| {
            rdap::bootstrap::ServerOverride::new(key, value).map_err(|error| {
                value_error(format!("servers.rdap.{key}"), value, error.to_string())
            })
        })?;
        let whois_servers = typed(&raw.servers.whois, |key, value| {
            whois::ServerOverride::new(key, value).map_err(|error| {
                value_error(format!("servers.whois.{key}"), value, error.to_string())
            })
        })?;
        let rates = typed(&raw.rates, |host, rate| {
            RateOverride::new(host, rate)
                .map_err(|error| value_error(format!("rates.{host}"), rate, error.to_string()))
        })?;
        let dns = match &raw.dns {
            None => None,
            Some(toml::Value::Boolean(ask)) => Some(*ask),
            Some(other) => {
                let shown = match other {
                    toml::Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                return Err(value_error(
                    "dns".to_owned(),
                    &shown,
                    "expected true or false".to_owned(),
                ));
            }
        };
        // The entries are checked against the built-in table now, so a bad
        // one fails at load time like every other value.
        let mut table = PolicyTable::builtin().map_err(ConfigError::Policy)?;
        table
            .add_entries(raw.entry.clone(), origin)
            .map_err(ConfigError::Policy)?;
        Ok(ConfigFile {
            origin: Some(origin.to_owned()),
            thresholds: raw.thresholds,
            rdap_servers,
            whois_servers,
            rates,
            policy_entries: raw.entry,
            dns,
        })
    }

    /// Adds the file's policy entries to `table`.
    pub fn apply_policies(&self, table: &mut PolicyTable) -> Result<(), PolicyError> {
        match &self.origin {
            Some(origin) if !self.policy_entries.is_empty() => {
                table.add_entries(self.policy_entries.clone(), origin)
            }
            _ => Ok(()),
        }
    }
}

/// Each `key = "value"` of a table, read by `read`; the first bad one is
/// the error.
fn typed<T>(
    table: &BTreeMap<String, String>,
    read: impl Fn(&str, &str) -> Result<T, ConfigError>,
) -> Result<Vec<T>, ConfigError> {
    table.iter().map(|(key, value)| read(key, value)).collect()
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
dns = true

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

    fn parsed(text: &str) -> ConfigFile {
        ConfigFile::parse(text, "domlife.toml").unwrap_or_else(|error| panic!("{error}"))
    }

    fn refusal(text: &str) -> String {
        match ConfigFile::parse(text, "x.toml") {
            Ok(config) => panic!("accepted: {config:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn reads_every_section_into_typed_values() {
        let config = parsed(FULL);
        assert_eq!(config.dns, Some(true));
        assert_eq!(parsed("").dns, None);
        assert_eq!(parsed("dns = false\n").dns, Some(false));
        assert_eq!(config.thresholds.for_tier(None).warning_days, 45);
        assert_eq!(
            config.thresholds.for_tier(Some("CORE")),
            Threshold {
                warning_days: 60,
                error_days: 14
            }
        );
        let rdap: Vec<String> = config.rdap_servers.iter().map(|s| s.to_string()).collect();
        assert_eq!(rdap, ["com=https://rdap.example/com/"]);
        let whois: Vec<String> = config.whois_servers.iter().map(|s| s.to_string()).collect();
        assert_eq!(whois, ["de=whois.example.de:4343"]);
        assert_eq!(config.rates.len(), 1);
        assert_eq!(config.rates[0].host, "whois.example.de");
        assert_eq!(
            config.rates[0].rate.interval(),
            std::time::Duration::from_secs(2)
        );
        let mut table = PolicyTable::builtin().unwrap_or_else(|error| panic!("{error}"));
        config
            .apply_policies(&mut table)
            .unwrap_or_else(|error| panic!("{error}"));
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
        let message = refusal("[thresholds]\nwarn_days = 3\n");
        assert!(message.contains("x.toml"), "{message}");
        assert!(message.contains("warn_days"), "{message}");
        assert!(!message.contains('\n'), "{message}");
        assert!(refusal("colour = true\n").contains("colour"));
    }

    #[test]
    fn bad_values_name_the_file_the_key_and_the_value() {
        let message = refusal("[servers.whois]\nde = \"not a host!\"\n");
        assert!(
            message.starts_with("x.toml: servers.whois.de = \"not a host!\": "),
            "{message}"
        );
        let message = refusal("[servers.rdap]\ncom = \"ftp://rdap.example/\"\n");
        assert!(
            message.starts_with("x.toml: servers.rdap.com = \"ftp://rdap.example/\": "),
            "{message}"
        );
        let message = refusal("dns = \"yes\"\n");
        assert_eq!(message, "x.toml: dns = \"yes\": expected true or false");
        let message = refusal("dns = 1\n");
        assert_eq!(message, "x.toml: dns = \"1\": expected true or false");
        let message = refusal("[rates]\n\"whois.denic.de\" = \"fast\"\n");
        assert!(
            message.starts_with("x.toml: rates.whois.denic.de = \"fast\": "),
            "{message}"
        );
        let message = refusal("[[entry]]\nid = \"x\"\ntlds = [\"com\"]\ngrace = \"long\"\n");
        assert!(message.contains("x.toml"), "{message}");
        let message = refusal("[[entry]]\nid = \"x\"\ntlds = []\n");
        assert!(message.contains("lists no TLDs"), "{message}");
    }

    #[test]
    fn no_file_is_the_default_but_a_named_missing_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let missing = dir.path().join("none.toml");
        assert!(matches!(
            ConfigFile::load(Some(&missing)),
            Err(ConfigError::Read { .. })
        ));
    }
}
