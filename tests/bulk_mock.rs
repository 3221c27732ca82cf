//! The generated-data mock world behind the standalone mock and the bulk
//! benchmark: `domlife check` on generated names across two RDAP hosts and
//! a WHOIS host gets a checked result for every name, with the generated
//! expiry; and the generator itself is deterministic and spread.

pub mod support;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;
use support::bulk_world::{BulkWorld, HostPlan, WorldPlan};
use support::generated::{Generated, queried_name};
use support::run;
use tempfile::TempDir;

fn plan() -> WorldPlan {
    let host = HostPlan {
        rate: None,
        weight: 2,
    };
    WorldPlan {
        rdap: vec![host, host],
        whois: Some(HostPlan {
            rate: None,
            weight: 1,
        }),
        latency: Duration::from_millis(1),
        jitter: Duration::from_millis(2),
        burst: 1,
    }
}

#[tokio::test]
async fn every_generated_name_is_checked_with_its_generated_expiry() {
    let world = BulkWorld::start(plan()).await.expect("mock world starts");
    let names = world.names(50);
    let dir = TempDir::new().expect("temp dir");
    let check = world
        .check_args(dir.path(), &names)
        .expect("writes the bootstrap and the list");

    let mut command = Command::cargo_bin("domlife").expect("binary builds");
    command
        .env("DOMLIFE_CACHE_DIR", dir.path())
        .args(check)
        .args(["--timeout", "5"])
        .args(world.rate_flags(1000.0));
    let assert = run(command).await;
    let output = assert.get_output();
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "exit status {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );

    let stdout = String::from_utf8_lossy(&output.stdout);
    let results: HashMap<String, Value> = stdout
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("each line is JSON");
            let domain = value["domain"].as_str().unwrap_or_default().to_owned();
            (domain, value)
        })
        .collect();
    assert_eq!(results.len(), 50);
    for (_, name) in &names {
        let result = &results[name.as_str()];
        assert_eq!(result["outcome"], "checked", "{name}: {result}");
        let expires = Generated::for_name(name)
            .expires
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string();
        let record = &result["record"];
        let read = [&record["expires"], &record["registrar_expires"]];
        assert!(
            read.iter()
                .any(|date| date.as_str() == Some(expires.as_str())),
            "{name}: expiry {expires} in {record}"
        );
    }
    // Both RDAP hosts and the WHOIS host answered their share.
    assert!(world.rdap.iter().all(|mock| mock.requests().len() >= 10));
    let whois = world.whois.as_ref().expect("WHOIS host");
    assert!(whois.received().len() >= 5);
}

#[test]
fn a_name_always_gets_the_same_record() {
    assert_eq!(
        Generated::for_name("Example.COM."),
        Generated::for_name("example.com")
    );
    assert_ne!(
        Generated::for_name("example.com"),
        Generated::for_name("example.net")
    );
}

#[test]
fn generated_records_are_consistent_and_spread() {
    let records: Vec<Generated> = (0..200)
        .map(|index| Generated::for_name(&format!("name{index}.com")))
        .collect();
    assert!(
        records
            .iter()
            .all(|record| record.registered < record.expires)
    );
    let expiries: HashSet<_> = records.iter().map(|record| record.expires).collect();
    assert!(
        expiries.len() > 150,
        "distinct expiries: {}",
        expiries.len()
    );
    let registrars: HashSet<_> = records.iter().map(|record| record.registrar).collect();
    assert_eq!(registrars.len(), 4);
}

#[test]
fn the_rdap_object_spells_statuses_with_spaces() {
    let record = Generated::for_name("example.com");
    let json: Value = serde_json::from_str(&record.rdap_json()).expect("RDAP JSON");
    assert_eq!(json["ldhName"], "example.com");
    assert_eq!(json["status"][0], "client transfer prohibited");
}

#[test]
fn the_queried_name_is_the_last_word() {
    assert_eq!(queried_name("-T dn,ace example.de\r\n"), "example.de");
    assert_eq!(queried_name("example.com"), "example.com");
}

#[tokio::test]
async fn names_are_shared_out_by_weight() {
    let world = BulkWorld::start(plan()).await.expect("mock world starts");
    let names = world.names(500);
    let mut per_host = [0_usize; 3];
    for (host, _) in &names {
        per_host[*host] += 1;
    }
    assert_eq!(per_host, [200, 200, 100]);
    let distinct: HashSet<_> = names.iter().map(|(_, name)| name).collect();
    assert_eq!(distinct.len(), 500);
}
