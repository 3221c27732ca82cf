//! The policy vocabulary: what one entry of the policy table says about a TLD
//! (and optionally a registrar), as plain serde data.
//!
//! Every figure is a [`Figure`]: the value together with the document it was
//! read in and how sure that reading is ([`Confidence`]), so that `domlife
//! policies` and the timeline can always say where a date comes from. Entry
//! fields are optional because a registrar entry only overrides what that
//! registrar decides (its renewal window); the rest comes from the TLD entry
//! below it (see [`super::table`] for how entries are layered).

use std::fmt;

use chrono::{FixedOffset, Offset, Utc};
use serde::{Deserialize, Serialize};

/// How sure a figure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Confidence {
    /// Read in the cited source itself.
    #[serde(rename = "V")]
    Verified,
    /// Taken from a secondary copy of the source.
    #[serde(rename = "2nd")]
    Secondary,
    /// Not verified: a single observation, a statement without a document, a
    /// conservative guess.
    #[serde(rename = "?")]
    Unverified,
    /// Given by the user on the command line: as sure as the user is.
    #[serde(rename = "given")]
    Given,
}

impl Confidence {
    /// Rank for "the weakest figure decides": a user-given figure counts as
    /// firm, since the user chose it.
    fn rank(self) -> u8 {
        match self {
            Confidence::Unverified => 0,
            Confidence::Secondary => 1,
            Confidence::Verified | Confidence::Given => 2,
        }
    }

    /// The weaker of two confidences; between a user-given figure and a
    /// verified one, the verified one names the sort of evidence.
    pub fn weakest(self, other: Confidence) -> Confidence {
        let tie_to_evidence = other.rank() == self.rank() && self == Confidence::Given;
        if other.rank() < self.rank() || tie_to_evidence {
            other
        } else {
            self
        }
    }

    /// The label used in the data file and in output.
    pub fn label(self) -> &'static str {
        match self {
            Confidence::Verified => "V",
            Confidence::Secondary => "2nd",
            Confidence::Unverified => "?",
            Confidence::Given => "given",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One figure of a policy with its provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure<T> {
    pub value: T,
    /// The document (or observation) the value was read in.
    pub source: String,
    pub confidence: Confidence,
}

impl<T> Figure<T> {
    pub fn new(value: T, source: impl Into<String>, confidence: Confidence) -> Figure<T> {
        Figure {
            value,
            source: source.into(),
            confidence,
        }
    }
}

/// A length in whole days, `min..=max`; a single number in the data file
/// means `min == max`. A range says that the stage can end on any of those
/// days (registrars delete a gTLD name any day within auto-renew grace).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "DayRangeRepr", into = "DayRangeRepr")]
pub struct DayRange {
    min: u32,
    max: u32,
}

/// Longest stage the table accepts: ten years. Anything longer is a typo.
pub const MAX_STAGE_DAYS: u32 = 3650;

/// Why a day range is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DayRangeError {
    /// The range is written backwards: write the smaller number first.
    #[error("day range {min}-{max} is backwards (minimum above maximum)")]
    Backwards { min: u32, max: u32 },
    /// A stage longer than ten years: check the number.
    #[error("{days} days is longer than the {MAX_STAGE_DAYS}-day limit for a stage")]
    TooLong { days: u32 },
    /// The text is not `N` or `MIN-MAX` with whole non-negative numbers.
    #[error("{text:?} is not a number of days (expected N or MIN-MAX, whole days, not negative)")]
    Malformed { text: String },
}

impl DayRange {
    pub fn new(min: u32, max: u32) -> Result<DayRange, DayRangeError> {
        if min > max {
            return Err(DayRangeError::Backwards { min, max });
        }
        if max > MAX_STAGE_DAYS {
            return Err(DayRangeError::TooLong { days: max });
        }
        Ok(DayRange { min, max })
    }

    /// A fixed length; `days` above [`MAX_STAGE_DAYS`] is refused.
    pub fn exactly(days: u32) -> Result<DayRange, DayRangeError> {
        DayRange::new(days, days)
    }

    /// The zero-length stage (the TLD has no such stage).
    pub const NONE: DayRange = DayRange { min: 0, max: 0 };

    pub fn min(self) -> u32 {
        self.min
    }

    pub fn max(self) -> u32 {
        self.max
    }

    pub fn is_fixed(self) -> bool {
        self.min == self.max
    }

    /// Parses `N` or `MIN-MAX` as typed on a command line.
    pub fn parse(text: &str) -> Result<DayRange, DayRangeError> {
        let malformed = || DayRangeError::Malformed {
            text: text.to_owned(),
        };
        let number = |part: &str| -> Result<u32, DayRangeError> {
            let part = part.trim();
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(malformed());
            }
            // Digits only, so the one failure left is overflow: an absurd length.
            part.parse::<u32>()
                .map_err(|_| DayRangeError::TooLong { days: u32::MAX })
        };
        match text.trim().split_once('-') {
            Some((min, max)) => DayRange::new(number(min)?, number(max)?),
            None => DayRange::exactly(number(text)?),
        }
    }
}

impl fmt::Display for DayRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_fixed() {
            write!(f, "{}", self.min)
        } else {
            write!(f, "{}-{}", self.min, self.max)
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum DayRangeRepr {
    Fixed(u32),
    Range([u32; 2]),
}

impl TryFrom<DayRangeRepr> for DayRange {
    type Error = DayRangeError;

    fn try_from(repr: DayRangeRepr) -> Result<DayRange, DayRangeError> {
        match repr {
            DayRangeRepr::Fixed(days) => DayRange::exactly(days),
            DayRangeRepr::Range([min, max]) => DayRange::new(min, max),
        }
    }
}

impl From<DayRange> for DayRangeRepr {
    fn from(range: DayRange) -> DayRangeRepr {
        if range.is_fixed() {
            DayRangeRepr::Fixed(range.min)
        } else {
            DayRangeRepr::Range([range.min, range.max])
        }
    }
}

/// Whether a name still resolves while it is renewable after expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolves {
    Yes,
    No,
    /// Part of the time: e.g. gTLD registrars interrupt DNS for at least the
    /// last 8 renewable days; Nominet suspends from D+30.
    Partly,
}

impl Resolves {
    /// The data-file spelling.
    pub fn label(self) -> &'static str {
        match self {
            Resolves::Yes => "yes",
            Resolves::No => "no",
            Resolves::Partly => "partly",
        }
    }
}

/// How a name becomes available again after its last stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseRule {
    /// On the day after the last stage (gTLD: after the 5-day pending delete).
    AfterStages,
    /// In a periodic batch after the last stage (.ca: weekly); the stage
    /// lengths include the wait for the batch.
    WeeklyBatch,
    /// On a date the registry publishes (.ru `free-date`, .se
    /// `date_to_release`, .eu, .nl): that date wins over the computed one.
    RegistryDate,
    /// In release rounds a few times a year (.br).
    Rounds,
    /// The registry documents no release rule that the table knows of.
    Unknown,
}

impl ReleaseRule {
    pub fn describe(self) -> &'static str {
        match self {
            ReleaseRule::AfterStages => "the day after the last stage",
            ReleaseRule::WeeklyBatch => "in a weekly batch after the last stage",
            ReleaseRule::RegistryDate => "on the date the registry publishes",
            ReleaseRule::Rounds => "in release rounds a few times a year",
            ReleaseRule::Unknown => "not documented",
        }
    }
}

/// The zone a registry prints its WHOIS times in, which is also the zone
/// whose calendar days the lifecycle counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum RegistryZone {
    /// A fixed UTC offset (CNNIC +08:00, JPRS +09:00, gTLDs +00:00).
    Fixed(FixedOffset),
    /// The table does not know: times are read and days counted in UTC.
    Unknown,
}

impl RegistryZone {
    /// The offset to count days in: UTC when unknown.
    pub fn offset(self) -> FixedOffset {
        match self {
            RegistryZone::Fixed(offset) => offset,
            RegistryZone::Unknown => Utc.fix(),
        }
    }
}

impl TryFrom<String> for RegistryZone {
    type Error = String;

    fn try_from(text: String) -> Result<RegistryZone, String> {
        if text.eq_ignore_ascii_case("unknown") {
            return Ok(RegistryZone::Unknown);
        }
        if text.eq_ignore_ascii_case("utc") || text == "Z" {
            return Ok(RegistryZone::Fixed(Utc.fix()));
        }
        text.parse::<FixedOffset>()
            .map(RegistryZone::Fixed)
            .map_err(|_| format!("{text:?} is not a UTC offset like \"+08:00\" or \"unknown\""))
    }
}

impl From<RegistryZone> for String {
    fn from(zone: RegistryZone) -> String {
        zone.to_string()
    }
}

impl fmt::Display for RegistryZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryZone::Fixed(offset) => write!(f, "{offset}"),
            RegistryZone::Unknown => f.write_str("unknown"),
        }
    }
}

/// Which registrar an entry is about: names (any spelling the registrar is
/// published under, matched as described in [`super::registrar_name`]) and
/// IANA registrar IDs where known for certain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistrarMatcher {
    /// A label for output ("GoDaddy").
    pub label: String,
    pub names: Vec<String>,
    #[serde(default)]
    pub iana_ids: Vec<u32>,
}

/// One entry of the policy table.
///
/// `tlds` holds TLD labels (A-label, lower case) or a class: `gtld` (every
/// TLD that is not a country code), `cctld` (every country-code TLD) or `*`.
/// The entries for the classes `gtld` and `cctld` without a registrar are the
/// fallbacks and must give every figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyEntry {
    /// Unique; an entry in a user file with the same id replaces this one.
    pub id: String,
    pub tlds: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registrar: Option<RegistrarMatcher>,
    /// Days the name stays renewable after the expiry day, before the
    /// registry deletes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace: Option<Figure<DayRange>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolves_in_grace: Option<Figure<Resolves>>,
    /// Days after deletion during which the holder can restore the name (a
    /// quarantine where only the last holder may re-register counts too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redemption: Option<Figure<DayRange>>,
    /// Days between the end of redemption and the release; not restorable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_delete: Option<Figure<DayRange>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<Figure<ReleaseRule>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publishes_expiry: Option<Figure<bool>>,
    /// Whether the registry renews the name itself at expiry (its published
    /// expiry then moves a year ahead although nobody paid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renews: Option<Figure<bool>>,
    /// Days a registry keeps the status `autoRenewPeriod` after it
    /// auto-renewed a name at expiry; the status held longer is a
    /// `phase-mismatch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_renew_period: Option<Figure<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<Figure<RegistryZone>>,
    /// How and why this entry's dates differ from the generic gTLD pattern,
    /// shown with every timeline that uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
    /// Why a figure was chosen where sources conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("30", 30, 30)]
    #[case(" 8-45 ", 8, 45)]
    #[case("0", 0, 0)]
    #[case("0-45", 0, 45)]
    fn day_ranges_parse(#[case] text: &str, #[case] min: u32, #[case] max: u32) {
        assert_eq!(DayRange::parse(text), DayRange::new(min, max));
        assert_eq!(
            DayRange::new(min, max).map(|r| (r.min(), r.max())),
            Ok((min, max))
        );
    }

    #[rstest]
    #[case("-5")]
    #[case("thirty")]
    #[case("45-8")]
    #[case("1-2-3")]
    #[case("")]
    #[case("99999999999")]
    #[case("4000")]
    #[case("3.5")]
    fn bad_day_ranges_are_refused(#[case] text: &str) {
        assert!(DayRange::parse(text).is_err(), "{text:?} accepted");
    }

    #[test]
    fn day_range_reads_number_or_pair_from_toml() {
        #[derive(Deserialize)]
        struct Doc {
            a: DayRange,
            b: DayRange,
        }
        let doc: Result<Doc, _> = toml::from_str("a = 30\nb = [0, 45]\n");
        let doc = doc.map(|d| (d.a.to_string(), d.b.to_string()));
        assert_eq!(doc.ok(), Some(("30".to_owned(), "0-45".to_owned())));
        let backwards: Result<Doc, _> = toml::from_str("a = 30\nb = [45, 0]\n");
        assert!(backwards.is_err());
    }

    #[rstest]
    #[case("+08:00", "+08:00")]
    #[case("UTC", "+00:00")]
    #[case("unknown", "unknown")]
    fn zones_round_trip(#[case] text: &str, #[case] shown: &str) {
        let zone = RegistryZone::try_from(text.to_owned());
        assert_eq!(zone.map(|z| z.to_string()), Ok(shown.to_owned()));
    }

    #[test]
    fn unknown_zone_counts_in_utc() {
        assert_eq!(RegistryZone::Unknown.offset().local_minus_utc(), 0);
        assert!(RegistryZone::try_from("China".to_owned()).is_err());
    }

    #[test]
    fn weakest_confidence_decides() {
        assert_eq!(
            Confidence::Verified.weakest(Confidence::Secondary),
            Confidence::Secondary
        );
        assert_eq!(
            Confidence::Given.weakest(Confidence::Verified),
            Confidence::Verified
        );
        assert_eq!(
            Confidence::Given.weakest(Confidence::Given),
            Confidence::Given
        );
        assert_eq!(
            Confidence::Secondary.weakest(Confidence::Unverified),
            Confidence::Unverified
        );
    }
}
