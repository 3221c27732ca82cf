//! Which server each question of a lookup goes to.
//!
//! Live (and from the store), the registries' directories decide: the RDAP
//! bootstrap (or an override) for the registry's RDAP server, the
//! registry's `related` link for the registrar's, the WHOIS table (or IANA)
//! for TLDs without RDAP, and the thin registry's referral line. A capture
//! directory stands for a run that already chose, so it decides by what it
//! holds: the RDAP capture when there is one, else the WHOIS capture; the
//! registrar's RDAP capture when there is one; no WHOIS referral.

use std::sync::Arc;

use url::Url;

use super::error::{AskError, LookupError};
use super::question::Server;
use crate::domain::DomainName;
use crate::rdap::bootstrap::Bootstrap;
use crate::store::replay::{Capture, ReplayDir};
use crate::whois::WhoisClient;

/// Which protocol to use for a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// RDAP where the bootstrap has a server, WHOIS otherwise.
    #[default]
    RdapThenWhois,
    /// RDAP only: a TLD without RDAP is an error ("no RDAP for .xx").
    RdapOnly,
    /// WHOIS only, even where RDAP exists.
    WhoisOnly,
}

/// Where a lookup's questions go.
#[derive(Debug, Clone)]
pub(super) enum Route {
    /// The registries' directories, in the run's protocol order.
    Registries {
        bootstrap: Arc<Bootstrap>,
        whois: WhoisClient,
        order: Order,
    },
    /// A capture directory.
    Capture(ReplayDir),
}

impl Route {
    /// The registry's server for `name`.
    pub(super) async fn registry(&self, name: &DomainName) -> Result<Server, LookupError> {
        match self {
            Route::Registries {
                bootstrap,
                whois,
                order,
            } => {
                let rdap_url = match order {
                    Order::WhoisOnly => None,
                    // A registry whose RDAP is plain http only (a few
                    // bootstrap entries) has no usable RDAP: WHOIS answers
                    // instead. A local server asked without --allow-loopback
                    // stays an error that says so.
                    Order::RdapThenWhois | Order::RdapOnly => {
                        bootstrap.domain_url(name).ok().filter(|url| {
                            url.scheme() != "http" || crate::net::names_this_machine(url)
                        })
                    }
                };
                match (rdap_url, order) {
                    (Some(url), _) => Ok(Server::Rdap(url)),
                    (None, Order::RdapOnly) => Err(LookupError::NoRdap {
                        tld: name.tld().to_owned(),
                    }),
                    (None, _) => whois
                        .target_for(name)
                        .await
                        .map(Server::Whois)
                        .map_err(LookupError::WhoisServer),
                }
            }
            Route::Capture(dir) => captured_registry(dir, name),
        }
    }

    /// The registrar's RDAP server, from the registry's `related` link
    /// (`answered_url` is where the registry's answer came from). A link
    /// that is not a URL is noted on the record.
    pub(super) fn registrar(
        &self,
        name: &DomainName,
        answered_url: Option<&Url>,
        link: Option<&str>,
        notes: &mut Vec<String>,
    ) -> Option<Server> {
        match self {
            Route::Registries { .. } => {
                let link = link?;
                let url = match Url::parse(link) {
                    Ok(url) => url,
                    Err(error) => {
                        notes.push(format!(
                            "registrar RDAP link {link:?} is not a URL: {error}"
                        ));
                        return None;
                    }
                };
                // Some registries link to their own answer; asking twice adds nothing.
                let own =
                    answered_url.is_some_and(|own| url.as_str().eq_ignore_ascii_case(own.as_str()));
                (!own).then_some(Server::Rdap(url))
            }
            // A file that cannot even be looked at is asked for anyway, so
            // that the failure reaches the record.
            Route::Capture(dir) => dir
                .holds(Capture::RdapRegistrar, name)
                .unwrap_or(true)
                .then(|| captured(dir, Capture::RdapRegistrar, name)),
        }
    }

    /// The registrar's WHOIS server a thin registry's answer refers to.
    pub(super) fn referral(&self, registry: &Server, body: &[u8]) -> Option<Server> {
        match (self, registry) {
            (Route::Registries { whois, .. }, Server::Whois(target)) => {
                whois.referral_target(target, body).map(Server::Whois)
            }
            _ => None,
        }
    }
}

fn captured_registry(dir: &ReplayDir, name: &DomainName) -> Result<Server, LookupError> {
    for capture in [Capture::RdapRegistry, Capture::Whois] {
        let held = dir
            .holds(capture, name)
            .map_err(|error| LookupError::Unanswered(AskError::Replay(error)))?;
        if held {
            return Ok(captured(dir, capture, name));
        }
    }
    Err(LookupError::Unanswered(AskError::NotCaptured {
        name: name.to_string(),
        dir: dir.root().display().to_string(),
    }))
}

fn captured(dir: &ReplayDir, capture: Capture, name: &DomainName) -> Server {
    Server::Captured {
        protocol: capture.protocol(),
        path: dir.path(capture, name),
    }
}
