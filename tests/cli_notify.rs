//! `check --notify URL` through the binary, against the mock registries and
//! a webhook receiver on 127.0.0.1: the first run announces the current
//! state once, an unchanged run sends nothing, a change is announced once;
//! an undelivered message fails the run with exit status 4 after the
//! report, and comes again next run; `--no-store` and `--baseline` change
//! what is compared with; the secret in the URL is never printed nor
//! stored.

pub mod support;

use serde_json::Value;
use support::check_world::CheckWorld;
use support::webhook::{Receiver, Reply};

const SECRET: &str = "/services/T000/B000/SECRETSECRET?token=SECRET";

/// google.com (registered until 2028), gone.com (not registered), google.cn
/// (expired in 2017), and a line that is not a name.
const LIST: &str = "google.com\ngone.com\ngoogle.cn\nnot a name\n";

fn texts(receiver: &Receiver) -> Vec<String> {
    receiver
        .received()
        .iter()
        .map(|request| request.json()["text"].as_str().expect("a text").to_owned())
        .collect()
}

/// `check` as of `as_of` with `--notify` to the receiver and `extra` flags:
/// exit status 3 when all went well (the line that is not a name is not
/// checked).
async fn check(
    world: &CheckWorld,
    receiver: &Receiver,
    as_of: &str,
    extra: &[&str],
) -> std::process::Output {
    let list = world.file("domains.txt", LIST);
    let mut command = world.check_on(as_of);
    command
        .arg(&list)
        .args(["--format", "json", "--fail-on", "never", "--notify"])
        .arg(receiver.url(SECRET))
        .args(extra);
    support::run(command).await.get_output().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_run_announces_the_state_then_only_changes_are_announced_once() {
    let world = CheckWorld::start().await;
    let receiver = Receiver::start(Vec::new()).await;
    let first = check(&world, &receiver, "2025-01-01", &[]).await;
    assert_eq!(
        first.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let sent = texts(&receiver);
    assert_eq!(sent.len(), 1);
    let lines: Vec<&str> = sent[0].lines().collect();
    assert!(
        lines[0].starts_with("domlife: ") && lines[0].ends_with(" in 4 names as of 2025-01-01"),
        "{lines:?}"
    );
    for expected in [
        "[error] gone.com: not-registered: ",
        "[error] not a name: lookup-failed: ",
        "[error] google.cn: ",
    ] {
        assert!(
            lines.iter().any(|line| line.starts_with(expected)),
            "{expected} in {lines:?}"
        );
    }
    assert!(
        lines.iter().all(|line| !line.starts_with("[notice]")),
        "notices are below the default threshold: {lines:?}"
    );
    let body = receiver.received()[0].json();
    assert_eq!(body["counts"]["names"], 4);
    let change = &body["changes"][0];
    for field in [
        "domain", "code", "severity", "kind", "before", "after", "message",
    ] {
        assert!(change.get(field).is_some(), "{field} in {change}");
    }
    assert_eq!(
        receiver.received()[0].header("content-type"),
        Some("application/json")
    );

    let again = check(&world, &receiver, "2025-01-01", &[]).await;
    assert_eq!(again.status.code(), Some(3));
    assert_eq!(receiver.received().len(), 1, "no change, no message");

    // Four years on, google.com is near its expiry: that is the change.
    let later = check(&world, &receiver, "2028-09-01", &[]).await;
    assert_eq!(later.status.code(), Some(3));
    let sent = texts(&receiver);
    assert_eq!(sent.len(), 2, "{sent:?}");
    let changed: Vec<&str> = sent[1].lines().skip(1).collect();
    assert!(
        changed
            .iter()
            .any(|line| line.starts_with("[warning] google.com: expiring: ")
                || line.starts_with("[error] google.com: expiring: ")),
        "{changed:?}"
    );
    assert!(
        changed.iter().all(|line| line.contains("google.com")),
        "{changed:?}"
    );

    // The store knows the target by a hash and the run by a redacted
    // command line.
    let store = rusqlite::Connection::open(world.path("domlife.sqlite3")).expect("the store");
    let args: Vec<String> = store
        .prepare("SELECT args FROM runs")
        .and_then(|mut rows| rows.query_map([], |row| row.get(0))?.collect())
        .expect("runs");
    assert_eq!(args.len(), 3);
    assert!(
        args.iter()
            .all(|args| args.contains("--notify http://127.0.0.1:")),
        "{args:?}"
    );
    let targets: Vec<String> = store
        .prepare("SELECT DISTINCT target FROM deliveries")
        .and_then(|mut rows| rows.query_map([], |row| row.get(0))?.collect())
        .expect("deliveries");
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0].len(), 64);
    let dump = std::fs::read(world.path("domlife.sqlite3")).expect("reads the store");
    assert!(!String::from_utf8_lossy(&dump).contains("SECRET"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undelivered_message_exits_4_after_the_report_and_comes_again() {
    let world = CheckWorld::start().await;
    let receiver = Receiver::start(vec![Reply::status(404)]).await;
    let failed = check(&world, &receiver, "2025-01-01", &[]).await;
    assert_eq!(failed.status.code(), Some(4));
    let report: Value = serde_json::from_slice(&failed.stdout).expect("the report is written");
    assert_eq!(report["meta"]["complete"], true);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("domlife: cannot notify http://127.0.0.1:"),
        "{stderr}"
    );
    assert!(stderr.contains("/…: HTTP 404 after 1 attempt"), "{stderr}");
    assert!(stderr.contains("announced again next run"), "{stderr}");
    assert!(!stderr.contains("SECRET"), "{stderr}");

    // A busy receiver asks to wait: it is asked again, and told the same.
    receiver.then(vec![Reply::status(503).header("retry-after", "0")]);
    let delivered = check(&world, &receiver, "2025-01-01", &[]).await;
    assert_eq!(
        delivered.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&delivered.stderr)
    );
    let sent = texts(&receiver);
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0], sent[2], "the undelivered changes, announced again");
    assert_eq!(sent[1], sent[2]);

    let quiet = check(&world, &receiver, "2025-01-01", &[]).await;
    assert_eq!(quiet.status.code(), Some(3));
    assert_eq!(receiver.received().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_store_every_run_is_a_first_run_and_a_baseline_is_compared_with() {
    let world = CheckWorld::start().await;
    let receiver = Receiver::start(Vec::new()).await;
    for _ in 0..2 {
        let run = check(
            &world,
            &receiver,
            "2025-01-01",
            &["--no-store", "--notify-on", "error"],
        )
        .await;
        assert_eq!(run.status.code(), Some(3));
    }
    let sent = texts(&receiver);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0], sent[1]);
    assert!(
        sent[0]
            .lines()
            .skip(1)
            .all(|line| line.starts_with("[error] ")),
        "{sent:?}"
    );

    let baseline = check(&world, &receiver, "2025-01-01", &["--no-store"]).await;
    std::fs::write(world.path("last.json"), &baseline.stdout).expect("writes the baseline");
    let compared = check(
        &world,
        &receiver,
        "2025-01-01",
        &["--no-store", "--baseline", "last.json"],
    )
    .await;
    assert_eq!(compared.status.code(), Some(3));
    assert_eq!(
        receiver.received().len(),
        3,
        "the same as the baseline: nothing to say"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_the_network_rules_refuse_is_bad_input_and_never_quoted() {
    let world = CheckWorld::start().await;
    let list = world.file("domains.txt", "google.com\n");
    for (url, reason) in [
        ("http://10.0.0.1/hook/SECRET", "plain http is refused"),
        (
            "https://10.0.0.1/hook/SECRET",
            "10.0.0.1 is a private address",
        ),
        ("hooks.example/SECRET", "--notify takes a webhook URL"),
    ] {
        let mut command = world.check();
        command.arg(&list).args(["--notify", url]);
        let output = support::run(command).await.get_output().clone();
        assert_eq!(output.status.code(), Some(2), "{url}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(reason), "{stderr}");
        assert!(!stderr.contains("SECRET"), "{stderr}");
    }
}
