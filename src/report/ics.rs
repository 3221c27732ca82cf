//! iCalendar (RFC 5545): the calendar people already use becomes the
//! reminder system. Per name whose expiry is known, all-day events for:
//!
//! - **renew by**: the last day a renewal is certain to be possible. That is
//!   the last day of the renewal grace where the policy guarantees one (the
//!   earliest day it can end, when registrars delete on different days), and
//!   the expiry day itself where the grace can be zero days long (a gTLD
//!   registrar may delete the day after expiry) or where there is none. It
//!   carries the reminders (`VALARM`), at the tier's warning and error
//!   thresholds (30 and 7 days by default). A name to drop has none;
//! - **expiry** (the registrar's date when it states one);
//! - **end of grace**, **end of redemption** (the last day to restore) and
//!   **release** (the first day anyone can register it), when the policy has
//!   those stages. A boundary known only as a window is placed on its
//!   earliest day, and the description gives the whole window.
//!
//! Each event's UID is the event kind and the domain (`renew-by.example.com
//! @domlife`), so importing a newer calendar updates the events instead of
//! adding copies. Lines are folded at 75 octets and end in CRLF; text is
//! escaped as RFC 5545 section 3.3.11 says. Written by hand rather than
//! with a calendar crate: the format is small, and the available writers
//! escape text only in some properties and do not drop a bare CR.
//!
//! iCalendar dates have four-digit years (RFC 5545 3.3.4), so an event
//! whose day or end (the day after) falls outside the years 1 to 9999 (a
//! registry's absurd expiry: chrono can represent it) is never written.
//! It is skipped and said so in an `X-DOMLIFE-NOTE` property of the
//! calendar, which calendar programs ignore and people can read.

use std::io::{self, Write};

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

use super::model::ReportContext;
use crate::audit::{AuditResult, LifecycleSummary};
use crate::escape::printable_lines;
use crate::input::Intent;
use crate::lifecycle::{Phase, PhaseSpan, Window};
use crate::reconcile::finding::window_text;

/// The longest content line, in octets, before folding (RFC 5545 3.1).
const MAX_LINE_OCTETS: usize = 75;

pub(super) fn write(
    out: &mut impl Write,
    results: &[AuditResult],
    context: &ReportContext,
) -> io::Result<()> {
    let mut calendar = Calendar::default();
    calendar.line("BEGIN:VCALENDAR");
    calendar.line("VERSION:2.0");
    calendar.line(&format!(
        "PRODID:-//domlife//domlife {}//EN",
        env!("CARGO_PKG_VERSION")
    ));
    calendar.line("CALSCALE:GREGORIAN");
    calendar.line("METHOD:PUBLISH");
    calendar.line("X-WR-CALNAME:domlife: domain renewals");
    // Calendar properties come before the events: the skipped ones are
    // found first.
    let (writable, skipped): (Vec<DayEvent>, Vec<DayEvent>) = results
        .iter()
        .flat_map(|result| events(result, context))
        .partition(DayEvent::is_writable);
    for event in &skipped {
        calendar.line(&format!(
            "X-DOMLIFE-NOTE:{}",
            escape_text(&format!(
                "{} of {} ({}) is outside the years 1 to 9999 iCalendar can write: not written",
                event.kind, event.domain, event.day
            ))
        ));
    }
    for event in &writable {
        calendar.event(event, context.generated);
    }
    calendar.line("END:VCALENDAR");
    out.write_all(calendar.text.as_bytes())
}

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DayEvent {
    kind: &'static str,
    domain: String,
    day: NaiveDate,
    summary: String,
    description: String,
    /// Reminders, in days before the day.
    alarms: Vec<u32>,
}

impl DayEvent {
    /// Whether the day and the day after (the end) have four-digit years.
    fn is_writable(&self) -> bool {
        let years = 1..=9999;
        years.contains(&self.day.year())
            && self
                .day
                .checked_add_days(Days::new(1))
                .is_some_and(|end| years.contains(&end.year()))
    }
}

fn events(result: &AuditResult, context: &ReportContext) -> Vec<DayEvent> {
    let (Some(record), Some(lifecycle)) = (&result.record, &result.timeline) else {
        return Vec::new();
    };
    if !record.registered {
        return Vec::new();
    }
    let name = result.unicode.as_deref().unwrap_or(&result.domain);
    let span = |phase: Phase| lifecycle.phases.iter().find(|span| span.phase == phase);
    let event = |kind, day, summary: String, description: String| DayEvent {
        kind,
        domain: result.domain.clone(),
        day,
        summary,
        description,
        alarms: Vec::new(),
    };
    let policy = lifecycle.policy.join(" + ");
    let expiry = lifecycle.expiry_day;
    let mut events = Vec::new();

    // A name being dropped gets no renewal reminder, only its dates.
    if result.input.intent == Intent::Keep {
        let (renew_by, why) = renew_by(lifecycle);
        let threshold = context.thresholds.for_tier(result.input.tier.as_deref());
        let mut alarms = vec![threshold.warning_days, threshold.error_days];
        alarms.sort_unstable_by(|a, b| b.cmp(a));
        alarms.dedup();
        events.push(DayEvent {
            alarms,
            ..event(
                "renew-by",
                renew_by,
                format!("Renew {name} (last day)"),
                format!("Last day to renew {name} for certain: {why}."),
            )
        });
    }
    let registrar = record
        .registrar
        .as_ref()
        .and_then(|registrar| registrar.name.as_deref())
        .map_or(String::new(), |registrar| {
            // "Inc." ends the sentence itself.
            format!(" Registrar: {}.", registrar.trim().trim_end_matches('.'))
        });
    events.push(event(
        "expiry",
        expiry,
        format!("{name} expires"),
        format!("{name} expires today (the last active day).{registrar}"),
    ));
    let stages = [
        (
            Phase::Grace,
            "grace-end",
            "end of renewal grace",
            "last day the registrar can still renew it",
        ),
        (
            Phase::Redemption,
            "redemption-end",
            "end of redemption",
            "last day it can be restored (for a fee)",
        ),
    ];
    for (phase, kind, title, meaning) in stages {
        if let Some(PhaseSpan { end: Some(end), .. }) = span(phase) {
            events.push(event(
                kind,
                end.earliest,
                format!("{name}: {title}"),
                format!("{name}: {meaning}: {}.", window_of(*end, &policy)),
            ));
        }
    }
    if let Some(PhaseSpan {
        start: Some(start), ..
    }) = span(Phase::Released)
    {
        events.push(event(
            "release",
            start.earliest,
            format!("{name} released"),
            format!(
                "If not renewed, {name} is free for anyone to register: {}.",
                window_of(*start, &policy)
            ),
        ));
    }
    events
}

/// The last day a renewal is certain to be possible, and why that day.
fn renew_by(lifecycle: &LifecycleSummary) -> (NaiveDate, String) {
    let policy = lifecycle.policy.join(" + ");
    let expiry = lifecycle.expiry_day;
    let guaranteed_grace = lifecycle
        .phases
        .iter()
        .find(|span| span.phase == Phase::Grace && !span.may_be_skipped);
    match guaranteed_grace.and_then(|grace| grace.end) {
        Some(end) => (
            end.earliest,
            format!(
                "the renewal grace ends {} (policy {policy}); renewing before expiry on {expiry} \
                 keeps the name in DNS",
                window_text(end)
            ),
        ),
        None => (
            expiry,
            format!(
                "the expiry day; policy {policy} does not guarantee any renewal grace after it"
            ),
        ),
    }
}

fn window_of(window: Window, policy: &str) -> String {
    if window.is_exact() {
        window.earliest.to_string()
    } else {
        format!(
            "{} (the policy {policy} allows any day in that window; shown on the earliest)",
            window_text(window)
        )
    }
}

/// The calendar text being built, with folding and escaping.
#[derive(Debug, Default)]
struct Calendar {
    text: String,
}

impl Calendar {
    fn event(&mut self, event: &DayEvent, stamp: DateTime<Utc>) {
        self.line("BEGIN:VEVENT");
        self.line(&format!("UID:{}.{}@domlife", event.kind, event.domain));
        self.line(&format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")));
        self.line(&format!("DTSTART;VALUE=DATE:{}", ical_date(event.day)));
        // Writable events have a next day (`DayEvent::is_writable`).
        let next = event
            .day
            .checked_add_days(Days::new(1))
            .unwrap_or(event.day);
        self.line(&format!("DTEND;VALUE=DATE:{}", ical_date(next)));
        self.line(&format!("SUMMARY:{}", escape_text(&event.summary)));
        self.line(&format!("DESCRIPTION:{}", escape_text(&event.description)));
        self.line("CATEGORIES:domlife");
        self.line("TRANSP:TRANSPARENT");
        for days in &event.alarms {
            self.line("BEGIN:VALARM");
            self.line("ACTION:DISPLAY");
            self.line(&format!(
                "DESCRIPTION:{}",
                escape_text(&format!("{} in {days} days", event.summary))
            ));
            self.line(&format!("TRIGGER;RELATED=START:-P{days}D"));
            self.line("END:VALARM");
        }
        self.line("END:VEVENT");
    }

    /// Appends one content line, folded at 75 octets without splitting a
    /// UTF-8 character, ending in CRLF.
    fn line(&mut self, line: &str) {
        let mut rest = line;
        let mut limit = MAX_LINE_OCTETS;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.text.push_str(&rest[..cut]);
            self.text.push_str("\r\n ");
            rest = &rest[cut..];
            // The leading space of a continuation line counts.
            limit = MAX_LINE_OCTETS - 1;
        }
        self.text.push_str(rest);
        self.text.push_str("\r\n");
    }
}

fn ical_date(day: NaiveDate) -> String {
    day.format("%Y%m%d").to_string()
}

/// TEXT value escaping (RFC 5545 3.3.11). Line breaks are the writer's
/// own; anything else a terminal or a calendar would act on is shown as an
/// escape by [`printable_lines`].
fn escape_text(text: &str) -> String {
    let text = printable_lines(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
