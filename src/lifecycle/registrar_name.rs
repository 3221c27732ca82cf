//! Recognising a registrar from the way registries print its name.
//!
//! The same registrar appears as "GoDaddy.com, LLC", "GODADDY.COM, LLC",
//! "Alibaba Cloud Computing Ltd. d/b/a HiChina (www.net.cn)" or
//! "阿里云计算有限公司（万网）". A name is reduced to a [`NameKey`]:
//!
//! - it is cut at "d/b/a" into parts, so either side can match but a match
//!   never spans the two;
//! - Latin text becomes lower-case word tokens (punctuation separates words),
//!   with legal-form words (Inc., LLC, Ltd., Co., Corporation, Limited
//!   Liability Company, ...) dropped;
//! - Chinese text becomes runs of ideographs with a leading city (北京, 上海,
//!   ...) and a trailing company form (有限公司, ...) removed.
//!
//! An alias matches when its words occur as consecutive whole words of one
//! part ("amazon registrar" matches "Amazon Registrar, Inc." but "amazon"
//! alone is not an alias, so "Amazon Technologies" matches nothing), and its
//! Chinese runs each begin one Chinese run of the name. Prefix matching is the
//! Chinese counterpart of whole words: "新网" matches 北京新网数码信息技术有限公司
//! but not 上海创新网络科技有限公司, which merely contains the two characters.
//! Aliases too short to be distinctive are refused when the table is loaded.

/// Words that name a legal form rather than the registrar.
const LEGAL_WORDS: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "ltd",
    "limited",
    "liability",
    "co",
    "corp",
    "corporation",
    "company",
    "gmbh",
    "ag",
    "sa",
    "sas",
    "srl",
    "bv",
    "plc",
    "pty",
    "pte",
    "kk",
    "ab",
];

/// City prefixes Chinese company names start with.
const CJK_CITIES: &[&str] = &["北京", "上海", "深圳", "杭州", "广州", "厦门", "成都"];

/// Company forms Chinese company names end with, longest first.
const CJK_FORMS: &[&str] = &["股份有限公司", "有限责任公司", "有限公司", "公司"];

/// A registrar name reduced for matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    parts: Vec<KeyPart>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct KeyPart {
    words: Vec<String>,
    cjk_runs: Vec<String>,
}

/// Why an alias cannot be used to recognise a registrar.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AliasError {
    /// The alias would match far too many names ("co", "amazon" is fine but
    /// "net" is not): use the registrar's distinctive words, at least five
    /// letters or two words, or two Chinese characters.
    #[error("alias {alias:?} is too short to recognise a registrar safely")]
    TooShort { alias: String },
}

impl NameKey {
    /// Reduces a name as printed by a registry.
    pub fn of(name: &str) -> NameKey {
        let lower = name.to_lowercase();
        let parts = split_dba(&lower).into_iter().map(key_part).collect();
        NameKey { parts }
    }

    /// Reduces an alias from the policy table, refusing one that is not
    /// distinctive enough to avoid false matches.
    pub fn alias(alias: &str) -> Result<NameKey, AliasError> {
        let key = NameKey::of(alias);
        let distinctive = match key.parts.as_slice() {
            [part] => {
                let letters: usize = part.words.iter().map(|w| w.chars().count()).sum();
                let cjk_ok = part.cjk_runs.iter().all(|run| run.chars().count() >= 2);
                let latin_ok = part.words.is_empty() || part.words.len() >= 2 || letters >= 5;
                cjk_ok && latin_ok && (!part.words.is_empty() || !part.cjk_runs.is_empty())
            }
            _ => false,
        };
        if distinctive {
            Ok(key)
        } else {
            Err(AliasError::TooShort {
                alias: alias.to_owned(),
            })
        }
    }

    /// True when this alias occurs in `name` (see the module doc).
    pub fn is_found_in(&self, name: &NameKey) -> bool {
        let Some(alias) = self.parts.first() else {
            return false;
        };
        name.parts.iter().any(|part| alias.is_found_in(part))
    }
}

impl KeyPart {
    fn is_found_in(&self, part: &KeyPart) -> bool {
        let words_found = self.words.is_empty()
            || part
                .words
                .windows(self.words.len())
                .any(|window| window == self.words.as_slice());
        let runs_found = self.cjk_runs.iter().all(|alias_run| {
            part.cjk_runs
                .iter()
                .any(|run| run.starts_with(alias_run.as_str()))
        });
        words_found && runs_found
    }
}

/// Cuts "x d/b/a y" (also "d.b.a.", "dba") into its sides.
fn split_dba(lower: &str) -> Vec<String> {
    let marked = lower.replace("d/b/a", "\u{0}").replace("d.b.a.", "\u{0}");
    let mut parts = Vec::new();
    for side in marked.split('\u{0}') {
        let mut current: Vec<&str> = Vec::new();
        for word in side.split_whitespace() {
            let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
            if bare == "dba" {
                parts.push(current.join(" "));
                current.clear();
            } else {
                current.push(word);
            }
        }
        parts.push(current.join(" "));
    }
    parts.retain(|part| !part.trim().is_empty());
    parts
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// Splits one side of a name into Latin words and Chinese runs; anything
/// else (punctuation, spaces, full-width brackets) separates them.
fn key_part(text: String) -> KeyPart {
    let mut part = KeyPart::default();
    let mut token = String::new();
    let mut token_is_cjk = false;
    // The trailing space flushes the last token.
    for c in text.chars().chain([' ']) {
        let kind = if is_cjk(c) {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        };
        if kind != Some(token_is_cjk) && !token.is_empty() {
            part.push(std::mem::take(&mut token), token_is_cjk);
        }
        if let Some(cjk) = kind {
            token.push(c);
            token_is_cjk = cjk;
        }
    }
    part
}

impl KeyPart {
    fn push(&mut self, token: String, cjk: bool) {
        if cjk {
            let run = trim_cjk(&token);
            if !run.is_empty() {
                self.cjk_runs.push(run.to_owned());
            }
        } else if !LEGAL_WORDS.contains(&token.as_str()) {
            self.words.push(token);
        }
    }
}

fn trim_cjk(run: &str) -> &str {
    let mut run = run;
    if let Some(rest) = CJK_CITIES.iter().find_map(|city| run.strip_prefix(city)) {
        run = rest;
    }
    if let Some(rest) = CJK_FORMS.iter().find_map(|form| run.strip_suffix(form)) {
        run = rest;
    }
    run
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn found(alias: &str, name: &str) -> bool {
        NameKey::alias(alias)
            .map(|key| key.is_found_in(&NameKey::of(name)))
            .unwrap_or(false)
    }

    #[rstest]
    #[case("godaddy", "GoDaddy.com, LLC")]
    #[case("godaddy", "GODADDY.COM, LLC")]
    #[case("namecheap", "NameCheap, Inc.")]
    #[case("alibaba cloud", "Alibaba Cloud Computing (Beijing) Co., Ltd.")]
    #[case("hichina", "Alibaba Cloud Computing Ltd. d/b/a HiChina (www.net.cn)")]
    #[case(
        "alibaba cloud",
        "Alibaba Cloud Computing Ltd. d/b/a HiChina (www.net.cn)"
    )]
    #[case("阿里云", "阿里云计算有限公司（万网）")]
    #[case("万网", "阿里云计算有限公司（万网）")]
    #[case("新网", "北京新网数码信息技术有限公司")]
    #[case("xin net", "Xin Net Technology Corporation")]
    #[case("Xin Net Technology Corporation", "XIN NET TECHNOLOGY CORP.")]
    #[case("amazon registrar", "Amazon Registrar, Inc.")]
    #[case("dnspod", "DNSPod, Inc.")]
    #[case(
        "tencent cloud",
        "Tencent Cloud Computing (Beijing) Limited Liability Company"
    )]
    #[case("腾讯云", "腾讯云计算（北京）有限责任公司")]
    fn aliases_find_real_registrar_names(#[case] alias: &str, #[case] name: &str) {
        assert!(found(alias, name), "{alias:?} should match {name:?}");
    }

    #[rstest]
    #[case("amazon registrar", "Amazon Technologies, Inc.")]
    #[case("新网", "上海创新网络科技有限公司")]
    #[case("xin net", "Xinhua Net Media Ltd")]
    #[case("namecheap", "Name.com, Inc.")]
    #[case("alibaba cloud", "Alibaba.com Singapore E-Commerce Private Limited")]
    #[case("hichina", "HiChinaWeb Ltd")]
    fn aliases_do_not_match_other_names(#[case] alias: &str, #[case] name: &str) {
        assert!(!found(alias, name), "{alias:?} should not match {name:?}");
    }

    #[test]
    fn a_match_never_spans_the_two_sides_of_dba() {
        assert!(!found(
            "computing hichina",
            "Alibaba Cloud Computing Ltd. d/b/a HiChina"
        ));
        assert!(found(
            "computing hichina",
            "Alibaba Cloud Computing HiChina"
        ));
        assert!(found("hichina", "Alibaba Cloud Computing dba HiChina"));
    }

    #[rstest]
    #[case("co")]
    #[case("net")]
    #[case("Inc.")]
    #[case("云")]
    #[case("")]
    #[case("x d/b/a y")]
    fn undistinctive_aliases_are_refused(#[case] alias: &str) {
        assert!(NameKey::alias(alias).is_err(), "{alias:?} accepted");
    }
}
