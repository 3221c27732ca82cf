//! Whether an answer is about the name that was asked: the one check every
//! answer goes through, wherever it came from (the network, the store, a
//! capture), before anything in it is believed.
//!
//! A registry that answers about another name (a wrong referral, a proxy
//! that mixes up its cache, a redirect to another name's URL, a stale
//! capture) must not have that name's record read as the one asked about.
//! Names are compared as [`DomainName::is_named_by`] does: in any case, as
//! A-label or U-label, trailing dot ignored.

use url::Url;

use crate::domain::DomainName;
use crate::rdap;

/// The name an RDAP answer is about when it is not `asked`: the first of
/// the names the answer gives itself (`ldhName`, `unicodeName`) that is
/// another, else the name in the URL a redirect `landed` on.
pub(super) fn rdap_other_name(
    asked: &DomainName,
    published: &[String],
    landed: Option<&Url>,
) -> Option<String> {
    published
        .iter()
        .find(|name| !asked.is_named_by(name))
        .cloned()
        .or_else(|| {
            rdap::name_from_url(landed.map(Url::as_str)).filter(|name| !asked.is_named_by(name))
        })
}

/// The name a WHOIS answer is about when it is not `asked`. WHOIS text can
/// carry other `domain:` lines before the registry's own (IANA's preamble
/// names the TLD alone), so the answer is about another name when its
/// domain lines name domains and none of them is `asked`.
pub(super) fn whois_other_name(asked: &DomainName, published: &[String]) -> Option<String> {
    let mut domains = published
        .iter()
        .filter(|name| name.trim().trim_end_matches('.').contains('.'))
        .peekable();
    let first = domains.peek().map(|name| (*name).clone());
    if domains.any(|name| asked.is_named_by(name)) {
        None
    } else {
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> DomainName {
        crate::domain::normalize(text).unwrap().name
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|name| (*name).to_owned()).collect()
    }

    #[test]
    fn an_rdap_answer_naming_itself_in_any_form_is_believed() {
        let asked = name("bücher.de");
        let published = names(&["XN--BCHER-KVA.DE.", "Bücher.de"]);
        assert_eq!(rdap_other_name(&asked, &published, None), None);
    }

    #[test]
    fn an_rdap_answer_about_another_name_says_which() {
        let asked = name("google.com");
        let published = names(&["google.com", "evil.com"]);
        assert_eq!(
            rdap_other_name(&asked, &published, None).as_deref(),
            Some("evil.com")
        );
    }

    #[test]
    fn a_redirect_to_another_names_url_is_another_name() {
        let asked = name("google.com");
        let landed = Url::parse("https://rdap.test/domain/EVIL.COM").ok();
        assert_eq!(
            rdap_other_name(&asked, &[], landed.as_ref()).as_deref(),
            Some("evil.com")
        );
        let same = Url::parse("https://other.test/rdap/domain/Google.Com").ok();
        assert_eq!(rdap_other_name(&asked, &[], same.as_ref()), None);
    }

    #[test]
    fn a_whois_preamble_naming_the_tld_is_not_the_answer() {
        let asked = name("google.com");
        assert_eq!(
            whois_other_name(&asked, &names(&["COM", "GOOGLE.COM"])),
            None
        );
        assert_eq!(whois_other_name(&asked, &names(&["COM"])), None);
        assert_eq!(whois_other_name(&asked, &[]), None);
        assert_eq!(
            whois_other_name(&asked, &names(&["COM", "EVIL.COM"])).as_deref(),
            Some("EVIL.COM")
        );
    }
}
