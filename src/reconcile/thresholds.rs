//! [`Thresholds`]: how many days before expiry `expiring` becomes a warning
//! and then an error, by default and per tier.
//!
//! Tiers are the owner's own words (the CSV `tier` column, a config file's
//! `[thresholds.tiers.core]`): a portfolio's core names are usually warned
//! much earlier than parked ones. Plain serde data, so that the config file
//! fills it directly; unknown keys are refused so a typo is not ignored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Days before expiry at which `expiring` is raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    /// Within this many days: a warning.
    pub warning_days: u32,
    /// Within this many days: an error.
    pub error_days: u32,
}

impl Default for Threshold {
    /// 30 and 7 days: the ICANN reminder schedule (ERRP D-30, D-7).
    fn default() -> Threshold {
        Threshold {
            warning_days: 30,
            error_days: 7,
        }
    }
}

/// The default threshold and the overrides per tier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    #[serde(default)]
    pub default: Threshold,
    /// Keyed by tier name, compared without regard to case or surrounding space.
    #[serde(default)]
    pub tiers: BTreeMap<String, Threshold>,
}

impl Thresholds {
    /// The threshold for a name of `tier` (the default when the tier is not
    /// listed or the name has none).
    pub fn for_tier(&self, tier: Option<&str>) -> Threshold {
        let Some(tier) = tier.map(str::trim).filter(|tier| !tier.is_empty()) else {
            return self.default;
        };
        self.tiers
            .iter()
            .find(|(name, _)| name.trim().eq_ignore_ascii_case(tier))
            .map_or(self.default, |(_, threshold)| *threshold)
    }

    /// Adds or replaces the threshold of one tier.
    pub fn with_tier(mut self, tier: impl Into<String>, threshold: Threshold) -> Thresholds {
        self.tiers.insert(tier.into(), threshold);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_are_matched_without_case_and_fall_back_to_the_default() {
        let core = Threshold {
            warning_days: 60,
            error_days: 14,
        };
        let thresholds = Thresholds::default().with_tier("core", core);
        assert_eq!(thresholds.for_tier(Some(" Core ")), core);
        assert_eq!(thresholds.for_tier(Some("parked")), Threshold::default());
        assert_eq!(thresholds.for_tier(Some("")), Threshold::default());
        assert_eq!(thresholds.for_tier(None), Threshold::default());
    }

    #[test]
    fn config_form_refuses_unknown_keys() {
        let read: Result<Thresholds, _> =
            toml::from_str("[tiers.core]\nwarning_days = 60\nerror_days = 14\n");
        assert_eq!(
            read.ok().map(|t| t.for_tier(Some("core")).warning_days),
            Some(60)
        );
        let typo: Result<Thresholds, _> = toml::from_str("[default]\nwarn_days = 10\n");
        assert!(typo.is_err());
    }
}
