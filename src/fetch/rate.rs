//! [`Rate`]: how fast one host may be asked, written `N/s`, `N/m` or `N/h`
//! on the command line, and [`RateOverride`] (`HOST=RATE`) for `--rate`.
//!
//! A rate is kept as the interval between requests plus a burst (how many
//! may go back to back after an idle spell), which is exactly what a
//! token bucket needs, so the limiter never rounds a fractional rate such
//! as `0.5/s`.

use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;
use std::time::Duration;

/// The fastest rate accepted: 10,000 requests a second.
const MIN_INTERVAL: Duration = Duration::from_micros(100);
/// The slowest rate accepted: one request a day.
const MAX_INTERVAL: Duration = Duration::from_secs(24 * 60 * 60);

/// A request rate for one host: one request every [`Rate::interval`], with
/// up to [`Rate::burst`] sent at once after an idle spell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    interval: Duration,
    burst: NonZeroU32,
}

/// A rate that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    /// Not of the form `N/s`, `N/m` or `N/h`. Write e.g. `5/s`, `0.5/s` or `30/m`.
    #[error("{input:?} is not a rate: write N/s, N/m or N/h (e.g. 5/s, 0.5/s, 30/m)")]
    Syntax { input: String },
    /// Zero, negative or not a number: a host cannot be asked at that rate.
    /// Leave the host out of `--rate` to use its default.
    #[error("rate {input:?} must be more than zero requests")]
    NotPositive { input: String },
    /// Faster than 10,000 requests a second or slower than one a day.
    #[error("rate {input:?} is outside 1/day to 10000/s")]
    OutOfRange { input: String },
}

impl Rate {
    /// `requests` a second, burst 1. Fails for zero, negative, non-finite
    /// and out-of-range values.
    pub fn per_second(requests: f64) -> Result<Rate, RateError> {
        Self::from_count(requests, Duration::from_secs(1), &format!("{requests}/s"))
    }

    /// Builds a rate with a fixed interval in milliseconds, for the built-in
    /// tables (checked by their tests).
    pub(crate) const fn every_millis(millis: u64, burst: u32) -> Rate {
        let burst = match NonZeroU32::new(burst) {
            Some(burst) => burst,
            None => NonZeroU32::MIN,
        };
        Rate {
            interval: Duration::from_millis(millis),
            burst,
        }
    }

    /// The same rate allowing `burst` requests back to back (0 counts as 1).
    pub fn with_burst(self, burst: u32) -> Rate {
        Rate {
            burst: NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN),
            ..self
        }
    }

    /// Time between two requests at this rate.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Requests allowed back to back after an idle spell.
    pub fn burst(&self) -> u32 {
        self.burst.get()
    }

    pub(crate) fn burst_nonzero(&self) -> NonZeroU32 {
        self.burst
    }

    /// The rate as requests per second (for display and arithmetic).
    pub fn requests_per_second(&self) -> f64 {
        1.0 / self.interval.as_secs_f64()
    }

    /// The rate `factor` times as fast, clamped to the accepted range. Used
    /// by the adaptive slow-down and recovery.
    pub(crate) fn scaled(&self, factor: f64) -> Rate {
        let seconds = self.interval.as_secs_f64() / factor;
        let interval = Duration::try_from_secs_f64(seconds)
            .unwrap_or(MAX_INTERVAL)
            .clamp(MIN_INTERVAL, MAX_INTERVAL);
        Rate { interval, ..*self }
    }

    fn from_count(count: f64, period: Duration, input: &str) -> Result<Rate, RateError> {
        if !count.is_finite() || count <= 0.0 {
            return Err(RateError::NotPositive {
                input: input.to_owned(),
            });
        }
        let interval = Duration::try_from_secs_f64(period.as_secs_f64() / count)
            .ok()
            .filter(|interval| (MIN_INTERVAL..=MAX_INTERVAL).contains(interval))
            .ok_or_else(|| RateError::OutOfRange {
                input: input.to_owned(),
            })?;
        Ok(Rate {
            interval,
            burst: NonZeroU32::MIN,
        })
    }
}

impl FromStr for Rate {
    type Err = RateError;

    /// `N/s`, `N/m` or `N/h` (also `/sec`, `/min`, `/hour`), `N` a decimal
    /// such as `0.5`; burst 1.
    fn from_str(input: &str) -> Result<Rate, RateError> {
        let syntax = || RateError::Syntax {
            input: input.to_owned(),
        };
        let (count, unit) = input.trim().split_once('/').ok_or_else(syntax)?;
        let period = match unit.trim().to_ascii_lowercase().as_str() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            "h" | "hour" => Duration::from_secs(3600),
            _ => return Err(syntax()),
        };
        let count = count.trim();
        // f64's parser also takes "inf", "NaN" and exponents; a rate is plain digits.
        if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Err(syntax());
        }
        let count: f64 = count.parse().map_err(|_| syntax())?;
        Self::from_count(count, period, input.trim())
    }
}

impl fmt::Display for Rate {
    /// Requests per second with up to three decimals: `5/s`, `0.5/s`, `0.017/s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = format!("{:.3}", self.requests_per_second());
        let text = text.trim_end_matches('0').trim_end_matches('.');
        write!(f, "{text}/s")
    }
}

/// A `--rate HOST=RATE` value: ask `host` at `rate` instead of its default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateOverride {
    /// Lower-case host name, with `:port` when one was given.
    pub host: String,
    pub rate: Rate,
}

/// A `--rate` value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateOverrideError {
    /// Not `HOST=RATE`, or the host part is empty or holds spaces or slashes.
    /// Write e.g. `rdap.verisign.com=10/s` or `127.0.0.1:8080=50/s`.
    #[error("{input:?} is not HOST=RATE (e.g. rdap.verisign.com=10/s)")]
    Syntax { input: String },
    /// The host's port is not a port: it must be a number from 1 to 65535.
    #[error("{port:?} in {host:?} is not a port (1 to 65535)")]
    Port { host: String, port: String },
    /// The rate part is wrong.
    #[error("{0}")]
    Rate(RateError),
}

impl FromStr for RateOverride {
    type Err = RateOverrideError;

    fn from_str(input: &str) -> Result<RateOverride, RateOverrideError> {
        let (host, rate) = input
            .split_once('=')
            .ok_or_else(|| RateOverrideError::Syntax {
                input: input.to_owned(),
            })?;
        RateOverride::new(host, rate)
    }
}

impl RateOverride {
    /// `rate` for `host`: the parts of `HOST=RATE`, as a settings file gives
    /// them.
    pub fn new(host: &str, rate: &str) -> Result<RateOverride, RateOverrideError> {
        let syntax = || RateOverrideError::Syntax {
            input: format!("{host}={rate}"),
        };
        let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() || host.contains(|c: char| c.is_whitespace() || c == '/') {
            return Err(syntax());
        }
        if let Some(port) = port_of(&host)
            && !port.parse::<u16>().is_ok_and(|port| port > 0)
        {
            return Err(RateOverrideError::Port {
                port: port.to_owned(),
                host,
            });
        }
        let rate = rate.parse().map_err(RateOverrideError::Rate)?;
        Ok(RateOverride { host, rate })
    }
}

/// The port part of `host:port` or `[v6]:port`; `None` for a bare host or
/// IPv6 address.
fn port_of(host: &str) -> Option<&str> {
    match host.strip_prefix('[') {
        Some(bracketed) => bracketed.split_once("]:").map(|(_, port)| port),
        None if host.matches(':').count() == 1 => host.split_once(':').map(|(_, port)| port),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    // Issue #13: a port out of range is an error, not a limiter for no host.
    #[rstest]
    #[case::too_big("127.0.0.1:99999=5/s", Some("99999"))]
    #[case::zero("whois.example:0=1/s", Some("0"))]
    #[case::empty("whois.example:=1/s", Some(""))]
    #[case::words("whois.example:http=1/s", Some("http"))]
    #[case::v6_too_big("[::1]:70000=1/s", Some("70000"))]
    #[case::fine("127.0.0.1:8080=5/s", None)]
    #[case::v6_fine("[::1]:8080=5/s", None)]
    #[case::no_port("rdap.verisign.com=5/s", None)]
    fn ports_must_be_ports(#[case] input: &str, #[case] refused: Option<&str>) {
        let parsed = input.parse::<RateOverride>();
        match refused {
            Some(port) => assert!(
                matches!(&parsed, Err(RateOverrideError::Port { port: found, .. }) if found == port),
                "{parsed:?}"
            ),
            None => assert!(parsed.is_ok(), "{parsed:?}"),
        }
    }

    #[rstest]
    #[case("5/s", 200)]
    #[case("0.5/s", 2000)]
    #[case(" 30/m ", 2000)]
    #[case("120/min", 500)]
    #[case("3600/h", 1000)]
    #[case("10000/s", 0)]
    #[case("1/S", 1000)]
    fn parses_rates(#[case] input: &str, #[case] interval_ms: u64) {
        let rate: Rate = input.parse().expect("valid rate");
        let expected = if interval_ms == 0 {
            MIN_INTERVAL
        } else {
            Duration::from_millis(interval_ms)
        };
        assert_eq!(rate.interval(), expected);
        assert_eq!(rate.burst(), 1);
    }

    #[rstest]
    #[case("5", "Syntax")]
    #[case("5/d", "Syntax")]
    #[case("/s", "Syntax")]
    #[case("inf/s", "Syntax")]
    #[case("1e3/s", "Syntax")]
    #[case("-1/s", "Syntax")]
    #[case("1.2.3/s", "Syntax")]
    #[case("0/s", "NotPositive")]
    #[case("0.0/m", "NotPositive")]
    #[case("20000/s", "OutOfRange")]
    #[case("0.01/h", "OutOfRange")]
    fn rejects_bad_rates(#[case] input: &str, #[case] kind: &str) {
        let error = input.parse::<Rate>().expect_err("invalid rate");
        assert!(format!("{error:?}").starts_with(kind), "{input}: {error:?}");
    }

    #[rstest]
    #[case("5/s", "5/s")]
    #[case("0.5/s", "0.5/s")]
    #[case("1/m", "0.017/s")]
    #[case("50/s", "50/s")]
    fn displays_per_second(#[case] input: &str, #[case] shown: &str) {
        assert_eq!(input.parse::<Rate>().expect("valid").to_string(), shown);
    }

    #[test]
    fn scaling_halves_and_clamps() {
        let rate = Rate::per_second(10.0).expect("valid").with_burst(3);
        assert_eq!(rate.scaled(0.5).interval(), Duration::from_millis(200));
        assert_eq!(rate.scaled(0.5).burst(), 3);
        assert_eq!(rate.scaled(1e-12).interval(), MAX_INTERVAL);
        assert_eq!(rate.scaled(1e12).interval(), MIN_INTERVAL);
    }

    #[rstest]
    #[case("rdap.verisign.com=10/s", "rdap.verisign.com", 100)]
    #[case("WHOIS.DENIC.DE.=30/m", "whois.denic.de", 2000)]
    #[case("127.0.0.1:8080=0.5/s", "127.0.0.1:8080", 2000)]
    fn parses_overrides(#[case] input: &str, #[case] host: &str, #[case] interval_ms: u64) {
        let parsed: RateOverride = input.parse().expect("valid override");
        assert_eq!(parsed.host, host);
        assert_eq!(parsed.rate.interval(), Duration::from_millis(interval_ms));
    }

    #[rstest]
    #[case("10/s")]
    #[case("=10/s")]
    #[case("a b=10/s")]
    #[case("https://x/=10/s")]
    #[case("host=fast")]
    fn rejects_bad_overrides(#[case] input: &str) {
        assert!(input.parse::<RateOverride>().is_err(), "{input}");
    }
}
