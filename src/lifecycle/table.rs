//! [`PolicyTable`]: the built-in policy data (`data/policies.toml`, compiled
//! in), user overrides, and resolution of the policy for one TLD and
//! registrar.
//!
//! Resolution layers entries from the most general to the most specific, a
//! more specific entry replacing only the figures it gives:
//!
//! 1. the class fallback: `gtld` for generic TLDs, `cctld` for country codes
//!    (see [`TldClass`]);
//! 2. the entry for the TLD itself, if any;
//! 3. the best registrar entry that applies to the TLD: matched by IANA ID
//!    before name, then an entry for the TLD itself before one for its class
//!    before one for `*`, then the later entry (user entries come last).
//!
//! A user file uses the same format; an entry whose `id` is already in the
//! table replaces it, any other is added.

use std::sync::OnceLock;

use chrono::FixedOffset;
use serde::Deserialize;

use super::policy::{Figure, PolicyEntry};
use super::registrar_name::{AliasError, NameKey};
use super::resolved::{EntryText, MatchedBy, RegistrarMatch, Resolved, ResolvedPolicy};
use super::tld_class::TldClass;
use crate::record::Registrar;

/// The built-in table as written in the repository.
const BUILTIN: &str = include_str!("../../data/policies.toml");

/// The origin named in errors about the built-in table.
const BUILTIN_ORIGIN: &str = "built-in policy table";

/// Why a policy table could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The file is not TOML in the table's format; the message gives the
    /// line and column of the problem.
    #[error("policy file {origin} is not valid: {message}")]
    Syntax { origin: String, message: String },
    /// Two entries of one file share an id: rename one.
    #[error("policy file {origin}: entry id {id:?} appears twice")]
    DuplicateId { origin: String, id: String },
    /// An entry applies to nothing: give `tlds`.
    #[error("policy file {origin}: entry {id:?} lists no TLDs")]
    NoTlds { origin: String, id: String },
    /// A TLD selector is not a lower-case label, `gtld`, `cctld` or `*`.
    #[error(
        "policy file {origin}: entry {id:?} has TLD {tld:?}; use a lower-case label without dots (A-label), \"gtld\", \"cctld\" or \"*\""
    )]
    BadTld {
        origin: String,
        id: String,
        tld: String,
    },
    /// A registrar entry needs distinctive names or IANA IDs to be found.
    #[error("policy file {origin}: entry {id:?}: {problem}")]
    BadAlias {
        origin: String,
        id: String,
        #[source]
        problem: AliasError,
    },
    /// A registrar entry has neither names nor IANA IDs: it could never apply.
    #[error("policy file {origin}: registrar entry {id:?} has no names and no IANA IDs")]
    UnmatchableRegistrar { origin: String, id: String },
    /// The fallback for a class of TLDs must give every figure, since every
    /// TLD of the class without its own entry takes all its figures from it.
    #[error("{origin}: fallback entry {id:?} (for {class}) gives no {field}")]
    IncompleteFallback {
        origin: String,
        id: String,
        class: &'static str,
        field: &'static str,
    },
    /// The table has no fallback for a class of TLDs: keep the `gtld` and
    /// `cctld` entries (or override them, completely).
    #[error("{origin}: no fallback entry for {class}")]
    MissingFallback { origin: String, class: &'static str },
}

impl PolicyError {
    /// Where the problem is: a file path or the built-in table.
    pub fn origin(&self) -> &str {
        match self {
            PolicyError::Syntax { origin, .. }
            | PolicyError::DuplicateId { origin, .. }
            | PolicyError::NoTlds { origin, .. }
            | PolicyError::BadTld { origin, .. }
            | PolicyError::BadAlias { origin, .. }
            | PolicyError::UnmatchableRegistrar { origin, .. }
            | PolicyError::IncompleteFallback { origin, .. }
            | PolicyError::MissingFallback { origin, .. } => origin,
        }
    }

    /// True when the built-in table itself is at fault (a bug in domlife,
    /// not in the user's input).
    pub fn is_builtin(&self) -> bool {
        self.origin() == BUILTIN_ORIGIN
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    entry: Vec<PolicyEntry>,
}

#[derive(Debug, Clone)]
struct LoadedEntry {
    entry: PolicyEntry,
    aliases: Vec<(String, NameKey)>,
}

/// The policy table: built-in entries, possibly with a user's overrides.
#[derive(Debug, Clone)]
pub struct PolicyTable {
    entries: Vec<LoadedEntry>,
    /// The fallbacks as complete policies, rebuilt whenever entries change.
    generic: ResolvedPolicy,
    country_code: ResolvedPolicy,
}

impl PolicyTable {
    /// The table compiled into the binary.
    pub fn builtin() -> Result<PolicyTable, PolicyError> {
        let entries = parse_entries(BUILTIN, BUILTIN_ORIGIN)?;
        let (generic, country_code) = fallbacks(&entries, BUILTIN_ORIGIN)?;
        Ok(PolicyTable {
            entries,
            generic,
            country_code,
        })
    }

    /// The built-in table, parsed once per process, for readers that need a
    /// figure or two (the WHOIS reader's registry zones). `None` only if the
    /// compiled-in data were broken, which the tests rule out.
    pub fn shared_builtin() -> Option<&'static PolicyTable> {
        static TABLE: OnceLock<Option<PolicyTable>> = OnceLock::new();
        TABLE.get_or_init(|| PolicyTable::builtin().ok()).as_ref()
    }

    /// The zone the registry of `tld` prints its WHOIS times in (UTC when
    /// the table does not know).
    pub fn registry_zone(&self, tld: &str) -> FixedOffset {
        self.resolve(tld, None).time_zone.figure.value.offset()
    }

    /// Adds or replaces entries from TOML text; `origin` names it in errors.
    /// On error the table is left as it was.
    pub fn merge(&mut self, text: &str, origin: &str) -> Result<(), PolicyError> {
        let file: PolicyFile = toml::from_str(text).map_err(|error| PolicyError::Syntax {
            origin: origin.to_owned(),
            message: syntax_message(text, &error),
        })?;
        self.add_entries(file.entry, origin)
    }

    /// Adds entries already read (from a settings file, say), with the
    /// same checks and the same replacement by `id` as [`PolicyTable::merge`];
    /// `origin` names them in errors.
    pub fn add_entries(&mut self, new: Vec<PolicyEntry>, origin: &str) -> Result<(), PolicyError> {
        let mut entries = self.entries.clone();
        for loaded in load_entries(new, origin)? {
            match entries
                .iter_mut()
                .find(|existing| existing.entry.id == loaded.entry.id)
            {
                Some(existing) => *existing = loaded,
                None => entries.push(loaded),
            }
        }
        let (generic, country_code) = fallbacks(&entries, origin)?;
        *self = PolicyTable {
            entries,
            generic,
            country_code,
        };
        Ok(())
    }

    /// All entries, built-in first, in file order.
    pub fn entries(&self) -> impl Iterator<Item = &PolicyEntry> {
        self.entries.iter().map(|loaded| &loaded.entry)
    }

    /// The policy for `tld` (a lower-case A-label without dots) and, when
    /// known, its registrar.
    pub fn resolve(&self, tld: &str, registrar: Option<&Registrar>) -> ResolvedPolicy {
        let tld = tld.trim_end_matches('.').to_ascii_lowercase();
        let class = TldClass::of(&tld);
        let mut policy = match class {
            TldClass::Generic => self.generic.clone(),
            TldClass::CountryCode => self.country_code.clone(),
        };
        policy.tld.clone_from(&tld);
        let own =
            self.entries.iter().rev().find(|loaded| {
                loaded.entry.registrar.is_none() && loaded.entry.tlds.contains(&tld)
            });
        if let Some(own) = own {
            overlay(&mut policy, &own.entry);
        }
        if let Some((entry, matched_by)) =
            registrar.and_then(|registrar| self.best_registrar(&tld, class, registrar))
        {
            overlay(&mut policy, entry);
            policy.registrar = Some(RegistrarMatch {
                entry: entry.id.clone(),
                label: entry
                    .registrar
                    .as_ref()
                    .map(|matcher| matcher.label.clone())
                    .unwrap_or_default(),
                matched_by,
            });
        }
        // An entry counts as used when it gave a figure (a complete TLD
        // entry hides the fallback) or is the matched registrar's.
        let used: Vec<String> = policy
            .figure_entries()
            .into_iter()
            .map(str::to_owned)
            .chain(policy.registrar.as_ref().map(|r| r.entry.clone()))
            .collect();
        policy.entries.retain(|id| used.contains(id));
        policy
            .explanations
            .retain(|text| used.contains(&text.entry));
        policy.notes.retain(|text| used.contains(&text.entry));
        policy
    }

    fn best_registrar(
        &self,
        tld: &str,
        class: TldClass,
        registrar: &Registrar,
    ) -> Option<(&PolicyEntry, MatchedBy)> {
        let iana_id = registrar
            .iana_id
            .as_deref()
            .and_then(|id| id.trim().parse::<u32>().ok());
        let name = registrar.name.as_deref().map(NameKey::of);
        let mut best: Option<((u8, u8, usize), &PolicyEntry, MatchedBy)> = None;
        for (position, loaded) in self.entries.iter().enumerate() {
            let Some(matcher) = &loaded.entry.registrar else {
                continue;
            };
            let specificity = loaded
                .entry
                .tlds
                .iter()
                .map(|selector| match selector.as_str() {
                    s if s == tld => 3,
                    s if s == class.selector() => 2,
                    "*" => 1,
                    _ => 0,
                })
                .max()
                .unwrap_or(0);
            if specificity == 0 {
                continue;
            }
            let by_id = iana_id
                .filter(|id| matcher.iana_ids.contains(id))
                .map(MatchedBy::IanaId);
            let by_name = || {
                let name = name.as_ref()?;
                loaded
                    .aliases
                    .iter()
                    .find(|(_, key)| key.is_found_in(name))
                    .map(|(alias, _)| MatchedBy::Name(alias.clone()))
            };
            let Some(matched_by) = by_id.or_else(by_name) else {
                continue;
            };
            let strength = if matches!(matched_by, MatchedBy::IanaId(_)) {
                2
            } else {
                1
            };
            let rank = (strength, specificity, position);
            if best
                .as_ref()
                .is_none_or(|(best_rank, _, _)| rank > *best_rank)
            {
                best = Some((rank, &loaded.entry, matched_by));
            }
        }
        best.map(|(_, entry, matched_by)| (entry, matched_by))
    }
}

/// The complete policies of the `gtld` and `cctld` fallback entries (the
/// last entry for each, so a user's replacement wins).
fn fallbacks(
    entries: &[LoadedEntry],
    origin: &str,
) -> Result<(ResolvedPolicy, ResolvedPolicy), PolicyError> {
    let complete = |class: TldClass| {
        let selector = class.selector();
        let fallback = entries.iter().rev().find(|loaded| {
            loaded.entry.registrar.is_none() && loaded.entry.tlds.iter().any(|t| t == selector)
        });
        let Some(loaded) = fallback else {
            return Err(PolicyError::MissingFallback {
                origin: origin.to_owned(),
                class: selector,
            });
        };
        base(&loaded.entry, class).map_err(|field| PolicyError::IncompleteFallback {
            origin: origin.to_owned(),
            id: loaded.entry.id.clone(),
            class: selector,
            field,
        })
    };
    Ok((
        complete(TldClass::Generic)?,
        complete(TldClass::CountryCode)?,
    ))
}

/// A policy made of one entry alone, or the name of the first figure the
/// entry lacks.
fn base(entry: &PolicyEntry, class: TldClass) -> Result<ResolvedPolicy, &'static str> {
    fn take<T: Clone>(
        figure: &Option<Figure<T>>,
        id: &str,
        field: &'static str,
    ) -> Result<Resolved<T>, &'static str> {
        figure
            .as_ref()
            .map(|figure| Resolved::from_entry(figure, id))
            .ok_or(field)
    }
    let id = entry.id.as_str();
    let mut policy = ResolvedPolicy {
        tld: String::new(),
        class,
        entries: Vec::new(),
        registrar: None,
        grace: take(&entry.grace, id, "grace")?,
        resolves_in_grace: take(&entry.resolves_in_grace, id, "resolves_in_grace")?,
        redemption: take(&entry.redemption, id, "redemption")?,
        pending_delete: take(&entry.pending_delete, id, "pending_delete")?,
        release: take(&entry.release, id, "release")?,
        publishes_expiry: take(&entry.publishes_expiry, id, "publishes_expiry")?,
        auto_renews: take(&entry.auto_renews, id, "auto_renews")?,
        auto_renew_period: take(&entry.auto_renew_period, id, "auto_renew_period")?,
        time_zone: take(&entry.time_zone, id, "time_zone")?,
        explanations: Vec::new(),
        notes: Vec::new(),
        overridden: Vec::new(),
    };
    overlay(&mut policy, entry);
    Ok(policy)
}

/// Lays `entry` over `policy`: the figures it gives replace the policy's.
fn overlay(policy: &mut ResolvedPolicy, entry: &PolicyEntry) {
    fn set<T: Clone>(target: &mut Resolved<T>, figure: &Option<Figure<T>>, id: &str) {
        if let Some(figure) = figure {
            *target = Resolved::from_entry(figure, id);
        }
    }
    let id = entry.id.as_str();
    set(&mut policy.grace, &entry.grace, id);
    set(&mut policy.resolves_in_grace, &entry.resolves_in_grace, id);
    set(&mut policy.redemption, &entry.redemption, id);
    set(&mut policy.pending_delete, &entry.pending_delete, id);
    set(&mut policy.release, &entry.release, id);
    set(&mut policy.publishes_expiry, &entry.publishes_expiry, id);
    set(&mut policy.auto_renews, &entry.auto_renews, id);
    set(&mut policy.auto_renew_period, &entry.auto_renew_period, id);
    set(&mut policy.time_zone, &entry.time_zone, id);
    policy.entries.push(entry.id.clone());
    let text = |text: &String| EntryText {
        entry: entry.id.clone(),
        text: text.clone(),
    };
    policy
        .explanations
        .extend(entry.explanation.iter().map(text));
    policy.notes.extend(entry.note.iter().map(text));
}

fn parse_entries(text: &str, origin: &str) -> Result<Vec<LoadedEntry>, PolicyError> {
    let file: PolicyFile = toml::from_str(text).map_err(|error| PolicyError::Syntax {
        origin: origin.to_owned(),
        message: syntax_message(text, &error),
    })?;
    load_entries(file.entry, origin)
}

fn load_entries(entries: Vec<PolicyEntry>, origin: &str) -> Result<Vec<LoadedEntry>, PolicyError> {
    let mut loaded = Vec::with_capacity(entries.len());
    for entry in entries {
        check_entry(&entry, origin)?;
        if loaded.iter().any(|l: &LoadedEntry| l.entry.id == entry.id) {
            return Err(PolicyError::DuplicateId {
                origin: origin.to_owned(),
                id: entry.id,
            });
        }
        let mut aliases = Vec::new();
        if let Some(matcher) = &entry.registrar {
            for name in &matcher.names {
                let key = NameKey::alias(name).map_err(|problem| PolicyError::BadAlias {
                    origin: origin.to_owned(),
                    id: entry.id.clone(),
                    problem,
                })?;
                aliases.push((name.clone(), key));
            }
        }
        loaded.push(LoadedEntry { entry, aliases });
    }
    Ok(loaded)
}

/// "line 3, column 14: unclosed array" from toml's error, on one line.
fn syntax_message(text: &str, error: &toml::de::Error) -> String {
    let message = error.message().trim().replace('\n', " ");
    let Some(offset) = error.span().map(|span| span.start.min(text.len())) else {
        return message;
    };
    let before = text.get(..offset).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    format!("line {line}, column {column}: {message}")
}

fn check_entry(entry: &PolicyEntry, origin: &str) -> Result<(), PolicyError> {
    if entry.tlds.is_empty() {
        return Err(PolicyError::NoTlds {
            origin: origin.to_owned(),
            id: entry.id.clone(),
        });
    }
    let is_label = |tld: &str| {
        !tld.is_empty()
            && tld
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if let Some(tld) = entry.tlds.iter().find(|tld| *tld != "*" && !is_label(tld)) {
        return Err(PolicyError::BadTld {
            origin: origin.to_owned(),
            id: entry.id.clone(),
            tld: tld.clone(),
        });
    }
    if let Some(matcher) = &entry.registrar
        && matcher.names.is_empty()
        && matcher.iana_ids.is_empty()
    {
        return Err(PolicyError::UnmatchableRegistrar {
            origin: origin.to_owned(),
            id: entry.id.clone(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
