//! What WHOIS keys mean: the synonym table from field names (normalised by
//! [`super::lines::normalize_key`]) to record fields, and the kinds of
//! section headings.
//!
//! One table serves every registry: a key means the same wherever it
//! appears, except where a registry reuses a word (.ru `free-date` is a
//! release date, not an expiry), and those words are listed with the
//! meaning the registry gives them.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The record field a key fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    DomainName,
    /// Registry expiry.
    Expires,
    /// The registrar's expiry, printed in thick gTLD answers.
    RegistrarExpires,
    Created,
    Updated,
    Registrar,
    RegistrarIanaId,
    Status,
    /// AFNIC `pending: DELETE`: a status word to read as `pending <word>`.
    PendingOperation,
    /// AFNIC `hold: YES`: the registry keeps the name out of DNS.
    Hold,
    Nameserver,
    /// A yes/no statement about DNSSEC (`DNSSEC: unsigned`).
    Dnssec,
    /// Key material (`ds-rdata`, `dnskey`, JPRS `[Signing Key]`): signed
    /// when present, unsigned when the registry prints the key empty.
    DnssecMaterial,
    /// The registry's stated deletion date.
    Deletion,
    /// The registry's stated release date (open for registration again).
    Release,
}

/// What a heading introduces; decides which fields under it are the domain's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SectionClass {
    Domain,
    Registrar,
    /// A person or organisation other than the registrar: never the domain's data.
    Contact,
    Nameservers,
    Dnssec,
    Other,
}

const SYNONYMS: &[(&str, Target)] = &[
    // Domain name.
    ("domain name", Target::DomainName),
    ("domain", Target::DomainName),
    ("domainname", Target::DomainName),
    ("dominio", Target::DomainName),
    ("nombre de dominio", Target::DomainName),
    ("ドメイン名", Target::DomainName),
    ("nom de domaine", Target::DomainName),
    ("domaine", Target::DomainName),
    ("nome de domínio", Target::DomainName),
    ("alan adı", Target::DomainName),
    // Registry expiry.
    ("registry expiry date", Target::Expires),
    ("registry expiration date", Target::Expires),
    ("expiry date", Target::Expires),
    ("expiration date", Target::Expires),
    ("expiration time", Target::Expires),
    ("expiry", Target::Expires),
    ("expires", Target::Expires),
    ("expires on", Target::Expires),
    ("expire date", Target::Expires),
    ("expire", Target::Expires),
    ("expiration", Target::Expires),
    ("exp date", Target::Expires),
    ("paid till", Target::Expires),
    ("renewal date", Target::Expires),
    ("valid until", Target::Expires),
    ("validity", Target::Expires),
    ("domain expiration date", Target::Expires),
    ("domain expires", Target::Expires),
    ("record expires on", Target::Expires),
    ("domain datebilleduntil", Target::Expires),
    ("billed until", Target::Expires),
    ("exact expiry date", Target::Expires),
    ("renewal", Target::Expires),
    ("record expired", Target::Expires),
    ("record will expire on", Target::Expires),
    ("fecha de expiración", Target::Expires),
    ("fecha de expiracion", Target::Expires),
    ("有効期限", Target::Expires),
    ("fecha de vencimiento", Target::Expires),
    ("fecha de expiración del dominio", Target::Expires),
    ("vencimiento", Target::Expires),
    ("date d'expiration", Target::Expires),
    ("date d'échéance", Target::Expires),
    ("expire le", Target::Expires),
    ("data de expiração", Target::Expires),
    ("expiração", Target::Expires),
    ("data di scadenza", Target::Expires),
    ("scadenza", Target::Expires),
    ("ablaufdatum", Target::Expires),
    ("bitiş tarihi", Target::Expires),
    ("valid date", Target::Expires),
    ("validity date", Target::Expires),
    ("valid till", Target::Expires),
    ("valid to", Target::Expires),
    ("expiry on", Target::Expires),
    ("expires at", Target::Expires),
    ("expired", Target::Expires),
    ("expiration on", Target::Expires),
    ("paid until", Target::Expires),
    ("registered until", Target::Expires),
    ("registration expiration date", Target::Expires),
    ("domain expiry date", Target::Expires),
    ("domain expiration", Target::Expires),
    ("renewal due", Target::Expires),
    ("next renewal", Target::Expires),
    ("срок действия", Target::Expires),
    ("оплачен до", Target::Expires),
    // Registrar expiry (thick gTLD answers).
    (
        "registrar registration expiration date",
        Target::RegistrarExpires,
    ),
    ("registrar expiration date", Target::RegistrarExpires),
    // Creation.
    ("creation date", Target::Created),
    ("created", Target::Created),
    ("created on", Target::Created),
    ("created date", Target::Created),
    ("create date", Target::Created),
    ("creation time", Target::Created),
    ("registration time", Target::Created),
    ("registration date", Target::Created),
    ("registered", Target::Created),
    ("registered on", Target::Created),
    ("registered date", Target::Created),
    ("domain registration date", Target::Created),
    ("first registration date", Target::Created),
    ("domain record activated", Target::Created),
    ("record created", Target::Created),
    ("domain created", Target::Created),
    ("activated on", Target::Created),
    ("registration", Target::Created),
    ("domain registered", Target::Created),
    ("fecha de creación", Target::Created),
    ("fecha de creacion", Target::Created),
    ("domain name commencement date", Target::Created),
    ("domain create date", Target::Created),
    ("record created on", Target::Created),
    ("domain dateregistered", Target::Created),
    ("登録年月日", Target::Created),
    ("assigned", Target::Created),
    ("activation", Target::Created),
    ("activated", Target::Created),
    ("entry created", Target::Created),
    ("registration created", Target::Created),
    ("created at", Target::Created),
    ("creation", Target::Created),
    ("domain creation date", Target::Created),
    ("date registered", Target::Created),
    ("date created", Target::Created),
    ("fecha de registro", Target::Created),
    ("fecha de alta", Target::Created),
    ("date de création", Target::Created),
    ("date de creation", Target::Created),
    ("data de registo", Target::Created),
    ("data de registro", Target::Created),
    ("data de criação", Target::Created),
    ("data di creazione", Target::Created),
    ("data registrazione", Target::Created),
    ("oluşturulma tarihi", Target::Created),
    ("kayıt tarihi", Target::Created),
    ("дата регистрации", Target::Created),
    ("дата создания", Target::Created),
    // Last change.
    ("updated date", Target::Updated),
    ("updated", Target::Updated),
    ("updated on", Target::Updated),
    ("update date", Target::Updated),
    ("last updated", Target::Updated),
    ("last updated date", Target::Updated),
    ("last update", Target::Updated),
    ("last modified", Target::Updated),
    ("last changed", Target::Updated),
    ("modified", Target::Updated),
    ("modification date", Target::Updated),
    ("changed", Target::Updated),
    ("domain last updated date", Target::Updated),
    ("domain datelastmodified", Target::Updated),
    ("record last updated on", Target::Updated),
    ("domain record last updated", Target::Updated),
    ("modified date", Target::Updated),
    ("record last modified", Target::Updated),
    ("fecha de última modificación", Target::Updated),
    ("最終更新", Target::Updated),
    ("última actualización", Target::Updated),
    ("ultima actualización", Target::Updated),
    ("ultima actualizacion", Target::Updated),
    ("fecha de actualización", Target::Updated),
    ("fecha de modificación", Target::Updated),
    ("date de modification", Target::Updated),
    ("dernière modification", Target::Updated),
    ("data de atualização", Target::Updated),
    ("última atualização", Target::Updated),
    ("ultimo aggiornamento", Target::Updated),
    ("entry updated", Target::Updated),
    ("last update date", Target::Updated),
    ("last modification", Target::Updated),
    ("last modified date", Target::Updated),
    ("güncelleme tarihi", Target::Updated),
    // Registrar.
    ("registrar", Target::Registrar),
    ("registrar name", Target::Registrar),
    ("sponsoring registrar", Target::Registrar),
    ("registrar organization", Target::Registrar),
    ("registrar organisation", Target::Registrar),
    ("authorized agency", Target::Registrar),
    // sic: whois.nic.kz.
    ("current registar", Target::Registrar),
    ("registration service provider", Target::Registrar),
    ("sponsoring registrar organization", Target::Registrar),
    ("sponsoring registrar organisation", Target::Registrar),
    ("sponsoring registrar name", Target::Registrar),
    ("registrar of record", Target::Registrar),
    ("registrar company", Target::Registrar),
    ("registrar org", Target::Registrar),
    ("registrador", Target::Registrar),
    ("agente registrador", Target::Registrar),
    ("bureau d'enregistrement", Target::Registrar),
    ("registraire", Target::Registrar),
    ("agente de registro", Target::Registrar),
    ("registrar iana id", Target::RegistrarIanaId),
    ("sponsoring registrar iana id", Target::RegistrarIanaId),
    // Status.
    ("domain status", Target::Status),
    ("status", Target::Status),
    ("state", Target::Status),
    ("domain state", Target::Status),
    ("registration status", Target::Status),
    ("query status", Target::Status),
    ("epp status", Target::Status),
    ("eppstatus", Target::Status),
    ("ren status", Target::Status),
    ("flags", Target::Status),
    ("状態", Target::Status),
    ("estado", Target::Status),
    ("estatus", Target::Status),
    ("estatus del dominio", Target::Status),
    ("estado del dominio", Target::Status),
    ("statut", Target::Status),
    ("situação", Target::Status),
    ("stato", Target::Status),
    ("durum", Target::Status),
    ("domaintype", Target::Status),
    ("pending", Target::PendingOperation),
    ("hold", Target::Hold),
    // Name servers.
    ("name server", Target::Nameserver),
    ("name servers", Target::Nameserver),
    ("nameserver", Target::Nameserver),
    ("nameservers", Target::Nameserver),
    ("nserver", Target::Nameserver),
    ("host name", Target::Nameserver),
    ("hostname", Target::Nameserver),
    ("dns", Target::Nameserver),
    ("domain servers", Target::Nameserver),
    ("domain servers in listed order", Target::Nameserver),
    ("domain nameservers", Target::Nameserver),
    ("name server information", Target::Nameserver),
    ("nameserver information", Target::Nameserver),
    ("name servers information", Target::Nameserver),
    ("servidores de nombre", Target::Nameserver),
    ("ネームサーバ", Target::Nameserver),
    ("servidor de nombres", Target::Nameserver),
    ("servidores de nombres", Target::Nameserver),
    ("servidor de nombres de dominio", Target::Nameserver),
    ("servidores dns", Target::Nameserver),
    ("serveur de noms", Target::Nameserver),
    ("serveurs de noms", Target::Nameserver),
    ("servidor de nomes", Target::Nameserver),
    ("servidores de nomes", Target::Nameserver),
    ("dns name", Target::Nameserver),
    ("dns servers", Target::Nameserver),
    ("ad sunucusu", Target::Nameserver),
    ("primary server", Target::Nameserver),
    ("secondary server", Target::Nameserver),
    // DNSSEC.
    ("dnssec", Target::Dnssec),
    ("signed", Target::Dnssec),
    ("domain signed", Target::Dnssec),
    ("dnssec status", Target::Dnssec),
    ("signing key", Target::DnssecMaterial),
    ("ds rdata", Target::DnssecMaterial),
    ("ds record", Target::DnssecMaterial),
    ("dnskey", Target::DnssecMaterial),
    ("署名鍵", Target::DnssecMaterial),
    // Lifecycle dates the registry states.
    ("date to delete", Target::Deletion),
    ("deletion date", Target::Deletion),
    ("deleted", Target::Deletion),
    ("delete", Target::Deletion),
    ("domain datecancelled", Target::Deletion),
    ("date to release", Target::Release),
    ("date out of quarantine", Target::Release),
    ("free date", Target::Release),
    ("release date", Target::Release),
    ("available", Target::Release),
];

/// The meaning of a normalised key, if it has one.
pub(crate) fn lookup(key: &str) -> Option<Target> {
    if let Some(target) = lookup_exact(key) {
        return Some(target);
    }
    // Numbered name servers: `ns_name_01` (.nz), `NS 1` (.io), `Name Server 2`,
    // `nserver1`, `DNS 3`.
    let unnumbered = key
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end();
    if unnumbered.len() < key.len()
        && (matches!(unnumbered, "ns name" | "ns")
            || lookup_exact(unnumbered) == Some(Target::Nameserver))
    {
        return Some(Target::Nameserver);
    }
    // `Created on`, `Last Updated on`, `Expires at`: the preposition adds nothing.
    [" on", " at"]
        .iter()
        .find_map(|suffix| key.strip_suffix(suffix))
        .and_then(lookup_exact)
}

fn lookup_exact(key: &str) -> Option<Target> {
    static TABLE: LazyLock<HashMap<&'static str, Target>> =
        LazyLock::new(|| SYNONYMS.iter().copied().collect());
    TABLE.get(key).copied()
}

/// The kind of a (normalised) heading.
pub(crate) fn classify_section(title: &str) -> SectionClass {
    let has = |words: &[&str]| words.iter().any(|word| title.contains(word));
    if has(&["dnssec"]) || matches!(title, "keys" | "dnskey" | "ds records") {
        SectionClass::Dnssec
    } else if has(&[
        "name server",
        "nameserver",
        "nserver",
        "domain servers",
        "dns servers",
    ]) || matches!(title, "servers" | "dns")
    {
        SectionClass::Nameservers
    } else if has(&["registrar", "sponsoring"]) && !has(&["contact"]) {
        // `Registrar Technical Contacts:` (.be) are people, not the registrar.
        SectionClass::Registrar
    } else if has(&[
        "registrant",
        "holder",
        "owner",
        "admin",
        "tech",
        "billing",
        "contact",
        "zone c",
        "person",
        "managers",
        "titular",
        "responsible",
    ]) {
        SectionClass::Contact
    } else if matches!(title, "domain" | "domain information" | "domain details") {
        SectionClass::Domain
    } else {
        SectionClass::Other
    }
}

/// Keys that name the registrar inside a registrar section (`Registrar:`
/// then `Name: ...` or `Organization: ...`).
pub(crate) fn names_registrar(key: &str) -> bool {
    matches!(
        key,
        "name" | "organization" | "organisation" | "org" | "registrar" | "registrar name"
    )
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("registry expiry date", Some(Target::Expires))]
    #[case(
        "registrar registration expiration date",
        Some(Target::RegistrarExpires)
    )]
    #[case("paid till", Some(Target::Expires))]
    #[case("free date", Some(Target::Release))]
    #[case("有効期限", Some(Target::Expires))]
    #[case("domain datebilleduntil", Some(Target::Expires))]
    #[case("ns name 01", Some(Target::Nameserver))]
    #[case("ns name x", None)]
    #[case("ns 2", Some(Target::Nameserver))]
    #[case("registrant name", None)]
    #[case("fecha de vencimiento", Some(Target::Expires))]
    #[case("validity", Some(Target::Expires))]
    #[case("last updated on", Some(Target::Updated))]
    #[case("expires at", Some(Target::Expires))]
    #[case("entry created", Some(Target::Created))]
    #[case("activation", Some(Target::Created))]
    #[case("assigned", Some(Target::Created))]
    #[case("name server 2", Some(Target::Nameserver))]
    #[case("nserver1", Some(Target::Nameserver))]
    #[case("estatus del dominio", Some(Target::Status))]
    #[case("sponsoring registrar organization", Some(Target::Registrar))]
    #[case("registrant on", None)]
    fn keys_map_to_fields(#[case] key: &str, #[case] expected: Option<Target>) {
        assert_eq!(lookup(key), expected);
    }

    #[test]
    fn each_key_has_one_meaning() {
        let mut keys: Vec<&str> = SYNONYMS.iter().map(|(key, _)| *key).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a key is listed twice");
    }

    #[rstest]
    #[case("name servers", SectionClass::Nameservers)]
    #[case("domain servers in listed order", SectionClass::Nameservers)]
    #[case("registrar", SectionClass::Registrar)]
    #[case("last registrar", SectionClass::Registrar)]
    #[case("registrar technical contacts", SectionClass::Contact)]
    #[case("technical contacts", SectionClass::Contact)]
    #[case("tech c", SectionClass::Contact)]
    #[case("registrant", SectionClass::Contact)]
    #[case("dnssec", SectionClass::Dnssec)]
    #[case("domain details", SectionClass::Domain)]
    #[case("relevant dates", SectionClass::Other)]
    #[case("servers", SectionClass::Nameservers)]
    fn headings_are_classified(#[case] title: &str, #[case] expected: SectionClass) {
        assert_eq!(classify_section(title), expected);
    }
}
