//! [`StoreError`]: what can go wrong with the SQLite store, typed so the
//! lookup and the CLI decide with predicates (`is_not_in_store()`,
//! `is_busy()`) and never by reading messages. SQLite's own errors are kept
//! as text: the public type does not expose `rusqlite`.

use std::path::PathBuf;

/// A store operation that did not complete.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file could not be opened or created as a SQLite database (missing
    /// directory, no permission, not a database). Check the path, choose
    /// another with `--store FILE`, or run without a store (`--no-store`).
    #[error("cannot open the store {}: {detail}", path.display())]
    Open { path: PathBuf, detail: String },

    /// The file exists but is not a domlife store: not a SQLite database,
    /// or a SQLite database with tables domlife did not create. It is left
    /// as it was, byte for byte. Check `--store FILE`.
    #[error("{} is not a domlife store ({reason}); it was left as it is", path.display())]
    NotAStore { path: PathBuf, reason: String },

    /// The store was written by a newer domlife whose schema this version
    /// does not know. Upgrade domlife or use another `--store FILE`.
    #[error(
        "the store {} has schema version {found}, newer than the {supported} this domlife knows",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    /// Another process held the database locked for longer than the busy
    /// timeout. Retry, or give each concurrent run its own `--store FILE`.
    #[error("the store is locked by another process ({action})")]
    Busy { action: &'static str },

    /// SQLite failed (disk full, I/O error, a damaged file). Check free space
    /// and the file; a damaged cache can be deleted, it only holds copies.
    #[error("store failure while trying to {action}: {detail}")]
    Database {
        action: &'static str,
        detail: String,
    },

    /// SQLite found damaged pages while trying to `action` (a disk fault, a
    /// crash on a disk that lies about syncing, an edited file). A damaged
    /// response cache is refetched; `sqlite3 FILE .recover` can save the
    /// history.
    #[error("the store is damaged (while trying to {action}): {detail}")]
    Corrupt {
        action: &'static str,
        detail: String,
    },

    /// A stored row could not be read back (edited by hand, or damaged).
    /// Deleting the store file repairs it; the history in it is lost.
    #[error("unreadable value in the store ({detail})")]
    BadStoredValue { detail: String },

    /// `--offline` was asked and the store holds no answer for this query.
    /// Run once without `--offline` (or with `--record`) to fill the store.
    #[error("{what} is not in the store (offline)")]
    NotInStore { what: String },

    /// The run id is not one `begin_run` returned for this store. A bug in
    /// the caller, or a store swapped underneath a run.
    #[error("no run {run} in the store")]
    UnknownRun { run: i64 },

    /// The background task that held the connection panicked or was
    /// cancelled (runtime shutting down). The store itself is unharmed.
    #[error("store task did not complete: {detail}")]
    TaskFailed { detail: String },
}

impl StoreError {
    /// Whether an offline lookup found nothing stored for its query.
    pub fn is_not_in_store(&self) -> bool {
        matches!(self, StoreError::NotInStore { .. })
    }

    /// Whether the file was refused because it is not a domlife store.
    pub fn is_not_a_store(&self) -> bool {
        matches!(self, StoreError::NotAStore { .. })
    }

    /// Whether SQLite found the file damaged: what was asked may be
    /// fetched again instead.
    pub fn is_corrupt(&self) -> bool {
        matches!(self, StoreError::Corrupt { .. })
    }

    /// Whether another process kept the database locked: retrying later can
    /// succeed.
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Busy { .. })
    }
}

/// Maps a SQLite error met while doing `action`, keeping "locked" apart
/// because the caller may retry it.
pub(crate) fn database(action: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |error| {
        if is_locked(&error) {
            StoreError::Busy { action }
        } else if is_corrupt(&error) {
            StoreError::Corrupt {
                action,
                detail: error.to_string(),
            }
        } else {
            StoreError::Database {
                action,
                detail: error.to_string(),
            }
        }
    }
}

/// Whether another connection holds the lock SQLite needed.
pub(crate) fn is_locked(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Whether SQLite found a damaged page (or a page that is not SQLite's).
pub(crate) fn is_corrupt(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}
