//! The store's schema and its migrations.
//!
//! The version lives in SQLite's `user_version` pragma. Each migration runs
//! in its own transaction together with the version bump, so a crash leaves
//! the file at either the old or the new version, never between. A later
//! issue adds a table by appending a migration; existing ones never change.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use super::error::{StoreError, database};

/// Migration `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: response cache and audit history.
    //
    // Times are Unix milliseconds (UTC). `responses` keeps the latest answer
    // per query; bodies are kept raw so a fixed reader can re-read them.
    // `runs.id` is AUTOINCREMENT so ids are never reused and order runs.
    "CREATE TABLE responses (
         protocol    TEXT    NOT NULL,
         role        TEXT    NOT NULL,
         server      TEXT    NOT NULL,
         domain      TEXT    NOT NULL,
         outcome     TEXT    NOT NULL,
         error_kind  TEXT,
         http_status INTEGER,
         body        BLOB    NOT NULL,
         fetched_at  INTEGER NOT NULL,
         PRIMARY KEY (protocol, role, server, domain)
     );
     CREATE TABLE runs (
         id          INTEGER PRIMARY KEY AUTOINCREMENT,
         started_at  INTEGER NOT NULL,
         finished_at INTEGER,
         complete    INTEGER NOT NULL DEFAULT 0,
         args        TEXT    NOT NULL
     );
     CREATE TABLE results (
         run_id   INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
         domain   TEXT    NOT NULL,
         record   TEXT    NOT NULL,
         findings TEXT    NOT NULL,
         as_of    INTEGER NOT NULL,
         PRIMARY KEY (run_id, domain)
     );
     CREATE INDEX results_by_domain ON results (domain, run_id);",
    // 2: notifications (`--notify`).
    //
    // `results.phase` keeps the lifecycle phase each result was in (NULL
    // when unknown, and in rows written before it existed), since a phase
    // change is announced. `deliveries` says which runs' states were
    // delivered to which notify target, so that a change is announced
    // once, and again next run when it could not be delivered. `target` is
    // the SHA-256 of the target's URL in hex: the URL carries secrets and
    // is never stored.
    "ALTER TABLE results ADD COLUMN phase TEXT;
     CREATE TABLE deliveries (
         target       TEXT    NOT NULL,
         run_id       INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
         delivered_at INTEGER NOT NULL,
         PRIMARY KEY (target, run_id)
     );",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database to [`SCHEMA_VERSION`], refusing a newer one.
pub(crate) fn migrate(connection: &mut Connection, path: &Path) -> Result<(), StoreError> {
    check_not_newer(version(connection)?, path)?;
    while version(connection)? < SCHEMA_VERSION {
        // IMMEDIATE takes the write lock before reading the version: two
        // processes opening a new file at once must not both run the same
        // migration; the second waits, then sees the version the first wrote.
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(database("migrate the schema"))?;
        let current = version(&transaction)?;
        check_not_newer(current, path)?;
        if current == SCHEMA_VERSION {
            // Another process migrated while we waited for the lock.
            break;
        }
        let pending = usize::try_from(current)
            .ok()
            .and_then(|index| MIGRATIONS.get(index));
        let Some(migration) = pending else {
            // Only a negative version gets here: not one any domlife wrote.
            return Err(StoreError::BadStoredValue {
                detail: format!("schema version {current}"),
            });
        };
        transaction
            .execute_batch(migration)
            .map_err(database("migrate the schema"))?;
        transaction
            .pragma_update(None, "user_version", current + 1)
            .map_err(database("migrate the schema"))?;
        transaction
            .commit()
            .map_err(database("migrate the schema"))?;
    }
    Ok(())
}

fn check_not_newer(found: i64, path: &Path) -> Result<(), StoreError> {
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// The schema version recorded in the file (0 for a new file).
pub(crate) fn version(connection: &Connection) -> Result<i64, StoreError> {
    connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(database("read the schema version"))
}
