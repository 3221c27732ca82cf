//! What DNS answered set against what the registry says: `still-resolving`
//! (a name to drop still serves web or mail), `resolves-on-hold` (the
//! registry has taken it out of DNS, resolvers still answer),
//! `not-resolving` (healthy at the registry, dead in DNS) and `ns-mismatch`
//! (the zone's NS set is not the registry's delegation).
//!
//! Pure, like every rule here: the resolver's answers come in as a
//! [`DnsReport`]. Each rule says nothing when DNS could not be asked (a
//! timeout, an error): the audit notes that instead, and never guesses.

use super::audit::Audit;
use super::finding::{Code, DateRole, Evidence, Finding, Severity, When};
use crate::dns::answer::normalise_host;
use crate::dns::{DnsReport, Outcome, RecordKind};
use crate::input::Intent;
use crate::record::Record;
use crate::status::{Status, StatusKind};

/// The statuses that take a name out of DNS, or mean it is being deleted.
const OUT_OF_DNS: [Status; 5] = [
    Status::ServerHold,
    Status::ClientHold,
    Status::Inactive,
    Status::RedemptionPeriod,
    Status::PendingDelete,
];

/// Every DNS finding for `record` and what DNS answered, under `audit`.
pub fn check(record: &Record, dns: &DnsReport, audit: &Audit) -> Vec<Finding> {
    if !record.registered {
        return Vec::new();
    }
    let mut findings = Vec::new();
    findings.extend(still_resolving(record, dns, audit));
    findings.extend(resolves_on_hold(record, dns, audit));
    findings.extend(not_resolving(record, dns, audit));
    findings.extend(ns_mismatch(record, dns));
    findings
}

/// The registry's statuses that take the name out of DNS.
fn out_of_dns(record: &Record) -> Vec<Status> {
    record
        .statuses
        .iter()
        .filter(|status| OUT_OF_DNS.contains(status))
        .cloned()
        .collect()
}

fn still_resolving(record: &Record, dns: &DnsReport, audit: &Audit) -> Option<Finding> {
    let kinds = dns.service_kinds();
    // On hold or being deleted, `resolves-on-hold` says it better.
    if audit.intent != Intent::Drop || kinds.is_empty() || !out_of_dns(record).is_empty() {
        return None;
    }
    let names: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
    let mail = if kinds.contains(&RecordKind::Mx) {
        "mail is still delivered to it; "
    } else {
        ""
    };
    let records = dns.evidence(&kinds);
    let evidence = Evidence {
        dns: records.clone(),
        ..Evidence::default()
    };
    Some(Finding::new(
        Code::StillResolving,
        Severity::Warning,
        format!(
            "still resolves ({}): {mail}clear the {} records (and SPF/verification TXT) and \
             move what uses them before deleting",
            records.join(", "),
            names.join(", ")
        ),
        evidence,
    ))
}

fn resolves_on_hold(record: &Record, dns: &DnsReport, audit: &Audit) -> Option<Finding> {
    let holds = out_of_dns(record);
    if holds.is_empty() || !dns.resolves() {
        return None;
    }
    let records = dns.evidence(&[RecordKind::A, RecordKind::Aaaa, RecordKind::Mx]);
    let mut evidence = Evidence::default()
        .with_statuses(holds.clone())
        .with_source(&record.source)
        .with_date(DateRole::DnsAsked, When::Instant(dns.asked_at));
    let until = match (dns.caches_expire(), dns.max_ttl()) {
        (Some(expire), Some(ttl)) => {
            evidence = evidence.with_date(DateRole::CachesExpire, When::Instant(expire));
            format!(
                "resolvers' caches may keep it up to the longest TTL ({ttl} s), until {}",
                expire.format("%Y-%m-%d %H:%M UTC")
            )
        }
        _ => "resolvers' caches may keep it up to its TTL".to_owned(),
    };
    evidence.dns = records.clone();
    let names: Vec<&str> = holds.iter().map(Status::epp_name).collect();
    Some(Finding::new(
        Code::ResolvesOnHold,
        audit.severity(Severity::Warning),
        format!(
            "the registry shows {} but the name still resolves ({}): {until}; if it still \
             resolves after that, the hold has not reached DNS",
            names.join(", "),
            records.join(", ")
        ),
        evidence,
    ))
}

fn not_resolving(record: &Record, dns: &DnsReport, audit: &Audit) -> Option<Finding> {
    let delegation = dns.answer(RecordKind::Ns)?.outcome;
    let active = !record
        .statuses
        .iter()
        .any(|status| status.kind() == StatusKind::Hold || OUT_OF_DNS.contains(status));
    if !active
        || record.nameservers.is_empty()
        || dns.resolves()
        || !matches!(delegation, Outcome::NxDomain | Outcome::ServFail)
    {
        return None;
    }
    let mut evidence = Evidence::default()
        .with_source(&record.source)
        .with_date(DateRole::DnsAsked, When::Instant(dns.asked_at));
    evidence.nameservers = record.nameservers.clone();
    evidence.dns = vec![format!("NS {}", delegation.as_str())];
    let why = match delegation {
        Outcome::NxDomain => "answers NXDOMAIN (the zone does not know the name)",
        _ => {
            "answers SERVFAIL (a lame or broken delegation: the nameservers do not answer \
              for it, or DNSSEC fails)"
        }
    };
    Some(Finding::new(
        Code::NotResolving,
        audit.severity(Severity::Warning),
        format!(
            "registered and delegated to {}, but DNS {why}: its web sites and mail are down; \
             check the zone on those nameservers",
            record.nameservers.join(", ")
        ),
        evidence,
    ))
}

fn ns_mismatch(record: &Record, dns: &DnsReport) -> Option<Finding> {
    let served = dns.nameservers()?;
    let mut registry: Vec<String> = record
        .nameservers
        .iter()
        .map(|ns| normalise_host(ns))
        .collect();
    registry.sort();
    registry.dedup();
    if registry.is_empty() || registry == served {
        return None;
    }
    let mut evidence = Evidence::default().with_source(&record.source);
    evidence.nameservers = registry.clone();
    evidence.dns = served.iter().map(|ns| format!("NS {ns}")).collect();
    Some(Finding::new(
        Code::NsMismatch,
        Severity::Notice,
        format!(
            "DNS serves the nameservers {} but the registry delegates to {}: a change not yet \
             published, or one made elsewhere; make the zone's NS records and the registry's \
             delegation the same",
            served.join(", "),
            registry.join(", ")
        ),
        evidence,
    ))
}

#[cfg(test)]
mod tests;
