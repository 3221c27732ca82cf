//! The CI recipes of docs/ci.md, run for real: the `domlife` command lines
//! printed there are held here verbatim, checked to still be in the doc,
//! and run by bash (as the CI runners do) against the mock registry, with
//! only the flags that reach the mocks added (`--allow-loopback
//! --bootstrap ...`, through a shell function named `domlife`). The files
//! they produce are read back with parsers of their formats.

pub mod support;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use support::check_world::{CheckWorld, path_text};
use support::github_commands::parse_line;
use support::run;

/// The script of the GitHub workflow's "Audit" step, as docs/ci.md shows it.
const GITHUB_AUDIT: &str = r#"baseline=()
if [ -f previous/domlife.json ]; then baseline=(--baseline previous/domlife.json); fi
mkdir -p report
domlife check domains.txt "${baseline[@]}" \
  --fail-on error \
  --format github \
  --report json=report/domlife.json \
  --report junit=report/junit.xml \
  --report markdown="$GITHUB_STEP_SUMMARY""#;

/// The script of the GitLab job, as docs/ci.md shows it.
const GITLAB_SCRIPT: &str =
    "domlife check domains.txt --fail-on error --report junit=junit.xml --report json=domlife.json";

/// Every line of `snippet` (indentation aside) appears in docs/ci.md, in order, together.
fn assert_in_doc(snippet: &str) {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md"))
        .expect("docs/ci.md");
    let doc_lines: Vec<&str> = doc.lines().map(str::trim).collect();
    let wanted: Vec<&str> = snippet
        .lines()
        .map(|line| line.trim().trim_start_matches("- "))
        .collect();
    let found = doc_lines.windows(wanted.len()).any(|window| {
        window
            .iter()
            .zip(&wanted)
            .all(|(line, want)| line.trim_start_matches("- ") == *want)
    });
    assert!(found, "docs/ci.md no longer shows:\n{snippet}");
}

/// `bash -e -c SCRIPT` in the world's directory, `domlife` being the built
/// binary with the test flags appended.
fn bash(world: &CheckWorld, script: &str) -> Command {
    let quote = |text: &str| format!("'{}'", text.replace('\'', r"'\''"));
    let binary = path_text(&assert_cmd::cargo::cargo_bin("domlife"));
    let flags: Vec<String> = world.test_flags().iter().map(|flag| quote(flag)).collect();
    let prelude = format!(
        "domlife() {{ {} \"$@\" {}; }}\n",
        quote(&binary),
        flags.join(" ")
    );
    let mut command = Command::new("bash");
    command
        .current_dir(world.dir.path())
        .env("DOMLIFE_CACHE_DIR", world.path(".domlife-cache"))
        .args(["-e", "-c", &(prelude + script)]);
    command
}

fn junit_failures(xml: &str) -> Vec<String> {
    let document = roxmltree::Document::parse(xml).expect("well-formed JUnit XML");
    document
        .descendants()
        .filter(|node| node.has_tag_name("testcase"))
        .filter(|case| case.children().any(|node| node.has_tag_name("failure")))
        .filter_map(|case| case.attribute("name").map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_github_actions_audit_step_runs_and_then_reports_changes() {
    assert_in_doc(GITHUB_AUDIT);
    let world = CheckWorld::start().await;
    world.file("domains.txt", "google.com\ngone.com\n");
    let summary = world.path("step-summary.md");

    // First run: no previous report, so no baseline.
    let mut first = bash(&world, GITHUB_AUDIT);
    first.env("GITHUB_STEP_SUMMARY", &summary);
    let first = run(first).await.code(1);
    let stdout = String::from_utf8(first.get_output().stdout.clone()).expect("UTF-8");
    let errors: Vec<String> = stdout
        .lines()
        .map(|line| parse_line(line).expect("a valid workflow command"))
        .filter(|annotation| annotation.command == "error")
        .filter_map(|annotation| annotation.property("title").map(str::to_owned))
        .collect();
    assert_eq!(errors, ["domlife not-registered gone.com"]);
    let report = std::fs::read_to_string(world.path("report/domlife.json")).expect("JSON report");
    let mut previous: Value = serde_json::from_str(&report).expect("JSON");
    let junit = std::fs::read_to_string(world.path("report/junit.xml")).expect("JUnit report");
    assert_eq!(junit_failures(&junit), ["gone.com"]);
    let markdown = std::fs::read_to_string(&summary).expect("step summary");
    let has_table =
        pulldown_cmark::Parser::new_ext(&markdown, pulldown_cmark::Options::ENABLE_TABLES).any(
            |event| {
                matches!(
                    event,
                    pulldown_cmark::Event::Start(pulldown_cmark::Tag::Table(_))
                )
            },
        );
    assert!(has_table && markdown.contains("gone.com"), "{markdown}");

    // The next run downloads that report as previous/domlife.json; here the
    // nameservers have moved since.
    previous["results"][0]["record"]["nameservers"] = serde_json::json!(["ns1.old.example"]);
    std::fs::create_dir(world.path("previous")).expect("creates previous/");
    world.file("previous/domlife.json", &previous.to_string());
    let mut second = bash(&world, GITHUB_AUDIT);
    second.env("GITHUB_STEP_SUMMARY", &summary);
    let second = run(second).await.code(1);
    let stdout = String::from_utf8(second.get_output().stdout.clone()).expect("UTF-8");
    let changed = stdout
        .lines()
        .filter_map(|line| parse_line(line).ok())
        .find(|annotation| annotation.property("title") == Some("domlife changed google.com"))
        .expect("a changed annotation for google.com");
    assert_eq!(changed.command, "warning");
    assert!(
        changed.message.contains("removed ns1.old.example"),
        "{}",
        changed.message
    );
}

#[tokio::test]
async fn the_gitlab_job_script_runs_and_writes_its_junit_report() {
    assert_in_doc(GITLAB_SCRIPT);
    let world = CheckWorld::start().await;
    world.file("domains.txt", "google.com\ngone.com\ngoogle.cn\n");
    let assert = run(bash(&world, GITLAB_SCRIPT)).await.code(1);
    let table = String::from_utf8(assert.get_output().stdout.clone()).expect("UTF-8");
    assert!(table.contains("gone.com"), "{table}");
    let junit = std::fs::read_to_string(world.path("junit.xml")).expect("JUnit report");
    let mut failures = junit_failures(&junit);
    failures.sort();
    assert_eq!(failures, ["gone.com", "google.cn"]);
    let report = std::fs::read_to_string(world.path("domlife.json")).expect("JSON report");
    let report: Value = serde_json::from_str(&report).expect("JSON");
    assert_eq!(report["results"].as_array().map(Vec::len), Some(3));
}
