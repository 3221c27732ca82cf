//! The response cache and the recorder around live lookups.
//!
//! Answers are kept in the store by question (protocol, role, server,
//! name) with the time they arrived, raw bytes and all, so a re-run reuses
//! what is fresh enough (`--max-age`), an interrupted run continues where
//! it stopped, `--offline` answers from the store alone, and a later reader
//! fix re-reads old answers correctly. `--record DIR` writes the same
//! answers in the replay layout, for a bug report or a demo.

use std::sync::Arc;

use chrono::Utc;

use crate::domain::DomainName;
use crate::record::{Protocol, Role};
use crate::store::replay::Recorder;
use crate::store::{
    CacheDecision, CacheKey, CachePolicy, Cached, Outcome, Response, Store, StoreError,
};

/// The store and how to use it.
#[derive(Debug, Clone)]
pub struct Cache {
    pub store: Store,
    pub policy: CachePolicy,
}

/// Where a live lookup keeps what it hears.
#[derive(Debug, Clone, Default)]
pub struct Keeping {
    pub cache: Option<Cache>,
    pub recorder: Option<Arc<Recorder>>,
}

/// The question an answer is stored under.
pub(super) fn key(protocol: Protocol, role: Role, server: &str, name: &DomainName) -> CacheKey {
    CacheKey {
        protocol,
        role,
        server: server.to_owned(),
        domain: name.ascii().to_owned(),
    }
}

impl Keeping {
    /// A fresh stored answer to use instead of asking, if the policy allows
    /// one; `Err` when offline and the store has none.
    pub(super) async fn stored(&self, key: &CacheKey) -> Result<Option<Cached>, StoreError> {
        let Some(cache) = &self.cache else {
            return Ok(None);
        };
        let policy = cache.policy;
        let key = key.clone();
        let decision = cache
            .store
            .call(move |store| policy.consult(store, &key, Utc::now()))
            .await?;
        Ok(match decision {
            CacheDecision::Use(cached) => Some(cached),
            CacheDecision::Fetch => None,
        })
    }

    /// Keeps an answer. A store that cannot be written must not fail the
    /// lookup: the answer is still good; the caller notes the reason.
    pub(super) async fn keep(
        &self,
        key: &CacheKey,
        outcome: Outcome,
        http_status: Option<u16>,
        body: &[u8],
    ) -> Result<(), String> {
        if let Some(recorder) = &self.recorder {
            record(recorder, key, &outcome, body).map_err(|error| error.to_string())?;
        }
        if let Some(cache) = &self.cache {
            let key = key.clone();
            let response = Response {
                outcome,
                http_status,
                body: body.to_vec(),
            };
            cache
                .store
                .call(move |store| store.put(&key, &response, Utc::now()))
                .await
                .map_err(|error| error.to_string())?;
        }
        Ok(())
    }
}

fn record(
    recorder: &Recorder,
    key: &CacheKey,
    outcome: &Outcome,
    body: &[u8],
) -> Result<(), crate::store::replay::ReplayError> {
    let name = &key.domain;
    match (key.protocol, key.role, outcome) {
        (Protocol::Rdap, Role::Registry, Outcome::NotFound) => {
            recorder.rdap_registry_not_found(name)
        }
        (Protocol::Rdap, Role::Registry, _) => recorder.rdap_registry(name, body),
        (Protocol::Rdap, Role::Registrar, _) => recorder.rdap_registrar(name, body),
        // A registrar's WHOIS answer has no place in the layout; the
        // registry's answer names the referral, which replay follows no further.
        (Protocol::Whois, Role::Registry, _) => recorder.whois(name, body),
        (Protocol::Whois, Role::Registrar, _) => Ok(()),
    }
}
