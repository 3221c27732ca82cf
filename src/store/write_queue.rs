//! Group commit for the store's writes, and the one connection they share
//! ([`SharedConnection`]: the connection behind its mutex, and the queue).
//!
//! A SQLite commit (WAL append, locks, checksums) costs several times what
//! the insert inside it does, and a bulk run finishes many lookups at once.
//! So a write is queued, then its caller takes the connection and commits
//! everything queued so far in one transaction; a caller whose write was
//! already committed by an earlier holder finds the queue empty and just
//! collects its answer. Each write runs in its own savepoint: one that fails
//! (an unknown run) is rolled back alone and reports its own error, while a
//! failed commit reports to every write in it. A write is answered only
//! after its transaction's fate is known, so "returned Ok" means
//! "committed".

use std::sync::mpsc;
use std::sync::{Mutex, MutexGuard, PoisonError};

use rusqlite::{Connection, TransactionBehavior};

use super::error::{StoreError, database};

/// The store's connection and the writes waiting to be committed on it.
#[derive(Debug)]
pub(super) struct SharedConnection {
    connection: Mutex<Connection>,
    writes: WriteQueue,
}

/// Writes waiting for the next commit.
#[derive(Default)]
struct WriteQueue {
    pending: Mutex<Vec<Box<dyn PendingWrite>>>,
}

impl std::fmt::Debug for WriteQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteQueue")
            .field("pending", &self.lock().len())
            .finish()
    }
}

impl WriteQueue {
    /// Queues `work`; the receiver gets its result once it is committed (or
    /// failed).
    fn enqueue<T, F>(&self, work: F) -> mpsc::Receiver<Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, answer) = mpsc::sync_channel(1);
        self.lock().push(Box::new(Queued {
            work: Some(work),
            result: None,
            reply,
        }));
        answer
    }

    fn take(&self) -> Vec<Box<dyn PendingWrite>> {
        std::mem::take(&mut *self.lock())
    }

    /// Pushing to or draining a vector cannot leave it inconsistent, so a
    /// lock poisoned by a panic elsewhere is taken over.
    fn lock(&self) -> MutexGuard<'_, Vec<Box<dyn PendingWrite>>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl SharedConnection {
    pub(super) fn new(connection: Connection) -> SharedConnection {
        SharedConnection {
            connection: Mutex::new(connection),
            writes: WriteQueue::default(),
        }
    }

    /// The connection, for one operation. A panic in another holder cannot
    /// leave the connection inconsistent (an unfinished transaction rolls
    /// back when dropped), so a poisoned lock is taken over, not propagated.
    pub(super) fn lock(&self) -> MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `work` as a write: committed, possibly together with other
    /// callers' writes, before this returns.
    pub(super) fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let answer = self.writes.enqueue(work);
        self.commit_queued();
        // Whoever drained our write answered it before letting go of the
        // connection, which we have held since: the answer is there, unless
        // that holder panicked and dropped it.
        answer.recv().map_err(|_| StoreError::TaskFailed {
            detail: "a write was dropped unanswered".to_owned(),
        })?
    }

    /// Runs every write of `works` in one transaction, each in its own
    /// savepoint, and answers each: a batch costs one commit.
    pub(super) fn write_all<T, F>(&self, works: Vec<F>) -> Vec<Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let answers: Vec<_> = works
            .into_iter()
            .map(|work| self.writes.enqueue(work))
            .collect();
        self.commit_queued();
        answers
            .into_iter()
            .map(|answer| {
                answer.recv().map_err(|_| StoreError::TaskFailed {
                    detail: "a write was dropped unanswered".to_owned(),
                })?
            })
            .collect()
    }

    /// Commits every queued write in one transaction.
    fn commit_queued(&self) {
        let mut connection = self.lock();
        let mut writes = self.writes.take();
        if writes.is_empty() {
            return;
        }
        let outcome = apply_all(&mut connection, &mut writes);
        for write in writes {
            write.answer(outcome.clone());
        }
    }
}

fn apply_all(
    connection: &mut Connection,
    writes: &mut [Box<dyn PendingWrite>],
) -> Result<(), StoreError> {
    // IMMEDIATE takes the write lock up front, so a second process makes us
    // wait (busy timeout) instead of failing halfway through.
    let mut transaction = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(database("begin a write"))?;
    for write in writes.iter_mut() {
        let savepoint = transaction.savepoint().map_err(database("begin a write"))?;
        if write.apply(&savepoint) {
            savepoint.commit().map_err(database("write"))?;
        } else {
            // A savepoint's drop behaviour is to roll back.
            savepoint
                .finish()
                .map_err(database("undo a failed write"))?;
        }
    }
    transaction.commit().map_err(database("commit writes"))
}

/// A queued write, whatever its result type.
trait PendingWrite: Send {
    /// Applies the write; false when it failed and must be rolled back.
    fn apply(&mut self, connection: &Connection) -> bool;
    /// Sends the caller its result, given how the transaction ended.
    fn answer(self: Box<Self>, commit: Result<(), StoreError>);
}

struct Queued<T, F> {
    work: Option<F>,
    result: Option<Result<T, StoreError>>,
    reply: mpsc::SyncSender<Result<T, StoreError>>,
}

impl<T, F> PendingWrite for Queued<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T, StoreError> + Send,
{
    fn apply(&mut self, connection: &Connection) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        let result = work(connection);
        let applied = result.is_ok();
        self.result = Some(result);
        applied
    }

    fn answer(self: Box<Self>, commit: Result<(), StoreError>) {
        let result = match (commit, self.result) {
            (Err(error), _) => Err(error),
            (Ok(()), Some(result)) => result,
            (Ok(()), None) => Err(StoreError::TaskFailed {
                detail: "a write was committed without being applied".to_owned(),
            }),
        };
        // The caller waits for this answer; if it is gone there is no one
        // left to tell.
        let _ = self.reply.send(result);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A connection with the store's schema, shared the way `Store` shares it.
    fn shared() -> SharedConnection {
        let mut connection = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut connection, std::path::Path::new(":memory:")).unwrap();
        SharedConnection::new(connection)
    }

    fn insert_run(connection: &Connection, args: &str) -> Result<i64, StoreError> {
        connection
            .execute("INSERT INTO runs (started_at, args) VALUES (0, ?1)", [args])
            .map_err(database("test insert"))?;
        Ok(connection.last_insert_rowid())
    }

    #[test]
    fn one_commit_answers_every_queued_write_and_undoes_only_the_failed_one() {
        let store = shared();
        let queue = &store.writes;
        let first = queue.enqueue(|connection| insert_run(connection, "first"));
        let failed = queue.enqueue(|connection| {
            insert_run(connection, "undone")?;
            Err::<i64, _>(StoreError::UnknownRun { run: 7 })
        });
        let third = queue.enqueue(|connection| insert_run(connection, "third"));

        store.commit_queued();

        assert_eq!(first.try_recv().unwrap().unwrap(), 1);
        assert!(matches!(
            failed.try_recv().unwrap(),
            Err(StoreError::UnknownRun { run: 7 })
        ));
        // The failed write's row, and its id, were rolled back with it.
        assert_eq!(third.try_recv().unwrap().unwrap(), 2);
        let args: Vec<String> = store
            .lock()
            .prepare("SELECT args FROM runs ORDER BY id")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(args, ["first", "third"]);
    }

    #[test]
    fn a_caller_whose_write_was_committed_by_another_finds_its_answer() {
        let store = shared();
        let earlier = store
            .writes
            .enqueue(|connection| insert_run(connection, "queued by someone else"));
        // This caller's commit takes the earlier write along.
        let id = store
            .write(|connection| insert_run(connection, "mine"))
            .unwrap();
        assert_eq!(id, 2);
        assert_eq!(earlier.try_recv().unwrap().unwrap(), 1);
        assert_eq!(store.writes.take().len(), 0);
    }
}
