//! `domlife check` reports in every format, run as the real binary against
//! the mock registry and WHOIS server, each read back with an independent
//! parser of its format; `--report FORMAT=FILE` and `--baseline`.

pub mod support;

use std::io::BufReader;

use predicates::str::contains;
use serde_json::Value;
use support::check_world::CheckWorld;
use support::exposition::parse_sample;
use support::github_commands::parse_line;
use support::run;

const MIXED: &str = "google.com\ngone.com\nnot a name\ngoogle.cn\n";

/// (suite, test case, failure type or "") for every test case.
fn junit_cases(xml: &str) -> Vec<(String, String, String)> {
    let document = roxmltree::Document::parse(xml).expect("well-formed JUnit XML");
    document
        .descendants()
        .filter(|node| node.has_tag_name("testcase"))
        .map(|case| {
            let suite = case
                .parent_element()
                .and_then(|suite| suite.attribute("name"))
                .unwrap_or_default();
            let failure = case
                .children()
                .find(|node| node.has_tag_name("failure"))
                .and_then(|failure| failure.attribute("type"))
                .unwrap_or_default();
            (
                suite.to_owned(),
                case.attribute("name").unwrap_or_default().to_owned(),
                failure.to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn junit_on_stdout_has_a_suite_per_tld_and_a_failure_per_bad_name() {
    let world = CheckWorld::start().await;
    world.file("domains.txt", MIXED);
    let mut command = world.check();
    command.args(["domains.txt", "--format", "junit"]);
    let assert = run(command).await.code(1);
    let xml = String::from_utf8(assert.get_output().stdout.clone()).expect("UTF-8");
    let mut cases = junit_cases(&xml);
    cases.sort();
    let expected = [
        ("(invalid input)", "not a name", "lookup-failed"),
        (".cn", "google.cn", "expired"),
        (".com", "gone.com", "not-registered"),
        (".com", "google.com", ""),
    ];
    let cases: Vec<(&str, &str, &str)> = cases
        .iter()
        .map(|(suite, name, failure)| (suite.as_str(), name.as_str(), failure.as_str()))
        .collect();
    assert_eq!(cases, expected);
}

#[tokio::test]
async fn one_run_writes_every_format_and_each_parses_back() {
    let world = CheckWorld::start().await;
    world.file("domains.txt", MIXED);
    std::fs::create_dir(world.path("out")).expect("creates out/");
    let mut command = world.check();
    command.args(["domains.txt", "--format", "github"]);
    for (format, file) in [
        ("json", "report.json"),
        ("junit", "junit.xml"),
        ("markdown", "summary.md"),
        ("ics", "domains.ics"),
        ("prometheus", "domlife.prom"),
        ("csv", "report.csv"),
    ] {
        command.args(["--report", &format!("{format}=out/{file}")]);
    }
    let assert = run(command).await.code(1);
    let read = |file: &str| {
        std::fs::read_to_string(world.path("out").join(file)).expect("report file written")
    };

    // GitHub annotations on stdout, one per finding, at the input line.
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).expect("UTF-8");
    let annotations: Vec<_> = stdout
        .lines()
        .map(|line| parse_line(line).expect("a valid workflow command"))
        .collect();
    let gone = annotations
        .iter()
        .find(|annotation| annotation.property("title") == Some("domlife not-registered gone.com"))
        .expect("an annotation for gone.com");
    assert_eq!(gone.command, "error");
    assert_eq!(gone.property("file"), Some("domains.txt"));
    assert_eq!(gone.property("line"), Some("2"));

    let json: Value = serde_json::from_str(&read("report.json")).expect("JSON report");
    assert_eq!(json["results"].as_array().map(Vec::len), Some(4));
    assert_eq!(junit_cases(&read("junit.xml")).len(), 4);

    let markdown = read("summary.md");
    let rows = pulldown_cmark::Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_TABLES)
        .filter(|event| {
            matches!(
                event,
                pulldown_cmark::Event::End(pulldown_cmark::TagEnd::TableRow)
            )
        })
        .count();
    // Body rows: three severities, then the four names with findings.
    assert_eq!(rows, 7, "{markdown}");

    let calendar = ical::IcalParser::new(BufReader::new(read("domains.ics").as_bytes()))
        .next()
        .expect("a calendar")
        .expect("a valid calendar");
    let uids: Vec<String> = calendar
        .events
        .iter()
        .flat_map(|event| &event.properties)
        .filter(|property| property.name == "UID")
        .filter_map(|property| property.value.clone())
        .collect();
    assert!(
        uids.contains(&"expiry.google.com@domlife".to_owned()),
        "{uids:?}"
    );
    assert!(
        uids.contains(&"release.google.cn@domlife".to_owned()),
        "{uids:?}"
    );
    assert!(uids.iter().all(|uid| !uid.contains("gone.com")));

    let prom = read("domlife.prom");
    let scrape = prometheus_parse::Scrape::parse(prom.lines().map(|line| Ok(line.to_owned())))
        .expect("valid exposition");
    assert!(
        scrape
            .docs
            .contains_key("domlife_domain_expiry_timestamp_seconds")
    );
    let samples: Vec<_> = prom
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| parse_sample(line).expect("a valid sample"))
        .collect();
    let value = |name: &str, labels: &[(&str, &str)]| {
        samples
            .iter()
            .find(|sample| {
                sample.name == name
                    && labels.iter().all(|(key, value)| {
                        sample.labels.iter().any(|(k, v)| k == key && v == value)
                    })
            })
            .map(|sample| sample.value)
    };
    assert_eq!(
        value("domlife_domain_lookup_success", &[("domain", "not a name")]),
        Some(0.0)
    );
    assert_eq!(
        value("domlife_domain_registered", &[("domain", "gone.com")]),
        Some(0.0)
    );
    assert_eq!(
        value(
            "domlife_domain_phase",
            &[("domain", "google.com"), ("phase", "active")]
        ),
        Some(1.0)
    );
    let left = value("domlife_domain_expiry_days", &[("domain", "google.cn")]).expect("days");
    assert!(left < 0.0, "google.cn expired in 2017: {left}");

    let csv_text = read("report.csv");
    let mut csv = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(csv.records().count(), 4);
}

#[tokio::test]
async fn an_unwritable_report_is_refused_before_any_lookup() {
    let world = CheckWorld::start().await;
    world.file("domains.txt", "google.com\n");
    let mut command = world.check();
    command.args(["domains.txt", "--report", "junit=missing/dir/junit.xml"]);
    run(command)
        .await
        .code(2)
        .stderr(contains("missing/dir/junit.xml"));
    let mut command = world.check();
    command.args(["domains.txt", "--report", "xml=junit.xml"]);
    run(command)
        .await
        .code(2)
        .stderr(contains("unknown format"));
    assert!(world.registry.requests().is_empty());
}

#[tokio::test]
async fn a_baseline_turns_differences_into_changed_findings() {
    let world = CheckWorld::start().await;
    world.file("domains.txt", MIXED);
    let mut first = world.check();
    first.args(["domains.txt", "--format", "json"]);
    let first = run(first).await.code(1);
    let mut previous: Value =
        serde_json::from_slice(&first.get_output().stdout).expect("JSON report");
    // What the earlier audit saw: another registrar and nameserver for
    // google.com, gone.com still registered, google.cn not audited yet.
    let results = previous["results"].as_array_mut().expect("results");
    results[0]["record"]["registrar"] =
        serde_json::json!({"name": "Previous Registrar", "iana_id": "1"});
    results[0]["record"]["nameservers"] = serde_json::json!(["ns1.google.com", "ns9.old.example"]);
    results[1]["record"]["registered"] = Value::Bool(true);
    results.truncate(3);
    world.file("previous.json", &previous.to_string());

    let mut second = world.check();
    second.args([
        "domains.txt",
        "--format",
        "json",
        "--baseline",
        "previous.json",
    ]);
    let second = run(second).await.code(1);
    let report: Value = serde_json::from_slice(&second.get_output().stdout).expect("JSON report");
    let changed = |index: usize| -> Vec<(String, String)> {
        report["results"][index]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|finding| finding["code"] == "changed")
            .map(|finding| {
                (
                    finding["severity"].as_str().unwrap_or_default().to_owned(),
                    finding["message"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let google = changed(0);
    assert_eq!(google.len(), 2, "{google:?}");
    assert_eq!(google[0].0, "error");
    assert!(
        google[0]
            .1
            .contains("registrar Previous Registrar (IANA 1) -> "),
        "{google:?}"
    );
    assert_eq!(google[1].0, "warning");
    assert!(
        google[1].1.contains("removed ns9.old.example"),
        "{google:?}"
    );
    assert_eq!(changed(1).len(), 1);
    assert!(changed(1)[0].1.contains("no longer registered"));
    assert!(changed(3).is_empty());
    let notes = report["results"][3]["notes"].to_string();
    assert!(notes.contains("not in the baseline"), "{notes}");
}

#[tokio::test]
async fn a_baseline_that_is_not_a_report_is_bad_input() {
    let world = CheckWorld::start().await;
    world.file("domains.txt", "google.com\n");
    world.file("junit.xml", "<testsuites/>");
    for (baseline, why) in [
        ("junit.xml", "is not a domlife JSON report"),
        ("nowhere.json", "cannot read the baseline"),
    ] {
        let mut command = world.check();
        command.args(["domains.txt", "--baseline", baseline]);
        run(command).await.code(2).stderr(contains(why));
    }
    assert!(world.registry.requests().is_empty());
}
