//! What a run opens before its first lookup, from its [`RunSettings`]: the
//! answer sources (the store, a capture directory, a recorder), the RDAP
//! bootstrap, both clients behind one gate. Everything here touches the
//! disk or builds a client, so it happens once, after the settings are
//! resolved and before any name is looked up; a wrong path fails here.

use std::sync::Arc;

use super::settings::{AnswerSettings, LookupSettings, RunSettings, StoreSettings};
use crate::dns::DnsClient;
use crate::fetch::{Gate, GateConfig};
use crate::lifecycle::PolicyTable;
use crate::lookup::{Answers, Cache, Keeping, Lookup, Parts, StoreWarning};
use crate::rdap::bootstrap::{BootstrapError, cache};
use crate::rdap::{self, FetchError};
use crate::store::replay::{Recorder, ReplayDir, ReplayError};
use crate::store::{Store, StoreError};
use crate::whois::WhoisClient;

/// A run's lookup and the store its history goes to.
#[derive(Debug)]
pub struct Resources {
    pub lookup: Lookup,
    /// The store of a live run, where its results are recorded; `None`
    /// with `--no-store` or `--replay` (a replay is not a new observation).
    pub history: Option<Store>,
    /// What the user should be told (a corrupt cached bootstrap, skipped).
    pub notes: Vec<String>,
    /// The DNS client, when the run asks DNS (`--dns`).
    pub dns: Option<DnsClient>,
}

/// Why a run cannot start.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The store cannot be opened: check `--store` (or use `--no-store`).
    #[error("{0}")]
    Store(StoreError),
    /// The cache directory for the default store cannot be created.
    #[error("cannot create {path}: {reason}")]
    CacheDir { path: String, reason: String },
    /// `--replay` or `--record` names a directory that cannot be used.
    #[error("{0}")]
    Capture(ReplayError),
    /// The RDAP bootstrap (`--bootstrap` or the cached copy) cannot be read.
    #[error("{0}")]
    Bootstrap(BootstrapError),
    /// The HTTP client cannot be built (the TLS setup failed).
    #[error("cannot set up the HTTP client: {0}")]
    Client(FetchError),
}

impl OpenError {
    /// True when the user's input is at fault: everything but the client.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, OpenError::Client(_))
    }
}

impl Resources {
    /// Opens the answer sources, then loads the bootstrap and builds the
    /// clients. `warning` hears what the store has to say during the run.
    pub fn open(settings: &RunSettings, warning: StoreWarning) -> Result<Resources, OpenError> {
        let answers = open_answers(&settings.answers, warning)?;
        let history = match &answers {
            Answers::Network(Keeping {
                cache: Some(cache), ..
            }) => Some(cache.store.clone()),
            _ => None,
        };
        let (lookup, notes) = build_lookup(
            &settings.lookup,
            settings.lifecycle.policies.clone(),
            settings.pacing.clone(),
            answers,
        )?;
        Ok(Resources {
            lookup,
            history,
            notes,
            dns: settings.dns.as_ref().map(DnsClient::new),
        })
    }
}

fn open_answers(settings: &AnswerSettings, warning: StoreWarning) -> Result<Answers, OpenError> {
    let (store, record) = match settings {
        AnswerSettings::Replay(dir) => {
            return ReplayDir::open(dir)
                .map(Answers::Replay)
                .map_err(OpenError::Capture);
        }
        AnswerSettings::Network { store, record } => (store, record),
    };
    let recorder = match record {
        Some(dir) => Some(Arc::new(Recorder::create(dir).map_err(OpenError::Capture)?)),
        None => None,
    };
    let cache = store.as_ref().map(open_store).transpose()?;
    Ok(Answers::Network(Keeping {
        cache,
        recorder,
        warning,
    }))
}

fn open_store(settings: &StoreSettings) -> Result<Cache, OpenError> {
    if settings.in_cache_dir
        && let Some(dir) = settings.path.parent()
    {
        std::fs::create_dir_all(dir).map_err(|error| OpenError::CacheDir {
            path: dir.display().to_string(),
            reason: error.to_string(),
        })?;
    }
    let store = Store::open(&settings.path).map_err(OpenError::Store)?;
    Ok(Cache {
        store,
        policy: settings.policy,
    })
}

/// The lookup of `settings` behind a gate of `pacing`, and the bootstrap's
/// notes.
fn build_lookup(
    settings: &LookupSettings,
    policies: PolicyTable,
    pacing: GateConfig,
    answers: Answers,
) -> Result<(Lookup, Vec<String>), OpenError> {
    let loaded = cache::load(&settings.bootstrap).map_err(OpenError::Bootstrap)?;
    let rdap = rdap::Client::new(settings.client).map_err(OpenError::Client)?;
    let lookup = Lookup::new(Parts {
        bootstrap: loaded.bootstrap,
        rdap,
        whois: WhoisClient::new(settings.whois.clone()),
        gate: Gate::new(pacing),
        order: settings.order,
        policies,
        answers,
    });
    Ok((lookup, loaded.notes))
}
