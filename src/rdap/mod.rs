//! RDAP (RFC 9082, RFC 9083): reading domain responses into a
//! [`crate::record::Record`].
//!
//! The reading side does no I/O: [`model`] is the lenient wire model,
//! [`parse`] turns a response body into a record, [`merge`] folds the
//! sponsoring registrar's answer into the registry's. Dates and jCards have
//! their own small readers ([`date`], [`jcard`]).

pub mod date;
pub mod jcard;
mod lenient;
mod links;
pub mod merge;
pub mod model;
pub mod parse;
mod text;

pub use merge::merge_registrar;
pub use parse::{ParsedDomain, RdapParseError, parse_domain};
