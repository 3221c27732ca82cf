//! What every answer source deals in: a [`Question`] to one server about
//! one name, and the [`Reply`] it got. Sources see raw bodies only; reading
//! them is the lookup's job, so a stored or captured answer goes through
//! the same readers as a live one.

use std::path::PathBuf;

use url::Url;

use crate::domain::DomainName;
use crate::record::{Protocol, Role};
use crate::whois::WhoisTarget;

/// Where a question goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Server {
    /// An RDAP URL: the registry's (from the bootstrap) or the registrar's
    /// (from the registry's `related` link).
    Rdap(Url),
    /// A port-43 server, as the WHOIS client chose it.
    Whois(WhoisTarget),
    /// A file of a capture directory, standing where the server would
    /// (`--replay`).
    Captured { protocol: Protocol, path: PathBuf },
}

impl Server {
    pub fn protocol(&self) -> Protocol {
        match self {
            Server::Rdap(_) => Protocol::Rdap,
            Server::Whois(_) => Protocol::Whois,
            Server::Captured { protocol, .. } => *protocol,
        }
    }

    /// The server as the store keys it and messages name it: the URL, the
    /// `host:port` dialled, or the file.
    pub fn key(&self) -> String {
        match self {
            Server::Rdap(url) => url.to_string(),
            Server::Whois(target) => target.spec.address.to_string(),
            Server::Captured { path, .. } => path.display().to_string(),
        }
    }

    /// The server as [`super::Exchange::server`] names it: an RDAP URL's
    /// host, else [`Server::key`].
    pub fn exchange_name(&self) -> String {
        match self {
            Server::Rdap(url) => url.host_str().unwrap_or_default().to_owned(),
            Server::Whois(_) | Server::Captured { .. } => self.key(),
        }
    }

    /// The URL asked, for RDAP.
    pub fn url(&self) -> Option<&Url> {
        match self {
            Server::Rdap(url) => Some(url),
            Server::Whois(_) | Server::Captured { .. } => None,
        }
    }
}

/// One question to one server about one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub role: Role,
    pub server: Server,
    pub name: DomainName,
}

/// What a server, the store or a capture said to a [`Question`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reply {
    /// The answer byte for byte; `None` when the server has no such object
    /// (an RDAP 404).
    pub body: Option<Vec<u8>>,
    /// The URL the answer came from when a redirect moved it (RDAP).
    pub url: Option<Url>,
    /// What a reader of the record should know about this answer (one that
    /// could not be kept).
    pub notes: Vec<String>,
}

impl Reply {
    /// The URL a redirect moved the question to, when the answer came from
    /// another URL than the one `server` names.
    pub fn landed(&self, server: &Server) -> Option<&Url> {
        self.url.as_ref().filter(|url| Some(*url) != server.url())
    }

    /// Whether the reply may be kept (in the store, a capture) to stand for
    /// the server's answer later. A 404 that a redirect landed on is no
    /// answer from the registry, and kept without the URL it came from it
    /// would read as "not registered".
    pub fn is_keepable(&self, server: &Server) -> bool {
        self.body.is_some() || self.landed(server).is_none()
    }

    /// An answer with a body.
    pub fn answer(body: Vec<u8>) -> Reply {
        Reply {
            body: Some(body),
            ..Reply::default()
        }
    }
}
