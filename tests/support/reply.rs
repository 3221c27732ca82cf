//! What the mock registry answers for one name: a body, or an injected
//! fault. Rendering to an HTTP response lives here so the server module only
//! routes.

use std::io::Write;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use flate2::Compression;
use flate2::write::GzEncoder;
use futures::StreamExt;
use futures::future::BoxFuture;

/// One answer. `{base}` in bodies and locations becomes the mock's base URL
/// (no trailing slash), so fixtures can point back at the mock.
#[derive(Debug, Clone)]
pub enum Reply {
    /// 200 `application/rdap+json` with this body.
    Json(String),
    /// 200 with this body gzip-encoded (`Content-Encoding: gzip`).
    Gzip(String),
    /// 200 with these bytes as they are and this `Content-Type` (a charset, say).
    Labelled {
        body: Vec<u8>,
        content_type: &'static str,
    },
    /// 404 with an RDAP error object.
    NotFound,
    /// 429 with `Retry-After` set to this value verbatim (seconds or an HTTP date).
    RateLimited { retry_after: String },
    /// 500 with a short text body.
    ServerError,
    /// This status with a short text body and no other header (a 503, or
    /// a 429 without `Retry-After`).
    Status(u16),
    /// Waits `delay`, then answers `then`.
    Slow { delay: Duration, then: Box<Reply> },
    /// 200 with a body of `bytes` bytes; `declare_length: false` streams it
    /// in chunks without `Content-Length`, so only a streaming cap stops it.
    Oversized { bytes: usize, declare_length: bool },
    /// 200 with a truncated JSON body.
    InvalidJson,
    /// 200 whose body stops after `sent` bytes: the connection is cut.
    Reset { sent: usize },
    /// 200 whose body sends `sent` bytes, then stalls for `stall` before the rest.
    Stalled { sent: usize, stall: Duration },
    /// A redirect (`status` 301/302/307/308) to `location`.
    Redirect { status: u16, location: String },
}

impl Reply {
    /// A 200 answer from a file in `fixtures/rdap/`.
    pub fn fixture(name: &str) -> Reply {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/rdap")
            .join(name);
        match std::fs::read_to_string(&path) {
            Ok(body) => Reply::Json(body),
            Err(error) => panic!("fixture {}: {error}", path.display()),
        }
    }

    /// Builds the response, applying the mock's text replacements.
    pub(crate) fn render<'a>(&'a self, rewrites: &'a Rewrites) -> BoxFuture<'a, Response> {
        let rewrite = |text: &str| rewrites.apply(text);
        Box::pin(async move {
            match self {
                Reply::Json(body) => rdap_json(StatusCode::OK, rewrite(body)),
                Reply::Gzip(body) => {
                    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
                    let compressed = encoder
                        .write_all(rewrite(body).as_bytes())
                        .and_then(|()| encoder.finish());
                    match compressed {
                        Ok(bytes) => {
                            let mut response = rdap_json(StatusCode::OK, bytes);
                            response
                                .headers_mut()
                                .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                            response
                        }
                        Err(error) => {
                            (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response()
                        }
                    }
                }
                Reply::Labelled { body, content_type } => (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
                    body.clone(),
                )
                    .into_response(),
                Reply::NotFound => rdap_json(
                    StatusCode::NOT_FOUND,
                    r#"{"errorCode": 404, "title": "Not Found", "description": ["The object was not found."]}"#,
                ),
                Reply::RateLimited { retry_after } => {
                    let mut response = rdap_json(
                        StatusCode::TOO_MANY_REQUESTS,
                        r#"{"errorCode": 429, "title": "Too Many Requests"}"#,
                    );
                    if let Ok(value) = HeaderValue::from_str(retry_after) {
                        response.headers_mut().insert(header::RETRY_AFTER, value);
                    }
                    response
                }
                Reply::ServerError => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error\n\u{1b}[31mstack trace",
                )
                    .into_response(),
                Reply::Status(status) => (
                    StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    "try again later\n",
                )
                    .into_response(),
                Reply::Slow { delay, then } => {
                    tokio::time::sleep(*delay).await;
                    then.render(rewrites).await
                }
                Reply::Oversized {
                    bytes,
                    declare_length,
                } => oversized(*bytes, *declare_length),
                Reply::Reset { sent } => {
                    let chunks = [
                        Ok(vec![b' '; *sent]),
                        Err(std::io::Error::new(
                            std::io::ErrorKind::ConnectionReset,
                            "mock reset",
                        )),
                    ];
                    rdap_json(
                        StatusCode::OK,
                        Body::from_stream(futures::stream::iter(chunks)),
                    )
                }
                Reply::Stalled { sent, stall } => {
                    let stall = *stall;
                    let first = futures::stream::iter([Ok::<_, std::io::Error>(vec![b' '; *sent])]);
                    let rest = futures::stream::once(async move {
                        tokio::time::sleep(stall).await;
                        Ok(b"{}".to_vec())
                    });
                    rdap_json(StatusCode::OK, Body::from_stream(first.chain(rest)))
                }
                Reply::InvalidJson => rdap_json(
                    StatusCode::OK,
                    r#"{"objectClassName": "domain", "ldhName": "#,
                ),
                Reply::Redirect { status, location } => {
                    let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::FOUND);
                    match HeaderValue::from_str(&rewrite(location)) {
                        Ok(location) => (status, [(header::LOCATION, location)]).into_response(),
                        Err(error) => {
                            (StatusCode::INTERNAL_SERVER_ERROR, error.to_string()).into_response()
                        }
                    }
                }
            }
        })
    }
}

/// Text replacements applied to served bodies and locations.
#[derive(Debug, Clone, Default)]
pub struct Rewrites {
    /// The mock's base URL, without a trailing slash: replaces `{base}`.
    pub(crate) base: String,
    /// `(from, to)` pairs, applied in order after `{base}` is expanded in `to`.
    pub(crate) pairs: Vec<(String, String)>,
}

impl Rewrites {
    fn apply(&self, text: &str) -> String {
        let mut text = text.replace("{base}", &self.base);
        for (from, to) in &self.pairs {
            text = text.replace(from, &to.replace("{base}", &self.base));
        }
        text
    }
}

fn rdap_json(status: StatusCode, body: impl Into<Body>) -> Response {
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/rdap+json"),
        )],
        body.into(),
    )
        .into_response()
}

fn oversized(bytes: usize, declare_length: bool) -> Response {
    const CHUNK: usize = 64 * 1024;
    if declare_length {
        return rdap_json(StatusCode::OK, vec![b' '; bytes]);
    }
    let chunks = (0..bytes.div_ceil(CHUNK)).map(move |index| {
        let size = CHUNK.min(bytes - index * CHUNK);
        Ok::<_, std::io::Error>(vec![b' '; size])
    });
    rdap_json(
        StatusCode::OK,
        Body::from_stream(futures::stream::iter(chunks)),
    )
}
