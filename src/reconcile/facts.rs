//! What a record establishes before any rule runs: the real deadline (which
//! expiry counts), whether the registry auto-renewed without the registrar,
//! the deletion stage the statuses show, and the timeline narrowed to the
//! dates the registry publishes. The rule modules only read these facts, so
//! every rule sees the same deadline and the same timeline.

use chrono::{DateTime, Days, FixedOffset, Months, NaiveDate, TimeDelta, Utc};

use super::audit::Audit;
use super::finding::DateRole;
use crate::lifecycle::timeline::Boundary;
use crate::lifecycle::{
    DayRange, Expiry, Phase, PhaseAt, PhaseSpan, StageLengths, Timeline, TimelineError,
};
use crate::record::Record;
use crate::status::Status;

/// Registries run their lifecycle in daily batches: a state one day late is
/// not yet impossible.
pub(super) const SLACK_DAYS: i64 = 1;

/// Where the expiry that decides the deadline comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DeadlineOrigin {
    /// The sponsoring registrar's own date.
    Registrar,
    /// The registry's date (no registrar date known).
    Registry,
    /// A year before the registry's date: the registry shows
    /// `autoRenewPeriod` and moved its date ahead, the registrar's is unknown.
    BeforeAutoRenew,
    /// The input's `expires` column: the registry publishes no expiry.
    Input,
}

impl DeadlineOrigin {
    pub(super) fn role(self) -> DateRole {
        match self {
            DeadlineOrigin::Registrar => DateRole::RegistrarExpiry,
            DeadlineOrigin::Registry => DateRole::RegistryExpiry,
            DeadlineOrigin::BeforeAutoRenew => DateRole::LifecycleExpiry,
            DeadlineOrigin::Input => DateRole::InputExpiry,
        }
    }

    /// How a message names the date, e.g. "the registrar's expiry".
    pub(super) fn label(self) -> &'static str {
        match self {
            DeadlineOrigin::Registrar => "the registrar's expiry",
            DeadlineOrigin::Registry => "the registry's expiry",
            DeadlineOrigin::BeforeAutoRenew => "the expiry before the registry's auto-renewal",
            DeadlineOrigin::Input => "the input's expiry",
        }
    }
}

/// The expiry that decides what must be done, and where it comes from.
#[derive(Debug, Clone, Copy)]
pub(super) struct Deadline {
    pub expiry: DateTime<Utc>,
    pub origin: DeadlineOrigin,
}

/// The registry moved its date a year ahead while the registrar did not
/// renew.
#[derive(Debug, Clone, Copy)]
pub(super) struct AutoRenewal {
    pub registry_expiry: DateTime<Utc>,
    pub registrar_expiry: Option<DateTime<Utc>>,
}

/// The deletion stage the registry's statuses show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DeletionStage {
    /// `redemptionPeriod`, or `pendingDelete` alone where the policy has no
    /// separate pending-delete stage (CNNIC shows `pendingDelete` for its
    /// whole redemption).
    Redemption,
    /// `pendingRestore`: a restore was requested during redemption.
    PendingRestore,
    /// `pendingDelete` alone: the last, unrestorable days.
    PendingDelete,
}

/// A date the registry publishes that could not be laid on the timeline.
#[derive(Debug, Clone)]
pub(super) struct RejectedPin {
    pub role: DateRole,
    pub day: NaiveDate,
    pub reason: String,
}

pub(super) struct Facts<'a> {
    pub record: &'a Record,
    pub audit: &'a Audit<'a>,
    pub zone: FixedOffset,
    /// The as-of instant as a day of the registry's calendar.
    pub as_of_day: NaiveDate,
    pub deadline: Option<Deadline>,
    pub auto_renewal: Option<AutoRenewal>,
    /// From the deadline, narrowed to the registry's published dates.
    pub timeline: Option<Timeline>,
    pub rejected_pins: Vec<RejectedPin>,
    pub deletion: Option<DeletionStage>,
}

impl<'a> Facts<'a> {
    pub(super) fn establish(record: &'a Record, audit: &'a Audit<'a>) -> Facts<'a> {
        let zone = audit.policy.time_zone.value().offset();
        let as_of_day = audit.as_of.with_timezone(&zone).date_naive();
        let (deadline, auto_renewal) = deadline(record, audit);
        let mut facts = Facts {
            record,
            audit,
            zone,
            as_of_day,
            deadline,
            auto_renewal,
            timeline: None,
            rejected_pins: Vec::new(),
            deletion: deletion_stage(record, audit),
        };
        facts.timeline = facts.build_timeline();
        facts
    }

    /// The day of an instant in the registry's calendar.
    pub(super) fn day(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.zone).date_naive()
    }

    /// Whole days from the as-of day to `day` (negative when past).
    pub(super) fn days_until(&self, day: NaiveDate) -> i64 {
        (day - self.as_of_day).num_days()
    }

    /// True when the registry reports statuses in the EPP/RDAP vocabulary,
    /// so that the absence of a lifecycle status means something.
    pub(super) fn status_informed(&self) -> bool {
        self.record
            .statuses
            .iter()
            .any(|status| !matches!(status, Status::Other(_)))
    }

    /// The phases the timeline allows on the as-of day.
    pub(super) fn phase_now(&self) -> Option<PhaseAt> {
        self.timeline
            .as_ref()
            .map(|timeline| timeline.phase_on(self.as_of_day))
    }

    /// The timeline's span of `phase`, when it has one.
    pub(super) fn span(&self, phase: Phase) -> Option<PhaseSpan> {
        self.timeline
            .as_ref()?
            .phases()
            .into_iter()
            .find(|span| span.phase == phase)
    }

    /// The lifecycle statuses the registry shows, for evidence.
    pub(super) fn lifecycle_statuses(&self) -> Vec<Status> {
        self.record
            .statuses
            .iter()
            .filter(|status| {
                matches!(
                    status,
                    Status::PendingDelete
                        | Status::RedemptionPeriod
                        | Status::PendingRestore
                        | Status::AutoRenewPeriod
                )
            })
            .cloned()
            .collect()
    }

    fn build_timeline(&mut self) -> Option<Timeline> {
        let policy = self.audit.policy;
        let deletion = self.record.registry_dates.deletion.map(|at| self.day(at));
        let mut timeline = match (self.deadline, deletion) {
            (Some(deadline), _) => Timeline::for_policy(Expiry::Instant(deadline.expiry), policy)
                .ok()
                .map(|timeline| self.pin_deletion(timeline, deletion)),
            // No expiry at all (.nl, .eu in quarantine): the deletion date
            // the registry states is enough to place the stages after it.
            (None, Some(day)) => self.deleted_on(day),
            (None, None) => None,
        }?;
        if let Some(release) = self.record.registry_dates.release {
            let day = self.day(release);
            match timeline.with_release(day) {
                Ok(narrowed) => timeline = narrowed,
                Err(error) => self.reject(DateRole::RegistryRelease, day, &error),
            }
        }
        Some(timeline)
    }

    fn pin_deletion(&mut self, timeline: Timeline, deletion: Option<NaiveDate>) -> Timeline {
        let Some(day) = deletion else {
            return timeline;
        };
        match timeline.with_deletion(day) {
            Ok(narrowed) => narrowed,
            // Deleted before its expiry (on request): it skipped grace.
            Err(TimelineError::OutOfOrder {
                boundary: Boundary::Deletion,
                ..
            }) => self.deleted_on(day).unwrap_or(timeline),
            Err(error) => {
                self.reject(DateRole::RegistryDeletion, day, &error);
                timeline
            }
        }
    }

    /// The stages after a deletion on `day`, with no grace before it.
    fn deleted_on(&self, day: NaiveDate) -> Option<Timeline> {
        let lengths = StageLengths {
            grace: DayRange::NONE,
            ..StageLengths::of_policy(self.audit.policy)
        };
        let last_active = day.checked_sub_days(Days::new(1))?;
        Timeline::new(Expiry::Day(last_active), self.zone, lengths).ok()
    }

    fn reject(&mut self, role: DateRole, day: NaiveDate, error: &TimelineError) {
        self.rejected_pins.push(RejectedPin {
            role,
            day,
            reason: error.to_string(),
        });
    }
}

/// The deadline and, when the registry auto-renewed without the registrar,
/// the evidence of it.
fn deadline(record: &Record, audit: &Audit) -> (Option<Deadline>, Option<AutoRenewal>) {
    let as_of = audit.as_of;
    let shows_auto_renew = record.has_status(&Status::AutoRenewPeriod);
    let deadline = |expiry, origin| Some(Deadline { expiry, origin });
    match (record.expires, record.registrar_expires) {
        (Some(registry), Some(registrar))
            if registrar < as_of && (shows_auto_renew || a_year_apart(registry, registrar)) =>
        {
            let renewal = AutoRenewal {
                registry_expiry: registry,
                registrar_expiry: Some(registrar),
            };
            (
                deadline(registrar, DeadlineOrigin::Registrar),
                Some(renewal),
            )
        }
        (Some(registry), None) if shows_auto_renew => {
            match registry.checked_sub_months(Months::new(12)) {
                // A date still more than a year ahead was renewed on top
                // of the auto-renewal: that is a renewal. A date already
                // past was not moved at all: registries without a gTLD
                // auto-renewal (.fi "Grace Period", .it "GRACE-PERIOD", .rs
                // "Expired") show their post-expiry grace this way, with
                // the expiry that lapsed.
                Some(before) if before <= as_of && registry >= as_of => {
                    let renewal = AutoRenewal {
                        registry_expiry: registry,
                        registrar_expiry: None,
                    };
                    (
                        deadline(before, DeadlineOrigin::BeforeAutoRenew),
                        Some(renewal),
                    )
                }
                _ => (deadline(registry, DeadlineOrigin::Registry), None),
            }
        }
        (_, Some(registrar)) => (deadline(registrar, DeadlineOrigin::Registrar), None),
        (Some(registry), None) => (deadline(registry, DeadlineOrigin::Registry), None),
        (None, None) => (
            audit
                .input_expiry
                .and_then(|expiry| deadline(expiry, DeadlineOrigin::Input)),
            None,
        ),
    }
}

/// True when `later` is one year after `earlier`, give or take two days
/// (registry and registrar times of day differ; leap days).
pub(super) fn a_year_apart(later: DateTime<Utc>, earlier: DateTime<Utc>) -> bool {
    earlier
        .checked_add_months(Months::new(12))
        .is_some_and(|year_on| (later - year_on).abs() <= TimeDelta::days(2))
}

fn deletion_stage(record: &Record, audit: &Audit) -> Option<DeletionStage> {
    if record.has_status(&Status::RedemptionPeriod) {
        Some(DeletionStage::Redemption)
    } else if record.has_status(&Status::PendingRestore) {
        Some(DeletionStage::PendingRestore)
    } else if record.has_status(&Status::PendingDelete) {
        if audit.policy.pending_delete.value().max() == 0 {
            Some(DeletionStage::Redemption)
        } else {
            Some(DeletionStage::PendingDelete)
        }
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::lifecycle::PolicyTable;
    use crate::record::{Protocol, Role, Source};

    fn day(year: i32, month: u32, day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(year, month, day, 12, 0, 0)
            .single()
            .unwrap()
    }

    fn auto_renew_record(expires: DateTime<Utc>) -> Record {
        let mut record = Record::new(
            "example.it",
            Source {
                protocol: Protocol::Whois,
                server: None,
                url: None,
                role: Role::Registry,
            },
        );
        record.expires = Some(expires);
        record.push_status(Status::AutoRenewPeriod);
        record
    }

    /// An expiry moved a year ahead is not the deadline; one already past
    /// was not moved (a ccTLD's "grace period" word), and is.
    #[test]
    fn auto_renew_period_moves_the_deadline_only_when_the_expiry_is_ahead() {
        let Ok(table) = PolicyTable::builtin() else {
            panic!("built-in policy table")
        };
        let policy = table.resolve("it", None);
        let audit = Audit::new(&policy, day(2011, 2, 13));

        let moved = auto_renew_record(day(2012, 2, 11));
        let (moved_deadline, renewal) = deadline(&moved, &audit);
        assert_eq!(
            moved_deadline.map(|d| d.origin),
            Some(DeadlineOrigin::BeforeAutoRenew)
        );
        assert_eq!(moved_deadline.map(|d| d.expiry), Some(day(2011, 2, 11)));
        assert!(renewal.is_some());

        let lapsed = auto_renew_record(day(2011, 2, 11));
        let (lapsed_deadline, renewal) = deadline(&lapsed, &audit);
        assert_eq!(
            lapsed_deadline.map(|d| d.origin),
            Some(DeadlineOrigin::Registry)
        );
        assert_eq!(lapsed_deadline.map(|d| d.expiry), Some(day(2011, 2, 11)));
        assert!(renewal.is_none());
    }
}
