//! [`DomainName`]: a validated registrable domain, and [`normalize`], which
//! turns whatever a person wrote in a domain list into one.
//!
//! Lists of domains are written by people: mixed case, trailing dots,
//! Unicode names, a URL or an e-mail address pasted from somewhere, a
//! `www.` host instead of the domain. Every later stage (lookup, lifecycle,
//! report) needs the one name the registry knows, so this module owns the
//! rules that get from the text to that name, and says what it changed
//! (`Normalized::notes`) or why it could not (`DomainError`).
//!
//! Every other text that names a host or a suffix (a TLD typed on the
//! command line, a bootstrap entry, a name server in an RDAP answer) goes
//! through [`to_a_label`]: the same UTS #46 rules and the same LDH checks,
//! so no two places disagree on what a name is. Code that sends a name to a
//! registry, keys a store or builds a file name takes a [`DomainName`],
//! which cannot hold anything else.
//!
//! The registrable domain is found with the Public Suffix List's ICANN
//! section only. The list's private section (`github.io`, `blogspot.com`,
//! `s3.amazonaws.com`) marks names under which *companies* hand out
//! subdomains; the registry knows nothing of those, and it is the registry's
//! registration we audit. So `alice.github.io` reduces to `github.io`
//! (registered at the `.io` registry), not to `alice.github.io`.

mod confusable;

use std::fmt;
use std::net::IpAddr;

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};
use psl::{List, Psl, Type};
use serde::{Serialize, Serializer};

/// Longest label in octets (RFC 1035 section 2.3.4).
const MAX_LABEL_OCTETS: usize = 63;
/// Longest name in octets, written without the trailing dot (RFC 1035 section
/// 2.3.4 allows 255 on the wire: a length octet per label and the root).
const MAX_NAME_OCTETS: usize = 253;

/// A registrable domain (the name a registry registers), validated.
///
/// Serialised as its A-label form (`xn--bcher-kva.de`); [`fmt::Display`]
/// writes the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DomainName {
    ascii: String,
    unicode: String,
    /// Byte offset in `ascii` where the ICANN public suffix starts.
    suffix_start: usize,
}

impl DomainName {
    /// A-label form: lower case, no trailing dot (`xn--bcher-kva.de`).
    /// This is the form to send to registries.
    pub fn ascii(&self) -> &str {
        &self.ascii
    }

    /// U-label form for people (`bücher.de`); equal to [`Self::ascii`] for
    /// names without internationalised labels.
    pub fn unicode(&self) -> &str {
        &self.unicode
    }

    /// The top-level domain, A-label form (`de`, `xn--fiqs8s`).
    pub fn tld(&self) -> &str {
        self.ascii
            .rsplit_once('.')
            .map_or(self.ascii.as_str(), |(_, tld)| tld)
    }

    /// The ICANN public suffix the name is registered under, A-label form
    /// (`co.uk` for `example.co.uk`, `com` for `example.com`).
    pub fn public_suffix(&self) -> &str {
        &self.ascii[self.suffix_start..]
    }

    /// Whether `text`, a name as an answer prints it, is this name: in any
    /// case, as A-label or U-label, with or without the trailing dot.
    pub fn is_named_by(&self, text: &str) -> bool {
        let text = text.trim();
        let text = text.strip_suffix('.').unwrap_or(text);
        text.eq_ignore_ascii_case(&self.ascii)
            || text == self.unicode
            || to_a_label(text).is_ok_and(|ascii| ascii == self.ascii)
    }
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.ascii)
    }
}

impl Serialize for DomainName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.ascii)
    }
}

/// The result of [`normalize`]: the name, and what was done to the text to
/// get it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Normalized {
    pub name: DomainName,
    /// One sentence per change a person may not expect (host taken from a
    /// URL, subdomain reduced). Case folding, a trailing dot and the IDNA
    /// conversion are not noted: they never change which name is meant.
    pub notes: Vec<String>,
}

/// Why a text is not a domain name we can audit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// Nothing to read: the text (or the host part of a URL, the domain part
    /// of an e-mail address) is empty. Remove the line or write a name.
    #[error("no domain name given")]
    Empty,
    /// The text is an IP address; registries register names, not addresses.
    /// Write the domain name instead.
    #[error("{address} is an IP address, not a domain name")]
    IpAddress { address: String },
    /// The text looks like a URL but could not be read as one. Check the URL
    /// or write the bare domain name.
    #[error("cannot read URL {url}: {problem}")]
    Url { url: String, problem: String },
    /// Two dots in a row, or a dot at the start: a label is missing.
    #[error("{name} has an empty label (two dots in a row or a leading dot)")]
    EmptyLabel { name: String },
    /// A label is longer than DNS allows (63 octets in A-label form).
    #[error("label {label} is {octets} octets long; the limit is 63")]
    LabelTooLong { label: String, octets: usize },
    /// The whole name is longer than DNS allows (253 octets in A-label form).
    #[error("the name is {octets} octets long in A-label form; the limit is 253")]
    NameTooLong { octets: usize },
    /// A character that cannot appear in a host name (only letters, digits
    /// and hyphens can, and Unicode letters through IDNA). Remove it.
    #[error("character {} (U+{:04X}) is not allowed in a host name", quoted(*.character), u32::from(*.character))]
    DisallowedCharacter { character: char },
    /// A label starts or ends with a hyphen, which host names do not allow.
    #[error("label {label} starts or ends with a hyphen")]
    HyphenAtLabelEdge { label: String },
    /// The last label is not a top-level domain in the ICANN section of the
    /// Public Suffix List. Check the spelling; a TLD delegated after the
    /// list built into this version is not known yet.
    #[error("{tld} is not a known top-level domain")]
    UnknownTld { tld: String },
    /// The text is only a public suffix (`com`, `co.uk`): there is no
    /// registrable name in it. Write the name registered under it.
    #[error("{suffix} is a public suffix; give a name registered under it, like example.{suffix}")]
    PublicSuffixOnly { suffix: String },
    /// A label could not be converted by IDNA (UTS #46): a character not
    /// allowed in domain names, a malformed `xn--` label, mixed scripts
    /// that break the bidi rule. Check the label.
    #[error("label {label} is not a valid internationalised domain label")]
    Idna { label: String },
    /// A label written in Unicode mixes scripts in a way no language does
    /// (Cyrillic `а` in `аpple`): it looks like another name. Write it in
    /// one script, or give its A-label (`xn--...`) if it is the name meant.
    #[error(
        "label {label} mixes {scripts} letters, so it looks like another name ({odd}); \
         write it in one script, or as its A-label {a_label} if this is the name you mean"
    )]
    MixedScripts {
        label: String,
        scripts: String,
        /// The letters of the rarer script, each with its code point.
        odd: String,
        a_label: String,
    },
}

/// Reads `text` as a domain name and reduces it to its registrable domain.
///
/// Accepts a bare name (any case, trailing dot, Unicode or A-labels), a URL
/// with a host, or an e-mail address.
pub fn normalize(text: &str) -> Result<Normalized, DomainError> {
    let text = text.trim();
    let mut notes = Vec::new();
    let host = extract_host(text, &mut notes)?;
    let host = host.strip_suffix('.').unwrap_or(&host);
    if host.is_empty() {
        return Err(DomainError::Empty);
    }
    reject_ip_address(host)?;
    let (ascii, unicode) = validated(host)?;
    if !host.is_ascii() {
        // Written in Unicode: what a person sees must be the name meant.
        // An A-label written out is taken as meant.
        confusable::check(&ascii, &unicode).map_err(|mixed| DomainError::MixedScripts {
            label: mixed.label,
            scripts: mixed.scripts,
            odd: mixed.odd,
            a_label: mixed.a_label,
        })?;
    }
    let suffix_len = icann_suffix_len(&ascii)?;
    let name = registrable(&ascii, &unicode, suffix_len)?;
    if name.ascii != ascii {
        notes.push(format!(
            "{} reduced to registrable domain {}",
            unicode,
            name.unicode()
        ));
    }
    Ok(Normalized { name, notes })
}

/// A host name, TLD or suffix as written (any case, a trailing dot, U- or
/// A-labels) as a lower-case A-label, checked by the rules every name
/// follows: host-name characters, UTS #46, no empty label, no hyphen at a
/// label's edge, 63 octets a label and 253 in all. Unlike [`normalize`] it
/// keeps every label (no reduction to the registrable domain, no public
/// suffix check), so it suits TLDs, suffixes and name servers.
pub fn to_a_label(text: &str) -> Result<String, DomainError> {
    let text = text.trim();
    let host = text.strip_suffix('.').unwrap_or(text);
    if host.is_empty() {
        return Err(DomainError::Empty);
    }
    validated(host).map(|(ascii, _)| ascii)
}

/// The one validation of a host name without its trailing dot: its
/// A-label and U-label forms, or why it is not one.
fn validated(host: &str) -> Result<(String, String), DomainError> {
    reject_disallowed_characters(host)?;
    if host.split('.').any(str::is_empty) {
        return Err(DomainError::EmptyLabel {
            name: host.to_owned(),
        });
    }
    let (ascii, unicode) = to_ascii_and_unicode(host)?;
    check_lengths_and_hyphens(&ascii, &unicode)?;
    Ok((ascii, unicode))
}

/// Takes the host out of a URL or the domain out of an e-mail address;
/// returns other text unchanged.
fn extract_host(text: &str, notes: &mut Vec<String>) -> Result<String, DomainError> {
    if text.contains("://") {
        return host_of_url(text, notes);
    }
    let address = match text.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => &text[7..],
        _ => text,
    };
    if let Some((_, domain)) = address.rsplit_once('@') {
        notes.push(format!(
            "taken from e-mail address {}",
            address.escape_debug()
        ));
        return Ok(domain.to_owned());
    }
    Ok(text.to_owned())
}

fn host_of_url(text: &str, notes: &mut Vec<String>) -> Result<String, DomainError> {
    let url_error = |problem: String| DomainError::Url {
        url: text.escape_debug().to_string(),
        problem,
    };
    let mut url = url::Url::parse(text).map_err(|error| url_error(error.to_string()))?;
    let host = match url.host() {
        Some(url::Host::Domain(host)) => host.to_owned(),
        Some(url::Host::Ipv4(address)) => {
            return Err(DomainError::IpAddress {
                address: address.to_string(),
            });
        }
        Some(url::Host::Ipv6(address)) => {
            return Err(DomainError::IpAddress {
                address: address.to_string(),
            });
        }
        None => return Err(url_error("it has no host".to_owned())),
    };
    // Credentials must not travel on into notes and reports. Both calls fail
    // only for URLs that cannot have credentials, which then have none.
    let _ = url.set_password(None);
    let _ = url.set_username("");
    notes.push(format!("taken from URL {url}"));
    Ok(host)
}

/// IP addresses in any spelling a list may hold: dotted quad, IPv6, IPv6 in
/// brackets (with or without a port), and anything whose last label is a
/// number, which no TLD is and which URL parsers read as IPv4.
fn reject_ip_address(host: &str) -> Result<(), DomainError> {
    let unbracketed = host
        .strip_prefix('[')
        .and_then(|rest| rest.split_once(']'))
        .map_or(host, |(inside, _)| inside);
    let last_label = host.rsplit('.').next().unwrap_or(host);
    let numeric_tld =
        !last_label.is_empty() && last_label.bytes().all(|byte| byte.is_ascii_digit());
    if unbracketed.parse::<IpAddr>().is_ok() || numeric_tld {
        return Err(DomainError::IpAddress {
            address: unbracketed.escape_debug().to_string(),
        });
    }
    Ok(())
}

/// Names the first character no host name can contain. Non-ASCII letters
/// are left to IDNA; non-ASCII spaces and controls are caught here because
/// IDNA would report them only as a failed label.
fn reject_disallowed_characters(host: &str) -> Result<(), DomainError> {
    let disallowed = |c: &char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
        } else {
            // Zero-width joiners are legitimate inside some IDN labels
            // (Persian, Indic scripts); IDNA checks their context.
            let joiner = matches!(c, '\u{200c}' | '\u{200d}');
            c.is_whitespace() || c.is_control() || (is_invisible(*c) && !joiner)
        }
    };
    match host.chars().find(disallowed) {
        Some(character) => Err(DomainError::DisallowedCharacter { character }),
        None => Ok(()),
    }
}

/// UTS #46 processing: case folding, mapping, A-labels; then the U-label
/// form of the result for display.
fn to_ascii_and_unicode(host: &str) -> Result<(String, String), DomainError> {
    let uts46 = Uts46::new();
    let failed_label = || {
        // IDNA says only that the name failed; name the first label that
        // fails alone, so the person knows where to look.
        let label = host
            .split('.')
            .find(|label| {
                uts46
                    .to_ascii(
                        label.as_bytes(),
                        AsciiDenyList::STD3,
                        Hyphens::Allow,
                        DnsLength::Ignore,
                    )
                    .is_err()
            })
            .unwrap_or(host);
        DomainError::Idna {
            label: label.escape_debug().to_string(),
        }
    };
    let ascii = uts46
        .to_ascii(
            host.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::Allow,
            DnsLength::Ignore,
        )
        .map_err(|_| failed_label())?
        .into_owned();
    let (unicode, result) = idna::domain_to_unicode(&ascii);
    result.map_err(|_| failed_label())?;
    Ok((ascii, unicode))
}

/// Length limits on the A-label form, hyphen rules on the U-label form (an
/// `xn--` label can hide a leading hyphen of its Unicode label).
fn check_lengths_and_hyphens(ascii: &str, unicode: &str) -> Result<(), DomainError> {
    for label in ascii.split('.') {
        if label.is_empty() {
            return Err(DomainError::EmptyLabel {
                name: ascii.to_owned(),
            });
        }
        if label.len() > MAX_LABEL_OCTETS {
            return Err(DomainError::LabelTooLong {
                label: label.to_owned(),
                octets: label.len(),
            });
        }
    }
    if ascii.len() > MAX_NAME_OCTETS {
        return Err(DomainError::NameTooLong {
            octets: ascii.len(),
        });
    }
    let edge_hyphen = |label: &str| label.starts_with('-') || label.ends_with('-');
    let ascii_labels = ascii.split('.');
    let unicode_labels = unicode.split('.');
    for (a_label, u_label) in ascii_labels.zip(unicode_labels) {
        if edge_hyphen(a_label) || edge_hyphen(u_label) {
            return Err(DomainError::HyphenAtLabelEdge {
                label: u_label.to_owned(),
            });
        }
    }
    Ok(())
}

/// Length in octets of the longest ICANN-section public suffix of `ascii`.
///
/// The list answers with its longest match, which may be a private-section
/// rule. Then the rule's parent is asked again: ICANN rules never sit below
/// private ones, so walking up finds the longest ICANN rule that applies,
/// and wildcard and exception rules keep working because each question is
/// an ordinary list lookup.
fn icann_suffix_len(ascii: &str) -> Result<usize, DomainError> {
    let mut candidate = ascii;
    loop {
        let suffix = List.suffix(candidate.as_bytes());
        let typ = suffix.as_ref().and_then(|suffix| suffix.typ());
        let len = suffix.map_or(0, |suffix| suffix.as_bytes().len());
        match typ {
            Some(Type::Icann) => return Ok(len),
            Some(Type::Private) => {
                let private = &candidate[candidate.len() - len..];
                match private.split_once('.') {
                    Some((_, parent)) => candidate = parent,
                    None => break,
                }
            }
            None => break,
        }
    }
    Err(DomainError::UnknownTld {
        tld: ascii.rsplit('.').next().unwrap_or(ascii).to_owned(),
    })
}

/// The public suffix plus one label, in both forms.
fn registrable(ascii: &str, unicode: &str, suffix_len: usize) -> Result<DomainName, DomainError> {
    let suffix_start = ascii.len() - suffix_len;
    let Some(before_suffix) = suffix_start.checked_sub(1) else {
        return Err(DomainError::PublicSuffixOnly {
            suffix: ascii.to_owned(),
        });
    };
    let start = ascii[..before_suffix].rfind('.').map_or(0, |dot| dot + 1);
    let labels = ascii[start..].split('.').count();
    let unicode_labels: Vec<&str> = unicode.split('.').collect();
    let unicode = unicode_labels[unicode_labels.len().saturating_sub(labels)..].join(".");
    Ok(DomainName {
        ascii: ascii[start..].to_owned(),
        unicode,
        suffix_start: suffix_start - start,
    })
}

/// Characters that print as nothing but can reorder or hide text on a
/// terminal (bidirectional overrides and isolates, zero-width characters,
/// the byte-order mark): never part of a host name, always escaped when
/// shown.
pub(crate) fn is_invisible(character: char) -> bool {
    matches!(
        character,
        '\u{061c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// A character shown to a person: printable ones in quotes, others escaped.
fn quoted(character: char) -> String {
    if is_invisible(character) {
        format!("'{}'", character.escape_unicode())
    } else {
        format!("'{}'", character.escape_debug())
    }
}

#[cfg(test)]
mod tests;
