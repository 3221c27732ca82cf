//! [`Target`]: a webhook URL given to `--notify`, and the two ways it is
//! ever shown or kept.
//!
//! Webhook URLs are credentials: Slack, Mattermost, Discord and Teams put
//! the secret in the path, others in the query or the user part. So a
//! target prints as `scheme://host[:port]/…` and nothing more, in logs,
//! errors and reports alike (`Debug` included), and the store knows it by
//! the SHA-256 of the whole URL ([`Target::key`]), never by the URL.

use std::fmt;

use sha2::{Digest, Sha256};
use url::Url;

use crate::net::{AddressPolicy, Refusal};

/// A notify target.
#[derive(Clone, PartialEq, Eq)]
pub struct Target {
    url: Url,
    key: String,
    shown: String,
}

/// Why a `--notify` value is not a target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// Not a URL at all: give the webhook URL the service shows, with its
    /// scheme (`https://...`).
    #[error("--notify takes a webhook URL (https://...): {0}")]
    NotAUrl(String),
    /// The URL is one the network rules refuse (plain http to another
    /// machine, a private address): use its https form.
    #[error("--notify {shown}: {reason}")]
    Refused { shown: String, reason: Refusal },
}

impl Target {
    /// Reads a `--notify` value and checks it against `policy` (scheme,
    /// and the host when it is an address; host names are checked when
    /// they resolve). The error never quotes the URL.
    pub fn parse(text: &str, policy: AddressPolicy) -> Result<Target, TargetError> {
        let url =
            Url::parse(text.trim()).map_err(|error| TargetError::NotAUrl(error.to_string()))?;
        let target = Target::new(url);
        policy
            .check_url(&target.url)
            .map_err(|reason| TargetError::Refused {
                shown: target.shown.clone(),
                reason,
            })?;
        Ok(target)
    }

    fn new(url: Url) -> Target {
        let key = Sha256::digest(url.as_str().as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let host = url.host_str().unwrap_or("");
        let shown = match url.port() {
            Some(port) => format!("{}://{host}:{port}/…", url.scheme()),
            None => format!("{}://{host}/…", url.scheme()),
        };
        Target { url, key, shown }
    }

    /// The URL to post to. Never print it.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// What the store knows the target by: the SHA-256 of its URL, in hex.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Target({})", self.shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "T0000/B0000/XXXXXXXXXXXXXXXX";

    #[test]
    fn a_target_shows_its_scheme_and_host_only() {
        let url = format!("https://user:pw@hooks.slack.com/services/{SECRET}?token=abc#frag");
        let target = Target::parse(&url, AddressPolicy::STRICT).unwrap();
        assert_eq!(target.to_string(), "https://hooks.slack.com/…");
        assert_eq!(format!("{target:?}"), "Target(https://hooks.slack.com/…)");
        assert_eq!(target.url().as_str(), url);
        assert_eq!(target.key().len(), 64);
        assert!(!target.key().contains(SECRET));
        let local = Target::parse("http://127.0.0.1:8080/hook?k=v", AddressPolicy::LOCAL).unwrap();
        assert_eq!(local.to_string(), "http://127.0.0.1:8080/…");
        assert_ne!(local.key(), target.key());
    }

    #[test]
    fn refusals_and_bad_urls_never_quote_the_secret() {
        let refused = Target::parse(
            &format!("http://hooks.example/{SECRET}"),
            AddressPolicy::LOCAL,
        )
        .unwrap_err();
        assert!(matches!(refused, TargetError::Refused { .. }));
        assert!(
            refused
                .to_string()
                .starts_with("--notify http://hooks.example/…: plain http")
        );
        let private =
            Target::parse(&format!("https://10.0.0.1/{SECRET}"), AddressPolicy::LOCAL).unwrap_err();
        assert!(private.to_string().contains("private"), "{private}");
        let loopback = Target::parse(&format!("http://127.0.0.1/{SECRET}"), AddressPolicy::STRICT)
            .unwrap_err();
        assert!(
            loopback.to_string().contains("--allow-loopback"),
            "{loopback}"
        );
        let garbage = Target::parse(&format!("hooks/{SECRET}"), AddressPolicy::STRICT).unwrap_err();
        for error in [refused, private, loopback, garbage] {
            assert!(!error.to_string().contains(SECRET), "{error}");
        }
    }
}
