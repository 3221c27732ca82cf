//! `--replay DIR` / `--record DIR`: real captured answers laid out as a
//! capture directory read back byte for byte and through the RDAP reader, and
//! a recording replayed.

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use domlife::domain::{self, DomainName};
use domlife::rdap::parse::parse_domain;
use domlife::record::{Protocol, Role, Source};
use domlife::store::replay::{Capture, NOT_FOUND_BODY, Recorder, ReplayDir};

fn fixture(path: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn name(text: &str) -> DomainName {
    domain::normalize(text).unwrap().name
}

fn registry_source() -> Source {
    Source {
        protocol: Protocol::Rdap,
        server: None,
        url: None,
        role: Role::Registry,
    }
}

/// google.com as Verisign (registry) and MarkMonitor (registrar) answered
/// over RDAP, and as Verisign's WHOIS answered.
fn google_capture() -> [(&'static str, Vec<u8>); 3] {
    [
        (
            "rdap/google.com.json",
            fixture("rdap/whoisit-recorded__verisign_google.com.json"),
        ),
        (
            "rdap/google.com.registrar.json",
            fixture("rdap/whoisit-recorded__markmonitor_google.com.json"),
        ),
        (
            "whois/google.com.txt",
            fixture("whois/likexian__com_google.com.txt"),
        ),
    ]
}

fn lay_out(root: &Path, files: &[(&str, Vec<u8>)]) {
    for (relative, body) in files {
        let path: PathBuf = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
}

#[test]
fn a_capture_replays_byte_for_byte() {
    let directory = tempfile::tempdir().unwrap();
    let [registry, registrar, whois] = google_capture();
    lay_out(
        directory.path(),
        &[registry.clone(), registrar.clone(), whois.clone()],
    );

    let replay = ReplayDir::open(directory.path()).unwrap();
    assert_eq!(
        replay
            .read(Capture::RdapRegistry, &name("google.com"))
            .unwrap()
            .unwrap(),
        registry.1
    );
    assert_eq!(
        replay
            .read(Capture::RdapRegistrar, &name("google.com"))
            .unwrap(),
        Some(registrar.1)
    );
    assert_eq!(
        replay
            .read(Capture::Whois, &name("google.com"))
            .unwrap()
            .unwrap(),
        whois.1
    );
}

#[test]
fn a_replayed_registry_answer_reads_like_a_live_one() {
    let directory = tempfile::tempdir().unwrap();
    lay_out(directory.path(), &google_capture());
    let replay = ReplayDir::open(directory.path()).unwrap();

    let parsed = parse_domain(
        &replay
            .read(Capture::RdapRegistry, &name("google.com"))
            .unwrap()
            .unwrap(),
        registry_source(),
    )
    .unwrap();
    // Expected values from fixtures/rdap/whoisit-recorded__verisign_google.com.expect.json.
    assert!(parsed.record.registered);
    assert_eq!(
        parsed.record.expires,
        Utc.with_ymd_and_hms(2028, 9, 14, 4, 0, 0).single()
    );
    assert_eq!(
        parsed.registrar_rdap.as_deref(),
        Some("https://rdap.markmonitor.com/rdap/domain/GOOGLE.COM")
    );
}

#[test]
fn a_name_outside_the_capture_is_not_captured() {
    let directory = tempfile::tempdir().unwrap();
    lay_out(directory.path(), &google_capture());
    let replay = ReplayDir::open(directory.path()).unwrap();
    let outside = name("example.com");
    for capture in [
        Capture::RdapRegistry,
        Capture::RdapRegistrar,
        Capture::Whois,
    ] {
        assert!(!replay.holds(capture, &outside).unwrap(), "{capture:?}");
        assert_eq!(replay.read(capture, &outside).unwrap(), None, "{capture:?}");
    }
}

#[test]
fn a_recording_replays_as_recorded() {
    let directory = tempfile::tempdir().unwrap();
    let root = directory.path().join("capture");
    let [registry, registrar, whois] = google_capture();

    let recorder = Recorder::create(&root).unwrap();
    recorder
        .write(
            Capture::RdapRegistry,
            &name("google.com"),
            Some(&registry.1),
        )
        .unwrap();
    recorder
        .write(
            Capture::RdapRegistrar,
            &name("google.com"),
            Some(&registrar.1),
        )
        .unwrap();
    recorder
        .write(Capture::Whois, &name("google.com"), Some(&whois.1))
        .unwrap();
    recorder
        .write(Capture::RdapRegistry, &name("no-such-name.com"), None)
        .unwrap();

    // The layout is the documented one, so a hand-made capture and a
    // recorded one are interchangeable.
    for (relative, body) in [&registry, &registrar, &whois] {
        assert_eq!(
            &std::fs::read(root.join(relative)).unwrap(),
            body,
            "{relative}"
        );
    }

    let replay = ReplayDir::open(&root).unwrap();
    assert_eq!(
        replay
            .read(Capture::RdapRegistry, &name("google.com"))
            .unwrap()
            .unwrap(),
        registry.1
    );
    assert_eq!(
        replay
            .read(Capture::RdapRegistrar, &name("google.com"))
            .unwrap(),
        Some(registrar.1)
    );
    assert_eq!(
        replay
            .read(Capture::Whois, &name("google.com"))
            .unwrap()
            .unwrap(),
        whois.1
    );

    let not_found = replay
        .read(Capture::RdapRegistry, &name("no-such-name.com"))
        .unwrap()
        .unwrap();
    assert_eq!(not_found, NOT_FOUND_BODY);
    let parsed = parse_domain(&not_found, registry_source()).unwrap();
    assert!(!parsed.record.registered);
    assert_eq!(
        replay
            .read(Capture::RdapRegistrar, &name("no-such-name.com"))
            .unwrap(),
        None
    );
}

#[test]
fn recording_a_name_again_replaces_its_answer() {
    let directory = tempfile::tempdir().unwrap();
    let recorder = Recorder::create(directory.path()).unwrap();
    recorder
        .write(Capture::Whois, &name("example.com"), Some(b"first\r\n"))
        .unwrap();
    recorder
        .write(Capture::Whois, &name("example.com"), Some(b"second\r\n"))
        .unwrap();
    let replay = ReplayDir::open(directory.path()).unwrap();
    assert_eq!(
        replay
            .read(Capture::Whois, &name("example.com"))
            .unwrap()
            .unwrap(),
        b"second\r\n"
    );
}
