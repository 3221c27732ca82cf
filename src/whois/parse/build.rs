//! Fields to [`Record`]: decides which fields are the domain's (not a
//! contact's or the registrar's own address book), reads their values, and
//! applies the first readable value of each single-valued field.
//!
//! First wins because the domain's own lines come first in every format
//! seen: later dates with the same key belong to contacts (`.br`, `.it`,
//! `.ee`) or to a second language (`.kr`).

use chrono::{DateTime, Utc};

use super::dates::{DayOrder, answer_day_order, parse_date};
use super::fields::{SectionClass, Target, lookup, names_registrar};
use super::lines::{Field, ObjectKind};
use super::registry::Registry;
use super::statuses::{self, Word};
use crate::record::{MAX_STATUSES, Record, Registrar, truncated_note};
use crate::status::Status;

/// What the fields said besides the record itself.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    /// A status word said the name is free.
    pub free: bool,
    /// The domain names the answer is about, as printed.
    pub names: Vec<String>,
}

#[derive(Default)]
struct Dates {
    expires: Option<DateTime<Utc>>,
    registrar_expires: Option<DateTime<Utc>>,
    created: Option<DateTime<Utc>>,
    updated: Option<DateTime<Utc>>,
    deletion: Option<DateTime<Utc>>,
    release: Option<DateTime<Utc>>,
    /// An expiry stated in a status line (see [`status_expiry`]).
    state_expiry: Option<DateTime<Utc>>,
    /// Date fields that could not be read: (slot, key, value).
    unreadable: Vec<(Slot, String, String)>,
}

/// Fills `record` from `fields`.
pub(crate) fn assemble(fields: &[Field], registry: &Registry, record: &mut Record) -> Outcome {
    let registry = &with_answer_day_order(fields, registry);
    let mut outcome = Outcome::default();
    let mut dates = Dates::default();
    let mut words = Vec::new();
    let mut nameservers = Vec::new();
    let mut registrar_name: Option<String> = None;
    let mut iana_id: Option<String> = None;
    for field in fields {
        let Some(target) = target_of(field) else {
            continue;
        };
        let value = field.value.trim();
        match target {
            Target::DomainName => {
                if !value.is_empty() {
                    outcome.names.push(value.to_string());
                }
            }
            Target::Expires => dates.set(Slot::Expires, field, registry),
            Target::RegistrarExpires => dates.set(Slot::RegistrarExpires, field, registry),
            Target::Created => dates.set(Slot::Created, field, registry),
            Target::Updated => dates.set(Slot::Updated, field, registry),
            Target::Deletion => dates.set(Slot::Deletion, field, registry),
            Target::Release => dates.set(Slot::Release, field, registry),
            Target::Registrar => {
                if registrar_name.is_none() && is_present(value) && !says_none(value) {
                    registrar_name = Some(value.to_string());
                }
            }
            Target::RegistrarIanaId => {
                if iana_id.is_none() && is_present(value) {
                    iana_id = Some(value.to_string());
                }
            }
            Target::Status => {
                for word in statuses::read_value(&registry.conventions, &registry.tld, value) {
                    match word {
                        Word::Statuses(found) => words.extend(found),
                        Word::Free => outcome.free = true,
                        Word::Nothing => {}
                    }
                }
                if dates.state_expiry.is_none() {
                    dates.state_expiry = status_expiry(value, registry);
                }
            }
            Target::PendingOperation => {
                if is_present(value) {
                    words.push(Status::parse(&format!("pending {value}")));
                }
            }
            Target::Hold => {
                if matches!(value.to_ascii_lowercase().as_str(), "yes" | "true" | "y") {
                    words.push(Status::ServerHold);
                }
            }
            // .dk prints the domain itself as `DNS: example.dk`.
            Target::Nameserver => nameservers.extend(
                hostnames(value)
                    .into_iter()
                    .filter(|host| field.key != "dns" || *host != record.domain),
            ),
            Target::Dnssec => {
                if record.dnssec.is_none() {
                    record.dnssec = dnssec(value);
                }
            }
            Target::DnssecMaterial => {
                if record.dnssec.is_none() {
                    record.dnssec = Some(!value.is_empty());
                }
            }
        }
    }
    record.expires = dates.expires.or(dates.state_expiry);
    record.registrar_expires = dates.registrar_expires;
    record.created = dates.created;
    record.updated = dates.updated;
    record.registry_dates.deletion = dates.deletion;
    record.registry_dates.release = dates.release;
    let (kept, truncated) = statuses::finish(words);
    record.statuses = kept;
    if truncated {
        record.notes.push(truncated_note("statuses", MAX_STATUSES));
    }
    record.set_nameservers(nameservers);
    // A registrar printed by handle (.sk `Registrar: FAJN-0002`, .ua
    // `registrar: ua.markmonitor`) is named in a block that opens with the
    // same handle: take the name, keep the handle in a note.
    if let Some(handle) = registrar_name.clone()
        && let Some(name) = registrar_by_handle(fields, &handle)
    {
        record
            .notes
            .push(format!("the registrar's handle is {handle:?}"));
        registrar_name = Some(name);
    }
    if registrar_name.is_some() || iana_id.is_some() {
        record.registrar = Some(Registrar {
            name: registrar_name,
            iana_id,
        });
    }
    for (key, value) in dates.unreadable_notes() {
        record
            .notes
            .push(format!("cannot read the date in {key}: {value:?}"));
    }
    outcome
}

/// The meaning of a field where it stands: the same key means different
/// things under a contact, a registrar or a name server heading.
fn target_of(field: &Field) -> Option<Target> {
    let target = lookup(&field.key);
    match field.object {
        ObjectKind::Contact => return None,
        ObjectKind::Registrar => return target.filter(|t| *t == Target::Registrar),
        ObjectKind::Domain => {}
    }
    let Some(section) = &field.section else {
        return target;
    };
    let is_heading_value = field.key == section.title;
    match section.class {
        SectionClass::Contact => None,
        SectionClass::Registrar => {
            if is_heading_value || names_registrar(&field.key) {
                Some(Target::Registrar)
            } else {
                target.filter(|t| *t == Target::RegistrarIanaId)
            }
        }
        SectionClass::Nameservers => {
            if is_heading_value || matches!(field.key.as_str(), "name" | "host") {
                Some(Target::Nameserver)
            } else {
                target.filter(|t| {
                    matches!(
                        t,
                        Target::Nameserver | Target::Dnssec | Target::DnssecMaterial
                    )
                })
            }
        }
        SectionClass::Dnssec => match target {
            Some(Target::Dnssec) => Some(Target::Dnssec),
            _ => Some(Target::DnssecMaterial),
        },
        SectionClass::Domain if field.key == "name" => Some(Target::DomainName),
        SectionClass::Domain | SectionClass::Other => target,
    }
}

/// The registry's day order, else the one the answer's own dates show
/// (see [`answer_day_order`]).
fn with_answer_day_order(fields: &[Field], registry: &Registry) -> Registry {
    let mut registry = registry.clone();
    if registry.dates.day_order == DayOrder::Unknown {
        let dates = fields
            .iter()
            .filter(|field| {
                matches!(
                    target_of(field),
                    Some(
                        Target::Expires
                            | Target::RegistrarExpires
                            | Target::Created
                            | Target::Updated
                            | Target::Deletion
                            | Target::Release
                    )
                )
            })
            .map(|field| field.value.as_str());
        registry.dates.day_order = answer_day_order(dates);
    }
    registry
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    Expires,
    RegistrarExpires,
    Created,
    Updated,
    Deletion,
    Release,
}

impl Dates {
    fn slot(&mut self, slot: Slot) -> &mut Option<DateTime<Utc>> {
        match slot {
            Slot::Expires => &mut self.expires,
            Slot::RegistrarExpires => &mut self.registrar_expires,
            Slot::Created => &mut self.created,
            Slot::Updated => &mut self.updated,
            Slot::Deletion => &mut self.deletion,
            Slot::Release => &mut self.release,
        }
    }

    fn set(&mut self, slot: Slot, field: &Field, registry: &Registry) {
        let value = field.value.trim();
        if self.slot(slot).is_some() || !is_present(value) {
            return;
        }
        match parse_date(value, &field.raw_key, &registry.dates) {
            Some(date) => *self.slot(slot) = Some(date),
            None => {
                self.unreadable
                    .push((slot, field.raw_key.trim().to_string(), value.to_string()))
            }
        }
    }

    /// Unreadable dates whose field ended up with no readable value.
    fn unreadable_notes(&mut self) -> Vec<(String, String)> {
        let unreadable = std::mem::take(&mut self.unreadable);
        unreadable
            .into_iter()
            .filter(|(slot, _, _)| self.slot(*slot).is_none())
            .map(|(_, key, value)| (key, value))
            .collect()
    }
}

/// The name in the block that opens with `handle` (`Registrar: FAJN-0002`
/// then `Name: FAJNOR IP s. r. o.`), if there is one.
fn registrar_by_handle(fields: &[Field], handle: &str) -> Option<String> {
    let handle = handle.trim();
    let mut blocks: Vec<usize> = fields.iter().map(|field| field.block).collect();
    blocks.dedup();
    blocks.into_iter().find_map(|block| {
        let mut members = fields
            .iter()
            .filter(|field| field.block == block && !field.value.trim().is_empty());
        // Only a block that opens with a registrar key: under .it's
        // `Registrar` heading, `Organization:` (the name) comes before
        // `Name:` (the handle).
        let first = members.next()?;
        if lookup(&first.key) != Some(Target::Registrar)
            || !first.value.trim().eq_ignore_ascii_case(handle)
        {
            return None;
        }
        members
            .find(|field| {
                matches!(
                    field.key.as_str(),
                    "name" | "organization" | "organisation" | "org" | "company name"
                )
            })
            .map(|field| field.value.trim().to_string())
            .filter(|name| is_present(name) && !name.eq_ignore_ascii_case(handle))
    })
}

/// A registrar value that says there is none: Nominet's "No registrar
/// listed.  This domain is directly registered with Nominet.", "None",
/// "Not applicable".
fn says_none(value: &str) -> bool {
    let lower = value.to_lowercase();
    let first_word = lower
        .split(|c: char| c.is_whitespace() || c == '.' || c == ',')
        .next()
        .unwrap_or_default();
    matches!(first_word, "none" | "unknown" | "n/a")
        || ["no registrar", "not applicable", "not available"]
            .iter()
            .any(|start| lower.starts_with(start))
}

/// False for the placeholders registries print for "none".
fn is_present(value: &str) -> bool {
    !value.is_empty() && value != "-" && !value.eq_ignore_ascii_case("n/a")
}

/// An expiry some registries put in the status line: JPRS `[State]
/// Connected (2024/03/31)`, old .ua `status: OK-UNTIL 20131211000000`.
fn status_expiry(value: &str, registry: &Registry) -> Option<DateTime<Utc>> {
    if let Some(start) = value.get(..9)
        && start.eq_ignore_ascii_case("ok-until ")
    {
        return parse_date(&value[9..], "", &registry.dates);
    }
    if registry.conventions != "jp" {
        return None;
    }
    let open = value.find('(')?;
    let close = value[open..].find(')')? + open;
    parse_date(&value[open + 1..close], "", &registry.dates)
}

/// The host names of a name server value: the one at its start
/// (`ns1.example.com. 192.0.2.1`, `ns-453.awsdns-56.com [OK]`), and the
/// others of a list on one line (`ns1.example.net, ns2.example.net`). A
/// value that does not start with a host name (`No name servers listed.`,
/// an address, a handle) gives none.
fn hostnames(value: &str) -> Vec<String> {
    let mut tokens = value
        .split([' ', ',', ';'])
        .filter(|token| !token.is_empty());
    let Some(first) = tokens.next().and_then(hostname) else {
        return Vec::new();
    };
    std::iter::once(first)
        .chain(tokens.filter_map(hostname))
        .collect()
}

/// One token as a host name; placeholders and addresses are none.
fn hostname(token: &str) -> Option<String> {
    let name = token.trim_end_matches('.').to_lowercase();
    let valid_chars = name
        .chars()
        .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    let is_address = name.chars().all(|c| c.is_ascii_digit() || c == '.');
    (name.contains('.')
        && valid_chars
        && !is_address
        && !name.starts_with(['.', '-'])
        && !is_placeholder_host(&name))
    .then_some(name)
}

/// Words registries print in the name server field when there is none:
/// `not.defined`, `no.nameserver`, `none.none`, `not.delegated`.
fn is_placeholder_host(name: &str) -> bool {
    const NEGATIONS: &[&str] = &["no", "not", "none", "null", "unknown", "undefined", "n-a"];
    const WORDS: &[&str] = &[
        "defined",
        "specified",
        "assigned",
        "available",
        "configured",
        "delegated",
        "listed",
        "set",
        "provided",
        "nameserver",
        "nameservers",
        "none",
        "hosts",
        "dns",
    ];
    let labels: Vec<&str> = name.split('.').collect();
    match labels.as_slice() {
        [first, last] => NEGATIONS.contains(first) || WORDS.contains(last),
        _ => labels.last().is_some_and(|last| WORDS[..7].contains(last)),
    }
}

/// `DNSSEC: unsigned`, `signedDelegation`, `yes`, `no`, `Unsigned delegation`.
fn dnssec(value: &str) -> Option<bool> {
    let folded: String = value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    const UNSIGNED: &[&str] = &[
        "no",
        "n",
        "false",
        "inactive",
        "none",
        "notsigned",
        "미서명",
    ];
    const SIGNED: &[&str] = &["yes", "y", "true", "active", "signed", "서명"];
    if folded.starts_with("unsigned") || UNSIGNED.contains(&folded.as_str()) {
        Some(false)
    } else if folded.starts_with("signed") || SIGNED.contains(&folded.as_str()) {
        Some(true)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("ns1.example.com.", Some("ns1.example.com"))]
    #[case("NS1.GOOGLE.COM", Some("ns1.google.com"))]
    #[case("ns1.yandex.ru. 213.180.193.1, 2a02:6b8::1", Some("ns1.yandex.ru"))]
    #[case("ns-453.awsdns-56.com [OK]", Some("ns-453.awsdns-56.com"))]
    #[case("ns3.eurid.eu (185.36.4.253)", Some("ns3.eurid.eu"))]
    #[case("No name servers listed.", None)]
    #[case("not.defined", None)]
    #[case("no.nameserver", None)]
    #[case("none.none", None)]
    #[case("ns1.not.delegated", None)]
    #[case("NS-HANDLE-1", None)]
    #[case("ns.dns.example", Some("ns.dns.example"))]
    #[case("-", None)]
    #[case("192.0.2.1", None)]
    #[case("", None)]
    fn name_server_values(#[case] value: &str, #[case] expected: Option<&str>) {
        assert_eq!(hostnames(value).first().map(String::as_str), expected);
    }

    #[rstest]
    #[case("ns1.example.net, ns2.example.net", &["ns1.example.net", "ns2.example.net"])]
    #[case("ns1.example.net ns2.example.net;ns3.example.net", &["ns1.example.net", "ns2.example.net", "ns3.example.net"])]
    #[case("ns1.yandex.ru. 213.180.193.1, 2a02:6b8::1", &["ns1.yandex.ru"])]
    #[case("Not delegated: see ns1.example.net", &[])]
    fn name_server_lists_on_one_line(#[case] value: &str, #[case] expected: &[&str]) {
        assert_eq!(hostnames(value), expected);
    }

    #[rstest]
    #[case(
        "No registrar listed.  This domain is directly registered with Nominet.",
        true
    )]
    #[case("None", true)]
    #[case("N/A", true)]
    #[case("Nonet Registrar Ltd", false)]
    #[case("Unknownsoft GmbH", false)]
    fn registrar_placeholders(#[case] value: &str, #[case] none: bool) {
        assert_eq!(says_none(value), none);
    }

    #[rstest]
    #[case("unsigned", Some(false))]
    #[case("Unsigned delegation", Some(false))]
    #[case("unsigned delegation, no records", Some(false))]
    #[case("signedDelegation", Some(true))]
    #[case("yes", Some(true))]
    #[case("no", Some(false))]
    #[case("Inactive", Some(false))]
    #[case("미서명", Some(false))]
    #[case("maybe", None)]
    fn dnssec_statements(#[case] value: &str, #[case] expected: Option<bool>) {
        assert_eq!(dnssec(value), expected);
    }
}
