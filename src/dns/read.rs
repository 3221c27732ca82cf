//! The resolver's answer to one question read into a [`DnsAnswer`]: the
//! records of the asked type in presentation form, or the typed outcome of
//! a failure (NXDOMAIN, NODATA, SERVFAIL, REFUSED, timeout, error).
//!
//! No I/O: it takes what hickory-resolver returned, so every outcome is
//! tested here without a server. Only records of the asked type are kept
//! (an A question answered through a CNAME carries the CNAME too; `dig`
//! shows it, the audit needs the addresses).

use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData, Record, RecordType};

use super::answer::{DnsAnswer, DnsRecord, Outcome, RecordKind, normalise_host};
use super::caps::{self, MAX_ERROR_CHARS};

/// hickory's type for `kind`.
pub fn record_type(kind: RecordKind) -> RecordType {
    match kind {
        RecordKind::Ns => RecordType::NS,
        RecordKind::Soa => RecordType::SOA,
        RecordKind::A => RecordType::A,
        RecordKind::Aaaa => RecordType::AAAA,
        RecordKind::Mx => RecordType::MX,
        RecordKind::Txt => RecordType::TXT,
    }
}

/// The answer to `kind` from the records the resolver returned; `notes`
/// gets what the caps dropped.
pub fn answered(kind: RecordKind, records: &[Record], notes: &mut Vec<String>) -> DnsAnswer {
    let wanted = record_type(kind);
    let kept: Vec<DnsRecord> = records
        .iter()
        .filter(|record| record.record_type() == wanted)
        .filter_map(|record| {
            presentation(&record.data).map(|data| DnsRecord {
                ttl: record.ttl,
                data,
            })
        })
        .collect();
    let mut answer = DnsAnswer::empty(
        kind,
        if kept.is_empty() {
            Outcome::NoData
        } else {
            Outcome::Answered
        },
    );
    caps::capped_records(&mut answer, kept, notes);
    answer
}

/// The answer to `kind` when the resolver returned an error.
pub fn failed(kind: RecordKind, error: &NetError) -> DnsAnswer {
    let outcome = match error {
        NetError::Dns(DnsError::NoRecordsFound(none)) => match none.response_code {
            ResponseCode::NXDomain => Outcome::NxDomain,
            ResponseCode::NoError => Outcome::NoData,
            _ => Outcome::Error,
        },
        NetError::Dns(DnsError::ResponseCode(ResponseCode::ServFail)) => Outcome::ServFail,
        NetError::Dns(DnsError::ResponseCode(ResponseCode::Refused)) => Outcome::Refused,
        NetError::Timeout => Outcome::Timeout,
        NetError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Outcome::Timeout,
        _ => Outcome::Error,
    };
    let mut answer = DnsAnswer::empty(kind, outcome);
    if outcome == Outcome::Error {
        answer.error = Some(caps::cap_text(&error.to_string(), MAX_ERROR_CHARS).0);
    }
    answer
}

/// The answer to `kind` when no answer came within the deadline.
pub fn timed_out(kind: RecordKind) -> DnsAnswer {
    DnsAnswer::empty(kind, Outcome::Timeout)
}

/// The data of a record as `dig` prints it, host names lower case and
/// without their trailing dot; `None` for a type domlife does not ask.
fn presentation(data: &RData) -> Option<String> {
    Some(match data {
        RData::A(address) => address.0.to_string(),
        RData::AAAA(address) => address.0.to_string(),
        RData::NS(name) => host(&name.0),
        RData::MX(mx) => format!("{} {}", mx.preference, host(&mx.exchange)),
        RData::TXT(txt) => txt
            .txt_data
            .iter()
            .map(|part| String::from_utf8_lossy(part))
            .collect(),
        RData::SOA(soa) => format!(
            "{} {} {} {} {} {} {}",
            host(&soa.mname),
            host(&soa.rname),
            soa.serial,
            soa.refresh,
            soa.retry,
            soa.expire,
            soa.minimum
        ),
        _ => return None,
    })
}

fn host(name: &Name) -> String {
    normalise_host(&name.to_ascii())
}

#[cfg(test)]
mod tests;
