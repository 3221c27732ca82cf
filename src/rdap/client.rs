//! The RDAP HTTP client: one GET, made safe and bounded, with a typed
//! outcome.
//!
//! Every request and every redirect hop passes the [`AddressPolicy`] URL
//! check before a connection is made, and host names resolve through
//! [`PolicyResolver`], so neither a redirect, a referral nor DNS rebinding
//! can reach a forbidden address. Redirects are followed here, not by
//! reqwest, so each hop is checked and a refusal names the hop. One deadline
//! covers the whole fetch, redirects and body included; the body is capped
//! while it streams (after gzip decoding, so a compression bomb is cut off).
//!
//! The client knows nothing of RDAP objects: it returns bytes and the URL
//! that produced them. [`Client`] is cheap to clone (reqwest's pool is
//! shared), so the bulk scheduler can hand copies to its tasks.

use std::time::{Duration, Instant, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap, HeaderValue};
use url::Url;

use super::error::FetchError;
use super::retry_after::parse_retry_after;
use crate::net::AddressPolicy;
use crate::net::resolve::{PolicyResolver, ResolveError};

/// Bytes of an error body kept as evidence.
const EXCERPT_BYTES: usize = 300;

/// How the client behaves: plain data, see [`ClientConfig::default`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientConfig {
    /// Which targets may be reached.
    pub policy: AddressPolicy,
    /// Deadline for establishing a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Deadline for the whole fetch: every redirect hop and the body.
    pub timeout: Duration,
    /// Largest body accepted, counted after decompression.
    pub max_body_bytes: usize,
    /// Redirects followed before giving up.
    pub max_redirects: usize,
}

impl Default for ClientConfig {
    /// HTTPS to public addresses, 10 s to connect, 30 s in all, 4 MiB, 5 redirects.
    fn default() -> Self {
        ClientConfig {
            policy: AddressPolicy::STRICT,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 4 * 1024 * 1024,
            max_redirects: 5,
        }
    }
}

/// A successful (200) answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The URL that produced the body, after redirects.
    pub url: Url,
    /// The body, decompressed, in UTF-8 (decoded from the charset
    /// `Content-Type` names, if another).
    pub body: Vec<u8>,
    /// `Content-Type`, as sent.
    pub content_type: Option<String>,
    /// `ETag`, for a later conditional request.
    pub etag: Option<String>,
    /// `Last-Modified`, for a later conditional request.
    pub last_modified: Option<String>,
}

/// What a fetch found: a document, or the server's statement that there is
/// no such object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 200 with a body.
    Document(Document),
    /// 404: the object does not exist there. For a registry this is the
    /// normal answer for a name that is not registered, not an error.
    NotFound { url: Url },
}

impl Fetched {
    /// Whether the server said the object does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Fetched::NotFound { .. })
    }

    /// The URL that gave this answer, after redirects.
    pub fn url(&self) -> &Url {
        match self {
            Fetched::Document(document) => &document.url,
            Fetched::NotFound { url } => url,
        }
    }
}

/// Validators from an earlier download, for a conditional GET.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// Sent as `If-None-Match`.
    pub etag: Option<String>,
    /// Sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
}

/// The answer to a conditional GET.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conditional {
    /// 200: a new body.
    Modified(Document),
    /// 304: the copy we hold is current.
    NotModified { url: Url },
    /// 404: nothing at that URL.
    NotFound { url: Url },
}

/// The safe RDAP HTTP client. Clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    config: ClientConfig,
}

/// `domlife/<version>`, with the repository URL when Cargo.toml has one.
pub fn user_agent() -> String {
    let version = env!("CARGO_PKG_VERSION");
    match env!("CARGO_PKG_REPOSITORY") {
        "" => format!("domlife/{version}"),
        repository => format!("domlife/{version} (+{repository})"),
    }
}

impl Client {
    /// Builds a client. Fails only when the TLS or HTTP stack cannot be set up.
    pub fn new(config: ClientConfig) -> Result<Client, FetchError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/rdap+json, application/json;q=0.9"),
        );
        let http = reqwest::Client::builder()
            .user_agent(user_agent())
            .default_headers(headers)
            .connect_timeout(config.connect_timeout)
            .timeout(config.timeout)
            // Redirects are followed by `send` so that each hop is checked.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            // A proxy would connect on our behalf and bypass the address checks.
            .no_proxy()
            .dns_resolver(PolicyResolver::new(config.policy))
            .build()
            .map_err(|error| FetchError::Setup(error_chain(&error)))?;
        Ok(Client { http, config })
    }

    /// GETs `url`: 200 gives the body and the final URL, 404 gives
    /// [`Fetched::NotFound`], anything else a [`FetchError`].
    pub async fn fetch(&self, url: &Url) -> Result<Fetched, FetchError> {
        let response = self.send(url, HeaderMap::new()).await?;
        let final_url = response.url().clone();
        match response.status() {
            StatusCode::OK => Ok(Fetched::Document(self.read_document(response).await?)),
            StatusCode::NOT_FOUND => Ok(Fetched::NotFound { url: final_url }),
            _ => Err(status_error(response).await),
        }
    }

    /// GETs `url` with `If-None-Match` / `If-Modified-Since` from `validators`.
    pub async fn fetch_if_modified(
        &self,
        url: &Url,
        validators: &Validators,
    ) -> Result<Conditional, FetchError> {
        let mut headers = HeaderMap::new();
        // A validator that is not a valid header value is simply not sent:
        // the result is a full download, which is always correct.
        if let Some(value) = validators
            .etag
            .as_deref()
            .and_then(|etag| HeaderValue::from_str(etag).ok())
        {
            headers.insert(header::IF_NONE_MATCH, value);
        }
        if let Some(value) = validators
            .last_modified
            .as_deref()
            .and_then(|date| HeaderValue::from_str(date).ok())
        {
            headers.insert(header::IF_MODIFIED_SINCE, value);
        }
        let response = self.send(url, headers).await?;
        let final_url = response.url().clone();
        match response.status() {
            StatusCode::OK => Ok(Conditional::Modified(self.read_document(response).await?)),
            StatusCode::NOT_MODIFIED => Ok(Conditional::NotModified { url: final_url }),
            StatusCode::NOT_FOUND => Ok(Conditional::NotFound { url: final_url }),
            _ => Err(status_error(response).await),
        }
    }

    /// Sends the GET, following redirects itself; returns the first
    /// response that is not a redirect.
    async fn send(&self, url: &Url, headers: HeaderMap) -> Result<reqwest::Response, FetchError> {
        let deadline = crate::net::deadline(Instant::now(), self.config.timeout);
        let mut current = url.clone();
        let mut via: Option<String> = None;
        let mut redirects = 0;
        loop {
            self.config
                .policy
                .check_url(&current)
                .map_err(|reason| FetchError::Refused {
                    url: current.to_string(),
                    via: via.clone(),
                    reason,
                })?;
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                return Err(FetchError::Timeout {
                    url: current.to_string(),
                });
            }
            let response = self
                .http
                .get(current.clone())
                .headers(headers.clone())
                .timeout(remaining)
                .send()
                .await
                .map_err(|error| transport_error(&current, via.as_deref(), &error))?;
            if !is_followed_redirect(response.status()) {
                return Ok(response);
            }
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get(header::LOCATION)
                .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
            let next = location
                .as_deref()
                .and_then(|location| current.join(location).ok())
                .ok_or_else(|| FetchError::BadRedirect {
                    url: current.to_string(),
                    status,
                    location: location.clone(),
                })?;
            if redirects == self.config.max_redirects {
                return Err(FetchError::TooManyRedirects {
                    url: current.to_string(),
                    limit: self.config.max_redirects,
                });
            }
            redirects += 1;
            via = Some(std::mem::replace(&mut current, next).to_string());
        }
    }

    /// Reads a 200 body under the size cap, chunk by chunk, as UTF-8.
    async fn read_document(&self, mut response: reqwest::Response) -> Result<Document, FetchError> {
        let url = response.url().clone();
        let limit = self.config.max_body_bytes;
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit,
        };
        // Content-Length is the compressed size when the body is gzipped, so
        // it can only reject early; the running count below is the real cap.
        if response
            .content_length()
            .is_some_and(|length| length > u64::try_from(limit).unwrap_or(u64::MAX))
        {
            return Err(too_large());
        }
        let header_text = |name: header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header_text(header::CONTENT_TYPE);
        let etag = header_text(header::ETAG);
        let last_modified = header_text(header::LAST_MODIFIED);
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| transport_error(&url, None, &error))?
        {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Document {
            url,
            body: super::charset::utf8_body(body, content_type.as_deref()),
            content_type,
            etag,
            last_modified,
        })
    }
}

fn is_followed_redirect(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    )
}

/// Turns a status other than 200/404 (and 304 when asked for) into its error.
async fn status_error(mut response: reqwest::Response) -> FetchError {
    let url = response.url().to_string();
    let status = response.status();
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            let server_date = response
                .headers()
                .get(header::DATE)
                .and_then(|date| date.to_str().ok());
            parse_retry_after(value, server_date, SystemTime::now())
        });
    let excerpt = read_excerpt(&mut response).await;
    if status == StatusCode::TOO_MANY_REQUESTS {
        FetchError::RateLimited {
            url,
            retry_after,
            excerpt,
        }
    } else if status.is_server_error() {
        FetchError::Server {
            url,
            status: status.as_u16(),
            retry_after,
            excerpt,
        }
    } else {
        FetchError::Status {
            url,
            status: status.as_u16(),
            excerpt,
        }
    }
}

/// The start of an error body, printable. Reads no more than it keeps; a
/// body that fails midway still yields what arrived.
async fn read_excerpt(response: &mut reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < EXCERPT_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    bytes.truncate(EXCERPT_BYTES);
    printable(&String::from_utf8_lossy(&bytes))
}

/// Collapses control characters and runs of whitespace to single spaces,
/// so text from a server cannot drive a terminal.
fn printable(text: &str) -> String {
    text.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Maps a reqwest failure to our error, finding a resolver refusal in the
/// source chain.
fn transport_error(url: &Url, via: Option<&str>, error: &reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = source {
        if let Some(resolve) = current.downcast_ref::<ResolveError>() {
            return match resolve {
                ResolveError::Refused(reason) => FetchError::Refused {
                    url: url.to_string(),
                    via: via.map(str::to_owned),
                    reason: reason.clone(),
                },
                ResolveError::Lookup { .. } => FetchError::Connection {
                    url: url.to_string(),
                    detail: resolve.to_string(),
                },
            };
        }
        source = current.source();
    }
    if error.is_timeout() {
        FetchError::Timeout {
            url: url.to_string(),
        }
    } else {
        FetchError::Connection {
            url: url.to_string(),
            detail: error_chain(error),
        }
    }
}

/// An error and its sources on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_removes_control_sequences() {
        assert_eq!(
            printable("{\"error\":\n\t\"x\u{1b}[31m\"}\r\n"),
            "{\"error\": \"x [31m\"}"
        );
    }

    #[test]
    fn user_agent_names_the_version() {
        assert!(user_agent().starts_with(&format!("domlife/{}", env!("CARGO_PKG_VERSION"))));
    }

    #[tokio::test]
    async fn refuses_before_connecting() {
        let client = Client::new(ClientConfig {
            policy: AddressPolicy::LOCAL,
            ..ClientConfig::default()
        })
        .expect("client builds");
        let url = Url::parse("http://10.0.0.1/domain/example.com").expect("literal");
        let error = client.fetch(&url).await.expect_err("private address");
        assert!(error.is_refused(), "{error}");
        assert!(!error.is_retryable());
    }
}
