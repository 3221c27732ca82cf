//! Throughput of reading registry answers: parse and normalise every
//! captured RDAP response in fixtures/rdap/ and every WHOIS answer in
//! fixtures/whois/ into a Record, as a bulk audit does for each answer.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use domlife::rdap::parse_domain;
use domlife::record::{Protocol, Role, Source};
use domlife::whois::{WhoisQuery, parse_whois};

/// The answers in `fixtures/<kind>/` ending in `extension` (not the
/// `.expect.json` files), with their paths, in name order.
fn answers(kind: &str, extension: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(kind);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect()
        })
        .unwrap_or_default();
    paths.retain(|path| {
        let name = path.to_string_lossy();
        name.ends_with(extension) && !name.ends_with(".expect.json")
    });
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| std::fs::read(&path).ok().map(|body| (path, body)))
        .collect()
}

/// The question a WHOIS answer was the answer to, from its `.expect.json`
/// (domain, server), as the corpus test reads it.
fn whois_query(path: &Path) -> WhoisQuery {
    let expect: serde_json::Value = std::fs::read(path.with_extension("expect.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let domain = expect["domain"].as_str().unwrap_or(&stem).to_owned();
    let server = expect["server"].as_str().map(str::to_owned).or_else(|| {
        stem.strip_prefix("weppos__")
            .and_then(|rest| rest.split_once('_'))
            .map(|(server, _)| server.to_owned())
    });
    WhoisQuery::new(&domain, server.as_deref())
}

fn parse_rdap(criterion: &mut Criterion) {
    let bodies = answers("rdap", ".json");
    assert!(!bodies.is_empty(), "no RDAP fixtures found");
    let bytes: usize = bodies.iter().map(|(_, body)| body.len()).sum();
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
            for (_, body) in &bodies {
                let parsed = parse_domain(black_box(body), source.clone());
                black_box(parsed.is_ok());
            }
        })
    });
    group.finish();
}

fn parse_whois_answers(criterion: &mut Criterion) {
    let answers: Vec<(WhoisQuery, Vec<u8>)> = answers("whois", ".txt")
        .into_iter()
        .map(|(path, body)| (whois_query(&path), body))
        .collect();
    assert!(!answers.is_empty(), "no WHOIS fixtures found");
    let bytes: usize = answers.iter().map(|(_, body)| body.len()).sum();
    let mut group = criterion.benchmark_group("whois");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(format!("parse_{}_answers", answers.len()), |bench| {
        bench.iter(|| {
            for (query, body) in &answers {
                let parsed = parse_whois(query, black_box(body));
                black_box(parsed.is_ok());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, parse_rdap, parse_whois_answers);
criterion_main!(benches);
