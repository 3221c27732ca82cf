//! [`TimelineReport`]: a timeline with the policy behind it and where the
//! name stands on a day, in the form `domlife timeline --format json`
//! prints. One shape for the single form, each row of `timeline --csv` and
//! `show`, so that they never drift apart.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::value::RawValue;

use super::policy::Confidence;
use super::resolved::ResolvedPolicy;
use super::timeline::{Phase, PhaseAt, Timeline};

/// The JSON form of a timeline with its policy: what `domlife timeline
/// --format json` prints, one row of `timeline --csv`, part of `show`.
///
/// `P` is how the policy is written: the policy itself, or its JSON already
/// written once for many rows of one TLD and registrar ([`RawValue`]).
#[derive(Debug, Serialize)]
pub struct TimelineReport<'a, P = &'a ResolvedPolicy> {
    domain: String,
    tld: &'a str,
    #[serde(flatten)]
    timeline: &'a Timeline,
    as_of: AsOf,
    policy: P,
    /// The weakest confidence among the figures the dates depend on.
    confidence: Confidence,
}

#[derive(Debug, Serialize)]
struct AsOf {
    day: NaiveDate,
    /// The phase, or null when the day lies inside a boundary window.
    phase: Option<Phase>,
    /// Every phase the name can be in on that day.
    possible: Vec<Phase>,
}

impl<'a> TimelineReport<'a> {
    pub fn new(
        domain: String,
        tld: &'a str,
        timeline: &'a Timeline,
        phase_at: &PhaseAt,
        policy: &'a ResolvedPolicy,
    ) -> TimelineReport<'a> {
        TimelineReport {
            domain,
            tld,
            timeline,
            as_of: AsOf::from(phase_at),
            policy,
            confidence: policy.date_confidence(),
        }
    }

    /// The same report with the policy written as `json` (which must be the
    /// JSON of this report's policy).
    pub fn with_policy_json(self, json: &RawValue) -> TimelineReport<'a, &RawValue> {
        TimelineReport {
            domain: self.domain,
            tld: self.tld,
            timeline: self.timeline,
            as_of: self.as_of,
            policy: json,
            confidence: self.confidence,
        }
    }

    /// The name as the user wrote it, lower case.
    pub fn domain(&self) -> &str {
        &self.domain
    }

    pub fn timeline(&self) -> &'a Timeline {
        self.timeline
    }

    pub fn policy(&self) -> &'a ResolvedPolicy {
        self.policy
    }

    /// The weakest confidence among the figures the dates depend on.
    pub fn confidence(&self) -> Confidence {
        self.confidence
    }
}

impl From<&PhaseAt> for AsOf {
    fn from(at: &PhaseAt) -> AsOf {
        AsOf {
            day: at.day,
            phase: at.certain(),
            possible: at.phases.clone(),
        }
    }
}
