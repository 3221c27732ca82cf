//! Flags that say where answers come from and what the run keeps of them:
//! the store (`--store`, `--no-store`, `--max-age`, `--refresh`,
//! `--offline`) and capture directories (`--replay`, `--record`). Lowered
//! once into [`AnswerFlags`].

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::run::settings::AnswerFlags;
use crate::store::{CachePolicy, DEFAULT_MAX_AGE};

#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// The answer store (SQLite) [default: domlife.sqlite3 in the cache
    /// directory]. Answers younger than --max-age are reused, so an
    /// interrupted run continues where it stopped.
    #[arg(long, value_name = "FILE", conflicts_with = "no_store")]
    pub store: Option<PathBuf>,
    /// Neither read nor write the store: every answer comes from the network.
    #[arg(long)]
    pub no_store: bool,
    /// Reuse stored answers up to this old: `90s`, `30m`, `1h`, `2d`, or seconds.
    #[arg(long, value_name = "AGE", value_parser = parse_age, conflicts_with = "no_store")]
    pub max_age: Option<Duration>,
    /// Ask the registries again whatever the store holds (and store the answers).
    #[arg(long, conflicts_with_all = ["no_store", "offline"])]
    pub refresh: bool,
    /// Use only the store: a name it has no answer for is an error result.
    #[arg(long, conflicts_with = "no_store")]
    pub offline: bool,
    /// Read captured answers from DIR instead of the network: DIR/rdap/NAME.json
    /// (and NAME.registrar.json), DIR/whois/NAME.txt.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["record", "offline", "refresh"])]
    pub replay: Option<PathBuf>,
    /// Write the answers of this run to DIR in the --replay layout.
    #[arg(long, value_name = "DIR")]
    pub record: Option<PathBuf>,
}

impl StoreArgs {
    /// The answer flags, typed, for [`crate::run::settings`] to resolve.
    pub fn flags(&self) -> AnswerFlags {
        AnswerFlags {
            replay: self.replay.clone(),
            record: self.record.clone(),
            no_store: self.no_store,
            store: self.store.clone(),
            cache: CachePolicy {
                max_age: self.max_age.unwrap_or(DEFAULT_MAX_AGE),
                refresh: self.refresh,
                offline: self.offline,
            },
        }
    }
}

/// `90s`, `30m`, `1h`, `2d`, or a number of seconds.
pub(super) fn parse_age(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((index, _)) => text.split_at(index),
        None => (text, "s"),
    };
    let amount: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not an age such as 90s, 30m, 1h or 2d"))?;
    let seconds = match unit {
        "s" => Some(amount),
        "m" => amount.checked_mul(60),
        "h" => amount.checked_mul(3_600),
        "d" => amount.checked_mul(86_400),
        _ => None,
    };
    seconds
        .map(Duration::from_secs)
        .ok_or_else(|| format!("{text:?} is not an age such as 90s, 30m, 1h or 2d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case("90", 90)]
    #[case("90s", 90)]
    #[case("30m", 1_800)]
    #[case("1h", 3_600)]
    #[case("2d", 172_800)]
    fn ages(#[case] text: &str, #[case] seconds: u64) {
        assert_eq!(parse_age(text), Ok(Duration::from_secs(seconds)));
    }

    #[rstest::rstest]
    #[case("")]
    #[case("1w")]
    #[case("-5m")]
    #[case("h")]
    #[case("99999999999999999999d")]
    fn bad_ages(#[case] text: &str) {
        assert!(parse_age(text).is_err());
    }
}
