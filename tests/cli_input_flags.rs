//! Issue #13, input and flags, through the real binary: huge durations,
//! ports out of range, a CSV without a domain column, and error messages
//! that say each thing once. None of these reach the network: every case
//! stops before a lookup.

use std::path::Path;

use assert_cmd::Command;

fn domlife() -> Command {
    Command::cargo_bin("domlife").unwrap_or_else(|error| panic!("no binary: {error}"))
}

/// Runs `args`, expects exit status 2, returns standard error.
fn refused(args: &[&str], directory: &Path) -> String {
    let output = domlife()
        .args(args)
        .current_dir(directory)
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    stderr
}

#[test]
fn huge_timeouts_are_refused_not_a_panic() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    std::fs::write(directory.path().join("list.txt"), "example.com\n")
        .unwrap_or_else(|error| panic!("{error}"));
    for flag in ["--timeout", "--connect-timeout"] {
        for command in [
            &["check", "list.txt"][..],
            &["show", "example.com"][..],
            &["whois", "example.com"][..],
        ] {
            let mut args = command.to_vec();
            args.extend([flag, "9223372036854775807"]);
            let stderr = refused(&args, directory.path());
            assert!(stderr.contains("1..=3600"), "{args:?}: {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

#[test]
fn a_rate_for_a_port_out_of_range_is_refused_as_flag_and_in_the_settings() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    std::fs::write(directory.path().join("list.txt"), "example.com\n")
        .unwrap_or_else(|error| panic!("{error}"));
    let stderr = refused(
        &["check", "list.txt", "--rate", "127.0.0.1:99999=5/s"],
        directory.path(),
    );
    assert!(
        stderr.contains("\"99999\" in \"127.0.0.1:99999\" is not a port"),
        "{stderr}"
    );
    std::fs::write(
        directory.path().join("domlife.toml"),
        "[rates]\n\"whois.example:0\" = \"1/s\"\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let stderr = refused(&["check", "list.txt"], directory.path());
    assert!(stderr.contains("domlife.toml"), "{stderr}");
    assert!(stderr.contains("is not a port"), "{stderr}");
}

#[test]
fn a_csv_without_a_domain_column_is_refused_before_any_lookup() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    std::fs::write(
        directory.path().join("list.csv"),
        "name,tier\nexample.com,gold\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    // No --replay or store: a lookup would need the network, so exit 2 with
    // nothing on standard output proves none was made.
    let output = domlife()
        .args(["check", "list.csv", "--no-store", "--format", "ndjson"])
        .current_dir(directory.path())
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(
        stderr.contains("the header has no domain column (it has: name, tier)"),
        "{stderr}"
    );
}

#[test]
fn a_missing_list_is_named_with_its_error_once() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let stderr = refused(&["check", "missing.txt"], directory.path());
    assert_eq!(
        stderr.matches("No such file or directory").count(),
        1,
        "{stderr}"
    );
}

#[test]
fn a_name_mixing_scripts_is_refused_with_the_reason() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let stderr = refused(&["show", "\u{430}pple.com"], directory.path());
    assert!(
        stderr.contains("label \u{430}pple mixes Cyrillic and Latin letters")
            && stderr.contains("xn--pple-43d"),
        "{stderr}"
    );
    std::fs::write(directory.path().join("list.txt"), "\u{430}pple.com\n")
        .unwrap_or_else(|error| panic!("{error}"));
    let output = domlife()
        .args(["check", "list.txt", "--no-store", "--format", "csv"])
        .current_dir(directory.path())
        .output()
        .unwrap_or_else(|error| panic!("{error}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains(",invalid,"), "{stdout}");
    assert!(
        stdout.contains("mixes Cyrillic and Latin letters"),
        "{stdout}"
    );
}
