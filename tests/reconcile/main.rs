//! Tests of the audit (`domlife::reconcile`) on records built by hand, on a
//! gTLD name walked through its whole lifecycle, and on every real captured
//! response in fixtures/rdap/ (no false alarms). One test binary; the
//! record builders are in `build`.

mod build;
mod fixtures;
mod rules;
mod scenario;
mod whois_captures;
