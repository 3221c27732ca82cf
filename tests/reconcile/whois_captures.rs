//! Every real WHOIS capture in fixtures/whois/, read by the real reader
//! (`parse_whois`, with the domain and server of its `.expect.json`) and
//! audited as of its own capture time, must show a real registry in a legal
//! state: no `status-conflict`, no `phase-mismatch`. The captures with
//! lifecycle statuses must be classified in the phase those statuses show.
//!
//! The as-of instant is the capture time the text prints, else the rule of
//! `support/capture_time.rs` (one day after the last change, ...), except
//! where the text itself proves the answer is later than that rule says:
//! those files are in [`AS_OF_FROM_TEXT`] with the lines that prove it.
//! A capture the audit finds genuinely inconsistent is in [`EXCEPTIONS`]
//! with the reason read from its text.

use chrono::{DateTime, Utc};
use domlife::lifecycle::{Phase, PolicyTable};
use domlife::reconcile::{Assessment, Audit, Code, assess};
use domlife::whois::parse_whois;
use rstest::rstest;

use crate::build::at;
use crate::capture_time::{CaptureTime, capture_time};
use crate::whois_fixtures::{WhoisFixture, whois_fixture, whois_fixture_dir, whois_fixtures};

use Code::{
    Expired, Expiring, Grace, NoExpiryPublished, OnHold, PendingDelete, Redemption,
    RegistryAutoRenewed, TransferUnlocked,
};
use Phase::{
    Active, Grace as InGrace, PendingDelete as InPendingDelete, Redemption as InRedemption,
    Released,
};

/// (file stem, as-of day, the lines of the text that date the answer later
/// than its last-change date).
const AS_OF_FROM_TEXT: &[(&str, &str, &str)] = &[
    (
        "weppos__whois.iis.se_se_property_status_serverhold",
        "2013-07-16",
        "\"state: deactivated\" with \"deactivationdate: 2013-07-15\": the answer was made \
         after the deactivation (\"modified: 2012-02-20\" predates it)",
    ),
    (
        "weppos__whois.tld.ee_ee_status_expired",
        "2015-11-30",
        "\"status: expired\" with \"expire: 2015-11-29\" and no serverHold before \
         \"outzone: 2015-12-14\": the answer was made between the two (\"changed\" is 2010)",
    ),
    (
        "weppos__whois.tld.ee_ee_property_status_serverhold",
        "2015-11-17",
        "\"status: expired\" and \"status: serverHold\" with \"outzone: 2015-11-16\": the \
         answer was made after the name left the zone (\"changed\" is 2014-11-01)",
    ),
];

/// (file stem, code, why the registry's data is genuinely inconsistent).
const EXCEPTIONS: &[(&str, Code, &str)] = &[(
    "weppos__whois.nic.uk_uk_status_suspended",
    Code::PhaseMismatch,
    "\"Expiry date: 30-Aug-2010\", \"Renewal required.\" and \"*** This registration has \
     been SUSPENDED. ***\" in a look-up made at 01-May-2012, 20 months after expiry: \
     Nominet renews or cancels an expired name within 90 days; a name held far past that \
     is held by Nominet outside the renewal lifecycle (a suspension for abuse or invalid \
     data, \"Last updated: 09-Feb-2012\"), which the dates cannot show",
)];

struct Audited {
    as_of: CaptureTime,
    assessment: Assessment,
}

fn audit(fixture: &WhoisFixture) -> Audited {
    let record = parse_whois(&fixture.query, &fixture.body)
        .unwrap_or_else(|error| panic!("{}: not read: {error}", fixture.stem));
    let text = String::from_utf8_lossy(&fixture.body);
    let as_of = match AS_OF_FROM_TEXT
        .iter()
        .find(|(stem, _, _)| *stem == fixture.stem)
    {
        Some((_, day, _)) => CaptureTime::ReadFromText(at(day)),
        None => capture_time(&text, &record),
    };
    let table = PolicyTable::builtin().unwrap_or_else(|error| panic!("policy table: {error}"));
    let policy = table.resolve(&fixture.query.tld, record.registrar.as_ref());
    let assessment = assess(&record, &Audit::new(&policy, as_of.instant()));
    Audited { as_of, assessment }
}

fn codes(assessment: &Assessment) -> Vec<Code> {
    assessment
        .findings
        .iter()
        .map(|finding| finding.code)
        .collect()
}

#[test]
fn no_capture_is_audited_as_an_impossible_state() {
    let fixtures = whois_fixtures();
    assert!(fixtures.len() >= 80, "fixtures missing: {}", fixtures.len());
    let mut alarms = Vec::new();
    for fixture in &fixtures {
        let audited = audit(fixture);
        let phases: Vec<&str> = audited.assessment.phases.iter().map(|p| p.name()).collect();
        let codes: Vec<&str> = codes(&audited.assessment)
            .iter()
            .map(|code| code.as_str())
            .collect();
        println!(
            "{} | {} | {} | {}",
            fixture.stem,
            audited.as_of,
            phases.join(" or "),
            codes.join(", ")
        );
        for finding in &audited.assessment.findings {
            let alarm = matches!(finding.code, Code::StatusConflict | Code::PhaseMismatch);
            let excepted = EXCEPTIONS
                .iter()
                .any(|(stem, code, _)| *stem == fixture.stem && *code == finding.code);
            if alarm && !excepted {
                alarms.push(format!(
                    "{} as of {}: {}: {}",
                    fixture.stem, audited.as_of, finding.code, finding.message
                ));
            }
        }
    }
    assert!(alarms.is_empty(), "\n{}", alarms.join("\n"));
}

#[test]
fn every_exception_is_still_needed() {
    for (stem, code, reason) in EXCEPTIONS {
        let fixture = whois_fixture(&whois_fixture_dir().join(format!("{stem}.txt")));
        let audited = audit(&fixture);
        assert!(
            codes(&audited.assessment).contains(code),
            "{stem} no longer gives {code} ({reason}): drop the exception"
        );
    }
}

#[test]
fn every_as_of_taken_from_the_text_differs_from_the_rule() {
    for (stem, day, reason) in AS_OF_FROM_TEXT {
        let fixture = whois_fixture(&whois_fixture_dir().join(format!("{stem}.txt")));
        let record = parse_whois(&fixture.query, &fixture.body)
            .unwrap_or_else(|error| panic!("{stem}: not read: {error}"));
        let rule = capture_time(&String::from_utf8_lossy(&fixture.body), &record).instant();
        let stated: DateTime<Utc> = at(day);
        assert!(
            rule.date_naive() < stated.date_naive(),
            "{stem}: the rule already gives {rule} ({reason})"
        );
    }
}

/// The captures whose statuses show a lifecycle state (the `.expect.json`
/// `phase` / `resolves` fields, and the texts): the phase the audit gives
/// and every code it raises.
#[rstest]
#[case::cira_autorenew_grace("weppos__whois.cira.ca_ca_property_status_autorenew_grace", &[InGrace], &[Grace, RegistryAutoRenewed])]
#[case::cira_redemption("weppos__whois.cira.ca_ca_property_status_redemption", &[InRedemption], &[Redemption])]
#[case::cira_pending_delete("weppos__whois.cira.ca_ca_property_status_pendingdelete", &[InPendingDelete], &[PendingDelete])]
#[case::asia_auto_renew("likexian__asia_git.asia", &[InGrace], &[Grace, RegistryAutoRenewed])]
#[case::london_auto_renew("likexian__london_lat.london", &[InGrace], &[Grace, RegistryAutoRenewed])]
#[case::nic_it_grace("weppos__whois.nic.it_it_property_status_graceperiod", &[InGrace], &[Grace])]
#[case::nic_it_auto_renew_transfer("weppos__whois.nic.it_it_property_status_pendingtransfer_autorenewperiod", &[InGrace], &[Grace, RegistryAutoRenewed])]
#[case::nic_it_redemption("weppos__whois.nic.it_it_property_status_pendingdelete_redemptionperiod", &[InRedemption], &[Redemption])]
#[case::nic_it_pending_delete("weppos__whois.nic.it_it_property_status_pending-delete", &[InPendingDelete], &[PendingDelete])]
#[case::ua_client_hold_after_expiry("weppos__whois.ua_ua_uaepp_property_status_clienthold", &[InGrace], &[Grace, OnHold])]
#[case::ua_redemption("weppos__whois.ua_ua_uaepp_property_status_redemptionperiod", &[InRedemption], &[Redemption])]
#[case::ua_pending_delete("weppos__whois.ua_ua_uaepp_property_status_pendingdelete", &[InPendingDelete], &[PendingDelete])]
#[case::nz_pending_release("weppos__whois.srs.net.nz_nz_property_status_pendingrelease", &[InPendingDelete], &[PendingDelete])]
#[case::se_server_hold("weppos__whois.iis.se_se_property_status_serverhold", &[InGrace], &[Grace, OnHold])]
#[case::se_inactive("weppos__whois.iis.se_se_property_status_inactive", &[Active], &[OnHold])]
#[case::uk_suspended("weppos__whois.nic.uk_uk_status_suspended", &[Released], &[Expired, OnHold])]
#[case::verisign_pending_delete("weppos__whois.verisign-grs.com_com_property_status_pendingdelete", &[InPendingDelete], &[PendingDelete])]
#[case::afnic_redemption("weppos__whois.nic.fr_fr_property_status_redemption", &[InRedemption], &[Redemption, OnHold, NoExpiryPublished])]
#[case::sidn_quarantine("weppos__whois.domain-registry.nl_nl_status_redemption", &[InRedemption], &[Redemption, NoExpiryPublished])]
#[case::sidn_inactive("weppos__whois.domain-registry.nl_nl_property_status_inactive", &[], &[OnHold, NoExpiryPublished])]
#[case::ee_expired("weppos__whois.tld.ee_ee_status_expired", &[InGrace], &[Grace])]
#[case::ee_server_hold("weppos__whois.tld.ee_ee_property_status_serverhold", &[InGrace], &[Grace, OnHold])]
#[case::rs_expired("weppos__whois.rnids.rs_rs_property_status_expired", &[InGrace], &[Grace])]
#[case::fi_grace("weppos__whois.fi_fi_property_status_graceperiod", &[InGrace], &[Grace])]
#[case::pt_inactive("weppos__whois.dns.pt_pt_status_inactive", &[Active], &[OnHold])]
#[case::jp_to_be_suspended("weppos__whois.jprs.jp_jp_property_status_to_be_suspended", &[Active], &[Expiring])]
#[case::su_not_delegated("likexian__su_google.su", &[Active], &[OnHold])]
#[case::ses554g_inactive("phpwhois__xn--ses554g_google.xn--ses554g", &[Active], &[OnHold, TransferUnlocked])]
fn lifecycle_captures_are_in_the_phase_their_statuses_show(
    #[case] stem: &str,
    #[case] phases: &[Phase],
    #[case] expected: &[Code],
) {
    let fixture = whois_fixture(&whois_fixture_dir().join(format!("{stem}.txt")));
    let audited = audit(&fixture);
    let excepted: Vec<Code> = EXCEPTIONS
        .iter()
        .filter(|(file, _, _)| *file == stem)
        .map(|(_, code, _)| *code)
        .collect();
    let mut got = codes(&audited.assessment);
    got.retain(|code| !excepted.contains(code));
    let (mut got_sorted, mut want) = (got.clone(), expected.to_vec());
    got_sorted.sort();
    want.sort();
    assert_eq!(
        (audited.assessment.phases.as_slice(), got_sorted),
        (phases, want),
        "{stem} as of {}: {:#?}",
        audited.as_of,
        audited.assessment.findings
    );
}

/// The fixed as-of of a capture with no date at all is not a guess that
/// matters: its audit is the same at any instant.
#[test]
fn undated_captures_audit_the_same_at_any_instant() {
    let table = PolicyTable::builtin().unwrap_or_else(|error| panic!("policy table: {error}"));
    let mut undated = 0;
    for fixture in whois_fixtures() {
        let Ok(record) = parse_whois(&fixture.query, &fixture.body) else {
            continue;
        };
        let text = String::from_utf8_lossy(&fixture.body);
        let CaptureTime::Undated(as_of) = capture_time(&text, &record) else {
            continue;
        };
        undated += 1;
        let policy = table.resolve(&fixture.query.tld, record.registrar.as_ref());
        let then = assess(&record, &Audit::new(&policy, as_of));
        let later = assess(&record, &Audit::new(&policy, at("2030-06-01")));
        assert_eq!(
            (codes(&then), then.phases),
            (codes(&later), later.phases),
            "{}",
            fixture.stem
        );
    }
    assert!(undated > 0, "no undated capture left: drop this test");
}
