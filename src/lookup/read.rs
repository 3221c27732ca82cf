//! Reading replies into records, and naming who answered: the parts of a
//! lookup that depend on the server a question went to.

use chrono::FixedOffset;
use url::Url;

use super::question::{Question, Server};
use crate::domain::DomainName;
use crate::record::{Protocol, Role, Source};
use crate::whois::{self, ChosenBy, WhoisParseError, WhoisQuery, WhoisRead, WhoisTarget};

/// Who answered in `role`, as a record names it: the RDAP URL answered
/// (`answered`, after redirects, else the one asked), the WHOIS server as
/// named (before a `--whois-server` redirect), or the capture file.
pub(super) fn source(server: &Server, answered: Option<&Url>, role: Role) -> Source {
    match server {
        Server::Rdap(asked) => {
            let url = answered.unwrap_or(asked);
            Source {
                protocol: Protocol::Rdap,
                server: url.host_str().map(str::to_owned),
                url: Some(url.to_string()),
                role,
            }
        }
        Server::Whois(target) => Source {
            protocol: Protocol::Whois,
            server: Some(target.named.to_string()),
            url: None,
            role,
        },
        Server::Captured { protocol, path } => Source {
            protocol: *protocol,
            server: Some(path.display().to_string()),
            url: None,
            role,
        },
    }
}

/// Reads a WHOIS answer to `question`; `zone` is the registry's zone for
/// times printed without one (`None` for a registrar's server, which keeps
/// its own conventions). The record's source names the server actually
/// asked: an override's address, or the capture file.
pub(super) fn whois(
    question: &Question,
    body: &[u8],
    zone: Option<FixedOffset>,
) -> Result<WhoisRead, WhoisParseError> {
    let (conventions, asked) = match &question.server {
        Server::Whois(target) => (conventions(target), target.spec.address.host().to_owned()),
        // The capture does not say which server answered: the TLD's
        // registry conventions apply, as for a --whois-server override.
        Server::Captured { .. } | Server::Rdap(_) => (None, question.server.key()),
    };
    let query = WhoisQuery::for_name(&question.name, conventions.as_deref(), zone);
    let mut read = whois::read_whois(&query, body)?;
    read.record.source.server = Some(asked);
    Ok(read)
}

/// The refusal (a quota notice, an empty answer) a WHOIS answer is, if it
/// is one: what the gate waits out and asks again.
pub(super) fn whois_refusal(
    target: &WhoisTarget,
    name: &DomainName,
    body: &[u8],
) -> Option<WhoisParseError> {
    let query = WhoisQuery::for_name(name, conventions(target).as_deref(), None);
    whois::parse_whois(&query, body)
        .err()
        .filter(WhoisParseError::is_retryable)
}

/// The server whose conventions (date order, zone, charset) read its
/// answers: the one the table, IANA or a referral named. A server the user
/// gave for the TLD with `--whois-server` stands in for that TLD's
/// registry, whatever its address, so the TLD's conventions apply.
fn conventions(target: &WhoisTarget) -> Option<String> {
    match target.chosen_by {
        ChosenBy::Override => None,
        ChosenBy::Table | ChosenBy::Iana | ChosenBy::Referral => {
            Some(target.named.host().to_owned())
        }
    }
}
