//! The HTTP `Retry-After` header (RFC 9110 section 10.2.3) turned into a
//! wait, for the scheduler to honour after a 429 or a 503.
//!
//! The header is either delta-seconds or an HTTP date. A date is measured
//! against the response's own `Date` header when there is one, so a client
//! whose clock is off still waits what the server meant.

use std::time::{Duration, SystemTime};

/// Parses a `Retry-After` value into how long to wait from now.
///
/// `server_date` is the response's `Date` header, used as "now" for the date
/// form when present; otherwise `now`. A date in the past means "retry now"
/// (zero). Returns `None` for a value that is neither form.
pub fn parse_retry_after(
    value: &str,
    server_date: Option<&str>,
    now: SystemTime,
) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurd values saturate instead of failing: the caller caps waits anyway.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let retry_at = httpdate::parse_http_date(value).ok()?;
    let reference = server_date
        .and_then(|date| httpdate::parse_http_date(date.trim()).ok())
        .unwrap_or(now);
    Some(retry_at.duration_since(reference).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn at(http_date: &str) -> SystemTime {
        httpdate::parse_http_date(http_date).expect("test literal")
    }

    #[rstest]
    #[case("120", None, Some(120))]
    #[case(" 0 ", None, Some(0))]
    #[case("99999999999999999999999", None, Some(u64::MAX))]
    #[case("Sun, 22 Nov 2026 10:02:00 GMT", None, Some(120))]
    #[case("Sun, 22 Nov 2026 09:00:00 GMT", None, Some(0))]
    #[case(
        "Sun, 22 Nov 2026 10:02:00 GMT",
        Some("Sun, 22 Nov 2026 10:01:00 GMT"),
        Some(60)
    )]
    #[case("Sun, 22 Nov 2026 10:02:00 GMT", Some("not a date"), Some(120))]
    #[case("Sunday, 22-Nov-26 10:01:00 GMT", None, Some(60))]
    #[case("-5", None, None)]
    #[case("1.5", None, None)]
    #[case("soon", None, None)]
    #[case("", None, None)]
    fn parses_both_forms(
        #[case] value: &str,
        #[case] server_date: Option<&str>,
        #[case] seconds: Option<u64>,
    ) {
        let now = at("Sun, 22 Nov 2026 10:00:00 GMT");
        assert_eq!(
            parse_retry_after(value, server_date, now),
            seconds.map(Duration::from_secs)
        );
    }
}
