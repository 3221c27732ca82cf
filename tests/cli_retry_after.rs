//! A registry that says "come back tomorrow" (issue #13): a `Retry-After`
//! far beyond `--patience` is not waited out. The run ends without waiting,
//! and every name of that registry is a rate-limited result that says until
//! when the registry asked to be left alone.

pub mod support;

use std::time::Duration;

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use serde_json::Value;
use support::{MockConfig, MockRegistry, Reply, run};
use tempfile::TempDir;

/// The date in "until 2026-12-07T06:50:00Z" of a message.
fn until(message: &str) -> Option<DateTime<Utc>> {
    let (_, rest) = message.split_once("until ")?;
    let date = rest.split([' ', ')']).next()?;
    date.parse().ok()
}

/// Issue #13: Retry-After: 86400 against --patience 5. Every name ends as
/// rate limited with the time asked (a day from the run, within the
/// test's own clock drift), and only the first request of each flight
/// reaches the registry: the others are not sent.
#[tokio::test]
async fn a_retry_after_beyond_patience_ends_names_as_rate_limited_with_the_time_asked() {
    let tomorrow = Reply::RateLimited {
        retry_after: "86400".to_owned(),
    };
    let names: Vec<String> = (0..20).map(|index| format!("name{index}.com")).collect();
    let mut config = MockConfig::new().tld("com");
    for name in &names {
        config = config.registry(name, tomorrow.clone());
    }
    let mock = MockRegistry::start(config).await.expect("mock starts");
    let dir = TempDir::new().expect("temp dir");
    let bootstrap = dir.path().join("dns.json");
    std::fs::write(&bootstrap, mock.bootstrap_json()).expect("bootstrap");
    let list = dir.path().join("list.txt");
    std::fs::write(&list, names.join("\n")).expect("list");
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command
        .env("DOMLIFE_CACHE_DIR", dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--allow-loopback",
            "--no-store",
        ])
        .args(["--patience", "5", "--timeout", "5", "--as-of", "2025-01-01"])
        .arg("--bootstrap")
        .arg(&bootstrap)
        .arg(&list)
        // Far more than the run needs; a run that waited out the day
        // would be killed here and fail below.
        .timeout(Duration::from_secs(120));
    let before = Utc::now();
    let assert = run(command).await.code(3);
    let after = Utc::now();
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON report");
    let results = json["results"].as_array().expect("results");
    assert_eq!(results.len(), names.len());
    for result in results {
        assert_eq!(result["error"]["kind"], "rate_limited", "{result}");
        let message = result["error"]["message"].as_str().unwrap_or_default();
        let asked = until(message).unwrap_or_else(|| panic!("no time in {message:?}"));
        let day = chrono::TimeDelta::days(1);
        // Whole seconds: the time is written without fractions.
        let slack = chrono::TimeDelta::seconds(1);
        assert!(
            asked >= before + day - slack && asked <= after + day + slack,
            "{message}"
        );
    }
    let sent = mock.requests().len();
    assert!(
        sent < names.len(),
        "{sent} requests: the pause held the rest"
    );
}
