//! Which RDAP server answers for a name: IANA's bootstrap registry for DNS
//! (RFC 9224), an embedded snapshot or a newer cached copy ([`cache`]), plus
//! the user's `--rdap-server` overrides ([`overrides`]).
//!
//! Entries are TLDs or multi-label suffixes; a name is served by the entry
//! that matches the longest run of its trailing labels (RFC 9224 section 4).
//! The file is read leniently: unknown members are ignored, and a service
//! that is not `[[labels...], [urls...]]` is skipped rather than failing the
//! whole registry.

mod base_url;
pub mod cache;
pub mod overrides;
pub mod update;

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use url::Url;

pub use overrides::{OverrideError, ServerOverride};

use crate::domain::DomainName;

/// The snapshot compiled into the binary (see data/bootstrap/SOURCES.md).
const EMBEDDED: &[u8] = include_bytes!("../../../data/bootstrap/dns.json");

/// Where a loaded bootstrap registry came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The snapshot compiled into the binary.
    Embedded,
    /// The copy `domlife bootstrap update` stored in the cache directory.
    Cache(PathBuf),
    /// A file named with `--bootstrap`.
    File(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Embedded => f.write_str("embedded snapshot"),
            Origin::Cache(path) => write!(f, "cached file {}", path.display()),
            Origin::File(path) => write!(f, "file {}", path.display()),
        }
    }
}

/// Why a bootstrap registry could not be read, stored or downloaded.
#[derive(Debug, Clone, thiserror::Error)]
pub enum BootstrapError {
    /// The content is not an RDAP bootstrap file. Check the file or URL.
    #[error("{origin} is not an RDAP bootstrap file: {detail}")]
    Invalid { origin: String, detail: String },
    /// A file could not be read; check the path and permissions.
    #[error("cannot read {path}: {detail}")]
    Read { path: PathBuf, detail: String },
    /// The cache could not be written; check the directory's permissions.
    #[error("cannot write {path}: {detail}")]
    Write { path: PathBuf, detail: String },
    /// No user cache directory is known on this system; pass `--cache-dir`.
    #[error("no cache directory could be determined; pass --cache-dir or set DOMLIFE_CACHE_DIR")]
    NoCacheDir,
    /// The download failed; see the fetch error.
    #[error("cannot download the bootstrap file: {0}")]
    Download(super::FetchError),
    /// The URL answered 404; check `--url`.
    #[error("no bootstrap file at {0} (404)")]
    NotFound(Url),
}

/// No RDAP server is known for a name's TLD (the WHOIS fallback applies).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no RDAP for .{tld}")]
pub struct NoRdapServer {
    /// The name's last label.
    pub tld: String,
}

/// The server chosen for a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RdapServer {
    /// The entry that matched (`com`, `co.uk`).
    pub entry: String,
    /// Base URL, ending in `/`.
    pub base: Url,
    /// Whether it came from `--rdap-server` rather than the file.
    pub overridden: bool,
}

impl RdapServer {
    /// The domain query URL `{base}domain/{name}` (RFC 9082 section 3.1.3).
    pub fn domain_url(&self, name: &DomainName) -> Url {
        let mut url = self.base.clone();
        // Bases are http(s) URLs (checked on load), which always have a path.
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().push("domain").push(name.ascii());
        }
        url
    }
}

/// A loaded bootstrap registry, with overrides applied.
#[derive(Debug, Clone)]
pub struct Bootstrap {
    origin: Origin,
    publication: Option<DateTime<Utc>>,
    service_count: usize,
    entries: HashMap<String, Url>,
    overrides: HashMap<String, Url>,
}

#[derive(Deserialize)]
struct BootstrapFile {
    #[serde(default)]
    publication: Option<String>,
    services: Vec<serde_json::Value>,
}

impl Bootstrap {
    /// The snapshot compiled into the binary.
    pub fn embedded() -> Result<Bootstrap, BootstrapError> {
        Bootstrap::parse(EMBEDDED, Origin::Embedded)
    }

    /// Reads a bootstrap file's bytes.
    pub fn parse(bytes: &[u8], origin: Origin) -> Result<Bootstrap, BootstrapError> {
        let file: BootstrapFile =
            serde_json::from_slice(bytes).map_err(|error| BootstrapError::Invalid {
                origin: origin.to_string(),
                detail: error.to_string(),
            })?;
        let publication = file.publication.as_deref().and_then(|text| {
            DateTime::parse_from_rfc3339(text.trim())
                .ok()
                .map(|date| date.with_timezone(&Utc))
        });
        let mut entries = HashMap::new();
        let mut service_count = 0;
        for service in &file.services {
            let Some((labels, base)) = read_service(service) else {
                continue;
            };
            service_count += 1;
            for label in labels {
                // RFC 9224 forbids an entry in two services; keep the first.
                entries.entry(label).or_insert_with(|| base.clone());
            }
        }
        if service_count == 0 {
            return Err(BootstrapError::Invalid {
                origin: origin.to_string(),
                detail: "no usable service".to_owned(),
            });
        }
        Ok(Bootstrap {
            origin,
            publication,
            service_count,
            entries,
            overrides: HashMap::new(),
        })
    }

    /// Adds `--rdap-server` overrides; later ones win over earlier ones.
    pub fn with_overrides(mut self, overrides: impl IntoIterator<Item = ServerOverride>) -> Self {
        for item in overrides {
            self.overrides.insert(item.suffix, item.base);
        }
        self
    }

    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The file's `publication` time, when it states a readable one.
    pub fn publication(&self) -> Option<DateTime<Utc>> {
        self.publication
    }

    /// Services in the file that have at least one usable URL.
    pub fn service_count(&self) -> usize {
        self.service_count
    }

    /// Whether this registry is strictly newer than `other` by publication
    /// (a stated date beats none).
    pub fn is_newer_than(&self, other: &Bootstrap) -> bool {
        self.publication > other.publication
    }

    /// The server for `name` (a domain name or a bare TLD, any case, with
    /// or without a trailing dot, A- or U-labels): the longest matching
    /// suffix among overrides and file entries together, an override
    /// winning over the file for the same suffix.
    pub fn server_for(&self, name: &str) -> Result<RdapServer, NoRdapServer> {
        let name = normalise(name);
        let labels: Vec<&str> = name.split('.').collect();
        for start in 0..labels.len() {
            let suffix = labels[start..].join(".");
            if let Some(base) = self.overrides.get(&suffix) {
                return Ok(RdapServer {
                    entry: suffix,
                    base: base.clone(),
                    overridden: true,
                });
            }
            if let Some(base) = self.entries.get(&suffix) {
                return Ok(RdapServer {
                    entry: suffix,
                    base: base.clone(),
                    overridden: false,
                });
            }
        }
        Err(NoRdapServer {
            tld: labels
                .last()
                .map(|tld| (*tld).to_owned())
                .unwrap_or_default(),
        })
    }

    /// The domain query URL for `name`, from [`Bootstrap::server_for`].
    pub fn domain_url(&self, name: &DomainName) -> Result<Url, NoRdapServer> {
        let server = self.server_for(name.ascii())?;
        Ok(server.domain_url(name))
    }
}

/// Lower case A-labels without a trailing dot ([`crate::domain::to_a_label`]).
/// A text that is not a name is kept lower-cased as given: it will match
/// nothing, which reports "no RDAP".
fn normalise(name: &str) -> String {
    crate::domain::to_a_label(name)
        .unwrap_or_else(|_| name.trim().trim_end_matches('.').to_lowercase())
}

/// One `[[labels...], [urls...]]` service: its labels (lower case) and the
/// base URL to use, https preferred. `None` when it has no usable URL.
fn read_service(service: &serde_json::Value) -> Option<(Vec<String>, Url)> {
    let parts = service.as_array()?;
    let strings = |value: Option<&serde_json::Value>| -> Vec<String> {
        value
            .and_then(serde_json::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(serde_json::Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let labels: Vec<String> = strings(parts.first())
        .into_iter()
        .map(|label| label.trim().trim_matches('.').to_ascii_lowercase())
        .filter(|label| !label.is_empty())
        .collect();
    let urls: Vec<Url> = strings(parts.get(1))
        .iter()
        .filter_map(|url| base_url::parse_base_url(url).ok())
        .collect();
    let base = urls
        .iter()
        .find(|url| url.scheme() == "https")
        .or_else(|| urls.first())?
        .clone();
    (!labels.is_empty()).then_some((labels, base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const SAMPLE: &str = r#"{
        "description": "test",
        "publication": "2024-01-02T03:04:05Z",
        "version": "1.0",
        "unknown": {"ignored": true},
        "services": [
            [["com", "NET"], ["https://rdap.verisign.com/com/v1/"]],
            [["uk"], ["https://rdap.nominet.uk/uk"]],
            [["co.uk"], ["http://rdap.example/co-uk/", "https://rdap.example/co-uk/"]],
            [["kg"], ["http://rdap.cctld.kg/"]],
            [["xn--p1ai"], ["https://rdap.tcinet.ru/"]],
            [["broken"]],
            [["nourl"], ["not a url"]],
            "garbage"
        ]
    }"#;

    fn sample() -> Bootstrap {
        Bootstrap::parse(SAMPLE.as_bytes(), Origin::Embedded).expect("sample parses")
    }

    fn name(text: &str) -> DomainName {
        crate::domain::normalize(text).expect("a name").name
    }

    #[rstest]
    #[case(
        "example.com",
        "com",
        Some("https://rdap.verisign.com/com/v1/domain/example.com")
    )]
    #[case(
        "EXAMPLE.NET.",
        "net",
        Some("https://rdap.verisign.com/com/v1/domain/example.net")
    )]
    #[case("com", "com", None)]
    #[case(
        "a.b.example.co.uk",
        "co.uk",
        Some("https://rdap.example/co-uk/domain/example.co.uk")
    )]
    #[case(
        "example.uk",
        "uk",
        Some("https://rdap.nominet.uk/uk/domain/example.uk")
    )]
    #[case(
        "example.org.uk",
        "uk",
        Some("https://rdap.nominet.uk/uk/domain/example.org.uk")
    )]
    #[case("example.kg", "kg", Some("http://rdap.cctld.kg/domain/example.kg"))]
    #[case(
        "пример.рф",
        "xn--p1ai",
        Some("https://rdap.tcinet.ru/domain/xn--e1afmkfd.xn--p1ai")
    )]
    fn matches_longest_suffix(#[case] text: &str, #[case] entry: &str, #[case] url: Option<&str>) {
        let bootstrap = sample();
        let server = bootstrap.server_for(text).expect("has a server");
        assert_eq!(server.entry, entry);
        assert!(!server.overridden);
        if let Some(url) = url {
            let url_of = bootstrap.domain_url(&name(text)).expect("has a server");
            assert_eq!(url_of.as_str(), url);
        }
    }

    #[rstest]
    #[case("example.de", "de")]
    #[case("example.broken", "broken")]
    #[case("example.nourl", "nourl")]
    #[case("co.ukx", "ukx")]
    fn absent_tld_has_no_server(#[case] name: &str, #[case] tld: &str) {
        let error = sample().server_for(name).expect_err("no server");
        assert_eq!(error.tld, tld);
        assert_eq!(error.to_string(), format!("no RDAP for .{tld}"));
    }

    #[test]
    fn counts_usable_services_and_reads_publication() {
        let bootstrap = sample();
        assert_eq!(bootstrap.service_count(), 5);
        assert_eq!(
            bootstrap.publication().map(|date| date.to_rfc3339()),
            Some("2024-01-02T03:04:05+00:00".to_owned())
        );
    }

    #[test]
    fn overrides_win_for_their_suffix_only() {
        let bootstrap = sample().with_overrides([
            "uk=http://127.0.0.1:9/mock".parse().expect("valid"),
            "de=https://rdap.denic.example/".parse().expect("valid"),
        ]);
        let uk = bootstrap.server_for("example.uk").expect("overridden");
        assert!(uk.overridden);
        assert_eq!(
            uk.domain_url(&name("example.uk")).as_str(),
            "http://127.0.0.1:9/mock/domain/example.uk"
        );
        // The longer file entry still wins over a shorter override.
        let co_uk = bootstrap.server_for("example.co.uk").expect("file entry");
        assert_eq!(co_uk.entry, "co.uk");
        assert!(!co_uk.overridden);
        assert!(
            bootstrap
                .server_for("example.de")
                .expect("added")
                .overridden
        );
    }

    #[rstest]
    #[case(r#"{"services": []}"#)]
    #[case(r#"{"publication": "2024-01-01T00:00:00Z"}"#)]
    #[case("[1, 2]")]
    #[case("not json")]
    fn rejects_what_is_not_a_bootstrap_file(#[case] text: &str) {
        assert!(matches!(
            Bootstrap::parse(text.as_bytes(), Origin::File("x.json".into())),
            Err(BootstrapError::Invalid { .. })
        ));
    }

    #[rstest]
    #[case(Some("2026-07-23T02:00:03Z"), Some("2024-07-25T00:00:00Z"), true)]
    #[case(Some("2024-07-25T00:00:00Z"), Some("2026-07-23T02:00:03Z"), false)]
    #[case(Some("2024-07-25T00:00:00Z"), Some("2024-07-25T00:00:00Z"), false)]
    #[case(Some("2024-07-25T00:00:00Z"), None, true)]
    #[case(None, Some("2024-07-25T00:00:00Z"), false)]
    #[case(Some("last tuesday"), None, false)]
    fn compares_publication(
        #[case] left: Option<&str>,
        #[case] right: Option<&str>,
        #[case] newer: bool,
    ) {
        let file = |publication: Option<&str>| {
            let publication = publication
                .map(|date| format!(r#""publication": "{date}","#))
                .unwrap_or_default();
            let text = format!(r#"{{{publication} "services": [[["com"], ["https://x/"]]]}}"#);
            Bootstrap::parse(text.as_bytes(), Origin::Embedded).expect("parses")
        };
        assert_eq!(file(left).is_newer_than(&file(right)), newer);
    }

    #[test]
    fn embedded_snapshot_is_usable() {
        let bootstrap = Bootstrap::embedded().expect("embedded parses");
        assert_eq!(bootstrap.service_count(), 590);
        assert_eq!(
            bootstrap.publication().map(|date| date.to_rfc3339()),
            Some("2026-07-23T02:00:03+00:00".to_owned())
        );
        assert_eq!(
            bootstrap
                .domain_url(&name("google.com"))
                .expect("com")
                .as_str(),
            "https://rdap.verisign.com/com/v1/domain/google.com"
        );
    }
}
