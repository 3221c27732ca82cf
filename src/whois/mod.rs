//! Port-43 WHOIS (RFC 3912): for TLDs whose registry has no RDAP service.
//!
//! - [`servers`]: the built-in table of servers and their query dialects;
//! - [`overrides`]: `--whois-server KEY=HOST[:PORT]`;
//! - [`client`]: server choice (override, table, IANA `refer:`), the TCP
//!   exchange with deadlines and a size cap, and the registrar referral;
//! - [`extract`]: the two lines server choice reads from WHOIS text;
//! - [`address`], [`error`]: the server address and error types;
//! - `parse`: reading the text into a [`Record`](crate::record::Record). WHOIS text has no
//!   standard; [`parse_whois`] reads the shapes registries actually use and
//!   is the reader's only entry point: a generic `key: value` reader that
//!   knows headings, indented blocks and RPSL objects, one synonym table for
//!   field names, and per-registry conventions (day/month order, the zone of
//!   zone-less times, charset, status words) chosen by the answering server,
//!   else by the TLD.
//!
//! The client hands back raw bytes; reading them is the parser's job.

pub mod address;
pub mod client;
pub mod error;
pub mod extract;
pub mod overrides;
pub mod servers;

pub use address::{AddressError, ServerAddress, WHOIS_PORT};
pub use client::{
    ChosenBy, Referral, WhoisAnswer, WhoisClient, WhoisConfig, WhoisLookup, WhoisTarget,
};
pub use error::WhoisError;
pub use extract::{iana_refer, referral_server};
pub use overrides::{OverrideError, OverrideKey, ServerOverride, ServerOverrides};
pub use parse::KnownRegistry;
pub use servers::{QueryTemplate, ServerSpec, ServerTable, TableError};

mod parse;

pub use parse::{
    WhoisParseError, WhoisQuery, WhoisRead, known_registries, map_status_words, parse_whois,
    read_whois,
};
