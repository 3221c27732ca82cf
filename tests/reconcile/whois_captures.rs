//! Real WHOIS captures with lifecycle statuses (fixtures/whois/) must be
//! classified in the phase their statuses show, with no `status-conflict`
//! or `phase-mismatch`.
//!
//! The crate has no WHOIS field reader yet, so each record is transcribed
//! from its text by hand; every line a field was transcribed from is
//! checked to occur verbatim in the file, so a transcription cannot drift
//! from the capture. As-of rule: the capture time where the text prints one
//! (`Last update of WHOIS database`), else one day after the last-change
//! line (the earliest the answer can have been produced), else (.se) one
//! day after the deactivation date the text prints (serverHold starts
//! then).

use std::path::Path;

use domlife::reconcile::Code;
use rstest::rstest;

use super::build::Case;

fn text(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/whois")
        .join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    String::from_utf8_lossy(&bytes).into_owned()
}

#[rstest]
#[case::cira_redemption(
    "weppos__whois.cira.ca_ca_property_status_redemption.txt",
    &["Domain status:         redemption", "Expiry date:           2010/10/29", "Updated date:          2010/12/04"],
    Case::new("glu.ca", "redemption", "2010-10-29", "2010-12-05"),
    Code::Redemption
)]
#[case::cira_pending_delete(
    "weppos__whois.cira.ca_ca_property_status_pendingdelete.txt",
    &["Domain status:         pending delete", "Expiry date:           2013/05/12", "Updated date:          2013/07/31"],
    Case::new("sagespa.ca", "pending delete", "2013-05-12", "2013-08-01"),
    Code::PendingDelete
)]
#[case::nic_it_redemption(
    "weppos__whois.nic.it_it_property_status_pendingdelete_redemptionperiod.txt",
    &["Status:             pendingDelete / redemptionPeriod", "Expire Date:        2011-02-08", "Last Update:        2011-02-11 15:38:31"],
    Case::new("concessionari-fiat.it", "pendingDelete, redemptionPeriod", "2011-02-08", "2011-02-12"),
    Code::Redemption
)]
#[case::nic_it_pending_delete(
    "weppos__whois.nic.it_it_property_status_pending-delete.txt",
    &["Status:             PENDING-DELETE", "Expire Date:        2011-12-27", "Last Update:        2012-02-27 00:01:44"],
    Case::new("chiara.it", "PENDING-DELETE", "2011-12-27", "2012-02-28"),
    Code::PendingDelete
)]
#[case::nic_it_auto_renew_period(
    "weppos__whois.nic.it_it_property_status_pendingtransfer_autorenewperiod.txt",
    &["Status:             pendingTransfer / autoRenewPeriod", "Expire Date:        2012-10-24", "Last Update:        2011-10-24 02:09:47"],
    Case::new("aversastore.it", "pendingTransfer, autoRenewPeriod", "2012-10-24", "2011-10-25"),
    Code::Grace
)]
#[case::ua_pending_delete(
    "weppos__whois.ua_ua_uaepp_property_status_pendingdelete.txt",
    &["status:           pendingDelete", "expires:          2013-04-05 17:53:25+03", "modified:         2013-06-03 23:33:01+03"],
    Case::new("googke.com.ua", "pendingDelete", "2013-04-05", "2013-06-04"),
    Code::PendingDelete
)]
#[case::ua_redemption(
    "weppos__whois.ua_ua_uaepp_property_status_redemptionperiod.txt",
    &["status:           RedemptionPeriod", "expires:          2013-06-19 10:13:30+03", "modified:         2013-07-19 00:01:45+03"],
    Case::new("googlw.com.ua", "RedemptionPeriod", "2013-06-19", "2013-07-20"),
    Code::Redemption
)]
#[case::se_deactivated_still_renewable(
    "weppos__whois.iis.se_se_property_status_serverhold.txt",
    &["status:           serverHold", "expires:          2013-06-14", "deactivationdate: 2013-07-15", "date_to_delete:   2013-09-13", "date_to_release:  2013-10-06"],
    Case::new("ogogle.se", "serverHold", "2013-06-14", "2013-07-16")
        .registry_deletion("2013-09-13")
        .registry_release("2013-10-06"),
    Code::Grace
)]
#[case::afnic_redemption(
    "weppos__whois.nic.fr_fr_property_status_redemption.txt",
    &["status:      REDEMPTION", "pending:     DELETE", "deleted:     09/02/2011", "last-update: 09/02/2011"],
    Case::new("behotel.fr", "REDEMPTION, pending DELETE", "", "2011-02-10").registry_deletion("2011-02-09"),
    Code::Redemption
)]
#[case::asia_auto_renewed(
    "likexian__asia_git.asia.txt",
    &["Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited", "Domain Status: autoRenewPeriod https://icann.org/epp#autoRenewPeriod", "Registry Expiry Date: 2020-09-27T13:26:20Z", ">>> Last update of WHOIS database: 2019-10-06T12:55:22Z <<<"],
    Case::new("git.asia", "clientTransferProhibited, autoRenewPeriod", "2020-09-27T13:26:20Z", "2019-10-06T12:55:22Z"),
    Code::Grace
)]
#[case::london_auto_renewed(
    "likexian__london_lat.london.txt",
    &["Domain Status: clientDeleteProhibited https://icann.org/epp#clientDeleteProhibited", "Domain Status: autoRenewPeriod https://icann.org/epp#autoRenewPeriod", "Registry Expiry Date: 2020-09-19T16:12:13Z", ">>> Last update of WHOIS database: 2019-10-12T08:45:55Z <<<"],
    Case::new("lat.london", "clientDeleteProhibited, clientRenewProhibited, clientTransferProhibited, clientUpdateProhibited, autoRenewPeriod", "2020-09-19T16:12:13Z", "2019-10-12T08:45:55Z"),
    Code::Grace
)]
#[case::verisign_deleted_before_expiry(
    "weppos__whois.verisign-grs.com_com_property_status_pendingdelete.txt",
    &["Status: pendingDelete", "Updated Date: 05-may-2013", "Expiration Date: 26-may-2013"],
    Case::new("killianestates.com", "pendingDelete", "2013-05-26", "2013-05-06"),
    Code::PendingDelete
)]
fn lifecycle_captures_are_classified_by_their_statuses(
    #[case] file: &str,
    #[case] transcribed: &[&str],
    #[case] case: Case,
    #[case] phase: Code,
) {
    let capture = text(file);
    for line in transcribed {
        assert!(
            capture.contains(line),
            "{file}: {line:?} not in the capture"
        );
    }
    let case = case.whois(file);
    let findings = case.findings();
    let codes: Vec<Code> = findings.iter().map(|finding| finding.code).collect();
    assert!(codes.contains(&phase), "{file}: {findings:#?}");
    let lifecycle = [
        Code::Grace,
        Code::Redemption,
        Code::PendingDelete,
        Code::Expired,
    ];
    assert_eq!(
        codes.iter().filter(|code| lifecycle.contains(code)).count(),
        1,
        "{file}: one phase only: {findings:#?}"
    );
    assert!(
        !codes.contains(&Code::StatusConflict) && !codes.contains(&Code::PhaseMismatch),
        "{file}: {findings:#?}"
    );
}

#[test]
fn afnic_redemption_counts_from_the_published_deletion() {
    let case = Case::new("behotel.fr", "REDEMPTION, pending DELETE", "", "2011-02-10")
        .registry_deletion("2011-02-09")
        .whois("whois.nic.fr");
    let message = case
        .finding(Code::Redemption)
        .map(|f| f.message)
        .unwrap_or_default();
    assert!(
        message.contains("restorable for a fee until 2011-03-10"),
        "{message}"
    );
    assert!(message.contains("released on 2011-03-11"), "{message}");
}
