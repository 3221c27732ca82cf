//! One row of a timeline sheet, computed or refused.

use std::sync::Arc;

use serde_json::value::RawValue;

use crate::lifecycle::{PhaseAt, ResolvedPolicy, Timeline, TimelineReport};

/// A row of the sheet, by its physical line (the header is line 1).
#[derive(Debug, Clone)]
pub enum TimelineRow {
    Computed(Box<Computed>),
    /// The row could not be computed: its text and why.
    Refused {
        line: usize,
        input: String,
        error: String,
    },
}

/// A row's timeline and where the name stands on the audit day.
#[derive(Debug, Clone)]
pub struct Computed {
    pub line: usize,
    /// The name as written, lower case, no trailing dot (as the single form
    /// prints it).
    pub domain: String,
    /// Its TLD (A-label).
    pub tld: String,
    /// The `registrar` column, as written.
    pub registrar: Option<String>,
    pub timeline: Timeline,
    pub policy: Arc<ResolvedPolicy>,
    /// The policy's JSON, written once for every row that shares it.
    pub policy_json: Arc<RawValue>,
    pub phase_at: PhaseAt,
}

impl Computed {
    /// The row in the form `domlife timeline --format json` prints.
    pub fn report(&self) -> TimelineReport<'_> {
        TimelineReport::new(
            self.domain.clone(),
            &self.tld,
            &self.timeline,
            &self.phase_at,
            &self.policy,
        )
    }
}

impl TimelineRow {
    /// The row's physical line.
    pub fn line(&self) -> usize {
        match self {
            TimelineRow::Computed(computed) => computed.line,
            TimelineRow::Refused { line, .. } => *line,
        }
    }
}
