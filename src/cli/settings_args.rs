//! Flags that every command computing a lifecycle shares (`check`,
//! `show`, `timeline`, `policies`): the settings file and a policy file;
//! and the lowering of a lookup command's flags into [`Flags`], which
//! [`crate::run::settings`] merges with the settings file.

use std::path::PathBuf;

use anyhow::anyhow;
use clap::Args;

use super::error::bad_input;
use super::fetch_args::FetchArgs;
use super::lookup_args::LookupArgs;
use super::store_args::StoreArgs;
use crate::run::{Flags, LifecycleSettings, OpenError, Resources, RunSettings, SettingsError};

/// `--config` and `--policy-file`.
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Settings file (thresholds per tier, policy entries, server overrides,
    /// rates) [default: domlife.toml in the working directory, if there is
    /// one].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// A TOML policy file adding or overriding entries of the built-in
    /// table (and of the settings file).
    #[arg(long = "policy-file", value_name = "FILE")]
    pub policy_file: Option<PathBuf>,
}

impl ConfigArgs {
    /// The lifecycle settings of `timeline` and `policies`.
    pub fn lifecycle(&self, as_of: Option<&str>) -> anyhow::Result<LifecycleSettings> {
        LifecycleSettings::resolve(self.config.as_deref(), self.policy_file.as_deref(), as_of)
            .map_err(settings_error)
    }
}

/// The settings of a command that looks names up (`check`, `show`).
pub fn run_settings(
    config: &ConfigArgs,
    lookup: &LookupArgs,
    fetch: &FetchArgs,
    store: &StoreArgs,
    as_of: Option<&str>,
) -> anyhow::Result<RunSettings> {
    let flags = Flags {
        config: config.config.clone(),
        policy_file: config.policy_file.clone(),
        as_of: as_of.map(str::to_owned),
        lookup: lookup.flags(),
        pacing: fetch.gate_config(),
        rates: fetch.rate.clone(),
        answers: store.flags(),
        dns: lookup.dns.flags(),
    };
    RunSettings::resolve(flags).map_err(settings_error)
}

/// Bad settings are the user's to fix (exit 2); a broken built-in table
/// is a bug (exit 1).
pub fn settings_error(error: SettingsError) -> anyhow::Error {
    if error.is_bad_input() {
        bad_input(error)
    } else {
        anyhow!(error)
    }
}

/// Opens what `settings` name, telling the user what they should know
/// about the choices made (a corrupt cached bootstrap, skipped).
pub fn open(settings: &RunSettings) -> anyhow::Result<Resources> {
    let warning = crate::lookup::StoreWarning::new(|message| {
        eprintln!("domlife: warning: {}", crate::escape::printable(message));
    });
    let resources = Resources::open(settings, warning).map_err(|error: OpenError| {
        if error.is_bad_input() {
            bad_input(error)
        } else {
            anyhow!(error)
        }
    })?;
    for note in &resources.notes {
        eprintln!("domlife: warning: {}", crate::escape::printable(note));
    }
    Ok(resources)
}
