//! The SQLite store as a file: it survives being closed and reopened, runs
//! in WAL mode at the current schema version, refuses files it must not
//! touch, and takes concurrent writes from many tokio tasks and from a
//! second connection.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use domlife::record::{Protocol, Role};
use domlife::store::{
    CacheDecision, CacheKey, CachePolicy, Outcome, Response, SCHEMA_VERSION, Store, StoreError,
};
use serde_json::json;

fn noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .unwrap()
}

fn whois_key(domain: &str) -> CacheKey {
    CacheKey {
        protocol: Protocol::Whois,
        role: Role::Registry,
        server: "whois.example:43".to_owned(),
        domain: domlife::domain::normalize(domain).unwrap().name,
    }
}

fn whois_answer(domain: &str) -> Response {
    Response {
        outcome: Outcome::Found,
        http_status: None,
        body: format!("Domain Name: {}\r\n", domain.to_uppercase()).into_bytes(),
    }
}

fn responses_count(path: &Path) -> usize {
    let store = Store::open(path).unwrap();
    (0..1000)
        .filter(|n| {
            store
                .get(&whois_key(&format!("name-{n}.com")))
                .unwrap()
                .is_some()
        })
        .count()
}

#[test]
fn a_new_file_store_is_in_wal_mode_at_the_current_schema_version() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("domlife.sqlite3");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.journal_mode().unwrap(), "wal");
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    drop(store);

    // Checked from outside too: another SQLite client sees the same file.
    let connection = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let mut tables: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    assert_eq!(tables, ["deliveries", "responses", "results", "runs"]);
    // WAL is a property of the file, not of the connection that set it.
    let mode: String = connection
        .pragma_query_value(None, "journal_mode", |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn answers_and_history_survive_closing_and_reopening() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("domlife.sqlite3");
    let run = {
        let store = Store::open(&path).unwrap();
        store
            .put(
                &whois_key("example.com"),
                &whois_answer("example.com"),
                noon(),
            )
            .unwrap();
        let run = store.begin_run("check list.txt", noon()).unwrap();
        store
            .record_result(
                run,
                "example.com",
                &json!({"registered": true}),
                &json!([]),
                noon(),
            )
            .unwrap();
        store.finish_run(run, true, noon()).unwrap();
        run
    };

    let reopened = Store::open(&path).unwrap();
    assert_eq!(reopened.schema_version().unwrap(), SCHEMA_VERSION);
    let cached = reopened.get(&whois_key("example.com")).unwrap().unwrap();
    assert_eq!(cached.response, whois_answer("example.com"));
    assert_eq!(cached.fetched_at, noon());
    let history = reopened.history("example.com").unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].run, run);
    assert!(history[0].run_complete);
    assert_eq!(history[0].record, json!({"registered": true}));
}

#[test]
fn a_rerun_after_an_interrupted_run_fetches_only_what_is_missing() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("domlife.sqlite3");
    let names = ["a.com", "b.com", "c.com", "d.com"];
    {
        // The first run got two answers, then was interrupted.
        let store = Store::open(&path).unwrap();
        let run = store.begin_run("check list.txt", noon()).unwrap();
        for name in &names[..2] {
            store
                .put(&whois_key(name), &whois_answer(name), noon())
                .unwrap();
        }
        store.finish_run(run, false, noon()).unwrap();
    }
    let store = Store::open(&path).unwrap();
    let ten_minutes_later = noon() + TimeDelta::minutes(10);
    let to_fetch: Vec<_> = names
        .iter()
        .filter(|name| {
            CachePolicy::default()
                .consult(&store, &whois_key(name), ten_minutes_later)
                .unwrap()
                == CacheDecision::Fetch
        })
        .collect();
    assert_eq!(to_fetch, [&"c.com", &"d.com"]);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("notes.txt");
    let text = "this is not SQLite, and it is somebody's file\n".repeat(20);
    std::fs::write(&path, &text).unwrap();
    let before = FileState::of(&path);
    let error = Store::open(&path).unwrap_err();
    assert!(error.is_not_a_store(), "{error}");
    assert_eq!(FileState::of(&path), before);
}

/// A file's bytes and modification time, to show it was not touched.
#[derive(Debug, PartialEq, Eq)]
struct FileState {
    bytes: Vec<u8>,
    modified: std::time::SystemTime,
}

impl FileState {
    fn of(path: &Path) -> FileState {
        FileState {
            bytes: std::fs::read(path).unwrap(),
            modified: std::fs::metadata(path).unwrap().modified().unwrap(),
        }
    }
}

/// Issue #13: `--store` naming another program's SQLite database must
/// not turn it into a store (WAL switch, new tables) or touch it at all.
#[test]
fn another_sqlite_database_is_refused_and_left_byte_for_byte() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("contacts.db");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE contacts (name TEXT, phone TEXT);
                 INSERT INTO contacts VALUES ('Ada', '+44 20 7946 0000');",
            )
            .unwrap();
    }
    let before = FileState::of(&path);
    let error = Store::open(&path).unwrap_err();
    assert!(error.is_not_a_store(), "{error}");
    assert!(error.to_string().contains("contacts"), "{error}");
    let error = Store::open_read_only(&path).unwrap_err();
    assert!(error.is_not_a_store(), "{error}");
    assert_eq!(FileState::of(&path), before);
    let mut names: Vec<_> = std::fs::read_dir(directory.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["contacts.db"], "no journal or WAL left beside it");
}

/// Issue #13: domlife's table names alone (no schema version) are not a
/// store either: somebody else's tables of the same names.
#[test]
fn tables_named_like_a_store_without_its_version_are_refused() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("look-alike.sqlite3");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE responses (x); CREATE TABLE runs (x); CREATE TABLE results (x);",
            )
            .unwrap();
    }
    let before = FileState::of(&path);
    let error = Store::open(&path).unwrap_err();
    assert!(error.is_not_a_store(), "{error}");
    assert_eq!(FileState::of(&path), before);
}

/// An empty file holds nothing to lose: SQLite reads it as an empty
/// database, and it becomes a new store (as after `touch`).
#[test]
fn an_empty_file_becomes_a_new_store() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("domlife.sqlite3");
    std::fs::write(&path, b"").unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    store
        .put(
            &whois_key("example.com"),
            &whois_answer("example.com"),
            noon(),
        )
        .unwrap();
    assert!(store.get(&whois_key("example.com")).unwrap().is_some());
}

#[test]
fn a_store_from_a_newer_domlife_is_refused() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("domlife.sqlite3");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let error = Store::open(&path).unwrap_err();
    assert!(
        matches!(error, StoreError::NewerSchema { found, supported, .. }
            if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
        "{error}"
    );
}

#[test]
fn a_missing_parent_directory_is_an_open_error() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("no/such/dir/domlife.sqlite3");
    let error = Store::open(&path).unwrap_err();
    assert!(matches!(error, StoreError::Open { path: failed, .. } if failed == path));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_tokio_tasks_store_answers_at_once_and_none_is_lost() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("domlife.sqlite3");
    let store = Store::open(&path).unwrap();
    let tasks: Vec<_> = (0..200)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move {
                let name = format!("name-{n}.com");
                let answer = whois_answer(&name);
                let key = whois_key(&name);
                store
                    .call(move |store| store.put(&key, &answer, noon()))
                    .await
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    drop(store);
    assert_eq!(responses_count(&path), 200);
}

#[test]
fn processes_opening_a_new_file_at_once_create_the_schema_once() {
    let directory = tempfile::tempdir().unwrap();
    let path = Arc::new(directory.path().join("domlife.sqlite3"));
    let openers: Vec<_> = (0..4)
        .map(|_| {
            let path = Arc::clone(&path);
            std::thread::spawn(move || {
                let store = Store::open(&path)?;
                store.schema_version()
            })
        })
        .collect();
    for opener in openers {
        assert_eq!(opener.join().unwrap().unwrap(), SCHEMA_VERSION);
    }
}

#[test]
fn two_connections_to_one_file_write_concurrently() {
    let directory = tempfile::tempdir().unwrap();
    let path = Arc::new(directory.path().join("domlife.sqlite3"));
    // Create the schema first, as a second process would find it.
    drop(Store::open(&path).unwrap());
    let writers: Vec<_> = (0..2)
        .map(|writer| {
            let path = Arc::clone(&path);
            std::thread::spawn(move || {
                let store = Store::open(&path).unwrap();
                for n in (writer * 100)..(writer * 100 + 100) {
                    let name = format!("name-{n}.com");
                    store
                        .put(&whois_key(&name), &whois_answer(&name), noon())
                        .unwrap();
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap();
    }
    assert_eq!(responses_count(&path), 200);
}

#[tokio::test]
async fn the_async_call_returns_what_the_closure_returns() {
    let store = Store::in_memory().unwrap();
    let run = store
        .call(|store| store.begin_run("check", noon()))
        .await
        .unwrap();
    let previous = store
        .call(move |store| store.previous_result("example.com", run))
        .await
        .unwrap();
    assert_eq!(previous, None);
}

/// A store written before notifications (schema 1) opens at the current
/// version with its history intact: the phase of old rows is unknown, and
/// no target was told anything yet.
#[test]
fn a_version_1_store_migrates_and_keeps_its_history() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("domlife.sqlite3");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE responses (protocol TEXT NOT NULL, role TEXT NOT NULL,
                     server TEXT NOT NULL, domain TEXT NOT NULL, outcome TEXT NOT NULL,
                     error_kind TEXT, http_status INTEGER, body BLOB NOT NULL,
                     fetched_at INTEGER NOT NULL,
                     PRIMARY KEY (protocol, role, server, domain));
                 CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT,
                     started_at INTEGER NOT NULL, finished_at INTEGER,
                     complete INTEGER NOT NULL DEFAULT 0, args TEXT NOT NULL);
                 CREATE TABLE results (
                     run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                     domain TEXT NOT NULL, record TEXT NOT NULL, findings TEXT NOT NULL,
                     as_of INTEGER NOT NULL, PRIMARY KEY (run_id, domain));
                 CREATE INDEX results_by_domain ON results (domain, run_id);
                 INSERT INTO runs (started_at, finished_at, complete, args)
                     VALUES (1700000000000, 1700000001000, 1, 'check domains.txt');
                 INSERT INTO results VALUES
                     (1, 'example.com', '{\"registered\": true}', '[]', 1700000000000);
                 PRAGMA user_version = 1;",
            )
            .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let history = store.history("example.com").unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].record["registered"], true);
    assert_eq!(
        store
            .delivered_result("some-target", "example.com", true)
            .unwrap(),
        None
    );
    store
        .mark_delivered("some-target", history[0].run, Utc::now())
        .unwrap();
    let delivered = store
        .delivered_result("some-target", "example.com", true)
        .unwrap()
        .expect("the delivered run");
    assert_eq!(delivered.phase, None);
    assert_eq!(delivered.record["registered"], true);
}
