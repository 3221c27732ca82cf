//! `domlife bootstrap update`: download the current bootstrap registry into
//! the cache, politely (a conditional GET with the stored validators, so an
//! unchanged file costs a 304) and safely (the new file must parse before
//! it replaces the old one).

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use url::Url;

use super::cache::{self, CacheMeta};
use super::{Bootstrap, BootstrapError, Origin};
use crate::rdap::{Client, Conditional};

/// IANA's published location of the DNS bootstrap registry.
pub const IANA_DNS_URL: &str = "https://data.iana.org/rdap/dns.json";

/// What an update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpdateOutcome {
    /// A new copy was stored at `path`.
    Updated {
        path: PathBuf,
        publication: Option<DateTime<Utc>>,
        services: usize,
    },
    /// The server said the cached copy at `path` is current (304).
    AlreadyCurrent { path: PathBuf },
}

/// Downloads `url` into `cache_dir` unless the cached copy is current.
pub async fn update(
    client: &Client,
    url: &Url,
    cache_dir: &Path,
) -> Result<UpdateOutcome, BootstrapError> {
    let path = cache_dir.join(cache::CACHE_FILE);
    // Validators only apply to a copy of the same URL.
    let validators = cache::read_meta(cache_dir)
        .filter(|meta| meta.url == url.as_str())
        .map(|meta| meta.validators())
        .unwrap_or_default();
    let document = match client
        .fetch_if_modified(url, &validators)
        .await
        .map_err(BootstrapError::Download)?
    {
        Conditional::NotModified { .. } => return Ok(UpdateOutcome::AlreadyCurrent { path }),
        Conditional::NotFound { url } => return Err(BootstrapError::NotFound(url)),
        Conditional::Modified(document) => document,
    };
    let fresh =
        Bootstrap::parse(&document.body, Origin::Cache(path.clone())).map_err(
            |error| match error {
                BootstrapError::Invalid { detail, .. } => BootstrapError::Invalid {
                    origin: document.url.to_string(),
                    detail,
                },
                other => other,
            },
        )?;
    let meta = CacheMeta {
        url: url.to_string(),
        etag: document.etag,
        last_modified: document.last_modified,
    };
    let path = cache::store(cache_dir, &document.body, &meta)?;
    Ok(UpdateOutcome::Updated {
        path,
        publication: fresh.publication(),
        services: fresh.service_count(),
    })
}
