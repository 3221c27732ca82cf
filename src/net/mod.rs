//! Network safety shared by every transport (RDAP over HTTPS, WHOIS over
//! TCP): which addresses may be reached ([`address`]) and name resolution
//! that enforces it ([`resolve`]). No protocol knowledge lives here.

pub mod address;
pub mod resolve;

pub use address::{AddressClass, AddressPolicy, Refusal, names_this_machine};
