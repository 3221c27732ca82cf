//! `domlife serve` through the binary, on 127.0.0.1:0 with captured
//! answers (`--replay`): the exposition scraped and read by an independent
//! parser (`prometheus-parse`) and checked against the format's rules,
//! `/probe` with good and bad targets, `/healthz` and `/`, notifications
//! per complete audit (announced once), and SIGTERM ending it with exit
//! status 0.

pub mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use prometheus_parse::{Scrape, Value};
use support::exposition::check_exposition;
use support::webhook::Receiver;

/// A running `domlife serve`; killed if a test ends without stopping it.
struct Served {
    child: Option<Child>,
    address: String,
    stderr: Arc<Mutex<String>>,
    _dir: tempfile::TempDir,
}

fn replay() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/replay")
}

/// Starts `domlife serve LIST --listen 127.0.0.1:0 --replay fixtures/replay
/// --as-of 2025-06-01` with `extra` flags, and waits for its address.
fn serve(list: &str, extra: &[&str]) -> Served {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("domains.txt");
    std::fs::write(&path, list).expect("writes the list");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("domlife"))
        .arg("serve")
        .arg(&path)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--as-of",
            "2025-06-01",
            "--replay",
        ])
        .arg(replay())
        .args(extra)
        .env("DOMLIFE_CACHE_DIR", dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stderr = Arc::new(Mutex::new(String::new()));
    let (found, address) = mpsc::channel();
    let lines = BufReader::new(child.stderr.take().expect("piped"));
    let kept = Arc::clone(&stderr);
    std::thread::spawn(move || {
        for line in lines.lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on http://").nth(1) {
                let _ = found.send(rest.split('/').next().unwrap_or_default().to_owned());
            }
            kept.lock().unwrap().push_str(&(line + "\n"));
        }
    });
    let address = address
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("no address; stderr: {}", stderr.lock().unwrap()));
    Served {
        child: Some(child),
        address,
        stderr,
        _dir: dir,
    }
}

impl Served {
    /// GET `path`: the status and the body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connects");
        write!(
            stream,
            "GET {path} HTTP/1.0\r\nHost: {}\r\n\r\n",
            self.address
        )
        .expect("sends");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("reads");
        let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|status| status.parse().ok())
            .expect("a status");
        (status, body.to_owned())
    }

    /// `/metrics` once `domlife_audits_total{result="complete"}` reaches `audits`.
    fn metrics_after(&self, audits: f64) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let (status, body) = self.get("/metrics");
            assert_eq!(status, 200);
            let complete = value(
                &parse(&body),
                "domlife_audits_total",
                &[("result", "complete")],
            );
            if complete.is_some_and(|complete| complete >= audits) {
                return body;
            }
            assert!(Instant::now() < deadline, "no audit completed: {body}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `signal` and waits for the exit.
    fn stop(mut self, signal: &str) -> (ExitStatus, String) {
        let mut child = self.child.take().expect("running");
        let killed = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(killed.success());
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = child.try_wait().expect("waits") {
                break status;
            }
            assert!(Instant::now() < deadline, "still running after {signal}");
            std::thread::sleep(Duration::from_millis(20));
        };
        // The reader thread ends with the pipe.
        std::thread::sleep(Duration::from_millis(100));
        (status, self.stderr.lock().unwrap().clone())
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn parse(text: &str) -> Scrape {
    Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).expect("a valid exposition")
}

fn value(scrape: &Scrape, metric: &str, labels: &[(&str, &str)]) -> Option<f64> {
    scrape
        .samples
        .iter()
        .find(|sample| {
            sample.metric == metric
                && labels
                    .iter()
                    .all(|(key, value)| sample.labels.get(key) == Some(*value))
        })
        .and_then(|sample| match sample.value {
            Value::Gauge(value) | Value::Counter(value) | Value::Untyped(value) => Some(value),
            _ => None,
        })
}

/// `promtool check metrics`, where Prometheus's own tool is installed: its
/// only remark may be the `_days` unit of `domlife_domain_expiry_days`, a
/// family of `--report prometheus` kept in days on purpose.
fn promtool_accepts(exposition: &str) {
    let Ok(mut promtool) = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        eprintln!("promtool is not installed: its check is skipped");
        return;
    };
    promtool
        .stdin
        .take()
        .expect("piped")
        .write_all(exposition.as_bytes())
        .expect("writes");
    let output = promtool.wait_with_output().expect("promtool runs");
    let said = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    let remarks: Vec<&str> = said
        .lines()
        .filter(|line| !line.trim().is_empty())
        .filter(|line| {
            !line.starts_with(
                "domlife_domain_expiry_days use base unit \"seconds\" instead of \"days\"",
            )
        })
        .collect();
    assert!(remarks.is_empty(), "promtool: {said}");
}

const LIST: &str = "google.com\nlemonde.fr\nnot a name\nnot a name\nnever-captured.com\n";

#[test]
fn metrics_are_the_last_audit_and_the_exporters_own_then_sigterm_exits_0() {
    let served = serve(LIST, &["--every", "1h"]);
    let body = served.metrics_after(1.0);
    assert_eq!(check_exposition(&body), Ok(()), "{body}");
    let scrape = parse(&body);
    for sample in &scrape.samples {
        assert!(
            scrape.docs.contains_key(&sample.metric),
            "{} has no HELP",
            sample.metric
        );
    }
    let google = [("domain", "google.com"), ("phase", "active")];
    assert_eq!(value(&scrape, "domlife_domain_phase", &google), Some(1.0));
    assert_eq!(
        value(
            &scrape,
            "domlife_domain_lookup_success",
            &[("domain", "never-captured.com")]
        ),
        Some(0.0)
    );
    assert_eq!(
        value(&scrape, "domlife_audit_timestamp_seconds", &[]),
        Some(1_748_779_200.0),
        "as of 2025-06-01"
    );
    assert!(value(&scrape, "domlife_audit_last_success_timestamp_seconds", &[]).is_some());
    assert_eq!(
        value(&scrape, "domlife_audit_names", &[("outcome", "checked")]),
        Some(2.0)
    );
    assert_eq!(
        value(&scrape, "domlife_audit_names", &[("outcome", "failed")]),
        Some(1.0)
    );
    assert_eq!(
        value(
            &scrape,
            "domlife_lookups_total",
            &[("protocol", "rdap"), ("result", "replayed")]
        ),
        Some(3.0),
        "google.com's registry and registrar, lemonde.fr's registry"
    );
    assert_eq!(value(&scrape, "domlife_audit_running", &[]), Some(0.0));

    promtool_accepts(&body);

    let (status, index) = served.get("/");
    assert_eq!(status, 200);
    for endpoint in ["/metrics", "/probe?target=", "/healthz"] {
        assert!(index.contains(endpoint), "{endpoint} in {index}");
    }
    assert_eq!(served.get("/healthz"), (200, "ok\n".to_owned()));
    assert_eq!(served.get("/nowhere").0, 404);

    let (status, stderr) = served.stop("-TERM");
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("(this machine only)"), "{stderr}");
    assert!(stderr.contains("audit complete"), "{stderr}");
}

#[test]
fn a_probe_audits_one_name_and_a_bad_target_is_a_400_with_a_reason() {
    let served = serve("google.com\n", &["--every", "1h"]);
    let (status, body) = served.get("/probe?target=LeMonde.fr");
    assert_eq!(status, 200, "{body}");
    assert_eq!(check_exposition(&body), Ok(()), "{body}");
    let scrape = parse(&body);
    assert_eq!(value(&scrape, "domlife_probe_success", &[]), Some(1.0));
    assert_eq!(
        value(
            &scrape,
            "domlife_domain_registered",
            &[("domain", "lemonde.fr")]
        ),
        Some(1.0)
    );
    assert!(value(&scrape, "domlife_probe_duration_seconds", &[]).is_some());
    assert!(
        scrape
            .samples
            .iter()
            .all(|sample| sample.labels.get("domain") != Some("google.com")),
        "a probe answers for its target only"
    );

    let (status, body) = served.get("/probe?target=never-captured.com");
    assert_eq!(status, 200);
    assert_eq!(
        value(&parse(&body), "domlife_probe_success", &[]),
        Some(0.0)
    );

    let (status, body) = served.get("/probe?target=not%20a%20name");
    assert_eq!(status, 400);
    assert!(
        body.starts_with("not a name is not a domain name: "),
        "{body}"
    );
    let (status, body) = served.get("/probe");
    assert_eq!(status, 400);
    assert!(body.contains("missing the target parameter"), "{body}");

    let (status, stderr) = served.stop("-INT");
    assert_eq!(status.code(), Some(0), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_complete_audit_notifies_what_changed_once() {
    let receiver = Receiver::start(Vec::new()).await;
    let hook = receiver.url("/hook/SECRET-TOKEN");
    let served = tokio::task::spawn_blocking(move || {
        let served = serve(
            LIST,
            &["--every", "1s", "--allow-loopback", "--notify", &hook],
        );
        let body = served.metrics_after(3.0);
        (served, body)
    })
    .await
    .expect("joins");
    let (served, body) = served;
    let received = receiver.received();
    assert_eq!(
        received.len(),
        1,
        "the first audit announces, the next ones are quiet"
    );
    let sent = received[0].json();
    let text = sent["text"].as_str().expect("a text");
    assert!(
        text.starts_with("domlife: 3 changes (2 error, 1 warning) in 5 names as of 2025-06-01\n"),
        "{text}"
    );
    assert!(
        text.contains("[error] never-captured.com: lookup-failed: "),
        "{text}"
    );
    assert!(text.contains("[warning] lemonde.fr: expiring: "), "{text}");
    assert_eq!(sent["counts"]["names"], 5);
    assert_eq!(
        value(
            &parse(&body),
            "domlife_notifications_total",
            &[("result", "delivered")]
        ),
        Some(1.0)
    );
    let (status, stderr) = tokio::task::spawn_blocking(move || served.stop("-TERM"))
        .await
        .expect("joins");
    assert_eq!(status.code(), Some(0));
    assert!(stderr.contains("notified http://127.0.0.1:"), "{stderr}");
    assert!(!stderr.contains("SECRET"), "{stderr}");
}

#[test]
fn standard_input_and_unreadable_lists_are_refused_before_serving() {
    let stdin = assert_cmd::Command::cargo_bin("domlife")
        .expect("binary builds")
        .args(["serve", "-", "--listen", "127.0.0.1:0"])
        .output()
        .expect("runs");
    assert_eq!(stdin.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stdin.stderr).contains("not standard input"));
    let missing = assert_cmd::Command::cargo_bin("domlife")
        .expect("binary builds")
        .args(["serve", "/nonexistent/list.txt", "--listen", "127.0.0.1:0"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    let zero = assert_cmd::Command::cargo_bin("domlife")
        .expect("binary builds")
        .args(["serve", "x.txt", "--listen", "127.0.0.1:0", "--every", "0s"])
        .output()
        .expect("runs");
    assert_eq!(zero.status.code(), Some(2));
}

/// The README's `serve` section: its YAML (the Deployment and Service, the
/// scrape config, the alerting rules) parses, the container runs `serve`,
/// every metric it names is one the server exports, and the rules pass
/// `promtool check rules` where Prometheus's tool is installed.
#[test]
fn the_readme_recipes_name_what_the_server_exports() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("the README");
    let start = readme.find("### `domlife serve").expect("a serve section");
    let rest = &readme[start + 4..];
    let section = &rest[..rest.find("\n### ").unwrap_or(rest.len())];
    let blocks: Vec<&str> = section
        .split("```yaml\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap_or_default())
        .collect();
    assert_eq!(
        blocks.len(),
        3,
        "Deployment + Service, scrape config, rules"
    );
    let mut documents = Vec::new();
    for block in &blocks {
        documents.extend(yaml_rust2::YamlLoader::load_from_str(block).expect("valid YAML"));
    }
    let deployment = &documents[0];
    assert_eq!(deployment["kind"].as_str(), Some("Deployment"));
    let args = &deployment["spec"]["template"]["spec"]["containers"][0]["args"];
    assert_eq!(args[0].as_str(), Some("serve"));
    assert_eq!(documents[1]["kind"].as_str(), Some("Service"));

    let served = serve("google.com\n", &["--every", "1h"]);
    let metrics = served.metrics_after(1.0);
    let (_, probe) = served.get("/probe?target=google.com");
    let exported: Vec<String> = [metrics.as_str(), probe.as_str()]
        .iter()
        .flat_map(|text| text.lines())
        .filter_map(|line| line.strip_prefix("# TYPE "))
        .filter_map(|line| line.split(' ').next())
        .map(str::to_owned)
        .collect();
    let named = regex::Regex::new(r"domlife_[a-z_]+").expect("a regex");
    for name in named.find_iter(section).map(|found| found.as_str()) {
        assert!(
            exported.iter().any(|family| family == name),
            "{name} is not exported"
        );
    }
    drop(served);

    let rules = tempfile::NamedTempFile::new().expect("a temp file");
    std::fs::write(rules.path(), blocks[2]).expect("writes the rules");
    match Command::new("promtool")
        .arg("check")
        .arg("rules")
        .arg(rules.path())
        .output()
    {
        Ok(output) => assert!(
            output.status.success(),
            "promtool check rules: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(_) => eprintln!("promtool is not installed: the rules are not checked"),
    }
}
