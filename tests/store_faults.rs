//! The store through the binary when it is not what it should be (issue
//! #13): `--store` naming a file that is not a store is refused and left
//! byte for byte; `history` reads a store it may not write without writing
//! it; a store with damaged cache pages refetches those names and says so
//! once.

pub mod support;

use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use support::check_world::CheckWorld;
use support::run;

/// A file's bytes and modification time, to show it was not touched.
#[derive(Debug, PartialEq, Eq)]
struct FileState {
    bytes: Vec<u8>,
    modified: std::time::SystemTime,
}

impl FileState {
    fn of(path: &Path) -> FileState {
        FileState {
            bytes: std::fs::read(path).expect("reads the file"),
            modified: std::fs::metadata(path)
                .and_then(|metadata| metadata.modified())
                .expect("modification time"),
        }
    }
}

/// The names in a directory, sorted.
fn listing(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(directory)
        .expect("reads the directory")
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Issue #13: `check --store` naming another program's SQLite database or
/// a text file is refused before any lookup, exit 2, the file untouched.
#[tokio::test]
async fn check_refuses_a_store_that_is_not_one_and_leaves_it_byte_for_byte() {
    let world = CheckWorld::start().await;
    let list = world.file("list.txt", "google.com\n");
    let foreign = world.path("contacts.db");
    {
        let connection = rusqlite::Connection::open(&foreign).expect("creates a database");
        connection
            .execute_batch(
                "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada');",
            )
            .expect("fills it");
    }
    let text = world.file("notes.txt", "not a database, somebody's notes\n");
    for path in [&foreign, &text] {
        let before = FileState::of(path);
        let mut command = world.check();
        command.arg("--store").arg(path).arg(&list);
        let assert = run(command).await.code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains("is not a domlife store"), "{stderr}");
        assert_eq!(FileState::of(path), before, "{}", path.display());
    }
    assert!(world.registry.requests().is_empty(), "no lookup was made");
    let beside = listing(world.dir.path());
    assert!(
        !beside.iter().any(|name| name.starts_with("contacts.db-")),
        "no journal or WAL beside the database: {beside:?}"
    );
}

/// A store as domlife 0.1 wrote it (schema 1) with one audit of
/// example.com: a read-write open would migrate it, changing the file.
fn version_1_store(path: &Path) {
    let connection = rusqlite::Connection::open(path).expect("creates the store");
    connection
        .execute_batch(
            "PRAGMA journal_mode = WAL;
             CREATE TABLE responses (protocol TEXT NOT NULL, role TEXT NOT NULL,
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
        .expect("fills the store");
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Issue #13: `history` opens the store read-only. The store is mode 0444
/// in a directory of mode 0555; as root those bits stop nothing, so the
/// store is also one at schema 1, which any read-write open migrates: the
/// file must come out byte for byte as it went in, with nothing beside it.
#[test]
fn history_reads_a_read_only_store_without_writing_it() {
    let directory = tempfile::tempdir().expect("temp dir");
    let shelf = directory.path().join("shelf");
    std::fs::create_dir(&shelf).expect("creates the directory");
    let store: PathBuf = shelf.join("domlife.sqlite3");
    version_1_store(&store);
    set_mode(&store, 0o444);
    set_mode(&shelf, 0o555);
    let before = FileState::of(&store);
    let listed = listing(&shelf);
    let output = Command::cargo_bin("domlife")
        .expect("binary builds")
        .args(["history", "example.com", "--format", "json", "--store"])
        .arg(&store)
        .output()
        .expect("history runs");
    set_mode(&shelf, 0o755);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let history: Value = serde_json::from_slice(&output.stdout).expect("history JSON");
    let entries = history["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{history}");
    assert_eq!(entries[0]["registered"], true);
    assert_eq!(FileState::of(&store), before);
    assert_eq!(listing(&shelf), listed);
}

/// Overwrites the first page of the `responses` table (the response
/// cache) with garbage, leaving the history's pages as they were.
fn damage_the_cache(store: &Path) {
    let (root, page_size) = {
        let connection = rusqlite::Connection::open(store).expect("opens the store");
        // Everything into the main file first, so the damage is not
        // shadowed by a newer copy of the page in the WAL.
        connection
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .expect("checkpoints");
        let root: i64 = connection
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'responses'",
                [],
                |row| row.get(0),
            )
            .expect("the cache table");
        let page_size: i64 = connection
            .query_row("PRAGMA page_size", [], |row| row.get(0))
            .expect("page size");
        (
            u64::try_from(root).expect("a page number"),
            u64::try_from(page_size).expect("a page size"),
        )
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .open(store)
        .expect("opens the file");
    file.seek(SeekFrom::Start((root - 1) * page_size))
        .expect("seeks");
    let garbage: Vec<u8> = (0..page_size)
        .map(|index| (index * 37 % 251) as u8)
        .collect();
    file.write_all(&garbage).expect("writes garbage");
    file.sync_all().expect("syncs");
}

/// (domain, outcome) of each result of a JSON report.
fn outcomes(stdout: &[u8]) -> Vec<(String, String)> {
    let json: Value = serde_json::from_slice(stdout).expect("JSON report");
    json["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| {
            (
                result["domain"].as_str().unwrap_or_default().to_owned(),
                result["outcome"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Issue #13: damaged cache pages are not failed lookups. The second run
/// (the cached answers still fresh) finds the cache unreadable, asks the
/// registries again for every name, gives the same results as the first,
/// records its history, and warns once, not once per name.
#[tokio::test]
async fn damaged_cache_pages_are_refetched_and_said_once() {
    let world = CheckWorld::start().await;
    let list = world.file("list.txt", "google.com\ngone.com\ngoogle.cn\ngoogle.de\n");
    let store = world.path("store.sqlite3");
    let check = || {
        let mut command = world.check();
        command
            .args(["--format", "json", "--store"])
            .arg(&store)
            .arg(&list);
        command
    };
    let first = run(check()).await;
    let first_outcomes = outcomes(&first.get_output().stdout);
    let first_code = first.get_output().status.code();
    let registry_asked = world.registry.requests();
    let whois_asked = world.whois.received();
    assert_eq!(
        registry_asked.len(),
        3,
        "google.com, its registrar, gone.com"
    );
    damage_the_cache(&store);

    let second = run(check()).await;
    assert_eq!(second.get_output().status.code(), first_code);
    assert_eq!(outcomes(&second.get_output().stdout), first_outcomes);
    let stderr = String::from_utf8_lossy(&second.get_output().stderr).into_owned();
    assert_eq!(
        stderr.matches("the store is damaged").count(),
        1,
        "{stderr}"
    );
    // Lookups run concurrently: the same requests, in any order.
    let sorted = |requests: &[String]| {
        let mut requests = requests.to_vec();
        requests.sort();
        requests
    };
    let registry_again = world.registry.requests();
    assert_eq!(
        sorted(&registry_again[registry_asked.len()..]),
        sorted(&registry_asked)
    );
    let whois_again = world.whois.received();
    assert_eq!(
        sorted(&whois_again[whois_asked.len()..]),
        sorted(&whois_asked)
    );

    let history = Command::cargo_bin("domlife")
        .expect("binary builds")
        .args(["history", "google.com", "--format", "json", "--store"])
        .arg(&store)
        .output()
        .expect("history runs");
    let history: Value = serde_json::from_slice(&history.stdout).expect("history JSON");
    assert_eq!(
        history["entries"].as_array().map(Vec::len),
        Some(2),
        "{history}"
    );
}

/// Issue #13: a cached RDAP answer overwritten with garbage (the row
/// intact, its bytes not) is asked again, once, and said once.
#[tokio::test]
async fn a_garbage_cached_body_is_refetched_and_said_once() {
    let world = CheckWorld::start().await;
    let list = world.file("list.txt", "google.com\ngone.com\n");
    let store = world.path("store.sqlite3");
    let check = || {
        let mut command = world.check();
        command
            .args(["--format", "json", "--store"])
            .arg(&store)
            .arg(&list);
        command
    };
    let first = run(check()).await;
    let first_outcomes = outcomes(&first.get_output().stdout);
    let asked = world.registry.requests().len();
    {
        let connection = rusqlite::Connection::open(&store).expect("opens the store");
        let changed = connection
            .execute(
                "UPDATE responses SET body = x'00ff13fe8000' WHERE domain = 'google.com' AND role = 'registry'",
                [],
            )
            .expect("overwrites the body");
        assert_eq!(changed, 1);
    }
    let second = run(check()).await;
    assert_eq!(outcomes(&second.get_output().stdout), first_outcomes);
    let stderr = String::from_utf8_lossy(&second.get_output().stderr).into_owned();
    assert_eq!(
        stderr.matches("holds an unreadable answer").count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        world.registry.requests()[asked..],
        ["/registry/domain/google.com".to_owned()],
        "only the damaged answer is asked again"
    );
}
