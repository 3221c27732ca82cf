//! [`Store`]: the handle on one SQLite file (or an in-memory database),
//! and how it is opened and configured. The
//! response cache (`cache.rs`) and the history (`history.rs`) add their
//! methods to it from their own files; this file is below them and knows
//! neither, so they import it and `store/mod.rs` only declares and
//! re-exports.

use std::path::{Path, PathBuf};
use std::sync::{Arc, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::error::{StoreError, database, is_locked};
use super::write_queue::SharedConnection;
use super::{identity, schema};

/// File name of the default store inside the user cache directory.
pub const DEFAULT_FILE_NAME: &str = "domlife.sqlite3";

/// How long a write waits for another process's lock before failing with
/// [`StoreError::Busy`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A handle on the store. Clones share the same connection.
#[derive(Debug, Clone)]
pub struct Store {
    shared: Arc<SharedConnection>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store at `path`, and brings its schema
    /// up to date. The parent directory must exist. A file that is not a
    /// domlife store is refused before anything is written to it
    /// ([`StoreError::NotAStore`]).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let opening_failed = |error: rusqlite::Error| StoreError::Open {
            path: path.to_path_buf(),
            detail: error.to_string(),
        };
        identity::check_file(path)?;
        let mut connection = Connection::open(path).map_err(opening_failed)?;
        connection
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(opening_failed)?;
        identity::check_database(&connection, path)?;
        // The first statement that reads the file is where "not a database"
        // shows up, so it reports as a failure to open.
        use_wal(&connection).map_err(opening_failed)?;
        configure(&connection).map_err(opening_failed)?;
        schema::migrate(&mut connection, path)?;
        Ok(Store::from_connection(connection, path.to_path_buf()))
    }

    /// Opens an existing store for reading only: nothing is written to the
    /// file (no WAL switch, no migration: an older schema is read as it
    /// is), so a store on a read-only disk, or one the user may not write,
    /// can be read. Where the file can be written, the connection is only
    /// forbidden to write (`query_only`), so that closing it tidies the WAL
    /// files away; where it cannot, SQLite opens it read-only; and when even
    /// that fails (a WAL store whose shared-memory index cannot be created,
    /// as in a read-only directory), it is opened as immutable: read as the
    /// file says, which is right for a file nobody can be writing.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        identity::check_file(path)?;
        let mut attempt = Err(rusqlite::Error::InvalidPath(path.to_path_buf()));
        for mode in [ReadMode::QueryOnly, ReadMode::ReadOnly, ReadMode::Immutable] {
            attempt = read_only_connection(path, mode);
            let refused = attempt
                .as_ref()
                .err()
                .and_then(|error| error.sqlite_error_code());
            if !matches!(
                refused,
                Some(
                    rusqlite::ErrorCode::CannotOpen
                        | rusqlite::ErrorCode::ReadOnly
                        | rusqlite::ErrorCode::PermissionDenied
                )
            ) {
                break;
            }
        }
        let connection = attempt.map_err(|error| StoreError::Open {
            path: path.to_path_buf(),
            detail: error.to_string(),
        })?;
        identity::check_database(&connection, path)?;
        match schema::version(&connection)? {
            0 => Err(StoreError::NotAStore {
                path: path.to_path_buf(),
                reason: "it is empty: no run was ever recorded in it".to_owned(),
            }),
            found if found > schema::SCHEMA_VERSION => Err(StoreError::NewerSchema {
                path: path.to_path_buf(),
                found,
                supported: schema::SCHEMA_VERSION,
            }),
            _ => Ok(Store::from_connection(connection, path.to_path_buf())),
        }
    }

    /// A private store in memory, gone when the last clone is dropped: for
    /// tests. (`--no-store` means no store at all: a bulk run would hold
    /// every body in memory.)
    pub fn in_memory() -> Result<Store, StoreError> {
        let path = PathBuf::from(":memory:");
        let opening_failed = |error: rusqlite::Error| StoreError::Open {
            path: path.clone(),
            detail: error.to_string(),
        };
        let mut connection = Connection::open_in_memory().map_err(opening_failed)?;
        configure(&connection).map_err(opening_failed)?;
        schema::migrate(&mut connection, &path)?;
        Ok(Store::from_connection(connection, path))
    }

    /// The file this store lives in (`:memory:` for [`Store::in_memory`]).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The journal mode SQLite is using: `wal` for a file store (`memory`
    /// in memory). A file system without shared memory support (some
    /// network mounts) falls back to `delete`, which is slower but just as
    /// safe.
    pub fn journal_mode(&self) -> Result<String, StoreError> {
        self.lock()
            .pragma_query_value(None, "journal_mode", |row| row.get(0))
            .map_err(database("read the journal mode"))
    }

    /// The schema version of the open file; [`super::SCHEMA_VERSION`] once open.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        schema::version(&self.lock())
    }

    /// Runs blocking store work (`f` gets a clone of this handle) on tokio's
    /// blocking pool, so async lookups never hold the connection lock on a
    /// runtime worker:
    ///
    /// ```no_run
    /// # async fn example(store: domlife::store::Store, key: domlife::store::CacheKey,
    /// #                  response: domlife::store::Response) -> Result<(), domlife::store::StoreError> {
    /// let now = chrono::Utc::now();
    /// store.call(move |store| store.put(&key, &response, now)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn call<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        F: FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
        T: Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || f(&store))
            .await
            .map_err(|error| StoreError::TaskFailed {
                detail: error.to_string(),
            })?
    }

    fn from_connection(connection: Connection, path: PathBuf) -> Store {
        Store {
            shared: Arc::new(SharedConnection::new(connection)),
            path,
        }
    }

    /// The connection, for one read.
    pub(super) fn lock(&self) -> MutexGuard<'_, Connection> {
        self.shared.lock()
    }

    /// Runs `work` as a write: committed, possibly together with other
    /// callers' writes, before this returns.
    pub(super) fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.shared.write(work)
    }

    /// Runs every write of `works` in one transaction: a batch costs one commit.
    pub(super) fn write_all<T, F>(&self, works: Vec<F>) -> Vec<Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        self.shared.write_all(works)
    }
}

/// Switches the file to WAL, once: the mode is stored in the file.
///
/// SQLite does not call the busy handler for the switch itself (it cannot
/// wait without risking a deadlock), so when several processes open a new
/// file at once the losers get "database is locked" at once. They retry for
/// up to [`BUSY_TIMEOUT`], by which time the winner has switched the file.
fn use_wal(connection: &Connection) -> Result<(), rusqlite::Error> {
    const RETRY_EVERY: Duration = Duration::from_millis(5);
    let journal_mode =
        |statement: &str| connection.query_row(statement, [], |row| row.get::<_, String>(0));
    let mut waited = Duration::ZERO;
    loop {
        if journal_mode("PRAGMA journal_mode")?.eq_ignore_ascii_case("wal") {
            return Ok(());
        }
        match journal_mode("PRAGMA journal_mode = WAL") {
            Ok(_) => return Ok(()),
            Err(error) if is_locked(&error) && waited < BUSY_TIMEOUT => {
                std::thread::sleep(RETRY_EVERY);
                waited += RETRY_EVERY;
            }
            Err(error) => return Err(error),
        }
    }
}

/// How [`Store::open_read_only`] asks SQLite not to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadMode {
    /// A read-write connection that refuses to write.
    QueryOnly,
    /// SQLite's read-only open.
    ReadOnly,
    /// Read-only, and the file taken as unchanging (no locks, no WAL).
    Immutable,
}

/// A connection to the existing file `path` that does not write, probed
/// with a first read (SQLite opens lazily: a refusal shows up there).
fn read_only_connection(path: &Path, mode: ReadMode) -> Result<Connection, rusqlite::Error> {
    let flags = OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = match mode {
        ReadMode::QueryOnly => {
            Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_READ_WRITE)?
        }
        ReadMode::ReadOnly => {
            Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_READ_ONLY)?
        }
        ReadMode::Immutable => Connection::open_with_flags(
            immutable_uri(path)?,
            flags | OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        )?,
    };
    connection.pragma_update(None, "query_only", true)?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    connection.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    })?;
    Ok(connection)
}

/// `file:///ABSOLUTE/PATH?immutable=1`, the path percent-encoded.
fn immutable_uri(path: &Path) -> Result<String, rusqlite::Error> {
    let unusable = || rusqlite::Error::InvalidPath(path.to_path_buf());
    let absolute = std::path::absolute(path).map_err(|_| unusable())?;
    let url = url::Url::from_file_path(&absolute).map_err(|()| unusable())?;
    Ok(format!("{url}?immutable=1"))
}

fn configure(connection: &Connection) -> Result<(), rusqlite::Error> {
    // NORMAL is crash-safe in WAL mode (only the last commits can be lost
    // on power failure) and avoids an fsync per lookup.
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "foreign_keys", true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_store_syncs_normally_and_enforces_references() {
        let directory = tempfile::tempdir().unwrap();
        let store = Store::open(&directory.path().join("domlife.sqlite3")).unwrap();
        let connection = store.lock();
        let pragma = |name: &str| -> i64 {
            connection
                .pragma_query_value(None, name, |row| row.get(0))
                .unwrap()
        };
        // 1 is NORMAL.
        assert_eq!(pragma("synchronous"), 1);
        assert_eq!(pragma("foreign_keys"), 1);
        assert!(pragma("busy_timeout") >= 1000);
    }

    /// A store with one recorded run, closed: its file as `check` leaves it.
    fn recorded_store(directory: &Path) -> PathBuf {
        let path = directory.join("domlife.sqlite3");
        let store = Store::open(&path).unwrap();
        let run = store
            .begin_run("check list.txt", chrono::Utc::now())
            .unwrap();
        store.finish_run(run, true, chrono::Utc::now()).unwrap();
        path
    }

    #[test]
    fn a_read_only_store_reads_and_refuses_every_write() {
        let directory = tempfile::tempdir().unwrap();
        let path = recorded_store(directory.path());
        let store = Store::open_read_only(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), schema::SCHEMA_VERSION);
        let error = store.begin_run("check", chrono::Utc::now()).unwrap_err();
        assert!(error.to_string().contains("readonly"), "{error}");
        let connection = read_only_connection(&path, ReadMode::ReadOnly).unwrap();
        let error = connection.execute("DELETE FROM runs", []).unwrap_err();
        assert!(error.to_string().contains("readonly"), "{error}");
    }

    /// The fallback taken when SQLite cannot create a WAL index beside the
    /// file (a read-only directory for a user without root's rights) reads
    /// the same file.
    #[test]
    fn an_immutable_connection_reads_a_closed_store() {
        let directory = tempfile::tempdir().unwrap();
        let awkward = directory.path().join("a dir with %, # and ?");
        std::fs::create_dir(&awkward).unwrap();
        let path = recorded_store(&awkward);
        let connection = read_only_connection(&path, ReadMode::Immutable).unwrap();
        assert_eq!(
            schema::version(&connection).unwrap(),
            schema::SCHEMA_VERSION
        );
        let runs: i64 = connection
            .query_row("SELECT count(*) FROM runs", [], |row| row.get(0))
            .unwrap();
        assert_eq!(runs, 1);
    }
}
