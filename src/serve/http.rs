//! The HTTP side of `domlife serve`: `/metrics` (the last complete audit and
//! the exporter's own metrics), `/probe?target=NAME` (one name audited now,
//! store first, through the same auditor as the lists: the multi-target
//! exporter pattern of the blackbox exporter), `/healthz`, and `/` listing
//! them. GET (and HEAD) only; anything else is a 404 or a 405.

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;

use super::metrics::{self, CONTENT_TYPE};
use crate::audit::{AsOf, Auditor, Outcome};
use crate::domain;
use crate::escape::printable;
use crate::input::{Entry, InputItem};
use crate::run::RunEnd;
use crate::run::listener::Ending;
use crate::run::listeners::exporter::{self, ExporterState};

/// What the handlers share.
#[derive(Clone)]
pub struct App {
    pub state: ExporterState,
    /// The auditor of the lists; a probe uses it as of its own time.
    pub auditor: Arc<Auditor>,
    /// `--as-of`, when given: every audit and probe is as of that date.
    pub as_of: Option<AsOf>,
}

impl App {
    fn as_of(&self) -> AsOf {
        self.as_of.unwrap_or_else(|| AsOf::Instant(Utc::now()))
    }
}

/// The routes.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/metrics", get(metrics_page))
        .route("/probe", get(probe))
        .route("/healthz", get(healthz))
        .fallback(not_found)
        .with_state(app)
}

const INDEX: &str = "<!DOCTYPE html>
<html><head><meta charset=\"utf-8\"><title>domlife exporter</title></head>
<body>
<h1>domlife exporter</h1>
<p>Domain registrations audited against their registries: expiry, lifecycle phase, holds, locks.</p>
<ul>
<li><a href=\"/metrics\">/metrics</a>: the last complete audit of the lists, and the exporter's own metrics</li>
<li><a href=\"/probe?target=example.com\">/probe?target=NAME</a>: one name, looked up now (the store first)</li>
<li><a href=\"/healthz\">/healthz</a>: 200 while the server runs</li>
</ul>
</body></html>
";

async fn index() -> Html<&'static str> {
    Html(INDEX)
}

async fn healthz() -> &'static str {
    "ok\n"
}

async fn not_found() -> (StatusCode, &'static str) {
    (
        StatusCode::NOT_FOUND,
        "not found: see / for the endpoints\n",
    )
}

async fn metrics_page(State(app): State<App>) -> Response {
    let hosts = app.auditor.gate().snapshot();
    let body = metrics::metrics(&app.state.snapshot(), &hosts);
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response()
}

async fn probe(State(app): State<App>, RawQuery(query): RawQuery) -> Response {
    let target = query.as_deref().and_then(|query| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == "target")
            .map(|(_, value)| value.into_owned())
    });
    let Some(target) = target.filter(|target| !target.trim().is_empty()) else {
        return bad_request("missing the target parameter: /probe?target=example.com".to_owned());
    };
    let name = match domain::normalize(&target) {
        Ok(name) => name,
        Err(error) => {
            return bad_request(format!(
                "{} is not a domain name: {error}",
                printable(&target)
            ));
        }
    };
    let as_of = app.as_of();
    let auditor = app.auditor.at(as_of);
    let started = Instant::now();
    let begun = Utc::now();
    let result = auditor
        .audit(&Entry::Name(InputItem::named(name, &target)))
        .await;
    let took = started.elapsed();
    app.state.count_lookups(&result.asked);
    let success = result.outcome == Outcome::Checked;
    let end = RunEnd {
        started: begun,
        finished: Utc::now(),
        ending: Ending::Complete,
        failed_outputs: Vec::new(),
    };
    let exposition = exporter::exposition(vec![result], &end, as_of);
    let body = metrics::probe(&exposition, success, took);
    ([(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response()
}

fn bad_request(reason: String) -> Response {
    (StatusCode::BAD_REQUEST, format!("{reason}\n")).into_response()
}
