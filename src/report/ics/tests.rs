//! Tests of the calendar writer: read back with the `ical` crate's parser.

use std::io::BufReader;

use ical::parser::ical::component::{IcalCalendar, IcalEvent};

use super::*;
use crate::reconcile::{Severity, Threshold};
use crate::testutil;

fn text(results: &[AuditResult], context: &ReportContext) -> String {
    let mut out = Vec::new();
    write(&mut out, results, context).expect("writes to memory");
    String::from_utf8(out).expect("UTF-8")
}

fn parse(text: &str) -> IcalCalendar {
    let mut calendars = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = calendars
        .next()
        .expect("one calendar")
        .expect("a valid calendar");
    assert!(calendars.next().is_none(), "exactly one calendar");
    calendar
}

fn property<'a>(properties: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
    properties
        .iter()
        .find(|property| property.name == name)
        .and_then(|property| property.value.as_deref())
}

fn event<'a>(calendar: &'a IcalCalendar, uid: &str) -> &'a IcalEvent {
    calendar
        .events
        .iter()
        .find(|event| property(&event.properties, "UID") == Some(uid))
        .unwrap_or_else(|| panic!("no event {uid}"))
}

#[test]
fn events_for_names_with_a_lifecycle_and_stable_uids() {
    let calendar = parse(&text(
        &testutil::results(),
        &testutil::context(Some(Severity::Error)),
    ));
    let mut uids: Vec<&str> = calendar
        .events
        .iter()
        .filter_map(|event| property(&event.properties, "UID"))
        .collect();
    uids.sort_unstable();
    let mut unique = uids.clone();
    unique.dedup();
    assert_eq!(uids, unique, "UIDs are unique");
    let domains: Vec<&str> = uids
        .iter()
        .filter_map(|uid| uid.strip_suffix("@domlife"))
        .filter_map(|uid| uid.split_once('.').map(|(_, domain)| domain))
        .collect();
    assert!(
        domains
            .iter()
            .all(|domain| ["example.com", "held.org"].contains(domain))
    );
    assert!(uids.contains(&"expiry.example.com@domlife"));
    assert!(uids.contains(&"release.held.org@domlife"));

    let expiry = event(&calendar, "expiry.example.com@domlife");
    assert_eq!(property(&expiry.properties, "DTSTART"), Some("20250120"));
    assert_eq!(property(&expiry.properties, "DTEND"), Some("20250121"));
    assert_eq!(
        property(&expiry.properties, "DTSTAMP"),
        Some("20250101T063000Z")
    );
    let start = expiry
        .properties
        .iter()
        .find(|property| property.name == "DTSTART")
        .and_then(|property| property.params.clone())
        .unwrap_or_default();
    assert_eq!(start, [("VALUE".to_owned(), vec!["DATE".to_owned()])]);
}

#[test]
fn the_renew_by_event_carries_the_reminders() {
    let calendar = parse(&text(
        &testutil::results(),
        &testutil::context(Some(Severity::Error)),
    ));
    let renew = event(&calendar, "renew-by.example.com@domlife");
    let triggers: Vec<&str> = renew
        .alarms
        .iter()
        .filter_map(|alarm| property(&alarm.properties, "TRIGGER"))
        .collect();
    assert_eq!(triggers, ["-P30D", "-P7D"]);
    assert!(
        renew
            .alarms
            .iter()
            .all(|alarm| property(&alarm.properties, "ACTION") == Some("DISPLAY"))
    );
    // No other event reminds: one reminder per deadline is enough.
    let reminded = calendar
        .events
        .iter()
        .filter(|event| !event.alarms.is_empty())
        .count();
    assert_eq!(reminded, 2);

    let mut context = testutil::context(Some(Severity::Error));
    context.thresholds = context.thresholds.with_tier(
        "core",
        Threshold {
            warning_days: 60,
            error_days: 14,
        },
    );
    let calendar = parse(&text(&testutil::results(), &context));
    let renew = event(&calendar, "renew-by.example.com@domlife");
    let triggers: Vec<&str> = renew
        .alarms
        .iter()
        .filter_map(|alarm| property(&alarm.properties, "TRIGGER"))
        .collect();
    assert_eq!(triggers, ["-P60D", "-P14D"]);
}

#[test]
fn renew_by_is_the_expiry_where_grace_is_not_guaranteed() {
    let results = testutil::results();
    let lifecycle = results[0].timeline.as_ref().expect("a lifecycle");
    let grace = lifecycle
        .phases
        .iter()
        .find(|span| span.phase == Phase::Grace)
        .expect("gTLDs have a grace stage");
    let expected = if grace.may_be_skipped {
        lifecycle.expiry_day
    } else {
        grace.end.expect("grace ends").earliest
    };
    let calendar = parse(&text(&results, &testutil::context(None)));
    let renew = event(&calendar, "renew-by.example.com@domlife");
    assert_eq!(
        property(&renew.properties, "DTSTART"),
        Some(ical_date(expected).as_str())
    );
}

#[test]
fn lines_are_folded_crlf_and_text_round_trips() {
    let mut results = testutil::results();
    results.truncate(1);
    results[0].unicode =
        Some("bücher-und-zeitschriften-aus-aller-welt-für-alle-leser.example".to_owned());
    if let Some(registrar) = results[0]
        .record
        .as_mut()
        .and_then(|record| record.registrar.as_mut())
    {
        registrar.name =
            Some("Ärger; Registrar, GmbH\r\nzweite Zeile \\ ende — 日本語の登録業者".to_owned());
    }
    let text = text(&results, &testutil::context(None));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    for line in text.split_terminator("\r\n") {
        assert!(
            line.len() <= MAX_LINE_OCTETS,
            "{} octets: {line}",
            line.len()
        );
        assert!(!line.contains(['\r', '\n']), "bare line break in {line:?}");
    }
    assert!(text.contains("\r\n "), "long lines are folded");
    let calendar = parse(&text);
    let expiry = event(&calendar, "expiry.example.com@domlife");
    assert_eq!(
        property(&expiry.properties, "SUMMARY"),
        Some("bücher-und-zeitschriften-aus-aller-welt-für-alle-leser.example expires")
    );
    let description = property(&expiry.properties, "DESCRIPTION").unwrap_or_default();
    assert!(
        description.ends_with(
            "Registrar: Ärger\\; Registrar\\, GmbH\\nzweite Zeile \\\\ ende — 日本語の登録業者."
        ),
        "{description}"
    );
}

#[test]
fn a_name_to_drop_has_its_dates_but_no_renewal_reminder() {
    let mut results = testutil::results();
    results[0].input.intent = crate::input::Intent::Drop;
    let calendar = parse(&text(&results, &testutil::context(None)));
    let uids: Vec<&str> = calendar
        .events
        .iter()
        .filter_map(|event| property(&event.properties, "UID"))
        .filter(|uid| uid.ends_with(".example.com@domlife"))
        .collect();
    assert!(!uids.is_empty());
    assert!(!uids.contains(&"renew-by.example.com@domlife"), "{uids:?}");
    assert!(uids.contains(&"release.example.com@domlife"), "{uids:?}");
}

#[rstest::rstest]
#[case("a;b,c\\d", "a\\;b\\,c\\\\d")]
#[case("two\r\nlines", "two\\nlines")]
#[case("tab\there", "tab\\\\there")]
#[case("bell\u{7}\u{202e}", "bell\\\\u{7}\\\\u{202e}")]
fn text_is_escaped(#[case] raw: &str, #[case] escaped: &str) {
    assert_eq!(escape_text(raw), escaped);
}

/// Issue #13: an expiry in the year 10000 (or before year 1) makes no event
/// at all: each one it would give is skipped with a note, the other names'
/// events are written, and the calendar still reads.
#[rstest::rstest]
#[case(NaiveDate::from_ymd_opt(10_000, 3, 1))]
#[case(NaiveDate::from_ymd_opt(-5, 3, 1))]
#[case(NaiveDate::from_ymd_opt(9999, 12, 31))]
fn events_beyond_four_digit_years_are_skipped_with_a_note(#[case] day: Option<NaiveDate>) {
    let day = day.expect("a date chrono holds");
    let mut results = testutil::results();
    let extreme = results[0].timeline.as_mut().expect("a lifecycle");
    extreme.expiry_day = day;
    for span in &mut extreme.phases {
        for window in [&mut span.start, &mut span.end].into_iter().flatten() {
            window.earliest = day;
            window.latest = day;
        }
    }
    let text = text(&results, &testutil::context(None));
    let calendar = parse(&text);
    let uids: Vec<&str> = calendar
        .events
        .iter()
        .filter_map(|event| property(&event.properties, "UID"))
        .collect();
    assert!(
        uids.iter()
            .all(|uid| !uid.ends_with(".example.com@domlife")),
        "{uids:?}"
    );
    assert!(uids.contains(&"release.held.org@domlife"), "{uids:?}");
    for line in text.lines() {
        let Some(date) = line
            .strip_prefix("DTSTART;VALUE=DATE:")
            .or(line.strip_prefix("DTEND;VALUE=DATE:"))
        else {
            continue;
        };
        let date = date.trim_end();
        assert!(
            date.len() == 8 && date.bytes().all(|byte| byte.is_ascii_digit()),
            "{line}"
        );
    }
    let notes: Vec<&str> = calendar
        .properties
        .iter()
        .filter(|property| property.name == "X-DOMLIFE-NOTE")
        .filter_map(|property| property.value.as_deref())
        .collect();
    assert!(
        notes
            .iter()
            .any(|note| note.starts_with("expiry of example.com")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .all(|note| note.contains("example.com") && note.ends_with("not written")),
        "{notes:?}"
    );
}
