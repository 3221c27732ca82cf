//! The capture layout behind `--replay DIR` and `--record DIR`: one file per
//! answer, so a report can be reproduced offline, attached to a bug report,
//! or run as the README demo.
//!
//! ```text
//! DIR/rdap/NAME.json            registry RDAP answer (required for RDAP)
//! DIR/rdap/NAME.registrar.json  registrar RDAP answer (optional)
//! DIR/whois/NAME.txt            registry WHOIS answer
//! ```
//!
//! NAME is the A-label. Bodies are stored byte for byte; an RDAP error is
//! stored as the error object the server sent, and one recorded without a
//! body is written as [`NOT_FOUND_BODY`]. The RDAP reader already reads an
//! `{"errorCode": 404}` object as "not registered", so a replayed body goes
//! through the same reader as a live one. A name with no file is
//! [`ReplayError::NotCaptured`], which the lookup reports as an error
//! result.
//!
//! Names become file names, so they are checked to be LDH A-labels first:
//! nothing outside letters, digits, hyphens and single dots reaches a path,
//! and no name can climb out of DIR.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What `--record` writes for an RDAP 404 that came without a body.
pub const NOT_FOUND_BODY: &[u8] = br#"{"errorCode":404,"title":"Not Found"}"#;

const RDAP_DIR: &str = "rdap";
const WHOIS_DIR: &str = "whois";

/// A capture that could not be read or written.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The name is not a lower-case LDH A-label (letters, digits, hyphens,
    /// labels of 1 to 63 octets joined by single dots), so it was not turned
    /// into a file name. Normalise the name first (IDNs to `xn--` form).
    #[error("{name:?} is not an A-label domain name; refusing to use it as a file name")]
    InvalidName { name: String },

    /// The capture directory does not exist or is not a directory. Check the
    /// path given to `--replay`.
    #[error("{} is not a capture directory", path.display())]
    NotADirectory { path: PathBuf },

    /// The capture has no answer for this name. Record it (`--record DIR`)
    /// or take the name out of the list.
    #[error("{name} was not captured (no {})", path.display())]
    NotCaptured { name: String, path: PathBuf },

    /// A captured file exists but could not be read (permissions, I/O).
    #[error("cannot read {}: {detail}", path.display())]
    Read { path: PathBuf, detail: String },

    /// An answer could not be written (permissions, disk full). Check the
    /// `--record` directory.
    #[error("cannot write {}: {detail}", path.display())]
    Write { path: PathBuf, detail: String },
}

impl ReplayError {
    /// Whether the capture simply has no answer for the name.
    pub fn is_not_captured(&self) -> bool {
        matches!(self, ReplayError::NotCaptured { .. })
    }
}

/// A capture directory read in place of the network.
#[derive(Debug, Clone)]
pub struct ReplayDir {
    root: PathBuf,
}

impl ReplayDir {
    /// Opens the capture at `root`; its `rdap/` and `whois/` parts may be
    /// missing (a capture of one protocol only).
    pub fn open(root: &Path) -> Result<ReplayDir, ReplayError> {
        if !root.is_dir() {
            return Err(ReplayError::NotADirectory {
                path: root.to_path_buf(),
            });
        }
        Ok(ReplayDir {
            root: root.to_path_buf(),
        })
    }

    /// The capture directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The registry's RDAP answer for `name`.
    pub fn rdap_registry(&self, name: &str) -> Result<Vec<u8>, ReplayError> {
        self.required(name, &Capture::RdapRegistry)
    }

    /// The registrar's RDAP answer for `name`, `None` when none was
    /// captured (the registry named no registrar server, or it failed).
    pub fn rdap_registrar(&self, name: &str) -> Result<Option<Vec<u8>>, ReplayError> {
        let path = Capture::RdapRegistrar.path(&self.root, name)?;
        read_if_present(&path)
    }

    /// The registry's WHOIS answer for `name`.
    pub fn whois(&self, name: &str) -> Result<Vec<u8>, ReplayError> {
        self.required(name, &Capture::Whois)
    }

    fn required(&self, name: &str, capture: &Capture) -> Result<Vec<u8>, ReplayError> {
        let path = capture.path(&self.root, name)?;
        read_if_present(&path)?.ok_or_else(|| ReplayError::NotCaptured {
            name: name.to_owned(),
            path,
        })
    }
}

/// Writes answers in the capture layout while looking up live. Files are
/// written whole or not at all (a temporary file renamed into place), so an
/// interrupted recording leaves no half answers. The methods block; they
/// write a few kilobytes each.
#[derive(Debug)]
pub struct Recorder {
    root: PathBuf,
    /// Makes temporary file names unique among concurrent writes.
    sequence: AtomicU64,
}

impl Recorder {
    /// Creates `root` and its `rdap/` and `whois/` directories as needed.
    /// Existing captures are kept; recording a name again replaces its file.
    pub fn create(root: &Path) -> Result<Recorder, ReplayError> {
        for directory in [root.join(RDAP_DIR), root.join(WHOIS_DIR)] {
            fs::create_dir_all(&directory).map_err(|error| ReplayError::Write {
                path: directory.clone(),
                detail: error.to_string(),
            })?;
        }
        Ok(Recorder {
            root: root.to_path_buf(),
            sequence: AtomicU64::new(0),
        })
    }

    /// Records the registry's RDAP answer (a document or the error object
    /// it sent).
    pub fn rdap_registry(&self, name: &str, body: &[u8]) -> Result<(), ReplayError> {
        self.write(name, &Capture::RdapRegistry, body)
    }

    /// Records that the registry answered 404 without keeping a body.
    pub fn rdap_registry_not_found(&self, name: &str) -> Result<(), ReplayError> {
        self.write(name, &Capture::RdapRegistry, NOT_FOUND_BODY)
    }

    /// Records the registrar's RDAP answer.
    pub fn rdap_registrar(&self, name: &str, body: &[u8]) -> Result<(), ReplayError> {
        self.write(name, &Capture::RdapRegistrar, body)
    }

    /// Records the registry's WHOIS answer.
    pub fn whois(&self, name: &str, body: &[u8]) -> Result<(), ReplayError> {
        self.write(name, &Capture::Whois, body)
    }

    fn write(&self, name: &str, capture: &Capture, body: &[u8]) -> Result<(), ReplayError> {
        let path = capture.path(&self.root, name)?;
        let sequence = self.sequence.fetch_add(1, Ordering::Relaxed);
        // A leading dot and a suffix that is not `.json`/`.txt`: never
        // mistaken for a capture by a replay of a half-written directory.
        let temporary =
            path.with_file_name(format!(".{name}.{}.{sequence}.partial", std::process::id()));
        let write_failed = |error: io::Error| ReplayError::Write {
            path: path.clone(),
            detail: error.to_string(),
        };
        let written = fs::File::create(&temporary)
            .and_then(|mut file| {
                file.write_all(body)?;
                file.sync_all()
            })
            .and_then(|()| fs::rename(&temporary, &path));
        if let Err(error) = written {
            // Best effort: the temporary file may not exist.
            let _ = fs::remove_file(&temporary);
            return Err(write_failed(error));
        }
        Ok(())
    }
}

/// The kinds of captured answer, each with its place in the layout.
enum Capture {
    RdapRegistry,
    RdapRegistrar,
    Whois,
}

impl Capture {
    fn path(&self, root: &Path, name: &str) -> Result<PathBuf, ReplayError> {
        if !is_ldh_a_label_name(name) {
            return Err(ReplayError::InvalidName {
                name: name.to_owned(),
            });
        }
        Ok(match self {
            Capture::RdapRegistry => root.join(RDAP_DIR).join(format!("{name}.json")),
            Capture::RdapRegistrar => root.join(RDAP_DIR).join(format!("{name}.registrar.json")),
            Capture::Whois => root.join(WHOIS_DIR).join(format!("{name}.txt")),
        })
    }
}

/// Lower-case LDH labels of 1 to 63 octets, not starting or ending with a
/// hyphen, joined by single dots, at most 253 octets: the only names that
/// become file names.
fn is_ldh_a_label_name(name: &str) -> bool {
    name.len() <= 253
        && name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-')
        })
}

fn read_if_present(path: &Path) -> Result<Option<Vec<u8>>, ReplayError> {
    match fs::read(path) {
        Ok(body) => Ok(Some(body)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(ReplayError::Read {
            path: path.to_path_buf(),
            detail: error.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests;
