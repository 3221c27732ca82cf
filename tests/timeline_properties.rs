//! Property tests of the timeline over random expiries, random stage
//! lengths (zero, fixed and ranges) and random registry-stated dates:
//! phases are ordered and contiguous, windows never empty, and every day
//! falls in exactly one phase or is reported as lying in a boundary window.

use chrono::{Days, NaiveDate, Offset, Utc};
use domlife::lifecycle::{DayRange, Expiry, Phase, PhaseSpan, StageLengths, Timeline, Window};
use proptest::prelude::*;

fn day_range() -> impl Strategy<Value = DayRange> {
    prop_oneof![
        Just(DayRange::NONE),
        (0u32..120).prop_map(|days| DayRange::exactly(days).unwrap_or(DayRange::NONE)),
        (0u32..120, 0u32..120)
            .prop_map(|(a, b)| DayRange::new(a.min(b), a.max(b)).unwrap_or(DayRange::NONE)),
    ]
}

fn lengths() -> impl Strategy<Value = StageLengths> {
    (day_range(), day_range(), day_range()).prop_map(|(grace, redemption, pending_delete)| {
        StageLengths {
            grace,
            redemption,
            pending_delete,
        }
    })
}

fn expiry_day() -> impl Strategy<Value = NaiveDate> {
    (0u64..(365 * 100)).prop_map(|offset| {
        NaiveDate::from_ymd_opt(2000, 1, 1)
            .and_then(|start| start.checked_add_days(Days::new(offset)))
            .unwrap_or(NaiveDate::MIN)
    })
}

fn plus(day: NaiveDate, days: i64) -> NaiveDate {
    day.checked_add_signed(chrono::Duration::days(days))
        .unwrap_or(day)
}

/// A timeline, possibly narrowed by a stated deletion and/or release
/// (offsets from the expiry day; pins in an impossible order are skipped).
fn timeline() -> impl Strategy<Value = Timeline> {
    (
        expiry_day(),
        lengths(),
        proptest::option::of(1i64..200),
        proptest::option::of(1i64..400),
    )
        .prop_filter_map(
            "pins out of order",
            |(expiry, lengths, deletion, release)| {
                let mut timeline = Timeline::new(Expiry::Day(expiry), Utc.fix(), lengths).ok()?;
                if let Some(offset) = deletion {
                    timeline = timeline.with_deletion(plus(expiry, offset)).ok()?;
                }
                if let Some(offset) = release {
                    timeline = timeline.with_release(plus(expiry, offset)).ok()?;
                }
                Some(timeline)
            },
        )
}

fn windows(span: &PhaseSpan) -> Vec<Window> {
    span.start.into_iter().chain(span.end).collect()
}

/// The days on which `span` is the only possible phase, if any.
fn certain_range(span: &PhaseSpan) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    if span.may_be_skipped {
        return None;
    }
    Some((span.start.map(|w| w.latest), span.end.map(|w| w.earliest)))
}

proptest! {
    #[test]
    fn windows_are_never_empty(timeline in timeline()) {
        for span in timeline.phases() {
            for window in windows(&span) {
                prop_assert!(window.earliest <= window.latest, "{span:?}");
            }
            if let (Some(start), Some(end)) = (span.start, span.end) {
                prop_assert!(start.earliest <= end.latest, "{span:?}");
                prop_assert!(start.earliest <= end.earliest, "{span:?}");
            }
            if let Some(days) = span.days {
                prop_assert!(days.max() >= 1, "zero-length phase listed: {span:?}");
            }
        }
        prop_assert!(timeline.release().earliest <= timeline.release().latest);
    }

    #[test]
    fn phases_are_ordered_and_contiguous(timeline in timeline()) {
        let phases = timeline.phases();
        prop_assert_eq!(phases.first().map(|s| s.phase), Some(Phase::Active));
        prop_assert_eq!(phases.first().and_then(|s| s.end), Some(Window::exact(timeline.expiry_day())));
        prop_assert_eq!(phases.last().map(|s| s.phase), Some(Phase::Released));
        prop_assert_eq!(phases.last().and_then(|s| s.start), Some(timeline.release()));
        for pair in phases.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            prop_assert!(before.phase < after.phase, "{pair:?}");
            let (Some(end), Some(start)) = (before.end, after.start) else {
                return Err(TestCaseError::fail(format!("open boundary inside: {pair:?}")));
            };
            prop_assert_eq!(plus(end.latest, 1), start.latest, "{:?}", pair);
            if before.may_be_skipped {
                prop_assert!(plus(end.earliest, 1) >= start.earliest, "{pair:?}");
            } else {
                prop_assert_eq!(plus(end.earliest, 1), start.earliest, "{:?}", pair);
            }
        }
    }

    #[test]
    fn every_day_is_in_one_phase_or_honestly_in_a_window(timeline in timeline(), offset in -5i64..900) {
        let day = plus(timeline.expiry_day(), offset);
        let at = timeline.phase_on(day);
        let phases = timeline.phases();
        prop_assert!(!at.phases.is_empty());
        // The possible phases are consecutive in the timeline.
        let positions: Vec<usize> = at
            .phases
            .iter()
            .filter_map(|phase| phases.iter().position(|span| span.phase == *phase))
            .collect();
        prop_assert_eq!(positions.len(), at.phases.len());
        prop_assert!(positions.windows(2).all(|pair| pair[1] == pair[0] + 1), "{at:?}");
        // A day inside a phase's certain range has that phase alone.
        for span in &phases {
            if let Some((from, to)) = certain_range(span) {
                let after_start = from.is_none_or(|from| from <= day);
                let before_end = to.is_none_or(|to| day <= to);
                if after_start && before_end {
                    prop_assert_eq!(at.certain(), Some(span.phase), "{:?} {:?}", span, at);
                }
            }
        }
        if day <= timeline.expiry_day() {
            prop_assert_eq!(at.certain(), Some(Phase::Active));
        }
        if day >= timeline.release().latest {
            prop_assert_eq!(at.certain(), Some(Phase::Released));
        }
    }

    #[test]
    fn fixed_lengths_give_one_release_day(expiry in expiry_day(), g in 0u32..200, r in 0u32..200, p in 0u32..200) {
        let fixed = |days| DayRange::exactly(days).unwrap_or(DayRange::NONE);
        let lengths = StageLengths { grace: fixed(g), redemption: fixed(r), pending_delete: fixed(p) };
        let timeline = Timeline::new(Expiry::Day(expiry), Utc.fix(), lengths);
        let expected = plus(expiry, i64::from(g + r + p + 1));
        prop_assert_eq!(timeline.map(|t| t.release()), Ok(Window::exact(expected)));
    }

    #[test]
    fn a_stated_release_is_the_release(expiry in expiry_day(), lengths in lengths(), offset in 1i64..400) {
        let stated = plus(expiry, offset);
        let timeline = Timeline::new(Expiry::Day(expiry), Utc.fix(), lengths).and_then(|t| t.with_release(stated));
        prop_assert_eq!(timeline.as_ref().map(|t| t.release()), Ok(Window::exact(stated)));
        let on_release = timeline.as_ref().ok().and_then(|t| t.phase_on(stated).certain());
        prop_assert_eq!(on_release, Some(Phase::Released));
        let day_before = timeline.ok().map(|t| t.phase_on(plus(stated, -1)).phases);
        prop_assert!(day_before.is_some_and(|phases| !phases.contains(&Phase::Released)));
    }

    #[test]
    fn a_stated_deletion_ends_the_grace(expiry in expiry_day(), lengths in lengths(), offset in 1i64..200) {
        let stated = plus(expiry, offset);
        let timeline = Timeline::new(Expiry::Day(expiry), Utc.fix(), lengths).and_then(|t| t.with_deletion(stated));
        let Ok(timeline) = timeline else {
            return Err(TestCaseError::fail("a deletion after expiry was refused"));
        };
        let on = timeline.phase_on(stated).phases;
        prop_assert!(!on.contains(&Phase::Grace) && !on.contains(&Phase::Active), "{on:?}");
        let before = timeline.phase_on(plus(stated, -1)).certain();
        let expected = if offset == 1 { Phase::Active } else { Phase::Grace };
        prop_assert_eq!(before, Some(expected));
    }
}
