//! The audit: a registry's [`Record`] set against the lifecycle its dates
//! and policy imply, as of a date, giving the [`Finding`]s that need a
//! person's attention.
//!
//! Pure logic, no I/O: [`reconcile`] takes the record, the resolved policy
//! and the owner's options ([`Audit`]) and returns findings sorted worst
//! first; [`assess`] also returns the timeline and phase behind them (for
//! reports). A name that could not be looked up has no record; its finding is
//! [`Finding::lookup_failed`].
//!
//! The rule that shapes everything here: a real registry in a legal state
//! must produce no false alarm. `status-conflict` and `phase-mismatch` are
//! raised only for a state that no allowed timeline can produce (the policy's
//! windows are used at their widest, a name deleted early legally enters
//! redemption before its expiry, and one day of slack covers registries'
//! daily batch runs).
//!
//! Modules: [`finding`] (the model), [`thresholds`] (`expiring` windows per
//! tier), `audit` ([`Audit`], what an audit needs besides the record),
//! `facts` (what the record and timeline establish: the deadline, the
//! phase, the narrowed timeline), `lifecycle_rules` (dates and phases),
//! `status_rules` (statuses: holds, locks, conflicts, the drop checklist),
//! `phase_rules` (`phase-mismatch`), `dns_rules` (what DNS answered against
//! the registry, with `--dns`: [`add_dns`]), [`explain`] (the texts of
//! `domlife explain`).
//!
//! # Severities
//!
//! | code | keep | drop | why |
//! |---|---|---|---|
//! | `expiring` | warning within the tier's warning days, error within its error days | notice | renewal is due; letting a dropped name lapse is the plan |
//! | `expired` | error (warning when the date is only the input's) | notice | past expiry with no renewal and no grace left; an input date may just be stale |
//! | `registry-auto-renewed` | warning | notice | the registry's date is not a renewal; the deadline finding says how urgent |
//! | `grace` | error | notice | renewable only until the registrar deletes it |
//! | `redemption` | error | notice | restorable only for a fee, until a fixed day |
//! | `pending-delete` | error | notice | cannot be saved; it will be released |
//! | `not-registered` | error | notice | the name is gone (or never was) |
//! | `on-hold` | error (`inactive` alone: warning) | notice | not in DNS; `inactive` alone is often a name deliberately left undelegated |
//! | `transfer-unlocked` | warning | - | a common hijack path, not an outage |
//! | `registry-locked` | notice | notice | good for security; changes need the registry's help |
//! | `status-conflict` | warning | warning | the registry's data is inconsistent; ask before acting on it |
//! | `phase-mismatch` | warning | warning | the dates and statuses cannot both be right |
//! | `expiry-disagreement` | warning | warning | one of the two deadlines is wrong |
//! | `registry-date-disagreement` | notice | notice | the registry's own date is used; the policy table may need updating |
//! | `no-expiry-published` | notice | notice | the registry does not say; the input's date is used when given |
//! | `lookup-failed` | error | error | the name was not checked at all |
//! | `delete-blocked` | - | warning | a deletion request would be refused |
//! | `dnssec-signed` | - | notice | pre-deletion checklist: remove the DS first |
//! | `still-delegated` | - | notice | pre-deletion checklist: services may still use it |
//! | `still-resolving` | - | warning | with `--dns`: A/AAAA/MX still answered, so web or mail still uses the name; deleting it breaks them |
//! | `resolves-on-hold` | warning | notice | with `--dns`: the registry took it out of DNS but resolvers still answer; normal until the caches expire |
//! | `not-resolving` | warning | notice | with `--dns`: registered, active and delegated, yet NXDOMAIN/SERVFAIL: web and mail are down |
//! | `ns-mismatch` | notice | notice | with `--dns`: the zone's NS set is not the registry's delegation; usually a change in progress |
//! | `changed` | follows the change (see `crate::changes`) | notice | differs from the last audit (the store's history, or `check --baseline`) |

mod audit;
mod dns_rules;
pub mod explain;
mod facts;
pub mod finding;
mod lifecycle_rules;
mod phase_rules;
mod status_rules;
pub mod thresholds;

use serde::Serialize;

pub use audit::Audit;
pub use finding::{Code, DateRole, DatedFact, Evidence, Finding, Severity, When};
pub use thresholds::{Threshold, Thresholds};

use crate::dns::DnsReport;
use crate::lifecycle::{Phase, Timeline};
use crate::record::Record;

/// The audit of one name: its findings, the timeline they were computed
/// from, and where the name stands.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// Worst first (then in the order of [`Code::ALL`]).
    pub findings: Vec<Finding>,
    /// The timeline from the deadline (the registrar's expiry, else the
    /// registry's, else the input's), narrowed to the dates the registry
    /// publishes; `None` when no expiry is known.
    pub timeline: Option<Timeline>,
    /// The phases the name can be in on the as-of day: one when certain,
    /// several when the day falls in a boundary window, none when unknown.
    /// The registry's deletion statuses and the phase finding decide over
    /// the dates.
    pub phases: Vec<Phase>,
}

/// Every finding for `record` under `audit`, with the timeline and phase
/// behind them.
pub fn assess(record: &Record, audit: &Audit) -> Assessment {
    let mut findings = Vec::new();
    if !record.registered {
        findings.push(lifecycle_rules::not_registered(record, audit));
        return Assessment {
            findings,
            timeline: None,
            phases: vec![Phase::Released],
        };
    }
    let facts = facts::Facts::establish(record, audit);
    status_rules::check(&facts, &mut findings);
    lifecycle_rules::check(&facts, &mut findings);
    phase_rules::check(&facts, &mut findings);
    sort(&mut findings);
    let phases = phases(&facts, &findings);
    Assessment {
        findings,
        timeline: facts.timeline,
        phases,
    }
}

/// Adds to `assessment` the findings of what DNS answered about `record`
/// (`still-resolving`, `resolves-on-hold`, `not-resolving`,
/// `ns-mismatch`), keeping them worst first.
pub fn add_dns(assessment: &mut Assessment, record: &Record, dns: &DnsReport, audit: &Audit) {
    let found = dns_rules::check(record, dns, audit);
    if !found.is_empty() {
        assessment.findings.extend(found);
        sort(&mut assessment.findings);
    }
}

/// Worst first, then in the order of [`Code::ALL`].
fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.code.cmp(&b.code)));
}

/// Every finding for `record` under `audit`, worst first (then in the order
/// of [`Code::ALL`]).
pub fn reconcile(record: &Record, audit: &Audit) -> Vec<Finding> {
    assess(record, audit).findings
}

/// The phase the phase finding names; else the phases the dates allow on
/// the as-of day (active up to the expiry day).
fn phases(facts: &facts::Facts, findings: &[Finding]) -> Vec<Phase> {
    let named = findings.iter().find_map(|finding| match finding.code {
        Code::Grace => Some(Phase::Grace),
        Code::Redemption => Some(Phase::Redemption),
        Code::PendingDelete => Some(Phase::PendingDelete),
        _ => None,
    });
    if let Some(phase) = named {
        return vec![phase];
    }
    let Some(timeline) = &facts.timeline else {
        return Vec::new();
    };
    let mut phases = timeline.phase_on(facts.as_of_day).phases;
    // The registry still lists the name: not released, unless the dates
    // allow nothing else (a state `phase-mismatch` reports).
    if phases.len() > 1 {
        phases.retain(|phase| *phase != Phase::Released);
    }
    phases
}
