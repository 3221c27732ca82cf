//! SIGKILL in the middle of a large run, several times (issue #13): after
//! each kill the store opens without error and passes SQLite's integrity
//! check, what was stored before is still there (the cached answers and
//! the recorded results only grow), and a last run finishes the list,
//! asking the registry only for what the killed runs had not stored.

pub mod support;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use domlife::store::Store;
use serde_json::Value;
use support::{MockConfig, MockRegistry, run};
use tempfile::TempDir;

const NAMES: usize = 600;
const KILLS: usize = 4;

/// (cached answers, recorded results) in the store, read after opening it
/// as domlife does and checking its integrity.
fn store_counts(path: &Path) -> (i64, i64) {
    let store = Store::open(path).unwrap_or_else(|error| panic!("the store opens: {error}"));
    drop(store);
    let connection = rusqlite::Connection::open(path).expect("opens the file");
    let integrity: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity check runs");
    assert_eq!(integrity, "ok");
    let count = |table: &str| -> i64 {
        connection
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .expect("counts rows")
    };
    (count("responses"), count("results"))
}

/// A pseudo-random delay in [300, 2300) ms from a seed (printed, so a
/// failure can be replayed).
fn delay(seed: &mut u64) -> Duration {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    Duration::from_millis(300 + *seed % 2_000)
}

fn check(dir: &Path, bootstrap: &Path, list: &Path, rate: &str) -> std::process::Command {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("domlife"));
    command
        .env("DOMLIFE_CACHE_DIR", dir)
        .args([
            "check",
            "--format",
            "ndjson",
            "--allow-loopback",
            "--as-of",
            "2026-01-01",
        ])
        .args(["--timeout", "10", "--rate", rate, "--store"])
        .arg(dir.join("store.sqlite3"))
        .arg("--bootstrap")
        .arg(bootstrap)
        .arg(list);
    command
}

/// Issue #13: four SIGKILLs at random points of a 600-name run, then a run
/// to the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_points_loses_nothing_stored_and_the_next_run_finishes() {
    let mock = MockRegistry::start(
        MockConfig::new()
            .tld("com")
            .generated()
            .latency(Duration::from_millis(20), Duration::from_millis(30)),
    )
    .await
    .expect("mock starts");
    let dir = TempDir::new().expect("temp dir");
    let bootstrap = dir.path().join("dns.json");
    std::fs::write(&bootstrap, mock.bootstrap_json()).expect("bootstrap");
    let names: Vec<String> = (0..NAMES)
        .map(|index| format!("crash{index:04}.com"))
        .collect();
    let list = dir.path().join("names.txt");
    std::fs::write(&list, names.join("\n")).expect("list");
    let rate = format!("{}=150/s", mock.base_url().trim_start_matches("http://"));
    let store = dir.path().join("store.sqlite3");

    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |since| since.as_nanos() as u64)
        | 1;
    eprintln!("kill delays seeded with {seed}");
    let mut counts = (0, 0);
    for kill in 0..KILLS {
        let mut child: Child = check(dir.path(), &bootstrap, &list, &rate)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts");
        let wait = delay(&mut seed);
        tokio::time::sleep(wait).await;
        // std's kill is SIGKILL: no handler runs, nothing is flushed.
        let _ = child.kill();
        let _ = child.wait();
        let after = store_counts(&store);
        eprintln!("kill {kill} after {wait:?}: {after:?} (answers, results)");
        assert!(
            after.0 >= counts.0 && after.1 >= counts.1,
            "{counts:?} then {after:?}"
        );
        counts = after;
    }

    let asked_before = mock.requests().len();
    let mut last = assert_cmd::Command::from_std(check(dir.path(), &bootstrap, &list, &rate));
    last.timeout(Duration::from_secs(120));
    let output = run(last).await.get_output().clone();
    // 1 when a generated record has a finding: the run itself completed.
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{:?}",
        output.status
    );
    let results: Vec<Value> = output
        .stdout
        .split(|byte| *byte == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice(line).expect("a JSON result"))
        .collect();
    assert_eq!(results.len(), NAMES);
    assert!(results.iter().all(|result| result["outcome"] == "checked"));
    let (answers, _) = store_counts(&store);
    assert_eq!(answers, NAMES as i64, "every answer is stored");
    // The last run asked only for what the killed runs had not stored.
    let asked_last = mock.requests().len() - asked_before;
    assert_eq!(asked_last as i64, NAMES as i64 - counts.0, "{counts:?}");
}
