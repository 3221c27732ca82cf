//! Tests of the audit (`domlife::reconcile`): one rstest table per code on
//! records built by hand (`date_rules`, `status_rules`), a gTLD name walked
//! through its whole lifecycle (`scenario`), every real RDAP capture in
//! fixtures/rdap/ with no false alarm (`fixtures`), and the WHOIS captures
//! with lifecycle statuses classified in their phase (`whois_captures`).
//! One test binary; the record builders are in `build`.

mod build;
mod date_rules;
mod fixtures;
mod properties;
mod scenario;
mod status_rules;
mod whois_captures;
