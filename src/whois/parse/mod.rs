//! Reading a port-43 WHOIS answer into a [`Record`].
//!
//! The pipeline, one module per step:
//!
//! 1. [`registry`]: which registry's conventions apply (by the answering
//!    server, else by the TLD): date order, local zone, charset;
//! 2. [`text`]: bytes to clean text;
//! 3. [`lines`]: the generic reader, text to `key: value` fields with the
//!    heading and object each sits in;
//! 4. [`fields`]: what each key means; [`dates`] and [`statuses`] read the
//!    values; [`build`] puts the domain's fields into the record;
//! 5. [`answer`]: when there is no record, whether the text says "no such
//!    name" or "slow down".

mod answer;
mod build;
mod dates;
mod fields;
mod lines;
mod registry;
mod statuses;
mod text;

use crate::record::{Protocol, Record, Role, Source};
use crate::status::Status;

use super::{WhoisParseError, WhoisQuery};
use answer::Verdict;

/// Lines of the answer kept as evidence in an error.
const EVIDENCE_LINES: usize = 6;
const EVIDENCE_CHARS: usize = 480;

/// Reads `body` into a record; with it, the names the answer's domain
/// lines give (`Domain Name:` and its synonyms, as printed).
pub(super) fn parse(
    query: &WhoisQuery,
    body: &[u8],
) -> Result<(Record, Vec<String>), WhoisParseError> {
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
    let fields = lines::read_fields(&decoded.text);
    let mut record = Record::new(query.domain.clone(), source.clone());
    let outcome = build::assemble(&fields, &registry, &mut record);
    if let Some(note) = decoded.note {
        record.notes.push(note);
    }
    if has_registration_data(&record) {
        note_other_name(&mut record, &outcome.names);
        return Ok((record, outcome.names));
    }
    if outcome.free {
        let record = Record::not_registered(query.domain.clone(), source);
        return Ok((record, outcome.names));
    }
    match answer::verdict(&decoded.text) {
        Some(Verdict::RateLimited(line)) => {
            return Err(WhoisParseError::RateLimited {
                server,
                evidence: line,
            });
        }
        Some(Verdict::NotFound) => {
            let record = Record::not_registered(query.domain.clone(), source);
            return Ok((record, outcome.names));
        }
        None => {}
    }
    if !outcome.names.is_empty() {
        note_other_name(&mut record, &outcome.names);
        record
            .notes
            .push("the answer names the domain but gives no registration data".to_string());
        return Ok((record, outcome.names));
    }
    Err(WhoisParseError::Unreadable {
        server,
        evidence: evidence(&decoded.text),
    })
}

/// Status words read the way [`parse`] reads a status line of the `tld`
/// registry, then put in their final shape (see [`statuses::finish`]).
pub(super) fn status_words(tld: &str, words: &[&str]) -> Vec<Status> {
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

/// The first non-empty lines of the answer, shortened.
fn evidence(text: &str) -> String {
    let joined = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .take(EVIDENCE_LINES)
        .collect::<Vec<_>>()
        .join(" | ");
    joined.chars().take(EVIDENCE_CHARS).collect()
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
