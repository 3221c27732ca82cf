//! A port-43 WHOIS server for tests: listens on 127.0.0.1:0, answers each
//! query line with configured bytes, records every line it received (CRLF
//! included, so tests can assert the exact query form) and can misbehave on
//! purpose: answer late, answer without end, hang up, or print a quota notice.
//!
//! Start it with [`MockWhois::builder`]; it stops when dropped or [`MockWhois::stop`]ped,
//! and every connection it serves stops with it. With
//! [`MockWhoisBuilder::rate_limit`] it hangs up without a byte on a client
//! that asks too fast, as quota-driven registries do.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

use super::generated::{Generated, queried_name};
use super::limit::{LimitSpec, LimitStats, ServerLimit, jittered};

/// What the server does with one query.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Sends these bytes and closes.
    Text(Vec<u8>),
    /// Waits, then sends the bytes and closes (a slow server).
    Delayed { after: Duration, body: Vec<u8> },
    /// Sends filler lines until the client hangs up (an endless answer).
    Endless,
    /// Closes the connection without sending a byte.
    Close,
    /// A registry's text quota notice (DENIC's wording), then closes.
    QuotaNotice,
    /// A record generated for the queried name ([`Generated`]), then closes.
    Generated,
    /// Sends these bytes one at a time, `every` apart, then closes.
    Drip { body: Vec<u8>, every: Duration },
    /// Sends these bytes and never closes (until the client hangs up or
    /// the server stops).
    NeverCloses(Vec<u8>),
}

/// A quota notice in the form DENIC prints one (written from memory, not a capture).
pub const QUOTA_NOTICE: &[u8] =
    b"% Error: 55000000002 Connection refused; access control limit reached.\r\n";

/// Reads a fixture from `fixtures/whois/`.
pub fn whois_fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/whois")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("fixture {}: {error}", path.display()))
}

/// How the server answers: per query line (CRLF stripped), else a fallback.
#[derive(Debug, Clone)]
pub struct MockWhoisBuilder {
    replies: HashMap<String, Reply>,
    fallback: Reply,
    limit: Option<LimitSpec>,
    latency: Option<(Duration, Duration)>,
}

impl MockWhoisBuilder {
    /// Answers `query` (the line without its CRLF, e.g. `-T dn,ace example.de`) with `reply`.
    pub fn reply(mut self, query: &str, reply: Reply) -> Self {
        self.replies.insert(query.to_owned(), reply);
        self
    }

    /// Answers every other query with `reply` (default: a "no match" line).
    pub fn otherwise(mut self, reply: Reply) -> Self {
        self.fallback = reply;
        self
    }

    /// Accepts `per_second` queries a second (forgiving `burst` back to
    /// back) and closes the connection without answering any query over it.
    pub fn rate_limit(mut self, per_second: f64, burst: u32) -> Self {
        self.limit = Some(LimitSpec { per_second, burst });
        self
    }

    /// Delays every accepted answer by `base` plus a uniform pick up to `jitter`.
    pub fn latency(mut self, base: Duration, jitter: Duration) -> Self {
        self.latency = Some((base, jitter));
        self
    }

    /// Binds 127.0.0.1:0 and starts serving.
    pub async fn start(self) -> MockWhois {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let address = listener.local_addr().expect("local address");
        let received = Arc::new(Mutex::new(Vec::new()));
        let limit = self.limit.map(|spec| Arc::new(ServerLimit::new(spec)));
        let config = Arc::new(self);
        let log = Arc::clone(&received);
        let server_limit = limit.clone();
        let accept_loop = tokio::spawn(async move {
            // Dropping the set (when the loop is aborted) aborts every connection.
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                connections.spawn(serve(
                    stream,
                    Arc::clone(&config),
                    Arc::clone(&log),
                    server_limit.clone(),
                ));
            }
        });
        MockWhois {
            address,
            received,
            limit,
            accept_loop: Some(accept_loop),
        }
    }
}

/// A running mock server.
#[derive(Debug)]
pub struct MockWhois {
    address: SocketAddr,
    received: Arc<Mutex<Vec<String>>>,
    limit: Option<Arc<ServerLimit>>,
    accept_loop: Option<JoinHandle<()>>,
}

impl MockWhois {
    pub fn builder() -> MockWhoisBuilder {
        MockWhoisBuilder {
            replies: HashMap::new(),
            fallback: Reply::Text(b"No match for domain.\r\n".to_vec()),
            limit: None,
            latency: None,
        }
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// A `--whois-server` value sending `key` (a TLD or a server host) here.
    pub fn override_for(&self, key: &str) -> String {
        format!("{key}={}", self.address)
    }

    /// Every query line received so far, in order, exactly as sent.
    pub fn received(&self) -> Vec<String> {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// What the rate limit accepted and refused (zeros without a limit).
    pub fn limit_stats(&self) -> LimitStats {
        self.limit
            .as_deref()
            .map(ServerLimit::stats)
            .unwrap_or_default()
    }

    /// Stops accepting and drops every open connection; when this returns the
    /// port is closed.
    pub async fn stop(mut self) {
        if let Some(accept_loop) = self.accept_loop.take() {
            accept_loop.abort();
            // Awaiting the cancelled task guarantees the listener is dropped.
            let _ = accept_loop.await;
        }
    }
}

impl Drop for MockWhois {
    fn drop(&mut self) {
        if let Some(accept_loop) = &self.accept_loop {
            accept_loop.abort();
        }
    }
}

async fn serve(
    mut stream: TcpStream,
    config: Arc<MockWhoisBuilder>,
    log: Arc<Mutex<Vec<String>>>,
    limit: Option<Arc<ServerLimit>>,
) {
    let Some(line) = read_query_line(&mut stream).await else {
        return;
    };
    log.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(line.clone());
    if limit.is_some_and(|limit| limit.admit().is_err()) {
        let _ = stream.shutdown().await;
        return;
    }
    if let Some((base, jitter)) = config.latency {
        tokio::time::sleep(jittered(base, jitter)).await;
    }
    let query = line.trim_end_matches(['\r', '\n']);
    let reply = config.replies.get(query).unwrap_or(&config.fallback);
    match reply {
        Reply::Text(body) => {
            let _ = stream.write_all(body).await;
        }
        Reply::Delayed { after, body } => {
            tokio::time::sleep(*after).await;
            let _ = stream.write_all(body).await;
        }
        Reply::Endless => {
            let filler = b"% filler line of an answer that never ends\r\n".repeat(64);
            while stream.write_all(&filler).await.is_ok() {}
        }
        Reply::Close => {}
        Reply::QuotaNotice => {
            let _ = stream.write_all(QUOTA_NOTICE).await;
        }
        Reply::Generated => {
            let text = Generated::for_name(queried_name(query)).whois_text();
            let _ = stream.write_all(text.as_bytes()).await;
        }
        Reply::Drip { body, every } => {
            for byte in body {
                if stream.write_all(&[*byte]).await.is_err() {
                    break;
                }
                tokio::time::sleep(*every).await;
            }
        }
        Reply::NeverCloses(body) => {
            let _ = stream.write_all(body).await;
            // Waits for the client to hang up: a read returns 0 or fails then.
            let mut sink = [0_u8; 64];
            while matches!(stream.read(&mut sink).await, Ok(1..)) {}
        }
    }
    let _ = stream.shutdown().await;
}

/// Reads up to and including the first LF (or to EOF, or 4 KiB).
async fn read_query_line(stream: &mut TcpStream) -> Option<String> {
    let mut line = Vec::new();
    let mut byte = [0_u8; 1];
    while line.len() < 4096 {
        match stream.read(&mut byte).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                line.push(byte[0]);
                if byte[0] == b'\n' {
                    break;
                }
            }
        }
    }
    (!line.is_empty()).then(|| String::from_utf8_lossy(&line).into_owned())
}
