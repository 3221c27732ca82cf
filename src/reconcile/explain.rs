//! The texts of `domlife explain`: for every [`Code`], a one-line summary,
//! the severity it is raised at, and a paragraph saying what it means, why
//! it matters and what to do. Kept beside the rules so that a change of
//! rule and of its explanation go together; the README quotes them.

use super::finding::Code;

/// What `domlife explain CODE` prints about one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Explanation {
    pub code: Code,
    /// One line for the list of codes.
    pub summary: &'static str,
    /// The severity, as the module's severity table gives it.
    pub severity: &'static str,
    /// What it means, why it matters, what to do.
    pub text: &'static str,
}

/// The explanation of `code`.
pub fn explain(code: Code) -> Explanation {
    let (summary, severity, text) = match code {
        Code::Expiring => (
            "the expiry is within the warning or error window",
            "warning within the tier's warning days (default 30), error within its error days (default 7); notice for a name to drop",
            "The name's deadline (the registrar's expiry when it publishes one, else the registry's, else the input's expires column when the registry publishes none) falls within the warning window of its tier. A name that is not renewed in time stops resolving and can be lost. Renew it at the registrar, or turn on auto-renewal there and check that the payment method is valid. The windows are configurable per tier (e.g. core names warned 60 days ahead).",
        ),
        Code::Expired => (
            "past expiry, not renewed, no renewal grace left",
            "error (warning when the date comes from the input); notice for a name to drop",
            "The deadline has passed and nothing shows a renewal: the registry reports no new expiry and the policy leaves no renewal grace on the as-of day, or the name's phase cannot be told from the dates alone. The name may already be out of DNS and about to be deleted. Ask the registrar at once whether it can still be renewed or restored. When the date comes from the input's expires column and the registry still lists the name, the input is probably stale: check the renewal and update the column.",
        ),
        Code::RegistryAutoRenewed => (
            "the registry moved the expiry a year ahead, the registrar did not renew",
            "warning; notice for a name to drop",
            "gTLD registries (and .ca, .cn) renew every name automatically at expiry and move their date a year ahead, showing autoRenewPeriod for 45 days; the registrar is billed but may still delete the name within those 45 days if its customer does not pay. The registry's new date is therefore not a renewal: the registrar's own expiry is the real deadline. Renew at the registrar; the accompanying grace or expired finding gives the last day.",
        ),
        Code::Grace => (
            "expired and still renewable at the registrar",
            "error; notice for a name to drop",
            "The name has expired and is in its renewal grace: the registrar can still renew it at the normal price, but may delete it any day up to the end of grace (for gTLDs any day up to 45 days after expiry, depending on the registrar). DNS is often interrupted during grace. Renew it now; the message gives the last possible day and the predicted release if nothing is done.",
        ),
        Code::Redemption => (
            "deleted, restorable for a fee until a fixed day",
            "error; notice for a name to drop",
            "The registry has deleted the name and holds it in redemption (redemptionPeriod, or the registry's equivalent such as CNNIC's pendingDelete or a quarantine): it is out of DNS and only the last holder can restore it, through the registrar, for a restore fee. After the last restore day it cannot be saved and is released to the public on the date given. Ask the registrar for a restore now.",
        ),
        Code::PendingDelete => (
            "no longer restorable, to be released",
            "error; notice for a name to drop",
            "The name is in the registry's final pending-delete days (pendingDelete with no redemption status): it cannot be renewed or restored any more and will be purged and open for registration on the date given. To get it back, register it the moment it is released (a backorder service can try for you). If the message says the dates still allow redemption, ask the registrar about a restore immediately.",
        ),
        Code::NotRegistered => (
            "the registry has no such name",
            "error for a name to keep, notice for a name to drop",
            "The registry answered that the name does not exist (RDAP 404, WHOIS 'no match'): it was released after expiry, or never registered. For a name you need, anyone can register it now: register it again at once. For a name being dropped this is the end state and nothing is left to do.",
        ),
        Code::OnHold => (
            "not in DNS: hold, inactive or suspended",
            "error (inactive alone: warning); notice for a name to drop",
            "The registry reports serverHold, clientHold, inactive or a suspension status: the name is not published in DNS, so its web sites and mail do not work. A registrar sets clientHold for an unpaid renewal or a missing contact verification; a registry sets serverHold for abuse, legal or policy reasons; inactive means no nameservers are delegated. Ask the registrar why and have it lifted (renew, verify the contact, answer the abuse report, add nameservers).",
        ),
        Code::TransferUnlocked => (
            "a name to keep has no transfer lock",
            "warning",
            "The name shows none of clientTransferProhibited, serverTransferProhibited, transfer prohibited or locked, so a transfer to another registrar needs only the auth code: a common path for hijacking a name. Ask the registrar to set the transfer lock (most control panels call it 'registrar lock'). Raised for gTLDs and for ccTLDs whose record shows other lock statuses; ccTLDs without transfer locks, records without statuses and names being dropped or deleted are not flagged.",
        ),
        Code::RegistryLocked => (
            "the registry has locked the name (server*Prohibited)",
            "notice",
            "The registry itself prohibits changes (serverDeleteProhibited, serverTransferProhibited, serverUpdateProhibited or serverRenewProhibited), usually a registry-lock service the owner asked for. This protects the name well; remember that transfers, deletions and nameserver changes then need the registrar to ask the registry to lift the lock first.",
        ),
        Code::StatusConflict => (
            "statuses that cannot stand together",
            "warning",
            "The registry reports statuses that its own rules forbid together (ICANN's RDAP conformance rules): ok/active with a hold, prohibition or pending status; redemptionPeriod or pendingRestore without pendingDelete, or both at once; more than one pending operation; a pending operation together with the prohibition of that operation. The record is inconsistent, so conclusions drawn from it are unsafe: ask the registrar what the real state is before acting.",
        ),
        Code::PhaseMismatch => (
            "statuses impossible for the phase the dates and policy give",
            "warning",
            "The statuses cannot be right on the as-of day under any timeline the policy allows: a gTLD name still plain ok long after every grace window without a new expiry, autoRenewPeriod beyond its 45 days, redemption or pending delete lasting past the latest possible release. Early states are never flagged (a name deleted early legally enters redemption before its expiry), and a day of slack is allowed. Either the registry's data is stale or the policy table is wrong for this TLD or registrar: ask the registrar, and report a policy error if it is ours.",
        ),
        Code::ExpiryDisagreement => (
            "registry and registrar expiry differ",
            "warning",
            "The registry's expiry and the registrar's differ by more than a day, and not by the year an auto-renewal explains. One of them is wrong, often after a renewal or transfer that did not reach both systems. The registrar's date is used as the deadline; ask the registrar which is right and have it corrected.",
        ),
        Code::RegistryDateDisagreement => (
            "a registry-published lifecycle date differs from the computed one",
            "notice",
            "The registry publishes a lifecycle date (deletion or release, e.g. .se date_to_release, .nl date out of quarantine, .ru free-date) that lies outside the window the policy table computes, or does not fit the registry's own expiry. The registry's date wins and the timeline is narrowed to it; the policy table may need updating for this TLD.",
        ),
        Code::NoExpiryPublished => (
            "the registry publishes no expiry date",
            "notice",
            "Some registries (.de, .eu, .nl, .au, ...) do not publish an expiry: the name runs until it is cancelled or not renewed at the registrar. Nothing can be forecast from the registry alone. Add an expires column to the input (the date the registrar bills next); the lifecycle is then computed from it.",
        ),
        Code::LookupFailed => (
            "the name could not be checked",
            "error",
            "No usable answer came from the registry: a network error, a rate limit that outlasted the retries, a timeout, or an answer that could not be read. Nothing is known about the name on this run. The reason is given; retry later, and if it persists check the server overrides and network access.",
        ),
        Code::DeleteBlocked => (
            "a name to drop cannot be deleted yet",
            "warning",
            "For a name being dropped: a deletion request would be refused because the name shows clientDeleteProhibited, serverDeleteProhibited, delete prohibited, locked, or a pending transfer. Have the registrar lift the lock (or the registry, for server locks), or let the transfer settle, before asking for the deletion.",
        ),
        Code::DnssecSigned => (
            "a name to drop still has DS records at the registry",
            "notice",
            "For a name being dropped: the delegation is still signed (DS records at the registry). Remove the DS records first, wait for their TTL to expire, then remove the delegation and delete the name, so that no validating resolver sees a broken chain on the way.",
        ),
        Code::StillDelegated => (
            "a name to drop still has nameservers",
            "notice",
            "For a name being dropped: nameservers are still published, so mail, web sites, API endpoints or third-party verifications may still depend on it. Check that nothing uses the name any more (and that no other domain's nameservers live under it) before deleting it.",
        ),
        Code::StillResolving => (
            "a name to drop still has A, AAAA or MX records in DNS",
            "warning (only for a name to drop, with --dns)",
            "For a name being dropped, asked with --dns: DNS still answers A, AAAA or MX records for it, so web sites, APIs or mail still use it; with MX records, mail is still delivered to it, and once the name is deleted that mail bounces, or reaches whoever registers the name next. The message lists the records answered. Export the zone, clear the A, AAAA and MX records (and SPF, DKIM and verification TXT records), move the services and certificates that depend on the name, wait for the TTLs, and run the audit again before asking for the deletion.",
        ),
        Code::ResolvesOnHold => (
            "the registry shows a hold or deletion, yet the name still resolves",
            "warning; notice for a name to drop (with --dns)",
            "Asked with --dns: the registry shows serverHold, clientHold, inactive, redemptionPeriod or pendingDelete, which take the name out of the TLD's zone, yet the resolver still answers A, AAAA or MX records for it. Resolvers may keep answering from their caches up to the records' TTL (and the delegation's): the message says when the longest one ends, counted from when DNS was asked. Before then this is expected; after it, the hold has not reached DNS (the registry's zone is not updated, or the resolver asked serves a stale copy). For a name to keep, the on-hold or deletion finding beside it says what to do; do not rely on it still working.",
        ),
        Code::NotResolving => (
            "registered, active and delegated, yet DNS answers NXDOMAIN or SERVFAIL",
            "warning; notice for a name to drop (with --dns)",
            "Asked with --dns: the registry shows the name registered, without a hold or deletion status and delegated to nameservers, but the resolver answers NXDOMAIN (the nameservers do not know the name) or SERVFAIL (a lame or broken delegation: the nameservers do not answer for it, or DNSSEC validation fails) for its NS records, and no A, AAAA or MX records: its web sites and mail are down. Check that the zone exists on the nameservers the registry lists (dig @NAMESERVER NAME SOA), that they answer authoritatively, and that the DS records at the registry match the zone's keys.",
        ),
        Code::NsMismatch => (
            "the zone's NS records differ from the registry's nameservers",
            "notice (with --dns)",
            "Asked with --dns: the NS records DNS answers for the name (the zone's own) are not the nameservers the registry delegates to (compared in lower case, without trailing dots). This is normal for a few hours during a change of DNS provider; otherwise the change was made in one place only (the zone's NS records or the registrar's nameserver settings), or someone changed one of them without you. Make the two sets the same; a nameserver listed in one place only receives queries that the other does not expect.",
        ),
        Code::Changed => (
            "differs from the last audit",
            "follows the change: error for a name no longer registered, a hold, pendingDelete, redemption or pendingTransfer added, or a new registrar; warning for nameservers changed, a transfer lock removed, DNSSEC turned off, autoRenewPeriod added or an expiry moved back; notice for a renewal and other status changes; notice for a name to drop",
            "With a store, each name is compared with its latest earlier recorded state that has a record (domlife history NAME lists them); with --baseline REPORT.json, with what the earlier JSON report recorded for it. Either way the comparison covers statuses added or removed, the registrar, the nameservers, DNSSEC, the expiry (moved later: renewed; moved earlier) and whether the name is still registered. A change you did not make is often the first sign of a hijack (new registrar, new nameservers, transfer lock removed) or of a lapse (a hold, pendingDelete). Check every error and warning with the registrar. A name the store or baseline does not have (or could not check) is audited for the first time and gets no changed finding; a note says so.",
        ),
    };
    Explanation {
        code,
        summary,
        severity,
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_paragraph_that_names_an_action() {
        for code in Code::ALL {
            let explanation = explain(code);
            assert_eq!(explanation.code, code);
            assert!(explanation.text.len() > 150, "{code}: too short");
            assert!(!explanation.summary.is_empty(), "{code}");
            assert!(
                ["notice", "warning", "error"]
                    .iter()
                    .any(|word| explanation.severity.contains(word)),
                "{code}: {}",
                explanation.severity
            );
        }
    }
}
