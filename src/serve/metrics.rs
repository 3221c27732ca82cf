//! What `/metrics` and `/probe` answer: the exposition of the last
//! complete audit (or of the one name probed) as `--report prometheus`
//! writes it, followed by the exporter's own families, written through the
//! same [`Family`] writer so that each family is declared once.

use std::fmt::Write as _;
use std::time::Duration;

use crate::fetch::HostSnapshot;
use crate::report::exposition::Family;
use crate::run::listeners::exporter::Snapshot;

/// The content type of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// The whole `/metrics` answer: the last complete audit, then the
/// exporter's own families (`hosts` is the gate's view of each registry).
pub fn metrics(snapshot: &Snapshot, hosts: &[HostSnapshot]) -> String {
    let mut out = snapshot
        .last
        .as_ref()
        .map_or_else(String::new, |last| last.exposition.as_str().to_owned());
    let mut families = vec![build_info()];
    families.extend(audit_families(snapshot));
    families.extend(count_families(snapshot));
    families.extend(host_families(hosts));
    write(&mut out, &families);
    out
}

/// What `/probe` adds to the probed name's exposition.
pub fn probe(exposition: &str, success: bool, took: Duration) -> String {
    let mut out = exposition.to_owned();
    let mut ok = Family::gauge(
        "domlife_probe_success",
        "1 when the registry answered about the probed name, 0 when it could not be checked.",
    );
    ok.push(Vec::new(), u8::from(success));
    let mut duration = Family::gauge(
        "domlife_probe_duration_seconds",
        "How long the probe took, the lookup included.",
    );
    duration.push(Vec::new(), seconds(took));
    write(&mut out, &[ok, duration]);
    out
}

fn write(out: &mut String, families: &[Family]) {
    let mut bytes = Vec::new();
    for family in families {
        // Writing to memory cannot fail.
        let _ = family.write(&mut bytes);
    }
    out.push_str(&String::from_utf8_lossy(&bytes));
}

fn seconds(duration: Duration) -> String {
    let mut text = String::new();
    let _ = write!(text, "{:.3}", duration.as_secs_f64());
    text
}

fn build_info() -> Family {
    let mut info = Family::gauge(
        "domlife_exporter_build_info",
        "Always 1; the version of domlife serving these metrics.",
    );
    info.push(vec![("version", env!("CARGO_PKG_VERSION").to_owned())], 1);
    info
}

fn audit_families(snapshot: &Snapshot) -> Vec<Family> {
    let mut running = Family::gauge("domlife_audit_running", "1 while an audit is going on.");
    running.push(Vec::new(), u8::from(snapshot.running_since.is_some()));
    let mut families = vec![running];
    let Some(last) = &snapshot.last else {
        return families;
    };
    let mut success = Family::gauge(
        "domlife_audit_last_success_timestamp_seconds",
        "When the last complete audit finished, as a Unix time: alert when it grows old.",
    );
    success.push(Vec::new(), last.finished.timestamp());
    let mut duration = Family::gauge(
        "domlife_audit_duration_seconds",
        "How long the last complete audit took.",
    );
    duration.push(Vec::new(), seconds(last.duration()));
    let mut names = Family::gauge(
        "domlife_audit_names",
        "Names in the last complete audit by outcome: checked, failed (lookup failed), invalid (not a name).",
    );
    let counts = last.counts;
    for (outcome, count) in [
        ("checked", counts.checked),
        ("failed", counts.failed),
        ("invalid", counts.invalid),
    ] {
        names.push(vec![("outcome", outcome.to_owned())], count);
    }
    families.extend([success, duration, names]);
    families
}

fn count_families(snapshot: &Snapshot) -> Vec<Family> {
    let mut audits = Family::counter(
        "domlife_audits_total",
        "Audits since the exporter started, by how they ended: complete, interrupted, unreadable (a list could not be read).",
    );
    for how in ["complete", "interrupted", "unreadable"] {
        let count = snapshot.audits.get(how).copied().unwrap_or(0);
        audits.push(vec![("result", how.to_owned())], count);
    }
    let mut lookups = Family::counter(
        "domlife_lookups_total",
        "Questions to registry and registrar servers (answers reused from the store included), by protocol and result.",
    );
    for ((protocol, result), count) in &snapshot.lookups {
        lookups.push(
            vec![
                ("protocol", (*protocol).to_owned()),
                ("result", (*result).to_owned()),
            ],
            count,
        );
    }
    let mut notifications = Family::counter(
        "domlife_notifications_total",
        "Notifications to --notify targets, by outcome: delivered, failed (announced again next audit).",
    );
    for outcome in ["delivered", "failed"] {
        let count = snapshot.notifications.get(outcome).copied().unwrap_or(0);
        notifications.push(vec![("result", outcome.to_owned())], count);
    }
    vec![audits, lookups, notifications]
}

fn host_families(hosts: &[HostSnapshot]) -> Vec<Family> {
    let mut sent = Family::counter(
        "domlife_requests_sent_total",
        "Requests sent to each server since the exporter started, retries included.",
    );
    let mut refused = Family::counter(
        "domlife_rate_limited_responses_total",
        "Answers from each server saying it is asked too often (HTTP 429 or a WHOIS quota message).",
    );
    for host in hosts {
        let labels = || {
            vec![
                ("protocol", host.host.protocol().to_string()),
                ("host", host.host.host().to_owned()),
            ]
        };
        sent.push(labels(), host.sent);
        refused.push(labels(), host.rate_limited);
    }
    vec![sent, refused]
}

#[cfg(test)]
mod tests;
