//! Reading RDAP `eventDate` values, leniently.
//!
//! RFC 9083 asks for RFC 3339, but servers write `+0000` offsets, drop the
//! zone entirely, pad fractions to one digit (`.0Z`) or nine, separate date
//! and time with a space, or send a bare date. Each of those still says one
//! instant, so this reader accepts them: a time without a zone is read as
//! UTC (RDAP has no "registry local time" convention, unlike WHOIS), a bare
//! date as midnight UTC. Anything else is `None`, and the caller notes it on
//! the record instead of failing the lookup.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// The instant an RDAP date string means, or `None` when it means none.
pub fn parse_event_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim().to_ascii_uppercase();
    if let Ok(instant) = DateTime::parse_from_rfc3339(&text) {
        return Some(instant.with_timezone(&Utc));
    }
    let (local, offset) = split_zone(&text)?;
    let naive = parse_local(local.trim_end())?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|instant| instant.with_timezone(&Utc))
}

/// Splits `text` into the local date-time and its UTC offset (zero when no
/// zone is written). `None` when a zone is written but unreadable.
fn split_zone(text: &str) -> Option<(&str, FixedOffset)> {
    let utc = FixedOffset::east_opt(0)?;
    for suffix in ["Z", "UTC", "GMT"] {
        if let Some(local) = text.strip_suffix(suffix) {
            return Some((local, utc));
        }
    }
    // A sign can only start a zone after the time separator: the date's own
    // dashes come before it.
    let Some(time_start) = text.find(['T', ' ']) else {
        return Some((text, utc));
    };
    let Some(sign_at) = text[time_start..]
        .rfind(['+', '-'])
        .map(|at| time_start + at)
    else {
        return Some((text, utc));
    };
    let offset = parse_offset(&text[sign_at..])?;
    Some((&text[..sign_at], offset))
}

/// Reads `+HH:MM`, `+HHMM` or `+HH` (and the same with `-`).
fn parse_offset(zone: &str) -> Option<FixedOffset> {
    let (sign, digits) = match zone.split_at_checked(1)? {
        ("+", rest) => (1, rest),
        ("-", rest) => (-1, rest),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hours > 23 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

fn parse_local(text: &str) -> Option<NaiveDateTime> {
    const FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .map(|date| date.and_time(NaiveTime::MIN))
        })
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn instant(text: &str) -> Option<DateTime<Utc>> {
        Some(
            text.parse()
                .unwrap_or_else(|error| panic!("{text}: {error}")),
        )
    }

    #[rstest]
    #[case("2028-09-14T04:00:00Z", "2028-09-14T04:00:00Z")]
    #[case("2028-09-14t04:00:00z", "2028-09-14T04:00:00Z")]
    #[case("2028-09-13T07:00:00.000+0000", "2028-09-13T07:00:00Z")]
    #[case("2019-08-30T12:00:00+00:00", "2019-08-30T12:00:00Z")]
    #[case("2024-06-18T22:01:39+03:00", "2024-06-18T19:01:39Z")]
    #[case("2024-06-18T22:01:39+0300", "2024-06-18T19:01:39Z")]
    #[case("2024-06-18T22:01:39+03", "2024-06-18T19:01:39Z")]
    #[case("2024-06-18T22:01:39-0500", "2024-06-19T03:01:39Z")]
    #[case("2024-06-18T22:01:39.5-05:30", "2024-06-19T03:31:39.5Z")]
    #[case("2029-08-18T13:19:55", "2029-08-18T13:19:55Z")]
    #[case("2014-11-17T16:00:29.0Z", "2014-11-17T16:00:29Z")]
    #[case("2024-06-12T22:09:39.881923Z", "2024-06-12T22:09:39.881923Z")]
    #[case("2014-11-12T19:15:55.283Z", "2014-11-12T19:15:55.283Z")]
    #[case("2024-06-12T22:09:39.123456789Z", "2024-06-12T22:09:39.123456789Z")]
    #[case("2021-04-17 00:18:31", "2021-04-17T00:18:31Z")]
    #[case("2021-04-17 00:18:31 UTC", "2021-04-17T00:18:31Z")]
    #[case("2021-04-17T00:18Z", "2021-04-17T00:18:00Z")]
    #[case("2025-03-10", "2025-03-10T00:00:00Z")]
    #[case("  2025-03-10T11:05:05Z\n", "2025-03-10T11:05:05Z")]
    fn reads_the_dates_servers_write(#[case] text: &str, #[case] expected: &str) {
        assert_eq!(parse_event_date(text), instant(expected), "{text}");
    }

    #[rstest]
    #[case("")]
    #[case("never")]
    #[case("2025-13-01T00:00:00Z")]
    #[case("2025-02-30")]
    #[case("2025-03-10T25:00:00Z")]
    #[case("2025-03-10T10:00:00+2500")]
    #[case("2025-03-10T10:00:00+05:3")]
    #[case("10/03/2025")]
    #[case("1741604705")]
    fn rejects_what_is_not_a_date(#[case] text: &str) {
        assert_eq!(parse_event_date(text), None, "{text}");
    }
}
