//! The gate in front of the real RDAP and WHOIS clients, against mock hosts
//! on 127.0.0.1 that enforce their own rate limits (429 + `Retry-After`, or
//! a hang-up for WHOIS). Told the right rates, a run sends nothing the
//! servers refuse; told rates far too high, it still finishes every name,
//! the refusals absorbed by slowing down and waiting. No assertion depends
//! on how fast the machine is.

pub mod support;

use std::time::Duration;

use domlife::domain::{self, DomainName};
use domlife::fetch::{Gate, GateConfig, HostKey, RateOverride, RateTable};
use domlife::net::AddressPolicy;
use domlife::rdap::{Client, ClientConfig, Fetched};
use domlife::whois::{ServerOverrides, WhoisClient, WhoisConfig};
use futures::future::join_all;
use support::mock_whois::MockWhois;
use support::{MockConfig, MockRegistry, Reply};

fn rdap_client() -> Client {
    Client::new(ClientConfig {
        policy: AddressPolicy::LOCAL,
        timeout: Duration::from_secs(10),
        ..ClientConfig::default()
    })
    .expect("client builds")
}

fn gate_with_rates(rates: &[String]) -> Gate {
    let overrides: Vec<RateOverride> = rates
        .iter()
        .map(|rate| rate.parse().expect("valid override"))
        .collect();
    Gate::new(GateConfig {
        rates: RateTable::with_overrides(&overrides),
        ..GateConfig::default()
    })
}

/// A mock RDAP host limited to `per_second` (burst 3), with a little
/// latency, that knows `known.test` and nothing else.
async fn limited_registry(per_second: f64) -> MockRegistry {
    let config = MockConfig::new()
        .tld("test")
        .registry(
            "known.test",
            Reply::Json(r#"{"objectClassName":"domain"}"#.into()),
        )
        .rate_limit(per_second, 3)
        .latency(Duration::from_millis(2), Duration::from_millis(8));
    MockRegistry::start(config).await.expect("mock starts")
}

fn host_of(mock: &MockRegistry) -> HostKey {
    HostKey::rdap(&mock.registry_url("x.test")).expect("mock URL has a host")
}

/// Looks up `names` on `mock` through the gate, all at once; returns how
/// many answers were documents and how many 404s.
async fn run(
    gate: &Gate,
    client: &Client,
    mock: &MockRegistry,
    names: &[String],
) -> (usize, usize) {
    let host = host_of(mock);
    let lookups = names.iter().map(|name| {
        let url = mock.registry_url(name);
        let host = host.clone();
        async move { gate.call(&host, || client.fetch(&url)).await }
    });
    let mut counts = (0, 0);
    for outcome in join_all(lookups).await {
        match outcome {
            Ok(Fetched::Document(_)) => counts.0 += 1,
            Ok(Fetched::NotFound { .. }) => counts.1 += 1,
            Err(give_up) => panic!("gave up: {give_up}"),
        }
    }
    counts
}

/// `count` names: `known.test` and `count - 1` unknown ones.
fn names(prefix: &str, count: usize) -> Vec<String> {
    let mut names: Vec<String> = (1..count).map(|n| format!("{prefix}{n}.test")).collect();
    names.push("known.test".to_owned());
    names
}

#[tokio::test]
async fn at_the_servers_rates_two_hosts_see_no_429() {
    let fast = limited_registry(10.0).await;
    let slow = limited_registry(5.0).await;
    let gate = gate_with_rates(&[
        format!("{}=10/s", host_of(&fast).host()),
        format!("{}=5/s", host_of(&slow).host()),
    ]);
    let client = rdap_client();
    let (fast_names, slow_names) = (names("f", 20), names("s", 10));
    let (fast_done, slow_done) = tokio::join!(
        run(&gate, &client, &fast, &fast_names),
        run(&gate, &client, &slow, &slow_names)
    );
    assert_eq!((fast_done, slow_done), ((1, 19), (1, 9)));
    for (mock, count) in [(&fast, 20), (&slow, 10)] {
        let stats = mock.limit_stats();
        assert_eq!((stats.accepted, stats.refused), (count, 0));
    }
    for host in gate.snapshot() {
        assert_eq!(host.rate_limited, 0, "{}", host.host);
        assert_eq!((host.in_flight, host.waiting, host.backing_off), (0, 0, 0));
    }
}

#[tokio::test]
async fn far_too_fast_a_rate_still_finishes_every_name() {
    let mock = limited_registry(10.0).await;
    let gate = gate_with_rates(&[format!("{}=200/s", host_of(&mock).host())]);
    let names = names("n", 30);
    let done = run(&gate, &rdap_client(), &mock, &names).await;
    assert_eq!(done, (1, 29));
    let stats = mock.limit_stats();
    assert_eq!(stats.accepted, 30);
    assert!(stats.refused > 0, "the test never pushed past the limit");
    let host = &gate.snapshot()[0];
    assert_eq!(host.rate_limited, stats.refused);
    assert_eq!(host.sent, stats.accepted + stats.refused);
    assert!(host.rate.requests_per_second() < 200.0, "never slowed down");
}

#[tokio::test]
async fn a_whois_server_that_hangs_up_on_fast_clients_still_answers_every_name() {
    let server = MockWhois::builder().rate_limit(5.0, 2).start().await;
    let overrides = [server.override_for("de")];
    let client = WhoisClient::new(WhoisConfig {
        allow_loopback: true,
        overrides: ServerOverrides::parse_all(overrides.iter().map(String::as_str))
            .expect("valid override"),
        ..WhoisConfig::default()
    });
    let names: Vec<DomainName> = (1..=12)
        .map(|n| domain::normalize(&format!("w{n}.de")).expect("a name").name)
        .collect();
    let target = client.target_for(&names[0]).await.expect("override target");
    let host = HostKey::whois(&target.spec.address);
    let gate = gate_with_rates(&[format!("{}=100/s", host.host())]);
    let lookups = names.iter().map(|name| {
        let (gate, client, target, host) = (&gate, &client, &target, &host);
        async move { gate.call(host, || client.query(target, name)).await }
    });
    let outcomes = join_all(lookups).await;
    for outcome in &outcomes {
        match outcome {
            Ok(answer) => assert_eq!(answer.body, b"No match for domain.\r\n"),
            Err(give_up) => panic!("gave up: {give_up}"),
        }
    }
    let stats = server.limit_stats();
    assert_eq!(stats.accepted, 12);
    assert!(stats.refused > 0, "the test never pushed past the limit");
    assert_eq!(gate.snapshot()[0].rate_limited, stats.refused);
}
