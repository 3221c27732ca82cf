//! Reading a port-43 WHOIS answer into a [`Record`].
//!
//! The pipeline, one module per step:
//!
//! 1. [`registry`]: which registry's conventions apply (by the answering
//!    server, else by the TLD): date order, local zone, charset;
//! 2. [`text`]: bytes to clean text; [`parts`]: of an answer holding
//!    several servers' answers, the one to read;
//! 3. [`lines`]: the generic reader, text to `key: value` fields with the
//!    heading and object each sits in;
//! 4. [`fields`]: what each key means; [`dates`] and [`statuses`] read the
//!    values; [`build`] puts the domain's fields into the record;
//! 5. [`answer`]: what the free text says: "no such name" (which outranks
//!    echoed fields, though not a creation or expiry date), "slow down"
//!    (a refusal when there is nothing else, a note over a record).

mod answer;
mod build;
mod dates;
mod fields;
mod lines;
mod parts;
mod query;
mod registry;
mod statuses;
mod text;

use crate::record::{Protocol, Record, Role, Source};
use crate::status::Status;

use answer::Availability;
pub use query::{WhoisParseError, WhoisQuery};
pub use registry::KnownRegistry;

/// Lines of the answer kept as evidence in an error.
const EVIDENCE_LINES: usize = 8;
const EVIDENCE_CHARS: usize = 640;

/// Reads a WHOIS answer (`body`, the bytes as received) to the `query`.
///
/// A "no match" answer is a record with `registered: false`. Times without
/// a zone are read in the registry's zone and converted to UTC; dates that
/// cannot be read, a guessed charset and an answer about another name are
/// kept in [`Record::notes`].
pub fn parse_whois(query: &WhoisQuery, body: &[u8]) -> Result<Record, WhoisParseError> {
    read_whois(query, body).map(|read| read.record)
}

/// A WHOIS answer read into a record, with the names it gives itself.
#[derive(Debug, Clone, PartialEq)]
pub struct WhoisRead {
    pub record: Record,
    /// What the answer's domain lines (`Domain Name:`, `domain:` ...) say,
    /// as printed: the caller checks that the answer is about the name it
    /// asked for. Lines of contact and registrar blocks are not in it.
    pub names: Vec<String>,
}

/// [`parse_whois`], keeping the names the answer gives its domain.
pub fn read_whois(query: &WhoisQuery, body: &[u8]) -> Result<WhoisRead, WhoisParseError> {
    let registry = registry::select(query.server.as_deref(), &query.tld, query.zone);
    let decoded = text::decode(body, registry.charset, &registry.tld);
    let server = query.server_name();
    if decoded.text.trim().is_empty() {
        return Err(WhoisParseError::Empty { server });
    }
    let source = Source {
        protocol: Protocol::Whois,
        server: query.server.clone(),
        url: None,
        role: Role::Registry,
    };
    let (text, parts_note) = parts::select(&decoded.text, query.server.as_deref());
    let fields = lines::read_fields(text);
    let mut record = Record::new(query.domain.clone(), source.clone());
    let outcome = build::assemble(&fields, &registry, &mut record);
    let read = |record| {
        Ok(WhoisRead {
            record,
            names: outcome.names.clone(),
        })
    };
    record.notes.extend(decoded.note.clone());
    record.notes.extend(parts_note);
    // A record with a creation or expiry date is registered whatever else
    // the text says; only a quota banner over it is worth a note.
    if has_defining_dates(&record) {
        note_other_name(&mut record, &outcome.names);
        record
            .notes
            .extend(answer::banner(text, &query.domain).map(banner_note));
        return read(record);
    }
    let said = answer::read(text, &query.domain);
    let banner = said.refusal.clone().filter(|r| r.strong && r.opens);
    // What the answer says about availability outranks the fields it
    // prints around it.
    let stated_free = outcome.free || said.not_found == Some(Availability::Statement);
    let free = if has_registration_data(&record) {
        stated_free
    } else {
        stated_free || said.not_found.is_some()
    };
    if free {
        let mut free_record = Record::not_registered(query.domain.clone(), source);
        free_record
            .notes
            .extend(said.refusal.filter(|r| r.strong).map(banner_note));
        return read(free_record);
    }
    if has_registration_data(&record) {
        note_other_name(&mut record, &outcome.names);
        record.notes.extend(banner.map(banner_note));
        return read(record);
    }
    if let Some(refusal) = said.refusal {
        return Err(WhoisParseError::RateLimited {
            server,
            evidence: refusal.line,
        });
    }
    if !outcome.names.is_empty() {
        note_other_name(&mut record, &outcome.names);
        record
            .notes
            .push("the answer names the domain but gives no registration data".to_string());
        return read(record);
    }
    Err(WhoisParseError::Unreadable {
        server,
        evidence: evidence(text),
    })
}

/// The registries whose answers are read with conventions of their own
/// (date order, charset, servers), by TLD; every other answer is read by
/// the generic reader alone, with the TLD's zone from the policy table and
/// dates read only where their order is certain.
pub fn known_registries() -> Vec<KnownRegistry> {
    registry::known_registries()
}

/// Status words as the reader maps them for the `tld` registry (the way
/// [`parse_whois`] reads a status line), in their final shape
/// (`REGISTERED, NOT DELEGATED` -> `[inactive]`, see `statuses::finish`).
/// For comparing other tools' status lists with domlife's.
pub fn map_status_words(tld: &str, words: &[&str]) -> Vec<Status> {
    let tld = tld.to_ascii_lowercase();
    let found = words
        .iter()
        .flat_map(|word| statuses::read_value(&tld, &tld, word))
        .flat_map(|word| match word {
            statuses::Word::Statuses(found) => found,
            statuses::Word::Free | statuses::Word::Nothing => Vec::new(),
        })
        .collect();
    statuses::finish(found).0
}

fn banner_note(refusal: answer::Refusal) -> String {
    format!(
        "the server also said {:?}: the answer may be reduced",
        refusal.line
    )
}

/// The dates only a registered name has.
fn has_defining_dates(record: &Record) -> bool {
    record.expires.is_some() || record.registrar_expires.is_some() || record.created.is_some()
}

fn has_registration_data(record: &Record) -> bool {
    record.expires.is_some()
        || record.registrar_expires.is_some()
        || record.created.is_some()
        || record.updated.is_some()
        || !record.statuses.is_empty()
        || !record.nameservers.is_empty()
        || record.registrar.is_some()
        || record.registry_dates.deletion.is_some()
        || record.registry_dates.release.is_some()
}

/// A registry answering about another name (a wrong referral, a
/// normalisation) is worth a note; the record keeps the name asked for.
fn note_other_name(record: &mut Record, names: &[String]) {
    let matches = |name: &String| {
        name.trim_end_matches('.')
            .eq_ignore_ascii_case(record.domain.trim_end_matches('.'))
    };
    if let Some(first) = names.first()
        && !names.iter().any(matches)
    {
        let note = format!("the answer is about {first:?}");
        record.notes.push(note);
    }
}

/// The first non-empty lines of the answer, each escaped (quotes,
/// backslashes and anything unprintable as Rust escapes) and joined with
/// ` | `, shortened: enough for a bug report, safe to print.
fn evidence(text: &str) -> String {
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(EVIDENCE_LINES)
        .map(|line| line.escape_debug().to_string())
        .collect::<Vec<_>>()
        .join(" | ");
    let mut shortened: String = joined.chars().take(EVIDENCE_CHARS).collect();
    if shortened.len() < joined.len() {
        shortened.push_str(" ...");
    }
    shortened
}

#[cfg(test)]
mod tests;
