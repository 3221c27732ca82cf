//! Helpers shared by integration tests, examples and benchmarks: the mock
//! RDAP registry ([`MockRegistry`]) with the replies it can be told to give
//! ([`Reply`], faults included), and the mock WHOIS server
//! ([`mock_whois::MockWhois`], with its own reply type). Both can enforce a
//! rate limit ([`limit`]) the way a busy registry does. Also a ready world
//! of both for `check` tests ([`check_world::CheckWorld`]), and strict
//! readers of GitHub workflow commands ([`github_commands`]) and of
//! Prometheus sample lines ([`exposition`]) for the report tests. For bulk
//! runs, records generated for any name ([`generated`]) and a world of
//! several rate-limited hosts serving them ([`bulk_world`]). A mock
//! recursive DNS resolver for `--dns` ([`mock_dns`]).
//!
//! A webhook receiver for the notification tests ([`webhook`]) is shared
//! with the unit tests, like the two strict readers.
//!
//! Include with `pub mod support;` from a file in tests/ (public, because
//! each test crate uses a different part of it), or with
//! `#[path = "../tests/support/mod.rs"] pub mod support;` from examples.
//!
//! The two strict readers live in src/testutil/, where the writers' unit
//! tests use them too. Two files here are not part of this module, so that their unit tests run
//! once, in the one test binary that includes them by path: `whois_fixtures`
//! (the captures in fixtures/whois/ with their queries: tests/whois_corpus.rs,
//! tests/reconcile) and `capture_time` (when a capture was made:
//! tests/reconcile).

pub mod bulk_world;
pub mod check_world;
#[path = "../../src/testutil/exposition.rs"]
pub mod exposition;
pub mod generated;
#[path = "../../src/testutil/github_commands.rs"]
pub mod github_commands;
pub mod limit;
pub mod mock_dns;
pub mod mock_registry;
pub mod mock_whois;
pub mod reply;
#[path = "../../src/testutil/webhook.rs"]
pub mod webhook;

pub use mock_registry::{MockConfig, MockRegistry, combined_bootstrap};
pub use reply::Reply;

/// Runs the real binary off the async runtime, so that a mock started by the
/// same test keeps serving while the binary talks to it.
pub async fn run(command: assert_cmd::Command) -> assert_cmd::assert::Assert {
    let mut command = command;
    tokio::task::spawn_blocking(move || command.assert())
        .await
        .expect("command runs")
}
