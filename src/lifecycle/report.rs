//! [`TimelineReport`]: a timeline with the policy behind it and where the
//! name stands on a day, in the form `domlife timeline --format json`
//! prints. One shape for the single form, each row of `timeline --csv` and
//! `show`, so that they never drift apart.

use chrono::NaiveDate;
use serde::Serialize;

use super::policy::Confidence;
use super::resolved::ResolvedPolicy;
use super::timeline::{Phase, PhaseAt, Timeline};

/// The JSON form of a timeline with its policy: what `domlife timeline
/// --format json` prints, one row of `timeline --csv`, part of `show`.
#[derive(Debug, Serialize)]
pub struct TimelineReport<'a> {
    domain: String,
    tld: &'a str,
    #[serde(flatten)]
    timeline: &'a Timeline,
    as_of: AsOf,
    policy: &'a ResolvedPolicy,
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
