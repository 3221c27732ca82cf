//! Name resolution that applies the [`AddressPolicy`] to what a host name
//! resolves to, so that a name pointing at 10.0.0.1 (or one that changes its
//! answer between a check and the connection: DNS rebinding) cannot reach a
//! forbidden address. The HTTP client connects only to addresses this
//! resolver hands back; WHOIS can use [`resolve_allowed`] the same way.

use std::net::SocketAddr;

use super::address::{AddressClass, AddressPolicy, Refusal};

/// Resolves `host:port` and keeps only the addresses the policy allows.
///
/// Fails with [`ResolveError::Refused`] when the name resolves but every
/// address is forbidden, and with [`ResolveError::Lookup`] when it does not
/// resolve at all.
pub async fn resolve_allowed(
    policy: AddressPolicy,
    host: &str,
    port: u16,
) -> Result<Vec<SocketAddr>, ResolveError> {
    let resolved: Vec<SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|error| ResolveError::Lookup {
            host: host.to_owned(),
            detail: error.to_string(),
        })?
        .collect();
    let (allowed, refused): (Vec<SocketAddr>, Vec<SocketAddr>) = resolved
        .into_iter()
        .partition(|addr| policy.allows(addr.ip()));
    if allowed.is_empty() && !refused.is_empty() {
        return Err(ResolveError::Refused(Refusal::Resolved {
            host: host.to_owned(),
            addresses: refused
                .iter()
                .map(|addr| (addr.ip(), AddressClass::of(addr.ip())))
                .collect(),
        }));
    }
    if allowed.is_empty() {
        return Err(ResolveError::Lookup {
            host: host.to_owned(),
            detail: "no addresses".to_owned(),
        });
    }
    Ok(allowed)
}

/// Why [`resolve_allowed`] returned no address.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ResolveError {
    /// The name resolved only to addresses the policy forbids.
    #[error("refused: {0}")]
    Refused(Refusal),
    /// The name did not resolve; check the spelling or the network.
    #[error("cannot resolve {host}: {detail}")]
    Lookup { host: String, detail: String },
}

/// The [`reqwest::dns::Resolve`] adapter around [`resolve_allowed`].
///
/// Its errors travel back through reqwest's error chain; the client finds
/// them again by downcasting the source chain to [`ResolveError`].
#[derive(Debug, Clone, Copy)]
pub struct PolicyResolver {
    policy: AddressPolicy,
}

impl PolicyResolver {
    pub fn new(policy: AddressPolicy) -> Self {
        PolicyResolver { policy }
    }
}

impl reqwest::dns::Resolve for PolicyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.policy;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // Port 0: reqwest substitutes the URL's port or the scheme's default.
            let addrs = resolve_allowed(policy, &host, 0).await?;
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn localhost_is_refused_by_default_and_allowed_locally() {
        let refused = resolve_allowed(AddressPolicy::STRICT, "localhost", 80).await;
        match refused {
            Err(ResolveError::Refused(Refusal::Resolved { host, addresses })) => {
                assert_eq!(host, "localhost");
                assert!(
                    addresses
                        .iter()
                        .all(|(_, class)| *class == AddressClass::Loopback)
                );
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        let allowed = resolve_allowed(AddressPolicy::LOCAL, "localhost", 80)
            .await
            .expect("localhost resolves locally");
        assert!(allowed.iter().all(|addr| addr.ip().is_loopback()));
        assert!(allowed.iter().all(|addr| addr.port() == 80));
    }

    #[tokio::test]
    async fn literal_private_address_is_refused_without_connecting() {
        // lookup_host parses literals itself: no query leaves the machine.
        let refused = resolve_allowed(AddressPolicy::LOCAL, "10.0.0.1", 443).await;
        assert!(matches!(
            refused,
            Err(ResolveError::Refused(Refusal::Resolved { .. }))
        ));
    }
}
