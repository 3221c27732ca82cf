//! A few thousand names over healthy and faulty hosts (issue #13), through
//! the binary with a short `--timeout` and `--patience`: every name gets
//! exactly one result, every healthy name is answered, every faulty host's
//! names end with the error kind its fault should give, and the run ends.
//!
//! One TLD per fault, each on its own mock host (RDAP through a bootstrap
//! file, WHOIS through `--whois-server`). Registrar referrals to plain http,
//! private and link-local addresses must be refused by the address policy
//! before any connection: those addresses are IP literals, so nothing is
//! resolved, and the refusal is what the results must say. The wall time
//! and peak memory are printed as figures, not asserted.

pub mod support;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;
use support::mock_whois::{self, MockWhois};
use support::{MockConfig, MockRegistry, Reply, run};
use tempfile::TempDir;

/// Names per faulty host, and per healthy host.
const FAULTY_NAMES: usize = 10;
const HEALTHY_NAMES: usize = 1_000;

/// What the names of one RDAP host end as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A record, from the registry and (when linked) the registrar.
    Answered,
    /// A failed lookup of this error kind.
    Error(&'static str),
    /// The registry's record, with the registrar's view refused: its
    /// message contains this.
    RegistrarRefused(&'static str),
}

/// One RDAP host: its TLD, its configuration and what its names end as.
fn rdap_hosts() -> Vec<(&'static str, MockConfig, Expect)> {
    let every = |tld: &str, reply: Reply| MockConfig::new().tld(tld).otherwise(reply);
    let referral =
        |tld: &str, href: &str| MockConfig::new().tld(tld).generated().registrar_link(href);
    let html = Reply::Labelled {
        body: b"<!doctype html><title>Registrar</title><p>Welcome!</p>".to_vec(),
        content_type: "text/html",
    };
    vec![
        (
            "com",
            MockConfig::new().tld("com").generated(),
            Expect::Answered,
        ),
        (
            "net",
            MockConfig::new().tld("net").generated(),
            Expect::Answered,
        ),
        (
            "io",
            every(
                "io",
                Reply::RateLimited {
                    retry_after: "86400".to_owned(),
                },
            ),
            Expect::Error("rate_limited"),
        ),
        (
            "ai",
            every("ai", Reply::Status(429)),
            Expect::Error("rate_limited"),
        ),
        (
            "me",
            every("me", Reply::Status(503)),
            Expect::Error("unavailable"),
        ),
        (
            "tv",
            every("tv", Reply::Reset { sent: 100 }),
            Expect::Error("unavailable"),
        ),
        (
            "cc",
            every(
                "cc",
                Reply::Stalled {
                    sent: 100,
                    stall: Duration::from_secs(120),
                },
            ),
            Expect::Error("unavailable"),
        ),
        (
            "app",
            every(
                "app",
                Reply::Oversized {
                    bytes: 5 << 20,
                    declare_length: true,
                },
            ),
            Expect::Error("failed"),
        ),
        // An answer that is not JSON may be a transfer cut short: it is
        // retried, and ends as unavailable.
        (
            "dev",
            every("dev", Reply::InvalidJson),
            Expect::Error("unavailable"),
        ),
        (
            "xyz",
            every(
                "xyz",
                Reply::Labelled {
                    body: b"{\"objectClassName\": \"domain\", \"ldhName\": \"\xff\xfe\xc0\"}"
                        .to_vec(),
                    content_type: "application/rdap+json",
                },
            ),
            Expect::Error("unavailable"),
        ),
        // JSON, but not a domain object: asking again will not change it.
        (
            "page",
            every("page", Reply::Json("[1, 2, 3]".to_owned())),
            Expect::Error("failed"),
        ),
        (
            "blog",
            every(
                "blog",
                Reply::Redirect {
                    status: 302,
                    location: "{base}/registry/domain/{name}".to_owned(),
                },
            ),
            Expect::Error("failed"),
        ),
        (
            "shop",
            referral("shop", "http://93.184.216.34/rdap/domain/{name}"),
            Expect::RegistrarRefused("http"),
        ),
        (
            "online",
            referral("online", "https://10.20.30.40/rdap/domain/{name}"),
            Expect::RegistrarRefused("refused"),
        ),
        (
            "site",
            referral("site", "https://169.254.169.254/rdap/domain/{name}"),
            Expect::RegistrarRefused("refused"),
        ),
        (
            "store",
            referral("store", "{base}/registrar/domain/{name}").registrar_otherwise(html),
            Expect::RegistrarRefused(""),
        ),
    ]
}

/// One WHOIS server: its TLD, its reply to every query, the error kind
/// (`None`: answered).
fn whois_hosts() -> Vec<(&'static str, mock_whois::Reply, Option<&'static str>)> {
    use mock_whois::Reply as Whois;
    vec![
        ("co", Whois::Generated, None),
        (
            "uk",
            Whois::Delayed {
                after: Duration::from_secs(3600),
                body: Vec::new(),
            },
            Some("unavailable"),
        ),
        (
            "fr",
            Whois::NeverCloses(b"% still thinking\r\n".to_vec()),
            Some("unavailable"),
        ),
        ("nl", Whois::Endless, Some("failed")),
        (
            "be",
            Whois::Drip {
                body: vec![b'%'; 600],
                every: Duration::from_secs(1),
            },
            Some("unavailable"),
        ),
        // A hang-up without a byte is how quota-driven servers refuse.
        ("ch", Whois::Close, Some("rate_limited")),
        ("de", Whois::QuotaNotice, Some("rate_limited")),
    ]
}

/// The names of a TLD's host.
fn names_for(tld: &str, healthy: bool) -> Vec<String> {
    let count = if healthy { HEALTHY_NAMES } else { FAULTY_NAMES };
    (0..count)
        .map(|index| format!("fault{index:05}.{tld}"))
        .collect()
}

/// The started hosts: RDAP mocks with what their names end as, WHOIS
/// servers likewise.
struct World {
    rdap: Vec<(&'static str, MockRegistry, Expect)>,
    whois: Vec<(&'static str, MockWhois, Option<&'static str>)>,
}

impl World {
    async fn start() -> World {
        let mut rdap = Vec::new();
        for (tld, config, expect) in rdap_hosts() {
            rdap.push((
                tld,
                MockRegistry::start(config).await.expect("mock starts"),
                expect,
            ));
        }
        let mut whois = Vec::new();
        for (tld, reply, expect) in whois_hosts() {
            whois.push((
                tld,
                MockWhois::builder().otherwise(reply).start().await,
                expect,
            ));
        }
        World { rdap, whois }
    }

    /// Every name, a TLD after another.
    fn names(&self) -> Vec<String> {
        let rdap = self
            .rdap
            .iter()
            .map(|(tld, _, expect)| (*tld, *expect == Expect::Answered));
        let whois = self
            .whois
            .iter()
            .map(|(tld, _, expect)| (*tld, expect.is_none()));
        rdap.chain(whois)
            .flat_map(|(tld, healthy)| names_for(tld, healthy))
            .collect()
    }

    /// The `check` arguments: bootstrap, WHOIS servers, a high rate for
    /// every host (the mocks have no limit), short deadlines.
    fn args(&self, dir: &Path, list: &Path) -> Vec<OsString> {
        let bootstrap = dir.join("dns.json");
        let services: Vec<Value> = self
            .rdap
            .iter()
            .map(|(_, mock, _)| mock.bootstrap_service())
            .collect();
        let body = serde_json::json!({"publication": "2099-01-01T00:00:00Z", "version": "1.0", "services": services});
        std::fs::write(&bootstrap, body.to_string()).expect("writes the bootstrap file");
        let mut args: Vec<OsString> = [
            "check",
            "--format",
            "ndjson",
            "--allow-loopback",
            "--no-store",
            "--as-of",
            "2026-01-01",
            "--timeout",
            "2",
            "--connect-timeout",
            "2",
            "--retries",
            "1",
            "--patience",
            "3",
        ]
        .iter()
        .map(OsString::from)
        .collect();
        args.push("--bootstrap".into());
        args.push(bootstrap.into());
        for (_, mock, _) in &self.rdap {
            let host = mock.base_url().trim_start_matches("http://").to_owned();
            args.push("--rate".into());
            args.push(format!("{host}=1000/s").into());
        }
        for (tld, server, _) in &self.whois {
            args.push("--whois-server".into());
            args.push(server.override_for(tld).into());
            args.push("--rate".into());
            args.push(format!("{}=1000/s", server.address()).into());
        }
        args.push(list.into());
        args
    }
}

/// The results of an ndjson run, by domain (a name seen twice fails).
fn by_domain(stdout: &[u8]) -> HashMap<String, Value> {
    let mut results = HashMap::new();
    for line in stdout
        .split(|byte| *byte == b'\n')
        .filter(|line| !line.is_empty())
    {
        let result: Value = serde_json::from_slice(line).expect("one JSON result a line");
        let domain = result["domain"].as_str().expect("a domain").to_owned();
        assert!(
            results.insert(domain.clone(), result).is_none(),
            "{domain} twice"
        );
    }
    results
}

/// Whether the result of a name of an RDAP host is what its fault gives.
fn rdap_as_expected(result: &Value, expect: Expect) -> bool {
    match expect {
        Expect::Answered => result["outcome"] == "checked",
        Expect::Error(kind) => result["error"]["kind"] == kind,
        Expect::RegistrarRefused(words) => {
            let error = &result["record"]["registrar_view"]["error"];
            result["outcome"] == "checked" && !error.is_null() && error.to_string().contains(words)
        }
    }
}

/// Whether the result of a name of a WHOIS server is what its fault gives.
fn whois_as_expected(result: &Value, expect: Option<&str>) -> bool {
    match expect {
        None => result["outcome"] == "checked",
        Some(kind) => result["error"]["kind"] == kind,
    }
}

/// Runs `command` under `/usr/bin/time` where there is one, so the peak
/// memory can be reported; the figure's file.
fn measured(command: &mut Command, dir: &Path, args: Vec<OsString>) -> Option<std::path::PathBuf> {
    let binary = assert_cmd::cargo::cargo_bin("domlife");
    let time = Path::new("/usr/bin/time");
    if time.exists() {
        let figure = dir.join("peak-kib.txt");
        *command = Command::new(time);
        command
            .arg("-f")
            .arg("%M")
            .arg("-o")
            .arg(&figure)
            .arg(binary)
            .args(args);
        Some(figure)
    } else {
        *command = Command::new(binary);
        command.args(args);
        None
    }
}

/// Issue #13: the fault-mode run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_names_over_faulty_hosts_get_one_right_result_each() {
    let world = World::start().await;
    let dir = TempDir::new().expect("temp dir");
    let names = world.names();
    let list = dir.path().join("names.txt");
    std::fs::write(&list, names.join("\n")).expect("writes the list");
    let mut command = Command::new("true");
    let figure = measured(&mut command, dir.path(), world.args(dir.path(), &list));
    // A kill timeout far above what the options imply (about 15 s): a run
    // that hangs fails here instead of holding the suite.
    command
        .env("DOMLIFE_CACHE_DIR", dir.path())
        .timeout(Duration::from_secs(150));
    let started = Instant::now();
    let output = run(command).await.get_output().clone();
    let wall = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(1 | 3)),
        "{:?}: {stderr}",
        output.status
    );
    let results = by_domain(&output.stdout);
    assert_eq!(results.len(), names.len(), "one result per name");
    let mut unexpected = Vec::new();
    for (tld, _, expect) in &world.rdap {
        for name in names_for(tld, *expect == Expect::Answered) {
            if !rdap_as_expected(&results[&name], *expect) {
                unexpected.push(format!("{expect:?}: {}", results[&name]));
            }
        }
    }
    for (tld, _, expect) in &world.whois {
        for name in names_for(tld, expect.is_none()) {
            if !whois_as_expected(&results[&name], *expect) {
                unexpected.push(format!("{expect:?}: {}", results[&name]));
            }
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} unexpected:\n{}",
        unexpected.len(),
        unexpected.join("\n")
    );
    let faults = world
        .rdap
        .iter()
        .filter(|(_, _, expect)| *expect != Expect::Answered)
        .count()
        + world
            .whois
            .iter()
            .filter(|(_, _, expect)| expect.is_some())
            .count();
    let peak = figure.and_then(|path| std::fs::read_to_string(path).ok());
    eprintln!(
        "fault run: {faults} faulty hosts, {} names, 0 lost, wall {:.1} s, peak RSS {} KiB",
        names.len(),
        wall.as_secs_f64(),
        // The last line: `time` says first when the status was not 0.
        peak.as_deref()
            .and_then(|text| text.lines().last())
            .unwrap_or("?")
    );
}
