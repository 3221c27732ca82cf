//! The SQLite store: the response cache the lookups consult and the audit
//! history `check` records, in one file in the user's cache directory.
//!
//! - the handle (`handle.rs`): [`Store`], opening and configuring the file;
//! - the response cache (`cache.rs`): raw answers by query (protocol,
//!   role, server, domain) with the time they were fetched, and the
//!   [`CachePolicy`] (`--max-age`, `--refresh`, `--offline`) the lookup
//!   consults before going out. Bodies are kept as received, so a reader
//!   fixed later re-reads old answers correctly.
//! - the history (`history.rs`): runs and the per-name results (record and
//!   findings as JSON) each run produced, for "what changed since the last
//!   audit".
//! - the deliveries (`deliveries.rs`): which runs' states each notify
//!   target (`--notify`) was told, by a hash of its URL.
//! - [`replay`]: the on-disk capture layout of `--replay DIR` and
//!   `--record DIR`; plain files, no SQLite.
//!
//! An interrupted run needs no bookkeeping of its own: every answer is
//! stored as soon as it arrives, so re-running the same list with the same
//! `--max-age` reuses the answers the first run got and only asks the
//! network for the names it had not reached (and those whose last attempt
//! failed: failures are never reused online).
//!
//! Durability: WAL journal with `synchronous=NORMAL`. A crash or power loss
//! can lose the last transactions but never corrupts the file; every write
//! is atomic (alone, or in one transaction with the writes queued at the
//! same moment), and the schema moves between versions in transactions. A
//! busy timeout lets two processes share a file.
//!
//! Concurrency: `rusqlite::Connection` is `Send` but not `Sync`, so a
//! [`Store`] is one connection behind a mutex, shared by cloning; reads hold
//! it for one short query. Writes use group commit (`write_queue.rs`):
//! a write joins a queue, and whoever next holds the connection commits
//! everything queued in one transaction, each write in its own savepoint so
//! one failure does not undo the others. A commit costs far more than an
//! insert, so when many lookups finish at once they share commits, while a
//! write still returns only once it is committed. No thread or channel of
//! its own: the methods block, and async code calls them through
//! [`Store::call`], which runs them on tokio's blocking pool so the lock is
//! never held on a runtime worker.

mod cache;
mod deliveries;
mod error;
mod handle;
mod history;
mod identity;
pub mod replay;
mod schema;
mod write_queue;

pub use cache::{CacheDecision, CacheKey, CachePolicy, Cached, DEFAULT_MAX_AGE, Outcome, Response};
pub use deliveries::DeliveredResult;
pub use error::StoreError;
pub use handle::{DEFAULT_FILE_NAME, Store};
pub use history::{NewResult, RunId, RunInfo, StoredResult};
pub use schema::SCHEMA_VERSION;
