//! `--rdap-server TLD=URL`: a user's replacement for one bootstrap entry
//! (a registry that moved, a local mirror, the mock registry in tests).

use std::fmt;
use std::str::FromStr;

use url::Url;

/// One `TLD=URL` override, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerOverride {
    /// The entry it replaces: a TLD or a multi-label suffix, as a lower-case
    /// A-label without dots at either end.
    pub suffix: String,
    /// The RDAP base URL, ending in `/`.
    pub base: Url,
}

/// Why an override is malformed. The user must fix the flag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    /// No `=` between the TLD and the URL.
    #[error("{0:?} is not TLD=URL")]
    Form(String),
    /// The TLD part is empty or is not a host name (letters, digits and
    /// hyphens between dots, or an internationalised label).
    #[error("{0:?} is not a TLD (letters, digits, hyphens; dots between labels)")]
    Suffix(String),
    /// The URL does not parse, or is not http(s).
    #[error("{url:?} is not an http(s) URL: {detail}")]
    Url { url: String, detail: String },
}

impl FromStr for ServerOverride {
    type Err = OverrideError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (suffix, url) = text
            .split_once('=')
            .ok_or_else(|| OverrideError::Form(text.to_owned()))?;
        ServerOverride::new(suffix, url)
    }
}

impl ServerOverride {
    /// The override of `suffix` (a TLD, or a multi-label suffix, IDN or
    /// A-label) by the base URL `url`: the parts of `TLD=URL`, as a
    /// settings file gives them.
    pub fn new(suffix: &str, url: &str) -> Result<Self, OverrideError> {
        let written = suffix.trim();
        let suffix = crate::domain::to_a_label(written.strip_prefix('.').unwrap_or(written))
            .map_err(|_| OverrideError::Suffix(written.to_owned()))?;
        let url = url.trim();
        let base = super::base_url::parse_base_url(url).map_err(|detail| OverrideError::Url {
            url: url.to_owned(),
            detail,
        })?;
        Ok(ServerOverride { suffix, base })
    }
}

impl fmt::Display for ServerOverride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.suffix, self.base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(
        "com=https://rdap.example/com/v1/",
        "com",
        "https://rdap.example/com/v1/"
    )]
    #[case(
        "COM=https://rdap.example/com/v1",
        "com",
        "https://rdap.example/com/v1/"
    )]
    #[case(
        ".co.uk.=http://127.0.0.1:8080/rdap",
        "co.uk",
        "http://127.0.0.1:8080/rdap/"
    )]
    #[case(
        "xn--p1ai=https://rdap.tcinet.ru/",
        "xn--p1ai",
        "https://rdap.tcinet.ru/"
    )]
    fn parses(#[case] text: &str, #[case] suffix: &str, #[case] base: &str) {
        let parsed: ServerOverride = text.parse().expect("valid override");
        assert_eq!(parsed.suffix, suffix);
        assert_eq!(parsed.base.as_str(), base);
    }

    #[rstest]
    #[case("com", OverrideError::Form("com".into()))]
    #[case("=https://x/", OverrideError::Suffix(String::new()))]
    #[case("c_m=https://x/", OverrideError::Suffix("c_m".into()))]
    #[case("a..b=https://x/", OverrideError::Suffix("a..b".into()))]
    fn rejects_bad_suffixes(#[case] text: &str, #[case] expected: OverrideError) {
        assert_eq!(text.parse::<ServerOverride>(), Err(expected));
    }

    #[rstest]
    #[case("com=")]
    #[case("com=rdap.example")]
    #[case("com=ftp://rdap.example/")]
    #[case("com=https://")]
    fn rejects_bad_urls(#[case] text: &str) {
        assert!(matches!(
            text.parse::<ServerOverride>(),
            Err(OverrideError::Url { .. })
        ));
    }
}
