//! serde types for the RDAP domain object and error object (RFC 9083).
//!
//! The model mirrors the wire format and interprets nothing: dates stay
//! strings, jCards stay JSON, statuses stay as written. Turning it into a
//! [`crate::record::Record`] is [`super::parse`]'s job. Every field is read
//! through `lenient`, so a sloppy server (a missing array, a string
//! where a boolean belongs, one broken event) loses at most that field, and
//! unknown members are ignored.

use serde::Deserialize;
use serde_json::Value;

use super::lenient;

/// An RDAP domain object.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Domain {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub ldh_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub unicode_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::strings")]
    pub status: Vec<String>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub events: Vec<Event>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub entities: Vec<Entity>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub nameservers: Vec<Nameserver>,
    #[serde(
        default,
        rename = "secureDNS",
        deserialize_with = "lenient::opt_object"
    )]
    pub secure_dns: Option<SecureDns>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub links: Vec<Link>,
}

/// Something that happened to an object (`registration`, `expiration`, ...).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub event_action: Option<String>,
    /// As written; read by [`super::date::parse_event_date`].
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub event_date: Option<String>,
}

/// A contact or organisation attached to an object (registrar, registrant, ...).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entity {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub handle: Option<String>,
    #[serde(default, deserialize_with = "lenient::strings")]
    pub roles: Vec<String>,
    /// The jCard (RFC 7095) as sent; read by [`super::jcard`], which copes
    /// with the malformed ones.
    #[serde(default)]
    pub vcard_array: Option<Value>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub public_ids: Vec<PublicId>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub entities: Vec<Entity>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub links: Vec<Link>,
}

/// An identifier issued by someone other than the server (IANA registrar ID).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct PublicId {
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub id_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub identifier: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Nameserver {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub ldh_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub unicode_name: Option<String>,
}

/// DNSSEC information; key material is kept as JSON since only its presence
/// matters to domlife.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecureDns {
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    pub delegation_signed: Option<bool>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub ds_data: Vec<Value>,
    #[serde(default, deserialize_with = "lenient::list")]
    pub key_data: Vec<Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Link {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub rel: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub href: Option<String>,
    /// Media type of the target (`application/rdap+json`).
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_string")]
    pub media_type: Option<String>,
}

/// An RDAP error response (RFC 9083 section 6).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorObject {
    #[serde(default, deserialize_with = "lenient::opt_u16")]
    pub error_code: Option<u16>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "lenient::strings")]
    pub description: Vec<String>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn domain(value: Value) -> Domain {
        Domain::deserialize(&value).unwrap_or_else(|error| panic!("{value}: {error}"))
    }

    #[test]
    fn reads_a_well_formed_domain() {
        let parsed = domain(json!({
            "objectClassName": "domain",
            "ldhName": "EXAMPLE.COM",
            "status": ["active"],
            "events": [{"eventAction": "expiration", "eventDate": "2030-01-01T00:00:00Z", "eventActor": "x"}],
            "entities": [{"roles": ["registrar"], "publicIds": [{"type": "IANA Registrar ID", "identifier": "292"}],
                          "entities": [{"roles": ["abuse"]}]}],
            "nameservers": [{"ldhName": "NS1.EXAMPLE.COM"}],
            "secureDNS": {"delegationSigned": true, "dsData": [{"keyTag": 1}]},
            "links": [{"rel": "self", "href": "https://rdap.example/domain/example.com", "type": "application/rdap+json"}],
            "port43": "whois.example",
            "notices": [{"title": "Terms", "description": ["one", "two"]}],
            "somethingNew": {"ignored": true}
        }));
        assert_eq!(parsed.ldh_name.as_deref(), Some("EXAMPLE.COM"));
        assert_eq!(parsed.status, ["active"]);
        assert_eq!(
            parsed.events[0].event_date.as_deref(),
            Some("2030-01-01T00:00:00Z")
        );
        assert_eq!(
            parsed.entities[0].public_ids[0].identifier.as_deref(),
            Some("292")
        );
        assert_eq!(parsed.entities[0].entities[0].roles, ["abuse"]);
        assert_eq!(
            parsed.nameservers[0].ldh_name.as_deref(),
            Some("NS1.EXAMPLE.COM")
        );
        let secure = parsed.secure_dns.unwrap_or_default();
        assert_eq!(
            (secure.delegation_signed, secure.ds_data.len()),
            (Some(true), 1)
        );
        assert_eq!(
            parsed.links[0].media_type.as_deref(),
            Some("application/rdap+json")
        );
    }

    #[test]
    fn sloppy_fields_cost_only_themselves() {
        let parsed = domain(json!({
            "objectClassName": "domain",
            "ldhName": "example.com",
            "status": "client hold",
            "events": {"eventAction": "expiration", "eventDate": "2030-01-01"},
            "entities": [{"roles": "registrar", "publicIds": [{"type": "IANA Registrar ID", "identifier": 292}]}, 12],
            "nameservers": null,
            "secureDNS": {"delegationSigned": "true", "dsData": "none"},
            "links": "https://example.invalid",
            "notices": [{"title": ["not", "text"], "description": "one line"}]
        }));
        assert_eq!(parsed.status, ["client hold"]);
        assert_eq!(parsed.events[0].event_date.as_deref(), Some("2030-01-01"));
        assert_eq!(parsed.entities.len(), 1);
        assert_eq!(parsed.entities[0].roles, ["registrar"]);
        assert_eq!(
            parsed.entities[0].public_ids[0].identifier.as_deref(),
            Some("292")
        );
        assert!(parsed.nameservers.is_empty());
        let secure = parsed.secure_dns.unwrap_or_default();
        assert_eq!(secure.delegation_signed, Some(true));
        assert!(secure.ds_data.is_empty());
        assert!(parsed.links.is_empty());
    }

    #[test]
    fn secure_dns_of_the_wrong_shape_is_absent() {
        assert!(domain(json!({"secureDNS": true})).secure_dns.is_none());
    }

    #[test]
    fn reads_error_objects() {
        let error = ErrorObject::deserialize(
            &json!({"errorCode": "404", "title": "Not Found", "description": "gone"}),
        )
        .unwrap_or_default();
        assert_eq!(error.error_code, Some(404));
        assert_eq!(error.title.as_deref(), Some("Not Found"));
        assert_eq!(error.description, ["gone"]);
    }
}
