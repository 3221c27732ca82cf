//! `check --shard K/N` and `domlife merge` (issue #15): the shards of a list
//! cover it exactly once, and merging their reports gives what one run of
//! the whole list gives, in every format, with the same exit status; on
//! the demo, on a list raising every finding code, and on a generated list
//! of a few thousand names asked of the mock registries. Reports that do
//! not fit together are refused, naming them.

pub mod support;

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use regex::Regex;
use serde_json::Value;
use support::bulk_world::{BulkWorld, HostPlan, WorldPlan};
use support::run;
use tempfile::TempDir;

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

fn domlife(cache: &Path) -> Command {
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DOMLIFE_CACHE_DIR", cache)
        .env("NO_COLOR", "1");
    command
}

/// `check` of a list on captured answers, as of 2025-06-01.
fn offline_check(cache: &Path, list: &str, replay: &str, extra: &[&str]) -> (i32, Vec<u8>) {
    let output = domlife(cache)
        .args(["check", list, "--replay", replay, "--as-of", "2025-06-01"])
        .args(["--no-store", "--color=never"])
        .args(extra)
        .output()
        .expect("the binary runs");
    (output.status.code().unwrap_or(-1), output.stdout)
}

/// Instants a run takes from the clock (within the last hour): the only
/// thing allowed to differ between a merged report and one run's.
fn mask(text: &str) -> String {
    let rfc3339 = Regex::new(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)").unwrap();
    let ics = Regex::new(r"DTSTAMP:\d{8}T\d{6}Z").unwrap();
    let now = chrono::Utc::now();
    let text = rfc3339.replace_all(text, |found: &regex::Captures| {
        match chrono::DateTime::parse_from_rfc3339(&found[0]) {
            Ok(instant) if (now - instant.to_utc()).num_minutes().abs() < 60 => "[now]".to_owned(),
            _ => found[0].to_owned(),
        }
    });
    ics.replace_all(&text, "DTSTAMP:[now]").into_owned()
}

/// ndjson is written as lookups complete: compared as a set of lines.
fn comparable(format: &str, text: String) -> String {
    if format != "ndjson" {
        return text;
    }
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    lines.join("\n")
}

/// Shards `list` in `n` (half as json, half as ndjson reports) and
/// merges them in every format; each must equal one run of the list.
/// `extra` goes to `check`, `fail_on` to both.
fn shards_merge_like_one_run(list: &str, replay: &str, extra: &[&str], fail_on: &str) {
    let extra: &[&str] = &[extra, &["--fail-on", fail_on]].concat();
    let cache = TempDir::new().expect("temp dir");
    let dir = TempDir::new().expect("temp dir");
    let n = 3;
    let mut reports: Vec<PathBuf> = Vec::new();
    for k in 1..=n {
        let format = if k % 2 == 0 { "ndjson" } else { "json" };
        let shard = format!("{k}/{n}");
        let (_, stdout) = offline_check(
            cache.path(),
            list,
            replay,
            &[extra, &["--shard", &shard, "--format", format]].concat(),
        );
        let path = dir.path().join(format!("shard-{k}.{format}"));
        std::fs::write(&path, stdout).expect("writes the shard report");
        reports.push(path);
    }
    reports.reverse(); // the order given to merge does not matter
    for format in FORMATS {
        let (whole_code, whole) = offline_check(
            cache.path(),
            list,
            replay,
            &[extra, &["--format", format]].concat(),
        );
        let merged = domlife(cache.path())
            .arg("merge")
            .args(&reports)
            .args(["--format", format, "--color=never", "--fail-on", fail_on])
            .output()
            .expect("merge runs");
        let merged_text = comparable(format, mask(&String::from_utf8_lossy(&merged.stdout)));
        assert_eq!(
            comparable(format, mask(&String::from_utf8_lossy(&whole))),
            merged_text,
            "{list} as {format}: merged shards differ from one run; stderr: {}",
            String::from_utf8_lossy(&merged.stderr)
        );
        assert_eq!(merged.status.code(), Some(whole_code), "{format}");
    }
}

#[test]
fn the_demo_in_shards_merges_into_the_report_of_one_run() {
    shards_merge_like_one_run("examples/portfolio.csv", "fixtures/replay", &[], "error");
}

#[test]
fn a_list_with_every_finding_code_merges_into_the_report_of_one_run() {
    shards_merge_like_one_run(
        "tests/golden/coverage.csv",
        "tests/golden/replay",
        &["--baseline", "tests/golden/baseline.json"],
        "notice",
    );
}

#[test]
fn every_entry_is_in_exactly_one_shard() {
    let cache = TempDir::new().expect("temp dir");
    let lines = |stdout: Vec<u8>| -> Vec<Value> {
        String::from_utf8(stdout)
            .expect("UTF-8")
            .lines()
            .map(|line| serde_json::from_str(line).expect("JSON line"))
            .collect()
    };
    let (_, whole) = offline_check(
        cache.path(),
        "tests/golden/coverage.csv",
        "tests/golden/replay",
        &["--format", "ndjson"],
    );
    let whole: HashSet<String> = lines(whole)
        .iter()
        .map(|result| result["domain"].to_string())
        .collect();
    let mut seen = Vec::new();
    for k in 1..=4 {
        let shard = format!("{k}/4");
        let (_, stdout) = offline_check(
            cache.path(),
            "tests/golden/coverage.csv",
            "tests/golden/replay",
            &["--format", "ndjson", "--shard", &shard],
        );
        let lines = lines(stdout);
        let meta = &lines[0]["meta"]["shard"];
        assert_eq!((meta["k"].as_u64(), meta["n"].as_u64()), (Some(k), Some(4)));
        assert_eq!(meta["list_sha256"].as_str().map(str::len), Some(64));
        seen.extend(lines[1..].iter().map(|result| result["domain"].to_string()));
    }
    let distinct: HashSet<String> = seen.iter().cloned().collect();
    assert_eq!(distinct.len(), seen.len(), "an entry in two shards");
    assert_eq!(distinct, whole);
}

#[test]
fn an_unsharded_report_has_no_shard_key() {
    let cache = TempDir::new().expect("temp dir");
    let (_, stdout) = offline_check(
        cache.path(),
        "examples/portfolio.csv",
        "fixtures/replay",
        &["--format", "json"],
    );
    let report: Value = serde_json::from_slice(&stdout).expect("JSON report");
    assert!(report["meta"].get("shard").is_none(), "{}", report["meta"]);
}

/// Shard reports of the coverage list, k of n, as json.
fn shard_report(dir: &Path, cache: &Path, k: u32, n: u32, extra: &[&str]) -> PathBuf {
    let shard = format!("{k}/{n}");
    let (_, stdout) = offline_check(
        cache,
        "tests/golden/coverage.csv",
        "tests/golden/replay",
        &[extra, &["--shard", &shard, "--format", "json"]].concat(),
    );
    let path = dir.join(format!("shard-{k}-{n}-{}.json", extra.len()));
    std::fs::write(&path, stdout).expect("writes report");
    path
}

fn merge(cache: &Path, reports: &[&Path], extra: &[&str]) -> (i32, String, String) {
    let output = domlife(cache)
        .arg("merge")
        .args(reports)
        .args(extra)
        .output()
        .expect("merge runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn reports_that_do_not_fit_together_are_refused_naming_them() {
    let cache = TempDir::new().expect("temp dir");
    let dir = TempDir::new().expect("temp dir");
    let one = shard_report(dir.path(), cache.path(), 1, 2, &[]);
    let of_three = shard_report(dir.path(), cache.path(), 2, 3, &[]);
    let other_day = {
        let output = domlife(cache.path())
            .args([
                "check",
                "tests/golden/coverage.csv",
                "--replay",
                "tests/golden/replay",
            ])
            .args([
                "--as-of",
                "2025-07-01",
                "--no-store",
                "--shard",
                "2/2",
                "--format",
                "json",
            ])
            .output()
            .expect("the binary runs");
        let path = dir.path().join("other-day.json");
        std::fs::write(&path, output.stdout).expect("writes report");
        path
    };
    let other_list = {
        let (_, stdout) = offline_check(
            cache.path(),
            "examples/portfolio.csv",
            "fixtures/replay",
            &["--shard", "2/2", "--format", "json"],
        );
        let path = dir.path().join("other-list.json");
        std::fs::write(&path, stdout).expect("writes report");
        path
    };
    let whole = {
        let (_, stdout) = offline_check(
            cache.path(),
            "tests/golden/coverage.csv",
            "tests/golden/replay",
            &["--format", "json"],
        );
        let path = dir.path().join("whole.json");
        std::fs::write(&path, stdout).expect("writes report");
        path
    };
    let cases: [(&[&Path], &str); 6] = [
        (&[&one], "shard 2 of 2 missing"),
        (&[&one, &one], "are both shard 1/2"),
        (&[&one, &of_three], "is a shard of 2 and"),
        (&[&one, &other_day], "as of 2025-06-01 but"),
        (&[&one, &other_list], "shards of different lists"),
        (&[&one, &whole], "is a shard report but"),
    ];
    for (reports, why) in cases {
        let (code, stdout, stderr) = merge(cache.path(), reports, &[]);
        assert_eq!(code, 2, "{reports:?}: {stderr}");
        assert!(stderr.contains(why), "{reports:?}: {stderr}");
        assert!(stdout.is_empty());
    }
    // Two whole reports of the same list overlap everywhere.
    let (code, _, stderr) = merge(cache.path(), &[&whole, &whole], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is in both"), "{stderr}");
    // A file that is no report.
    let (code, _, stderr) = merge(cache.path(), &[Path::new("README.md")], &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("README.md is not a domlife report"),
        "{stderr}"
    );

    // --allow-partial merges what there is.
    let (code, stdout, stderr) = merge(
        cache.path(),
        &[&one],
        &["--allow-partial", "--format", "json"],
    );
    assert!(code == 1 || code == 3, "{code}: {stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON");
    let first: Value = serde_json::from_slice(&std::fs::read(&one).unwrap()).unwrap();
    assert_eq!(report["results"], first["results"]);
}

#[test]
fn a_merged_report_serves_as_the_next_runs_baseline() {
    let cache = TempDir::new().expect("temp dir");
    let dir = TempDir::new().expect("temp dir");
    let shards: Vec<PathBuf> = (1..=2)
        .map(|k| shard_report(dir.path(), cache.path(), k, 2, &[]))
        .collect();
    let refs: Vec<&Path> = shards.iter().map(PathBuf::as_path).collect();
    let (_, merged, stderr) = merge(cache.path(), &refs, &["--format", "json"]);
    let baseline = dir.path().join("merged.json");
    std::fs::write(&baseline, merged).expect("writes merged");
    let (_, stdout) = offline_check(
        cache.path(),
        "tests/golden/coverage.csv",
        "tests/golden/replay",
        &["--format", "json", "--baseline", baseline.to_str().unwrap()],
    );
    let report: Value = serde_json::from_slice(&stdout).expect("JSON");
    for result in report["results"].as_array().expect("results") {
        let notes = result["notes"].to_string();
        assert!(!notes.contains("not in the baseline"), "{stderr} {notes}");
        let codes = result["findings"].to_string();
        assert!(
            !codes.contains("\"changed\""),
            "{}: {codes}",
            result["domain"]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_list_over_the_mock_registries_merges_like_one_run() {
    let plan = WorldPlan {
        rdap: vec![
            HostPlan {
                rate: None,
                weight: 2,
            },
            HostPlan {
                rate: None,
                weight: 1,
            },
        ],
        whois: Some(HostPlan {
            rate: None,
            weight: 1,
        }),
        latency: Duration::ZERO,
        jitter: Duration::ZERO,
        burst: 1,
    };
    let world = BulkWorld::start(plan).await.expect("mock world starts");
    let names = world.names(3000);
    let dir = TempDir::new().expect("temp dir");
    let mut args = world
        .check_args(dir.path(), &names)
        .expect("writes the list");
    // Repeated names and bad lines too.
    let list = PathBuf::from(args.pop().expect("the list is last"));
    let mut text = std::fs::read_to_string(&list).expect("list");
    text.push_str("bulk0000001.net\nnot a name\nBULK0000002.ORG.\n#comment\nhttp://\n");
    std::fs::write(&list, text).expect("list");
    args.extend(["--no-store", "--fail-on", "never"].map(OsString::from));
    args.extend(world.rate_flags(10_000.0).into_iter().map(OsString::from));

    let check = |extra: Vec<String>| {
        let mut command = Command::cargo_bin("domlife").expect("binary builds");
        command
            .env("DOMLIFE_CACHE_DIR", dir.path())
            .args(&args)
            .args(extra)
            .arg(&list);
        command
    };
    // One run, ndjson in completion order: keyed by name to compare. The
    // two bad lines make it exit 3 (not everything could be checked).
    let whole = run(check(Vec::new())).await.code(3);
    let whole: Vec<Value> = String::from_utf8_lossy(&whole.get_output().stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON line"))
        .collect();
    let mut reports = Vec::new();
    for k in 1..=4 {
        let assert = run(check(vec!["--shard".to_owned(), format!("{k}/4")])).await;
        let path = dir.path().join(format!("shard-{k}.ndjson"));
        let stdout = &assert.get_output().stdout;
        std::fs::write(&path, stdout).expect("writes shard");
        reports.push(path);
    }
    let mut merge = Command::cargo_bin("domlife").expect("binary builds");
    merge
        .arg("merge")
        .args(&reports)
        .args(["--format", "json", "--fail-on", "never"]);
    let merged = run(merge).await.code(3);
    let merged: Value = serde_json::from_slice(&merged.get_output().stdout).expect("JSON");
    let merged = merged["results"].as_array().expect("results").clone();
    assert_eq!(merged.len(), whole.len());
    assert_eq!(merged.len(), 3000 + 2, "3000 names, 2 bad lines");
    let key = |result: &Value| result["domain"].to_string();
    let mut sorted_whole = whole.clone();
    sorted_whole.sort_by_key(key);
    let mut sorted_merged = merged.clone();
    sorted_merged.sort_by_key(key);
    assert_eq!(sorted_whole, sorted_merged);
    // In the list's order: by first line.
    let lines: Vec<u64> = merged
        .iter()
        .map(|result| result["input"]["lines"][0]["line"].as_u64().expect("line"))
        .collect();
    assert!(
        lines.windows(2).all(|pair| pair[0] < pair[1]),
        "not in list order"
    );
}
