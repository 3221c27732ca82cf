//! domlife: audit domain names against their registries.
//!
//! The crate follows the data flow of an audit, one module per stage:
//!
//! ```text
//! input -> domain -> (fetch) -> rdap | whois -> record -> lifecycle -> reconcile -> report
//! ```
//!
//! [`record`], [`status`] and [`lifecycle`] do no I/O; the lookup modules
//! fill a [`record::Record`]; nothing downstream of it knows which protocol
//! answered. The command-line front end lives in [`cli`]; `main.rs` only
//! calls it.

pub mod audit;
pub mod baseline;
pub mod changes;
pub mod cli;
pub mod dns;
pub mod domain;
pub mod escape;
pub mod fetch;
pub mod history;
pub mod input;
pub mod lifecycle;
pub mod lookup;
pub mod net;
pub mod notify;
pub mod rdap;
pub mod reconcile;
pub mod record;
pub mod report;
pub mod run;
pub mod serve;
pub mod status;
pub mod store;
pub mod whois;

#[cfg(test)]
pub(crate) mod testutil;
