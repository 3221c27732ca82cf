//! Small records and audits for the reconcile tests: a [`Case`] is a record
//! plus the owner's options, built in one expression per table row.

use chrono::{DateTime, NaiveDate, Utc};
use domlife::input::Intent;
use domlife::lifecycle::{PolicyTable, ResolvedPolicy};
use domlife::reconcile::{Assessment, Audit, Code, Finding, Severity, Threshold, assess};
use domlife::record::{Protocol, Record, Registrar, Role, Source};
use domlife::status::Status;

/// `YYYY-MM-DD` (noon UTC, so no zone moves the day) or RFC 3339.
pub fn at(text: &str) -> DateTime<Utc> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
    }
    DateTime::parse_from_rfc3339(text)
        .map(|instant| instant.with_timezone(&Utc))
        .unwrap_or_else(|error| panic!("test date {text:?}: {error}"))
}

pub fn policy(tld: &str, registrar: Option<&str>) -> ResolvedPolicy {
    let table = PolicyTable::builtin().unwrap_or_else(|error| panic!("built-in table: {error}"));
    let registrar = registrar.map(|name| Registrar {
        name: Some(name.to_owned()),
        iana_id: None,
    });
    table.resolve(tld, registrar.as_ref())
}

/// A record as a registry's RDAP server would give it.
pub fn record(domain: &str, statuses: &str) -> Record {
    let mut record = Record::new(
        domain,
        Source {
            protocol: Protocol::Rdap,
            server: Some("rdap.test".to_owned()),
            url: None,
            role: Role::Registry,
        },
    );
    for word in statuses.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        record.push_status(Status::parse(word));
    }
    record
}

/// A record, the owner's options and the as-of instant.
pub struct Case {
    pub record: Record,
    pub intent: Intent,
    pub threshold: Threshold,
    pub input_expiry: Option<DateTime<Utc>>,
    pub registrar: Option<String>,
    pub as_of: DateTime<Utc>,
}

impl Case {
    /// `domain` with comma-separated `statuses`, registry expiry `expires`
    /// (empty: none), audited as of `as_of`.
    pub fn new(domain: &str, statuses: &str, expires: &str, as_of: &str) -> Case {
        let mut record = record(domain, statuses);
        record.expires = (!expires.is_empty()).then(|| at(expires));
        Case {
            record,
            intent: Intent::Keep,
            threshold: Threshold::default(),
            input_expiry: None,
            registrar: None,
            as_of: at(as_of),
        }
    }

    pub fn registrar_expires(mut self, text: &str) -> Case {
        self.record.registrar_expires = Some(at(text));
        self
    }

    pub fn drop(mut self) -> Case {
        self.intent = Intent::Drop;
        self
    }

    pub fn threshold(mut self, warning_days: u32, error_days: u32) -> Case {
        self.threshold = Threshold {
            warning_days,
            error_days,
        };
        self
    }

    pub fn input_expiry(mut self, text: &str) -> Case {
        self.input_expiry = Some(at(text));
        self
    }

    pub fn nameservers(mut self, names: &[&str]) -> Case {
        self.record.set_nameservers(names);
        self
    }

    pub fn dnssec(mut self, signed: bool) -> Case {
        self.record.dnssec = Some(signed);
        self
    }

    pub fn registry_deletion(mut self, text: &str) -> Case {
        self.record.registry_dates.deletion = Some(at(text));
        self
    }

    pub fn registry_release(mut self, text: &str) -> Case {
        self.record.registry_dates.release = Some(at(text));
        self
    }

    /// The record as a WHOIS server's answer.
    pub fn whois(mut self, server: &str) -> Case {
        self.record.source.protocol = Protocol::Whois;
        self.record.source.server = Some(server.to_owned());
        self
    }

    pub fn unregistered(mut self) -> Case {
        self.record.registered = false;
        self
    }

    pub fn assess(&self) -> Assessment {
        let tld = self.record.domain.rsplit('.').next().unwrap_or_default();
        let policy = policy(tld, self.registrar.as_deref());
        let audit = Audit {
            policy: &policy,
            threshold: self.threshold,
            intent: self.intent,
            input_expiry: self.input_expiry,
            as_of: self.as_of,
        };
        assess(&self.record, &audit)
    }

    pub fn findings(&self) -> Vec<Finding> {
        self.assess().findings
    }

    /// The finding with `code`, if raised.
    pub fn finding(&self, code: Code) -> Option<Finding> {
        self.findings()
            .into_iter()
            .find(|finding| finding.code == code)
    }

    /// The severity of `code`, or `None` when not raised.
    pub fn severity(&self, code: Code) -> Option<Severity> {
        self.finding(code).map(|finding| finding.severity)
    }
}

/// Every code in `findings`, in order.
pub fn codes(findings: &[Finding]) -> Vec<Code> {
    findings.iter().map(|finding| finding.code).collect()
}
