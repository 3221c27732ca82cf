//! Folding the sponsoring registrar's own RDAP answer into the registry's
//! record (the second step of a gTLD lookup, reached by the registry's
//! `related` link).

use super::text::one_line;
use crate::record::{Protocol, Record, RegistrarError, RegistrarErrorKind, RegistrarView, Source};

/// Folds the registrar's own answer into the registry's record.
///
/// On success the registrar's view (its `expiration`, its statuses) goes to
/// [`Record::registrar_view`] and [`Record::registrar_expires`] is set from
/// its `registrar expiration` event or, failing that, its `expiration`. An
/// error, a "no such domain" or an answer about another name never fails
/// the record: it is kept in `registrar_view.error` and in a note.
pub fn merge_registrar<E: Into<RegistrarError>>(
    record: &mut Record,
    source: Source,
    answer: Result<Record, E>,
) {
    let registrar = match answer {
        Ok(registrar) if !registrar.registered => Err(RegistrarError::new(
            RegistrarErrorKind::NoSuchDomain,
            "the registrar answered that it has no such domain",
        )),
        Ok(registrar)
            if !registrar.domain.is_empty()
                && !record.domain.is_empty()
                && registrar.domain != record.domain =>
        {
            Err(RegistrarError::new(
                RegistrarErrorKind::OtherName,
                format!(
                    "the registrar answered about {:?}, not {:?}",
                    registrar.domain, record.domain
                ),
            ))
        }
        Ok(registrar) => Ok(registrar),
        Err(error) => {
            let error = error.into();
            Err(RegistrarError::new(error.kind(), one_line(error.message())))
        }
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
            // The registrar of a thin WHOIS registry answers over WHOIS.
            let protocol = match source.protocol {
                Protocol::Rdap => "RDAP",
                Protocol::Whois => "WHOIS",
            };
            record.notes.push(format!(
                "the registrar's {protocol} answer ({place}) was not used: {reason}"
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

impl From<super::parse::RdapParseError> for RegistrarError {
    fn from(error: super::parse::RdapParseError) -> RegistrarError {
        let kind = if error.is_rate_limited() {
            RegistrarErrorKind::RateLimited
        } else {
            RegistrarErrorKind::Unreadable
        };
        RegistrarError::new(kind, error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::record::{Protocol, Role};
    use crate::status::Status;

    fn source(role: Role, url: &str) -> Source {
        Source {
            protocol: Protocol::Rdap,
            server: None,
            url: Some(url.to_string()),
            role,
        }
    }

    fn at(text: &str) -> Option<DateTime<Utc>> {
        Some(
            text.parse()
                .unwrap_or_else(|error| panic!("{text}: {error}")),
        )
    }

    fn registry_record() -> Record {
        let mut record = Record::new(
            "example.com",
            source(
                Role::Registry,
                "https://registry.example/domain/example.com",
            ),
        );
        record.expires = at("2026-09-14T04:00:00Z");
        record.registrar_expires = at("2026-01-01T00:00:00Z");
        record
    }

    fn registrar_source() -> Source {
        source(
            Role::Registrar,
            "https://registrar.example/domain/example.com",
        )
    }

    fn registrar_record() -> Record {
        let mut record = Record::new("example.com", registrar_source());
        record.expires = at("2025-09-14T04:00:00Z");
        record.push_status(Status::ClientTransferProhibited);
        record
    }

    #[test]
    fn the_registrar_expiration_event_wins() {
        let mut record = registry_record();
        let mut answer = registrar_record();
        answer.registrar_expires = at("2025-10-01T00:00:00Z");
        merge_registrar(
            &mut record,
            registrar_source(),
            Ok::<_, RegistrarError>(answer),
        );
        assert_eq!(record.registrar_expires, at("2025-10-01T00:00:00Z"));
        let view = record.registrar_view.unwrap_or_else(|| panic!("no view"));
        assert_eq!(view.expires, at("2025-09-14T04:00:00Z"));
        assert_eq!(view.statuses, [Status::ClientTransferProhibited]);
        assert_eq!(view.source, registrar_source());
        assert_eq!(view.error, None);
        assert_eq!(
            record.expires,
            at("2026-09-14T04:00:00Z"),
            "registry view untouched"
        );
    }

    #[test]
    fn the_registrars_own_expiration_is_the_fallback() {
        let mut record = registry_record();
        merge_registrar(
            &mut record,
            registrar_source(),
            Ok::<_, RegistrarError>(registrar_record()),
        );
        assert_eq!(record.registrar_expires, at("2025-09-14T04:00:00Z"));
    }

    #[test]
    fn a_registrar_without_dates_leaves_the_registrys_registrar_expiry() {
        let mut record = registry_record();
        let mut answer = registrar_record();
        answer.expires = None;
        answer
            .notes
            .push("the \"expiration\" event date \"x\" could not be read".into());
        merge_registrar(
            &mut record,
            registrar_source(),
            Ok::<_, RegistrarError>(answer),
        );
        assert_eq!(record.registrar_expires, at("2026-01-01T00:00:00Z"));
        assert_eq!(record.notes.len(), 1);
        assert!(record.notes[0].starts_with("registrar: "));
    }

    fn assert_failure(record: &Record, kind: RegistrarErrorKind, reason_part: &str) {
        let view = record.registrar_view.as_ref();
        let error = view.and_then(|view| view.error.as_ref());
        assert_eq!(error.map(RegistrarError::kind), Some(kind), "{error:?}");
        let message = error.map_or("", RegistrarError::message);
        assert!(message.contains(reason_part), "{message:?}");
        assert_eq!(view.map(|view| view.expires), Some(None));
        assert_eq!(view.map(|view| &view.source), Some(&registrar_source()));
        assert!(
            record
                .notes
                .iter()
                .any(|note| note.contains("registrar.example") && note.contains(reason_part)),
            "{:?}",
            record.notes
        );
        assert_eq!(record.registrar_expires, at("2026-01-01T00:00:00Z"));
        assert_eq!(record.expires, at("2026-09-14T04:00:00Z"));
    }

    #[test]
    fn a_failed_lookup_is_kept_not_raised() {
        let mut record = registry_record();
        let timeout = RegistrarError::new(RegistrarErrorKind::Timeout, "timed out\nafter 10 s");
        merge_registrar(&mut record, registrar_source(), Err(timeout));
        assert_failure(&record, RegistrarErrorKind::Timeout, "timed out after 10 s");
    }

    #[test]
    fn a_registrar_that_does_not_know_the_name_is_a_failure() {
        let mut record = registry_record();
        let answer = Record::not_registered("example.com", registrar_source());
        merge_registrar(
            &mut record,
            registrar_source(),
            Ok::<_, RegistrarError>(answer),
        );
        assert_failure(&record, RegistrarErrorKind::NoSuchDomain, "no such domain");
    }

    #[test]
    fn an_answer_about_another_name_is_not_used() {
        let mut record = registry_record();
        let mut answer = registrar_record();
        answer.domain = "example.net".into();
        merge_registrar(
            &mut record,
            registrar_source(),
            Ok::<_, RegistrarError>(answer),
        );
        assert_failure(&record, RegistrarErrorKind::OtherName, "example.net");
    }

    // Issue #13: a thin registry's referral is a WHOIS server, and the note
    // says so.
    #[test]
    fn a_whois_registrar_that_fails_is_named_as_whois() {
        let mut record = registry_record();
        let source = Source {
            protocol: Protocol::Whois,
            server: Some("whois.registrar.example".to_owned()),
            url: None,
            role: Role::Registrar,
        };
        let failed = RegistrarError::new(RegistrarErrorKind::Unavailable, "connection reset");
        merge_registrar(&mut record, source, Err::<Record, _>(failed));
        assert_eq!(
            record.notes.last().map(String::as_str),
            Some(
                "the registrar's WHOIS answer (whois.registrar.example) was not used: \
                 connection reset"
            )
        );
    }
}
