//! Registry status words to EPP statuses.
//!
//! Everything EPP-like goes through [`Status::parse`]. The words below are
//! the registries' own, mapped where the meaning is the same as an EPP
//! status; any other word is kept verbatim, prefixed with the TLD
//! (`ru:VERIFIED`), because a status nobody understands is still worth
//! showing. Decisions where the match is not exact:
//!
//! - `.nl` "in quarantine", `.eu` "quarantine": deleted, restorable by the
//!   last holder for 40 days, out of DNS: that is the RGP's
//!   `redemptionPeriod` (with its `pendingDelete`, see [`finish`]).
//! - Expired but still renewable by the holder (`.it` "grace-period", `.fi`
//!   "Grace Period", `.ca` "auto-renew grace", `.rs`/`.ee` "expired", `.uk`
//!   "Renewal required", `.se` "deactivated", FRED "Domain expired"): EPP's
//!   one name for the post-expiry grace is `autoRenewPeriod`; the lifecycle
//!   engine reads it as the grace phase. Whether the name still resolves is
//!   said by the hold statuses printed beside it, except where the word
//!   itself means "out of the zone" (`.se` "deactivated", `.au` "Expired
//!   Hold"), which adds `serverHold`.
//! - `.nz` "PendingRelease", `.ca` "to be released": `pendingDelete`.
//! - Suspension (`.uk` "This registration has been SUSPENDED", `.jp`
//!   "Suspended"), `.fr` `hold: YES`, FRED "Domain is not generated into
//!   zone": `serverHold`. `.jp` "To be suspended" is a warning about the
//!   future, not a hold: kept as `jp:To be suspended`.
//! - `.ru` "NOT DELEGATED", `.pt` "TECH-PRO" (technical check failed, not
//!   delegated): `inactive`.
//! - Plain "registered", "connect" (.de), "Connected" (.jp), "published"
//!   (.br), "delegated" (.ru), "Registered until expiry date." (.uk): `ok`.
//! - FRED's "Deletion forbidden", "Update forbidden", "Sponsoring registrar
//!   change forbidden" are the registry's prohibitions.

use crate::record::MAX_STATUSES;
use crate::status::Status;

/// What one status word says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Word {
    Statuses(Vec<Status>),
    /// The name is not registered (`Status: free`, `220 Available`).
    Free,
    /// A filler with no meaning (`No registration status listed.`).
    Nothing,
}

/// Registry words (folded: lower case, letters and digits only) with an EPP meaning.
const WORDS: &[(&str, &[Status])] = &[
    ("registered", &[Status::Ok]),
    // Spanish and Portuguese "active".
    ("activo", &[Status::Ok]),
    ("activa", &[Status::Ok]),
    ("ativo", &[Status::Ok]),
    // DNS Belgium: "NOT AVAILABLE" (for registration) means registered.
    ("notavailable", &[Status::Ok]),
    ("connect", &[Status::Ok]),
    ("connected", &[Status::Ok]),
    ("published", &[Status::Ok]),
    ("delegated", &[Status::Ok]),
    ("live", &[Status::Ok]),
    ("paidandinzone", &[Status::Ok]),
    (
        "registrationrequestbeingprocessed",
        &[Status::PendingCreate],
    ),
    ("renewalrequestbeingprocessed", &[Status::PendingRenew]),
    ("dnshold", &[Status::ServerHold]),
    (
        "domainisadministrativelykeptoutofzone",
        &[Status::ServerHold],
    ),
    ("quarantined", &[Status::RedemptionPeriod]),
    ("redemptionnoprovider", &[Status::RedemptionPeriod]),
    ("registereduntilexpirydate", &[Status::Ok]),
    ("registereduntilrenewaldate", &[Status::Ok]),
    ("notdelegated", &[Status::Inactive]),
    ("onhold", &[Status::ServerHold]),
    ("hold", &[Status::ServerHold]),
    ("suspended", &[Status::ServerHold]),
    ("thisregistrationhasbeensuspended", &[Status::ServerHold]),
    ("domainisnotgeneratedintozone", &[Status::ServerHold]),
    ("quarantine", &[Status::RedemptionPeriod]),
    ("inquarantine", &[Status::RedemptionPeriod]),
    ("inquarantaine", &[Status::RedemptionPeriod]),
    ("graceperiod", &[Status::AutoRenewPeriod]),
    ("autorenewgrace", &[Status::AutoRenewPeriod]),
    ("expired", &[Status::AutoRenewPeriod]),
    ("domainexpired", &[Status::AutoRenewPeriod]),
    ("renewalrequired", &[Status::AutoRenewPeriod]),
    // .se: expired, taken out of the zone, renewable for 60 days.
    (
        "deactivated",
        &[Status::AutoRenewPeriod, Status::ServerHold],
    ),
    (
        "expiredhold",
        &[Status::AutoRenewPeriod, Status::ServerHold],
    ),
    ("pendingrelease", &[Status::PendingDelete]),
    ("tobereleased", &[Status::PendingDelete]),
    ("pendingpurge", &[Status::PendingDelete]),
    ("deletionforbidden", &[Status::ServerDeleteProhibited]),
    ("updateforbidden", &[Status::ServerUpdateProhibited]),
    (
        "sponsoringregistrarchangeforbidden",
        &[Status::ServerTransferProhibited],
    ),
];

/// Words that only one registry uses with this meaning.
const REGISTRY_WORDS: &[(&str, &str, &[Status])] = &[("pt", "techpro", &[Status::Inactive])];

const FREE: &[&str] = &[
    "free",
    "available",
    "availableforregistration",
    "notregistered",
    "unregistered",
    "nomatch",
    "notfound",
    "noobjectfound",
    "noentriesfound",
    "nodatafound",
    "domainnotfound",
    "objectnotfound",
    "notassigned",
    // Spanish, French, Portuguese, German, Turkish, Italian.
    "libre",
    "disponible",
    "disponível",
    "disponivel",
    "livre",
    "frei",
    "boş",
    "müsait",
    "libero",
    "nonregistrato",
];
const NOTHING: &[&str] = &["noregistrationstatuslisted", ""];

/// Reads one status value as printed, which may hold several words
/// (`REGISTERED, DELEGATED, VERIFIED`, `pendingDelete / redemptionPeriod`).
/// `registry` is the TLD whose registry's words apply, `tld` the prefix of
/// words kept verbatim.
pub(crate) fn read_value(registry: &str, tld: &str, value: &str) -> Vec<Word> {
    if value.contains("http://") || value.contains("https://") {
        return vec![read_word(registry, tld, value)];
    }
    value
        .split([',', ';'])
        .flat_map(|part| part.split(" / "))
        .map(|word| read_word(registry, tld, word))
        .collect()
}

/// Whether `text` (a status value or a line alone) says "free" in one of
/// the words registries use.
pub(crate) fn is_free_word(text: &str) -> bool {
    FREE.contains(&fold(&clean_word(text)).as_str())
}

fn read_word(registry: &str, tld: &str, raw: &str) -> Word {
    let word = clean_word(raw);
    let key = fold(&word);
    if FREE.contains(&key.as_str()) {
        return Word::Free;
    }
    if NOTHING.contains(&key.as_str()) {
        return Word::Nothing;
    }
    if let Some((_, _, statuses)) = REGISTRY_WORDS
        .iter()
        .find(|(owner, name, _)| *owner == registry && *name == key)
    {
        return Word::Statuses(statuses.to_vec());
    }
    if let Some((_, statuses)) = WORDS.iter().find(|(name, _)| *name == key) {
        return Word::Statuses(statuses.to_vec());
    }
    match Status::parse(&word) {
        Status::Other(text) => Word::Statuses(vec![Status::Other(format!("{tld}:{text}"))]),
        known => Word::Statuses(vec![known]),
    }
}

/// Removes decoration: `*** ... ***`, a trailing full stop, a numeric
/// result code (`200 Active`), a parenthesised date (`Connected (2024/03/31)`),
/// an explanation after ` - ` (.kz), a date after `OK-UNTIL` (old .ua).
fn clean_word(raw: &str) -> String {
    let mut word = raw
        .trim()
        .trim_matches('*')
        .trim()
        .trim_end_matches('.')
        .trim();
    if let Some((status, _)) = word.split_once(" - ") {
        word = status.trim();
    }
    if word
        .get(..8)
        .is_some_and(|start| start.eq_ignore_ascii_case("ok-until"))
    {
        word = "ok";
    }
    if let Some((code, rest)) = word.split_once(' ')
        && !code.is_empty()
        && code.chars().all(|c| c.is_ascii_digit())
    {
        word = rest.trim();
    }
    if !word.contains("http")
        && let Some(open) = word.find('(')
        && word.ends_with(')')
    {
        word = word[..open].trim();
    }
    word.to_string()
}

fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Final shape of a status list: each status once, in the source's order;
/// `pendingDelete` added beside a bare RGP state (RFC 3915 defines
/// `redemptionPeriod` and `pendingRestore` as sub-states of it, and some
/// registries print only the sub-state); `ok` dropped when a status with a
/// meaning sits beside it (EPP `ok` means "nothing else"), so that
/// `REGISTERED, NOT DELEGATED` reads as `inactive` alone.
///
/// At most [`MAX_STATUSES`] are kept (the second value is true when more
/// were dropped): each is looked for among those kept, so a flood of
/// distinct words costs no more than the cap.
pub(crate) fn finish(statuses: Vec<Status>) -> (Vec<Status>, bool) {
    let mut out: Vec<Status> = Vec::with_capacity(statuses.len().min(MAX_STATUSES) + 1);
    let mut truncated = false;
    for status in statuses {
        if out.contains(&status) {
            continue;
        }
        if out.len() == MAX_STATUSES {
            truncated = true;
            break;
        }
        out.push(status);
    }
    let in_rgp = out
        .iter()
        .any(|status| matches!(status, Status::RedemptionPeriod | Status::PendingRestore));
    if in_rgp && !out.contains(&Status::PendingDelete) {
        out.push(Status::PendingDelete);
    }
    let has_meaning = out
        .iter()
        .any(|status| !matches!(status, Status::Ok | Status::Other(_)));
    if has_meaning {
        out.retain(|status| *status != Status::Ok);
    }
    (out, truncated)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn statuses(tld: &str, value: &str) -> Vec<Status> {
        let words = read_value(tld, tld, value)
            .into_iter()
            .flat_map(|word| match word {
                Word::Statuses(statuses) => statuses,
                Word::Free | Word::Nothing => Vec::new(),
            })
            .collect();
        finish(words).0
    }

    fn other(text: &str) -> Status {
        Status::Other(text.to_string())
    }

    #[rstest]
    #[case::epp_with_url("com", "clientTransferProhibited https://icann.org/epp#clientTransferProhibited", vec![Status::ClientTransferProhibited])]
    #[case::epp_with_bracketed_url("com", "clientHold (https://www.icann.org/epp#clientHold)", vec![Status::ClientHold])]
    #[case::ripn_list("ru", "REGISTERED, DELEGATED, VERIFIED", vec![Status::Ok, other("ru:VERIFIED")])]
    #[case::ripn_not_delegated("su", "REGISTERED, NOT DELEGATED", vec![Status::Inactive])]
    #[case::comma_list("tw", "clientUpdateProhibited,clientTransferProhibited", vec![Status::ClientUpdateProhibited, Status::ClientTransferProhibited])]
    #[case::slash_pair("it", "pendingDelete / redemptionPeriod", vec![Status::PendingDelete, Status::RedemptionPeriod])]
    #[case::redemption_alone("ca", "redemption", vec![Status::RedemptionPeriod, Status::PendingDelete])]
    #[case::nl_quarantine("nl", "in quarantine", vec![Status::RedemptionPeriod, Status::PendingDelete])]
    #[case::eu_quarantine("eu", "QUARANTINE", vec![Status::RedemptionPeriod, Status::PendingDelete])]
    #[case::it_grace("it", "GRACE-PERIOD", vec![Status::AutoRenewPeriod])]
    #[case::fi_grace("fi", "Grace Period", vec![Status::AutoRenewPeriod])]
    #[case::ca_grace("ca", "auto-renew grace", vec![Status::AutoRenewPeriod])]
    #[case::nz_release("nz", "210 PendingRelease", vec![Status::PendingDelete])]
    #[case::nz_active("nz", "200 Active", vec![Status::Ok])]
    #[case::jp_to_be_suspended("jp", "To be suspended", vec![other("jp:To be suspended")])]
    #[case::jp_connected("jp", "Connected (2024/03/31)", vec![Status::Ok])]
    #[case::uk_suspended("uk", "*** This registration has been SUSPENDED. ***", vec![Status::ServerHold])]
    #[case::uk_registered("uk", "Registered until expiry date.", vec![Status::Ok])]
    #[case::uk_renewal_required("uk", "Renewal required.", vec![Status::AutoRenewPeriod])]
    #[case::de_connect("de", "connect", vec![Status::Ok])]
    #[case::be_taken("be", "NOT AVAILABLE", vec![Status::Ok])]
    #[case::br_published("br", "published", vec![Status::Ok])]
    #[case::se_deactivated("se", "deactivated", vec![Status::AutoRenewPeriod, Status::ServerHold])]
    #[case::pt_tech_pro("pt", "TECH-PRO", vec![Status::Inactive])]
    #[case::tech_pro_elsewhere_is_unknown("xx", "TECH-PRO", vec![other("xx:TECH-PRO")])]
    #[case::fred_prohibitions("cr", "Deletion forbidden", vec![Status::ServerDeleteProhibited])]
    #[case::fred_unknown("cr", "Domain blocked", vec![other("cr:Domain blocked")])]
    #[case::ok_dropped_beside_a_lock("se", "active, serverTransferProhibited", vec![Status::ServerTransferProhibited])]
    #[case::rdap_style("ro", "UpdateProhibited", vec![Status::UpdateProhibited])]
    #[case::explanation("kz", "clientDeleteProhibited - status set by registrar", vec![Status::ClientDeleteProhibited])]
    #[case::ok_until("ua", "OK-UNTIL 20131211000000", vec![Status::Ok])]
    #[case::fred_in_zone("cz", "Paid and in zone", vec![Status::Ok])]
    #[case::nic_it_dns_hold("it", "inactive / dnsHold", vec![Status::Inactive, Status::ServerHold])]
    #[case::io_live("io", "Live", vec![Status::Ok])]
    #[case::redemption_period_word("ua", "RedemptionPeriod", vec![Status::RedemptionPeriod, Status::PendingDelete])]
    fn status_words_map_to_epp(
        #[case] tld: &str,
        #[case] value: &str,
        #[case] expected: Vec<Status>,
    ) {
        assert_eq!(statuses(tld, value), expected, "{value}");
    }

    #[rstest]
    #[case("free")]
    #[case("AVAILABLE")]
    #[case("220 Available")]
    #[case("No Object Found")]
    #[case("Not Registered")]
    fn availability_words_mean_not_registered(#[case] value: &str) {
        assert_eq!(read_value("de", "de", value), vec![Word::Free]);
    }

    #[test]
    fn fillers_mean_nothing() {
        assert_eq!(
            read_value("uk", "uk", "No registration status listed."),
            vec![Word::Nothing]
        );
    }
}
