//! Whether a file is a domlife store, decided before anything is written to
//! it. `--store` pointing at somebody's database or document must be refused
//! and left byte for byte as it was, not switched to WAL and given tables.
//!
//! A missing or empty file is a new store (SQLite reads an empty file as an
//! empty database, and there is nothing in it to lose), and so is a SQLite
//! file without tables. Anything else must carry domlife's tables and a
//! schema version.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use rusqlite::Connection;

use super::error::{StoreError, is_corrupt};
use super::schema;

/// The first 16 bytes of every SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

/// The tables every domlife schema since version 1 has.
const STORE_TABLES: [&str; 3] = ["responses", "runs", "results"];

/// How many of a foreign database's table names a refusal quotes.
const NAMES_QUOTED: usize = 5;

/// Refuses an existing, non-empty file that does not begin as a SQLite
/// database does. Reads 16 bytes and writes nothing.
pub(crate) fn check_file(path: &Path) -> Result<(), StoreError> {
    let failed = |error: std::io::Error| StoreError::Open {
        path: path.to_path_buf(),
        detail: error.to_string(),
    };
    let file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(failed(error)),
    };
    let mut header = Vec::with_capacity(SQLITE_HEADER.len());
    file.take(SQLITE_HEADER.len() as u64)
        .read_to_end(&mut header)
        .map_err(failed)?;
    if header.is_empty() || header == SQLITE_HEADER {
        Ok(())
    } else {
        Err(not_a_store(path, "it is not a SQLite database".to_owned()))
    }
}

/// Refuses a SQLite database that has tables but not domlife's, or
/// domlife's names without a schema version. Only reads.
pub(crate) fn check_database(connection: &Connection, path: &Path) -> Result<(), StoreError> {
    let tables = table_names(connection).map_err(|error| {
        if is_corrupt(&error) {
            not_a_store(path, error.to_string())
        } else {
            StoreError::Open {
                path: path.to_path_buf(),
                detail: error.to_string(),
            }
        }
    })?;
    if tables.is_empty() {
        return Ok(());
    }
    let ours = STORE_TABLES
        .iter()
        .all(|table| tables.iter().any(|name| name == table));
    if !ours {
        let mut quoted = tables
            .iter()
            .take(NAMES_QUOTED)
            .cloned()
            .collect::<Vec<_>>();
        if tables.len() > NAMES_QUOTED {
            quoted.push(format!("and {} more", tables.len() - NAMES_QUOTED));
        }
        let reason = format!("a SQLite database with the tables {}", quoted.join(", "));
        return Err(not_a_store(path, reason));
    }
    if schema::version(connection)? == 0 {
        let reason = "it has domlife's table names but no domlife schema version".to_owned();
        return Err(not_a_store(path, reason));
    }
    Ok(())
}

fn table_names(connection: &Connection) -> Result<Vec<String>, rusqlite::Error> {
    let mut statement = connection.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' \
         ESCAPE '\\' ORDER BY name",
    )?;
    let names = statement.query_map([], |row| row.get::<_, String>(0))?;
    names.collect()
}

fn not_a_store(path: &Path, reason: String) -> StoreError {
    StoreError::NotAStore {
        path: path.to_path_buf(),
        reason,
    }
}
