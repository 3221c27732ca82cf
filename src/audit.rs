//! One input entry in, one [`AuditResult`] out: the lookup, the timeline its
//! expiry and policy give, and where the name stands as of a date.
//!
//! Every entry of a list produces exactly one result, whatever happens: an
//! invalid line, a failed lookup and an interrupted run are results with a
//! reason, never a silent gap in a report. The bulk driver (`check`) and the
//! report writers consume these and know nothing of the protocols.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::dns::{DnsClient, DnsReport, DnsUnavailable};
use crate::input::{Entry, InputItem, Intent, InvalidLine, Origin};
use crate::lifecycle::{
    Confidence, Phase, PhaseAt, PhaseSpan, PolicyTable, ResolvedPolicy, Timeline, Window,
};
use crate::lookup::{Answer, Exchange, Lookup, LookupError};
use crate::reconcile::{self, Assessment, Finding, Severity, Thresholds};
use crate::record::Record;

/// What happened to one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The registry answered (registered or not).
    Checked,
    /// The lookup failed; see `error`.
    Failed,
    /// The input line is not a domain name; see `error`.
    Invalid,
    /// The run stopped (Ctrl-C) before this name was looked up.
    NotChecked,
}

impl Outcome {
    /// The name used in reports (`checked`, `failed`, `invalid`, `not_checked`).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Checked => "checked",
            Outcome::Failed => "failed",
            Outcome::Invalid => "invalid",
            Outcome::NotChecked => "not_checked",
        }
    }
}

/// The result for one entry of the input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditResult {
    /// The A-label, or the escaped raw text of an invalid line.
    pub domain: String,
    /// The U-label, when it differs from the A-label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unicode: Option<String>,
    /// Where the name came from and what the input said about it.
    pub input: InputSummary,
    pub outcome: Outcome,
    /// The registry's record (`null` when the name could not be checked).
    pub record: Option<Record>,
    /// Every server asked and how it answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asked: Vec<Exchange>,
    /// Where the name stands in its lifecycle (`null` without an expiry).
    pub timeline: Option<LifecycleSummary>,
    /// The phase as of the audit date (`null` inside a boundary window or
    /// without a timeline).
    pub phase: Option<Phase>,
    /// What needs attention, worst first.
    pub findings: Vec<Finding>,
    /// Why the name could not be checked.
    pub error: Option<ResultError>,
    /// How the input was normalised, and why there is no timeline.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What DNS answered, when the run asked it (`--dns`); absent
    /// otherwise, so a run without DNS writes what it always wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<DnsReport>,
}

/// The input side of a result: lines and CSV columns.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputSummary {
    /// Every input line the name came from.
    pub lines: Vec<Origin>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrar: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<DateTime<Utc>>,
    pub intent: Intent,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// Why a name has no record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultError {
    pub kind: ErrorKind,
    pub message: String,
}

/// The kind of [`ResultError`], for scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The input line is not a domain name.
    InvalidInput,
    /// The registry kept refusing: asked too often.
    RateLimited,
    /// A failure that may pass (timeout, server error, reset).
    Unavailable,
    /// A failure that will not pass by retrying (no server, unreadable answer, refused target).
    Failed,
    /// The run was interrupted before this name.
    NotChecked,
}

/// The timeline reduced to what a report row shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleSummary {
    /// The expiry day in the registry's zone (the registrar's when it states one).
    pub expiry_day: NaiveDate,
    /// Days from the audit date to the expiry day (negative once past).
    pub days_left: i64,
    /// The phase as of the audit date, `None` inside a boundary window.
    pub phase: Option<Phase>,
    /// Every phase the name can be in on that day.
    pub possible: Vec<Phase>,
    pub release: Window,
    /// Every phase with its first and last day (windows where the policy
    /// has a range): the calendar report's dates.
    pub phases: Vec<PhaseSpan>,
    /// The policy entries used (`gtld`, `cn + aliyun-cn`).
    pub policy: Vec<String>,
    /// The weakest confidence among the figures behind the dates.
    pub confidence: Confidence,
}

/// The date an audit is made for: a calendar day in each registry's zone,
/// or an instant. Serialised as `YYYY-MM-DD` or RFC 3339.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum AsOf {
    Day(NaiveDate),
    Instant(DateTime<Utc>),
}

impl AsOf {
    /// Where a name stands on `timeline` at this date: a day is a day of the
    /// registry's zone, an instant is converted to it.
    pub fn phase_on(self, timeline: &Timeline) -> PhaseAt {
        match self {
            AsOf::Day(day) => timeline.phase_on(day),
            AsOf::Instant(instant) => timeline.phase_at(instant),
        }
    }

    /// The instant the audit rules compare dates with. A calendar day is
    /// taken at noon UTC, which is that same day in every registry zone
    /// within twelve hours of UTC.
    pub fn instant(self) -> DateTime<Utc> {
        match self {
            AsOf::Instant(instant) => instant,
            AsOf::Day(day) => day
                .and_hms_opt(12, 0, 0)
                .map_or_else(Utc::now, |noon| noon.and_utc()),
        }
    }
}

/// Audits entries: the run's lookup, policy table, thresholds and date,
/// and DNS when the run asks it.
#[derive(Debug, Clone)]
pub struct Auditor {
    lookup: Lookup,
    policies: Arc<PolicyTable>,
    thresholds: Arc<Thresholds>,
    as_of: AsOf,
    dns: Option<Arc<DnsClient>>,
}

impl Auditor {
    pub fn new(lookup: Lookup, policies: PolicyTable, thresholds: Thresholds, as_of: AsOf) -> Self {
        Auditor {
            lookup,
            policies: Arc::new(policies),
            thresholds: Arc::new(thresholds),
            as_of,
            dns: None,
        }
    }

    /// The same auditor asking DNS about every name it judges, after the
    /// registry lookup (`--dns`).
    pub fn with_dns(self, dns: Option<DnsClient>) -> Auditor {
        Auditor {
            dns: dns.map(Arc::new),
            ..self
        }
    }

    /// The same auditor judging as of `as_of` (a server audits as of each
    /// audit's time).
    pub fn at(&self, as_of: AsOf) -> Auditor {
        Auditor {
            as_of,
            ..self.clone()
        }
    }

    /// The run's gate (progress reports read it).
    pub fn gate(&self) -> &crate::fetch::Gate {
        self.lookup.gate()
    }

    /// The result for one entry of the input.
    pub async fn audit(&self, entry: &Entry) -> AuditResult {
        match entry {
            Entry::Invalid(line) => invalid(line),
            Entry::Name(item) => self.audit_item(item).await,
        }
    }

    /// Looks `item` up and judges its answer: what `check` reduces to an
    /// [`AuditResult`] and `show` prints whole.
    pub async fn judge(&self, item: &InputItem) -> Result<Judged, LookupError> {
        let answer = self.lookup.lookup(&item.name).await?;
        let policy = self
            .policies
            .resolve(item.name.tld(), answer.record.registrar.as_ref());
        let audit =
            reconcile::Audit::for_item(item, &policy, &self.thresholds, self.as_of.instant());
        let mut assessment = reconcile::assess(&answer.record, &audit);
        let dns = match &self.dns {
            Some(client) => Some(client.ask(item.name.ascii()).await),
            None => None,
        };
        if let Some(Ok(report)) = &dns {
            reconcile::add_dns(&mut assessment, &answer.record, report, &audit);
        }
        Ok(Judged {
            answer,
            policy,
            assessment,
            dns,
        })
    }

    async fn audit_item(&self, item: &InputItem) -> AuditResult {
        let mut result = AuditResult::for_item(item, Outcome::Checked);
        let judged = match self.judge(item).await {
            Ok(judged) => judged,
            Err(error) => {
                let kind = if error.is_rate_limited() {
                    ErrorKind::RateLimited
                } else if error.is_retryable() {
                    ErrorKind::Unavailable
                } else {
                    ErrorKind::Failed
                };
                result.outcome = Outcome::Failed;
                result
                    .findings
                    .push(Finding::lookup_failed(error.to_string()));
                result.error = Some(ResultError {
                    kind,
                    message: error.to_string(),
                });
                return result;
            }
        };
        if let Some(note) = judged.dns_note() {
            result.notes.push(note);
        }
        let Judged {
            answer,
            policy,
            assessment,
            dns,
        } = judged;
        result.dns = dns.and_then(Result::ok);
        match &assessment.timeline {
            Some(timeline) => {
                let summary = summarise(timeline, &policy, self.as_of, &assessment.phases);
                result.phase = summary.phase;
                result.timeline = Some(summary);
            }
            None if answer.record.registered => result
                .notes
                .push("no timeline: the registry publishes no expiry date".to_owned()),
            None => result.phase = Some(Phase::Released),
        }
        result.findings = assessment.findings;
        result.record = Some(answer.record);
        result.asked = answer.asked;
        result
    }
}

/// A name looked up and judged.
#[derive(Debug)]
pub struct Judged {
    pub answer: Answer,
    /// The policy of its TLD and registrar.
    pub policy: ResolvedPolicy,
    /// Its findings, timeline and phase.
    pub assessment: Assessment,
    /// What DNS answered, when the auditor asks it.
    pub dns: Option<Result<DnsReport, DnsUnavailable>>,
}

impl Judged {
    /// The note a result gets when DNS was to be asked and could not be:
    /// no resolver, or no question answered. The registry's findings
    /// stand; the DNS ones are missing, not negative.
    pub fn dns_note(&self) -> Option<String> {
        match self.dns.as_ref()? {
            Err(unavailable) => Some(unavailable.to_string()),
            Ok(report) if report.unasked() => {
                let outcomes: Vec<&str> = report
                    .answers
                    .iter()
                    .map(|answer| answer.outcome.as_str())
                    .collect();
                Some(format!(
                    "DNS could not be asked: no question was answered ({}); the DNS findings \
                     are missing, the registry's stand",
                    outcomes.join(", ")
                ))
            }
            Ok(_) => None,
        }
    }
}

impl AuditResult {
    fn for_item(item: &InputItem, outcome: Outcome) -> AuditResult {
        let name = &item.name;
        AuditResult {
            domain: name.ascii().to_owned(),
            unicode: (name.unicode() != name.ascii()).then(|| name.unicode().to_owned()),
            input: InputSummary {
                lines: item.origins.clone(),
                tier: item.tier.clone(),
                registrar: item.registrar.clone(),
                expires: item.expires,
                intent: item.intent.unwrap_or_default(),
                tags: item.tags.clone(),
            },
            outcome,
            record: None,
            asked: Vec::new(),
            timeline: None,
            phase: None,
            findings: Vec::new(),
            error: None,
            notes: item.notes.clone(),
            dns: None,
        }
    }

    /// The result for an entry the run did not reach.
    pub fn not_checked(entry: &Entry) -> AuditResult {
        match entry {
            Entry::Invalid(line) => invalid(line),
            Entry::Name(item) => {
                let mut result = AuditResult::for_item(item, Outcome::NotChecked);
                result.error = Some(ResultError {
                    kind: ErrorKind::NotChecked,
                    message: "not checked: the run was interrupted".to_owned(),
                });
                result
            }
        }
    }

    /// The first input line of the entry.
    pub fn first_origin(&self) -> Option<&Origin> {
        self.input.lines.first()
    }

    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|finding| finding.severity).max()
    }
}

fn invalid(line: &InvalidLine) -> AuditResult {
    AuditResult {
        domain: line.raw.clone(),
        unicode: None,
        input: InputSummary {
            lines: vec![line.origin.clone()],
            tier: None,
            registrar: None,
            expires: None,
            intent: Intent::default(),
            tags: Vec::new(),
        },
        outcome: Outcome::Invalid,
        record: None,
        asked: Vec::new(),
        timeline: None,
        phase: None,
        findings: vec![Finding::lookup_failed(format!(
            "not a domain name: {}",
            line.reason
        ))],
        error: Some(ResultError {
            kind: ErrorKind::InvalidInput,
            message: line.reason.clone(),
        }),
        notes: Vec::new(),
        dns: None,
    }
}

/// The summary of `timeline` under `policy` as of a date. `phases` are the
/// phases the audit settled on (statuses decide over dates); when empty,
/// the dates alone decide.
pub fn summarise(
    timeline: &Timeline,
    policy: &ResolvedPolicy,
    as_of: AsOf,
    phases: &[Phase],
) -> LifecycleSummary {
    let at = as_of.phase_on(timeline);
    let possible = if phases.is_empty() {
        at.phases.clone()
    } else {
        phases.to_vec()
    };
    LifecycleSummary {
        expiry_day: timeline.expiry_day(),
        days_left: (timeline.expiry_day() - at.day).num_days(),
        phase: match possible.as_slice() {
            [only] => Some(*only),
            _ => None,
        },
        possible,
        release: timeline.release(),
        phases: timeline.phases(),
        policy: policy.entries.clone(),
        confidence: policy.date_confidence(),
    }
}
