//! A standalone mock of busy registries on 127.0.0.1, for trying
//! `domlife check` on large lists by hand: several RDAP hosts (one port
//! each) and optionally a WHOIS host, each enforcing its own rate limit
//! (RDAP: 429 with Retry-After; WHOIS: hang-up), answering after a latency
//! with jitter, with a record generated for any name.
//!
//! ```text
//! cargo run --release --example mock_registry -- --rdap-hosts 2 --rate 10 \
//!     --latency-ms 100 --jitter-ms 50 --whois --whois-rate 2
//! ```
//!
//! It prints the bootstrap file it wrote and the flags `domlife check`
//! needs to reach it, then serves until Ctrl-C.

#[path = "../tests/support/mod.rs"]
pub mod support;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use support::bulk_world::{BulkWorld, HostPlan, WHOIS_TLD, WorldPlan};

/// Mock RDAP and WHOIS registries answering generated records, on 127.0.0.1.
#[derive(Debug, Parser)]
struct Args {
    /// RDAP hosts to start (1 to 4); each serves two TLDs.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=4))]
    rdap_hosts: u8,
    /// Each RDAP host's limit in requests a second (0: no limit).
    #[arg(long, default_value_t = 10.0)]
    rate: f64,
    /// Requests a host accepts back to back before limiting.
    #[arg(long, default_value_t = 2)]
    burst: u32,
    /// Base latency of every accepted answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Up to this many milliseconds added at random to the latency.
    #[arg(long, default_value_t = 0)]
    jitter_ms: u64,
    /// Also start a WHOIS host (for the .co TLD).
    #[arg(long)]
    whois: bool,
    /// The WHOIS host's limit in queries a second (0: no limit).
    #[arg(long, default_value_t = 2.0)]
    whois_rate: f64,
}

fn limit(rate: f64) -> Option<f64> {
    (rate.is_finite() && rate > 0.0).then_some(rate)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match serve(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mock_registry: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> std::io::Result<()> {
    let host = HostPlan {
        rate: limit(args.rate),
        weight: 1,
    };
    let plan = WorldPlan {
        rdap: vec![host; usize::from(args.rdap_hosts)],
        whois: args.whois.then_some(HostPlan {
            rate: limit(args.whois_rate),
            weight: 1,
        }),
        latency: Duration::from_millis(args.latency_ms),
        jitter: Duration::from_millis(args.jitter_ms),
        burst: args.burst,
    };
    let world = BulkWorld::start(plan).await?;
    let dir = std::env::temp_dir().join(format!("domlife-mock-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let bootstrap = dir.join("dns.json");
    std::fs::write(&bootstrap, world.bootstrap_json())?;

    println!("bootstrap file: {}", bootstrap.display());
    for mock in &world.rdap {
        let service = mock.bootstrap_service();
        let tlds: Vec<&str> = service[0]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(serde_json::Value::as_str)
            .collect();
        println!("RDAP host {} (for .{})", mock.base_url(), tlds.join(", ."));
    }
    if let Some(whois) = &world.whois {
        println!("WHOIS host {} (for .{WHOIS_TLD})", whois.address());
    }
    let mut flags = vec![
        "--allow-loopback".to_owned(),
        "--bootstrap".to_owned(),
        bootstrap.display().to_string(),
    ];
    flags.extend(world.whois_flags());
    let limited: Vec<String> = world
        .hosts()
        .into_iter()
        .filter_map(|(host, plan)| plan.rate.map(|rate| format!("--rate {host}={rate}/s")))
        .collect();
    println!("flags: {}", flags.join(" "));
    println!(
        "rate flags (the servers' exact limits): {}",
        limited.join(" ")
    );
    println!("any name under these TLDs gets a generated record");
    println!("serving until Ctrl-C");

    tokio::signal::ctrl_c().await?;
    let refused = world.refused();
    println!(
        "stopping: {} requests served, {refused} refused over the limits",
        world.requests()
    );
    std::fs::remove_dir_all(&dir)
}
