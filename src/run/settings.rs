//! [`RunSettings`]: everything a run needs to know, merged once from the
//! command line, `domlife.toml` and the defaults, into typed values.
//!
//! This is the only place where the three meet. The command line lowers
//! its flags into [`Flags`] (typed by clap, nothing merged), the file is
//! read into [`ConfigFile`] (typed at load time), and [`RunSettings::resolve`]
//! lays one over the other: the file first, then the flags, so a flag for
//! the same TLD or host wins. Every command that looks names up or
//! computes a lifecycle (`check`, `show`, `timeline`, `policies`) takes its
//! settings from here, so `show NAME` sees the same policy entries, server
//! overrides, rates and thresholds as `check`.

use std::path::{Path, PathBuf};

use super::config_file::{ConfigError, ConfigFile};
use super::date_input::{self, DateInputError};
use crate::audit::AsOf;
use crate::dns::{DnsConfig, DnsServer, RefusedDnsServer};
use crate::fetch::{GateConfig, RateOverride, RateTable};
use crate::lifecycle::{PolicyError, PolicyTable};
use crate::lookup::Order;
use crate::rdap::ClientConfig;
use crate::rdap::bootstrap::ServerOverride;
use crate::rdap::bootstrap::cache::LoadOptions;
use crate::reconcile::Thresholds;
use crate::store::{CachePolicy, DEFAULT_FILE_NAME};
use crate::whois::{self, WhoisConfig};

/// What the command line says, typed but not merged with anything.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// `--config FILE` (else `domlife.toml` in the working directory).
    pub config: Option<PathBuf>,
    /// `--policy-file FILE`.
    pub policy_file: Option<PathBuf>,
    /// `--as-of`, as typed (read here, so its error names the flag).
    pub as_of: Option<String>,
    pub lookup: LookupFlags,
    /// `--concurrency`, `--retries`... Its rate table is rebuilt here from
    /// the file's rates and [`Flags::rates`].
    pub pacing: GateConfig,
    /// `--rate HOST=RATE`, in order.
    pub rates: Vec<RateOverride>,
    pub answers: AnswerFlags,
    pub dns: DnsFlags,
}

/// The DNS flags: whether to ask, whom, how patiently.
#[derive(Debug, Clone, Default)]
pub struct DnsFlags {
    /// `--dns`.
    pub ask: bool,
    /// `--dns-server`, in order (used when DNS is asked).
    pub servers: Vec<DnsServer>,
    /// `--dns-timeout` (else the default).
    pub timeout: Option<std::time::Duration>,
    /// `--dns-concurrency` (else the default).
    pub concurrency: Option<usize>,
}

/// The lookup flags: clients, servers, protocol order.
#[derive(Debug, Clone, Default)]
pub struct LookupFlags {
    /// The RDAP client: address policy and deadlines.
    pub client: ClientConfig,
    /// `--bootstrap FILE`.
    pub bootstrap_file: Option<PathBuf>,
    /// `--cache-dir` (or `DOMLIFE_CACHE_DIR`); the user's cache directory
    /// when not given.
    pub cache_dir: Option<PathBuf>,
    /// `--rdap-server TLD=URL`, in order.
    pub rdap_servers: Vec<ServerOverride>,
    /// `--whois-server KEY=HOST[:PORT]`, in order.
    pub whois_servers: Vec<whois::ServerOverride>,
    pub order: Order,
}

/// Where answers come from and what is kept of them.
#[derive(Debug, Clone, Default)]
pub struct AnswerFlags {
    /// `--replay DIR`: captured answers instead of the network.
    pub replay: Option<PathBuf>,
    /// `--record DIR`.
    pub record: Option<PathBuf>,
    /// `--no-store`.
    pub no_store: bool,
    /// `--store FILE`.
    pub store: Option<PathBuf>,
    /// `--max-age`, `--refresh`, `--offline`.
    pub cache: CachePolicy,
}

/// The settings of a run, resolved.
#[derive(Debug, Clone)]
pub struct RunSettings {
    pub lifecycle: LifecycleSettings,
    pub lookup: LookupSettings,
    /// Per-host rates (built-in table, the file's `[rates]`, `--rate`),
    /// concurrency, retries, patience.
    pub pacing: GateConfig,
    pub answers: AnswerSettings,
    /// How DNS is asked after each lookup; `None`: it is not (no `--dns`,
    /// no `dns = true`).
    pub dns: Option<DnsConfig>,
}

/// What a lifecycle is computed with.
#[derive(Debug, Clone)]
pub struct LifecycleSettings {
    /// Built-in table, then the file's `[[entry]]`, then `--policy-file`.
    pub policies: PolicyTable,
    /// `expiring` windows, from the file.
    pub thresholds: Thresholds,
    /// The date the audit is made for (now, or `--as-of`).
    pub as_of: AsOf,
}

/// How names are looked up.
#[derive(Debug, Clone)]
pub struct LookupSettings {
    pub client: ClientConfig,
    /// The bootstrap to load, with the file's and the flags' overrides.
    pub bootstrap: LoadOptions,
    /// The WHOIS client, with the file's and the flags' overrides.
    pub whois: WhoisConfig,
    pub order: Order,
}

/// Where a run's answers come from.
#[derive(Debug, Clone)]
pub enum AnswerSettings {
    /// A capture directory, instead of the network.
    Replay(PathBuf),
    /// The registries, with the store (unless `--no-store`) and a capture
    /// directory to record into.
    Network {
        store: Option<StoreSettings>,
        record: Option<PathBuf>,
    },
}

/// The answer store of a live run.
#[derive(Debug, Clone)]
pub struct StoreSettings {
    pub path: PathBuf,
    pub policy: CachePolicy,
    /// The store is the default one, in the cache directory, which is
    /// created when it does not exist yet.
    pub in_cache_dir: bool,
}

/// Why settings cannot be resolved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// `domlife.toml` (or `--config`) is wrong: the message names the file,
    /// the key and the value.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// `--policy-file` cannot be read: check the path and its permissions.
    #[error("cannot read policy file {path}: {reason}")]
    PolicyFileRead { path: String, reason: String },
    /// `--policy-file` is not a valid policy file.
    #[error(transparent)]
    PolicyFile(PolicyError),
    /// The built-in policy table does not load: a bug in domlife.
    #[error("the built-in policy table is broken: {0}")]
    Builtin(PolicyError),
    /// `--as-of` is not a date.
    #[error(transparent)]
    AsOf(#[from] DateInputError),
    /// A `--dns-server` the address policy refuses.
    #[error(transparent)]
    DnsServer(#[from] RefusedDnsServer),
    /// The default store needs a cache directory and this system has none:
    /// give `--store FILE` or `--no-store`.
    #[error("this system has no cache directory: give --store FILE or --no-store")]
    NoCacheDir,
}

impl SettingsError {
    /// True when the user's input is at fault (everything but a broken
    /// built-in table).
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, SettingsError::Builtin(_))
    }
}

impl RunSettings {
    /// Reads the settings file the flags point at and merges it with them.
    pub fn resolve(flags: Flags) -> Result<RunSettings, SettingsError> {
        let file = ConfigFile::load(flags.config.as_deref())?;
        RunSettings::merge(flags, &file)
    }

    /// Lays `flags` over `file` over the defaults.
    pub fn merge(flags: Flags, file: &ConfigFile) -> Result<RunSettings, SettingsError> {
        let lifecycle =
            LifecycleSettings::merge(file, flags.policy_file.as_deref(), flags.as_of.as_deref())?;
        let cache_dir = flags
            .lookup
            .cache_dir
            .clone()
            .or_else(crate::rdap::bootstrap::cache::default_cache_dir);
        let answers = flags.answers.resolve(cache_dir.as_deref())?;
        let rates: Vec<&RateOverride> = file.rates.iter().chain(&flags.rates).collect();
        let pacing = GateConfig {
            rates: RateTable::with_overrides(rates),
            ..flags.pacing
        };
        let dns = flags.dns.resolve(file, flags.lookup.client.policy)?;
        Ok(RunSettings {
            lifecycle,
            lookup: flags.lookup.merge(file, cache_dir),
            pacing,
            answers,
            dns,
        })
    }
}

impl LifecycleSettings {
    /// The policy table and thresholds of `--config` (or `domlife.toml`)
    /// with `--policy-file` over it, as of `--as-of`: what `timeline` and
    /// `policies` need.
    pub fn resolve(
        config: Option<&Path>,
        policy_file: Option<&Path>,
        as_of: Option<&str>,
    ) -> Result<LifecycleSettings, SettingsError> {
        let file = ConfigFile::load(config)?;
        LifecycleSettings::merge(&file, policy_file, as_of)
    }

    fn merge(
        file: &ConfigFile,
        policy_file: Option<&Path>,
        as_of: Option<&str>,
    ) -> Result<LifecycleSettings, SettingsError> {
        let mut policies = PolicyTable::builtin().map_err(SettingsError::Builtin)?;
        file.apply_policies(&mut policies)
            .map_err(|error| SettingsError::Config(ConfigError::Policy(error)))?;
        if let Some(path) = policy_file {
            let origin = path.display().to_string();
            let text =
                std::fs::read_to_string(path).map_err(|error| SettingsError::PolicyFileRead {
                    path: origin.clone(),
                    reason: error.to_string(),
                })?;
            policies
                .merge(&text, &origin)
                .map_err(SettingsError::PolicyFile)?;
        }
        Ok(LifecycleSettings {
            policies,
            thresholds: file.thresholds.clone(),
            as_of: date_input::as_of(as_of)?,
        })
    }
}

impl LookupFlags {
    /// The file's server overrides first, so a flag for the same key wins.
    fn merge(self, file: &ConfigFile, cache_dir: Option<PathBuf>) -> LookupSettings {
        let overrides = file.rdap_servers.iter().chain(&self.rdap_servers).cloned();
        let whois_overrides = file
            .whois_servers
            .iter()
            .chain(&self.whois_servers)
            .cloned()
            .collect();
        LookupSettings {
            bootstrap: LoadOptions {
                file: self.bootstrap_file,
                cache_dir,
                overrides: overrides.collect(),
            },
            whois: WhoisConfig {
                connect_timeout: self.client.connect_timeout,
                total_timeout: self.client.timeout,
                allow_loopback: self.client.policy.allow_loopback,
                overrides: whois_overrides,
                ..WhoisConfig::default()
            },
            client: self.client,
            order: self.order,
        }
    }
}

impl DnsFlags {
    /// DNS is asked with `--dns` or `dns = true`; the servers must pass
    /// the run's address policy.
    fn resolve(
        self,
        file: &ConfigFile,
        policy: crate::net::AddressPolicy,
    ) -> Result<Option<DnsConfig>, SettingsError> {
        if !(self.ask || file.dns == Some(true)) {
            return Ok(None);
        }
        let defaults = DnsConfig::default();
        let config = DnsConfig {
            servers: self.servers,
            timeout: self.timeout.unwrap_or(defaults.timeout),
            concurrency: self.concurrency.unwrap_or(defaults.concurrency),
            policy,
        };
        config.check()?;
        Ok(Some(config))
    }
}

impl AnswerFlags {
    fn resolve(self, cache_dir: Option<&Path>) -> Result<AnswerSettings, SettingsError> {
        if let Some(dir) = self.replay {
            return Ok(AnswerSettings::Replay(dir));
        }
        let store = match (self.no_store, self.store, cache_dir) {
            (true, _, _) => None,
            (false, Some(path), _) => Some(StoreSettings {
                path,
                policy: self.cache,
                in_cache_dir: false,
            }),
            (false, None, Some(dir)) => Some(StoreSettings {
                path: dir.join(DEFAULT_FILE_NAME),
                policy: self.cache,
                in_cache_dir: true,
            }),
            (false, None, None) => return Err(SettingsError::NoCacheDir),
        };
        Ok(AnswerSettings::Network {
            store,
            record: self.record,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::fetch::HostKey;
    use crate::record::{Protocol, Registrar};

    const FILE: &str = r#"
[thresholds.default]
warning_days = 45
error_days = 10

[servers.rdap]
com = "https://file.example/com/"
net = "https://file.example/net/"

[servers.whois]
de = "whois.file.example:4343"

[rates]
"rdap.file.example" = "30/m"
"rdap.both.example" = "1/s"

[[entry]]
id = "file-registrar"
tlds = ["gtld"]
registrar = { label = "File Registrar", names = ["File Registrar"], iana_ids = [99999] }
grace = { value = 20, source = "our contract", confidence = "V" }
"#;

    fn file() -> ConfigFile {
        ConfigFile::parse(FILE, "domlife.toml").unwrap()
    }

    fn flags() -> Flags {
        Flags {
            as_of: Some("2025-06-01".to_owned()),
            answers: AnswerFlags {
                no_store: true,
                ..AnswerFlags::default()
            },
            ..Flags::default()
        }
    }

    #[test]
    fn the_file_gives_what_the_flags_do_not() {
        let settings = RunSettings::merge(flags(), &file()).unwrap();
        let lifecycle = &settings.lifecycle;
        assert_eq!(lifecycle.thresholds.for_tier(None).warning_days, 45);
        let registrar = Registrar {
            name: Some("File Registrar".to_owned()),
            iana_id: None,
        };
        let policy = lifecycle.policies.resolve("com", Some(&registrar));
        assert_eq!(policy.grace.value().to_string(), "20");
        let servers: Vec<String> = settings
            .lookup
            .bootstrap
            .overrides
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            servers,
            [
                "com=https://file.example/com/",
                "net=https://file.example/net/"
            ]
        );
        let (rate, _) = settings
            .pacing
            .rates
            .rate_for(&HostKey::new(Protocol::Rdap, "rdap.file.example"));
        assert_eq!(rate.interval(), Duration::from_secs(2));
        assert!(matches!(
            settings.answers,
            AnswerSettings::Network { store: None, .. }
        ));
    }

    #[test]
    fn flags_win_over_the_file() {
        let mut flags = flags();
        flags.lookup.rdap_servers = vec!["com=https://flag.example/com/".parse().unwrap()];
        flags.rates = vec!["rdap.both.example=5/s".parse().unwrap()];
        flags.lookup.whois_servers = vec!["de=whois.flag.example".parse().unwrap()];
        let settings = RunSettings::merge(flags, &file()).unwrap();
        // The bootstrap applies overrides in order: the flag's comes last.
        let last_com = settings
            .lookup
            .bootstrap
            .overrides
            .iter()
            .rev()
            .find(|o| o.suffix == "com")
            .map(ToString::to_string);
        assert_eq!(last_com.as_deref(), Some("com=https://flag.example/com/"));
        let (rate, _) = settings
            .pacing
            .rates
            .rate_for(&HostKey::new(Protocol::Rdap, "rdap.both.example"));
        assert_eq!(rate.interval(), Duration::from_millis(200));
        let de = settings.lookup.whois.overrides.for_tld("de");
        assert_eq!(
            de.map(ToString::to_string).as_deref(),
            Some("whois.flag.example:43")
        );
    }

    #[test]
    fn a_policy_file_comes_after_the_settings_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mine.toml");
        std::fs::write(
            &path,
            "[[entry]]\nid = \"file-registrar\"\ntlds = [\"gtld\"]\n\
             registrar = { label = \"File Registrar\", names = [\"File Registrar\"] }\n\
             grace = { value = 3, source = \"newer contract\", confidence = \"V\" }\n",
        )
        .unwrap();
        let lifecycle = LifecycleSettings::merge(&file(), Some(&path), None).unwrap();
        let registrar = Registrar {
            name: Some("File Registrar".to_owned()),
            iana_id: None,
        };
        let policy = lifecycle.policies.resolve("com", Some(&registrar));
        assert_eq!(policy.grace.value().to_string(), "3");
    }

    #[test]
    fn errors_say_whose_fault_they_are() {
        let missing = Path::new("/nonexistent/policies.toml");
        let error = LifecycleSettings::merge(&file(), Some(missing), None).unwrap_err();
        assert!(
            matches!(error, SettingsError::PolicyFileRead { .. }),
            "{error}"
        );
        assert!(error.is_bad_input());
        let error = LifecycleSettings::merge(&file(), None, Some("soon")).unwrap_err();
        assert!(matches!(error, SettingsError::AsOf(_)), "{error}");
    }

    #[test]
    fn dns_is_asked_with_the_flag_or_the_file_and_its_servers_are_checked() {
        assert_eq!(RunSettings::merge(flags(), &file()).unwrap().dns, None);
        let server: DnsServer = "127.0.0.1:5353".parse().unwrap();
        let mut named = flags();
        named.dns.servers = vec![server];
        named.lookup.client.policy.allow_loopback = true;
        // A server named without --dns asks nothing.
        assert_eq!(
            RunSettings::merge(named.clone(), &file()).unwrap().dns,
            None
        );
        let on = ConfigFile::parse("dns = true\n", "domlife.toml").unwrap();
        let dns = RunSettings::merge(named.clone(), &on).unwrap().dns.unwrap();
        assert_eq!(dns.servers, [server]);
        assert_eq!(dns.timeout, Duration::from_secs(5));
        named.lookup.client.policy.allow_loopback = false;
        named.dns.ask = true;
        let error = RunSettings::merge(named, &file()).unwrap_err();
        assert!(matches!(error, SettingsError::DnsServer(_)), "{error}");
        assert!(error.is_bad_input());
    }

    #[test]
    fn the_default_store_lives_in_the_cache_directory() {
        let answers = AnswerFlags::default()
            .resolve(Some(Path::new("/cache")))
            .unwrap();
        let AnswerSettings::Network {
            store: Some(store), ..
        } = answers
        else {
            panic!("no store: {answers:?}");
        };
        assert_eq!(store.path, Path::new("/cache").join(DEFAULT_FILE_NAME));
        assert!(store.in_cache_dir);
        assert!(matches!(
            AnswerFlags::default().resolve(None),
            Err(SettingsError::NoCacheDir)
        ));
    }
}
