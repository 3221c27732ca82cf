//! Hostile lists through `check` (issue #13): binary garbage, NUL bytes,
//! invalid UTF-8, 100,000-character lines, broken CSV quoting and a name
//! repeated a hundred thousand times. Each bad line is one invalid result
//! with its line number, nothing panics, and a repeated name is one
//! result that keeps a bounded number of its lines. `--offline` with an
//! empty store: nothing is fetched, every good name is a failed lookup.
//! (Peak memory over a million hostile lines is measured, not asserted:
//! see the README.)

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// `check --offline --format ndjson LIST` with an empty store in `dir`:
/// the status and one JSON value per result.
fn check_offline(dir: &Path, list: &Path) -> (Option<i32>, Vec<Value>, String) {
    let output = Command::cargo_bin("domlife")
        .expect("binary builds")
        .env("DOMLIFE_CACHE_DIR", dir)
        .args([
            "check",
            "--offline",
            "--format",
            "ndjson",
            "--as-of",
            "2025-01-01",
        ])
        .arg("--store")
        .arg(dir.join("empty.sqlite3"))
        .arg(list)
        .output()
        .expect("check runs");
    let results = output
        .stdout
        .split(|byte| *byte == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| serde_json::from_slice(line).expect("one JSON result a line"))
        .collect();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code(), results, stderr)
}

/// The line numbers a result came from.
fn lines(result: &Value) -> Vec<u64> {
    result["input"]["lines"]
        .as_array()
        .map(|lines| {
            lines
                .iter()
                .filter_map(|line| line["line"].as_u64())
                .collect()
        })
        .unwrap_or_default()
}

/// Issue #13: every bad line of a text list is one invalid result naming
/// its line; the good names around them are all there.
#[test]
fn each_bad_line_of_a_text_list_is_one_invalid_result_with_its_line() {
    let dir = TempDir::new().expect("temp dir");
    let mut garbage: Vec<u8> = (0..=255u8).cycle().take(600).collect();
    garbage.retain(|byte| *byte != b'\n' && *byte != b'\r');
    let written: Vec<Vec<u8>> = vec![
        b"example.com".to_vec(),
        b"\0\0nul\0bytes.com".to_vec(),
        b"caf\xe9.com".to_vec(),
        garbage,
        vec![b'a'; 100_000],
        b"second.org".to_vec(),
        b"\"unterminated,quote.com".to_vec(),
        [b"x".repeat(64), b".com".to_vec()].concat(),
        b"\xff\xfe\xfd".to_vec(),
        b"third.net".to_vec(),
    ];
    let list = dir.path().join("hostile.txt");
    std::fs::write(&list, written.join(&b'\n')).expect("writes the list");
    let (code, results, stderr) = check_offline(dir.path(), &list);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(code, Some(1..=3)), "status {code:?}: {stderr}");
    let mut by_line: Vec<(u64, String)> = results
        .iter()
        .map(|result| {
            let line = lines(result);
            assert_eq!(line.len(), 1, "{result}");
            (
                line[0],
                result["outcome"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    by_line.sort();
    let expected: Vec<(u64, String)> = [
        (1, "failed"),
        (2, "invalid"),
        (3, "invalid"),
        (4, "invalid"),
        (5, "invalid"),
        (6, "failed"),
        (7, "invalid"),
        (8, "invalid"),
        (9, "invalid"),
        (10, "failed"),
    ]
    .into_iter()
    .map(|(line, outcome)| (line, outcome.to_owned()))
    .collect();
    assert_eq!(by_line, expected);
    for result in results
        .iter()
        .filter(|result| result["outcome"] == "invalid")
    {
        let message = result["error"]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{result}");
        // The 100,000-character line is quoted shortened, not whole.
        assert!(result.to_string().len() < 4_000, "{result}");
    }
}

/// Issue #13: broken CSV quoting is an invalid result for the row it
/// breaks, and the reader finds its feet on the next line: no row is lost
/// and nothing crashes.
#[test]
fn broken_csv_quoting_is_an_invalid_row_not_a_crash() {
    let dir = TempDir::new().expect("temp dir");
    let list = dir.path().join("list.csv");
    std::fs::write(
        &list,
        "domain,tier\ngood.com,gold\n\"bad.com,gold\nthird.com,silver\n",
    )
    .expect("writes the list");
    let (code, results, stderr) = check_offline(dir.path(), &list);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(code, Some(1..=3)), "status {code:?}: {stderr}");
    let outcomes: Vec<(Vec<u64>, &str)> = results
        .iter()
        .map(|result| {
            (
                lines(result),
                result["outcome"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert!(outcomes.contains(&(vec![2], "failed")), "{outcomes:?}");
    assert!(outcomes.contains(&(vec![3], "invalid")), "{outcomes:?}");
    assert!(outcomes.contains(&(vec![4], "failed")), "{outcomes:?}");
    assert_eq!(results.len(), 3, "{outcomes:?}");
}

/// Issue #13: a name listed 100,000 times is one result, which keeps the
/// first 100 lines it came from and says the rest were not kept.
#[test]
fn a_name_repeated_a_hundred_thousand_times_is_one_result_with_bounded_lines() {
    let dir = TempDir::new().expect("temp dir");
    let list = dir.path().join("repeated.txt");
    std::fs::write(&list, "example.com\n".repeat(100_000)).expect("writes the list");
    let (code, results, stderr) = check_offline(dir.path(), &list);
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Offline from an empty store: the one name could not be checked.
    assert_eq!(code, Some(3), "{stderr}");
    assert_eq!(results.len(), 1);
    assert_eq!(lines(&results[0]), (1..=100).collect::<Vec<u64>>());
    let notes = results[0]["notes"].to_string();
    assert!(notes.contains("listed more than 100 times"), "{notes}");
}
