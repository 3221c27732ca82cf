//! The layout's places and edge cases; reading real captures and the
//! record/replay round trip are in tests/replay.rs. Names are
//! [`DomainName`]s, so a name that could climb out of the directory cannot
//! be written here at all (the refusals are `domain`'s tests).

use rstest::rstest;

use super::*;

fn name(text: &str) -> DomainName {
    crate::domain::normalize(text).unwrap().name
}

#[rstest]
#[case::plain("example.com")]
#[case::idn("bücher.de")]
#[case::digits_and_hyphens("a-1.co.uk")]
#[case::longest_label(&format!("{}.com", "a".repeat(63)))]
fn a_name_becomes_a_path_inside_the_directory(#[case] text: &str) {
    let name = name(text);
    let replay = ReplayDir {
        root: PathBuf::from("/captures"),
    };
    assert_eq!(
        replay.path(Capture::RdapRegistrar, &name),
        Path::new("/captures/rdap").join(format!("{}.registrar.json", name.ascii()))
    );
    assert_eq!(
        replay.path(Capture::RdapRegistry, &name),
        Path::new("/captures/rdap").join(format!("{}.json", name.ascii()))
    );
    assert_eq!(
        replay.path(Capture::Whois, &name),
        Path::new("/captures/whois").join(format!("{}.txt", name.ascii()))
    );
}

#[rstest]
#[case(Protocol::Rdap, Role::Registry, Some(Capture::RdapRegistry))]
#[case(Protocol::Rdap, Role::Registrar, Some(Capture::RdapRegistrar))]
#[case(Protocol::Whois, Role::Registry, Some(Capture::Whois))]
#[case(Protocol::Whois, Role::Registrar, None)]
fn each_question_has_its_capture(
    #[case] protocol: Protocol,
    #[case] role: Role,
    #[case] capture: Option<Capture>,
) {
    assert_eq!(Capture::of(protocol, role), capture);
}

#[test]
fn a_missing_directory_cannot_be_replayed() {
    let directory = tempfile::tempdir().unwrap();
    let missing = directory.path().join("nothing-here");
    let error = ReplayDir::open(&missing).unwrap_err();
    assert!(matches!(error, ReplayError::NotADirectory { path } if path == missing));
}

#[test]
fn an_empty_capture_holds_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let replay = ReplayDir::open(directory.path()).unwrap();
    let name = name("example.com");
    for capture in [
        Capture::RdapRegistry,
        Capture::RdapRegistrar,
        Capture::Whois,
    ] {
        assert!(!replay.holds(capture, &name).unwrap(), "{capture:?}");
        assert_eq!(replay.read(capture, &name).unwrap(), None, "{capture:?}");
    }
}

#[test]
fn an_unreadable_capture_is_a_read_error_not_a_miss() {
    let directory = tempfile::tempdir().unwrap();
    // A directory where the file should be: reading it fails, and that must
    // not pass for "not captured".
    std::fs::create_dir_all(directory.path().join("whois/example.com.txt")).unwrap();
    let replay = ReplayDir::open(directory.path()).unwrap();
    let name = name("example.com");
    assert!(replay.holds(Capture::Whois, &name).unwrap());
    let error = replay.read(Capture::Whois, &name).unwrap_err();
    assert!(matches!(error, ReplayError::Read { .. }), "{error}");
}

#[test]
fn recording_leaves_no_temporary_files() {
    let directory = tempfile::tempdir().unwrap();
    let recorder = Recorder::create(directory.path()).unwrap();
    let name = name("example.com");
    recorder
        .write(Capture::RdapRegistry, &name, Some(b"{}"))
        .unwrap();
    recorder
        .write(Capture::RdapRegistry, &name, Some(b"{\"again\":1}"))
        .unwrap();
    let names: Vec<_> = std::fs::read_dir(directory.path().join("rdap"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["example.com.json"]);
}

#[test]
fn a_not_found_without_a_body_is_recorded_as_the_rdap_error_object() {
    let directory = tempfile::tempdir().unwrap();
    let recorder = Recorder::create(directory.path()).unwrap();
    let name = name("example.com");
    recorder.write(Capture::RdapRegistrar, &name, None).unwrap();
    let replay = ReplayDir::open(directory.path()).unwrap();
    assert_eq!(
        replay
            .read(Capture::RdapRegistrar, &name)
            .unwrap()
            .as_deref(),
        Some(NOT_FOUND_BODY)
    );
}
