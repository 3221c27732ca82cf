//! `domlife check` run as the real binary on lists, against the mock RDAP
//! registry and the mock WHOIS server: one result per input entry, in
//! input order, in every format, with an exit status that means something.

pub mod support;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use support::check_world::CheckWorld;
use support::run;

/// `check --format FORMAT LIST` in the shared world, as of `as_of`.
fn check_on(world: &CheckWorld, list: &Path, format: &str, as_of: &str) -> Command {
    let mut command = world.check_on(as_of);
    command.args(["--format", format]).arg(list);
    command
}

fn check(world: &CheckWorld, list: &Path, format: &str) -> Command {
    check_on(world, list, format, "2025-01-01")
}

const MIXED: &str = "# portfolio\n\
                     google.com\n\
                     gone.com\n\
                     not a name\n\
                     https://www.GOOGLE.com/\n\
                     google.cn\n";

fn results(json: &Value) -> &Vec<Value> {
    json["results"].as_array().expect("results is a list")
}

#[tokio::test]
async fn every_entry_yields_one_result_in_input_order() {
    let world = CheckWorld::start().await;
    let list = world.file("mixed.txt", MIXED);
    let assert = run(check(&world, &list, "json")).await.code(1);
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON report");
    assert_eq!(json["meta"]["complete"], true);
    assert_eq!(json["meta"]["counts"]["names"], 4);
    assert_eq!(json["meta"]["as_of"], "2025-01-01");
    let results = results(&json);
    let summary: Vec<(&str, &str)> = results
        .iter()
        .map(|result| {
            (
                result["domain"].as_str().unwrap_or_default(),
                result["outcome"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("google.com", "checked"),
            ("gone.com", "checked"),
            ("not a name", "invalid"),
            ("google.cn", "checked"),
        ]
    );
    // The duplicate (a URL of the same name) is merged and remembers both lines.
    let lines: Vec<u64> = results[0]["input"]["lines"]
        .as_array()
        .expect("input lines")
        .iter()
        .filter_map(|origin| origin["line"].as_u64())
        .collect();
    assert_eq!(lines, [2, 5]);
    assert_eq!(
        results[0]["record"]["registrar_expires"],
        "2028-09-13T07:00:00Z"
    );
    assert_eq!(results[0]["phase"], "active");
    assert_eq!(results[0]["timeline"]["days_left"], 1351);
    assert_eq!(results[1]["record"]["registered"], false);
    assert_eq!(results[2]["error"]["kind"], "invalid_input");
    assert_eq!(results[2]["record"], Value::Null);
    assert_eq!(results[3]["record"]["source"]["protocol"], "whois");
    let codes = |result: &Value| -> Vec<String> {
        result["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|finding| {
                format!(
                    "{} {}",
                    finding["severity"].as_str().unwrap_or_default(),
                    finding["code"].as_str().unwrap_or_default()
                )
            })
            .collect()
    };
    assert_eq!(codes(&results[0]), ["notice registry-locked"]);
    assert_eq!(codes(&results[1]), ["error not-registered"]);
    assert_eq!(codes(&results[2]), ["error lookup-failed"]);
    // A 2017 expiry seen in 2025 without deletion statuses.
    assert_eq!(
        codes(&results[3]),
        [
            "error expired",
            "warning phase-mismatch",
            "notice registry-locked"
        ]
    );
    // Each name was asked once, duplicates included (in any order: lookups
    // run concurrently).
    let mut asked = world.registry.requests();
    asked.sort();
    assert_eq!(
        asked,
        [
            "/registrar/domain/GOOGLE.COM",
            "/registry/domain/gone.com",
            "/registry/domain/google.com"
        ]
    );
}

#[tokio::test]
async fn the_exit_status_follows_fail_on() {
    let world = CheckWorld::start().await;
    // google.com is fine as of 2025-01-01 (its registry locks are notices).
    let good = world.file("good.txt", "google.com\n");
    run(check(&world, &good, "table")).await.code(0);
    let mut strict = check(&world, &good, "table");
    strict.args(["--fail-on", "notice"]);
    run(strict).await.code(1);
    // A name to keep that the registry does not have is an error...
    let gone = world.file("gone.txt", "gone.com\n");
    run(check(&world, &gone, "json")).await.code(1);
    // ...unless the run is told never to fail on findings.
    let mut lenient = check(&world, &gone, "json");
    lenient.args(["--fail-on", "never"]);
    run(lenient).await.code(0);
}

#[tokio::test]
async fn ndjson_writes_one_line_per_entry() {
    let world = CheckWorld::start().await;
    let list = world.file("mixed.txt", MIXED);
    let assert = run(check(&world, &list, "ndjson")).await.code(1);
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let mut domains: Vec<String> = stdout
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("each line is JSON");
            value["domain"].as_str().unwrap_or_default().to_owned()
        })
        .collect();
    domains.sort();
    assert_eq!(
        domains,
        ["gone.com", "google.cn", "google.com", "not a name"]
    );
}

#[tokio::test]
async fn csv_report_reads_back_with_a_csv_parser() {
    let world = CheckWorld::start().await;
    let list = world.file("mixed.txt", MIXED);
    let assert = run(check(&world, &list, "csv")).await.code(1);
    let mut reader = csv::Reader::from_reader(assert.get_output().stdout.as_slice());
    let headers = reader.headers().expect("header row").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|header| header == name)
            .expect(name)
    };
    let rows: Vec<csv::StringRecord> = reader.records().map(|row| row.expect("row")).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[0][column("domain")], "google.com");
    assert_eq!(&rows[0][column("phase")], "active");
    assert_eq!(
        &rows[0][column("lines")],
        "mixed.txt:2 mixed.txt:5".replace("mixed.txt", &list.display().to_string())
    );
    assert_eq!(&rows[1][column("registered")], "false");
    assert_eq!(&rows[2][column("outcome")], "invalid");
}

#[tokio::test]
async fn a_csv_expires_column_gives_a_timeline_where_the_registry_publishes_none() {
    let world = CheckWorld::start().await;
    let list = world.file(
        "portfolio.csv",
        "domain,tier,expires,intent\ngoogle.de,core,2024-12-10,keep\n",
    );
    let assert = run(check(&world, &list, "json")).await.code(0);
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON report");
    let result = &results(&json)[0];
    assert_eq!(result["input"]["tier"], "core");
    assert_eq!(
        result["record"]["expires"],
        Value::Null,
        "DENIC publishes no expiry"
    );
    assert_eq!(result["timeline"]["expiry_day"], "2024-12-10");
    assert_eq!(world.whois.received(), ["-T dn,ace google.de\r\n"]);
}

#[tokio::test]
async fn an_unreadable_list_is_bad_input() {
    let world = CheckWorld::start().await;
    run(check(&world, Path::new("/nonexistent/list.txt"), "table"))
        .await
        .code(2);
    assert!(world.registry.requests().is_empty());
}

#[tokio::test]
async fn names_that_could_not_be_checked_exit_3() {
    let world = CheckWorld::start().await;
    let list = world.file("bad.txt", "not a name\ngoogle.com\n");
    let assert = run(check(&world, &list, "json")).await.code(3);
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON report");
    assert_eq!(json["meta"]["counts"]["invalid"], 1);
    assert_eq!(json["meta"]["counts"]["checked"], 1);
}

#[tokio::test]
async fn the_table_puts_the_worst_first_and_colours_only_when_asked() {
    let world = CheckWorld::start().await;
    let list = world.file("two.txt", "google.com\ngone.com\n");
    let assert = run(check(&world, &list, "table")).await.code(1);
    let table = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let gone = table.find("gone.com").expect("gone.com listed");
    let google = table.find("google.com").expect("google.com listed");
    assert!(gone < google, "the error comes first:\n{table}");
    assert!(!table.contains('\u{1b}'), "no colour when not a terminal");
    assert!(
        table.contains("2 names: 2 checked, 0 failed, 0 invalid"),
        "{table}"
    );

    let mut coloured = check(&world, &list, "table");
    coloured.args(["--color", "always"]);
    let assert = run(coloured).await.code(1);
    assert!(
        assert.get_output().stdout.contains(&0x1b),
        "ANSI colour with --color always"
    );
}

#[tokio::test]
async fn a_config_file_sets_thresholds_per_tier() {
    let world = CheckWorld::start().await;
    let list = world.file("tiers.csv", "domain,tier\ngoogle.com,core\n");
    let tiers = "[thresholds.tiers.core]\nwarning_days = 60\nerror_days = 14\n";
    let config = world.file("tiers.toml", tiers);
    // google.com's deadline is 2028-09-13: 43 days after 2028-08-01.
    let expiring = |extra: &[&str]| {
        let mut command = check_on(&world, &list, "json", "2028-08-01");
        command.args(["--fail-on", "never"]).args(extra);
        command
    };
    let default = run(expiring(&[])).await.code(0);
    let json: Value = serde_json::from_slice(&default.get_output().stdout).expect("JSON report");
    let codes = |json: &Value| -> Vec<String> {
        results(json)[0]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter_map(|finding| finding["code"].as_str().map(str::to_owned))
            .collect()
    };
    assert!(
        !codes(&json).contains(&"expiring".to_owned()),
        "30 days by default"
    );
    let config_arg = config.display().to_string();
    let tiered = run(expiring(&["--config", &config_arg])).await.code(0);
    let json: Value = serde_json::from_slice(&tiered.get_output().stdout).expect("JSON report");
    assert!(
        codes(&json).contains(&"expiring".to_owned()),
        "60 days for core"
    );
    // domlife.toml in the working directory is read without --config.
    world.file("domlife.toml", tiers);
    let found = run(expiring(&[])).await.code(0);
    let json: Value = serde_json::from_slice(&found.get_output().stdout).expect("JSON report");
    assert!(
        codes(&json).contains(&"expiring".to_owned()),
        "./domlife.toml is found"
    );
}

#[tokio::test]
async fn a_config_file_with_an_unknown_key_is_refused() {
    let world = CheckWorld::start().await;
    let list = world.file("one.txt", "google.com\n");
    let config = world.file("domlife.toml", "[thresholds]\nwarn_days = 3\n");
    let mut command = check(&world, &list, "json");
    command.arg("--config").arg(&config);
    run(command)
        .await
        .code(2)
        .stderr(predicates::str::contains("warn_days"));
    assert!(world.registry.requests().is_empty());
}

#[tokio::test]
async fn a_run_is_compared_with_the_last_one_in_the_store() {
    use support::{MockConfig, MockRegistry, Reply};
    let verisign = "whoisit-recorded__verisign_google.com.json";
    let fixture = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/rdap")
            .join(verisign),
    )
    .expect("fixture");
    let held = fixture.replacen("\"status\": [", "\"status\": [\"server hold\", ", 1);
    assert_ne!(held, fixture, "the fixture has a status array");
    let dir = tempfile::TempDir::new().expect("temp dir");
    let list = dir.path().join("one.txt");
    std::fs::write(&list, "google.com\n").expect("writes list");
    let mut last = Value::Null;
    for reply in [Reply::fixture(verisign), Reply::Json(held)] {
        let mock = MockRegistry::start(
            MockConfig::new()
                .tld("com")
                .registry("google.com", reply)
                // The capture links to MarkMonitor: keep the referral on the mock.
                .rewrite("https://rdap.markmonitor.com/rdap/", "{base}/registrar/"),
        )
        .await
        .expect("mock starts");
        let bootstrap = dir.path().join("dns.json");
        std::fs::write(&bootstrap, mock.bootstrap_json()).expect("writes bootstrap");
        let mut command = Command::cargo_bin("domlife").expect("binary builds");
        command
            .env("DOMLIFE_CACHE_DIR", dir.path())
            .args([
                "check",
                "--format",
                "json",
                "--fail-on",
                "never",
                "--allow-loopback",
            ])
            .args(["--as-of", "2025-01-01", "--bootstrap"])
            .arg(&bootstrap)
            .arg(&list);
        let assert = run(command).await.code(0);
        last = serde_json::from_slice(&assert.get_output().stdout).expect("JSON report");
    }
    let findings = results(&last)[0]["findings"]
        .as_array()
        .expect("findings")
        .clone();
    let changed: Vec<&Value> = findings
        .iter()
        .filter(|finding| finding["code"] == "changed")
        .collect();
    assert!(!changed.is_empty(), "{findings:#?}");
    assert!(
        changed.iter().any(|finding| finding["severity"] == "error"),
        "{changed:#?}"
    );

    let mut history = Command::cargo_bin("domlife").expect("binary builds");
    history.env("DOMLIFE_CACHE_DIR", dir.path()).args([
        "history",
        "google.com",
        "--format",
        "json",
    ]);
    let assert = run(history).await.success();
    let json: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON history");
    assert_eq!(json["entries"].as_array().map(Vec::len), Some(2));
}
