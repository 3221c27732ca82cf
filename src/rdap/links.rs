//! Reading the `links` of an RDAP response: its own `self` URL, the
//! registrar's RDAP URL among the `related` links, and the domain named by
//! a `.../domain/NAME` lookup URL.

use super::model::Link;
use super::text::ascii_name;

const RDAP_MEDIA_TYPE: &str = "application/rdap+json";

/// The `href` of the first `self` link.
pub(super) fn self_link<'a>(links: impl IntoIterator<Item = &'a Link>) -> Option<String> {
    links
        .into_iter()
        .find(|link| has_rel(link, "self"))
        .and_then(|link| link.href.as_deref())
        .map(str::trim)
        .filter(|href| !href.is_empty())
        .map(str::to_string)
}

/// Picks the registrar's RDAP URL among `related` links. A link typed as
/// RDAP qualifies unless it points at another kind of object (an entity, a
/// search); an untyped one only when its path is a domain lookup. Domain
/// lookup URLs are preferred.
pub(super) fn registrar_rdap_link<'a>(
    links: impl Iterator<Item = &'a Link>,
    self_link: Option<&str>,
) -> Option<String> {
    let mut fallback = None;
    for link in links.filter(|link| has_rel(link, "related")) {
        let Some(href) = link.href.as_deref().map(str::trim) else {
            continue;
        };
        if self_link.is_some_and(|own| own.eq_ignore_ascii_case(href)) {
            continue;
        }
        let Some(kind) = rdap_path_kind(href) else {
            continue;
        };
        let media_type = link.media_type.as_deref().map(str::trim).unwrap_or("");
        let typed_rdap = media_type.to_ascii_lowercase().contains(RDAP_MEDIA_TYPE);
        match kind {
            PathKind::Domain if typed_rdap || media_type.is_empty() => {
                return Some(href.to_string());
            }
            PathKind::Unknown if typed_rdap && fallback.is_none() => {
                fallback = Some(href.to_string())
            }
            _ => {}
        }
    }
    fallback
}

enum PathKind {
    /// `.../domain/NAME`
    Domain,
    /// A path that names no RDAP object kind (a base URL, say).
    Unknown,
    /// Another object kind or a search: not the registrar's domain answer.
    Other,
}

/// What an http(s) URL's path points at; `None` for anything else.
fn rdap_path_kind(href: &str) -> Option<PathKind> {
    let url = url::Url::parse(href).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let segments: Vec<String> = url
        .path_segments()
        .map(|segments| segments.map(str::to_ascii_lowercase).collect())
        .unwrap_or_default();
    let names_domain = segments
        .windows(2)
        .any(|pair| pair[0] == "domain" && !pair[1].is_empty());
    let other_kind = segments.iter().any(|segment| {
        matches!(
            segment.as_str(),
            "entity"
                | "nameserver"
                | "ip"
                | "autnum"
                | "help"
                | "domains"
                | "entities"
                | "nameservers"
        )
    });
    Some(if names_domain {
        PathKind::Domain
    } else if other_kind {
        PathKind::Other
    } else {
        PathKind::Unknown
    })
}

/// True when the link's relation types (space-separated, RFC 8288) include `rel`.
fn has_rel(link: &Link, rel: &str) -> bool {
    link.rel.as_deref().is_some_and(|found| {
        found
            .split_whitespace()
            .any(|one| one.eq_ignore_ascii_case(rel))
    })
}

/// The `NAME` of a `.../domain/NAME` URL, as an A-label.
pub fn name_from_url(url: Option<&str>) -> Option<String> {
    let url = url::Url::parse(url?).ok()?;
    let segments: Vec<&str> = url.path_segments()?.collect();
    let at = segments
        .iter()
        .rposition(|segment| segment.eq_ignore_ascii_case("domain"))?;
    let name = segments.get(at + 1)?;
    let decoded = percent_decode(name)?;
    ascii_name(&decoded)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if byte == b'%' {
            let hex = text.get(at + 1..at + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(byte);
            at += 1;
        }
    }
    String::from_utf8(out).ok()
}
