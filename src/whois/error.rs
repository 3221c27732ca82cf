//! [`WhoisError`]: everything that can go wrong asking a port-43 server, with
//! the evidence (which server, how many bytes had arrived) and the predicates
//! the scheduler uses to decide on retries and slowing down.

use std::io;
use std::net::IpAddr;
use std::time::Duration;

use super::address::ServerAddress;

/// A WHOIS query that produced no usable answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WhoisError {
    /// Neither the table, an override nor IANA names a WHOIS server for the
    /// TLD. Give one with `--whois-server TLD=HOST[:PORT]`, or use RDAP.
    #[error("no WHOIS server is known for .{tld} ({iana} names none)")]
    NoServer { tld: String, iana: ServerAddress },

    /// The server's host name did not resolve. Check the name (an override or
    /// a registrar referral may be misspelt) and the resolver.
    #[error("cannot resolve WHOIS server {server}: {message}")]
    Resolve {
        server: ServerAddress,
        message: String,
    },

    /// The server resolves to a loopback, private, link-local or otherwise
    /// non-public address, which is refused unless loopback targets are
    /// allowed (tests only).
    #[error(
        "refusing to connect to WHOIS server {server}: it resolves to the non-public address {address}"
    )]
    ForbiddenAddress {
        server: ServerAddress,
        address: IpAddr,
    },

    /// No TCP connection within the connect deadline. Retry later; raise the
    /// connect timeout for slow networks.
    #[error("no connection to WHOIS server {server} within {after:?}")]
    ConnectTimeout {
        server: ServerAddress,
        after: Duration,
    },

    /// The TCP connection failed (refused, reset, unreachable). Retryable when
    /// refused or reset; check the address when unreachable.
    #[error("cannot connect to WHOIS server {server}: {message}")]
    Connect {
        server: ServerAddress,
        kind: io::ErrorKind,
        message: String,
    },

    /// The answer did not end within the total deadline. Retry later; some
    /// servers slow down on purpose when they see many queries.
    #[error(
        "WHOIS server {server} did not finish answering within {after:?} ({bytes_read} bytes read)"
    )]
    Timeout {
        server: ServerAddress,
        after: Duration,
        bytes_read: usize,
    },

    /// Sending the query or reading the answer failed after connecting.
    /// Retryable when the peer reset or aborted the connection.
    #[error("WHOIS exchange with {server} failed after {bytes_read} bytes: {message}")]
    Io {
        server: ServerAddress,
        kind: io::ErrorKind,
        message: String,
        bytes_read: usize,
    },

    /// The server closed the connection without sending a byte, a common way
    /// for a registry to turn away a client over its quota. Slow down and retry.
    #[error("WHOIS server {server} closed the connection without answering")]
    EmptyAnswer { server: ServerAddress },

    /// The answer passed the size cap; reading stopped at the first read past
    /// it and the partial answer was discarded, since no registry answer is
    /// anywhere near that size and a cut answer could be misread. Not worth
    /// retrying.
    #[error(
        "WHOIS server {server} sent more than {limit} bytes ({bytes_read} read); answer discarded"
    )]
    TooLarge {
        server: ServerAddress,
        limit: usize,
        bytes_read: usize,
    },
}

impl WhoisError {
    /// Worth trying again later: deadlines, resets, refusals and silent hang-ups.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::ConnectTimeout { .. } | Self::Timeout { .. } | Self::EmptyAnswer { .. } => true,
            Self::Connect { kind, .. } => matches!(
                kind,
                io::ErrorKind::ConnectionRefused
                    | io::ErrorKind::ConnectionReset
                    | io::ErrorKind::ConnectionAborted
                    | io::ErrorKind::TimedOut
                    | io::ErrorKind::Interrupted
            ),
            Self::Io { kind, .. } => is_dropped_connection(*kind),
            Self::NoServer { .. }
            | Self::Resolve { .. }
            | Self::ForbiddenAddress { .. }
            | Self::TooLarge { .. } => false,
        }
    }

    /// The connection-level signs of a server refusing more queries from us: it
    /// hung up, or reset the connection, before sending a byte. (Quota
    /// messages written as text are the reader's to recognise.)
    pub fn is_rate_limited(&self) -> bool {
        match self {
            Self::EmptyAnswer { .. } => true,
            Self::Io {
                kind, bytes_read, ..
            } => *bytes_read == 0 && is_dropped_connection(*kind),
            _ => false,
        }
    }

    /// The server the error concerns (for [`WhoisError::NoServer`], IANA's).
    pub fn server(&self) -> &ServerAddress {
        match self {
            Self::NoServer { iana, .. } => iana,
            Self::Resolve { server, .. }
            | Self::ForbiddenAddress { server, .. }
            | Self::ConnectTimeout { server, .. }
            | Self::Connect { server, .. }
            | Self::Timeout { server, .. }
            | Self::Io { server, .. }
            | Self::EmptyAnswer { server }
            | Self::TooLarge { server, .. } => server,
        }
    }

    /// How many bytes of the answer had arrived when it failed.
    pub fn bytes_read(&self) -> usize {
        match self {
            Self::Timeout { bytes_read, .. }
            | Self::Io { bytes_read, .. }
            | Self::TooLarge { bytes_read, .. } => *bytes_read,
            _ => 0,
        }
    }
}

fn is_dropped_connection(kind: io::ErrorKind) -> bool {
    matches!(
        kind,
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn server() -> ServerAddress {
        ServerAddress::new("whois.example.net", 43).unwrap()
    }

    fn io(kind: io::ErrorKind, bytes_read: usize) -> WhoisError {
        WhoisError::Io {
            server: server(),
            kind,
            message: String::new(),
            bytes_read,
        }
    }

    #[rstest]
    #[case(WhoisError::EmptyAnswer { server: server() }, true, true)]
    #[case(io(io::ErrorKind::ConnectionReset, 0), true, true)]
    #[case(io(io::ErrorKind::ConnectionReset, 120), true, false)]
    #[case(io(io::ErrorKind::InvalidData, 0), false, false)]
    #[case(WhoisError::Timeout { server: server(), after: Duration::from_secs(1), bytes_read: 5 }, true, false)]
    #[case(WhoisError::ConnectTimeout { server: server(), after: Duration::from_secs(1) }, true, false)]
    #[case(WhoisError::Connect { server: server(), kind: io::ErrorKind::ConnectionRefused, message: String::new() }, true, false)]
    #[case(WhoisError::Connect { server: server(), kind: io::ErrorKind::HostUnreachable, message: String::new() }, false, false)]
    #[case(WhoisError::TooLarge { server: server(), limit: 10, bytes_read: 11 }, false, false)]
    fn classifies_errors(
        #[case] error: WhoisError,
        #[case] retryable: bool,
        #[case] rate_limited: bool,
    ) {
        assert_eq!(error.is_retryable(), retryable, "{error}");
        assert_eq!(error.is_rate_limited(), rate_limited, "{error}");
    }
}
