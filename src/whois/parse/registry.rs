//! What the reader must know about a registry that its text does not say:
//! which TLD's conventions apply (chosen by the answering server, else by
//! the TLD), the order of day and month in its numeric dates, the zone of
//! its zone-less times and its charset.
//!
//! The zone of zone-less times comes from the lifecycle policy table
//! (`time_zone`), the one place that records registry zones.

use chrono::{FixedOffset, Offset, Utc};
use encoding_rs::{BIG5, EUC_KR, Encoding};

use super::dates::{DateRules, DayOrder};
use crate::lifecycle::PolicyTable;

/// The conventions of the registry that answered.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Registry {
    /// The TLD of the name: the prefix of statuses with no EPP meaning
    /// (`ru:VERIFIED`).
    pub tld: String,
    /// The TLD whose registry's conventions apply (the server's, else `tld`).
    pub conventions: String,
    pub dates: DateRules,
    pub charset: Option<&'static Encoding>,
}

/// Registry WHOIS servers and the TLD whose conventions they follow.
const SERVERS: &[(&str, &str)] = &[
    ("whois.jprs.jp", "jp"),
    ("whois.cnnic.cn", "cn"),
    ("whois.cnnic.net.cn", "cn"),
    ("whois.nic.uk", "uk"),
    ("whois.denic.de", "de"),
    ("whois.eu", "eu"),
    ("whois.tcinet.ru", "ru"),
    ("whois.ripn.net", "ru"),
    ("whois.iis.se", "se"),
    ("whois.iis.nu", "nu"),
    ("whois.dns.be", "be"),
    ("whois.srs.net.nz", "nz"),
    ("whois.irs.net.nz", "nz"),
    ("whois.nic.it", "it"),
    ("whois.cira.ca", "ca"),
    ("whois.kr", "kr"),
    ("whois.nic.or.kr", "kr"),
    ("whois.twnic.net.tw", "tw"),
    ("whois.registro.br", "br"),
    ("whois.dns.pt", "pt"),
    ("whois.nic.fr", "fr"),
    ("whois.fi", "fi"),
    ("whois.rnids.rs", "rs"),
    ("whois.tld.ee", "ee"),
    ("whois.ua", "ua"),
    ("whois.dns.pl", "pl"),
    ("whois.domain-registry.nl", "nl"),
    ("whois.nic.im", "im"),
    ("whois.rotld.ro", "ro"),
    ("whois.nic.cr", "cr"),
    ("whois.nic.cz", "cz"),
    ("whois.nic.es", "es"),
    ("whois.nic.at", "at"),
    ("whois.nic.ch", "ch"),
    ("whois.dk-hostmaster.dk", "dk"),
    ("whois.norid.no", "no"),
    ("whois.hkirc.hk", "hk"),
    ("whois.auda.org.au", "au"),
    ("whois.nic.tr", "tr"),
    ("whois.sgnic.sg", "sg"),
    ("whois.dot.tk", "tk"),
    ("whois.isoc.org.il", "il"),
    ("whois.register.bg", "bg"),
    ("whois.dns.hr", "hr"),
    ("whois.arnes.si", "si"),
    ("whois.sk-nic.sk", "sk"),
    ("whois.domreg.lt", "lt"),
    ("whois.isnic.is", "is"),
    ("whois.amnic.net", "am"),
    ("whois.cctld.by", "by"),
    ("whois.cctld.uz", "uz"),
    ("whois.thnic.co.th", "th"),
    ("whois.mynic.my", "my"),
    ("whois.registry.in", "in"),
    ("whois.ati.tn", "tn"),
    ("whois.com.ua", "ua"),
    ("whois.monic.mo", "mo"),
    ("whois.audns.net.au", "au"),
    ("whois.nic.ad.jp", "jp"),
];

/// TLDs whose registries write all-numeric dates day first (`31/12/2017`):
/// European, French-speaking and Spanish-speaking registries whose country
/// writes dates so. A registry missing here is read with the order its
/// answer's own dates show (see `dates::answer_day_order`).
const DAY_FIRST: &[&str] = &[
    "ar", "at", "au", "ba", "be", "bg", "bo", "br", "by", "ch", "ci", "cl", "cm", "cr", "cy", "cz",
    "de", "dk", "dz", "ec", "ee", "es", "eu", "fi", "fr", "gr", "hk", "hr", "hu", "ie", "il", "im",
    "in", "is", "it", "kz", "li", "lt", "lu", "lv", "ma", "md", "me", "mg", "mk", "mt", "my", "nc",
    "nl", "no", "nz", "pe", "pf", "pl", "pm", "pt", "py", "re", "ro", "rs", "ru", "se", "sg", "si",
    "sk", "sn", "su", "tf", "tk", "tr", "ua", "uk", "uy", "ve", "wf", "xn--p1ai", "yt", "za",
];

/// Registries known to answer in a charset other than UTF-8 when the text
/// is not valid UTF-8.
const CHARSETS: &[(&str, &Encoding)] = &[("kr", EUC_KR), ("tw", BIG5)];

/// The conventions for an answer from `server` (if known) about a name in `tld`.
///
/// A known registry server decides (a server can serve several TLDs, and
/// the `.co.jp` and `.jp` answers of JPRS follow one set of rules). Any
/// other server follows the TLD's conventions: for a ccTLD it is the
/// registry under another name or a local registrar, which writes dates
/// the local way; for a gTLD there are no conventions beyond UTC.
pub(crate) fn select(server: Option<&str>, tld: &str, zone: Option<FixedOffset>) -> Registry {
    let tld = tld.trim_end_matches('.').to_ascii_lowercase();
    let server = server.map(|host| host.trim_end_matches('.').to_ascii_lowercase());
    let conventions = server
        .as_deref()
        .and_then(|host| SERVERS.iter().find(|(name, _)| *name == host))
        .map_or_else(
            || tld.clone(),
            |(_, registry_tld)| (*registry_tld).to_string(),
        );
    let day_order = if DAY_FIRST.contains(&conventions.as_str()) {
        DayOrder::DayFirst
    } else {
        DayOrder::Unknown
    };
    // The policy table is the one record of registry zones; a caller with a
    // user's table passes its answer in.
    let zone = zone.unwrap_or_else(|| {
        PolicyTable::shared_builtin().map_or(Utc.fix(), |table| table.registry_zone(&conventions))
    });
    let charset = CHARSETS
        .iter()
        .find(|(name, _)| *name == conventions)
        .map(|(_, encoding)| *encoding);
    Registry {
        tld,
        conventions,
        dates: DateRules { day_order, zone },
        charset,
    }
}

/// A registry whose answers the reader reads with conventions of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownRegistry {
    /// The TLD whose registry it is.
    pub tld: String,
    /// Its WHOIS servers the reader recognises.
    pub servers: Vec<String>,
    /// Whether its all-numeric dates are read day first.
    pub day_first: bool,
    /// The charset read when the answer is not UTF-8.
    pub charset: Option<String>,
}

/// Every registry with conventions of its own (a known server or a day
/// order), by TLD.
pub(crate) fn known_registries() -> Vec<KnownRegistry> {
    let mut tlds: Vec<&str> = SERVERS
        .iter()
        .map(|(_, tld)| *tld)
        .chain(DAY_FIRST.iter().copied())
        .collect();
    tlds.sort_unstable();
    tlds.dedup();
    tlds.into_iter()
        .map(|tld| KnownRegistry {
            tld: tld.to_string(),
            servers: SERVERS
                .iter()
                .filter(|(_, owner)| *owner == tld)
                .map(|(server, _)| (*server).to_string())
                .collect(),
            day_first: DAY_FIRST.contains(&tld),
            charset: CHARSETS
                .iter()
                .find(|(name, _)| *name == tld)
                .map(|(_, encoding)| encoding.name().to_string()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::server_decides(Some("whois.jprs.jp"), "jp", DayOrder::Unknown, 9)]
    #[case::tld_when_server_unknown(None, "cn", DayOrder::Unknown, 8)]
    #[case::day_first_registry(Some("whois.nic.fr"), "fr", DayOrder::DayFirst, 0)]
    #[case::unlisted_server_follows_the_tld(Some("whois.nic.im"), "im", DayOrder::DayFirst, 0)]
    #[case::local_registrar_follows_the_tld(Some("whois.xinnet.com"), "cn", DayOrder::Unknown, 8)]
    #[case::gtld_registrar(Some("whois.markmonitor.com"), "com", DayOrder::Unknown, 0)]
    #[case::server_over_tld(Some("whois.jprs.jp"), "co", DayOrder::Unknown, 9)]
    #[case::tld_only_uppercase(None, "RU", DayOrder::DayFirst, 3)]
    fn registry_is_chosen_by_server_then_tld(
        #[case] server: Option<&str>,
        #[case] tld: &str,
        #[case] order: DayOrder,
        #[case] hours: i32,
    ) {
        let registry = select(server, tld, None);
        assert_eq!(registry.dates.day_order, order);
        assert_eq!(registry.dates.zone.local_minus_utc(), hours * 3600);
        assert_eq!(registry.tld, tld.to_ascii_lowercase());
        assert!(server.is_some() || registry.conventions == registry.tld);
    }

    #[test]
    fn known_registries_list_each_tld_once_with_its_servers() {
        let known = known_registries();
        let jp = known.iter().find(|registry| registry.tld == "jp");
        assert_eq!(
            jp.map(|registry| registry.servers.clone()),
            Some(vec![
                "whois.jprs.jp".to_string(),
                "whois.nic.ad.jp".to_string()
            ])
        );
        let kr = known.iter().find(|registry| registry.tld == "kr");
        assert_eq!(
            kr.and_then(|registry| registry.charset.clone()).as_deref(),
            Some("EUC-KR")
        );
        let mut tlds: Vec<&str> = known.iter().map(|registry| registry.tld.as_str()).collect();
        tlds.dedup();
        assert_eq!(tlds.len(), known.len());
    }

    #[test]
    fn known_charsets_are_attached() {
        assert_eq!(select(Some("whois.kr"), "kr", None).charset, Some(EUC_KR));
        assert_eq!(select(None, "com", None).charset, None);
    }
}
