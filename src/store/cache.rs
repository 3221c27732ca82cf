//! The response cache: the latest raw answer per query, with when it was
//! fetched, and the [`CachePolicy`] that decides whether a lookup may reuse
//! it.
//!
//! Time is passed in (`now`, `fetched_at`), never read here, so callers and
//! tests control it.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{OptionalExtension, params};

use super::error::{StoreError, database};
use super::handle::Store;
use crate::domain::DomainName;
use crate::record::{Protocol, Role};

/// What was asked: one query to one server about one name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub protocol: Protocol,
    pub role: Role,
    /// The RDAP URL asked, or the WHOIS server (`host:port`).
    pub server: String,
    /// The name asked about (stored as its A-label).
    pub domain: DomainName,
}

/// How a query ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The server returned the object.
    Found,
    /// The server said there is no such object (RDAP 404; a WHOIS "no
    /// match"): for a registry, the name is not registered.
    NotFound,
    /// The query failed; `kind` is the caller's label for why (`timeout`,
    /// `rate-limited`, `status 500`...), kept for `--offline` reports.
    Failed { kind: String },
}

/// One answer, as it came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub outcome: Outcome,
    /// The HTTP status, for RDAP.
    pub http_status: Option<u16>,
    /// The body byte for byte (may be empty, e.g. a failure without one).
    pub body: Vec<u8>,
}

/// A stored answer and when it was fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cached {
    pub response: Response,
    pub fetched_at: DateTime<Utc>,
}

impl Cached {
    /// Whether the answer was fetched at most `max_age` before `now`. An
    /// answer dated after `now` (the clock was moved back) counts as stale:
    /// its age is unknown.
    pub fn is_fresh(&self, max_age: Duration, now: DateTime<Utc>) -> bool {
        let age = now.signed_duration_since(self.fetched_at);
        if age < TimeDelta::zero() {
            return false;
        }
        // A max age too large for TimeDelta is "forever".
        TimeDelta::from_std(max_age).map_or(true, |max_age| age <= max_age)
    }
}

/// What the lookup may do with the store: `--max-age`, `--refresh`,
/// `--offline`. Plain data; the CLI fills it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CachePolicy {
    /// How old a stored answer may be and still be reused.
    pub max_age: Duration,
    /// `--refresh`: never reuse a stored answer (new answers are still
    /// stored).
    pub refresh: bool,
    /// `--offline`: use only the store, whatever the age; a query it does
    /// not hold is an error. Wins over `refresh`, since there is no network
    /// to refresh from (the CLI should refuse the two together).
    pub offline: bool,
}

/// The default `--max-age`: one hour.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(60 * 60);

impl Default for CachePolicy {
    fn default() -> Self {
        CachePolicy {
            max_age: DEFAULT_MAX_AGE,
            refresh: false,
            offline: false,
        }
    }
}

/// What the lookup should do for one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheDecision {
    /// Use this stored answer; do not ask the network.
    Use(Cached),
    /// Ask the network (and `put` the answer).
    Fetch,
}

impl CachePolicy {
    /// Decides for `key` at `now`. Online, a stored failure is never reused:
    /// the point of re-running is to try again. Offline, whatever is stored
    /// is used, failures included; nothing stored is
    /// [`StoreError::NotInStore`].
    pub fn consult(
        &self,
        store: &Store,
        key: &CacheKey,
        now: DateTime<Utc>,
    ) -> Result<CacheDecision, StoreError> {
        if self.offline {
            return match store.get(key)? {
                Some(cached) => Ok(CacheDecision::Use(cached)),
                None => Err(StoreError::NotInStore {
                    what: describe(key),
                }),
            };
        }
        if self.refresh {
            return Ok(CacheDecision::Fetch);
        }
        Ok(match store.get_fresh(key, self.max_age, now)? {
            Some(cached) if !matches!(cached.response.outcome, Outcome::Failed { .. }) => {
                CacheDecision::Use(cached)
            }
            _ => CacheDecision::Fetch,
        })
    }
}

impl Store {
    /// The stored answer for `key`, whatever its age.
    pub fn get(&self, key: &CacheKey) -> Result<Option<Cached>, StoreError> {
        let row = self
            .lock()
            .prepare_cached(
                "SELECT outcome, error_kind, http_status, body, fetched_at FROM responses
                 WHERE protocol = ?1 AND role = ?2 AND server = ?3 AND domain = ?4",
            )
            .and_then(|mut statement| {
                statement
                    .query_row(
                        params![
                            protocol_name(key.protocol),
                            role_name(key.role),
                            key.server,
                            key.domain.ascii()
                        ],
                        |row| {
                            Ok(StoredRow {
                                outcome: row.get(0)?,
                                error_kind: row.get(1)?,
                                http_status: row.get(2)?,
                                body: row.get(3)?,
                                fetched_at: row.get(4)?,
                            })
                        },
                    )
                    .optional()
            })
            .map_err(database("read a cached response"))?;
        row.map(StoredRow::into_cached).transpose()
    }

    /// The stored answer for `key` if it was fetched at most `max_age`
    /// before `now` (see [`Cached::is_fresh`]).
    pub fn get_fresh(
        &self,
        key: &CacheKey,
        max_age: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<Cached>, StoreError> {
        Ok(self
            .get(key)?
            .filter(|cached| cached.is_fresh(max_age, now)))
    }

    /// Stores the answer to `key` fetched at `fetched_at`, replacing an
    /// older one. An answer older than the one stored is ignored, so two
    /// tasks racing on the same query leave the newer answer.
    pub fn put(
        &self,
        key: &CacheKey,
        response: &Response,
        fetched_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (outcome, error_kind) = match &response.outcome {
            Outcome::Found => ("found", None),
            Outcome::NotFound => ("not-found", None),
            Outcome::Failed { kind } => ("failed", Some(kind.clone())),
        };
        // Owned copies: the write may be committed by another caller's
        // thread.
        let key = key.clone();
        let http_status = response.http_status;
        let body = response.body.clone();
        self.write(move |connection| {
            connection
                .prepare_cached(
                    "INSERT INTO responses (protocol, role, server, domain, outcome, error_kind,
                                            http_status, body, fetched_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT (protocol, role, server, domain) DO UPDATE SET
                         outcome = excluded.outcome,
                         error_kind = excluded.error_kind,
                         http_status = excluded.http_status,
                         body = excluded.body,
                         fetched_at = excluded.fetched_at
                     WHERE excluded.fetched_at >= responses.fetched_at",
                )
                .and_then(|mut statement| {
                    statement.execute(params![
                        protocol_name(key.protocol),
                        role_name(key.role),
                        key.server,
                        key.domain.ascii(),
                        outcome,
                        error_kind,
                        http_status,
                        body,
                        fetched_at.timestamp_millis(),
                    ])
                })
                .map_err(database("store a response"))?;
            Ok(())
        })
    }
}

/// A `responses` row as SQLite returns it, before validation.
struct StoredRow {
    outcome: String,
    error_kind: Option<String>,
    http_status: Option<i64>,
    body: Vec<u8>,
    fetched_at: i64,
}

impl StoredRow {
    fn into_cached(self) -> Result<Cached, StoreError> {
        let outcome = match (self.outcome.as_str(), self.error_kind) {
            ("found", _) => Outcome::Found,
            ("not-found", _) => Outcome::NotFound,
            ("failed", kind) => Outcome::Failed {
                kind: kind.unwrap_or_default(),
            },
            (other, _) => {
                return Err(StoreError::BadStoredValue {
                    detail: format!("response outcome {other:?}"),
                });
            }
        };
        let http_status = self
            .http_status
            .map(|status| {
                u16::try_from(status).map_err(|_| StoreError::BadStoredValue {
                    detail: format!("HTTP status {status}"),
                })
            })
            .transpose()?;
        Ok(Cached {
            response: Response {
                outcome,
                http_status,
                body: self.body,
            },
            fetched_at: from_millis(self.fetched_at)?,
        })
    }
}

/// Reads a stored Unix-milliseconds time.
pub(crate) fn from_millis(millis: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(millis).ok_or_else(|| StoreError::BadStoredValue {
        detail: format!("time {millis}"),
    })
}

fn protocol_name(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Rdap => "rdap",
        Protocol::Whois => "whois",
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Registry => "registry",
        Role::Registrar => "registrar",
    }
}

/// "the RDAP registry answer from URL for NAME", for the offline error.
fn describe(key: &CacheKey) -> String {
    let protocol = match key.protocol {
        Protocol::Rdap => "RDAP",
        Protocol::Whois => "WHOIS",
    };
    format!(
        "the {protocol} {} answer from {} for {}",
        role_name(key.role),
        key.server,
        key.domain
    )
}

#[cfg(test)]
mod tests;
