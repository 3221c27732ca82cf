//! RDAP (RFC 9082/9083): finding the server for a name ([`bootstrap`], RFC
//! 9224) and fetching from it safely ([`client`]). Reading the responses
//! lives beside these in the model and parser modules.

pub mod bootstrap;
pub mod client;
pub mod error;
pub mod retry_after;

pub use client::{Client, ClientConfig, Conditional, Document, Fetched, Validators};
pub use error::FetchError;
