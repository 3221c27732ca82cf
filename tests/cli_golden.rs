//! Golden outputs of the real binary: every `check` format for the README
//! demo and for a list that raises every finding code, plus `show`,
//! `timeline`, `policies` and `history`. They pin what users and scripts
//! see, byte for byte, so that a refactoring of the run (issue #12) cannot
//! change a report unnoticed.
//!
//! Only what a run cannot reproduce is masked: instants taken from the
//! clock during the run (`meta.started`, the JUnit timestamp, ICS
//! `DTSTAMP`, a history run's start) become `[now]`, and the temporary
//! directory of the mock world becomes `[dir]`. Anything else that changes
//! is a change of behaviour: review it, then accept it with
//! `INSTA_UPDATE=always cargo test --test cli_golden` (snapshots in
//! tests/snapshots/).
//!
//! The scenarios: `fixtures/replay` (the demo) and `tests/golden/` (see its
//! README.md: synthetic answers for every finding code, a baseline for
//! `changed`).

pub mod support;

use std::path::Path;

use assert_cmd::Command;
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use regex::{Captures, Regex};
use support::check_world::CheckWorld;
use support::run;

const FORMATS: [&str; 9] = [
    "table",
    "json",
    "ndjson",
    "csv",
    "markdown",
    "github",
    "junit",
    "ics",
    "prometheus",
];

const DEMO: [&str; 7] = [
    "examples/portfolio.csv",
    "--replay",
    "fixtures/replay",
    "--as-of",
    "2025-06-01",
    "--no-store",
    "--color=never",
];

const COVERAGE: [&str; 9] = [
    "tests/golden/coverage.csv",
    "--replay",
    "tests/golden/replay",
    "--as-of",
    "2025-06-01",
    "--no-store",
    "--color=never",
    "--baseline",
    "tests/golden/baseline.json",
];

/// The binary, run from the repository root with no `domlife.toml` in
/// reach and an empty cache directory of its own.
fn domlife(cache: &Path) -> Command {
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DOMLIFE_CACHE_DIR", cache)
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1");
    command
}

/// Runs `command` and returns its exit status and standard output with the
/// run's own instants masked.
fn output(mut command: Command) -> (i32, String) {
    let before = Utc::now() - TimeDelta::seconds(2);
    let output = command.output().expect("the binary runs");
    let after = Utc::now() + TimeDelta::seconds(2);
    let text = String::from_utf8(output.stdout).expect("UTF-8 output");
    let code = output.status.code().unwrap_or(-1);
    (code, mask_instants(&text, before, after))
}

/// Replaces the instants between `from` and `to` (RFC 3339, with or without
/// fractions, or the ICS basic form) with `[now]`.
fn mask_instants(text: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let rfc3339 =
        Regex::new(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)").expect("regex");
    let during = |instant: DateTime<Utc>| instant >= from && instant <= to;
    let text = rfc3339.replace_all(text, |found: &Captures| {
        let raw = &found[0];
        let parsed = DateTime::parse_from_rfc3339(&raw.replacen(' ', "T", 1))
            .map(|instant| instant.with_timezone(&Utc));
        match parsed {
            Ok(instant) if during(instant) => "[now]".to_owned(),
            _ => raw.to_owned(),
        }
    });
    let basic = Regex::new(r"\b\d{8}T\d{6}Z\b").expect("regex");
    basic
        .replace_all(&text, |found: &Captures| {
            let raw = &found[0];
            match NaiveDateTime::parse_from_str(raw, "%Y%m%dT%H%M%SZ") {
                Ok(instant) if during(instant.and_utc()) => "[now]".to_owned(),
                _ => raw.to_owned(),
            }
        })
        .into_owned()
}

fn snapshot(name: &str, (code, text): (i32, String)) {
    let shown = format!("exit status: {code}\n{text}");
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!(name, shown);
    });
}

#[test]
fn check_formats_of_the_demo() {
    let cache = tempfile::tempdir().expect("temp dir");
    for format in FORMATS {
        let mut command = domlife(cache.path());
        command.arg("check").args(DEMO).args(["--format", format]);
        snapshot(&format!("demo_{format}"), output(command));
    }
}

#[test]
fn check_formats_of_every_finding_code() {
    let cache = tempfile::tempdir().expect("temp dir");
    for format in FORMATS {
        let mut command = domlife(cache.path());
        command
            .arg("check")
            .args(COVERAGE)
            .args(["--format", format]);
        snapshot(&format!("coverage_{format}"), output(command));
    }
}

#[test]
fn check_report_files_and_sort_orders() {
    let cache = tempfile::tempdir().expect("temp dir");
    let dir = tempfile::tempdir().expect("temp dir");
    let markdown = dir.path().join("summary.md");
    let mut command = domlife(cache.path());
    command
        .arg("check")
        .args(COVERAGE)
        .args(["--format", "csv", "--sort", "done", "--fail-on", "warning"])
        .arg("--report")
        .arg(format!("markdown={}", markdown.display()));
    snapshot("coverage_csv_sorted_done", output(command));
    let written = std::fs::read_to_string(&markdown).expect("the report file is written");
    snapshot("coverage_markdown_report_file", (0, written));
}

#[test]
fn show_in_both_formats() {
    let cache = tempfile::tempdir().expect("temp dir");
    for name in [
        "google.com",
        "unpaid-example.com",
        "google.de",
        "released-example.com",
        "late-delete-example.com",
        "uncaptured-example.com",
    ] {
        for format in ["table", "json"] {
            let mut command = domlife(cache.path());
            command.args(["show", name, "--replay", "tests/golden/replay"]);
            command.args(["--as-of", "2025-06-01", "--no-store", "--format", format]);
            snapshot(&format!("show_{name}_{format}"), output(command));
        }
    }
}

#[test]
fn timeline_and_policies() {
    let cache = tempfile::tempdir().expect("temp dir");
    let cases: [(&str, &[&str]); 6] = [
        (
            "timeline_article",
            &[
                "timeline",
                "example.com",
                "--expires",
                "2024-06-30",
                "--grace",
                "30",
                "--redemption",
                "30",
                "--pending-delete",
                "5",
                "--as-of",
                "2024-08-01",
            ],
        ),
        (
            "timeline_cn_json",
            &[
                "timeline",
                "example.cn",
                "--expires",
                "2025-03-10T11:05:05+08:00",
                "--registrar",
                "阿里云",
                "--as-of",
                "2025-04-20",
                "--format",
                "json",
            ],
        ),
        ("policies_all", &["policies"]),
        ("policies_cn", &["policies", "cn"]),
        (
            "policies_com_registrar_json",
            &["policies", "com", "--registrar", "146", "--format", "json"],
        ),
        ("policies_uk", &["policies", "uk"]),
    ];
    for (name, args) in cases {
        let mut command = domlife(cache.path());
        command.args(args);
        snapshot(name, output(command));
    }
}

#[tokio::test]
async fn history_of_two_recorded_runs() {
    let world = CheckWorld::start().await;
    world.file(
        "domains.txt",
        "google.com\ngone.com\ngoogle.cn\nnot a name\n",
    );
    for (as_of, refresh) in [("2025-01-01", false), ("2025-02-01", true)] {
        let mut command = world.check_on(as_of);
        command.args(["domains.txt", "--format", "ndjson"]);
        if refresh {
            command.arg("--refresh");
        }
        run(command).await;
    }
    let dir = world.dir.path().to_string_lossy().into_owned();
    // The mocks listen on a new port each run.
    let port = Regex::new(r"127\.0\.0\.1:\d+").expect("regex");
    for name in ["google.com", "google.cn", "gone.com", "never-seen.com"] {
        for format in ["table", "json"] {
            let mut command = Command::cargo_bin("domlife").expect("binary builds");
            command
                .current_dir(world.dir.path())
                .env("DOMLIFE_CACHE_DIR", world.dir.path())
                .args(["history", name, "--format", format]);
            let (code, text) = tokio::task::spawn_blocking(move || output(command))
                .await
                .expect("the binary runs");
            let text = port
                .replace_all(&text.replace(&dir, "[dir]"), "127.0.0.1:[port]")
                .into_owned();
            snapshot(&format!("history_{name}_{format}"), (code, text));
        }
    }
}
