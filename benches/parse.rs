//! Throughput of reading RDAP domain responses: parse and normalise every
//! captured response in fixtures/rdap/ into a Record, as a bulk audit does
//! for each answer.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use domlife::rdap::parse_domain;
use domlife::record::{Protocol, Role, Source};

fn corpus() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rdap");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect()
        })
        .unwrap_or_default();
    paths.retain(|path| {
        let name = path.to_string_lossy();
        name.ends_with(".json") && !name.ends_with(".expect.json")
    });
    paths.sort();
    paths
        .iter()
        .filter_map(|path| std::fs::read(path).ok())
        .collect()
}

fn parse_corpus(criterion: &mut Criterion) {
    let bodies = corpus();
    assert!(!bodies.is_empty(), "no RDAP fixtures found");
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    let source = Source {
        protocol: Protocol::Rdap,
        server: Some("bench".into()),
        url: None,
        role: Role::Registry,
    };
    let mut group = criterion.benchmark_group("rdap");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(format!("parse_{}_responses", bodies.len()), |bench| {
        bench.iter(|| {
            for body in &bodies {
                let parsed = parse_domain(black_box(body), source.clone());
                black_box(parsed.is_ok());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, parse_corpus);
criterion_main!(benches);
