//! The exit statuses of an audit when things other than the registries go
//! wrong (issue #13): a report that cannot be written after the run is 4,
//! with the path and the OS error, and the store still records the run; a
//! `--report` path found unusable before any lookup stays 2; a reader that
//! closes the pipe (`| head`) ends the run quietly. When several apply,
//! 130/143, 2, 4, 1, 3, 0: the first wins.
//!
//! `/dev/full` is Linux's file that refuses every write with ENOSPC: a
//! full disk on demand.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;
use support::check_world::CheckWorld;

pub mod support;

const DEMO: [&str; 5] = [
    "check",
    "examples/portfolio.csv",
    "--replay",
    "fixtures/replay",
    "--as-of=2025-06-01",
];

fn domlife(cache: &Path) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("domlife"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DOMLIFE_CACHE_DIR", cache);
    command
}

fn full_disk_available() -> bool {
    Path::new("/dev/full").exists()
}

#[test]
fn a_report_file_that_cannot_be_written_is_exit_4_naming_it() {
    if !full_disk_available() {
        eprintln!("skipped: no /dev/full on this system");
        return;
    }
    let cache = tempfile::tempdir().expect("temp dir");
    let output = domlife(cache.path())
        .args(DEMO)
        .args([
            "--no-store",
            "--format",
            "json",
            "--report",
            "junit=/dev/full",
        ])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("cannot write the report /dev/full: No space left on device"),
        "{stderr}"
    );
    // The report on standard output was still written whole.
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(report["meta"]["counts"]["names"], 9);
}

#[tokio::test]
async fn standard_output_on_a_full_disk_is_exit_4_and_the_store_keeps_the_run() {
    if !full_disk_available() {
        eprintln!("skipped: no /dev/full on this system");
        return;
    }
    let world = CheckWorld::start().await;
    world.file("domains.txt", "google.com\ngoogle.cn\n");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("opens /dev/full");
    let mut check = Command::new(assert_cmd::cargo::cargo_bin("domlife"));
    check
        .current_dir(world.dir.path())
        .env("DOMLIFE_CACHE_DIR", world.dir.path())
        .args(["check", "--as-of", "2025-01-01"])
        .args(world.test_flags())
        .args(["domains.txt", "--format", "ndjson"])
        .stdout(full);
    let output = tokio::task::spawn_blocking(move || check.output())
        .await
        .expect("joins")
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert_eq!(
        stderr.matches("cannot write the output").count(),
        1,
        "{stderr}"
    );
    // The audit went on and the store recorded it, complete.
    for name in ["google.com", "google.cn"] {
        let history = assert_cmd::Command::cargo_bin("domlife")
            .expect("binary builds")
            .current_dir(world.dir.path())
            .env("DOMLIFE_CACHE_DIR", world.dir.path())
            .args(["history", name, "--format", "json"])
            .output()
            .expect("history runs");
        let json: Value = serde_json::from_slice(&history.stdout).expect("history JSON");
        assert_eq!(json["entries"][0]["run_complete"], true, "{name}: {json}");
        assert_eq!(json["entries"][0]["registered"], true, "{name}: {json}");
    }
}

#[test]
fn a_report_directory_missing_before_the_run_stays_exit_2() {
    let cache = tempfile::tempdir().expect("temp dir");
    let output = domlife(cache.path())
        .args(DEMO)
        .args(["--no-store", "--report", "json=/no/such/dir/report.json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}

#[test]
fn a_reader_closing_the_pipe_ends_the_run_quietly() {
    let cache = tempfile::tempdir().expect("temp dir");
    let list = cache.path().join("list.txt");
    // Enough names that the output outlives a pipe buffer.
    let names: String = (0..20_000).map(|i| format!("name{i}.com\n")).collect();
    std::fs::write(&list, names).expect("list");
    let mut child = domlife(cache.path())
        .args(["check", "--replay", "fixtures/replay", "--no-store"])
        .args(["--format", "ndjson", "--fail-on", "never"])
        .arg(&list)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 4096];
    stdout
        .read_exact(&mut first)
        .expect("reads the first lines");
    drop(stdout);
    let output = child.wait_with_output().expect("ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.is_empty(), "not quiet: {stderr}");
    // Every name it checked failed (not captured): status 3, as a run of
    // those names says; not 4, not 130.
    assert_eq!(output.status.code(), Some(3), "{stderr}");
}
