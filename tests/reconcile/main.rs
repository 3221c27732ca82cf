//! Tests of the audit (`domlife::reconcile`): one rstest table per code on
//! records built by hand (`date_rules`, `status_rules`), a gTLD name walked
//! through its whole lifecycle (`scenario`) and a property over every legal
//! gTLD lifecycle (`properties`), every real RDAP capture in fixtures/rdap/
//! with no false alarm (`fixtures`), every WHOIS capture in fixtures/whois/
//! read by the real reader, audited as of its capture time with no false
//! alarm, and those with lifecycle statuses classified in their phase
//! (`whois_captures`), and names read from a CSV list (`input_items`). One
//! test binary; the record builders are in `build`, the capture helpers
//! (shared with tests/whois_corpus.rs) in ../support/.

#[path = "../support/capture_time.rs"]
pub mod capture_time;
#[path = "../support/whois_fixtures.rs"]
pub mod whois_fixtures;

mod build;
mod date_rules;
mod fixtures;
mod input_items;
mod properties;
mod scenario;
mod status_rules;
mod whois_captures;
