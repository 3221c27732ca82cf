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
//! through the same reader as a live one.
//!
//! [`Capture`] is the one place the layout is spelled: [`ReplayDir`] reads
//! it and [`Recorder`] writes it. Names arrive as [`DomainName`]s, so only
//! lower-case LDH labels joined by single dots ever become file names, and
//! no name can climb out of DIR.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::domain::DomainName;
use crate::record::{Protocol, Role};

/// What `--record` writes for an RDAP 404 that came without a body.
pub const NOT_FOUND_BODY: &[u8] = br#"{"errorCode":404,"title":"Not Found"}"#;

const RDAP_DIR: &str = "rdap";
const WHOIS_DIR: &str = "whois";

/// A capture that could not be read or written.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The capture directory does not exist or is not a directory. Check the
    /// path given to `--replay`.
    #[error("{} is not a capture directory", path.display())]
    NotADirectory { path: PathBuf },

    /// A captured file exists but could not be read (permissions, I/O).
    #[error("cannot read {}: {detail}", path.display())]
    Read { path: PathBuf, detail: String },

    /// An answer could not be written (permissions, disk full). Check the
    /// `--record` directory.
    #[error("cannot write {}: {detail}", path.display())]
    Write { path: PathBuf, detail: String },
}

/// The kinds of captured answer, each with its place in the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capture {
    /// `rdap/NAME.json`: the registry's RDAP answer.
    RdapRegistry,
    /// `rdap/NAME.registrar.json`: the registrar's RDAP answer.
    RdapRegistrar,
    /// `whois/NAME.txt`: the registry's WHOIS answer.
    Whois,
}

impl Capture {
    /// The capture of an answer from a server of `protocol` in `role`;
    /// `None` for a registrar's WHOIS answer, which the layout does not
    /// keep (the registry's answer names the referral, which a replay does
    /// not follow).
    pub fn of(protocol: Protocol, role: Role) -> Option<Capture> {
        match (protocol, role) {
            (Protocol::Rdap, Role::Registry) => Some(Capture::RdapRegistry),
            (Protocol::Rdap, Role::Registrar) => Some(Capture::RdapRegistrar),
            (Protocol::Whois, Role::Registry) => Some(Capture::Whois),
            (Protocol::Whois, Role::Registrar) => None,
        }
    }

    /// The protocol of the answer.
    pub fn protocol(self) -> Protocol {
        match self {
            Capture::RdapRegistry | Capture::RdapRegistrar => Protocol::Rdap,
            Capture::Whois => Protocol::Whois,
        }
    }

    fn path(self, root: &Path, name: &DomainName) -> PathBuf {
        match self {
            Capture::RdapRegistry => root.join(RDAP_DIR).join(format!("{name}.json")),
            Capture::RdapRegistrar => root.join(RDAP_DIR).join(format!("{name}.registrar.json")),
            Capture::Whois => root.join(WHOIS_DIR).join(format!("{name}.txt")),
        }
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

    /// Where the `capture` of `name` is, or would be.
    pub fn path(&self, capture: Capture, name: &DomainName) -> PathBuf {
        capture.path(&self.root, name)
    }

    /// Whether the directory holds the `capture` of `name`. A file that
    /// cannot even be looked at is an error, not a miss.
    pub fn holds(&self, capture: Capture, name: &DomainName) -> Result<bool, ReplayError> {
        let path = self.path(capture, name);
        path.try_exists().map_err(|error| ReplayError::Read {
            detail: error.to_string(),
            path,
        })
    }

    /// The `capture` of `name`, byte for byte; `None` when there is none.
    pub fn read(
        &self,
        capture: Capture,
        name: &DomainName,
    ) -> Result<Option<Vec<u8>>, ReplayError> {
        let path = self.path(capture, name);
        match fs::read(&path) {
            Ok(body) => Ok(Some(body)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(ReplayError::Read {
                path,
                detail: error.to_string(),
            }),
        }
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

    /// Records an answer: the document, or the error object the server
    /// sent; `None` for a "no such object" that came without a body, which
    /// is written as [`NOT_FOUND_BODY`].
    pub fn write(
        &self,
        capture: Capture,
        name: &DomainName,
        body: Option<&[u8]>,
    ) -> Result<(), ReplayError> {
        let body = body.unwrap_or(NOT_FOUND_BODY);
        let path = capture.path(&self.root, name);
        let sequence = self.sequence.fetch_add(1, Ordering::Relaxed);
        // A leading dot and a suffix that is not `.json`/`.txt`: never
        // mistaken for a capture by a replay of a half-written directory.
        let temporary =
            path.with_file_name(format!(".{name}.{}.{sequence}.partial", std::process::id()));
        let written = fs::File::create(&temporary)
            .and_then(|mut file| {
                file.write_all(body)?;
                file.sync_all()
            })
            .and_then(|()| fs::rename(&temporary, &path));
        if let Err(error) = written {
            // Best effort: the temporary file may not exist.
            let _ = fs::remove_file(&temporary);
            return Err(ReplayError::Write {
                path,
                detail: error.to_string(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
