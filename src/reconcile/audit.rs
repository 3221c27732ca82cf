//! [`Audit`]: what an audit of one name needs besides the record (the
//! policy, the tier's threshold, the owner's intent and expiry, the as-of
//! instant). Its own leaf so that the rules and `facts` can take it without
//! reaching up into `reconcile/mod.rs`, which declares them.

use chrono::{DateTime, Utc};

use super::finding::Severity;
use super::thresholds::{Threshold, Thresholds};
use crate::input::{InputItem, Intent};
use crate::lifecycle::ResolvedPolicy;

/// Everything besides the record that an audit of one name needs.
#[derive(Debug, Clone, Copy)]
pub struct Audit<'a> {
    /// The policy of the name's TLD and registrar.
    pub policy: &'a ResolvedPolicy,
    /// The `expiring` windows of the name's tier.
    pub threshold: Threshold,
    /// What the owner means to do with the name.
    pub intent: Intent,
    /// The owner's own expiry (CSV `expires`): used when the registry
    /// publishes none.
    pub input_expiry: Option<DateTime<Utc>>,
    /// The instant the audit is evaluated for (now, or `--as-of`).
    pub as_of: DateTime<Utc>,
}

impl<'a> Audit<'a> {
    /// An audit for a name to keep, with the default thresholds.
    pub fn new(policy: &'a ResolvedPolicy, as_of: DateTime<Utc>) -> Audit<'a> {
        Audit {
            policy,
            threshold: Threshold::default(),
            intent: Intent::Keep,
            input_expiry: None,
            as_of,
        }
    }

    /// The audit of an input line: its tier's threshold, its intent and its
    /// `expires` column.
    pub fn for_item(
        item: &InputItem,
        policy: &'a ResolvedPolicy,
        thresholds: &Thresholds,
        as_of: DateTime<Utc>,
    ) -> Audit<'a> {
        Audit {
            policy,
            threshold: thresholds.for_tier(item.tier.as_deref()),
            intent: item.intent.unwrap_or_default(),
            input_expiry: item.expires,
            as_of,
        }
    }

    /// `keep` for a name to keep, `drop` for one being retired.
    pub(crate) fn severity(&self, keep: Severity) -> Severity {
        match self.intent {
            Intent::Keep => keep,
            Intent::Drop => Severity::Notice,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_to_drop_lowers_lifecycle_severities_to_notice() {
        let Ok(table) = crate::lifecycle::PolicyTable::builtin() else {
            panic!("built-in policy table")
        };
        let policy = table.resolve("com", None);
        let as_of = DateTime::<Utc>::MIN_UTC;
        let keep = Audit::new(&policy, as_of);
        let drop = Audit {
            intent: Intent::Drop,
            ..keep
        };
        assert_eq!(keep.severity(Severity::Error), Severity::Error);
        assert_eq!(drop.severity(Severity::Error), Severity::Notice);
        assert_eq!(drop.severity(Severity::Warning), Severity::Notice);
    }
}
