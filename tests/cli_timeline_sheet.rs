//! `domlife timeline --csv` (issue #15): each row of a sheet is exactly
//! what `domlife timeline NAME --expires DATE [--registrar R] --format json`
//! prints for it, plus its line; bad rows are objects with their reason;
//! every format; the exit statuses; `domlife.toml` applies as to the
//! single form.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// `;`-separated, with a BOM and CRLF, as a spreadsheet in many locales
/// saves it; a quoted registrar with a comma.
const SHEET: &str = "\u{feff}Domain;Expires;Registrar\r\n\
    example.com;2024-06-30;\r\n\
    example.cn;2025-03-10T11:05:05+08:00;阿里云\r\n\
    example.net;2024-06-30;\"GoDaddy.com, LLC\"\r\n\
    \r\n\
    bad name;2024-01-01;\r\n\
    example.org;2024-02-30;\r\n\
    bücher.de;2025-01-01;146\r\n";

fn domlife(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command.current_dir(dir);
    command
}

fn sheet(dir: &TempDir) -> String {
    let path = dir.path().join("sheet.csv");
    std::fs::write(&path, SHEET).expect("writes the sheet");
    path.to_string_lossy().into_owned()
}

fn ndjson(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect()
}

#[test]
fn every_row_is_what_the_single_form_prints_for_it() {
    let dir = TempDir::new().expect("temp dir");
    let path = sheet(&dir);
    let output = domlife(dir.path())
        .args([
            "timeline",
            "--csv",
            &path,
            "--format",
            "ndjson",
            "--as-of",
            "2024-08-01",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3), "two rows are bad");
    let rows = ndjson(&output.stdout);
    let lines: Vec<u64> = rows
        .iter()
        .map(|row| row["line"].as_u64().expect("line"))
        .collect();
    assert_eq!(
        lines,
        [2, 3, 4, 6, 7, 8],
        "physical lines, header on line 1"
    );
    let computed = [
        ("example.com", "2024-06-30", None),
        ("example.cn", "2025-03-10T11:05:05+08:00", Some("阿里云")),
        ("example.net", "2024-06-30", Some("GoDaddy.com, LLC")),
        ("bücher.de", "2025-01-01", Some("146")),
    ];
    let rows_computed = [&rows[0], &rows[1], &rows[2], &rows[5]];
    for ((domain, expires, registrar), row) in computed.iter().zip(rows_computed) {
        let mut single = domlife(dir.path());
        single.args([
            "timeline",
            domain,
            "--expires",
            expires,
            "--as-of",
            "2024-08-01",
        ]);
        single.args(["--format", "json"]);
        if let Some(registrar) = registrar {
            single.args(["--registrar", registrar]);
        }
        let output = single.output().expect("runs");
        let mut expected: Value = serde_json::from_slice(&output.stdout).expect("JSON");
        expected["line"] = row["line"].clone();
        assert_eq!(row, &expected, "{domain}");
        assert!(row.get("error").is_none());
    }
    assert_eq!(rows[3]["input"], "bad name;2024-01-01;");
    assert!(
        rows[3]["error"].as_str().unwrap().starts_with("domain: "),
        "{}",
        rows[3]
    );
    assert!(
        rows[4]["error"].as_str().unwrap().contains("is not a date"),
        "{}",
        rows[4]
    );
    assert_eq!(rows[3].as_object().map(|object| object.len()), Some(3));
}

#[test]
fn json_wraps_the_rows_and_csv_has_flat_columns() {
    let dir = TempDir::new().expect("temp dir");
    let path = sheet(&dir);
    let json = domlife(dir.path())
        .args([
            "timeline",
            "--csv",
            &path,
            "--format",
            "json",
            "--as-of",
            "2024-08-01",
        ])
        .output()
        .expect("runs");
    let document: Value = serde_json::from_slice(&json.stdout).expect("one JSON document");
    let results = document["results"].as_array().expect("results");
    assert_eq!(results.len(), 6);
    assert_eq!(
        results,
        &ndjson(
            &domlife(dir.path())
                .args([
                    "timeline",
                    "--csv",
                    &path,
                    "--format",
                    "ndjson",
                    "--as-of",
                    "2024-08-01"
                ])
                .output()
                .expect("runs")
                .stdout
        )
    );

    let csv = domlife(dir.path())
        .args([
            "timeline",
            "--csv",
            &path,
            "--format",
            "csv",
            "--as-of",
            "2024-08-01",
        ])
        .output()
        .expect("runs");
    let mut reader = csv::Reader::from_reader(&csv.stdout[..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "line",
            "domain",
            "tld",
            "registrar",
            "policy",
            "expires",
            "phase",
            "grace_end",
            "redemption_end",
            "release_earliest",
            "release_latest",
            "days_to_release",
            "error"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    assert_eq!(records.len(), 6);
    // example.com expired 2024-06-30 under the gTLD policy (0-45 days of
    // grace, 30 of redemption, 5 of pending delete): by 2024-08-01 it may
    // still be in grace, or deleted at once and already pending delete.
    assert_eq!(&records[0][6], "grace|redemption|pending_delete");
    assert_eq!(&records[2][3], "GoDaddy.com, LLC");
    assert_eq!(&records[2][4], "gtld + godaddy");
    assert!(records[3][12].starts_with("domain: "));
    assert_eq!(&records[3][1], "");

    let table = domlife(dir.path())
        .args(["timeline", "--csv", &path, "--as-of", "2024-08-01"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&table.stdout);
    assert_eq!(text.lines().count(), 7, "{text}");
    assert!(
        text.lines().nth(4).unwrap().contains("error: domain"),
        "{text}"
    );
}

#[test]
fn sheets_without_their_columns_or_unreadable_exit_2() {
    let dir = TempDir::new().expect("temp dir");
    for (name, text, why) in [
        (
            "no-expires.csv",
            "domain,tier\nexample.com,core\n",
            "no expires column (it has: domain, tier)",
        ),
        (
            "no-domain.csv",
            "name,expires\nexample.com,2025-01-01\n",
            "no domain column",
        ),
    ] {
        std::fs::write(dir.path().join(name), text).expect("writes");
        let output = domlife(dir.path())
            .args(["timeline", "--csv", name])
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(why), "{name}: {stderr}");
        assert!(output.stdout.is_empty(), "{name}");
    }
    let missing = domlife(dir.path())
        .args(["timeline", "--csv", "nowhere.csv"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    let all_good = dir.path().join("good.csv");
    std::fs::write(&all_good, "domain,expires\nexample.com,2025-01-01\n").expect("writes");
    domlife(dir.path())
        .args(["timeline", "--csv", "good.csv", "--format", "ndjson"])
        .assert()
        .code(0);
    domlife(dir.path())
        .args(["timeline", "--csv", "good.csv", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn standard_input_and_the_settings_file_apply_as_to_one_name() {
    let dir = TempDir::new().expect("temp dir");
    std::fs::write(
        dir.path().join("domlife.toml"),
        "[[entry]]\nid = \"ours\"\ntlds = [\"gtld\"]\n\
         registrar = { label = \"Ours\", names = [\"Our Registrar\"] }\n\
         grace = { value = 3, source = \"our contract\", confidence = \"V\" }\n",
    )
    .expect("writes settings");
    let output = domlife(dir.path())
        .args([
            "timeline",
            "--csv",
            "-",
            "--format",
            "ndjson",
            "--as-of",
            "2024-07-02",
        ])
        .write_stdin("domain,expires,registrar\nexample.com,2024-06-30,Our Registrar\n")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let rows = ndjson(&output.stdout);
    assert_eq!(
        rows[0]["policy"]["entries"],
        serde_json::json!(["gtld", "ours"])
    );
    let single = domlife(dir.path())
        .args([
            "timeline",
            "example.com",
            "--expires",
            "2024-06-30",
            "--registrar",
        ])
        .args(["Our Registrar", "--as-of", "2024-07-02", "--format", "json"])
        .output()
        .expect("runs");
    let mut expected: Value = serde_json::from_slice(&single.stdout).expect("JSON");
    expected["line"] = 2.into();
    assert_eq!(rows[0], expected);
}

#[test]
fn per_row_overrides_change_that_row_and_say_where_they_came_from() {
    let dir = TempDir::new().expect("temp dir");
    std::fs::write(
        dir.path().join("overrides.csv"),
        "domain,expires,grace,redemption,pending_delete\n\
         example.com,2024-06-30,30,30,5\n\
         example.org,2024-06-30,,,\n\
         example.net,2024-06-30,0-45x,,\n",
    )
    .expect("writes");
    let output = domlife(dir.path())
        .args([
            "timeline",
            "--csv",
            "overrides.csv",
            "--format",
            "ndjson",
            "--as-of",
            "2024-08-01",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(3));
    let rows = ndjson(&output.stdout);
    // The article's worked example: released 2024-09-04.
    assert_eq!(
        rows[0]["release"],
        serde_json::json!({"earliest": "2024-09-04", "latest": "2024-09-04"})
    );
    assert_eq!(
        rows[0]["policy"]["grace"]["source"],
        "the grace column, line 2"
    );
    assert_eq!(rows[1]["policy"]["entries"], serde_json::json!(["gtld"]));
    assert!(
        rows[2]["error"].as_str().unwrap().starts_with("grace: "),
        "{}",
        rows[2]
    );
}
