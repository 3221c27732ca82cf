//! Name validation (nothing escapes the capture directory) and the layout's
//! edge cases; reading real captures and the record/replay round trip are in
//! tests/replay.rs.

use rstest::rstest;

use super::*;

#[rstest]
#[case::plain("example.com")]
#[case::idn("xn--bcher-kva.de")]
#[case::digits_and_hyphens("a-1.co.uk")]
#[case::single_label("com")]
#[case::longest_label(&format!("{}.com", "a".repeat(63)))]
fn an_ldh_a_label_becomes_a_path_inside_the_directory(#[case] name: &str) {
    let path = Capture::RdapRegistrar
        .path(Path::new("/captures"), name)
        .unwrap();
    assert_eq!(
        path,
        Path::new("/captures/rdap").join(format!("{name}.registrar.json"))
    );
}

#[rstest]
#[case::parent("..")]
#[case::parent_then_name("../x")]
#[case::nested_parent("a/../../etc/passwd")]
#[case::absolute("/etc/passwd")]
#[case::backslash("..\\x")]
#[case::hidden(".example.com")]
#[case::empty("")]
#[case::empty_label("example..com")]
#[case::trailing_dot("example.com.")]
#[case::upper_case("Example.com")]
#[case::unicode("bücher.de")]
#[case::leading_hyphen("-example.com")]
#[case::trailing_hyphen("example-.com")]
#[case::space("exa mple.com")]
#[case::nul("example\0.com")]
#[case::label_too_long(&format!("{}.com", "a".repeat(64)))]
#[case::name_too_long(&["abcdefghi"; 26].join("."))]
fn any_other_name_is_refused_before_touching_the_disk(#[case] name: &str) {
    let error = Capture::Whois
        .path(Path::new("/captures"), name)
        .unwrap_err();
    assert!(
        matches!(&error, ReplayError::InvalidName { name: refused } if refused == name),
        "{error}"
    );
}

#[test]
fn replay_and_record_refuse_a_bad_name_alike() {
    let directory = tempfile::tempdir().unwrap();
    let recorder = Recorder::create(directory.path()).unwrap();
    let replay = ReplayDir::open(directory.path()).unwrap();
    assert!(matches!(
        recorder.whois("../escape", b"x"),
        Err(ReplayError::InvalidName { .. })
    ));
    assert!(matches!(
        replay.rdap_registrar("../escape"),
        Err(ReplayError::InvalidName { .. })
    ));
    assert!(!directory.path().join("escape.txt").exists());
    assert!(
        !directory
            .path()
            .parent()
            .unwrap()
            .join("escape.txt")
            .exists()
    );
}

#[test]
fn a_missing_directory_cannot_be_replayed() {
    let directory = tempfile::tempdir().unwrap();
    let missing = directory.path().join("nothing-here");
    let error = ReplayDir::open(&missing).unwrap_err();
    assert!(matches!(error, ReplayError::NotADirectory { path } if path == missing));
}

#[test]
fn an_empty_capture_has_nothing_and_says_which_file_it_looked_for() {
    let directory = tempfile::tempdir().unwrap();
    let replay = ReplayDir::open(directory.path()).unwrap();

    let error = replay.rdap_registry("example.com").unwrap_err();
    assert!(error.is_not_captured());
    assert_eq!(
        error.to_string(),
        format!(
            "example.com was not captured (no {})",
            directory.path().join("rdap/example.com.json").display()
        )
    );
    assert!(replay.whois("example.com").unwrap_err().is_not_captured());
    // The registrar answer is optional: absent is not an error.
    assert_eq!(replay.rdap_registrar("example.com").unwrap(), None);
}

#[test]
fn an_unreadable_capture_is_a_read_error_not_a_miss() {
    let directory = tempfile::tempdir().unwrap();
    // A directory where the file should be: reading it fails, and that must
    // not pass for "not captured".
    std::fs::create_dir_all(directory.path().join("whois/example.com.txt")).unwrap();
    let replay = ReplayDir::open(directory.path()).unwrap();
    let error = replay.whois("example.com").unwrap_err();
    assert!(matches!(error, ReplayError::Read { .. }), "{error}");
}

#[test]
fn recording_leaves_no_temporary_files() {
    let directory = tempfile::tempdir().unwrap();
    let recorder = Recorder::create(directory.path()).unwrap();
    recorder.rdap_registry("example.com", b"{}").unwrap();
    recorder
        .rdap_registry("example.com", b"{\"again\":1}")
        .unwrap();
    let names: Vec<_> = std::fs::read_dir(directory.path().join("rdap"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["example.com.json"]);
}
