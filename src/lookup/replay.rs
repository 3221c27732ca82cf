//! Answers from a capture directory instead of the network (`--replay DIR`):
//! how users reproduce a report, file a bug, or run the README demo offline.
//!
//! A name's RDAP capture is read when there is one (with the registrar's,
//! if captured), else its WHOIS capture; a name with neither is "not
//! captured", an error result like any failed lookup. The answers go
//! through the same readers as live ones.

use chrono::FixedOffset;

use super::{Answer, Exchange, LookupError};
use crate::domain::DomainName;
use crate::rdap;
use crate::record::{Protocol, Role, Source};
use crate::store::replay::ReplayDir;
use crate::whois::{self, WhoisQuery};

/// The captured answer for `name`; `zone` is the registry's zone for WHOIS
/// times printed without one.
pub(super) fn replay(
    dir: &ReplayDir,
    name: &DomainName,
    zone: FixedOffset,
) -> Result<Answer, LookupError> {
    match dir.rdap_registry(name.ascii()) {
        Ok(body) => replay_rdap(dir, name, &body),
        Err(error) if error.is_not_captured() => match dir.whois(name.ascii()) {
            Ok(body) => replay_whois(dir, name, &body, zone),
            Err(whois_error) if whois_error.is_not_captured() => Err(LookupError::NotCaptured {
                name: name.ascii().to_owned(),
                dir: dir.root().display().to_string(),
            }),
            Err(whois_error) => Err(LookupError::Replay(whois_error)),
        },
        Err(error) => Err(LookupError::Replay(error)),
    }
}

fn replay_rdap(dir: &ReplayDir, name: &DomainName, body: &[u8]) -> Result<Answer, LookupError> {
    let place = dir
        .root()
        .join("rdap")
        .join(format!("{}.json", name.ascii()));
    let source = replay_source(Protocol::Rdap, Role::Registry, &place.display().to_string());
    let parsed = rdap::parse_domain(body, source).map_err(|error| LookupError::RdapUnreadable {
        url: place.display().to_string(),
        error,
    })?;
    let mut record = parsed.record;
    let mut asked = vec![replayed(
        Protocol::Rdap,
        Role::Registry,
        &place.display().to_string(),
    )];
    let registrar_place = dir
        .root()
        .join("rdap")
        .join(format!("{}.registrar.json", name.ascii()));
    let registrar_source = replay_source(
        Protocol::Rdap,
        Role::Registrar,
        &registrar_place.display().to_string(),
    );
    match dir.rdap_registrar(name.ascii()) {
        Ok(None) => {}
        Ok(Some(body)) => {
            asked.push(replayed(
                Protocol::Rdap,
                Role::Registrar,
                &registrar_place.display().to_string(),
            ));
            let answer = rdap::parse_domain(&body, registrar_source.clone())
                .map(|parsed| parsed.record)
                .map_err(|error| error.to_string());
            rdap::merge_registrar(&mut record, registrar_source, answer);
        }
        Err(error) => {
            rdap::merge_registrar(&mut record, registrar_source, Err(error.to_string()));
        }
    }
    Ok(Answer { record, asked })
}

fn replay_whois(
    dir: &ReplayDir,
    name: &DomainName,
    body: &[u8],
    zone: FixedOffset,
) -> Result<Answer, LookupError> {
    let place = dir
        .root()
        .join("whois")
        .join(format!("{}.txt", name.ascii()));
    // The capture does not say which server answered: the TLD's registry
    // conventions apply, as for a --whois-server override.
    let query = WhoisQuery {
        domain: name.ascii().to_owned(),
        server: None,
        tld: name.tld().to_owned(),
        zone: Some(zone),
    };
    let mut record =
        whois::parse_whois(&query, body).map_err(|error| LookupError::WhoisUnreadable {
            server: place.display().to_string(),
            error,
        })?;
    record.source = replay_source(
        Protocol::Whois,
        Role::Registry,
        &place.display().to_string(),
    );
    let asked = vec![replayed(
        Protocol::Whois,
        Role::Registry,
        &place.display().to_string(),
    )];
    Ok(Answer { record, asked })
}

fn replay_source(protocol: Protocol, role: Role, place: &str) -> Source {
    Source {
        protocol,
        server: Some(place.to_owned()),
        url: None,
        role,
    }
}

fn replayed(protocol: Protocol, role: Role, place: &str) -> Exchange {
    Exchange {
        protocol,
        role,
        server: place.to_owned(),
        url: None,
        outcome: "replayed".to_owned(),
    }
}
