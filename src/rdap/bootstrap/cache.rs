//! Choosing which bootstrap registry to use, and the cached copy on disk.
//!
//! `--bootstrap FILE` wins outright. Otherwise the cached copy (written by
//! `domlife bootstrap update`) is used when its publication is newer than
//! the embedded snapshot's; a cached copy that cannot be read falls back to
//! the snapshot with a note, since a stale answer beats no answer. The
//! library never prints: notes go back to the caller.
//!
//! The cache holds `dns.json` and `dns.json.meta` (the HTTP validators it
//! was downloaded with). Each is replaced by writing a uniquely named
//! temporary file in the same directory, flushing it to disk and renaming
//! it into place ([`tempfile::NamedTempFile::persist`]), so neither a reader
//! nor a crash ever leaves half a file. The data goes first: a crash between
//! the two leaves new data with old validators, which only costs a full
//! download next time; the other way round, old data with new validators
//! would be kept by a `304 Not Modified`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Bootstrap, BootstrapError, Origin, ServerOverride};
use crate::rdap::Validators;

/// The cached bootstrap file's name inside the cache directory.
pub const CACHE_FILE: &str = "dns.json";
/// Its metadata (validators) file.
pub const META_FILE: &str = "dns.json.meta";

/// The user's cache directory for domlife, when the system has one.
pub fn default_cache_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "domlife").map(|dirs| dirs.cache_dir().to_path_buf())
}

/// What to load: the answers to `--bootstrap`, `--cache-dir` and `--rdap-server`.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--bootstrap FILE`: use this file, nothing else.
    pub file: Option<PathBuf>,
    /// Where the cached copy lives; `None` means the embedded snapshot only.
    pub cache_dir: Option<PathBuf>,
    pub overrides: Vec<ServerOverride>,
}

/// A loaded registry and what the user should be told about the choice.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub bootstrap: Bootstrap,
    /// Warnings (an unreadable cached copy that was skipped).
    pub notes: Vec<String>,
}

/// Loads the registry the options select (see the module docs).
///
/// Fails when `--bootstrap FILE` cannot be read or is not a bootstrap file;
/// a bad cached copy is only a note.
pub fn load(options: &LoadOptions) -> Result<Loaded, BootstrapError> {
    let overrides = options.overrides.iter().cloned();
    if let Some(path) = &options.file {
        let bytes = read(path)?;
        let bootstrap = Bootstrap::parse(&bytes, Origin::File(path.clone()))?;
        return Ok(Loaded {
            bootstrap: bootstrap.with_overrides(overrides),
            notes: Vec::new(),
        });
    }
    let embedded = Bootstrap::embedded()?;
    let mut notes = Vec::new();
    let cached = options.cache_dir.as_deref().and_then(|dir| {
        let path = dir.join(CACHE_FILE);
        if !path.exists() {
            return None;
        }
        match read(&path).and_then(|bytes| Bootstrap::parse(&bytes, Origin::Cache(path.clone()))) {
            Ok(bootstrap) => Some(bootstrap),
            Err(error) => {
                notes.push(format!("{error}; using the embedded snapshot"));
                None
            }
        }
    });
    let chosen = match cached {
        Some(cached) if cached.is_newer_than(&embedded) => cached,
        _ => embedded,
    };
    Ok(Loaded {
        bootstrap: chosen.with_overrides(overrides),
        notes,
    })
}

/// What the cache remembers about the download behind `dns.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheMeta {
    /// Where it was downloaded from.
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl CacheMeta {
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }
}

/// The stored metadata, when there is a readable one next to a readable
/// `dns.json`; anything else means "download in full".
pub fn read_meta(dir: &Path) -> Option<CacheMeta> {
    let data = read(&dir.join(CACHE_FILE)).ok()?;
    Bootstrap::parse(&data, Origin::Cache(dir.join(CACHE_FILE))).ok()?;
    let meta = read(&dir.join(META_FILE)).ok()?;
    serde_json::from_slice(&meta).ok()
}

/// Replaces the cached copy and its metadata. `body` must already have
/// been validated.
pub fn store(dir: &Path, body: &[u8], meta: &CacheMeta) -> Result<PathBuf, BootstrapError> {
    fs::create_dir_all(dir).map_err(|error| write_error(dir, &error))?;
    let meta_json = serde_json::to_vec_pretty(meta).map_err(|error| BootstrapError::Write {
        path: dir.join(META_FILE),
        detail: error.to_string(),
    })?;
    let path = dir.join(CACHE_FILE);
    replace(&path, body)?;
    replace(&dir.join(META_FILE), &meta_json)?;
    Ok(path)
}

/// Writes `contents` to a temporary file beside `path`, flushes it to disk
/// and renames it into place. On failure the temporary file is removed
/// (when it is dropped) and `path` is left as it was.
fn replace(path: &Path, contents: &[u8]) -> Result<(), BootstrapError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut temporary =
        tempfile::NamedTempFile::new_in(dir).map_err(|error| write_error(path, &error))?;
    temporary
        .write_all(contents)
        .and_then(|()| temporary.as_file().sync_all())
        .map_err(|error| write_error(path, &error))?;
    temporary
        .persist(path)
        .map(drop)
        .map_err(|error| write_error(path, &error.error))
}

fn read(path: &Path) -> Result<Vec<u8>, BootstrapError> {
    fs::read(path).map_err(|error| BootstrapError::Read {
        path: path.to_path_buf(),
        detail: error.to_string(),
    })
}

fn write_error(path: &Path, error: &std::io::Error) -> BootstrapError {
    BootstrapError::Write {
        path: path.to_path_buf(),
        detail: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(publication: &str, base: &str) -> String {
        format!(r#"{{"publication": "{publication}", "services": [[["com"], ["{base}"]]]}}"#)
    }

    #[test]
    fn newer_cached_copy_wins_and_older_loses() {
        let dir = tempfile::tempdir().expect("temp dir");
        let options = LoadOptions {
            cache_dir: Some(dir.path().to_path_buf()),
            ..LoadOptions::default()
        };
        let newer = file_with("2099-01-01T00:00:00Z", "https://newer.example/");
        store(dir.path(), newer.as_bytes(), &CacheMeta::default()).expect("stores");
        let loaded = load(&options).expect("loads");
        assert_eq!(
            *loaded.bootstrap.origin(),
            Origin::Cache(dir.path().join(CACHE_FILE))
        );
        assert!(loaded.notes.is_empty());

        let older = file_with("2000-01-01T00:00:00Z", "https://older.example/");
        store(dir.path(), older.as_bytes(), &CacheMeta::default()).expect("stores");
        let loaded = load(&options).expect("loads");
        assert_eq!(*loaded.bootstrap.origin(), Origin::Embedded);
    }

    #[test]
    fn corrupt_cached_copy_falls_back_with_a_note() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join(CACHE_FILE), b"{\"services\": [").expect("writes");
        let loaded = load(&LoadOptions {
            cache_dir: Some(dir.path().to_path_buf()),
            ..LoadOptions::default()
        })
        .expect("falls back");
        assert_eq!(*loaded.bootstrap.origin(), Origin::Embedded);
        assert_eq!(loaded.notes.len(), 1);
        assert!(
            loaded.notes[0].contains("is not an RDAP bootstrap file"),
            "{:?}",
            loaded.notes
        );
        assert!(read_meta(dir.path()).is_none());
    }

    #[test]
    fn explicit_file_wins_and_a_bad_one_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("mine.json");
        fs::write(
            &path,
            file_with("2000-01-01T00:00:00Z", "https://mine.example/"),
        )
        .expect("writes");
        let loaded = load(&LoadOptions {
            file: Some(path.clone()),
            ..LoadOptions::default()
        })
        .expect("loads");
        assert_eq!(*loaded.bootstrap.origin(), Origin::File(path));
        let missing = load(&LoadOptions {
            file: Some(dir.path().join("absent.json")),
            ..LoadOptions::default()
        });
        assert!(matches!(missing, Err(BootstrapError::Read { .. })));
    }

    #[test]
    fn a_failed_replacement_leaves_the_old_files_and_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let old = file_with("2099-01-01T00:00:00Z", "https://old.example/");
        store(dir.path(), old.as_bytes(), &CacheMeta::default()).expect("stores");
        // A directory where the metadata goes: its rename fails after the data's.
        fs::remove_file(dir.path().join(META_FILE)).expect("removes");
        fs::create_dir(dir.path().join(META_FILE)).expect("creates");
        let new = file_with("2099-06-01T00:00:00Z", "https://new.example/");
        let stored = store(dir.path(), new.as_bytes(), &CacheMeta::default());
        assert!(
            matches!(&stored, Err(BootstrapError::Write { path, .. }) if path.ends_with(META_FILE)),
            "{stored:?}"
        );
        // The data went first and is whole; nothing else is left behind.
        assert_eq!(
            fs::read(dir.path().join(CACHE_FILE)).expect("reads"),
            new.as_bytes()
        );
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .expect("lists")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        assert_eq!(names, [CACHE_FILE, META_FILE]);
    }

    #[test]
    fn metadata_round_trips_beside_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let meta = CacheMeta {
            url: "https://data.iana.org/rdap/dns.json".to_owned(),
            etag: Some("\"abc\"".to_owned()),
            last_modified: Some("Thu, 23 Jul 2026 02:00:03 GMT".to_owned()),
        };
        store(
            dir.path(),
            file_with("2099-01-01T00:00:00Z", "https://x/").as_bytes(),
            &meta,
        )
        .expect("stores");
        assert_eq!(read_meta(dir.path()), Some(meta));
    }
}
