//! No false alarms: every real registry response in fixtures/rdap/, audited
//! as of its capture, must give no `error` finding and no `status-conflict`
//! or `phase-mismatch`: these are real registries in legal states. None of
//! them shows a lifecycle status (grace, redemption, pending delete: their
//! `.expect.json` give no `phase`), so each must be classified active, or in
//! no phase where the registry publishes no expiry.
//!
//! The as-of rule, per file, from its raw `events` (read here without the
//! crate's reader): the `last update of RDAP database` event, which is when
//! the server produced the answer, i.e. the capture; failing that, one day
//! after the latest `last changed` / `last update` event, the earliest the
//! answer can have been produced; failing that, one day after
//! `registration`. Every file has at least a registration event.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Days, NaiveDateTime, Utc};
use domlife::lifecycle::{Phase, PolicyTable};
use domlife::rdap::parse_domain;
use domlife::reconcile::{Assessment, Audit, Code, Finding, Severity, assess};
use domlife::record::{Protocol, Record, Role, Source};
use rstest::rstest;
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rdap")
}

fn responses() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .unwrap_or_else(|error| panic!("fixtures/rdap: {error}"))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            let name = path.to_string_lossy();
            name.ends_with(".json") && !name.ends_with(".expect.json")
        })
        .collect();
    files.sort();
    files
}

fn event_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .map(|instant| instant.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|naive| naive.and_utc())
        })
}

/// The as-of instant for a capture (see the module doc).
fn capture_time(body: &Value) -> DateTime<Utc> {
    let events: Vec<(String, DateTime<Utc>)> = body["events"]
        .as_array()
        .map(|events| {
            events
                .iter()
                .filter_map(|event| {
                    let action = event["eventAction"].as_str()?.to_ascii_lowercase();
                    Some((action, event_instant(event["eventDate"].as_str()?)?))
                })
                .collect()
        })
        .unwrap_or_default();
    let latest = |actions: &[&str]| {
        events
            .iter()
            .filter(|(action, _)| actions.contains(&action.as_str()))
            .map(|(_, at)| *at)
            .max()
    };
    let next_day = |at: DateTime<Utc>| at.checked_add_days(Days::new(1)).unwrap_or(at);
    latest(&["last update of rdap database"])
        .or_else(|| latest(&["last changed", "last update"]).map(next_day))
        .or_else(|| latest(&["registration"]).map(next_day))
        .unwrap_or_else(|| panic!("no event to date the capture: {events:?}"))
}

fn audit_fixture(path: &Path) -> (Record, DateTime<Utc>, Vec<Finding>) {
    let (record, as_of, assessment) = assess_fixture(path);
    (record, as_of, assessment.findings)
}

fn assess_fixture(path: &Path) -> (Record, DateTime<Utc>, Assessment) {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let body: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let source = Source {
        protocol: Protocol::Rdap,
        server: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        url: None,
        role: Role::Registry,
    };
    let record = parse_domain(&bytes, source)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        .record;
    let tld = record
        .domain
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    let table = PolicyTable::builtin().unwrap_or_else(|error| panic!("policy table: {error}"));
    let policy = table.resolve(&tld, record.registrar.as_ref());
    let as_of = capture_time(&body);
    let assessment = assess(&record, &Audit::new(&policy, as_of));
    (record, as_of, assessment)
}

#[test]
fn no_capture_raises_a_false_alarm() {
    let files = responses();
    assert!(files.len() >= 20, "fixtures missing: {files:?}");
    for path in files {
        let (record, as_of, assessment) = assess_fixture(&path);
        let expected_phases: &[Phase] = if record.effective_expiry().is_some() {
            &[Phase::Active]
        } else {
            &[]
        };
        assert_eq!(
            assessment.phases,
            expected_phases,
            "{} as of {as_of} (statuses {:?}, expires {:?})",
            path.display(),
            record.statuses,
            record.expires
        );
        let findings = assessment.findings;
        let alarms: Vec<&Finding> = findings
            .iter()
            .filter(|finding| {
                finding.severity == Severity::Error
                    || matches!(finding.code, Code::StatusConflict | Code::PhaseMismatch)
            })
            .collect();
        assert!(
            alarms.is_empty(),
            "{} as of {as_of} (statuses {:?}, expires {:?}): {alarms:#?}",
            path.display(),
            record.statuses,
            record.expires
        );
    }
}

/// What the captures do show: real locks, a real missing lock, a registry
/// without expiry, a name close to its expiry at capture time.
#[rstest]
#[case::google_com_registry_lock("whodap__google.com.json", &[Code::RegistryLocked])]
#[case::verisign_google_com("whoisit-recorded__verisign_google.com.json", &[Code::RegistryLocked])]
#[case::bitcoin_top_active_without_lock("whodap__bitcoin.top.json", &[Code::TransferUnlocked])]
#[case::norway_no_publishes_no_expiry("whoisit__norway.no.json", &[Code::NoExpiryPublished])]
#[case::afnic_fr_active_no_lock_vocabulary("icannrdap__domain_afnic_fr.json", &[])]
#[case::nic_cz_server_transfer_lock("rdapclient__nic.cz.json", &[Code::RegistryLocked])]
#[case::amazon_cyou_expiring_without_transfer_lock("whodap__amazon.cyou.json", &[Code::Expiring, Code::TransferUnlocked])]
#[case::twentyc_com_no_statuses_published("py-rdap__20c.com.json", &[])]
fn captures_give_the_findings_they_should(#[case] file: &str, #[case] expected: &[Code]) {
    let (_, as_of, findings) = audit_fixture(&fixture_dir().join(file));
    let got: Vec<Code> = findings.iter().map(|finding| finding.code).collect();
    assert_eq!(got, expected, "{file} as of {as_of}: {findings:#?}");
}
