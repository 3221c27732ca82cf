//! `domlife.toml` reaches every command the same way (issue #12): with a
//! settings file that shortens a registrar's grace period, `check` and
//! `show` give each name of the README demo the same timeline, policy and
//! findings, and both differ from a run without the file. Also: a bad value
//! in the file stops every command before any lookup, naming the file, the
//! key and the value.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The demo's synthetic names are sponsored by "Example Registrar, Inc."
/// (IANA 9999); this gives it a 10-day grace instead of the gTLD's 0-45.
const SETTINGS: &str = r#"
[[entry]]
id = "example-registrar"
tlds = ["gtld"]
registrar = { label = "Example Registrar", names = ["Example Registrar, Inc."], iana_ids = [9999] }
grace = { value = 10, source = "test contract", confidence = "V" }
"#;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The binary run in `dir` (where a `domlife.toml` may be), offline on the
/// demo's captures as of 2025-06-01.
fn domlife(dir: &Path, args: &[&str]) -> Value {
    let replay = repo("fixtures/replay");
    let output = Command::cargo_bin("domlife")
        .expect("binary builds")
        .current_dir(dir)
        .env("DOMLIFE_CACHE_DIR", dir)
        .args(args)
        .arg("--replay")
        .arg(&replay)
        .args(["--as-of", "2025-06-01", "--no-store", "--format", "json"])
        .output()
        .expect("the binary runs");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "{args:?}: not JSON ({error}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

fn codes(findings: &Value) -> Vec<String> {
    findings
        .as_array()
        .expect("findings")
        .iter()
        .map(|finding| finding["code"].as_str().expect("code").to_owned())
        .collect()
}

/// (domain, expiry day, phases, release, policy entries, finding codes) of
/// every name `check` gave a timeline, and the same as `show` gives it.
type Seen = (String, Value, Value, Value, Value, Vec<String>);

fn check_and_show(dir: &Path) -> Vec<(Seen, Option<Seen>)> {
    let portfolio = repo("examples/portfolio.csv");
    let portfolio = portfolio.to_str().expect("UTF-8 path");
    let report = domlife(dir, &["check", portfolio]);
    let mut seen = Vec::new();
    for result in report["results"].as_array().expect("results") {
        let timeline = &result["timeline"];
        let domain = result["domain"].as_str().expect("domain").to_owned();
        if timeline.is_null() {
            continue;
        }
        let from_check = (
            domain.clone(),
            timeline["expiry_day"].clone(),
            timeline["phases"].clone(),
            timeline["release"].clone(),
            timeline["policy"].clone(),
            codes(&result["findings"]),
        );
        let shown = domlife(dir, &["show", &domain]);
        let from_show = (!shown["timeline"].is_null()).then(|| {
            let timeline = &shown["timeline"];
            (
                domain,
                timeline["expiry_day"].clone(),
                timeline["phases"].clone(),
                timeline["release"].clone(),
                timeline["policy"]["entries"].clone(),
                codes(&shown["findings"]),
            )
        });
        seen.push((from_check, from_show));
    }
    seen
}

#[test]
fn check_and_show_agree_with_a_settings_file_that_changes_a_registrar_grace() {
    let with_file = TempDir::new().expect("temp dir");
    std::fs::write(with_file.path().join("domlife.toml"), SETTINGS).expect("writes settings");
    let without_file = TempDir::new().expect("temp dir");

    let agreed = check_and_show(with_file.path());
    // google.de's timeline comes from the list's `expires` column, which
    // `show` does not have; every other name with a timeline is compared.
    let compared: Vec<&(Seen, Option<Seen>)> = agreed
        .iter()
        .filter(|(from_check, _)| from_check.0 != "google.de")
        .collect();
    assert_eq!(compared.len(), 6, "{agreed:#?}");
    for (from_check, from_show) in &compared {
        assert_eq!(
            Some(from_check),
            from_show.as_ref(),
            "check and show differ"
        );
    }

    // The file took effect: the names of that registrar use its entry and
    // get other dates than without the file.
    let plain = check_and_show(without_file.path());
    let entries_of = |seen: &[(Seen, Option<Seen>)], domain: &str| {
        seen.iter()
            .find(|(from_check, _)| from_check.0 == domain)
            .map(|(from_check, _)| (from_check.4.clone(), from_check.3.clone()))
            .expect("the name has a timeline")
    };
    let (entries, release) = entries_of(&agreed, "unpaid-example.com");
    let (plain_entries, plain_release) = entries_of(&plain, "unpaid-example.com");
    assert_eq!(entries, serde_json::json!(["gtld", "example-registrar"]));
    assert_eq!(plain_entries, serde_json::json!(["gtld"]));
    assert_ne!(release, plain_release);
}

#[test]
fn a_bad_value_in_the_settings_file_stops_every_command_naming_it() {
    let dir = TempDir::new().expect("temp dir");
    std::fs::write(
        dir.path().join("domlife.toml"),
        "[rates]\n\"whois.denic.de\" = \"fast\"\n",
    )
    .expect("writes settings");
    let list = dir.path().join("list.txt");
    std::fs::write(&list, "example.com\n").expect("writes list");
    let list = list.to_str().expect("UTF-8 path");
    let commands: [&[&str]; 4] = [
        &["check", list, "--no-store"],
        &["show", "example.com", "--no-store"],
        &["timeline", "example.com", "--expires", "2025-01-01"],
        &["policies", "com"],
    ];
    for args in commands {
        let output = Command::cargo_bin("domlife")
            .expect("binary builds")
            .current_dir(dir.path())
            .env("DOMLIFE_CACHE_DIR", dir.path())
            .args(args)
            .output()
            .expect("the binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("domlife.toml: rates.whois.denic.de = \"fast\": "),
            "{args:?}: {stderr}"
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
