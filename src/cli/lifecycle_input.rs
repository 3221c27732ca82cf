//! Input shared by the `timeline` and `policies` commands: the policy table
//! (built-in, or with `--policy-file`), TLD labels, dates, registrars and
//! output formats, each turned into a one-line bad-input error when wrong.

use std::io::Write;
use std::path::Path;

use anyhow::anyhow;
use chrono::{DateTime, NaiveDate, Utc};
use clap::ValueEnum;

use super::error::bad_input;
use super::format::Format;
use crate::audit::AsOf;
use crate::config::Config;
use crate::lifecycle::PolicyTable;
use crate::record::Registrar;

/// The built-in table, with the user's file merged in when given. A broken
/// user file is bad input; a broken built-in table is a bug (exit 1).
pub fn load_table(policy_file: Option<&Path>) -> anyhow::Result<PolicyTable> {
    load_table_with(&Config::default(), policy_file)
}

/// The built-in table, then the entries of `domlife.toml`, then the
/// `--policy-file`: the later, the more specific, wins.
pub fn load_table_with(config: &Config, policy_file: Option<&Path>) -> anyhow::Result<PolicyTable> {
    let mut table = PolicyTable::builtin().map_err(|error| anyhow!(error))?;
    config.apply_policies(&mut table).map_err(bad_input)?;
    if let Some(path) = policy_file {
        let text = std::fs::read_to_string(path)
            .map_err(|error| bad_input(anyhow!("cannot read {}: {error}", path.display())))?;
        table
            .merge(&text, &path.display().to_string())
            .map_err(bad_input)?;
    }
    Ok(table)
}

/// A TLD label as typed ("cn", ".CN", "中国"), checked against the public
/// suffix list and returned as a lower-case A-label.
pub fn known_tld(text: &str) -> anyhow::Result<String> {
    let label = text.trim().trim_start_matches('.').trim_end_matches('.');
    let ascii = idna::domain_to_ascii(label)
        .map_err(|_| bad_input(anyhow!("{text:?} is not a valid TLD label")))?;
    if ascii.is_empty() || ascii.contains('.') {
        return Err(bad_input(anyhow!("{text:?} is not a single TLD label")));
    }
    let known = psl::suffix(ascii.as_bytes()).is_some_and(|suffix| suffix.is_known());
    if !known {
        return Err(bad_input(anyhow!(
            "unknown TLD {ascii:?} (not in the public suffix list)"
        )));
    }
    Ok(ascii)
}

/// A point in time as typed: `YYYY-MM-DD` or an RFC 3339 date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateInput {
    Day(NaiveDate),
    Instant(DateTime<Utc>),
}

/// Parses `--<flag>` as a date or an RFC 3339 date-time.
pub fn parse_date(flag: &str, text: &str) -> anyhow::Result<DateInput> {
    let text = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(DateInput::Day(day));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|instant| DateInput::Instant(instant.with_timezone(&Utc)))
        .map_err(|_| {
            bad_input(anyhow!(
                "--{flag}: {text:?} is not a date (YYYY-MM-DD) or an RFC 3339 date-time"
            ))
        })
}

/// `--as-of` of the commands that audit: a day, an instant, or now.
pub fn as_of(text: Option<&str>) -> anyhow::Result<AsOf> {
    Ok(match text {
        None => AsOf::Instant(Utc::now()),
        Some(text) => match parse_date("as-of", text)? {
            DateInput::Day(day) => AsOf::Day(day),
            DateInput::Instant(instant) => AsOf::Instant(instant),
        },
    })
}

/// `--registrar`: a name, or digits meaning an IANA registrar ID.
pub fn registrar(text: &str) -> Registrar {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        Registrar {
            name: None,
            iana_id: Some(text.to_owned()),
        }
    } else {
        Registrar {
            name: Some(text.to_owned()),
            iana_id: None,
        }
    }
}

/// `--format`, read here rather than by clap so that a wrong value gets the
/// same one-line error as every other bad input.
pub fn format(text: &str) -> anyhow::Result<Format> {
    Format::from_str(text, true).map_err(|_| {
        bad_input(anyhow!(
            "--format: {text:?} is not a format (table or json)"
        ))
    })
}

/// Writes the command's output. A closed pipe (`domlife policies | head`)
/// is the reader's choice, not a failure, so it ends the output quietly.
pub fn emit(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("cn", "cn")]
    #[case(".CN", "cn")]
    #[case("com.", "com")]
    #[case("中国", "xn--fiqs8s")]
    fn tlds_are_normalised(#[case] text: &str, #[case] expected: &str) {
        assert_eq!(known_tld(text).ok().as_deref(), Some(expected));
    }

    #[rstest]
    #[case("notatld")]
    #[case("")]
    #[case("co.uk")]
    #[case("a b")]
    fn unknown_tlds_are_bad_input(#[case] text: &str) {
        let error = known_tld(text).err();
        assert_eq!(error.map(|e| e.is::<super::super::BadInput>()), Some(true));
    }

    #[test]
    fn dates_and_instants_are_read() {
        assert_eq!(
            parse_date("expires", "2024-06-30").ok(),
            NaiveDate::from_ymd_opt(2024, 6, 30).map(DateInput::Day)
        );
        let instant = parse_date("expires", "2024-06-30T20:00:00+08:00").ok();
        assert_eq!(
            instant,
            "2024-06-30T12:00:00Z"
                .parse::<DateTime<Utc>>()
                .ok()
                .map(DateInput::Instant)
        );
        assert!(parse_date("expires", "2024-02-30").is_err());
        assert!(parse_date("expires", "30/06/2024").is_err());
    }

    #[test]
    fn digits_are_an_iana_id() {
        assert_eq!(registrar("146").iana_id.as_deref(), Some("146"));
        assert_eq!(
            registrar("GoDaddy.com, LLC").name.as_deref(),
            Some("GoDaddy.com, LLC")
        );
    }
}
