//! [`ResolvedPolicy`]: the figures that apply to one TLD (and registrar),
//! each still carrying where it came from.
//!
//! The table ([`super::table`]) builds it by layering entries; the timeline
//! reads its three stage lengths and its zone; the commands print it. Figures
//! the user gives on the command line replace the table's through
//! [`ResolvedPolicy::override_stage`], and say so.

use serde::Serialize;

use super::policy::{Confidence, DayRange, Figure, RegistryZone, ReleaseRule, Resolves};
use super::tld_class::TldClass;

/// The entry id recorded for a figure given on the command line.
pub const COMMAND_LINE: &str = "command line";

/// A figure and the id of the table entry it was taken from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolved<T> {
    #[serde(flatten)]
    pub figure: Figure<T>,
    /// Id of the entry that gave the figure, or [`COMMAND_LINE`].
    pub entry: String,
}

impl<T: Clone> Resolved<T> {
    pub fn value(&self) -> T {
        self.figure.value.clone()
    }

    pub(crate) fn from_entry(figure: &Figure<T>, entry: &str) -> Resolved<T> {
        Resolved {
            figure: figure.clone(),
            entry: entry.to_owned(),
        }
    }
}

/// How the registrar was recognised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// Its IANA registrar ID is listed in the entry.
    IanaId(u32),
    /// One of the entry's aliases occurs in its name.
    Name(String),
}

/// The registrar entry a policy used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistrarMatch {
    pub entry: String,
    pub label: String,
    pub matched_by: MatchedBy,
}

/// A text some entry attaches to every policy it takes part in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryText {
    pub entry: String,
    pub text: String,
}

/// The three stages whose lengths make the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Grace,
    Redemption,
    PendingDelete,
}

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Grace => "grace",
            Stage::Redemption => "redemption",
            Stage::PendingDelete => "pending_delete",
        }
    }
}

/// Everything the table says about one TLD and registrar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedPolicy {
    pub tld: String,
    pub class: TldClass,
    /// Ids of the entries used, from the most general to the most specific.
    pub entries: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registrar: Option<RegistrarMatch>,
    pub grace: Resolved<DayRange>,
    pub resolves_in_grace: Resolved<Resolves>,
    pub redemption: Resolved<DayRange>,
    pub pending_delete: Resolved<DayRange>,
    pub release: Resolved<ReleaseRule>,
    pub publishes_expiry: Resolved<bool>,
    pub auto_renews: Resolved<bool>,
    pub auto_renew_period: Resolved<u32>,
    pub time_zone: Resolved<RegistryZone>,
    /// How the entries' dates differ from the generic gTLD pattern.
    pub explanations: Vec<EntryText>,
    /// Why figures were chosen where sources conflict.
    pub notes: Vec<EntryText>,
    /// Stages whose length the user gave.
    pub overridden: Vec<Stage>,
}

impl ResolvedPolicy {
    /// Replaces a stage length with one the user gave (`flag` names where,
    /// e.g. "--grace").
    pub fn override_stage(&mut self, stage: Stage, days: DayRange, flag: &str) {
        self.override_stage_by(
            stage,
            days,
            format!("{flag} on the command line"),
            COMMAND_LINE,
        );
    }

    /// Replaces one stage's length with `days` given by the user elsewhere
    /// than in a flag (a column of a sheet): `source` says where, `entry`
    /// names it among the policy's entries.
    pub fn override_stage_by(&mut self, stage: Stage, days: DayRange, source: String, entry: &str) {
        let resolved = Resolved {
            figure: Figure::new(days, source, Confidence::Given),
            entry: entry.to_owned(),
        };
        match stage {
            Stage::Grace => self.grace = resolved,
            Stage::Redemption => self.redemption = resolved,
            Stage::PendingDelete => self.pending_delete = resolved,
        }
        if !self.overridden.contains(&stage) {
            self.overridden.push(stage);
        }
    }

    /// The confidence of the computed dates: that of the weakest figure they
    /// depend on (the three stage lengths).
    pub fn date_confidence(&self) -> Confidence {
        [&self.grace, &self.redemption, &self.pending_delete]
            .iter()
            .map(|resolved| resolved.figure.confidence)
            .fold(Confidence::Given, Confidence::weakest)
    }

    /// The ids of the entries the figures come from, in field order.
    pub fn figure_entries(&self) -> Vec<&str> {
        let all = [
            self.grace.entry.as_str(),
            self.resolves_in_grace.entry.as_str(),
            self.redemption.entry.as_str(),
            self.pending_delete.entry.as_str(),
            self.release.entry.as_str(),
            self.publishes_expiry.entry.as_str(),
            self.auto_renews.entry.as_str(),
            self.auto_renew_period.entry.as_str(),
            self.time_zone.entry.as_str(),
        ];
        distinct(all)
    }
}

fn distinct<const N: usize>(all: [&str; N]) -> Vec<&str> {
    let mut distinct: Vec<&str> = Vec::new();
    for item in all {
        if !distinct.contains(&item) {
            distinct.push(item);
        }
    }
    distinct
}
