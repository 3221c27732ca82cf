//! Rules about the registry's statuses alone: `status-conflict`, `on-hold`,
//! `transfer-unlocked`, `registry-locked`, and for names being dropped the
//! pre-deletion checklist (`delete-blocked`, `dnssec-signed`,
//! `still-delegated`).
//!
//! Transfer locks: a transfer is blocked by `clientTransferProhibited`,
//! `serverTransferProhibited`, the RDAP-only `transfer prohibited` or
//! `locked`; any of them satisfies `transfer-unlocked`. The finding is
//! raised only where the registry is known to use locks: every gTLD, or a
//! ccTLD whose record already shows some `*Prohibited` status. Many ccTLDs
//! have no transfer lock at all (a transfer needs an auth code or the
//! registry's own procedure), and a record with no statuses says nothing,
//! so neither raises it.

use super::facts::{DeletionStage, Facts};
use super::finding::{Code, Evidence, Finding, Severity};
use crate::input::Intent;
use crate::lifecycle::TldClass;
use crate::record::Protocol;
use crate::status::{Status, StatusKind};

pub(super) fn check(facts: &Facts, findings: &mut Vec<Finding>) {
    findings.extend(conflicts(
        &facts.record.statuses,
        facts.record.source.protocol,
    ));
    findings.extend(on_hold(facts));
    findings.extend(transfer_unlocked(facts));
    findings.extend(registry_locked(facts));
    if facts.audit.intent == Intent::Drop && facts.deletion.is_none() {
        findings.extend(delete_blocked(facts));
        findings.extend(dnssec_signed(facts));
        findings.extend(still_delegated(facts));
    }
}

/// One `status-conflict` per consistency rule broken (ICANN's RDAP
/// conformance rules, /work/shared/lifecycle-facts.md).
///
/// "redemptionPeriod and pendingRestore only with pendingDelete" is an RDAP
/// rule; WHOIS outputs abbreviate (CIRA prints `redemption`, the .ua
/// registry `RedemptionPeriod`, both alone), so it is not applied to them.
fn conflicts(statuses: &[Status], protocol: Protocol) -> Vec<Finding> {
    let has = |status: &Status| statuses.contains(status);
    let mut broken: Vec<(Vec<Status>, String)> = Vec::new();
    if has(&Status::Ok) {
        let others: Vec<Status> = statuses
            .iter()
            .filter(|status| {
                matches!(status.kind(), StatusKind::Hold | StatusKind::Lock) || status.is_pending()
            })
            .cloned()
            .collect();
        if !others.is_empty() {
            let names = names(&others);
            broken.push((
                [vec![Status::Ok], others].concat(),
                format!("ok (active) cannot stand with {names}"),
            ));
        }
    }
    for rgp in [Status::RedemptionPeriod, Status::PendingRestore] {
        if protocol == Protocol::Rdap && has(&rgp) && !has(&Status::PendingDelete) {
            broken.push((
                vec![rgp.clone()],
                format!("{rgp} only exists with pendingDelete"),
            ));
        }
    }
    if has(&Status::RedemptionPeriod) && has(&Status::PendingRestore) {
        broken.push((
            vec![Status::RedemptionPeriod, Status::PendingRestore],
            "redemptionPeriod and pendingRestore cannot stand together".to_owned(),
        ));
    }
    // pendingRestore is an RGP state that always comes with pendingDelete,
    // so it does not count as a second pending operation.
    let pending: Vec<Status> = statuses
        .iter()
        .filter(|status| status.is_pending() && **status != Status::PendingRestore)
        .cloned()
        .collect();
    if pending.len() > 1 {
        broken.push((
            pending.clone(),
            format!(
                "at most one pending operation at a time, found {}",
                names(&pending)
            ),
        ));
    }
    for (pending, prohibited) in PENDING_VERSUS_PROHIBITED {
        let blocking: Vec<Status> = prohibited.iter().filter(|s| has(s)).cloned().collect();
        if has(pending) && !blocking.is_empty() {
            broken.push((
                [vec![pending.clone()], blocking.clone()].concat(),
                format!("{pending} cannot stand with {}", names(&blocking)),
            ));
        }
    }
    broken
        .into_iter()
        .map(|(statuses, rule)| {
            Finding::new(
                Code::StatusConflict,
                Severity::Warning,
                format!(
                    "the registry's statuses contradict each other: {rule}; ask the registrar \
                     before relying on them"
                ),
                Evidence::default()
                    .with_statuses(statuses)
                    .with_reason(rule),
            )
        })
        .collect()
}

/// Each pending operation and the prohibitions that forbid it.
const PENDING_VERSUS_PROHIBITED: &[(Status, [Status; 3])] = &[
    (
        Status::PendingDelete,
        [
            Status::ClientDeleteProhibited,
            Status::ServerDeleteProhibited,
            Status::DeleteProhibited,
        ],
    ),
    (
        Status::PendingRenew,
        [
            Status::ClientRenewProhibited,
            Status::ServerRenewProhibited,
            Status::RenewProhibited,
        ],
    ),
    (
        Status::PendingTransfer,
        [
            Status::ClientTransferProhibited,
            Status::ServerTransferProhibited,
            Status::TransferProhibited,
        ],
    ),
    (
        Status::PendingUpdate,
        [
            Status::ClientUpdateProhibited,
            Status::ServerUpdateProhibited,
            Status::UpdateProhibited,
        ],
    ),
];

fn names(statuses: &[Status]) -> String {
    statuses
        .iter()
        .map(Status::epp_name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// True for a registry word (kept verbatim) meaning the name is suspended
/// or not delegated: `ru:NOT DELEGATED`, `Suspended`, `Expired Hold`. An
/// announcement is not a hold: JPRS's `To be suspended` is an active name
/// that will be suspended if not renewed, and it is still in DNS.
fn is_suspension_word(text: &str) -> bool {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    let announced = words
        .windows(2)
        .any(|pair| matches!((pair[0].as_str(), pair[1].as_str()), ("to" | "will", "be")));
    if announced {
        return false;
    }
    let has = |word: &str| words.iter().any(|w| w == word);
    has("hold")
        || has("suspended")
        || has("suspension")
        || has("undelegated")
        || words
            .windows(2)
            .any(|pair| pair[0] == "not" && pair[1] == "delegated")
}

fn on_hold(facts: &Facts) -> Option<Finding> {
    let holds: Vec<Status> = facts
        .record
        .statuses
        .iter()
        .filter(|status| match status {
            Status::Other(text) => is_suspension_word(text),
            status => status.kind() == StatusKind::Hold,
        })
        .cloned()
        .collect();
    if holds.is_empty() {
        return None;
    }
    // `inactive` alone is often a name deliberately left without
    // nameservers; a hold or suspension is someone taking it out of DNS.
    let keep = if holds == [Status::Inactive] {
        Severity::Warning
    } else {
        Severity::Error
    };
    let action = match facts.audit.intent {
        Intent::Keep => {
            "ask the registrar why (unpaid renewal, abuse report, missing verification) and \
             have it lifted"
        }
        Intent::Drop => "expected for a name being dropped",
    };
    Some(Finding::new(
        Code::OnHold,
        facts.audit.severity(keep),
        format!("not in DNS: the registry shows {}; {action}", names(&holds)),
        Evidence::default()
            .with_statuses(holds)
            .with_source(&facts.record.source),
    ))
}

fn blocks_transfer(status: &Status) -> bool {
    matches!(
        status,
        Status::ClientTransferProhibited
            | Status::ServerTransferProhibited
            | Status::TransferProhibited
            | Status::Locked
    )
}

fn transfer_unlocked(facts: &Facts) -> Option<Finding> {
    let record = facts.record;
    if facts.audit.intent != Intent::Keep
        || facts.deletion.is_some()
        || record.statuses.is_empty()
        || record.statuses.iter().any(blocks_transfer)
    {
        return None;
    }
    let uses_locks = facts.audit.policy.class == TldClass::Generic
        || record
            .statuses
            .iter()
            .any(|status| status.kind() == StatusKind::Lock);
    if !uses_locks {
        return None;
    }
    Some(Finding::new(
        Code::TransferUnlocked,
        Severity::Warning,
        "no transfer lock (clientTransferProhibited): ask the registrar to lock transfers, \
         a common path for hijacking a name",
        Evidence::default()
            .with_statuses(record.statuses.clone())
            .with_source(&record.source),
    ))
}

fn registry_locked(facts: &Facts) -> Option<Finding> {
    let locks: Vec<Status> = facts
        .record
        .statuses
        .iter()
        .filter(|status| status.is_registry_lock())
        .cloned()
        .collect();
    if locks.is_empty() {
        return None;
    }
    Some(Finding::new(
        Code::RegistryLocked,
        Severity::Notice,
        format!(
            "registry lock: {}; changes need the registrar to ask the registry to lift it",
            names(&locks)
        ),
        Evidence::default()
            .with_statuses(locks)
            .with_source(&facts.record.source),
    ))
}

fn delete_blocked(facts: &Facts) -> Option<Finding> {
    let blocking: Vec<Status> = facts
        .record
        .statuses
        .iter()
        .filter(|status| {
            matches!(
                status,
                Status::ClientDeleteProhibited
                    | Status::ServerDeleteProhibited
                    | Status::DeleteProhibited
                    | Status::Locked
                    | Status::PendingTransfer
            )
        })
        .cloned()
        .collect();
    if blocking.is_empty() {
        return None;
    }
    Some(Finding::new(
        Code::DeleteBlocked,
        Severity::Warning,
        format!(
            "a deletion would be refused: {}; have the lock lifted (or the transfer settled) first",
            names(&blocking)
        ),
        Evidence::default()
            .with_statuses(blocking)
            .with_source(&facts.record.source),
    ))
}

fn dnssec_signed(facts: &Facts) -> Option<Finding> {
    if facts.record.dnssec != Some(true) {
        return None;
    }
    Some(Finding::new(
        Code::DnssecSigned,
        Severity::Notice,
        "DS records are still at the registry: remove them, wait for their TTL, then the \
         delegation, before deleting",
        Evidence::default().with_source(&facts.record.source),
    ))
}

fn still_delegated(facts: &Facts) -> Option<Finding> {
    let nameservers = &facts.record.nameservers;
    let held = facts
        .record
        .statuses
        .iter()
        .any(|status| status.kind() == StatusKind::Hold);
    if nameservers.is_empty() || held {
        return None;
    }
    let mut evidence = Evidence::default().with_source(&facts.record.source);
    evidence.nameservers = nameservers.clone();
    Some(Finding::new(
        Code::StillDelegated,
        Severity::Notice,
        format!(
            "still delegated to {}: check that no mail, web or other service depends on it \
             before deleting",
            nameservers.join(", ")
        ),
        evidence,
    ))
}

impl DeletionStage {
    /// The stage's name as messages use it.
    pub(super) fn name(self) -> &'static str {
        match self {
            DeletionStage::Redemption => "redemption",
            DeletionStage::PendingRestore => "pending restore",
            DeletionStage::PendingDelete => "pending delete",
        }
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("ru:NOT DELEGATED", true)]
    #[case("Suspended", true)]
    #[case("Expired Hold", true)]
    #[case("undelegated", true)]
    #[case("ru:VERIFIED BY HOLDER", false)]
    #[case("server recover prohibited", false)]
    #[case("delegated", false)]
    #[case("jp:To be suspended", false)]
    #[case("will be suspended", false)]
    fn suspension_words(#[case] text: &str, #[case] suspended: bool) {
        assert_eq!(is_suspension_word(text), suspended);
    }
}
