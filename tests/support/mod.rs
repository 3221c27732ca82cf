//! Helpers shared by the integration tests: mock registry servers on 127.0.0.1.

pub mod mock_whois;
