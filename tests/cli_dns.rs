//! `--dns` end to end: the real binary against the mock RDAP registry and a
//! mock recursive resolver on 127.0.0.1 (`--dns-server 127.0.0.1:PORT
//! --allow-loopback`), one scenario per DNS finding, plus a resolver that
//! never answers, SERVFAIL, an oversized answer with hostile TXT text, the
//! settings file's `dns = true`, and the address policy on `--dns-server`.

pub mod support;

use std::path::PathBuf;

use assert_cmd::Command;
use chrono::{TimeZone, Utc};
use hickory_resolver::proto::rr::RecordType;
use serde_json::Value;
use support::generated::Generated;
use support::mock_dns::{MockDns, MockDnsConfig, Zone, txt};
use support::{MockConfig, MockRegistry, Reply, run};
use tempfile::TempDir;

const NS: [&str; 2] = ["ns1.example.net", "ns2.example.net"];

/// The registry's record for `name`: these statuses, delegated to [`NS`],
/// expiring far from the audit date so no lifecycle finding interferes.
fn registered(name: &str, statuses: Vec<&'static str>) -> Reply {
    let mut record = Generated::for_name(name);
    record.statuses = statuses;
    record.nameservers = NS.map(str::to_owned);
    if let Some(expires) = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).single() {
        record.expires = expires;
    }
    Reply::Json(record.rdap_json())
}

const LOCKED: &str = "clientTransferProhibited";

/// 100 TXT records, the first two hostile: a terminal escape and a line
/// break that would forge a line of `show`.
fn oversized() -> Zone {
    let mut zone = Zone::served(&NS)
        .with(60, txt("\u{1b}]0;pwned\u{7}"))
        .with(60, txt("first line\nforged: line"));
    for index in 0..98 {
        zone = zone.with(
            60,
            txt(&format!("verification-token-{index:03}-abcdefghijklmnop")),
        );
    }
    zone
}

struct World {
    dir: TempDir,
    bootstrap: PathBuf,
    _registry: MockRegistry,
    dns: MockDns,
}

impl World {
    async fn start() -> World {
        let registry = MockRegistry::start(
            MockConfig::new()
                .tld("com")
                .registry("live.com", registered("live.com", vec![LOCKED]))
                .registry(
                    "held.com",
                    registered("held.com", vec![LOCKED, "serverHold"]),
                )
                .registry("dead.com", registered("dead.com", vec![LOCKED]))
                .registry("moved.com", registered("moved.com", vec![LOCKED]))
                .registry(
                    "silent.com",
                    registered("silent.com", vec![LOCKED, "clientHold"]),
                )
                .registry("big.com", registered("big.com", vec![LOCKED]))
                .registry("lame.com", registered("lame.com", vec![LOCKED])),
        )
        .await
        .expect("mock registry starts");
        let dns = MockDns::start(
            MockDnsConfig::new()
                .zone("live.com", Zone::served(&NS))
                .zone("held.com", Zone::served(&NS))
                .zone("dead.com", Zone::ServFail)
                .zone(
                    "moved.com",
                    Zone::served(&["ns1.other.example", "ns2.other.example"]),
                )
                .zone("silent.com", Zone::Silent)
                .zone("big.com", oversized()),
        )
        .await
        .expect("mock DNS starts");
        let dir = TempDir::new().expect("temp dir");
        let bootstrap = dir.path().join("dns.json");
        std::fs::write(&bootstrap, registry.bootstrap_json()).expect("writes bootstrap");
        World {
            dir,
            bootstrap,
            _registry: registry,
            dns,
        }
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("writes file");
        path
    }

    /// `domlife SUBCOMMAND` reaching both mocks, without DNS flags.
    fn domlife(&self, subcommand: &str) -> Command {
        let mut command = Command::cargo_bin("domlife").expect("binary builds");
        command
            .current_dir(self.dir.path())
            .env("DOMLIFE_CACHE_DIR", self.dir.path())
            .args([subcommand, "--as-of", "2025-06-01", "--no-store"])
            .args(["--allow-loopback", "--timeout", "5", "--bootstrap"])
            .arg(&self.bootstrap);
        command
    }

    /// The mock resolver named, 1 s per question, DNS not turned on.
    fn dns_flags(&self, subcommand: &str) -> Command {
        let mut command = self.domlife(subcommand);
        command.args(["--dns-server", &self.dns.server(), "--dns-timeout", "1"]);
        command
    }

    /// DNS asked of the mock resolver.
    fn with_dns(&self, subcommand: &str) -> Command {
        let mut command = self.dns_flags(subcommand);
        command.arg("--dns");
        command
    }
}

/// lame.com has no zone at the mock resolver: NXDOMAIN.
const LIST: &str = "domain,intent\n\
                    live.com,drop\n\
                    held.com,keep\n\
                    dead.com,keep\n\
                    moved.com,keep\n\
                    lame.com,keep\n";

fn json_results(assert: &assert_cmd::assert::Assert) -> Vec<Value> {
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON report");
    json["results"].as_array().cloned().unwrap_or_default()
}

fn result<'a>(results: &'a [Value], domain: &str) -> &'a Value {
    results
        .iter()
        .find(|result| result["domain"] == domain)
        .unwrap_or_else(|| panic!("no result for {domain}"))
}

/// (code, severity) of every finding of a result.
fn codes(result: &Value) -> Vec<(String, String)> {
    result["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|finding| {
            (
                finding["code"].as_str().unwrap_or_default().to_owned(),
                finding["severity"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn has(result: &Value, code: &str, severity: &str) -> bool {
    codes(result).contains(&(code.to_owned(), severity.to_owned()))
}

#[tokio::test]
async fn each_scenario_raises_its_finding_and_the_result_carries_the_answers() {
    let world = World::start().await;
    let list = world.file("list.csv", LIST);
    let mut command = world.with_dns("check");
    command
        .args(["--format", "json", "--fail-on", "never"])
        .arg(&list);
    let assert = run(command).await.success();
    let results = json_results(&assert);

    let live = result(&results, "live.com");
    assert!(has(live, "still-resolving", "warning"), "{:?}", codes(live));
    let message = live["findings"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("mail is still delivered"), "{message}");
    let dns = &live["dns"];
    assert_eq!(dns["name"], "live.com");
    assert_eq!(dns["resolvers"][0], world.dns.server());
    assert_eq!(dns["answered_by"], world.dns.server());
    let kinds: Vec<&str> = dns["answers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|answer| answer["type"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds, ["NS", "SOA", "A", "AAAA", "MX", "TXT"]);
    assert_eq!(dns["answers"][2]["outcome"], "answered");
    assert_eq!(dns["answers"][2]["records"][0]["data"], "192.0.2.10");
    assert_eq!(dns["answers"][2]["records"][0]["ttl"], 300);
    assert_eq!(dns["answers"][3]["outcome"], "no_data");
    assert_eq!(
        dns["answers"][4]["records"][0]["data"],
        "10 mail.example.net"
    );
    assert_eq!(dns["answers"][5]["records"][0]["data"], "v=spf1 mx -all");

    let held = result(&results, "held.com");
    assert!(
        has(held, "resolves-on-hold", "warning"),
        "{:?}",
        codes(held)
    );
    assert!(has(held, "on-hold", "error"), "{:?}", codes(held));
    let finding = held["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|finding| finding["code"] == "resolves-on-hold")
        .cloned()
        .unwrap_or_default();
    assert!(
        finding["message"]
            .as_str()
            .unwrap_or_default()
            .contains("longest TTL (7200 s), until "),
        "{finding}"
    );
    let roles: Vec<&str> = finding["evidence"]["dates"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|date| date["role"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(roles, ["dns_asked", "caches_expire"]);

    let dead = result(&results, "dead.com");
    assert!(has(dead, "not-resolving", "warning"), "{:?}", codes(dead));
    assert_eq!(dead["dns"]["answers"][0]["outcome"], "serv_fail");
    let lame = result(&results, "lame.com");
    assert_eq!(
        codes(lame),
        [("not-resolving".to_owned(), "warning".to_owned())]
    );
    let message = lame["findings"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("answers NXDOMAIN"), "{message}");
    assert_eq!(lame["dns"]["answers"][2]["outcome"], "nx_domain");

    let moved = result(&results, "moved.com");
    assert_eq!(
        codes(moved),
        [("ns-mismatch".to_owned(), "notice".to_owned())],
        "only the mismatch"
    );
    assert_eq!(
        moved["findings"][0]["evidence"]["dns"],
        serde_json::json!(["NS ns1.other.example", "NS ns2.other.example"])
    );
}

#[tokio::test]
async fn without_dns_nothing_is_asked_and_the_result_has_no_dns_part() {
    let world = World::start().await;
    let list = world.file("list.csv", LIST);
    // A resolver named without --dns is not asked.
    let mut command = world.dns_flags("check");
    command
        .args(["--format", "ndjson", "--fail-on", "never"])
        .arg(&list);
    let assert = run(command).await.success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert_eq!(text.lines().count(), 5, "{text}");
    assert!(!text.contains("\"dns\""), "{text}");
    assert!(!text.contains("resolv"), "{text}");
    assert_eq!(world.dns.questions(), []);
}

#[tokio::test]
async fn a_resolver_that_never_answers_leaves_the_registry_findings_and_a_note() {
    let world = World::start().await;
    let list = world.file("list.txt", "silent.com\n");
    let mut command = world.with_dns("check");
    command.args(["--format", "json"]).arg(&list);
    // The registry's on-hold error still fails the run.
    let assert = run(command).await.code(1);
    let results = json_results(&assert);
    let silent = result(&results, "silent.com");
    assert_eq!(silent["outcome"], "checked");
    assert!(has(silent, "on-hold", "error"), "{:?}", codes(silent));
    assert!(!has(silent, "resolves-on-hold", "warning"));
    let notes = silent["notes"].to_string();
    assert!(notes.contains("DNS could not be asked"), "{notes}");
    let outcomes: Vec<&str> = silent["dns"]["answers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|answer| answer["outcome"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(outcomes, ["timeout"; 6]);
    assert!(
        silent["dns"].get("answered_by").is_none(),
        "{}",
        silent["dns"]
    );
}

#[tokio::test]
async fn an_oversized_answer_comes_over_tcp_capped_and_noted() {
    let world = World::start().await;
    let list = world.file("list.txt", "big.com\n");
    let mut command = world.with_dns("check");
    command.args(["--format", "json"]).arg(&list);
    let assert = run(command).await.success();
    let results = json_results(&assert);
    let txt = &result(&results, "big.com")["dns"]["answers"][5];
    assert_eq!(txt["type"], "TXT");
    assert_eq!(txt["records"].as_array().map(Vec::len), Some(32));
    assert_eq!(txt["omitted"], 101 - 32);
    let notes = result(&results, "big.com")["dns"]["notes"].to_string();
    assert!(
        notes.contains("101 TXT records answered; only the first 32 are kept"),
        "{notes}"
    );
    // JSON keeps the text as it came.
    assert_eq!(txt["records"][1]["data"], "\u{1b}]0;pwned\u{7}");
    let over_tcp = world
        .dns
        .questions()
        .into_iter()
        .any(|question| question.tcp && question.kind == RecordType::TXT);
    assert!(over_tcp, "{:?}", world.dns.questions());
}

#[tokio::test]
async fn show_prints_a_dns_section_with_hostile_text_escaped() {
    let world = World::start().await;
    let mut command = world.with_dns("show");
    command.arg("big.com");
    let assert = run(command).await.success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let server = world.dns.server();
    assert!(
        text.contains(&format!("DNS (asked {server}, answered by {server}):")),
        "{text}"
    );
    assert!(text.contains("  A     192.0.2.10 (ttl 300)"), "{text}");
    assert!(text.contains("  AAAA  NODATA"), "{text}");
    assert!(text.contains("\\u{1b}]0;pwned\\u{7} (ttl 60)"), "{text}");
    assert!(
        text.contains("first line\\nforged: line (ttl 60)"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(
        !text.lines().any(|line| line.starts_with("forged")),
        "{text}"
    );
    assert!(text.contains("... 69 more not kept"), "{text}");

    let mut command = world.with_dns("show");
    command.args(["dead.com", "--format", "json"]);
    let assert = run(command).await.success();
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON");
    assert_eq!(json["dns"]["answers"][0]["outcome"], "serv_fail");
    assert_eq!(json["findings"][0]["code"], "not-resolving");
}

#[tokio::test]
async fn the_settings_file_turns_dns_on_and_a_bad_value_is_named() {
    let world = World::start().await;
    let list = world.file("list.txt", "moved.com\n");
    let config = world.file("domlife.toml", "dns = true\n");
    let mut command = world.dns_flags("check");
    command
        .args(["--format", "json", "--config"])
        .arg(&config)
        .arg(&list);
    let assert = run(command).await.success();
    let results = json_results(&assert);
    let moved = result(&results, "moved.com");
    assert_eq!(moved["dns"]["answers"][0]["outcome"], "answered");
    assert!(has(moved, "ns-mismatch", "notice"), "{:?}", codes(moved));
    assert!(!world.dns.questions().is_empty());

    let bad = world.file("bad.toml", "dns = \"yes\"\n");
    let mut command = world.domlife("check");
    command.arg("--config").arg(&bad).arg(&list);
    let assert = run(command).await.code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("bad.toml: dns = \"yes\": expected true or false"),
        "{stderr}"
    );
}

#[tokio::test]
async fn dns_servers_follow_the_address_policy_before_anything_is_sent() {
    let world = World::start().await;
    let list = world.file("list.txt", "live.com\n");
    // Refused by the classifier while the flags are read: no packet leaves.
    for (server, loopback, reason) in [
        ("10.0.0.53", true, "10.0.0.53 is a private address"),
        (
            "127.0.0.1:5353",
            false,
            "allowed only with --allow-loopback",
        ),
    ] {
        let mut command = Command::cargo_bin("domlife").expect("binary builds");
        command
            .current_dir(world.dir.path())
            .env("DOMLIFE_CACHE_DIR", world.dir.path())
            .args(["check", "--no-store", "--dns", "--dns-server", server])
            .arg(&list);
        if loopback {
            command.arg("--allow-loopback");
        }
        let assert = run(command).await.code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            stderr.contains(&format!("--dns-server {}", server)),
            "{stderr}"
        );
        assert!(stderr.contains(reason), "{stderr}");
    }
}

#[test]
fn every_dns_finding_is_explained() {
    for (code, words) in [
        ("still-resolving", "mail is still delivered"),
        ("resolves-on-hold", "TTL"),
        ("not-resolving", "SERVFAIL"),
        ("ns-mismatch", "trailing dots"),
    ] {
        let output = Command::cargo_bin("domlife")
            .expect("binary builds")
            .args(["explain", code])
            .output()
            .expect("runs");
        assert!(output.status.success(), "{code}");
        let text = String::from_utf8_lossy(&output.stdout).replace('\n', " ");
        assert!(text.starts_with(&format!("{code}: ")), "{text}");
        assert!(text.contains(words), "{code}: {text}");
    }
}

#[tokio::test]
async fn reports_with_dns_are_read_back_by_merge_and_baseline() {
    let world = World::start().await;
    let list = world.file("list.csv", LIST);
    let mut command = world.with_dns("check");
    command
        .args(["--format", "json", "--fail-on", "never"])
        .arg(&list);
    let assert = run(command).await.success();
    let report = world.dir.path().join("report.json");
    std::fs::write(&report, &assert.get_output().stdout).expect("writes report");

    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command
        .current_dir(world.dir.path())
        .args(["merge", "--format", "json", "--fail-on", "never"])
        .arg(&report);
    let assert = run(command).await.success();
    let results = json_results(&assert);
    let live = result(&results, "live.com");
    assert_eq!(
        live["dns"]["answers"][2]["records"][0]["data"],
        "192.0.2.10"
    );
    assert!(has(live, "still-resolving", "warning"), "{:?}", codes(live));

    let mut command = world.with_dns("check");
    command
        .args(["--format", "json", "--fail-on", "never", "--baseline"])
        .arg(&report)
        .arg(&list);
    let assert = run(command).await.success();
    let results = json_results(&assert);
    assert_eq!(results.len(), 5);
    // Nothing changed at the registry: no `changed` finding.
    assert!(
        results
            .iter()
            .all(|result| !codes(result).iter().any(|(code, _)| code == "changed")),
        "{results:?}"
    );
}

#[test]
fn dns_timeouts_are_bounded_like_every_other_timeout() {
    for value in ["0", "3601", "soon"] {
        let output = Command::cargo_bin("domlife")
            .expect("binary builds")
            .args(["show", "example.com", "--dns", "--dns-timeout", value])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "--dns-timeout {value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--dns-timeout"), "{stderr}");
    }
}

/// The resolver's cache keeps answers for the run: a name asked twice is
/// asked of the network once (for what has a TTL).
#[tokio::test]
async fn answers_are_cached_for_the_run() {
    use domlife::dns::{DnsClient, DnsConfig, Outcome};
    use domlife::net::AddressPolicy;

    let world = World::start().await;
    let Ok(server) = world.dns.server().parse() else {
        panic!("the mock's address parses");
    };
    let client = DnsClient::new(&DnsConfig {
        servers: vec![server],
        policy: AddressPolicy {
            allow_loopback: true,
        },
        ..DnsConfig::default()
    });
    let first = client.ask("live.com").await.expect("asked");
    let asked = world.dns.questions().len();
    let second = client.ask("live.com").await.expect("asked");
    let again: Vec<RecordType> = world.dns.questions()[asked..]
        .iter()
        .map(|question| question.kind)
        .collect();
    // Only AAAA (NODATA, no SOA to give it a negative TTL) may be asked again.
    assert!(
        again.iter().all(|kind| *kind == RecordType::AAAA),
        "{again:?}"
    );
    // The same records (a cached TTL counts down, so TTLs may differ).
    let data = |report: &domlife::dns::DnsReport| -> Vec<(Outcome, Vec<String>)> {
        report
            .answers
            .iter()
            .map(|answer| {
                let records = answer.records.iter().map(|r| r.data.clone()).collect();
                (answer.outcome, records)
            })
            .collect()
    };
    assert_eq!(data(&first), data(&second));
    assert_eq!(first.answers[2].outcome, Outcome::Answered);
}

#[tokio::test]
async fn show_notes_when_dns_could_not_be_asked() {
    let world = World::start().await;
    let mut command = world.with_dns("show");
    command.arg("silent.com");
    let assert = run(command).await.success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(text.contains("  A     timeout"), "{text}");
    assert!(text.contains("  note: DNS could not be asked"), "{text}");
    assert!(text.contains("error on-hold"), "{text}");
    assert!(!text.contains("answered by"), "{text}");
}
