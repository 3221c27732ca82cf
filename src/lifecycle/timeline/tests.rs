//! Unit tests of the day counting and of pinning; the property tests over
//! random policies are in tests/timeline_properties.rs.

use chrono::{FixedOffset, NaiveDate, Offset};
use rstest::rstest;

use super::*;

fn day(text: &str) -> NaiveDate {
    text.parse()
        .unwrap_or_else(|error| panic!("{text}: {error}"))
}

fn days(min: u32, max: u32) -> DayRange {
    DayRange::new(min, max).unwrap_or_else(|error| panic!("{min}-{max}: {error}"))
}

fn lengths(grace: DayRange, redemption: DayRange, pending_delete: DayRange) -> StageLengths {
    StageLengths {
        grace,
        redemption,
        pending_delete,
    }
}

fn utc() -> FixedOffset {
    Utc.fix()
}

fn article() -> Timeline {
    Timeline::new(
        Expiry::Day(day("2024-06-30")),
        utc(),
        lengths(days(30, 30), days(30, 30), days(5, 5)),
    )
    .unwrap_or_else(|error| panic!("{error}"))
}

fn span(timeline: &Timeline, phase: Phase) -> Option<PhaseSpan> {
    timeline
        .phases()
        .into_iter()
        .find(|span| span.phase == phase)
}

#[test]
fn the_worked_example_is_reproduced() {
    let timeline = article();
    let ends: Vec<(Phase, Option<Window>)> = timeline
        .phases()
        .iter()
        .map(|span| (span.phase, span.end))
        .collect();
    assert_eq!(
        ends,
        vec![
            (Phase::Active, Some(Window::exact(day("2024-06-30")))),
            (Phase::Grace, Some(Window::exact(day("2024-07-30")))),
            (Phase::Redemption, Some(Window::exact(day("2024-08-29")))),
            (Phase::PendingDelete, Some(Window::exact(day("2024-09-03")))),
            (Phase::Released, None),
        ]
    );
    assert_eq!(timeline.release(), Window::exact(day("2024-09-04")));
    assert_eq!(
        span(&timeline, Phase::Grace).and_then(|s| s.start),
        Some(Window::exact(day("2024-07-01")))
    );
}

#[rstest]
#[case("2024-06-30", Phase::Active)]
#[case("2024-07-01", Phase::Grace)]
#[case("2024-07-30", Phase::Grace)]
#[case("2024-07-31", Phase::Redemption)]
#[case("2024-08-29", Phase::Redemption)]
#[case("2024-08-30", Phase::PendingDelete)]
#[case("2024-09-03", Phase::PendingDelete)]
#[case("2024-09-04", Phase::Released)]
fn each_day_of_the_worked_example_has_one_phase(#[case] on: &str, #[case] phase: Phase) {
    assert_eq!(article().phase_on(day(on)).certain(), Some(phase));
}

#[rstest]
#[case("2024-06-30T00:00:00Z", 0, "2024-06-30")]
#[case("2024-06-30T23:59:59Z", 0, "2024-06-30")]
#[case("2024-06-30T20:00:00Z", 8, "2024-07-01")]
#[case("2024-06-30T15:59:59Z", 8, "2024-06-30")]
#[case("2024-07-01T03:00:00Z", -5, "2024-06-30")]
fn an_instant_expires_on_its_day_in_the_registry_zone(
    #[case] instant: &str,
    #[case] hours: i32,
    #[case] expected: &str,
) {
    let zone = FixedOffset::east_opt(hours * 3600).unwrap_or(utc());
    let instant = instant.parse().unwrap_or(DateTime::<Utc>::MIN_UTC);
    let timeline = Timeline::new(
        Expiry::Instant(instant),
        zone,
        lengths(days(30, 30), days(30, 30), days(5, 5)),
    );
    assert_eq!(timeline.map(|t| t.expiry_day()), Ok(day(expected)));
}

#[test]
fn phase_at_an_instant_uses_the_registry_day() {
    let cnnic = FixedOffset::east_opt(8 * 3600).unwrap_or(utc());
    let timeline = Timeline::new(
        Expiry::Day(day("2024-06-30")),
        cnnic,
        lengths(days(30, 30), days(15, 15), DayRange::NONE),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let late_evening_utc = "2024-06-30T17:00:00Z"
        .parse()
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    assert_eq!(
        timeline.phase_at(late_evening_utc).certain(),
        Some(Phase::Grace)
    );
}

#[test]
fn zero_length_stages_are_left_out() {
    let cn = Timeline::new(
        Expiry::Day(day("2015-03-19")),
        utc(),
        lengths(days(35, 35), days(14, 14), DayRange::NONE),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let phases: Vec<Phase> = cn.phases().iter().map(|span| span.phase).collect();
    assert_eq!(
        phases,
        [
            Phase::Active,
            Phase::Grace,
            Phase::Redemption,
            Phase::Released
        ]
    );
    // The registry example: open again 2015-05-08.
    assert_eq!(cn.release(), Window::exact(day("2015-05-08")));

    let eu = Timeline::new(
        Expiry::Day(day("2024-06-30")),
        utc(),
        lengths(DayRange::NONE, days(40, 40), DayRange::NONE),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let phases: Vec<Phase> = eu.phases().iter().map(|span| span.phase).collect();
    assert_eq!(phases, [Phase::Active, Phase::Redemption, Phase::Released]);
    assert_eq!(eu.release(), Window::exact(day("2024-08-10")));
}

#[test]
fn a_grace_range_makes_every_later_boundary_a_window() {
    let gtld = Timeline::new(
        Expiry::Day(day("2024-06-30")),
        utc(),
        lengths(days(0, 45), days(30, 30), days(5, 5)),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let grace = span(&gtld, Phase::Grace);
    assert_eq!(grace.map(|s| s.may_be_skipped), Some(true));
    assert_eq!(
        grace.and_then(|s| s.end),
        Some(Window {
            earliest: day("2024-07-01"),
            latest: day("2024-08-14"),
        })
    );
    assert_eq!(
        gtld.release(),
        Window {
            earliest: day("2024-08-05"),
            latest: day("2024-09-19"),
        }
    );
    let on_boundary = gtld.phase_on(day("2024-07-01"));
    assert_eq!(on_boundary.phases, [Phase::Grace, Phase::Redemption]);
    assert_eq!(on_boundary.certain(), None);
    assert_eq!(on_boundary.describe(), "grace or redemption");
}

#[test]
fn a_stated_deletion_narrows_the_windows() {
    let gtld = Timeline::new(
        Expiry::Day(day("2024-06-30")),
        utc(),
        lengths(days(0, 45), days(30, 30), days(5, 5)),
    )
    .and_then(|t| t.with_deletion(day("2024-07-31")))
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(gtld.release(), Window::exact(day("2024-09-04")));
    assert!(gtld.disagreements().is_empty());
    assert_eq!(
        gtld.phase_on(day("2024-07-30")).certain(),
        Some(Phase::Grace)
    );
    assert_eq!(
        gtld.phase_on(day("2024-07-31")).certain(),
        Some(Phase::Redemption)
    );
}

#[test]
fn a_deletion_the_policy_does_not_allow_wins_and_is_reported() {
    let timeline = article()
        .with_deletion(day("2024-07-10"))
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(timeline.release(), Window::exact(day("2024-08-14")));
    assert_eq!(
        timeline.disagreements(),
        [Disagreement {
            boundary: Boundary::Deletion,
            stated: day("2024-07-10"),
            computed: Window::exact(day("2024-07-31")),
        }]
    );
}

#[test]
fn a_deletion_before_expiry_is_refused() {
    let error = article().with_deletion(day("2024-06-30"));
    assert!(matches!(
        error,
        Err(TimelineError::OutOfOrder {
            boundary: Boundary::Deletion,
            ..
        })
    ));
}

#[test]
fn a_stated_release_narrows_the_earlier_boundaries() {
    let gtld = Timeline::new(
        Expiry::Day(day("2024-06-30")),
        utc(),
        lengths(days(0, 45), days(30, 30), days(5, 5)),
    )
    .and_then(|t| t.with_release(day("2024-09-04")))
    .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        span(&gtld, Phase::Redemption).and_then(|s| s.start),
        Some(Window::exact(day("2024-07-31")))
    );
    assert_eq!(
        span(&gtld, Phase::Grace).and_then(|s| s.days),
        Some(days(30, 30))
    );
    assert!(gtld.disagreements().is_empty());
}

#[test]
fn a_release_outside_the_window_wins_and_frees_the_stage_lengths() {
    let timeline = article()
        .with_release(day("2024-10-01"))
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(timeline.release(), Window::exact(day("2024-10-01")));
    assert_eq!(timeline.disagreements().len(), 1);
    assert_eq!(timeline.phase_on(day("2024-09-30")).certain(), None);
    assert_eq!(
        timeline.phase_on(day("2024-10-01")).certain(),
        Some(Phase::Released)
    );
    assert_eq!(
        timeline.phase_on(day("2024-06-30")).certain(),
        Some(Phase::Active)
    );
}

#[test]
fn a_release_before_a_stated_deletion_is_refused() {
    let pinned = article().with_deletion(day("2024-07-31"));
    let error = pinned.and_then(|t| t.with_release(day("2024-07-20")));
    assert!(matches!(
        error,
        Err(TimelineError::OutOfOrder {
            boundary: Boundary::Release,
            ..
        })
    ));
}

#[test]
fn dates_past_the_calendar_are_an_error() {
    let result = Timeline::new(
        Expiry::Day(NaiveDate::MAX),
        utc(),
        lengths(days(30, 30), days(30, 30), days(5, 5)),
    );
    assert!(matches!(result, Err(TimelineError::OutOfRange { .. })));
}
