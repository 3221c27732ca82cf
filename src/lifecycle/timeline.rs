//! [`Timeline`]: where a registration stands on each day after its expiry,
//! computed from the expiry and the stage lengths of a policy.
//!
//! # Day counting
//!
//! Everything is counted in whole calendar days of the registry's zone (the
//! policy's `time_zone`; UTC where unknown). Let D be the expiry day: the
//! date of the expiry instant in that zone, or the date itself when only a
//! date is known. Then:
//!
//! - D is the last `active` day;
//! - each stage that follows has exactly its number of days, starting the day
//!   after the previous one ends: grace G days (D+1 ..= D+G), redemption R
//!   days, pending delete P days;
//! - the name is `released` from the day after the last stage,
//!   D+G+R+P+1.
//!
//! This reproduces the worked example the project started from: expiry
//! 2024-06-30 with G=30, R=30, P=5 gives grace 07-01..07-30, redemption
//! 07-31..08-29, pending delete 08-30..09-03, released from 09-04. A time of
//! day never shifts a boundary by hours: 2024-06-30T23:59:59Z and
//! 2024-06-30T00:00:00Z (for a UTC registry) give the same timeline, while
//! 2024-06-30T20:00:00Z is 2024-07-01 for CNNIC (+08:00) and so expires a
//! day later there.
//!
//! A stage length may be a range (a gTLD registrar deletes on any day up to
//! D+45): every boundary after it is then a [`Window`] `[earliest, latest]`.
//! A stage whose length is 0 (.cn has no pending delete, .eu no grace) is
//! left out; one whose length can be 0 or more is kept and marked
//! `may_be_skipped`.
//!
//! # Pinning
//!
//! A registry can state a boundary outright (a deletion date, a release
//! date). [`Timeline::with_deletion`] and [`Timeline::with_release`] narrow
//! the timeline to it. The stated date always wins; where it lies outside
//! the window the policy allows, the timeline keeps a [`Disagreement`] (the
//! audit reports it), and the stages between the last known boundary and
//! the stated one are no longer assumed to have the policy's lengths.

use std::fmt;

use chrono::{DateTime, Days, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::policy::DayRange;
use super::resolved::{ResolvedPolicy, Stage};

/// The phases of a registration's life around its expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Active,
    Grace,
    Redemption,
    PendingDelete,
    Released,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Active => "active",
            Phase::Grace => "grace",
            Phase::Redemption => "redemption",
            Phase::PendingDelete => "pending_delete",
            Phase::Released => "released",
        }
    }

    fn of_stage(stage: Stage) -> Phase {
        match stage {
            Stage::Grace => Phase::Grace,
            Stage::Redemption => Phase::Redemption,
            Stage::PendingDelete => Phase::PendingDelete,
        }
    }
}

/// A day that is known to lie in `earliest..=latest` (never empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Window {
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
}

impl fmt::Display for Window {
    /// `2024-09-04`, or `2024-09-04 .. 2024-09-19` for a window.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_exact() {
            write!(f, "{}", self.earliest)
        } else {
            write!(f, "{} .. {}", self.earliest, self.latest)
        }
    }
}

impl Window {
    pub fn exact(day: NaiveDate) -> Window {
        Window {
            earliest: day,
            latest: day,
        }
    }

    pub fn is_exact(&self) -> bool {
        self.earliest == self.latest
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.earliest <= day && day <= self.latest
    }
}

/// The expiry as known: an instant, or only its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Expiry {
    Instant(DateTime<Utc>),
    Day(NaiveDate),
}

/// The lengths of the three stages after expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StageLengths {
    pub grace: DayRange,
    pub redemption: DayRange,
    pub pending_delete: DayRange,
}

impl StageLengths {
    pub fn of_policy(policy: &ResolvedPolicy) -> StageLengths {
        StageLengths {
            grace: policy.grace.value(),
            redemption: policy.redemption.value(),
            pending_delete: policy.pending_delete.value(),
        }
    }
}

/// A boundary a registry can state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Boundary {
    /// The first day after the renewable grace (registry deletion).
    Deletion,
    /// The first day the name is free again.
    Release,
}

/// A stated boundary outside the window the policy allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub boundary: Boundary,
    pub stated: NaiveDate,
    pub computed: Window,
}

/// Why a timeline could not be built or narrowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimelineError {
    /// The dates run past the calendar's range: check the expiry date.
    #[error("dates after {from} are out of range")]
    OutOfRange { from: NaiveDate },
    /// A stated boundary comes before one it must follow: check the dates.
    #[error("{boundary:?} on {stated} cannot come before {not_before}")]
    OutOfOrder {
        boundary: Boundary,
        stated: NaiveDate,
        not_before: NaiveDate,
    },
}

/// One phase with its first and last day. `start` is `None` for `active`
/// (it began at registration), `end` is `None` for `released`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseSpan {
    pub phase: Phase,
    pub start: Option<Window>,
    pub end: Option<Window>,
    /// The length in days, for the stages after expiry.
    pub days: Option<DayRange>,
    /// True when the stage can also last 0 days (then `end` is the last day
    /// should it happen at all).
    pub may_be_skipped: bool,
}

/// The phase a name is in on one day: a single phase, or every phase it can
/// be in when the day falls inside a boundary window (in order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseAt {
    pub day: NaiveDate,
    pub phases: Vec<Phase>,
}

impl PhaseAt {
    /// The phase, when only one is possible.
    pub fn certain(&self) -> Option<Phase> {
        match self.phases.as_slice() {
            [phase] => Some(*phase),
            _ => None,
        }
    }

    /// "grace" or "grace or redemption".
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.phases.iter().map(|phase| phase.name()).collect();
        names.join(" or ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    stage: Stage,
    start: Window,
    days: DayRange,
}

/// The lifecycle of one registration after its expiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    expiry: Expiry,
    expiry_day: NaiveDate,
    zone: FixedOffset,
    lengths: StageLengths,
    deletion: Option<NaiveDate>,
    release_pin: Option<NaiveDate>,
    spans: Vec<Span>,
    release: Window,
    disagreements: Vec<Disagreement>,
}

impl Timeline {
    /// The timeline of a name expiring at `expiry`, counting days in `zone`.
    pub fn new(
        expiry: Expiry,
        zone: FixedOffset,
        lengths: StageLengths,
    ) -> Result<Timeline, TimelineError> {
        let expiry_day = match expiry {
            Expiry::Instant(instant) => instant.with_timezone(&zone).date_naive(),
            Expiry::Day(day) => day,
        };
        let mut timeline = Timeline {
            expiry,
            expiry_day,
            zone,
            lengths,
            deletion: None,
            release_pin: None,
            spans: Vec::new(),
            release: Window::exact(expiry_day),
            disagreements: Vec::new(),
        };
        timeline.compute()?;
        Ok(timeline)
    }

    /// The timeline under a resolved policy (its stage lengths and zone).
    pub fn for_policy(expiry: Expiry, policy: &ResolvedPolicy) -> Result<Timeline, TimelineError> {
        let zone = policy.time_zone.value().offset();
        Timeline::new(expiry, zone, StageLengths::of_policy(policy))
    }

    /// Narrowed to a registry-stated deletion: `day` is the first day after
    /// the renewable grace.
    pub fn with_deletion(&self, day: NaiveDate) -> Result<Timeline, TimelineError> {
        let mut narrowed = self.clone();
        narrowed.deletion = Some(day);
        narrowed.compute()?;
        Ok(narrowed)
    }

    /// Narrowed to a registry-stated release: `day` is the first free day.
    pub fn with_release(&self, day: NaiveDate) -> Result<Timeline, TimelineError> {
        let mut narrowed = self.clone();
        narrowed.release_pin = Some(day);
        narrowed.compute()?;
        Ok(narrowed)
    }

    pub fn expiry(&self) -> Expiry {
        self.expiry
    }

    /// The last active day, in the registry's zone.
    pub fn expiry_day(&self) -> NaiveDate {
        self.expiry_day
    }

    pub fn zone(&self) -> FixedOffset {
        self.zone
    }

    /// The first day the name is free again.
    pub fn release(&self) -> Window {
        self.release
    }

    /// Stated boundaries the policy did not allow for.
    pub fn disagreements(&self) -> &[Disagreement] {
        &self.disagreements
    }

    /// The phases in order; zero-length stages are not listed.
    pub fn phases(&self) -> Vec<PhaseSpan> {
        let mut phases = vec![PhaseSpan {
            phase: Phase::Active,
            start: None,
            end: Some(Window::exact(self.expiry_day)),
            days: None,
            may_be_skipped: false,
        }];
        for (index, span) in self.spans.iter().enumerate() {
            let next = self
                .spans
                .get(index + 1)
                .map_or(self.release, |next| next.start);
            // A span always has at least one possible day, so these stay in range.
            let latest = day_before(next.latest).unwrap_or(span.start.latest);
            let earliest = day_before(next.earliest)
                .unwrap_or(span.start.earliest)
                .max(span.start.earliest)
                .min(latest);
            phases.push(PhaseSpan {
                phase: Phase::of_stage(span.stage),
                start: Some(span.start),
                end: Some(Window { earliest, latest }),
                days: Some(span.days),
                may_be_skipped: span.days.min() == 0,
            });
        }
        phases.push(PhaseSpan {
            phase: Phase::Released,
            start: Some(self.release),
            end: None,
            days: None,
            may_be_skipped: false,
        });
        phases
    }

    /// The phase at an instant (read as a day in the registry's zone).
    pub fn phase_at(&self, instant: DateTime<Utc>) -> PhaseAt {
        self.phase_on(instant.with_timezone(&self.zone).date_naive())
    }

    /// The phase on a day of the registry's calendar.
    pub fn phase_on(&self, day: NaiveDate) -> PhaseAt {
        let phases = self
            .phases()
            .into_iter()
            .filter(|span| {
                let started = span.start.is_none_or(|start| start.earliest <= day);
                let not_ended = span.end.is_none_or(|end| day <= end.latest);
                started && not_ended
            })
            .map(|span| span.phase)
            .collect();
        PhaseAt { day, phases }
    }

    /// Rebuilds the spans from the expiry, the lengths and the pins.
    fn compute(&mut self) -> Result<(), TimelineError> {
        let from = self.expiry_day;
        let out_of_range = move || TimelineError::OutOfRange { from };
        let first = add_days(self.expiry_day, 1).ok_or_else(out_of_range)?;
        let policy = [
            (Stage::Grace, self.lengths.grace),
            (Stage::Redemption, self.lengths.redemption),
            (Stage::PendingDelete, self.lengths.pending_delete),
        ];
        let (plain, plain_release) = forward(first, &policy).ok_or_else(out_of_range)?;
        let mut stages = policy;
        let mut disagreements = Vec::new();
        // The last boundary known exactly, and how many stages precede it.
        let mut fixed = (first, 0);
        if let Some(deletion) = self.deletion {
            let computed = plain.get(1).map(|span| span.start).unwrap_or(plain_release);
            if deletion < first {
                return Err(TimelineError::OutOfOrder {
                    boundary: Boundary::Deletion,
                    stated: deletion,
                    not_before: first,
                });
            }
            if !computed.contains(deletion) {
                disagreements.push(Disagreement {
                    boundary: Boundary::Deletion,
                    stated: deletion,
                    computed,
                });
            }
            let grace = days_between(first, deletion).ok_or_else(out_of_range)?;
            stages[0].1 = grace;
            fixed = (deletion, 1);
        }
        let (_, release) = forward(first, &stages).ok_or_else(out_of_range)?;
        if let Some(stated) = self.release_pin {
            if stated < fixed.0 {
                return Err(TimelineError::OutOfOrder {
                    boundary: Boundary::Release,
                    stated,
                    not_before: fixed.0,
                });
            }
            if !release.contains(stated) {
                disagreements.push(Disagreement {
                    boundary: Boundary::Release,
                    stated,
                    computed: release,
                });
                // Which stage ran long or short is unknown: free the lengths
                // of the stages the policy has (of all, if it has none left).
                let open = days_between(fixed.0, stated).ok_or_else(out_of_range)?;
                let open = DayRange::new(0, open.max()).unwrap_or(open);
                let unpinned = &mut stages[fixed.1..];
                let any_real = unpinned.iter().any(|(_, days)| days.max() > 0);
                for stage in unpinned.iter_mut() {
                    if stage.1.max() > 0 || !any_real {
                        stage.1 = open;
                    }
                }
            }
        }
        let (mut spans, mut release) = forward(first, &stages).ok_or_else(out_of_range)?;
        if let Some(stated) = self.release_pin {
            release = Window::exact(stated);
            narrow(&mut spans, release);
        }
        spans.retain(|span| span.days.max() > 0);
        self.spans = spans;
        self.release = release;
        self.disagreements = disagreements;
        Ok(())
    }
}

/// Spans from `first` with the given lengths (zero-length ones included),
/// and the release window after them.
fn forward(first: NaiveDate, stages: &[(Stage, DayRange)]) -> Option<(Vec<Span>, Window)> {
    let mut cursor = Window::exact(first);
    let mut spans = Vec::with_capacity(stages.len());
    for &(stage, days) in stages {
        spans.push(Span {
            stage,
            start: cursor,
            days,
        });
        cursor = Window {
            earliest: add_days(cursor.earliest, days.min())?,
            latest: add_days(cursor.latest, days.max())?,
        };
    }
    Some((spans, cursor))
}

/// Narrows span windows and lengths to those that can still reach `release`.
/// On a chain of difference constraints a pass backwards from the release
/// and one forwards from the (fixed) first day leave exactly the reachable
/// days.
fn narrow(spans: &mut [Span], release: Window) {
    let mut next = release;
    for span in spans.iter_mut().rev() {
        if let (Some(earliest), Some(latest)) = (
            sub_days(next.earliest, span.days.max()),
            sub_days(next.latest, span.days.min()),
        ) {
            span.start.earliest = span.start.earliest.max(earliest);
            span.start.latest = span.start.latest.min(latest);
        }
        next = span.start;
    }
    for index in 1..spans.len() {
        let previous = spans[index - 1];
        let span = &mut spans[index];
        if let (Some(earliest), Some(latest)) = (
            add_days(previous.start.earliest, previous.days.min()),
            add_days(previous.start.latest, previous.days.max()),
        ) {
            span.start.earliest = span.start.earliest.max(earliest);
            span.start.latest = span.start.latest.min(latest);
        }
    }
    for index in 0..spans.len() {
        let next = spans.get(index + 1).map_or(release, |next| next.start);
        let span = &mut spans[index];
        let shortest = (next.earliest - span.start.latest).num_days().max(0);
        let longest = (next.latest - span.start.earliest).num_days().max(0);
        let min = u32::try_from(shortest)
            .unwrap_or(u32::MAX)
            .max(span.days.min());
        let max = u32::try_from(longest)
            .unwrap_or(u32::MAX)
            .min(span.days.max());
        span.days = DayRange::new(min.min(max), max).unwrap_or(span.days);
    }
}

fn add_days(day: NaiveDate, days: u32) -> Option<NaiveDate> {
    day.checked_add_days(Days::new(u64::from(days)))
}

fn sub_days(day: NaiveDate, days: u32) -> Option<NaiveDate> {
    day.checked_sub_days(Days::new(u64::from(days)))
}

fn day_before(day: NaiveDate) -> Option<NaiveDate> {
    sub_days(day, 1)
}

/// The exact length from `start` to the day before `end`.
fn days_between(start: NaiveDate, end: NaiveDate) -> Option<DayRange> {
    let days = u32::try_from((end - start).num_days()).ok()?;
    DayRange::exactly(days).ok()
}

/// The JSON form: expiry, zone, phases, release window, disagreements.
impl Serialize for Timeline {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            expires: Expiry,
            expiry_day: NaiveDate,
            time_zone: String,
            phases: Vec<PhaseSpan>,
            release: Window,
            disagreements: &'a [Disagreement],
        }
        View {
            expires: self.expiry,
            expiry_day: self.expiry_day,
            time_zone: self.zone.to_string(),
            phases: self.phases(),
            release: self.release,
            disagreements: &self.disagreements,
        }
        .serialize(serializer)
    }
}

#[cfg(test)]
mod tests;
