//! Domain data made up for any name, so a mock can answer a list of
//! thousands of names nobody wrote fixtures for (the standalone mock and the
//! bulk benchmark). Everything is derived from a hash of the name, so the
//! same name always gets the same record: expiry, registration, statuses,
//! registrar and nameservers.
//!
//! Expiries fall between 2025-01-01 and 2028-01-01, so a list checked as of
//! a date in that span holds both expired names and names in good standing.

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;

/// Registrars the generated records name: (name, IANA ID).
const REGISTRARS: [(&str, u32); 4] = [
    ("Example Registrar, Inc.", 9990),
    ("Mock Names LLC", 9991),
    ("Generated Domains GmbH", 9992),
    ("Test Registrar Ltd", 9993),
];

/// The facts of one generated record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub name: String,
    pub registered: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    /// EPP status words (`clientTransferProhibited`).
    pub statuses: Vec<&'static str>,
    pub registrar: &'static str,
    pub registrar_iana_id: u32,
    pub nameservers: [String; 2],
}

impl Generated {
    /// The record of `name` (lower-cased; a trailing dot is dropped).
    pub fn for_name(name: &str) -> Generated {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let hash = fnv1a(name.as_bytes());
        let epoch = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).single();
        let epoch = epoch.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        let expires = epoch
            + Duration::days((hash % 1095) as i64)
            + Duration::seconds(((hash >> 16) % 86_400) as i64);
        let years = 1 + (hash >> 32) % 10;
        let registered = expires - Duration::days(365 * years as i64);
        let updated = expires - Duration::days(365) + Duration::days(((hash >> 40) % 30) as i64);
        let mut statuses = vec!["clientTransferProhibited"];
        if (hash >> 8).is_multiple_of(3) {
            statuses.push("clientDeleteProhibited");
        }
        if (hash >> 12).is_multiple_of(5) {
            statuses.push("clientUpdateProhibited");
        }
        let (registrar, registrar_iana_id) = REGISTRARS[((hash >> 20) % 4) as usize];
        let dns = (hash >> 24) % 7;
        Generated {
            name,
            registered,
            expires,
            updated,
            statuses,
            registrar,
            registrar_iana_id,
            nameservers: [
                format!("ns1.dns-{dns}.example.net"),
                format!("ns2.dns-{dns}.example.net"),
            ],
        }
    }

    /// The record as a registry's RDAP domain object.
    pub fn rdap_json(&self) -> String {
        let date = |time: &DateTime<Utc>| time.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let statuses: Vec<String> = self.statuses.iter().map(|word| rdap_status(word)).collect();
        let nameservers: Vec<_> = self
            .nameservers
            .iter()
            .map(|host| json!({"objectClassName": "nameserver", "ldhName": host}))
            .collect();
        json!({
            "objectClassName": "domain",
            "rdapConformance": ["rdap_level_0", "icann_rdap_response_profile_0"],
            "handle": format!("GEN{:016X}", fnv1a(self.name.as_bytes())),
            "ldhName": self.name,
            "status": statuses,
            "events": [
                {"eventAction": "registration", "eventDate": date(&self.registered)},
                {"eventAction": "expiration", "eventDate": date(&self.expires)},
                {"eventAction": "last changed", "eventDate": date(&self.updated)},
            ],
            "entities": [{
                "objectClassName": "entity",
                "handle": self.registrar_iana_id.to_string(),
                "roles": ["registrar"],
                "publicIds": [{"type": "IANA Registrar ID", "identifier": self.registrar_iana_id.to_string()}],
                "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", self.registrar]]],
            }],
            "nameservers": nameservers,
            "secureDNS": {"delegationSigned": false},
        })
        .to_string()
    }

    /// The record as a registry's port-43 answer, in the ICANN layout.
    pub fn whois_text(&self) -> String {
        let date = |time: &DateTime<Utc>| time.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let mut text = format!(
            "Domain Name: {}\r\nRegistry Domain ID: GEN{:016X}\r\nUpdated Date: {}\r\n\
             Creation Date: {}\r\nRegistry Expiry Date: {}\r\nRegistrar: {}\r\n\
             Registrar IANA ID: {}\r\n",
            self.name.to_ascii_uppercase(),
            fnv1a(self.name.as_bytes()),
            date(&self.updated),
            date(&self.registered),
            date(&self.expires),
            self.registrar,
            self.registrar_iana_id,
        );
        for word in &self.statuses {
            text.push_str(&format!(
                "Domain Status: {word} https://icann.org/epp#{word}\r\n"
            ));
        }
        for host in &self.nameservers {
            text.push_str(&format!("Name Server: {}\r\n", host.to_ascii_uppercase()));
        }
        text.push_str(
            "DNSSEC: unsigned\r\n>>> Last update of WHOIS database: 2025-01-01T00:00:00Z <<<\r\n",
        );
        text
    }
}

/// The name a WHOIS query line asks about: its last word (registries put
/// flags first, as in `-T dn,ace example.de`).
pub fn queried_name(query: &str) -> &str {
    query.split_whitespace().last().unwrap_or_default()
}

/// `clientTransferProhibited` as RDAP spells it: `client transfer prohibited`.
fn rdap_status(word: &str) -> String {
    let mut spelled = String::new();
    for character in word.chars() {
        if character.is_ascii_uppercase() {
            spelled.push(' ');
        }
        spelled.push(character.to_ascii_lowercase());
    }
    spelled
}

/// 64-bit FNV-1a: stable across runs and platforms, unlike the std hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
