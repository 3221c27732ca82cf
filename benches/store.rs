//! Cost of the store on a lookup's path, on a file store (WAL,
//! `synchronous=NORMAL`) with a real registry answer as the body: the
//! cache consult that misses and the `put` that follows, a consult that
//! hits, and recording one result in the history. These bound how many
//! names per second the single store connection can serve.

use std::hint::black_box;
use std::path::Path;
use std::sync::LazyLock;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use domlife::domain::DomainName;
use domlife::record::{Protocol, Role};
use domlife::store::{CacheDecision, CacheKey, CachePolicy, Outcome, Response, Store};
use serde_json::json;

/// One name for every key, built once: keys differ by their server URL, and
/// validating a name per iteration would be measured with the store.
static NAME: LazyLock<DomainName> = LazyLock::new(|| {
    domlife::domain::normalize("example.com")
        .unwrap_or_else(|error| panic!("bench name: {error}"))
        .name
});

fn key(n: u64) -> CacheKey {
    CacheKey {
        protocol: Protocol::Rdap,
        role: Role::Registry,
        server: format!("https://rdap.example/domain/name-{n}.com"),
        domain: NAME.clone(),
    }
}

fn store_costs(criterion: &mut Criterion) {
    let body = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/rdap/whoisit-recorded__verisign_google.com.json"),
    )
    .unwrap_or_else(|error| panic!("bench fixture: {error}"));
    let response = Response {
        outcome: Outcome::Found,
        http_status: Some(200),
        body,
    };
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("tempdir: {error}"));
    let store = Store::open(&directory.path().join("bench.sqlite3"))
        .unwrap_or_else(|error| panic!("open: {error}"));
    let policy = CachePolicy::default();
    let start = Utc
        .with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .unwrap_or_else(|| panic!("valid date"));

    let mut group = criterion.benchmark_group("store");
    group.throughput(Throughput::Elements(1));

    let mut next = 0u64;
    group.bench_function("miss_then_put", |bencher| {
        bencher.iter(|| {
            next += 1;
            let key = key(next);
            let decision = policy.consult(&store, &key, start);
            assert!(matches!(decision, Ok(CacheDecision::Fetch)));
            store
                .put(&key, black_box(&response), start)
                .unwrap_or_else(|error| panic!("put: {error}"));
        });
    });

    // What the bulk engine does: many lookups storing answers at once.
    const THREADS: u64 = 8;
    const PUTS_PER_THREAD: u64 = 100;
    group.throughput(Throughput::Elements(THREADS * PUTS_PER_THREAD));
    let mut round = 0u64;
    group.bench_function("put_from_8_threads", |bencher| {
        bencher.iter(|| {
            round += 1;
            std::thread::scope(|scope| {
                for thread in 0..THREADS {
                    let (store, response) = (&store, &response);
                    scope.spawn(move || {
                        for n in 0..PUTS_PER_THREAD {
                            let id = 1_000_000_000 + round * 1_000_000 + thread * 1_000 + n;
                            store
                                .put(&key(id), response, start)
                                .unwrap_or_else(|error| panic!("put: {error}"));
                        }
                    });
                }
            });
        });
    });
    group.throughput(Throughput::Elements(1));

    let stored = next.max(1);
    let mut probe = 0u64;
    group.bench_function("hit", |bencher| {
        bencher.iter(|| {
            probe = probe % stored + 1;
            let decision = policy.consult(&store, &key(probe), start + TimeDelta::minutes(1));
            black_box(decision).unwrap_or_else(|error| panic!("consult: {error}"))
        });
    });

    let run = store
        .begin_run("bench", start)
        .unwrap_or_else(|error| panic!("begin_run: {error}"));
    let record = json!({"domain": "example.com", "registered": true, "statuses": ["active"],
                        "nameservers": ["ns1.example.net", "ns2.example.net"]});
    let findings = json!([{"kind": "expiring", "severity": "warning", "days": 12}]);
    let mut recorded = 0u64;
    group.bench_function("record_result", |bencher| {
        bencher.iter(|| {
            recorded += 1;
            store
                .record_result(
                    run,
                    &format!("name-{recorded}.com"),
                    &record,
                    &findings,
                    start,
                )
                .unwrap_or_else(|error| panic!("record_result: {error}"));
        });
    });
    group.finish();
}

criterion_group!(benches, store_costs);
criterion_main!(benches);
