//! `domlife check` on lists that span several hosts, run as the real binary:
//! a dead host yields error results for its names while the others finish,
//! Ctrl-C (SIGINT) writes a partial report and exits 130, and hosts whose
//! limits domlife is told never see more than their limit in any second.

pub mod support;

use std::collections::HashMap;
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use support::bulk_world::{BulkWorld, HostPlan, WorldPlan};
use support::{MockConfig, MockRegistry, Reply, run};
use tempfile::TempDir;
use tokio::time::Instant;

const VERISIGN: &str = "whoisit-recorded__verisign_google.com.json";

/// A bootstrap file: .com at the mock, .net at a port nothing listens on.
fn bootstrap(dir: &TempDir, mock: &MockRegistry) -> std::path::PathBuf {
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port");
    // The listener is dropped here: connections to the port are refused.
    let body = serde_json::json!({
        "publication": "2099-01-01T00:00:00Z",
        "services": [
            [["com"], [mock.registry_base()]],
            [["net"], [format!("http://{dead}/")]],
        ]
    });
    let path = dir.path().join("dns.json");
    std::fs::write(&path, body.to_string()).expect("writes bootstrap");
    path
}

#[tokio::test]
async fn a_dead_host_fails_its_names_while_the_others_finish() {
    let mock = MockRegistry::start(
        MockConfig::new()
            .tld("com")
            .registry("google.com", Reply::fixture(VERISIGN))
            .registry("gone.com", Reply::NotFound)
            // The capture links to MarkMonitor: keep the referral on the mock.
            .rewrite("https://rdap.markmonitor.com/rdap/", "{base}/registrar/"),
    )
    .await
    .expect("mock starts");
    let dir = TempDir::new().expect("temp dir");
    let bootstrap = bootstrap(&dir, &mock);
    let list = dir.path().join("list.txt");
    std::fs::write(&list, "google.com\nexample.net\ngone.com\nexample2.net\n").expect("list");
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command
        .env("DOMLIFE_CACHE_DIR", dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--allow-loopback",
            "--retries",
            "0",
        ])
        .args(["--as-of", "2025-01-01", "--bootstrap"])
        .arg(&bootstrap)
        .arg(&list);
    // gone.com is an error finding (1), which outranks the unchecked names (3).
    let assert = run(command).await.code(1);
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON report");
    let outcomes: Vec<(&str, &str)> = json["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|result| {
            (
                result["domain"].as_str().unwrap_or_default(),
                result["outcome"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("google.com", "checked"),
            ("example.net", "failed"),
            ("gone.com", "checked"),
            ("example2.net", "failed")
        ]
    );
    assert_eq!(json["meta"]["counts"]["failed"], 2);
    // google.com, its registrar referral (on the mock) and gone.com.
    assert_eq!(mock.requests().len(), 3);
}

/// Runs `check` on google.com and a name whose answer takes 30 s, sends
/// `signal` once google.com is done, and returns the output and the
/// world's directory (its store).
async fn stopped_by(signal: &str) -> (std::process::Output, TempDir) {
    let slow = Reply::Slow {
        delay: Duration::from_secs(30),
        then: Box::new(Reply::NotFound),
    };
    let mock = MockRegistry::start(
        MockConfig::new()
            .tld("com")
            .registry("google.com", Reply::fixture(VERISIGN))
            .registry("slow.com", slow)
            .rewrite("https://rdap.markmonitor.com/rdap/", "{base}/registrar/"),
    )
    .await
    .expect("mock starts");
    let dir = TempDir::new().expect("temp dir");
    let bootstrap = bootstrap(&dir, &mock);
    let list = dir.path().join("list.txt");
    std::fs::write(&list, "google.com\nslow.com\n").expect("list");
    let binary = assert_cmd::cargo::cargo_bin("domlife");
    let child = std::process::Command::new(binary)
        .env("DOMLIFE_CACHE_DIR", dir.path())
        .args([
            "check",
            "--format",
            "json",
            "--allow-loopback",
            "--timeout",
            "60",
        ])
        .args(["--as-of", "2025-01-01", "--bootstrap"])
        .arg(&bootstrap)
        .arg(&list)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // Wait until the slow lookup is in flight and google.com's last request
    // (its registrar's) has reached the mock, give its answer time to become
    // a result (the slow answer takes 30 s), then signal.
    for _ in 0..100 {
        let requests = mock.requests();
        let asked = |part: &str| requests.iter().any(|path| path.contains(part));
        if asked("slow.com") && asked("/registrar/") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let pid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args([signal, &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("joins")
        .expect("the binary ends");
    (output, dir)
}

fn assert_partial_report(output: &std::process::Output) {
    let json: Value = serde_json::from_slice(&output.stdout).expect("a partial JSON report");
    assert_eq!(json["meta"]["complete"], false);
    assert_eq!(json["results"][0]["outcome"], "checked");
    assert_eq!(json["results"][1]["outcome"], "not_checked");
}

#[tokio::test]
async fn ctrl_c_writes_a_partial_report_and_exits_130() {
    let (output, _dir) = stopped_by("-INT").await;
    assert_eq!(output.status.code(), Some(130));
    assert_partial_report(&output);
}

#[tokio::test]
async fn sigterm_writes_a_partial_report_records_what_was_done_and_exits_143() {
    let (output, dir) = stopped_by("-TERM").await;
    assert_eq!(output.status.code(), Some(143));
    assert_partial_report(&output);
    let history = Command::cargo_bin("domlife")
        .expect("binary builds")
        .env("DOMLIFE_CACHE_DIR", dir.path())
        .args(["history", "google.com", "--format", "json"])
        .output()
        .expect("history runs");
    let json: Value = serde_json::from_slice(&history.stdout).expect("history JSON");
    let entries = json["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{json}");
    assert_eq!(entries[0]["run_complete"], false);
}

/// Requests a limited mock host accepts back to back: its tolerance for
/// the jitter between a client's send and the server's receipt.
const BURST: u32 = 2;

/// Two RDAP hosts limited to 10/s and 4/s, names in proportion to the
/// limits so both take about as long (84 names: about 6 s each).
fn limited_world() -> WorldPlan {
    let host = |rate: f64| HostPlan {
        rate: Some(rate),
        weight: rate as u32,
    };
    WorldPlan {
        rdap: vec![host(10.0), host(4.0)],
        whois: None,
        latency: Duration::from_millis(5),
        jitter: Duration::from_millis(10),
        burst: BURST,
    }
}

/// The most of `instants` (in order) within any closed window of `width`.
fn most_in_any_window(instants: &[Instant], width: Duration) -> usize {
    let mut most = 0;
    let mut start = 0;
    for (end, instant) in instants.iter().enumerate() {
        while *instant - instants[start] > width {
            start += 1;
        }
        most = most.max(end + 1 - start);
    }
    most
}

#[test]
fn the_window_count_is_the_busiest_second() {
    let zero = Instant::now();
    let at = |millis: u64| zero + Duration::from_millis(millis);
    let instants = [at(0), at(100), at(900), at(1000), at(1050), at(1950)];
    // [0, 1000] holds 4; [900, 1900] holds 3; [1000, 2000] holds 3.
    assert_eq!(most_in_any_window(&instants, Duration::from_secs(1)), 4);
    assert_eq!(most_in_any_window(&[], Duration::from_secs(1)), 0);
}

#[tokio::test]
async fn told_limits_hold_per_second_at_each_host() {
    let world = BulkWorld::start(limited_world())
        .await
        .expect("mock world starts");
    let names = world.names(84);
    let dir = TempDir::new().expect("temp dir");
    let check = world
        .check_args(dir.path(), &names)
        .expect("writes the bootstrap and the list");

    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command
        .env("DOMLIFE_CACHE_DIR", dir.path())
        .args(check)
        .args(["--fail-on", "never", "--timeout", "5", "--verbose"])
        .args(world.rate_flags(1000.0));
    let assert = run(command).await.code(0);
    // --verbose ends with each host's rate, answer time and requests in flight.
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr);
    for (host, plan) in world.hosts() {
        let rate = plan.rate.expect("every host is limited");
        let prefix = format!("domlife: {host} (rdap): {rate}/s (ceiling {rate}/s), latency ");
        let line = stderr.lines().rev().find(|line| line.starts_with(&prefix));
        assert!(
            line.is_some_and(|line| line.contains(" ms, in flight 0 of ")),
            "no final line for {host} in {stderr}"
        );
    }

    let stdout = String::from_utf8_lossy(&assert.get_output().stdout);
    let outcomes: HashMap<String, String> = stdout
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("each line is JSON");
            let field = |key: &str| value[key].as_str().unwrap_or_default().to_owned();
            (field("domain"), field("outcome"))
        })
        .collect();
    assert_eq!(outcomes.len(), names.len());
    for (_, name) in &names {
        assert_eq!(outcomes[name.as_str()], "checked", "{name}");
    }

    for (mock, plan) in world.rdap.iter().zip(&limited_world().rdap) {
        let rate = plan.rate.expect("every host is limited");
        let instants: Vec<Instant> = mock
            .arrivals()
            .iter()
            .filter(|arrival| arrival.path.starts_with("/registry/domain/"))
            .map(|arrival| arrival.at)
            .collect();
        let busiest = most_in_any_window(&instants, Duration::from_secs(1));
        assert!(
            busiest <= rate as usize + BURST as usize,
            "{}: {busiest} requests in one second, limit {rate}/s with burst {BURST}",
            mock.base_url()
        );
        assert_eq!(mock.limit_stats().refused, 0, "{}: 429s", mock.base_url());
    }
}
