//! RDAP (RFC 9082, RFC 9083, RFC 9224): finding the server for a name
//! ([`bootstrap`]), fetching from it safely ([`client`]), and reading the
//! answer into a [`crate::record::Record`].
//!
//! The reading side does no I/O: [`model`] is the lenient wire model,
//! [`parse`] turns a response body into a record, [`merge`] folds the
//! sponsoring registrar's answer into the registry's. Dates and jCards have
//! their own small readers ([`date`], [`jcard`]).

pub mod bootstrap;
mod charset;
pub mod client;
pub mod date;
pub mod error;
pub mod jcard;
mod lenient;
mod links;
pub mod merge;
pub mod model;
pub mod parse;
pub mod retry_after;
mod text;

pub use client::{Client, ClientConfig, Conditional, Document, Fetched, Validators};
pub use error::FetchError;
pub use links::name_from_url;
pub use merge::merge_registrar;
pub use parse::{ParsedDomain, RdapParseError, parse_domain};
