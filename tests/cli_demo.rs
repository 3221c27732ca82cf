//! The README's first Quick start command, run exactly as documented
//! (`domlife check examples/portfolio.csv --replay fixtures/replay --as-of
//! 2025-06-01`), with the audit it must show; and the store and capture
//! flags that make runs reproducible (`--record`, `--replay`, `--offline`).

pub mod support;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use support::{MockConfig, MockRegistry, Reply, run};
use tempfile::TempDir;

const DEMO: [&str; 6] = [
    "check",
    "examples/portfolio.csv",
    "--replay",
    "fixtures/replay",
    "--as-of",
    "2025-06-01",
];

fn domlife() -> Command {
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

/// `domain -> (phase, finding codes)` of a JSON report.
fn summary(json: &Value) -> Vec<(String, String, Vec<String>)> {
    json["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| {
            let codes = result["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .filter_map(|finding| finding["code"].as_str().map(str::to_owned))
                .collect();
            (
                result["domain"].as_str().unwrap_or_default().to_owned(),
                result["phase"].as_str().unwrap_or("-").to_owned(),
                codes,
            )
        })
        .collect()
}

#[test]
fn the_readme_demo_shows_a_realistic_audit_offline() {
    let cache = TempDir::new().expect("temp dir");
    let assert = domlife()
        .env("DOMLIFE_CACHE_DIR", cache.path())
        .args(DEMO)
        .args(["--format", "json"])
        .assert()
        .code(1);
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON report");
    let expected: Vec<(&str, &str, &[&str])> = vec![
        ("google.com", "active", &["registry-locked"]),
        ("lemonde.fr", "active", &["expiring", "registry-locked"]),
        ("google.de", "active", &["no-expiry-published"]),
        (
            "unpaid-example.com",
            "grace",
            &["grace", "registry-auto-renewed"],
        ),
        ("grace-example.co.uk", "grace", &["grace"]),
        ("redemption-example.net", "redemption", &["redemption"]),
        ("hold-example.org", "active", &["on-hold"]),
        ("released-example.com", "released", &["not-registered"]),
        ("not a domain!,standard,,,keep,", "-", &["lookup-failed"]),
    ];
    let got = summary(&json);
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for ((domain, phase, codes), (want_domain, want_phase, want_codes)) in got.iter().zip(&expected)
    {
        assert_eq!(domain, want_domain);
        assert_eq!(phase, want_phase, "{domain}");
        let mut codes = codes.clone();
        codes.sort();
        let mut want: Vec<String> = want_codes.iter().map(|code| (*code).to_owned()).collect();
        want.sort();
        assert_eq!(codes, want, "{domain}");
    }
}

#[test]
fn the_readme_demo_table_runs_as_documented() {
    let cache = TempDir::new().expect("temp dir");
    let assert = domlife()
        .env("DOMLIFE_CACHE_DIR", cache.path())
        .args(DEMO)
        .assert()
        .code(1);
    let table = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        table.contains("9 names: 8 checked, 0 failed, 1 invalid"),
        "{table}"
    );
}

fn list(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writes list");
    path
}

#[tokio::test]
async fn a_recorded_run_replays_and_a_stored_run_answers_offline() {
    let registry = MockRegistry::start(
        MockConfig::new()
            .tld("com")
            .registry(
                "google.com",
                Reply::fixture("whoisit-recorded__verisign_google.com.json"),
            )
            .registry("gone.com", Reply::NotFound)
            // The capture links to MarkMonitor: keep the referral on the mock.
            .rewrite("https://rdap.markmonitor.com/rdap/", "{base}/registrar/"),
    )
    .await
    .expect("mock starts");
    let dir = TempDir::new().expect("temp dir");
    let bootstrap = dir.path().join("dns.json");
    std::fs::write(&bootstrap, registry.bootstrap_json()).expect("writes bootstrap");
    let names = list(dir.path(), "names.txt", "google.com\ngone.com\n");
    let capture = dir.path().join("capture");
    let check = |extra: &[&str]| {
        let mut command = Command::cargo_bin("domlife").expect("binary builds");
        command
            .env("DOMLIFE_CACHE_DIR", dir.path())
            .args([
                "check",
                "--format",
                "json",
                "--as-of",
                "2025-01-01",
                "--fail-on",
                "never",
            ])
            .args(["--allow-loopback", "--bootstrap"])
            .arg(&bootstrap)
            .arg(&names)
            .args(extra);
        command
    };
    let capture_arg = capture.display().to_string();
    let live = run(check(&["--record", &capture_arg])).await.code(0);
    let live: Value = serde_json::from_slice(&live.get_output().stdout).expect("JSON");
    // google.com, its registrar referral (on the mock) and gone.com.
    assert_eq!(registry.requests().len(), 3);
    assert!(capture.join("rdap/google.com.json").is_file());
    assert!(capture.join("rdap/gone.com.json").is_file());

    // The capture gives the same records without the network.
    let replayed = run(check(&["--replay", &capture_arg])).await.code(0);
    let replayed: Value = serde_json::from_slice(&replayed.get_output().stdout).expect("JSON");
    for index in 0..2 {
        assert_eq!(
            live["results"][index]["record"]["expires"],
            replayed["results"][index]["record"]["expires"]
        );
        assert_eq!(
            live["results"][index]["record"]["registered"],
            replayed["results"][index]["record"]["registered"]
        );
    }
    // The store kept the live answers: offline, nothing is asked again.
    let offline = run(check(&["--offline"])).await.code(0);
    let offline: Value = serde_json::from_slice(&offline.get_output().stdout).expect("JSON");
    assert_eq!(
        offline["results"][0]["record"]["expires"],
        "2028-09-14T04:00:00Z"
    );
    assert_eq!(registry.requests().len(), 3, "offline asks nothing");
    // A name the store never saw is an error result, not a network request.
    let unseen = list(dir.path(), "unseen.txt", "never-asked.com\n");
    let mut command = check(&["--offline"]);
    command.arg(&unseen);
    let assert = run(command).await.code(3);
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON");
    let message = json["results"][2]["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains("not in the store"), "{message}");
    assert_eq!(registry.requests().len(), 3);
}
