//! Folding the sponsoring registrar's own RDAP answer into the registry's
//! record (the second step of a gTLD lookup, reached by the registry's
//! `related` link).

use std::fmt;

use super::text::one_line;
use crate::record::{Record, RegistrarView, Source};

/// Folds the registrar's own answer into the registry's record.
///
/// On success the registrar's view (its `expiration`, its statuses) goes to
/// [`Record::registrar_view`] and [`Record::registrar_expires`] is set from
/// its `registrar expiration` event or, failing that, its `expiration`. An
/// error, a "no such domain" or an answer about another name never fails
/// the record: it is kept in `registrar_view.error` and in a note.
pub fn merge_registrar<E: fmt::Display>(
    record: &mut Record,
    source: Source,
    answer: Result<Record, E>,
) {
    let registrar = match answer {
        Ok(registrar) if !registrar.registered => {
            Err("the registrar answered that it has no such domain".to_string())
        }
        Ok(registrar)
            if !registrar.domain.is_empty()
                && !record.domain.is_empty()
                && registrar.domain != record.domain =>
        {
            Err(format!(
                "the registrar answered about {:?}, not {:?}",
                registrar.domain, record.domain
            ))
        }
        Ok(registrar) => Ok(registrar),
        Err(error) => Err(one_line(&error.to_string())),
    };
    match registrar {
        Ok(registrar) => {
            if let Some(expires) = registrar.registrar_expires.or(registrar.expires) {
                record.registrar_expires = Some(expires);
            }
            record.notes.extend(
                registrar
                    .notes
                    .iter()
                    .map(|note| format!("registrar: {note}")),
            );
            record.registrar_view = Some(RegistrarView {
                source,
                expires: registrar.expires,
                statuses: registrar.statuses,
                error: None,
            });
        }
        Err(reason) => {
            let place = source
                .url
                .as_deref()
                .or(source.server.as_deref())
                .unwrap_or("unknown server");
            record.notes.push(format!(
                "the registrar's RDAP answer ({place}) was not used: {reason}"
            ));
            record.registrar_view = Some(RegistrarView {
                source,
                expires: None,
                statuses: Vec::new(),
                error: Some(reason),
            });
        }
    }
}
