//! Test helpers shared by several modules' unit tests (the convention is in
//! the README's Development section). Results for the report writers, the
//! baseline and the history: a name expiring soon with a real timeline, a
//! name on hold, an invalid line and a failed lookup, the four shapes every
//! writer must handle. Strict readers of what two writers produce, also
//! used by the integration tests (tests/support/ includes them by path):
//! GitHub workflow commands ([`github_commands`]) and Prometheus sample
//! lines ([`exposition`]). A webhook receiver on 127.0.0.1 for the
//! notification tests ([`webhook`]).

pub(crate) mod exposition;
pub(crate) mod github_commands;
pub(crate) mod webhook;

use chrono::{DateTime, TimeZone, Utc};

use crate::audit::{self, AsOf, AuditResult, ErrorKind, InputSummary, Outcome, ResultError};
use crate::input::{Intent, Origin};
use crate::lifecycle::{Expiry, PolicyTable, Timeline};
use crate::reconcile::{Code, DateRole, Evidence, Finding, Severity, Thresholds, When};
use crate::record::{Protocol, Record, Registrar, Role, Source};
use crate::report::ReportContext;
use crate::status::Status;

pub(crate) fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

pub(crate) fn context(fail_threshold: Option<Severity>) -> ReportContext {
    ReportContext {
        complete: true,
        fail_threshold,
        thresholds: Thresholds::default(),
        as_of: as_of(),
        generated: Utc
            .with_ymd_and_hms(2025, 1, 1, 6, 30, 0)
            .single()
            .unwrap_or_default(),
        color: false,
    }
}

fn origin(line: usize) -> Origin {
    Origin {
        file: "lists/domains.txt".to_owned(),
        line,
    }
}

fn source() -> Source {
    Source {
        protocol: Protocol::Rdap,
        server: Some("rdap.example".to_owned()),
        url: Some("https://rdap.example/domain/example.com".to_owned()),
        role: Role::Registry,
    }
}

fn empty(domain: &str, line: usize, outcome: Outcome) -> AuditResult {
    AuditResult {
        domain: domain.to_owned(),
        unicode: None,
        input: InputSummary {
            lines: vec![origin(line)],
            tier: None,
            registrar: None,
            expires: None,
            intent: Intent::Keep,
            tags: Vec::new(),
        },
        outcome,
        record: None,
        asked: Vec::new(),
        timeline: None,
        phase: None,
        findings: Vec::new(),
        error: None,
        notes: Vec::new(),
        dns: None,
    }
}

fn registered(domain: &str, expires: DateTime<Utc>, statuses: Vec<Status>) -> Record {
    let mut record = Record::new(domain, source());
    record.expires = Some(expires);
    record.statuses = statuses;
    record.registrar = Some(Registrar {
        name: Some("Example Registrar, Inc.".to_owned()),
        iana_id: Some("9999".to_owned()),
    });
    record.set_nameservers(["ns1.example.net", "ns2.example.net"]);
    record.dnssec = Some(false);
    record
}

fn with_lifecycle(mut result: AuditResult, tld: &str) -> AuditResult {
    let table = PolicyTable::shared_builtin();
    if let (Some(table), Some(record)) = (table, result.record.as_ref()) {
        let policy = table.resolve(tld, record.registrar.as_ref());
        if let Some(expiry) = record.effective_expiry()
            && let Ok(timeline) = Timeline::for_policy(Expiry::Instant(expiry), &policy)
        {
            result.timeline = Some(audit::summarise(
                &timeline,
                &policy,
                AsOf::Instant(as_of()),
                &[],
            ));
        }
    }
    result
}

/// example.com (tier core, expiring in 19 days), held.org (serverHold),
/// an invalid line and fail.net (lookup failed), in input order.
pub(crate) fn results() -> Vec<AuditResult> {
    let expires = Utc
        .with_ymd_and_hms(2025, 1, 20, 10, 0, 0)
        .single()
        .unwrap_or_default();
    let mut expiring = empty("example.com", 2, Outcome::Checked);
    expiring.input.tier = Some("core".to_owned());
    expiring.record = Some(registered(
        "example.com",
        expires,
        vec![Status::ClientTransferProhibited],
    ));
    expiring.findings = vec![Finding::new(
        Code::Expiring,
        Severity::Warning,
        "expires on 2025-01-20, in 19 days: renew it",
        Evidence::default().with_date(DateRole::RegistryExpiry, When::Instant(expires)),
    )];
    let expiring = with_lifecycle(expiring, "com");

    let mut held = empty("held.org", 3, Outcome::Checked);
    held.record = Some(registered(
        "held.org",
        expires + chrono::Days::new(300),
        vec![Status::ServerHold, Status::ServerTransferProhibited],
    ));
    held.findings = vec![
        Finding::new(
            Code::OnHold,
            Severity::Error,
            "not in DNS: serverHold, set by the registry",
            Evidence::default()
                .with_statuses([Status::ServerHold])
                .with_source(&source()),
        ),
        Finding::new(
            Code::RegistryLocked,
            Severity::Notice,
            "registry lock: serverTransferProhibited",
            Evidence::default().with_statuses([Status::ServerTransferProhibited]),
        ),
    ];
    let held = with_lifecycle(held, "org");

    let mut invalid = empty("not a name", 4, Outcome::Invalid);
    invalid.error = Some(ResultError {
        kind: ErrorKind::InvalidInput,
        message: "contains a space".to_owned(),
    });
    invalid.findings = vec![Finding::lookup_failed(
        "not a domain name: contains a space",
    )];

    let mut failed = empty("fail.net", 5, Outcome::Failed);
    failed.error = Some(ResultError {
        kind: ErrorKind::Unavailable,
        message: "rdap.example: HTTP 503".to_owned(),
    });
    failed.findings = vec![Finding::lookup_failed("rdap.example: HTTP 503")];

    vec![expiring, held, invalid, failed]
}

/// [`results`] as a whole report of a complete run.
pub(crate) fn report() -> crate::report::Report {
    let results = results();
    crate::report::Report {
        meta: crate::report::Meta {
            version: "test".to_owned(),
            as_of: AsOf::Instant(as_of()),
            started: as_of(),
            finished: as_of(),
            complete: true,
            counts: crate::report::Counts::of(&results),
            shard: None,
        },
        results,
    }
}
