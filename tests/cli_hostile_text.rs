//! Issue #13, terminal and spreadsheet injection: registry text with
//! escape sequences, BEL, C1 controls, bidi overrides, zero-width
//! characters and formula starters, through the real binary from a capture
//! written here, in every output format. Nothing but the writer's own line
//! breaks may reach a terminal or a file raw; JSON keeps the text and
//! escapes it as JSON does; CSV cells that a spreadsheet would read as
//! formulas get a leading `'` while numbers stay numbers.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::Utc;
use domlife::store::Store;
use serde_json::{Value, json};

const NAME: &str = "hostile-example.com";
/// A registrar name that retitles the terminal, rings, colours, hides a
/// character and flips the line; it starts like a formula.
const REGISTRAR: &str = "=HYPERLINK(\"http://x\")\u{1b}]0;pwned\u{7}Evil\u{1b}[31m Reg\u{9b}1m\u{200b}istrar\u{202e}cni";
/// A name whose captured answer is not JSON and quotes hostile text.
const BROKEN: &str = "broken-example.com";
const STATUSES: [&str; 3] = ["client hold", "\u{1b}[2Jwiped\u{7f}", "+ok\u{2066}\u{feff}"];

fn domlife() -> Command {
    Command::cargo_bin("domlife").unwrap_or_else(|error| panic!("no binary: {error}"))
}

/// A capture directory with the hostile answer, and the list naming it.
fn capture(directory: &Path) -> (PathBuf, PathBuf) {
    let replay = directory.join("replay");
    std::fs::create_dir_all(replay.join("rdap")).unwrap_or_else(|error| panic!("{error}"));
    let answer = json!({
        "objectClassName": "domain",
        "ldhName": NAME,
        "status": STATUSES,
        "events": [
            {"eventAction": "registration", "eventDate": "2020-02-01T12:00:00Z"},
            {"eventAction": "expiration", "eventDate": "2025-05-20T12:00:00Z"}
        ],
        "entities": [{
            "objectClassName": "entity",
            "roles": ["registrar"],
            "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", REGISTRAR]]]
        }],
        "remarks": [{"description": ["\u{1b}[5mblink"]}]
    });
    let file = replay.join("rdap").join(format!("{NAME}.json"));
    std::fs::write(&file, answer.to_string()).unwrap_or_else(|error| panic!("{error}"));
    // Not JSON: the lookup fails, and the failure quotes the body.
    let broken = replay.join("rdap").join(format!("{BROKEN}.json"));
    std::fs::write(&broken, "<html>\u{202e}gpj.exe\u{200b}\u{1b}[8m</html>")
        .unwrap_or_else(|error| panic!("{error}"));
    let list = directory.join("domains.csv");
    std::fs::write(
        &list,
        format!("domain,tier\n{NAME},\u{1b}[1mcore\n{BROKEN},core\n"),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    (replay, list)
}

fn check(directory: &Path, format: &str) -> Vec<u8> {
    let (replay, list) = capture(directory);
    let output = domlife()
        .arg("check")
        .arg(&list)
        .arg("--replay")
        .arg(&replay)
        .args(["--as-of", "2025-06-01", "--format", format, "--no-store"])
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(
        matches!(output.status.code(), Some(0 | 1 | 3)),
        "{format}: {:?} {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// Every character a terminal acts on or hides, except the line breaks
/// (`\n`, and `\r` before it) a format writes itself.
fn raw_controls(text: &str) -> Vec<char> {
    let mut found = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_break = c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        let hidden = matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}');
        if (c.is_control() && !line_break) || hidden {
            found.push(c);
        }
    }
    found
}

#[test]
fn no_text_format_passes_registry_controls_through() {
    for format in [
        "table",
        "csv",
        "github",
        "markdown",
        "prometheus",
        "junit",
        "ics",
    ] {
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let text = String::from_utf8(check(directory.path(), format))
            .unwrap_or_else(|error| panic!("{format}: {error}"));
        assert_eq!(raw_controls(&text), Vec::<char>::new(), "{format}:\n{text}");
        if format != "ics" {
            assert!(
                text.contains("u{202e}") || text.contains("u{1b}"),
                "{format} shows the escapes:\n{text}"
            );
        }
    }
}

#[test]
fn json_keeps_the_text_and_escapes_it_as_json() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let stdout = check(directory.path(), "json");
    let text = String::from_utf8(stdout).unwrap_or_else(|error| panic!("{error}"));
    assert!(
        !text.contains('\u{1b}') && text.contains("\\u001b"),
        "{text}"
    );
    let report: Value = serde_json::from_str(&text).unwrap_or_else(|error| panic!("{error}"));
    let record = &report["results"][0]["record"];
    assert_eq!(record["registrar"]["name"], REGISTRAR);
}

#[test]
fn csv_guards_formulas_and_keeps_numbers() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let stdout = check(directory.path(), "csv");
    let mut reader = csv::Reader::from_reader(stdout.as_slice());
    let header = reader
        .headers()
        .unwrap_or_else(|error| panic!("{error}"))
        .clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|found| found == name)
            .unwrap_or_else(|| panic!("no {name} column"))
    };
    let row = reader
        .records()
        .next()
        .and_then(Result::ok)
        .unwrap_or_else(|| panic!("no row"));
    let registrar = &row[column("registrar")];
    assert!(registrar.starts_with("'=HYPERLINK("), "{registrar}");
    assert!(
        registrar.contains("\\u{1b}]0;pwned\\u{7}Evil"),
        "{registrar}"
    );
    let days_left = &row[column("days_left")];
    assert_eq!(days_left.parse::<i64>().ok(), Some(-12), "{days_left}");
}

#[test]
fn show_prints_registry_text_escaped() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let (replay, _) = capture(directory.path());
    let output = domlife()
        .args([
            "show",
            NAME,
            "--as-of",
            "2025-06-01",
            "--no-store",
            "--replay",
        ])
        .arg(&replay)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let text = String::from_utf8(output.stdout).unwrap_or_else(|error| panic!("{error}"));
    assert!(output.status.success(), "{text}");
    assert_eq!(raw_controls(&text), Vec::<char>::new(), "{text}");
    assert!(text.contains("\\u{1b}[2Jwiped\\u{7f}"), "{text}");
}

#[test]
fn history_prints_stored_registry_text_escaped() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let path = directory.path().join("domlife.sqlite3");
    let store = Store::open(&path).unwrap_or_else(|error| panic!("{error}"));
    let now = Utc::now();
    let run = store
        .begin_run("check domains.csv", now)
        .unwrap_or_else(|error| panic!("{error}"));
    let record = json!({
        "domain": NAME, "registered": true,
        "source": {"protocol": "rdap", "server": null, "url": null, "role": "registry"},
        "expires": null, "registrar_expires": null, "created": null, "updated": null,
        "statuses": STATUSES, "registrar": {"name": REGISTRAR, "iana_id": null},
        "nameservers": [], "dnssec": null, "registry_dates": {"deletion": null, "release": null}
    });
    let findings = json!([{"code": "on-hold\u{1b}[8m", "severity": "error"}]);
    store
        .record_result(run, NAME, &record, &findings, now)
        .unwrap_or_else(|error| panic!("{error}"));
    store
        .finish_run(run, true, now)
        .unwrap_or_else(|error| panic!("{error}"));
    drop(store);
    let output = domlife()
        .args(["history", NAME, "--store"])
        .arg(&path)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let text = String::from_utf8(output.stdout).unwrap_or_else(|error| panic!("{error}"));
    assert!(output.status.success(), "{text}");
    assert_eq!(raw_controls(&text), Vec::<char>::new(), "{text}");
    assert!(text.contains("\\u{1b}[2Jwiped"), "{text}");
}

#[test]
fn error_messages_quoting_input_are_escaped() {
    let output = domlife()
        .args(["show", "\u{1b}]0;pwned\u{7}example.com"])
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(output.status.code(), Some(2));
    let text = String::from_utf8(output.stderr).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(raw_controls(&text), Vec::<char>::new(), "{text}");
}
