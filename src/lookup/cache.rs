//! [`StoreCache`]: the store as an answer source wrapped around another.
//!
//! Answers are kept in the store by question (protocol, role, server,
//! name) with the time they arrived, raw bytes and all, so a re-run reuses
//! what is fresh enough (`--max-age`), an interrupted run continues where
//! it stopped, and a later reader fix re-reads old answers correctly. A
//! fresh stored answer is the reply; otherwise the inner source is asked
//! and its answer kept. `--offline` is the cache with no inner source:
//! whatever is stored, of any age, or an error.
//!
//! A store with damaged pages (SQLite's "database disk image is
//! malformed") must not fail the names whose answers sit on them: online,
//! they are asked again as if nothing were stored, and the user is told
//! once a run ([`StoreWarning`]), not once a name.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Utc;
use futures::future::BoxFuture;

use super::error::AskError;
use super::question::{Question, Reply};
use super::source::AnswerSource;
use crate::record::Protocol;
use crate::store::{
    CacheDecision, CacheKey, CachePolicy, Cached, Outcome, Response, Store, StoreError,
};

/// The store and how to use it.
#[derive(Debug, Clone)]
pub struct Cache {
    pub store: Store,
    pub policy: CachePolicy,
}

/// Where the store cache tells the user something during a run (the CLI
/// prints it on standard error). Silent by default.
#[derive(Clone, Default)]
pub struct StoreWarning(Option<Say>);

/// What a [`StoreWarning`] calls with its message.
type Say = Arc<dyn Fn(&str) + Send + Sync>;

impl StoreWarning {
    /// A warning that calls `say` with its message.
    pub fn new(say: impl Fn(&str) + Send + Sync + 'static) -> StoreWarning {
        StoreWarning(Some(Arc::new(say)))
    }

    fn say(&self, message: &str) {
        if let Some(say) = &self.0 {
            say(message);
        }
    }
}

impl fmt::Debug for StoreWarning {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(if self.0.is_some() {
            "StoreWarning(on)"
        } else {
            "StoreWarning(off)"
        })
    }
}

/// The store in front of another source.
#[derive(Debug)]
pub struct StoreCache {
    cache: Cache,
    inner: Option<Arc<dyn AnswerSource>>,
    warning: StoreWarning,
    /// Whether the damage was told already: once a run is enough.
    damage_told: AtomicBool,
}

impl StoreCache {
    /// The cache in front of `inner`. Without an inner source, or with an
    /// `offline` policy, the store alone answers.
    pub fn new(mut cache: Cache, inner: Option<Arc<dyn AnswerSource>>) -> StoreCache {
        let inner = inner.filter(|_| !cache.policy.offline);
        cache.policy.offline = inner.is_none();
        StoreCache {
            cache,
            inner,
            warning: StoreWarning::default(),
            damage_told: AtomicBool::new(false),
        }
    }

    /// The same cache, telling `warning` what the user should know.
    pub fn warning(mut self, warning: StoreWarning) -> StoreCache {
        self.warning = warning;
        self
    }

    /// Says, the first time only, that the store is damaged and what is
    /// done about it.
    fn tell_damage(&self, what: &str) {
        if !self.damage_told.swap(true, Ordering::Relaxed) {
            self.warning.say(&format!(
                "{what}; answers it cannot read are fetched again and may not be kept \
                 (`sqlite3 {} .recover` saves what can be saved; said once)",
                self.cache.store.path().display()
            ));
        }
    }

    /// A stored answer to use instead of asking, if the policy allows one;
    /// `Err` when offline and the store has none.
    async fn stored(&self, key: &CacheKey) -> Result<Option<Cached>, StoreError> {
        let policy = self.cache.policy;
        let key = key.clone();
        let decision = self
            .cache
            .store
            .call(move |store| policy.consult(store, &key, Utc::now()))
            .await?;
        Ok(match decision {
            CacheDecision::Use(cached) => Some(cached),
            CacheDecision::Fetch => None,
        })
    }

    /// Keeps an answer. A store that cannot be written must not fail the
    /// lookup: the answer is still good, and the reply notes why.
    async fn keep(&self, key: CacheKey, reply: &mut Reply) {
        let response = Response {
            outcome: match reply.body {
                Some(_) => Outcome::Found,
                None => Outcome::NotFound,
            },
            http_status: match (key.protocol, &reply.body) {
                (Protocol::Rdap, Some(_)) => Some(200),
                (Protocol::Rdap, None) => Some(404),
                (Protocol::Whois, _) => None,
            },
            body: reply.body.clone().unwrap_or_default(),
        };
        let server = key.server.clone();
        let kept = self
            .cache
            .store
            .call(move |store| store.put(&key, &response, Utc::now()))
            .await;
        match kept {
            Ok(()) => {}
            Err(why) if why.is_corrupt() => self.tell_damage(&why.to_string()),
            Err(why) => reply
                .notes
                .push(format!("the answer from {server} was not kept: {why}")),
        }
    }

    async fn answer(&self, question: &Question) -> Result<Reply, AskError> {
        let key = CacheKey {
            protocol: question.server.protocol(),
            role: question.role,
            server: question.server.key(),
            domain: question.name.clone(),
        };
        let stored = match self.stored(&key).await {
            // Online, damaged pages are as good as nothing stored.
            Err(error) if error.is_corrupt() && self.inner.is_some() => {
                self.tell_damage(&error.to_string());
                None
            }
            // So is a stored RDAP answer that is not JSON (a damaged or
            // edited row): asked again rather than failing the name.
            Ok(Some(cached)) if self.inner.is_some() && is_unreadable(&key, &cached) => {
                self.tell_damage(&format!(
                    "the store {} holds an unreadable answer (from {} about {})",
                    self.cache.store.path().display(),
                    key.server,
                    key.domain.ascii()
                ));
                None
            }
            stored => stored.map_err(AskError::Store)?,
        };
        if let Some(cached) = stored {
            let response = cached.response;
            return Ok(match response.outcome {
                Outcome::NotFound => Reply::default(),
                Outcome::Found | Outcome::Failed { .. } => Reply::answer(response.body),
            });
        }
        let Some(inner) = &self.inner else {
            // Offline decisions never say "fetch"; this is for safety only.
            return Err(AskError::Store(StoreError::NotInStore { what: key.server }));
        };
        let mut reply = inner.ask(question).await?;
        if reply.is_keepable(&question.server) {
            self.keep(key, &mut reply).await;
        }
        Ok(reply)
    }
}

/// Whether a stored RDAP answer is not even JSON. (A WHOIS answer is text
/// in any charset: nothing to check without reading it.)
fn is_unreadable(key: &CacheKey, cached: &Cached) -> bool {
    key.protocol == Protocol::Rdap
        && cached.response.outcome == Outcome::Found
        && serde_json::from_slice::<serde::de::IgnoredAny>(&cached.response.body).is_err()
}

impl AnswerSource for StoreCache {
    fn ask<'a>(&'a self, question: &'a Question) -> BoxFuture<'a, Result<Reply, AskError>> {
        Box::pin(self.answer(question))
    }
}
