//! When a captured WHOIS answer was made: the audit of a capture is only
//! meaningful as of that instant (the captures are years old).
//!
//! Many servers print the time of the look-up; [`printed_capture_time`]
//! reads the shapes the captures use:
//!
//! | label | example value | who |
//! |---|---|---|
//! | `>>> Last update of WHOIS database: ... <<<` | `2019-10-06T12:55:22Z`, `2019-09-30T07:22:02-0700`, `Tue, 07 May 2013 14:08:58 UTC`, `2.1.2019 0:01:22 (EET)` | ICANN gTLD format, Verisign, Traficom (.fi) |
//! | `>>>> Whois database was last updated on: ... <<<<` | `Tue Feb 18 20:39:30 GMT 2014` | .CO Internet |
//! | `% Timestamp: ...` | `Sat Nov 18 15:13:47 2017` | FRED registries (.cr, .cz) |
//! | `WHOIS lookup made at ...` | `09:42:27 12-Oct-2019` | Nominet (.uk) |
//! | `% WHOIS look-up made at ...` | `2010-12-10 22:01:40 (GMT)` | CIRA (.ca) |
//!
//! A time without a zone is taken as UTC: the servers that print one
//! (FRED, Nominet) are within a few hours of it, and the audit works in
//! days with a day of slack. Where no time is printed, [`capture_time`]
//! falls back to one day after the record's latest `updated` / `created`
//! date: the earliest the answer can have been produced, since the
//! registry had already written that date. A record with neither is taken
//! one day before the earliest date it publishes (expiry, deletion,
//! release), which a registry prints while it is ahead; a record with no
//! date at all is audited as of a fixed instant, which nothing in it can
//! contradict.

use chrono::{DateTime, Days, FixedOffset, NaiveDateTime, TimeZone, Utc};
use domlife::record::Record;

/// How the as-of instant of a capture was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureTime {
    /// The answer prints the time of the look-up.
    Printed(DateTime<Utc>),
    /// One day after the latest `updated` / `created` date of the record.
    AfterLastChange(DateTime<Utc>),
    /// One day before the earliest lifecycle date the record publishes.
    BeforeFirstDate(DateTime<Utc>),
    /// The record has no date: an arbitrary fixed instant.
    Undated(DateTime<Utc>),
    /// A test's own reading of the text (a state the text dates later than
    /// the rules above do), with its reason kept by the test.
    ReadFromText(DateTime<Utc>),
}

impl CaptureTime {
    pub fn instant(self) -> DateTime<Utc> {
        match self {
            CaptureTime::Printed(at)
            | CaptureTime::AfterLastChange(at)
            | CaptureTime::BeforeFirstDate(at)
            | CaptureTime::Undated(at)
            | CaptureTime::ReadFromText(at) => at,
        }
    }
}

impl std::fmt::Display for CaptureTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaptureTime::Printed(at) => write!(f, "{} (printed)", at.format("%Y-%m-%d %H:%M")),
            CaptureTime::AfterLastChange(at) => {
                write!(f, "{} (last change + 1 day)", at.format("%Y-%m-%d"))
            }
            CaptureTime::BeforeFirstDate(at) => {
                write!(
                    f,
                    "{} (first published date - 1 day)",
                    at.format("%Y-%m-%d")
                )
            }
            CaptureTime::Undated(at) => write!(f, "{} (no date)", at.format("%Y-%m-%d")),
            CaptureTime::ReadFromText(at) => {
                write!(f, "{} (read from the text)", at.format("%Y-%m-%d"))
            }
        }
    }
}

/// The as-of instant for `record`, read from `text` (see the module doc);
pub fn capture_time(text: &str, record: &Record) -> CaptureTime {
    if let Some(at) = printed_capture_time(text) {
        return CaptureTime::Printed(at);
    }
    let changed = record.updated.into_iter().chain(record.created).max();
    if let Some(at) = changed.and_then(|at| at.checked_add_days(Days::new(1))) {
        return CaptureTime::AfterLastChange(at);
    }
    let published = [
        record.expires,
        record.registrar_expires,
        record.registry_dates.deletion,
        record.registry_dates.release,
    ];
    match published.into_iter().flatten().min() {
        Some(first) => {
            CaptureTime::BeforeFirstDate(first.checked_sub_days(Days::new(1)).unwrap_or(first))
        }
        None => CaptureTime::Undated(DateTime::UNIX_EPOCH),
    }
}

/// Labels that introduce the time of the look-up, lower case, after any
/// leading `%`, `#` or `>` and blanks.
const LABELS: &[&str] = &[
    "last update of whois database:",
    "whois database was last updated on:",
    "timestamp:",
    "whois lookup made at",
    "whois look-up made at",
];

/// The time of the look-up as the answer prints it, if it does.
pub fn printed_capture_time(text: &str) -> Option<DateTime<Utc>> {
    text.lines().find_map(|line| {
        let line = line.trim_start_matches(['%', '#', '>', ' ', '\t']);
        let lower = line.to_ascii_lowercase();
        let label = LABELS.iter().find(|label| lower.starts_with(**label))?;
        let value = line.get(label.len()..)?.trim().trim_end_matches(['<', ' ']);
        parse_stamp(value)
    })
}

/// Zone names the captures print, with their offsets in hours.
const ZONES: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("CET", 1),
    ("CEST", 2),
    ("EET", 2),
    ("EEST", 3),
    ("JST", 9),
];

const NAIVE_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%a, %d %b %Y %H:%M:%S",
    "%a %b %d %H:%M:%S %Y",
    "%H:%M:%S %d-%b-%Y",
];

fn parse_stamp(value: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(value)
        .or_else(|_| DateTime::parse_from_str(value, "%Y-%m-%dT%H:%M:%S%.f%z"))
    {
        return Some(at.with_timezone(&Utc));
    }
    let mut offset_hours = 0;
    let words: Vec<&str> = value
        .split_whitespace()
        .filter(|word| {
            let name = word.trim_matches(['(', ')']);
            match ZONES.iter().find(|(zone, _)| *zone == name) {
                Some((_, hours)) => {
                    offset_hours = *hours;
                    false
                }
                None => true,
            }
        })
        .collect();
    let cleaned = words.join(" ");
    let naive = NAIVE_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&cleaned, format).ok())?;
    let zone = FixedOffset::east_opt(offset_hours * 3600)?;
    zone.from_local_datetime(&naive)
        .single()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(
        ">>> Last update of WHOIS database: 2019-10-06T12:55:22Z <<<",
        "2019-10-06T12:55:22Z"
    )]
    #[case(
        ">>> Last update of WHOIS database: 2019-09-30T07:22:02-0700 <<<",
        "2019-09-30T14:22:02Z"
    )]
    #[case(
        ">>> Last update of whois database: Tue, 07 May 2013 14:08:58 UTC <<<",
        "2013-05-07T14:08:58Z"
    )]
    #[case(
        ">>> Last update of WHOIS database: 2.1.2019 0:01:22 (EET) <<<",
        "2019-01-01T22:01:22Z"
    )]
    #[case(
        ">>>> Whois database was last updated on: Tue Feb 18 20:39:30 GMT 2014 <<<<",
        "2014-02-18T20:39:30Z"
    )]
    #[case("% Timestamp: Sat Nov 18 15:13:47 2017", "2017-11-18T15:13:47Z")]
    #[case(
        "    WHOIS lookup made at 09:42:27 12-Oct-2019",
        "2019-10-12T09:42:27Z"
    )]
    #[case(
        "% WHOIS look-up made at 2010-12-10 22:01:40 (GMT)",
        "2010-12-10T22:01:40Z"
    )]
    fn reads_the_printed_time_of_the_look_up(#[case] line: &str, #[case] expected: &str) {
        let text = format!("Domain Name: example.test\n{line}\n\nTerms of use ...\n");
        let expected = DateTime::parse_from_rfc3339(expected)
            .unwrap_or_else(|error| panic!("{expected}: {error}"))
            .with_timezone(&Utc);
        assert_eq!(printed_capture_time(&text), Some(expected));
    }

    #[rstest]
    #[case::record_date("Last Update:        2011-02-12 00:30:50")]
    #[case::query_duration("% Query time:     4 msec")]
    #[case::label_without_time(">>> Last update of WHOIS database: <<<")]
    #[case::record_maintainer("Record maintained by: NL Domain Registry")]
    fn ignores_lines_that_are_not_the_time_of_the_look_up(#[case] line: &str) {
        assert_eq!(printed_capture_time(line), None);
    }

    #[test]
    fn without_a_printed_time_takes_the_day_after_the_last_change() {
        let mut record = Record::new(
            "example.test",
            domlife::record::Source {
                protocol: domlife::record::Protocol::Whois,
                server: None,
                url: None,
                role: domlife::record::Role::Registry,
            },
        );
        assert_eq!(
            capture_time("no time here", &record),
            CaptureTime::Undated(DateTime::UNIX_EPOCH)
        );
        record.expires = Utc.with_ymd_and_hms(2011, 3, 4, 0, 0, 0).single();
        assert_eq!(
            Utc.with_ymd_and_hms(2011, 3, 3, 0, 0, 0)
                .single()
                .map(CaptureTime::BeforeFirstDate),
            Some(capture_time("", &record))
        );
        let created = Utc.with_ymd_and_hms(2010, 1, 2, 3, 4, 5).single();
        let updated = Utc.with_ymd_and_hms(2012, 6, 7, 8, 9, 10).single();
        record.created = created;
        assert_eq!(
            Utc.with_ymd_and_hms(2010, 1, 3, 3, 4, 5)
                .single()
                .map(CaptureTime::AfterLastChange),
            Some(capture_time("", &record))
        );
        record.updated = updated;
        assert_eq!(
            Utc.with_ymd_and_hms(2012, 6, 8, 8, 9, 10)
                .single()
                .map(CaptureTime::AfterLastChange),
            Some(capture_time("", &record))
        );
        let printed = "% Timestamp: Sat Nov 18 15:13:47 2017";
        assert!(matches!(
            capture_time(printed, &record),
            CaptureTime::Printed(_)
        ));
    }
}
