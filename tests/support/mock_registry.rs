//! An in-process mock RDAP service on 127.0.0.1: a bootstrap file that
//! points chosen TLDs at it, a registry and a registrar answering per name
//! from fixture bodies or injected faults ([`Reply`]).
//!
//! Routes (relative to [`MockRegistry::base_url`]):
//! - `GET /dns.json`: the bootstrap file, with an `ETag`; `If-None-Match`
//!   with that tag gets 304.
//! - `GET /registry/domain/{name}`: the registry's answer for `name`.
//! - `GET /registrar/domain/{name}`: the registrar's answer for `name`.
//!
//! Unknown names get 404, or a generated record ([`MockConfig::generated`]).
//! Every request's path and arrival instant are logged for assertions.
//! The server stops when the handle is dropped.
//!
//! A mock can also behave like a busy registry: a rate limit on the domain
//! routes ([`MockConfig::rate_limit`]), answered with 429 and a
//! `Retry-After` when a client exceeds it, and a latency with jitter on the
//! answers it accepts ([`MockConfig::latency`]). Several mocks are several
//! hosts: each has its own port and its own limit.
//!
//! In fault mode a host answers every name alike
//! ([`MockConfig::otherwise`], [`MockConfig::registrar_otherwise`]: a 429
//! storm, a 503, a reset, a stall, a redirect loop on `{name}`...), and
//! generated records can refer to a registrar anywhere
//! ([`MockConfig::registrar_link`]: plain http, a private address, a page
//! that is not RDAP), one fault per host, as `tests/cli_faults.rs` does.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::generated::Generated;
use super::limit::{LimitSpec, LimitStats, ServerLimit, jittered, retry_after_seconds};
use super::reply::{Reply, Rewrites};

/// What the mock serves. Build with the chained methods.
#[derive(Debug, Clone)]
pub struct MockConfig {
    tlds: Vec<String>,
    registry: HashMap<String, Reply>,
    registrar: HashMap<String, Reply>,
    rewrites: Vec<(String, String)>,
    bootstrap_publication: String,
    bootstrap_etag: String,
    limit: Option<LimitSpec>,
    latency: Option<(Duration, Duration)>,
    generate: bool,
    otherwise: Option<Reply>,
    registrar_otherwise: Option<Reply>,
    registrar_link: Option<String>,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            tlds: Vec::new(),
            registry: HashMap::new(),
            registrar: HashMap::new(),
            rewrites: Vec::new(),
            // Far in the future so a cached copy of it beats the embedded snapshot.
            bootstrap_publication: "2099-01-01T00:00:00Z".to_owned(),
            bootstrap_etag: "\"mock-bootstrap-1\"".to_owned(),
            limit: None,
            latency: None,
            generate: false,
            otherwise: None,
            registrar_otherwise: None,
            registrar_link: None,
        }
    }
}

impl MockConfig {
    pub fn new() -> Self {
        MockConfig::default()
    }

    /// Lists `tld` in the served bootstrap file, pointing at the mock registry.
    pub fn tld(mut self, tld: &str) -> Self {
        self.tlds.push(tld.to_ascii_lowercase());
        self
    }

    /// The registry's answer for `name`.
    pub fn registry(mut self, name: &str, reply: Reply) -> Self {
        self.registry.insert(name.to_ascii_lowercase(), reply);
        self
    }

    /// The registrar's answer for `name`.
    pub fn registrar(mut self, name: &str, reply: Reply) -> Self {
        self.registrar.insert(name.to_ascii_lowercase(), reply);
        self
    }

    /// Replaces `from` with `to` in served bodies; `{base}` in `to` is the
    /// mock's base URL. Used to point a fixture's `related` link at the mock:
    /// `.rewrite("https://rdap.markmonitor.com/rdap/", "{base}/registrar/")`.
    pub fn rewrite(mut self, from: &str, to: &str) -> Self {
        self.rewrites.push((from.to_owned(), to.to_owned()));
        self
    }

    /// Limits the registry and registrar routes together to `per_second`
    /// requests a second, forgiving `burst` back to back; a request over
    /// the limit gets 429 with `Retry-After` (whole seconds, at least 1).
    pub fn rate_limit(mut self, per_second: f64, burst: u32) -> Self {
        self.limit = Some(LimitSpec { per_second, burst });
        self
    }

    /// Delays every accepted registry and registrar answer by `base` plus a
    /// uniform pick up to `jitter`.
    pub fn latency(mut self, base: Duration, jitter: Duration) -> Self {
        self.latency = Some((base, jitter));
        self
    }

    /// Answers every name the registry was given no reply for with a
    /// record generated from the name ([`Generated`]) instead of 404.
    pub fn generated(mut self) -> Self {
        self.generate = true;
        self
    }

    /// The registry's answer for every name it was given no reply for
    /// (a faulty host: every name gets the same fault). Wins over
    /// [`MockConfig::generated`].
    pub fn otherwise(mut self, reply: Reply) -> Self {
        self.otherwise = Some(reply);
        self
    }

    /// The registrar's answer for every name it was given no reply for.
    pub fn registrar_otherwise(mut self, reply: Reply) -> Self {
        self.registrar_otherwise = Some(reply);
        self
    }

    /// Generated records link to their registrar's RDAP answer at `href`
    /// (a `related` link typed RDAP): `{name}` becomes the name, `{base}`
    /// the mock's base URL. A referral can so be sent anywhere.
    pub fn registrar_link(mut self, href: &str) -> Self {
        self.registrar_link = Some(href.to_owned());
        self
    }

    /// The `publication` of the served bootstrap file.
    pub fn bootstrap_publication(mut self, publication: &str) -> Self {
        self.bootstrap_publication = publication.to_owned();
        self
    }
}

struct Shared {
    config: MockConfig,
    rewrites: Rewrites,
    requests: Mutex<Vec<Arrival>>,
    limit: Option<ServerLimit>,
}

/// One request as the mock received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    /// When the handler got it, on the clock the rate limit judges by.
    pub at: Instant,
    pub path: String,
}

/// A running mock. Dropping it stops the server.
pub struct MockRegistry {
    base_url: String,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl MockRegistry {
    /// Binds 127.0.0.1 on a free port and serves `config`.
    pub async fn start(config: MockConfig) -> std::io::Result<MockRegistry> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared {
            rewrites: Rewrites {
                base: base_url.clone(),
                pairs: config.rewrites.clone(),
            },
            limit: config.limit.map(ServerLimit::new),
            config,
            requests: Mutex::new(Vec::new()),
        });
        let app = Router::new()
            .route("/dns.json", get(bootstrap))
            .route("/registry/domain/{name}", get(registry))
            .route("/registrar/domain/{name}", get(registrar))
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            // The server ends when the handle aborts it; an accept error ends it early.
            let _ = axum::serve(listener, app).await;
        });
        Ok(MockRegistry {
            base_url,
            shared,
            server,
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Where the bootstrap file is served.
    pub fn bootstrap_url(&self) -> String {
        format!("{}/dns.json", self.base_url)
    }

    /// The registry's RDAP base URL (what the bootstrap file lists).
    pub fn registry_base(&self) -> String {
        format!("{}/registry/", self.base_url)
    }

    /// The registry's domain URL for `name`.
    pub fn registry_url(&self, name: &str) -> url::Url {
        self.url(&format!("/registry/domain/{name}"))
    }

    /// The registrar's domain URL for `name`.
    pub fn registrar_url(&self, name: &str) -> url::Url {
        self.url(&format!("/registrar/domain/{name}"))
    }

    /// The bootstrap file the mock serves, as text.
    pub fn bootstrap_json(&self) -> String {
        bootstrap_body(&self.shared.config, &self.base_url)
    }

    /// This host's entry in a bootstrap file: its TLDs and its registry base.
    pub fn bootstrap_service(&self) -> serde_json::Value {
        serde_json::json!([self.shared.config.tlds, [self.registry_base()]])
    }

    /// Paths requested so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.arrivals()
            .into_iter()
            .map(|arrival| arrival.path)
            .collect()
    }

    /// Requests so far with their arrival instants, in order: what a rate
    /// limit sees, for counting requests per time window.
    pub fn arrivals(&self) -> Vec<Arrival> {
        self.shared
            .requests
            .lock()
            .map(|requests| requests.clone())
            .unwrap_or_default()
    }

    /// What the rate limit accepted and refused (zeros without a limit).
    pub fn limit_stats(&self) -> LimitStats {
        self.shared
            .limit
            .as_ref()
            .map(ServerLimit::stats)
            .unwrap_or_default()
    }

    fn url(&self, path: &str) -> url::Url {
        match url::Url::parse(&format!("{}{path}", self.base_url)) {
            Ok(url) => url,
            Err(error) => panic!("mock URL for {path}: {error}"),
        }
    }
}

impl Drop for MockRegistry {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn bootstrap_body(config: &MockConfig, base_url: &str) -> String {
    serde_json::json!({
        "description": "domlife mock registry bootstrap",
        "publication": config.bootstrap_publication,
        "version": "1.0",
        "services": [[config.tlds, [format!("{base_url}/registry/")]]],
    })
    .to_string()
}

/// One bootstrap file pointing each mock's TLDs at that mock: several
/// mocks serve as several registry hosts.
pub fn combined_bootstrap(registries: &[MockRegistry]) -> String {
    let services: Vec<serde_json::Value> = registries
        .iter()
        .map(MockRegistry::bootstrap_service)
        .collect();
    serde_json::json!({
        "description": "domlife mock registries bootstrap",
        "publication": "2099-01-01T00:00:00Z",
        "version": "1.0",
        "services": services,
    })
    .to_string()
}

fn log(shared: &Shared, uri: &Uri) {
    if let Ok(mut requests) = shared.requests.lock() {
        requests.push(Arrival {
            at: Instant::now(),
            path: uri.path().to_owned(),
        });
    }
}

async fn bootstrap(State(shared): State<Arc<Shared>>, uri: Uri, headers: HeaderMap) -> Response {
    log(&shared, &uri);
    let etag = shared.config.bootstrap_etag.as_str();
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.split(',').any(|tag| tag.trim() == etag));
    let etag_header = HeaderValue::from_str(etag).unwrap_or(HeaderValue::from_static("\"x\""));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_header)]).into_response();
    }
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag_header),
        ],
        bootstrap_body(&shared.config, &shared.rewrites.base),
    )
        .into_response()
}

async fn registry(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    Path(name): Path<String>,
) -> Response {
    log(&shared, &uri);
    let configured = shared
        .config
        .registry
        .get(&name.to_ascii_lowercase())
        .or(shared.config.otherwise.as_ref());
    let generated;
    let reply = match configured {
        None if shared.config.generate => {
            generated = Reply::Json(generated_record(&shared.config, &name));
            Some(&generated)
        }
        configured => configured,
    };
    // A redirect to `{name}` points back at the same name: a loop.
    let looped;
    let reply = match reply {
        Some(Reply::Redirect { status, location }) if location.contains("{name}") => {
            looped = Reply::Redirect {
                status: *status,
                location: location.replace("{name}", &name),
            };
            Some(&looped)
        }
        other => other,
    };
    answer(&shared, reply).await
}

async fn registrar(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    Path(name): Path<String>,
) -> Response {
    log(&shared, &uri);
    let configured = shared
        .config
        .registrar
        .get(&name.to_ascii_lowercase())
        .or(shared.config.registrar_otherwise.as_ref());
    answer(&shared, configured).await
}

/// The generated record for `name`, with its registrar link if one is set.
fn generated_record(config: &MockConfig, name: &str) -> String {
    let json = Generated::for_name(name).rdap_json();
    let Some(href) = &config.registrar_link else {
        return json;
    };
    let Ok(mut record) = serde_json::from_str::<serde_json::Value>(&json) else {
        return json;
    };
    record["links"] = serde_json::json!([{
        "rel": "related",
        "type": "application/rdap+json",
        "href": href.replace("{name}", name),
    }]);
    record.to_string()
}

async fn answer(shared: &Shared, reply: Option<&Reply>) -> Response {
    if let Some(limit) = &shared.limit
        && let Err(wait) = limit.admit()
    {
        let retry_after = retry_after_seconds(wait).to_string();
        return Reply::RateLimited { retry_after }
            .render(&shared.rewrites)
            .await;
    }
    if let Some((base, jitter)) = shared.config.latency {
        tokio::time::sleep(jittered(base, jitter)).await;
    }
    match reply {
        Some(reply) => reply.render(&shared.rewrites).await,
        None => Reply::NotFound.render(&shared.rewrites).await,
    }
}
