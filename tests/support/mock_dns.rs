//! A mock recursive resolver on 127.0.0.1, over UDP and TCP on one port,
//! answering per name from scenarios ([`Zone`]): records, NXDOMAIN,
//! SERVFAIL, REFUSED, or silence (a server that never answers).
//!
//! Messages are read and written with hickory's own wire format
//! (`hickory_resolver::proto`, which domlife already depends on), so the
//! mock needs no server framework. A UDP answer larger than 1232 bytes is
//! sent truncated (TC set, no records), as a real server does, and the
//! client must ask again over TCP: that is how the oversized scenarios
//! reach the TCP side. Names nobody configured get NXDOMAIN, or with
//! [`MockDnsConfig::generated`] a zone made up from the name's generated
//! registry record (its nameservers, an address, mail), for bulk runs.
//!
//! Every question is logged (name, type, transport). The server stops when
//! the handle is dropped.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hickory_resolver::proto::op::{Message, ResponseCode};
use hickory_resolver::proto::rr::rdata::{A, MX, NS, SOA, TXT};
use hickory_resolver::proto::rr::{Name, RData, Record, RecordType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::task::JoinHandle;

use super::generated::Generated;

/// The largest UDP answer sent whole (the EDNS size DNS flag day 2020 set).
const UDP_LIMIT: usize = 1232;

/// What the mock answers for one name.
#[derive(Debug, Clone)]
pub enum Zone {
    /// NOERROR, with these records (TTL, data); a type with none is NODATA.
    Records(Vec<(u32, RData)>),
    NxDomain,
    ServFail,
    Refused,
    /// Never answers.
    Silent,
}

impl Zone {
    /// A served name: NS as given, SOA, an address, mail, SPF.
    pub fn served(nameservers: &[&str]) -> Zone {
        let mut records: Vec<(u32, RData)> = nameservers
            .iter()
            .map(|host| (3600, RData::NS(NS(name(host)))))
            .collect();
        records.extend([
            (
                3600,
                soa(nameservers.first().copied().unwrap_or("ns.invalid")),
            ),
            (300, RData::A(A(Ipv4Addr::new(192, 0, 2, 10)))),
            (7200, RData::MX(MX::new(10, name("mail.example.net")))),
            (300, txt("v=spf1 mx -all")),
        ]);
        Zone::Records(records)
    }

    /// The same zone with one more record.
    pub fn with(self, ttl: u32, data: RData) -> Zone {
        match self {
            Zone::Records(mut records) => {
                records.push((ttl, data));
                Zone::Records(records)
            }
            other => other,
        }
    }
}

/// A name from text; panics on a typo in a test.
pub fn name(text: &str) -> Name {
    let fqdn = format!("{}.", text.trim_end_matches('.'));
    Name::from_ascii(&fqdn).unwrap_or_else(|error| panic!("{text}: {error}"))
}

/// A TXT record of one string.
pub fn txt(text: &str) -> RData {
    RData::TXT(TXT::from_bytes(vec![text.as_bytes()]))
}

fn soa(primary: &str) -> RData {
    RData::SOA(SOA::new(
        name(primary),
        name("hostmaster.example.net"),
        2_025_060_101,
        3600,
        600,
        86_400,
        300,
    ))
}

/// What the mock serves.
#[derive(Debug, Clone, Default)]
pub struct MockDnsConfig {
    zones: HashMap<String, Zone>,
    latency: Duration,
    generated: bool,
}

impl MockDnsConfig {
    pub fn new() -> Self {
        MockDnsConfig::default()
    }

    /// The answer for `domain` (lower case, no trailing dot).
    pub fn zone(mut self, domain: &str, zone: Zone) -> Self {
        self.zones.insert(domain.to_ascii_lowercase(), zone);
        self
    }

    /// Every answer waits this long first.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Unknown names get a zone made up from their generated record.
    pub fn generated(mut self) -> Self {
        self.generated = true;
        self
    }

    fn zone_for(&self, domain: &str) -> Zone {
        if let Some(zone) = self.zones.get(domain) {
            return zone.clone();
        }
        if self.generated {
            let record = Generated::for_name(domain);
            let hosts: Vec<&str> = record.nameservers.iter().map(String::as_str).collect();
            return Zone::served(&hosts);
        }
        Zone::NxDomain
    }
}

/// One question the mock received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub name: String,
    pub kind: RecordType,
    pub tcp: bool,
}

/// The running mock.
pub struct MockDns {
    address: SocketAddr,
    questions: Arc<Mutex<Vec<Question>>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Drop for MockDns {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

impl MockDns {
    /// Starts the mock on 127.0.0.1, UDP and TCP on the same free port.
    pub async fn start(config: MockDnsConfig) -> std::io::Result<MockDns> {
        let (udp, tcp) = bind_pair().await?;
        let address = udp.local_addr()?;
        let questions = Arc::new(Mutex::new(Vec::new()));
        let config = Arc::new(config);
        let udp_task = tokio::spawn(serve_udp(Arc::new(udp), config.clone(), questions.clone()));
        let tcp_task = tokio::spawn(serve_tcp(tcp, config, questions.clone()));
        Ok(MockDns {
            address,
            questions,
            tasks: vec![udp_task, tcp_task],
        })
    }

    /// `127.0.0.1:PORT`, for `--dns-server`.
    pub fn server(&self) -> String {
        self.address.to_string()
    }

    /// Every question received so far.
    pub fn questions(&self) -> Vec<Question> {
        self.questions.lock().map(|q| q.clone()).unwrap_or_default()
    }
}

/// A UDP socket and a TCP listener on the same port (a few tries: the
/// port free for UDP may be taken for TCP).
async fn bind_pair() -> std::io::Result<(UdpSocket, TcpListener)> {
    let mut last = None;
    for _ in 0..20 {
        let udp = UdpSocket::bind("127.0.0.1:0").await?;
        match TcpListener::bind(udp.local_addr()?).await {
            Ok(tcp) => return Ok((udp, tcp)),
            Err(error) => last = Some(error),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no port")))
}

async fn serve_udp(socket: Arc<UdpSocket>, config: Arc<MockDnsConfig>, log: Log) {
    let mut buffer = vec![0_u8; 4096];
    loop {
        let Ok((length, peer)) = socket.recv_from(&mut buffer).await else {
            return;
        };
        let request = buffer[..length].to_vec();
        let (socket, config, log) = (socket.clone(), config.clone(), log.clone());
        tokio::spawn(async move {
            if let Some(mut reply) = answer(&request, &config, &log, false).await {
                if reply.len() > UDP_LIMIT {
                    reply = truncated(&request).unwrap_or_default();
                }
                let _ = socket.send_to(&reply, peer).await;
            }
        });
    }
}

async fn serve_tcp(listener: TcpListener, config: Arc<MockDnsConfig>, log: Log) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(serve_connection(stream, config.clone(), log.clone()));
    }
}

async fn serve_connection(mut stream: TcpStream, config: Arc<MockDnsConfig>, log: Log) {
    loop {
        let Ok(length) = stream.read_u16().await else {
            return;
        };
        let mut request = vec![0_u8; usize::from(length)];
        if stream.read_exact(&mut request).await.is_err() {
            return;
        }
        if let Some(reply) = answer(&request, &config, &log, true).await {
            let Ok(length) = u16::try_from(reply.len()) else {
                return;
            };
            if stream.write_u16(length).await.is_err() || stream.write_all(&reply).await.is_err() {
                return;
            }
        }
    }
}

type Log = Arc<Mutex<Vec<Question>>>;

/// The wire answer to a wire request; `None` to stay silent.
async fn answer(request: &[u8], config: &MockDnsConfig, log: &Log, tcp: bool) -> Option<Vec<u8>> {
    let request = Message::from_vec(request).ok()?;
    let query = request.queries.first()?.clone();
    let domain = query
        .name()
        .to_ascii()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if let Ok(mut questions) = log.lock() {
        questions.push(Question {
            name: domain.clone(),
            kind: query.query_type(),
            tcp,
        });
    }
    let zone = config.zone_for(&domain);
    if matches!(zone, Zone::Silent) {
        return None;
    }
    if !config.latency.is_zero() {
        tokio::time::sleep(config.latency).await;
    }
    let mut reply = Message::response(request.metadata.id, request.metadata.op_code);
    reply.metadata.recursion_desired = request.metadata.recursion_desired;
    reply.metadata.recursion_available = true;
    reply.add_query(query.clone());
    match zone {
        Zone::Records(records) => {
            for (ttl, data) in records {
                if data.record_type() == query.query_type() {
                    reply.add_answer(Record::from_rdata(query.name().clone(), ttl, data));
                }
            }
        }
        Zone::NxDomain => reply.metadata.response_code = ResponseCode::NXDomain,
        Zone::ServFail => reply.metadata.response_code = ResponseCode::ServFail,
        Zone::Refused => reply.metadata.response_code = ResponseCode::Refused,
        Zone::Silent => return None,
    }
    reply.to_vec().ok()
}

/// The answer a server sends when the whole one does not fit in UDP: the
/// question, TC set, no records.
fn truncated(request: &[u8]) -> Option<Vec<u8>> {
    let request = Message::from_vec(request).ok()?;
    let mut reply = Message::response(request.metadata.id, request.metadata.op_code);
    reply.metadata.truncation = true;
    reply.metadata.recursion_available = true;
    if let Some(query) = request.queries.first() {
        reply.add_query(query.clone());
    }
    reply.to_vec().ok()
}
