//! What every writer consumes: a whole run's [`Report`] (its [`Meta`] and
//! [`Counts`]) and the [`ReportContext`] of the run. A leaf below the
//! writers, so that each imports it from here and `report/mod.rs`, which
//! declares the writers, is imported by none of them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::audit::{AsOf, AuditResult, Outcome};
use crate::reconcile::{Severity, Thresholds};

/// A whole run: what was asked and what was found.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub meta: Meta,
    pub results: Vec<AuditResult>,
}

/// About the run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Meta {
    /// The domlife version that wrote the report.
    pub version: String,
    pub as_of: AsOf,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
    /// False when the run was interrupted.
    pub complete: bool,
    pub counts: Counts,
    /// Which part of a list a sharded run (`check --shard K/N`) audited;
    /// absent from the report of a whole list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardInfo>,
}

/// The part of a list a sharded run audited, and which list it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardInfo {
    /// This shard, from 1.
    pub k: u32,
    /// How many shards the list was split into.
    pub n: u32,
    /// The SHA-256 of the lists' bytes, one after the other.
    pub list_sha256: String,
    /// The lists, in order, as results name them: `merge` puts results
    /// back in the order of an unsharded run with them.
    pub lists: Vec<String>,
}

/// The first line of a sharded ndjson report, before its results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StreamMeta {
    /// The domlife version that wrote the report.
    pub version: String,
    pub as_of: AsOf,
    pub started: DateTime<Utc>,
    pub shard: ShardInfo,
}

/// Names by outcome and findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub names: usize,
    pub checked: usize,
    pub failed: usize,
    pub invalid: usize,
    pub not_checked: usize,
    pub error: usize,
    pub warning: usize,
    pub notice: usize,
}

impl Counts {
    pub fn of(results: &[AuditResult]) -> Counts {
        let mut counts = Counts {
            names: results.len(),
            ..Counts::default()
        };
        for result in results {
            match result.outcome {
                Outcome::Checked => counts.checked += 1,
                Outcome::Failed => counts.failed += 1,
                Outcome::Invalid => counts.invalid += 1,
                Outcome::NotChecked => counts.not_checked += 1,
            }
            for finding in &result.findings {
                match finding.severity {
                    Severity::Error => counts.error += 1,
                    Severity::Warning => counts.warning += 1,
                    Severity::Notice => counts.notice += 1,
                }
            }
        }
        counts
    }
}

/// What the writers need to know about the run besides its results.
#[derive(Debug, Clone)]
pub struct ReportContext {
    /// False for an interrupted run.
    pub complete: bool,
    /// The least severe finding that fails the run (`--fail-on`); `None`
    /// when findings never fail it. JUnit turns these into failures.
    pub fail_threshold: Option<Severity>,
    /// The `expiring` windows per tier; the calendar's reminders use them.
    pub thresholds: Thresholds,
    /// The instant the audit is made for (days left are counted from it).
    pub as_of: DateTime<Utc>,
    /// When the report is written (the calendar's DTSTAMP, JUnit's timestamp).
    pub generated: DateTime<Utc>,
    /// Colour the table (the caller decides from `--color` and `NO_COLOR`).
    pub color: bool,
}

impl ReportContext {
    /// True when `severity` is at or above the `--fail-on` threshold.
    pub fn fails(&self, severity: Severity) -> bool {
        self.fail_threshold
            .is_some_and(|threshold| severity >= threshold)
    }
}
