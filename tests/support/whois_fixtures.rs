//! The captured WHOIS answers in fixtures/whois/: every `.txt`, its
//! `.expect.json`, and the query (domain and answering server) it was an
//! answer to. Shared by the reader's corpus test and the audit's capture
//! test, so both read the same files the same way.

use std::fs;
use std::path::{Path, PathBuf};

use domlife::whois::WhoisQuery;
use serde_json::Value;

/// One captured answer.
pub struct WhoisFixture {
    /// The file name without `.txt`, e.g. `weppos__whois.nic.it_it_...`.
    pub stem: String,
    /// The answer, byte for byte.
    pub body: Vec<u8>,
    /// Its `.expect.json` (`Value::Null` when absent or unreadable).
    pub expect: Value,
    /// What was asked, and of whom.
    pub query: WhoisQuery,
}

/// fixtures/whois/ of this crate.
pub fn whois_fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/whois")
}

/// Every capture in fixtures/whois/, sorted by file name.
pub fn whois_fixtures() -> Vec<WhoisFixture> {
    let mut files: Vec<PathBuf> = fs::read_dir(whois_fixture_dir())
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files.iter().map(|path| whois_fixture(path)).collect()
}

/// The capture at `path` (a `.txt` in fixtures/whois/).
pub fn whois_fixture(path: &Path) -> WhoisFixture {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let expect = fs::read_to_string(path.with_extension("expect.json"))
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    let query = query_for(&stem, &expect);
    let body = fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    WhoisFixture {
        stem,
        body,
        expect,
        query,
    }
}

/// The domain from the expectation (else the file's ident), the server from
/// the expectation, else from a weppos file name (`weppos__whois.cnnic.cn_cn_...`),
/// else none: the reader then follows the TLD's registry.
pub fn query_for(stem: &str, expect: &Value) -> WhoisQuery {
    let ident = stem.split_once("__").map_or(stem, |(_, ident)| ident);
    let domain = expect["domain"]
        .as_str()
        .map_or_else(|| ident.to_string(), str::to_string);
    let server = expect["server"].as_str().map(str::to_string).or_else(|| {
        stem.strip_prefix("weppos__")
            .and_then(|rest| rest.split_once('_'))
            .map(|(server, _)| server.to_string())
    });
    WhoisQuery::new(&domain, server.as_deref())
}
