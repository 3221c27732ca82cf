//! Dates as people type them on the command line or in a list: a day
//! (`YYYY-MM-DD`) or an RFC 3339 date-time. A day stays a day (it is a day
//! of the registry's zone, not an instant), so the two forms are kept
//! apart rather than guessing a time for the day.

use chrono::{DateTime, NaiveDate, Utc};

use crate::audit::AsOf;

/// A point in time as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateInput {
    Day(NaiveDate),
    Instant(DateTime<Utc>),
}

/// A date that could not be read; the flag it came from is named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--{flag}: {text:?} is not a date (YYYY-MM-DD) or an RFC 3339 date-time")]
pub struct DateInputError {
    pub flag: String,
    pub text: String,
}

/// Reads `text`, given to `--<flag>`, as a day or an RFC 3339 date-time.
pub fn parse_date(flag: &str, text: &str) -> Result<DateInput, DateInputError> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(DateInput::Day(day));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|instant| DateInput::Instant(instant.with_timezone(&Utc)))
        .map_err(|_| DateInputError {
            flag: flag.to_owned(),
            text: text.to_owned(),
        })
}

/// `--as-of` of the commands that audit: the day or instant given, or now.
pub fn as_of(text: Option<&str>) -> Result<AsOf, DateInputError> {
    Ok(match text {
        None => AsOf::Instant(Utc::now()),
        Some(text) => match parse_date("as-of", text)? {
            DateInput::Day(day) => AsOf::Day(day),
            DateInput::Instant(instant) => AsOf::Instant(instant),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_instants_are_read() {
        assert_eq!(
            parse_date("expires", "2024-06-30"),
            Ok(DateInput::Day(
                NaiveDate::from_ymd_opt(2024, 6, 30).unwrap()
            ))
        );
        let noon: DateTime<Utc> = "2024-06-30T12:00:00Z".parse().unwrap();
        assert_eq!(
            parse_date("expires", " 2024-06-30T20:00:00+08:00 "),
            Ok(DateInput::Instant(noon))
        );
    }

    #[test]
    fn what_is_not_a_date_names_the_flag_and_the_text() {
        for text in ["2024-02-30", "30/06/2024", ""] {
            let error = parse_date("expires", text).unwrap_err();
            assert_eq!(error.flag, "expires");
            assert!(error.to_string().starts_with("--expires: "), "{error}");
        }
        assert_eq!(
            as_of(Some("tomorrow")).unwrap_err().to_string(),
            "--as-of: \"tomorrow\" is not a date (YYYY-MM-DD) or an RFC 3339 date-time"
        );
    }

    #[test]
    fn no_as_of_is_now() {
        let before = Utc::now();
        let AsOf::Instant(now) = as_of(None).unwrap() else {
            panic!("not an instant");
        };
        assert!(now >= before && now <= Utc::now());
    }
}
