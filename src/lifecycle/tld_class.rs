//! Telling country-code TLDs from generic ones, which decides the fallback
//! policy of a TLD the table has no entry for.
//!
//! Rule: a ccTLD is a TLD of exactly two ASCII letters (ISO 3166 codes and
//! the few exceptional reservations such as .eu, .uk, .ac) or one of the IDN
//! ccTLDs listed in [`IDN_CCTLDS`]. Every other TLD is generic and follows
//! ICANN's gTLD rules (RAA, ERRP), which bind every gTLD registrar. An IDN
//! ccTLD missing from the list is treated as generic; the list holds only
//! delegations known for certain rather than a guess at all of them.

use serde::{Deserialize, Serialize};

/// IDN ccTLDs (A-labels) known to be country-code delegations.
pub const IDN_CCTLDS: &[&str] = &[
    "xn--fiqs8s",        // 中国
    "xn--fiqz9s",        // 中國
    "xn--j6w193g",       // 香港
    "xn--mix891f",       // 澳門
    "xn--kprw13d",       // 台湾
    "xn--kpry57d",       // 台灣
    "xn--3e0b707e",      // 한국
    "xn--p1ai",          // рф
    "xn--j1amh",         // укр
    "xn--90ais",         // бел
    "xn--90a3ac",        // срб
    "xn--d1alf",         // мкд
    "xn--l1acc",         // мон
    "xn--80ao21a",       // қаз
    "xn--e1a4c",         // ею
    "xn--qxa6a",         // ευ
    "xn--qxam",          // ελ
    "xn--node",          // გე
    "xn--y9a3aq",        // հայ
    "xn--o3cw4h",        // ไทย
    "xn--h2brj9c",       // भारत
    "xn--yfro4i67o",     // 新加坡
    "xn--wgbh1c",        // مصر
    "xn--mgbaam7a8h",    // امارات
    "xn--mgberp4a5d4ar", // السعودية
    "xn--wgbl6a",        // قطر
];

/// The two kinds of TLD whose rules differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TldClass {
    /// Generic: ICANN's contracts apply.
    #[serde(rename = "gtld")]
    Generic,
    /// Country code: each registry makes its own rules.
    #[serde(rename = "cctld")]
    CountryCode,
}

impl TldClass {
    /// The class of a TLD given as a lower-case A-label without dots.
    pub fn of(tld: &str) -> TldClass {
        let two_letters = tld.len() == 2 && tld.bytes().all(|b| b.is_ascii_alphabetic());
        if two_letters || IDN_CCTLDS.contains(&tld) {
            TldClass::CountryCode
        } else {
            TldClass::Generic
        }
    }

    /// The selector naming the class in the policy table.
    pub fn selector(self) -> &'static str {
        match self {
            TldClass::Generic => "gtld",
            TldClass::CountryCode => "cctld",
        }
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("com", TldClass::Generic)]
    #[case("app", TldClass::Generic)]
    #[case("xn--ses554g", TldClass::Generic)] // 网址, a gTLD
    #[case("cn", TldClass::CountryCode)]
    #[case("eu", TldClass::CountryCode)]
    #[case("xn--fiqs8s", TldClass::CountryCode)]
    #[case("xn--p1ai", TldClass::CountryCode)]
    #[case("c1", TldClass::Generic)]
    fn classes(#[case] tld: &str, #[case] class: TldClass) {
        assert_eq!(TldClass::of(tld), class);
    }
}
