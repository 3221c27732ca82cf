//! The `timeline` and `policies` commands, run as the real binary.

use assert_cmd::Command;
use rstest::rstest;
use serde_json::Value;

fn domlife() -> Command {
    Command::cargo_bin("domlife").unwrap_or_else(|error| panic!("{error}"))
}

/// Runs domlife with `args`; returns (exit status, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let output = domlife()
        .args(args)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let (status, stdout, stderr) = run(args);
    assert_eq!(status, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("{error}: {stdout}"))
}

/// The cells of the table row whose first cell is `first`.
fn row(table: &str, first: &str) -> Vec<String> {
    table
        .lines()
        .map(|line| {
            line.split(['│', '┆'])
                .map(|cell| cell.trim().to_owned())
                .filter(|cell| !cell.is_empty())
                .collect::<Vec<_>>()
        })
        .find(|cells| cells.first().is_some_and(|cell| cell == first))
        .unwrap_or_default()
}

const ARTICLE: &[&str] = &[
    "timeline",
    "example.com",
    "--expires",
    "2024-06-30",
    "--grace",
    "30",
    "--redemption",
    "30",
    "--pending-delete",
    "5",
];

fn with(base: &[&'static str], more: &[&'static str]) -> Vec<&'static str> {
    base.iter().chain(more).copied().collect()
}

#[test]
fn the_worked_example_reproduces_in_the_table() {
    let (status, stdout, stderr) = run(&with(ARTICLE, &["--as-of", "2024-08-01"]));
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(row(&stdout, "active"), ["active", "2024-06-30"]);
    assert_eq!(
        row(&stdout, "grace"),
        ["grace", "2024-07-01", "2024-07-30", "30"]
    );
    assert_eq!(
        row(&stdout, "redemption"),
        ["redemption", "2024-07-31", "2024-08-29", "30"]
    );
    assert_eq!(
        row(&stdout, "pending_delete"),
        ["pending_delete", "2024-08-30", "2024-09-03", "5"]
    );
    assert_eq!(row(&stdout, "released"), ["released", "2024-09-04"]);
    assert!(stdout.contains("Released: 2024-09-04\n"), "{stdout}");
    assert!(
        stdout.contains("As of 2024-08-01: redemption\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Overridden on the command line: grace, redemption, pending_delete"),
        "{stdout}"
    );
    assert_eq!(row(&stdout, "grace (days)")[2], "given");
}

#[test]
fn the_worked_example_reproduces_in_json() {
    let report = json(&with(
        ARTICLE,
        &["--as-of", "2024-08-01", "--format", "json"],
    ));
    let ends: Vec<(&str, &str, &str)> = report["phases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|phase| !phase["end"].is_null())
        .map(|phase| {
            (
                phase["phase"].as_str().unwrap_or_default(),
                phase["end"]["earliest"].as_str().unwrap_or_default(),
                phase["end"]["latest"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        ends,
        [
            ("active", "2024-06-30", "2024-06-30"),
            ("grace", "2024-07-30", "2024-07-30"),
            ("redemption", "2024-08-29", "2024-08-29"),
            ("pending_delete", "2024-09-03", "2024-09-03"),
        ]
    );
    assert_eq!(report["release"]["earliest"], "2024-09-04");
    assert_eq!(report["release"]["latest"], "2024-09-04");
    assert_eq!(report["as_of"]["phase"], "redemption");
    assert_eq!(report["expires"], "2024-06-30");
    assert_eq!(report["tld"], "com");
    assert_eq!(report["confidence"], "given");
    assert_eq!(
        report["policy"]["overridden"],
        serde_json::json!(["grace", "redemption", "pending_delete"])
    );
    assert_eq!(report["policy"]["grace"]["entry"], "command line");
}

#[test]
fn cn_uses_its_own_policy_and_explains_it() {
    let report = json(&[
        "timeline",
        "example.cn",
        "--expires",
        "2024-06-30",
        "--as-of",
        "2024-08-01",
        "--format",
        "json",
    ]);
    let phases: Vec<&str> = report["phases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|phase| phase["phase"].as_str())
        .collect();
    assert_eq!(phases, ["active", "grace", "redemption", "released"]);
    assert_eq!(report["release"]["earliest"], "2024-08-14");
    assert_eq!(report["release"]["latest"], "2024-08-20");
    assert_eq!(report["policy"]["entries"], serde_json::json!(["cn"]));
    assert_eq!(report["time_zone"], "+08:00");
    assert_eq!(report["confidence"], "2nd");
    let explanation = report["policy"]["explanations"][0]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(
        explanation.contains("no 5-day pending-delete stage"),
        "{explanation}"
    );

    let (_, table, _) = run(&[
        "timeline",
        "example.cn",
        "--expires",
        "2024-06-30",
        "--as-of",
        "2024-08-01",
    ]);
    assert!(table.contains("Why (cn): CNNIC"), "{table}");
    assert!(
        table.contains("Released: 2024-08-14 .. 2024-08-20"),
        "{table}"
    );
}

#[test]
fn a_cn_expiry_time_is_read_in_china_time() {
    // 2024-06-30T20:00Z is 2024-07-01 04:00 in Beijing: the expiry day is 07-01.
    let report = json(&[
        "timeline",
        "example.cn",
        "--expires",
        "2024-06-30T20:00:00Z",
        "--grace",
        "30",
        "--redemption",
        "15",
        "--pending-delete",
        "0",
        "--format",
        "json",
    ]);
    assert_eq!(report["expires"], "2024-06-30T20:00:00Z");
    assert_eq!(report["expiry_day"], "2024-07-01");
    assert_eq!(report["release"]["earliest"], "2024-08-16");
}

#[rstest]
#[case("2024-06-30", "active")]
#[case("2024-07-01", "grace")]
#[case("2024-07-30", "grace")]
#[case("2024-07-31", "redemption")]
#[case("2024-08-30", "pending_delete")]
#[case("2024-09-03T23:59:59Z", "pending_delete")]
#[case("2024-09-04T00:00:00Z", "released")]
fn as_of_picks_the_phase(#[case] as_of: &str, #[case] phase: &str) {
    let report = json(
        &with(ARTICLE, &["--format", "json", "--as-of"])
            .into_iter()
            .chain([as_of])
            .collect::<Vec<_>>(),
    );
    assert_eq!(report["as_of"]["phase"], phase);
    assert_eq!(report["as_of"]["possible"], serde_json::json!([phase]));
}

#[test]
fn a_day_inside_a_window_lists_every_possible_phase() {
    let report = json(&[
        "timeline",
        "example.com",
        "--expires",
        "2024-06-30",
        "--as-of",
        "2024-08-10",
        "--format",
        "json",
    ]);
    assert_eq!(report["as_of"]["phase"], Value::Null);
    assert_eq!(
        report["as_of"]["possible"],
        serde_json::json!(["grace", "redemption", "pending_delete", "released"])
    );
    let (_, table, _) = run(&[
        "timeline",
        "example.com",
        "--expires",
        "2024-06-30",
        "--as-of",
        "2024-07-20",
    ]);
    assert!(
        table.contains("As of 2024-07-20: grace or redemption (inside a boundary window)"),
        "{table}"
    );
}

#[test]
fn a_registrar_name_selects_its_entry() {
    let report = json(&[
        "timeline",
        "example.com",
        "--expires",
        "2024-06-30",
        "--registrar",
        "GoDaddy.com, LLC",
        "--as-of",
        "2024-08-01",
        "--format",
        "json",
    ]);
    assert_eq!(
        report["policy"]["entries"],
        serde_json::json!(["gtld", "godaddy"])
    );
    assert_eq!(
        report["policy"]["registrar"]["matched_by"]["name"],
        "GoDaddy"
    );
    assert_eq!(report["release"]["earliest"], "2024-09-16");
}

#[test]
fn a_policy_file_overrides_the_builtin_entry() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let path = dir.path().join("mine.toml");
    let text = "[[entry]]\nid = \"cn\"\ntlds = [\"cn\"]\ngrace = { value = 30, source = \"my contract\", confidence = \"V\" }\n\
                redemption = { value = 15, source = \"my contract\", confidence = \"V\" }\n\
                pending_delete = { value = 0, source = \"my contract\", confidence = \"V\" }\n";
    std::fs::write(&path, text).unwrap_or_else(|error| panic!("{error}"));
    let path = path.to_string_lossy().into_owned();
    let args = [
        "timeline",
        "example.cn",
        "--expires",
        "2024-06-30",
        "--policy-file",
        &path,
        "--format",
        "json",
    ];
    let (status, stdout, stderr) = run(&args);
    assert_eq!(status, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap_or_default();
    assert_eq!(report["release"]["earliest"], "2024-08-15");
    assert_eq!(report["policy"]["grace"]["source"], "my contract");
}

#[rstest]
#[case(&["timeline", "example.notatld", "--expires", "2024-06-30"], "not a known top-level domain")]
#[case(&["timeline", "example.com", "--expires", "2024-13-01"], "--expires")]
#[case(&["timeline", "example.com", "--expires", "soon"], "not a date")]
#[case(&["timeline", "example.com", "--expires", "2024-06-30", "--grace", "-5"], "--grace")]
#[case(&["timeline", "example.com", "--expires", "2024-06-30", "--redemption", "100000"], "longer than")]
#[case(&["timeline", "example.com", "--expires", "2024-06-30", "--pending-delete", "9-3"], "backwards")]
#[case(&["timeline", "example.com", "--expires", "2024-06-30", "--as-of", "tomorrow"], "--as-of")]
#[case(&["timeline", "example.com", "--expires", "2024-06-30", "--format", "xml"], "--format")]
#[case(&["timeline", "example.com", "--expires", "2024-06-30", "--policy-file", "/nonexistent/p.toml"], "/nonexistent/p.toml")]
#[case(&["policies", "notatld"], "unknown TLD")]
#[case(&["policies", "--registrar", "GoDaddy"], "needs a TLD")]
fn bad_input_exits_2_with_one_line(#[case] args: &[&str], #[case] problem: &str) {
    let (status, stdout, stderr) = run(args);
    assert_eq!(status, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("domlife: "), "{stderr}");
    assert!(stderr.contains(problem), "{stderr}");
}

#[test]
fn a_broken_policy_file_names_the_file_and_the_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "[[entry]]\nid = \"x\"\ntlds = [\"com\"\n")
        .unwrap_or_else(|error| panic!("{error}"));
    let path = path.to_string_lossy().into_owned();
    let (status, _, stderr) = run(&["policies", "--policy-file", &path]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains(&path), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn policies_cn_shows_sources_and_confidence() {
    let (status, stdout, stderr) = run(&["policies", "cn"]);
    assert_eq!(status, 0, "{stderr}");
    let redemption = row(&stdout, "redemption (days)");
    assert_eq!(redemption[1], "14-15");
    assert_eq!(redemption[2], "2nd");
    assert!(
        redemption[3].contains("CNNIC domain name rules 2007"),
        "{redemption:?}"
    );
    assert_eq!(row(&stdout, "WHOIS time zone")[1], "+08:00");
    assert!(stdout.contains("Note (cn):"), "{stdout}");
}

#[test]
fn policies_json_resolves_a_registrar() {
    let policy = json(&[
        "policies",
        "com",
        "--registrar",
        "NameCheap, Inc.",
        "--format",
        "json",
    ]);
    assert_eq!(policy["entries"], serde_json::json!(["gtld", "namecheap"]));
    assert_eq!(policy["grace"]["value"], serde_json::json!([30, 44]));
    assert_eq!(policy["grace"]["confidence"], "V");
    assert_eq!(policy["redemption"]["entry"], "gtld");
}

#[test]
fn policies_lists_every_entry() {
    let all = json(&["policies", "--format", "json"]);
    let ids: Vec<&str> = all["entries"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["id"].as_str())
        .collect();
    for id in [
        "gtld",
        "cctld-unknown",
        "cn",
        "uk",
        "br",
        "godaddy",
        "xinnet-cn",
        "route53",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let (status, table, _) = run(&["policies"]);
    assert_eq!(status, 0);
    assert_eq!(row(&table, "cctld-unknown")[4], "?");
}

#[rstest]
#[case("timeline")]
#[case("policies")]
fn help_has_examples(#[case] command: &str) {
    let (status, stdout, _) = run(&[command, "--help"]);
    assert_eq!(status, 0);
    assert!(stdout.contains("Examples:"), "{stdout}");
    assert!(stdout.contains(&format!("domlife {command}")), "{stdout}");
}
