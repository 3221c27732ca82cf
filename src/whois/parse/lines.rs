//! The generic reader: WHOIS text to a flat list of [`Field`]s.
//!
//! It knows the shapes registries use, not what the keys mean (that is
//! [`super::fields`]):
//!
//! - `Key: value`, `key:  value`, `key : value`, `key:value`, `key....: value`;
//! - `[Key]   value` and `a. [Key]   value` (JPRS);
//! - a heading followed by deeper-indented lines (Nominet, .eu, .ca, .it,
//!   .tw): bare lines under it become values of the heading (`Name
//!   servers:` then one host per line), `key: value` lines under it are
//!   fields of that section (`Relevant dates:` then `Expiry date: ...`);
//! - a heading followed by lines at the same indent (.ee `Registrar:` then
//!   `name: ...`, .fi `Holder`, .de `[Tech-C]`, .pl `REGISTRAR:`), which
//!   holds until a blank line or the next heading;
//! - values continued on deeper-indented lines (.pl `nameservers:`);
//! - sentences `Record expires on 2020-10-31` (.tw);
//! - columns without colons, a known key then a tab or spaces (pre-2020
//!   SK-NIC `Domain-name<TAB>example.sk`, .md `Expires    on   2026-05-02`);
//! - zone-file lines `example.tld. IN NS ns1.example.net.`;
//! - list bullets (`- ns1.example.net`) and YAML-like type tags and quotes
//!   (`registrar: !!str "Example"`), which are layout, not data;
//! - RPSL-style answers (.ua, .fr, .br, .cr) where the domain object is
//!   followed by contact and registrar objects separated by blank lines:
//!   fields of those objects are marked so they cannot pass for the domain's;
//! - comments and banners (`%`, `#`, `>>> ... <<<`, `*`, `[ JPRS ... ]`) and
//!   the notice paragraphs after `NOTICE:`, `TERMS OF USE:` are skipped.

use super::fields::{SectionClass, Target, classify_section, lookup};

/// One `key: value` read from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    /// The key as written, kept for hints such as `(dd/mm/yyyy)`.
    pub raw_key: String,
    /// Lower case, brackets and translations removed (see [`normalize_key`]).
    pub key: String,
    pub value: String,
    /// The heading the field sits under.
    pub section: Option<Section>,
    /// Which RPSL-style object the field belongs to.
    pub object: ObjectKind,
    /// The number of the blank-line-separated block the field sits in: a
    /// registrar printed by handle is named in a block of its own (.sk).
    pub block: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// Normalised like a key.
    pub title: String,
    pub class: SectionClass,
}

/// The object a field belongs to in answers made of several objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectKind {
    /// The domain object, or an answer that has only one object.
    Domain,
    /// A registrar object after the domain object (.ua, .fr).
    Registrar,
    /// A contact object after the domain object (`person:`, `nic-hdl:`...).
    Contact,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Blank,
    Comment,
    /// Starts a notice paragraph that runs to the next blank line.
    Notice,
    KeyValue {
        raw_key: String,
        value: String,
    },
    Bare(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    indent: usize,
    kind: Kind,
}

/// Keys that open a contact object in RPSL-style answers.
const CONTACT_OBJECT_KEYS: &[&str] = &[
    "person",
    "personname",
    "contact",
    "contact id",
    "nic hdl",
    "nic hdl br",
    "role",
];

/// Reads every field of `text` (already decoded and cleaned).
pub(crate) fn read_fields(text: &str) -> Vec<Field> {
    let lines: Vec<Line> = text.lines().map(classify_line).collect();
    let mut reader = Reader::default();
    let mut in_notice = false;
    for (index, line) in lines.iter().enumerate() {
        match &line.kind {
            Kind::Blank => {
                in_notice = false;
                reader.end_block();
            }
            _ if in_notice => {}
            Kind::Notice => {
                in_notice = true;
                reader.end_block();
            }
            Kind::Comment => reader.end_block(),
            Kind::KeyValue { raw_key, value } => {
                let next = next_content(&lines, index);
                reader.key_value(line.indent, raw_key, value, next);
            }
            Kind::Bare(text) => {
                let next = next_content(&lines, index);
                reader.bare(line.indent, text, next);
            }
        }
    }
    reader.fields
}

fn next_content(lines: &[Line], index: usize) -> Option<&Line> {
    lines
        .iter()
        .skip(index + 1)
        .find(|line| !matches!(line.kind, Kind::Blank | Kind::Comment))
}

#[derive(Default)]
struct Reader {
    fields: Vec<Field>,
    /// Heading of the indented block being read, with its indent.
    block: Option<(usize, Section)>,
    /// Heading whose fields follow at the same indent.
    flat: Option<Section>,
    /// The same-indent heading has nothing under it yet: a blank line right
    /// after it (`Name Servers Information:`, blank, the hosts) does not end it.
    flat_is_new: bool,
    /// The last field with a value, for continuation lines.
    last: Option<(usize, Field)>,
    /// Kind of the current blank-line-separated object.
    object: Option<ObjectKind>,
    seen_domain: bool,
    /// Number of the current blank-line-separated block; a block with no
    /// field keeps its number.
    paragraph: usize,
    paragraph_has_fields: bool,
}

impl Reader {
    fn end_block(&mut self) {
        if !self.flat_is_new {
            self.flat = None;
        }
        self.last = None;
        self.object = None;
        if self.paragraph_has_fields {
            self.paragraph += 1;
            self.paragraph_has_fields = false;
        }
    }

    fn push(&mut self, field: Field) {
        self.paragraph_has_fields = true;
        self.fields.push(field);
    }

    fn leave_shallower_block(&mut self, indent: usize) {
        if self
            .block
            .as_ref()
            .is_some_and(|(depth, _)| indent <= *depth)
        {
            self.block = None;
        }
    }

    fn in_block(&self, indent: usize) -> bool {
        self.block
            .as_ref()
            .is_some_and(|(depth, _)| indent > *depth)
    }

    fn key_value(&mut self, indent: usize, raw_key: &str, value: &str, next: Option<&Line>) {
        self.leave_shallower_block(indent);
        if value.is_empty() && self.heading(indent, raw_key, next) {
            return;
        }
        let key = normalize_key(raw_key);
        if self.object.is_none() {
            self.object = Some(self.object_kind(raw_key, &key));
        }
        if key == "domain" || key == "domain name" {
            self.seen_domain = true;
        }
        // A contact section (.hk `Registrant Contact Information:`, .ve
        // `Titular:` with the domain's lines indented under it) ends at a
        // key that can only be the domain's: a contact has no expiry and no
        // `Domain ...` attribute.
        if is_domain_key(&key) {
            if self.block.as_ref().is_some_and(|(depth, block)| {
                indent > *depth && block.class == SectionClass::Contact
            }) {
                self.block = None;
            }
            if self
                .flat
                .as_ref()
                .is_some_and(|flat| flat.class == SectionClass::Contact)
                && !self.in_block(indent)
            {
                self.flat = None;
            }
        }
        let field = Field {
            raw_key: raw_key.to_string(),
            key,
            value: value.to_string(),
            section: self.section_at(indent),
            object: self.object.unwrap_or(ObjectKind::Domain),
            block: self.paragraph,
        };
        self.last = (!value.is_empty()).then(|| (indent, field.clone()));
        self.push(field);
        self.flat_is_new = false;
    }

    fn bare(&mut self, indent: usize, text: &str, next: Option<&Line>) {
        if let Some((depth, last)) = &self.last
            && indent > *depth
        {
            let field = Field {
                value: text.to_string(),
                ..last.clone()
            };
            self.push(field);
            return;
        }
        self.leave_shallower_block(indent);
        // In a registrar or name server list, only a heading of a known kind
        // ends the list: `Meridian, Idaho 83646` is the registrar's address.
        let absorbing = !self.in_block(indent) && self.flat.as_ref().is_some_and(collects_values);
        if looks_like_heading(text) {
            let (flat, last) = (self.flat.clone(), self.last.clone());
            if self.heading(indent, text, next) {
                return;
            }
            if absorbing {
                // Not a heading after all: still a value of the list.
                self.flat = flat;
                self.last = last;
            }
        }
        let section = match (&self.block, &self.flat) {
            (Some((depth, section)), _) if indent > *depth => section.clone(),
            (_, Some(section)) if collects_values(section) => section.clone(),
            _ => return,
        };
        self.flat_is_new = false;
        self.push(Field {
            raw_key: section.title.clone(),
            key: section.title.clone(),
            value: text.to_string(),
            section: Some(section),
            object: self.object.unwrap_or(ObjectKind::Domain),
            block: self.paragraph,
        });
    }

    /// Handles a line that may open a section; returns false when it does
    /// not (the caller then reads it as an ordinary line). Outside an
    /// indented block, any candidate heading closes the current
    /// same-indent section.
    fn heading(&mut self, indent: usize, title: &str, next: Option<&Line>) -> bool {
        let deeper_follows = next.is_some_and(|next| next.indent > indent);
        if self.in_block(indent) && !deeper_follows {
            return false;
        }
        self.flat = None;
        self.flat_is_new = false;
        self.last = None;
        let title = normalize_key(title);
        let section = Section {
            class: classify_section(&title),
            title,
        };
        if deeper_follows {
            self.block = Some((indent, section));
            return true;
        }
        if matches!(section.class, SectionClass::Other | SectionClass::Domain) {
            // `First registration date:` then the date on its own line (.ch).
            let values_follow = matches!(next.map(|next| &next.kind), Some(Kind::Bare(_)));
            if values_follow && collects_values(&section) {
                self.flat = Some(section);
                self.flat_is_new = true;
                return true;
            }
            return false;
        }
        // A gTLD-style answer has empty keys too (`Registrant Phone Ext:`,
        // `Admin Email:`): they name a field, not a section, and their next
        // key often repeats the prefix (`Registrant Fax:`); a real section's
        // fields do not (.ee `Registrar:` then `name:`).
        if !is_section_title(&section.title) {
            return false;
        }
        let opens_flat = match next.map(|next| &next.kind) {
            Some(Kind::KeyValue { raw_key, .. }) => match lookup(&normalize_key(raw_key)) {
                None => !shares_first_word(&section.title, &normalize_key(raw_key)),
                Some(Target::Nameserver) => section.class == SectionClass::Nameservers,
                Some(Target::Dnssec | Target::DnssecMaterial) => {
                    section.class == SectionClass::Dnssec
                }
                Some(_) => false,
            },
            Some(Kind::Bare(_)) => true,
            _ => false,
        };
        if opens_flat {
            self.flat = Some(section);
            self.flat_is_new = true;
        }
        opens_flat
    }

    fn section_at(&self, indent: usize) -> Option<Section> {
        match &self.block {
            Some((depth, section)) if indent > *depth => Some(section.clone()),
            _ => self.flat.clone(),
        }
    }

    /// The kind of the object whose first field is `first_key`. Only
    /// RPSL-style answers, written in lower case (`registrar:`, `nic-hdl:`),
    /// chain objects after the domain; a gTLD answer that groups its lines
    /// (`Registrar: ...` after a blank line) is still one object.
    fn object_kind(&self, raw_key: &str, first_key: &str) -> ObjectKind {
        // Old Verisign answers list name server hosts matching the query
        // (`Server Name: GOOGLE.COM.ZOMBIED...` with a registrar of their
        // own) before the domain.
        if first_key == "server name" {
            return ObjectKind::Contact;
        }
        let rpsl_style = raw_key.chars().all(|c| !c.is_uppercase());
        if !self.seen_domain || !rpsl_style {
            ObjectKind::Domain
        } else if CONTACT_OBJECT_KEYS.contains(&first_key) {
            ObjectKind::Contact
        } else if first_key == "registrar" {
            ObjectKind::Registrar
        } else {
            ObjectKind::Domain
        }
    }
}

/// Keys that only the domain has: its name, its expiry, `Domain ...`
/// attributes (`Domain Name Commencement Date`).
fn is_domain_key(key: &str) -> bool {
    matches!(
        lookup(key),
        Some(Target::DomainName | Target::Expires | Target::RegistrarExpires)
    ) || (key.starts_with("domain ") && lookup(key).is_some())
}

/// Whether bare lines under a same-indent heading are values of it: the
/// registrar's name, name servers, or the value of a known key written on
/// the next line.
fn collects_values(section: &Section) -> bool {
    matches!(
        section.class,
        SectionClass::Registrar | SectionClass::Nameservers
    ) || lookup(&section.title).is_some()
}

/// Words that end the name of a field rather than of a section.
const FIELD_WORDS: &[&str] = &[
    "email",
    "mail",
    "phone",
    "fax",
    "ext",
    "id",
    "name",
    "street",
    "city",
    "province",
    "code",
    "country",
    "organization",
    "organisation",
    "url",
    "server",
    "date",
    "handle",
    "address",
];

/// `Registrar`, `Technical contact`, `Name servers`; not `Admin Email`.
fn is_section_title(title: &str) -> bool {
    let words: Vec<&str> = title.split(' ').collect();
    words.len() <= 4 && words.last().is_some_and(|last| !FIELD_WORDS.contains(last))
}

fn shares_first_word(title: &str, key: &str) -> bool {
    title.split(' ').next() == key.split(' ').next()
}

/// A short bare line such as `Registrant`, `Name servers`, `Domain Details`.
fn looks_like_heading(text: &str) -> bool {
    text.chars().count() <= 40
        && !text.ends_with('.')
        && !text.contains('@')
        && text.split_whitespace().count() <= 5
}

fn classify_line(raw: &str) -> Line {
    let content = raw.trim_end();
    let trimmed = content.trim_start();
    let indent = content.len() - trimmed.len();
    let kind = if trimmed.is_empty() {
        Kind::Blank
    } else if is_comment(trimmed) {
        Kind::Comment
    } else if let Some((raw_key, value)) = split_bracketed_key(trimmed) {
        Kind::KeyValue { raw_key, value }
    } else if let Some((raw_key, value)) = split_key_value(trimmed) {
        if is_notice_key(&raw_key) {
            Kind::Notice
        } else {
            Kind::KeyValue { raw_key, value }
        }
    } else if let Some((raw_key, value)) = split_sentence(trimmed) {
        Kind::KeyValue { raw_key, value }
    } else if let Some(host) = zone_ns_record(trimmed) {
        Kind::KeyValue {
            raw_key: "nserver".to_string(),
            value: host,
        }
    } else if let Some((raw_key, value)) = split_columns(trimmed) {
        Kind::KeyValue { raw_key, value }
    } else {
        Kind::Bare(trimmed.to_string())
    };
    // Runs of spaces inside a value are layout (a tab, column padding).
    let kind = match kind {
        Kind::KeyValue { raw_key, value } => Kind::KeyValue {
            raw_key,
            value: collapse_spaces(&value),
        },
        // A list bullet (`- ns1.example.net`, .ve and YAML-like dumps) is layout.
        Kind::Bare(text) => Kind::Bare(collapse_spaces(text.strip_prefix("- ").unwrap_or(&text))),
        other => other,
    };
    Line { indent, kind }
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Comment and banner lines. A `*` line is a banner (`* Please note ... *`
/// or a row of stars) but `*** This registration has been SUSPENDED. ***`
/// (Nominet) is a status.
fn is_comment(line: &str) -> bool {
    line.starts_with(['%', '#'])
        || line.starts_with("* ")
        || line.chars().all(|c| c == '*')
        || line.starts_with(">>>")
        || line.starts_with("<<<")
        || line.starts_with("--")
        || line.starts_with("==")
        || (line.starts_with("[ ") && line.ends_with(']'))
}

fn is_notice_key(raw_key: &str) -> bool {
    let key = raw_key.trim().to_ascii_lowercase();
    matches!(
        key.as_str(),
        "notice" | "terms of use" | "disclaimer" | "legal notice" | "important"
    )
}

/// A value of a YAML-like dump: a type tag (`!!str`, `!<tag>`, `!ruby/...`)
/// and the quotes around a string are decoration, not data.
fn strip_yaml_decoration(value: &str) -> &str {
    let mut value = value;
    if value.starts_with('!') {
        value = value.split_once(' ').map_or("", |(_, rest)| rest.trim());
    }
    let quoted = |q: char| value.len() >= 2 && value.starts_with(q) && value.ends_with(q);
    if quoted('"') || quoted('\'') {
        value = &value[1..value.len() - 1];
    }
    value
}

/// `[Domain Name]   GOOGLE.JP`, `a. [Domain Name]   GOOGLE.CO.JP`, `a
/// [Domain Name]   EXAMPLE.COM.MY`.
fn split_bracketed_key(line: &str) -> Option<(String, String)> {
    // `a. [` (JPRS) and `a [` (older MYNIC): a letter numbering the line.
    let line = match line.as_bytes() {
        [letter, b'.', b' ', ..] if letter.is_ascii_lowercase() => line[3..].trim_start(),
        [letter, b' ', b'[', ..] if letter.is_ascii_lowercase() => line[2..].trim_start(),
        _ => line,
    };
    let inner = line.strip_prefix('[')?;
    let (key, value) = inner.split_once(']')?;
    if key.trim().is_empty() || key.starts_with(' ') {
        return None;
    }
    Some((key.trim().to_string(), value.trim().to_string()))
}

/// Splits at the first colon that ends a key: not the colon of a URL
/// (`https://`) or of a time (`09:42:27`), and not one after a sentence.
fn split_key_value(line: &str) -> Option<(String, String)> {
    let colon = line.find(':')?;
    let (key, rest) = (&line[..colon], &line[colon + 1..]);
    let key = key.trim_end().trim_end_matches('.').trim_end();
    if key.is_empty() || key.chars().count() > 60 || rest.starts_with("//") {
        return None;
    }
    if key.ends_with(|c: char| c.is_ascii_digit()) && rest.starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let mut value = strip_yaml_decoration(rest.trim());
    // `Domain Information: [ドメイン情報]` is a heading with its translation.
    if value.starts_with('[') && value.ends_with(']') && !value.contains("] ") {
        value = "";
    }
    Some((key.to_string(), value.to_string()))
}

/// A zone-file line naming a name server: `example.tld. IN NS ns1.example.net.`,
/// `example.tld 86400 NS ns1.example.net`.
fn zone_ns_record(line: &str) -> Option<String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    let ns = tokens.iter().position(|token| *token == "NS")?;
    let [owner, between @ .., host] = tokens.as_slice() else {
        return None;
    };
    let ttl_or_class = |token: &&str| *token == "IN" || token.chars().all(|c| c.is_ascii_digit());
    let shaped = ns == tokens.len() - 2
        && owner.contains('.')
        && between[..between.len() - 1].iter().all(ttl_or_class)
        && host.contains('.');
    shaped.then(|| host.to_string())
}

/// An older columnar layout without colons (pre-2020 SK-NIC, some RIPE-like
/// dumps): `Domain-name<TAB>example.sk`, `Valid-date    2020-07-24`. Only a
/// first column that is a key this reader knows, followed by a tab or a run
/// of spaces, makes a field: any other line without a colon is prose.
fn split_columns(line: &str) -> Option<(String, String)> {
    // The longest known key wins: `Domain  name    example.md` is `Domain
    // name`, `Expires    on   2026-05-02` is `Expires on` (.md pads inside
    // its keys too).
    let gaps = line.match_indices("  ").map(|(at, _)| at);
    gaps.filter_map(|gap| {
        let (key, value) = (line[..gap].trim(), line[gap..].trim());
        let known = !key.is_empty()
            && !value.is_empty()
            && key.split_whitespace().count() <= 4
            && lookup(&normalize_key(key)).is_some();
        known.then(|| (key.to_string(), value.to_string()))
    })
    .last()
}

/// `Record expires on 2020-10-31 (YYYY-MM-DD)` -> (`Record expires on`, date).
/// A sentence about a change (`Last updated on 2019-10-12T08:06:33Z` at the
/// foot of a RIPN answer) dates the database, not the record: it is prose.
fn split_sentence(line: &str) -> Option<(String, String)> {
    let (key, value) = line.split_once(" on ")?;
    let value = value.trim_start();
    if key.split_whitespace().count() > 4 || !value.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let key = format!("{key} on");
    if lookup(&normalize_key(&key)) == Some(Target::Updated) {
        return None;
    }
    Some((key, value.trim().to_string()))
}

/// Lower case, `_` and `-` as spaces, parenthesised asides and trailing dots
/// removed; of a bilingual key (`Estado / Status`) only the last language.
pub(crate) fn normalize_key(raw: &str) -> String {
    let mut plain = String::with_capacity(raw.len());
    let mut depth = 0usize;
    for c in raw.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let last = plain.rsplit(" / ").next().unwrap_or(&plain);
    // `** Domain Name:` (.tr).
    let last = last.trim_start_matches(['*', ' ']);
    last.to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(['.', ':', ' '])
        .to_string()
}

#[cfg(test)]
mod tests;
