//! DNS beside the registry: what recursive resolvers answer about a name
//! (NS, SOA, A, AAAA, MX, TXT), so the audit can set the registry's story
//! (what should be) against what DNS serves (what is).
//!
//! Layers, as in hickory itself: [`answer`] is the model (plain data, no
//! I/O, read by `crate::reconcile`'s DNS rules and the reports), [`caps`]
//! bounds what is kept of untrusted answers, `read` turns the resolver's
//! results into the model (no I/O either), [`config`] holds the settings
//! and checks `--dns-server` against `crate::net`'s address policy, and
//! [`client`] is the one part that talks to the network, through
//! hickory-resolver. The audit (`crate::audit`) asks after the registry
//! lookup, when the run's settings say so.

pub mod answer;
pub mod caps;
pub mod client;
pub mod config;
mod read;

pub use answer::{DnsAnswer, DnsRecord, DnsReport, Outcome, RecordKind};
pub use client::{DnsClient, DnsUnavailable};
pub use config::{BadDnsServer, DnsConfig, DnsServer, RefusedDnsServer};
