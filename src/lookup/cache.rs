//! [`StoreCache`]: the store as an answer source wrapped around another.
//!
//! Answers are kept in the store by question (protocol, role, server,
//! name) with the time they arrived, raw bytes and all, so a re-run reuses
//! what is fresh enough (`--max-age`), an interrupted run continues where
//! it stopped, and a later reader fix re-reads old answers correctly. A
//! fresh stored answer is the reply; otherwise the inner source is asked
//! and its answer kept. `--offline` is the cache with no inner source:
//! whatever is stored, of any age, or an error.

use std::sync::Arc;

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

/// The store in front of another source.
#[derive(Debug)]
pub struct StoreCache {
    cache: Cache,
    inner: Option<Arc<dyn AnswerSource>>,
}

impl StoreCache {
    /// The cache in front of `inner`. Without an inner source, or with an
    /// `offline` policy, the store alone answers.
    pub fn new(mut cache: Cache, inner: Option<Arc<dyn AnswerSource>>) -> StoreCache {
        let inner = inner.filter(|_| !cache.policy.offline);
        cache.policy.offline = inner.is_none();
        StoreCache { cache, inner }
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
        if let Err(why) = kept {
            reply
                .notes
                .push(format!("the answer from {server} was not kept: {why}"));
        }
    }

    async fn answer(&self, question: &Question) -> Result<Reply, AskError> {
        let key = CacheKey {
            protocol: question.server.protocol(),
            role: question.role,
            server: question.server.key(),
            domain: question.name.clone(),
        };
        if let Some(cached) = self.stored(&key).await.map_err(AskError::Store)? {
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

impl AnswerSource for StoreCache {
    fn ask<'a>(&'a self, question: &'a Question) -> BoxFuture<'a, Result<Reply, AskError>> {
        Box::pin(self.answer(question))
    }
}
