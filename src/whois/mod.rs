//! Port-43 WHOIS (RFC 3912): for TLDs whose registry has no RDAP service.
//!
//! - [`servers`]: the built-in table of servers and their query dialects;
//! - [`overrides`]: `--whois-server KEY=HOST[:PORT]`;
//! - [`client`]: server choice (override, table, IANA `refer:`), the TCP
//!   exchange with deadlines and a size cap, and the registrar referral;
//! - [`extract`]: the two lines server choice reads from WHOIS text;
//! - [`address`], [`error`]: the server address and error types.
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
    check_query_name,
};
pub use error::WhoisError;
pub use extract::{iana_refer, referral_server};
pub use overrides::{OverrideError, OverrideKey, ServerOverride, ServerOverrides};
pub use servers::{QueryTemplate, ServerSpec, ServerTable, TableError};
