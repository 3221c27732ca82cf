//! From an RDAP domain response (bytes) to a [`Record`].
//!
//! [`parse_domain`] decides what the body is (a domain object, an error
//! object, or something else that must not be mistaken for an answer),
//! then maps the domain object onto the record: events to dates, statuses
//! through [`Status::parse`], the registrar entity (searched in nested
//! entities too), nameservers, DNSSEC, and the registrar's own RDAP URL for
//! the second, registrar, lookup, which [`super::merge::merge_registrar`]
//! folds in. No I/O happens here: the client hands over bytes and a
//! [`Source`].
//!
//! The domain name comes from `ldhName` (lower case, trailing dot removed),
//! else from `unicodeName` converted to an A-label, else from the last
//! `/domain/NAME` segment of the source URL (an error object names no
//! domain), else it is left empty with a note.

use serde::Deserialize;
use serde_json::Value;

use super::date::parse_event_date;
use super::jcard;
use super::links::{name_from_url, registrar_rdap_link, self_link};
use super::model::{Domain, Entity, ErrorObject, Event, SecureDns};
use super::text::{ascii_name, fold, one_line};
use crate::record::{MAX_STATUSES, Record, Registrar, Source, truncated_note};
use crate::status::Status;

/// How deep nested entities are searched for the registrar; real responses
/// nest it at most one level (a reseller under the registrar, say).
const MAX_ENTITY_DEPTH: usize = 4;
/// How much of an unexpected body an error keeps as evidence.
const EVIDENCE_CHARS: usize = 160;
/// The most events read: a domain has a handful (registration, expiration,
/// last changed ...); the rest of a flood would only add notes.
const MAX_EVENTS: usize = 64;
/// The most entities searched for the registrar on each level.
const MAX_ENTITIES: usize = 64;

/// A domain response read into a record, with what the caller needs for
/// the follow-up lookup.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDomain {
    pub record: Record,
    /// The sponsoring registrar's RDAP URL for this domain, from the
    /// registry's `related` link; never the response's own `self` link.
    pub registrar_rdap: Option<String>,
    /// The response's `self` link, for callers that did not know the URL
    /// (a response read from a file).
    pub self_link: Option<String>,
    /// The names the response gives its domain (`ldhName`, `unicodeName`)
    /// as published, for the caller to check that the answer is about the
    /// name it asked for.
    pub names: Vec<String>,
}

/// Why a body could not be read as an answer about a domain.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RdapParseError {
    /// The body is not JSON (an HTML error page, a proxy's message, a
    /// truncated download): check the URL and the server's health; retrying
    /// later may help.
    #[error("not JSON ({reason}); the body starts {body_start:?}")]
    NotJson { reason: String, body_start: String },
    /// The body is JSON but not a domain object (an entity, a search result,
    /// a bootstrap file): the URL asked is probably not a domain lookup URL.
    #[error("not an RDAP domain object: found {found}; the body starts {body_start:?}")]
    NotADomain { found: String, body_start: String },
    /// The server answered with an RDAP error object other than 404 (not
    /// found): see the code; 429 and 5xx are worth retrying later.
    #[error("the server answered with RDAP error {}{}", display_code(*.code), display_words(.title.as_deref(), .description))]
    ServerError {
        code: Option<u16>,
        title: Option<String>,
        description: Vec<String>,
    },
}

impl RdapParseError {
    /// The error code of an RDAP error object, if that is what was received.
    pub fn error_code(&self) -> Option<u16> {
        match self {
            RdapParseError::ServerError { code, .. } => *code,
            RdapParseError::NotJson { .. } | RdapParseError::NotADomain { .. } => None,
        }
    }

    /// True when the server said it is being asked too often (code 429).
    pub fn is_rate_limited(&self) -> bool {
        self.error_code() == Some(429)
    }

    /// True when the same question may get an answer later: a rate limit,
    /// a server-side error, or a body that is not JSON at all.
    pub fn is_retryable(&self) -> bool {
        match self {
            RdapParseError::NotJson { .. } => true,
            RdapParseError::NotADomain { .. } => false,
            RdapParseError::ServerError { code, .. } => {
                matches!(code, Some(429) | Some(500..=599))
            }
        }
    }
}

fn display_code(code: Option<u16>) -> String {
    code.map_or_else(|| "without a code".to_string(), |code| code.to_string())
}

fn display_words(title: Option<&str>, description: &[String]) -> String {
    let words: Vec<&str> = title
        .into_iter()
        .chain(description.iter().map(String::as_str))
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .collect();
    if words.is_empty() {
        String::new()
    } else {
        format!(": {}", one_line(&words.join(" ")))
    }
}

/// Reads an RDAP domain response. An error object with code 404 is the
/// registry's "no such domain" and yields a record with `registered: false`.
pub fn parse_domain(body: &[u8], source: Source) -> Result<ParsedDomain, RdapParseError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let value: Value = serde_json::from_slice(body).map_err(|error| RdapParseError::NotJson {
        reason: if body.iter().all(u8::is_ascii_whitespace) {
            "the body is empty".to_string()
        } else {
            error.to_string()
        },
        body_start: evidence(body),
    })?;
    match classify(&value) {
        Shape::Domain { classless } => {
            let domain = Domain::deserialize(value).map_err(|error| unreadable(&error, body))?;
            let mut parsed = read_domain(domain, source);
            if classless {
                parsed
                    .record
                    .notes
                    .push("the response has no objectClassName; read as a domain".to_string());
            }
            Ok(parsed)
        }
        Shape::Error => {
            let error =
                ErrorObject::deserialize(value).map_err(|error| unreadable(&error, body))?;
            if error.error_code == Some(404) {
                Ok(not_found(source))
            } else {
                Err(RdapParseError::ServerError {
                    code: error.error_code,
                    title: error.title,
                    description: error.description,
                })
            }
        }
        Shape::Other(found) => Err(RdapParseError::NotADomain {
            found,
            body_start: evidence(body),
        }),
    }
}

/// Every field of the model is lenient, so this takes a body serde cannot
/// map at all; kept as evidence rather than replaced by an empty record.
fn unreadable(error: &serde_json::Error, body: &[u8]) -> RdapParseError {
    RdapParseError::NotADomain {
        found: format!("an object the RDAP model cannot read ({error})"),
        body_start: evidence(body),
    }
}

enum Shape {
    /// A domain object; `classless` when it lacks `objectClassName` but has
    /// a domain's members.
    Domain {
        classless: bool,
    },
    Error,
    Other(String),
}

fn classify(value: &Value) -> Shape {
    let object = match value {
        Value::Object(object) => object,
        Value::Array(_) => return Shape::Other("a JSON array".to_string()),
        Value::String(_) => return Shape::Other("a JSON string".to_string()),
        Value::Number(_) => return Shape::Other("a JSON number".to_string()),
        Value::Bool(_) => return Shape::Other("a JSON boolean".to_string()),
        Value::Null => return Shape::Other("JSON null".to_string()),
    };
    let names_a_domain = object.contains_key("ldhName") || object.contains_key("unicodeName");
    // An error code wins over a class name unless the object also names a
    // domain: a "domain" that is really a 404 must not read as registered.
    if object.contains_key("errorCode") && !names_a_domain {
        return Shape::Error;
    }
    let class = object
        .get("objectClassName")
        .and_then(Value::as_str)
        .map(|class| class.trim().to_ascii_lowercase());
    match class.as_deref() {
        Some("domain") => return Shape::Domain { classless: false },
        Some(other) => {
            return Shape::Other(format!("an RDAP object of class {:?}", one_line(other)));
        }
        None => {}
    }
    if let Some(key) = object.keys().find(|key| key.ends_with("SearchResults")) {
        return Shape::Other(format!("an RDAP search result ({})", one_line(key)));
    }
    if object.contains_key("services") {
        return Shape::Other("an RDAP bootstrap file, not a server's answer".to_string());
    }
    if names_a_domain {
        return Shape::Domain { classless: true };
    }
    let members: Vec<&str> = object.keys().take(6).map(String::as_str).collect();
    Shape::Other(format!(
        "a JSON object without objectClassName (members: {})",
        one_line(&members.join(", "))
    ))
}

fn not_found(source: Source) -> ParsedDomain {
    let mut notes = Vec::new();
    let name = name_from_url(source.url.as_deref()).unwrap_or_else(|| {
        notes.push("the registry's not-found answer does not name the domain".to_string());
        String::new()
    });
    let mut record = Record::not_registered(name, source);
    record.notes = notes;
    ParsedDomain {
        record,
        registrar_rdap: None,
        self_link: None,
        names: Vec::new(),
    }
}

fn read_domain(domain: Domain, source: Source) -> ParsedDomain {
    let name = domain
        .ldh_name
        .as_deref()
        .and_then(ascii_name)
        .or_else(|| domain.unicode_name.as_deref().and_then(ascii_name))
        .or_else(|| name_from_url(source.url.as_deref()));
    let mut record = Record::new(name.clone().unwrap_or_default(), source);
    if name.is_none() {
        record
            .notes
            .push("the response names no domain (no ldhName or unicodeName)".to_string());
    }
    read_events(&domain.events, &mut record);
    read_statuses(&domain.status, &mut record);
    let registrar_entity = find_registrar(&domain.entities);
    if let Some(entity) = registrar_entity {
        record.registrar = read_registrar(entity, &mut record.notes);
    }
    record.set_nameservers(domain.nameservers.iter().filter_map(|nameserver| {
        nameserver
            .ldh_name
            .as_deref()
            .and_then(ascii_name)
            .or_else(|| nameserver.unicode_name.as_deref().and_then(ascii_name))
    }));
    record.dnssec = domain.secure_dns.as_ref().and_then(delegation_signed);
    let self_link = self_link(&domain.links);
    let registrar_links = registrar_entity.map_or(&[][..], |entity| &entity.links[..]);
    let registrar_rdap = registrar_rdap_link(
        domain.links.iter().chain(registrar_links),
        self_link.as_deref(),
    );
    let names = [&domain.ldh_name, &domain.unicode_name]
        .into_iter()
        .flatten()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();
    ParsedDomain {
        record,
        registrar_rdap,
        self_link,
        names,
    }
}

/// Where an event's date goes in the record.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    Created,
    Expires,
    Updated,
    /// `last update`: not an RFC 9083 action, but what some registrars
    /// (MarkMonitor) write for `last changed`; used only when that is absent.
    UpdatedLoosely,
    Deletion,
    RegistrarExpires,
}

fn slot(action: &str) -> Option<Slot> {
    match fold(action).as_str() {
        "registration" => Some(Slot::Created),
        "expiration" => Some(Slot::Expires),
        "lastchanged" => Some(Slot::Updated),
        "lastupdate" | "lastupdated" => Some(Slot::UpdatedLoosely),
        "deletion" => Some(Slot::Deletion),
        "registrarexpiration" => Some(Slot::RegistrarExpires),
        // `transfer`, `reregistration`, `last update of RDAP database` and
        // the rest have no place in the record.
        _ => None,
    }
}

/// The statuses, each once, up to [`MAX_STATUSES`]: reading stops there, so
/// a flood of distinct words costs no more than the cap.
fn read_statuses(statuses: &[String], record: &mut Record) {
    for status in statuses.iter().map(|status| status.trim()) {
        if !status.is_empty() && !record.push_status(Status::parse(status)) {
            record.notes.push(truncated_note("statuses", MAX_STATUSES));
            return;
        }
    }
}

fn read_events(events: &[Event], record: &mut Record) {
    let mut loose_update = None;
    if events.len() > MAX_EVENTS {
        record.notes.push(truncated_note("events", MAX_EVENTS));
    }
    for event in events.iter().take(MAX_EVENTS) {
        let Some(action) = event.event_action.as_deref() else {
            continue;
        };
        let Some(slot) = slot(action) else {
            continue;
        };
        let text = event.event_date.as_deref().unwrap_or("");
        let Some(instant) = parse_event_date(text) else {
            record.notes.push(format!(
                "the {:?} event date {:?} could not be read",
                one_line(action),
                one_line(text)
            ));
            continue;
        };
        let target = match slot {
            Slot::Created => &mut record.created,
            Slot::Expires => &mut record.expires,
            Slot::Updated => &mut record.updated,
            Slot::UpdatedLoosely => &mut loose_update,
            Slot::Deletion => &mut record.registry_dates.deletion,
            Slot::RegistrarExpires => &mut record.registrar_expires,
        };
        match target {
            None => *target = Some(instant),
            Some(first) if *first != instant => record.notes.push(format!(
                "several {:?} events; the first ({first}) is used",
                one_line(action)
            )),
            Some(_) => {}
        }
    }
    if record.updated.is_none() {
        record.updated = loose_update;
    }
}

/// The first entity with role `registrar`, nearest the top first.
fn find_registrar(entities: &[Entity]) -> Option<&Entity> {
    let mut level: Vec<&Entity> = entities.iter().take(MAX_ENTITIES).collect();
    for _ in 0..MAX_ENTITY_DEPTH {
        if let Some(found) = level
            .iter()
            .find(|entity| entity.roles.iter().any(|role| fold(role) == "registrar"))
        {
            return Some(found);
        }
        level = level
            .iter()
            .flat_map(|entity| entity.entities.iter())
            .take(MAX_ENTITIES)
            .collect();
    }
    None
}

fn read_registrar(entity: &Entity, notes: &mut Vec<String>) -> Option<Registrar> {
    let name = entity.vcard_array.as_ref().and_then(jcard::display_name);
    let iana_id = entity
        .public_ids
        .iter()
        .filter(|id| {
            id.id_type
                .as_deref()
                .is_some_and(|kind| fold(kind) == "ianaregistrarid")
        })
        .filter_map(|id| id.identifier.as_deref().map(str::trim))
        // IANA registrar IDs are numbers; registries that have none write
        // "not applicable" or "N/A" in the field.
        .find(|id| !id.is_empty() && id.bytes().all(|byte| byte.is_ascii_digit()))
        .map(str::to_string);
    if name.is_none() && iana_id.is_none() {
        let handle = entity.handle.as_deref().map_or("none", str::trim);
        notes.push(format!(
            "the registrar entity (handle {:?}) gives neither a name nor an IANA ID",
            one_line(handle)
        ));
        return None;
    }
    Some(Registrar { name, iana_id })
}

/// `delegationSigned` when stated; otherwise key material at the registry
/// means the delegation is signed; otherwise unknown.
fn delegation_signed(secure: &SecureDns) -> Option<bool> {
    secure
        .delegation_signed
        .or_else(|| (!secure.ds_data.is_empty() || !secure.key_data.is_empty()).then_some(true))
}

/// The start of a body, as evidence in an error.
fn evidence(body: &[u8]) -> String {
    one_line(
        &String::from_utf8_lossy(body)
            .chars()
            .take(EVIDENCE_CHARS)
            .collect::<String>(),
    )
}

#[cfg(test)]
mod tests;
