//! The bulk engine benchmark: the real `domlife check` binary on a list of
//! generated names against mock registry hosts started in-process, each
//! with its own rate limit. A plain driver (no criterion): one run per
//! scenario, since a run is seconds long and its figures are counts.
//!
//! Scenarios:
//! - `known`: 4 RDAP hosts limited to 50, 20, 10 and 5 req/s and a WHOIS
//!   host at 2 req/s, names shared out in proportion; domlife is told each
//!   limit (`--rate`). Expect no 429 and a makespan near the lower bound.
//! - `unknown`: the same hosts, domlife told nothing but `--discover-rate`:
//!   it must find the limits from 429s and still finish every name.
//! - `unlimited`: 2 RDAP hosts, no limit, no latency, high concurrency: the
//!   engine's own ceiling in names/s.
//! - `memory-10000`, `memory-50000`: as `unlimited` with that many names, for
//!   the child's peak RSS (it must not grow with N in ndjson).
//!
//! ```text
//! cargo bench --bench bulk                      # every scenario
//! cargo bench --bench bulk -- known unlimited   # some
//! ```
//!
//! Environment: `DOMLIFE_BENCH_N` (names for known/unknown/unlimited,
//! default 2000), `DOMLIFE_BENCH_MEMORY_N` (comma list, default
//! `10000,50000`), `DOMLIFE_BENCH_TIMEOUT_S` (a run is stopped after this,
//! default 60; its unfinished names count as lost), `DOMLIFE_BENCH_JSON`
//! (also append one JSON object per scenario to this file).
//!
//! `ratio` is makespan / lower bound, where the lower bound is the time the
//! server limits allow (the most over hosts of names for the host / its
//! rate); `peak_rss_kib` is the child's VmHWM, sampled every 10 ms.

#[path = "../tests/support/mod.rs"]
pub mod support;

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use support::bulk_world::{BulkWorld, HostPlan, WorldPlan};

/// The gate's rate for hosts without a server limit: the most `--rate`
/// takes, so the gate barely paces them.
const UNPACED: f64 = 10_000.0;

/// One scenario: the hosts to start and the flags that tell domlife about them.
struct Scenario {
    name: String,
    names: usize,
    plan: WorldPlan,
    flags: fn(&BulkWorld) -> Vec<String>,
}

/// What one run measured.
struct Figures {
    scenario: String,
    names: usize,
    results: usize,
    checked: usize,
    lost: usize,
    requests: u64,
    http_429: u64,
    makespan: Duration,
    lower_bound: Duration,
    peak_rss_kib: u64,
    timed_out: bool,
    exit_status: Option<i32>,
}

impl Figures {
    fn ratio(&self) -> Option<f64> {
        (!self.lower_bound.is_zero())
            .then(|| self.makespan.as_secs_f64() / self.lower_bound.as_secs_f64())
    }

    fn names_per_s(&self) -> f64 {
        self.results as f64 / self.makespan.as_secs_f64().max(f64::EPSILON)
    }

    fn json(&self) -> Value {
        json!({
            "scenario": self.scenario,
            "names": self.names,
            "results": self.results,
            "checked": self.checked,
            "lost": self.lost,
            "requests": self.requests,
            "http_429": self.http_429,
            "makespan_s": self.makespan.as_secs_f64(),
            "lower_bound_s": self.lower_bound.as_secs_f64(),
            "ratio": self.ratio(),
            "rate_vs_limit": self.ratio().map(|ratio| 1.0 / ratio),
            "names_per_s": self.names_per_s(),
            "peak_rss_kib": self.peak_rss_kib,
            "timed_out": self.timed_out,
            "exit_status": self.exit_status,
        })
    }
}

fn limited_plan() -> WorldPlan {
    let host = |rate: f64| HostPlan {
        rate: Some(rate),
        // Names in proportion to the limit: every host is a bottleneck alike.
        weight: rate as u32,
    };
    WorldPlan {
        rdap: vec![host(50.0), host(20.0), host(10.0), host(5.0)],
        whois: Some(host(2.0)),
        latency: Duration::from_millis(20),
        jitter: Duration::from_millis(20),
        burst: 2,
    }
}

fn unlimited_plan() -> WorldPlan {
    let host = HostPlan {
        rate: None,
        weight: 1,
    };
    WorldPlan {
        rdap: vec![host, host],
        whois: None,
        latency: Duration::ZERO,
        jitter: Duration::ZERO,
        burst: 1,
    }
}

fn known_flags(world: &BulkWorld) -> Vec<String> {
    world.rate_flags(UNPACED)
}

fn unknown_flags(_: &BulkWorld) -> Vec<String> {
    vec!["--discover-rate".to_owned(), "100/s".to_owned()]
}

fn unlimited_flags(world: &BulkWorld) -> Vec<String> {
    let mut flags = world.rate_flags(UNPACED);
    flags.extend(
        ["--concurrency", "256", "--host-concurrency", "128"]
            .iter()
            .map(|flag| (*flag).to_owned()),
    );
    flags
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(default)
}

fn scenarios() -> Vec<Scenario> {
    let n = env_number("DOMLIFE_BENCH_N", 2000);
    let memory: Vec<usize> = std::env::var("DOMLIFE_BENCH_MEMORY_N")
        .ok()
        .map(|list| {
            list.split(',')
                .filter_map(|item| item.trim().parse().ok())
                .collect()
        })
        .unwrap_or_else(|| vec![10_000, 50_000]);
    let mut all = vec![
        Scenario {
            name: "known".to_owned(),
            names: n,
            plan: limited_plan(),
            flags: known_flags,
        },
        Scenario {
            name: "unknown".to_owned(),
            names: n,
            plan: limited_plan(),
            flags: unknown_flags,
        },
        Scenario {
            name: "unlimited".to_owned(),
            names: n,
            plan: unlimited_plan(),
            flags: unlimited_flags,
        },
    ];
    all.extend(memory.into_iter().map(|names| Scenario {
        name: format!("memory-{names}"),
        names,
        plan: unlimited_plan(),
        flags: unlimited_flags,
    }));
    all
}

/// The child's peak resident set (VmHWM) in KiB, while it runs.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}

/// Waits for `child`, sampling its peak RSS, killing it after `timeout`.
fn watch(
    child: &mut Child,
    timeout: Duration,
) -> std::io::Result<(Duration, u64, bool, Option<i32>)> {
    let started = Instant::now();
    let mut peak = 0;
    let mut timed_out = false;
    loop {
        if let Some(kib) = peak_rss_kib(child.id()) {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait()? {
            return Ok((started.elapsed(), peak, timed_out, status.code()));
        }
        if !timed_out && started.elapsed() > timeout {
            timed_out = true;
            child.kill()?;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn run(
    runtime: &tokio::runtime::Runtime,
    scenario: &Scenario,
    timeout: Duration,
) -> std::io::Result<Figures> {
    let world = runtime.block_on(BulkWorld::start(scenario.plan.clone()))?;
    let names = world.names(scenario.names);
    let dir = tempfile::TempDir::new()?;
    let bootstrap = dir.path().join("dns.json");
    std::fs::write(&bootstrap, world.bootstrap_json())?;
    let list = dir.path().join("names.txt");
    let mut writer = std::io::BufWriter::new(File::create(&list)?);
    for (_, name) in &names {
        writeln!(writer, "{name}")?;
    }
    writer.flush()?;
    let output = dir.path().join("results.ndjson");

    let mut child = Command::new(env!("CARGO_BIN_EXE_domlife"))
        .env("DOMLIFE_CACHE_DIR", dir.path())
        .args(["check", "--format", "ndjson", "--allow-loopback"])
        .args(["--as-of", "2026-01-01", "--fail-on", "never"])
        .arg("--bootstrap")
        .arg(&bootstrap)
        .args(world.whois_flags())
        .args((scenario.flags)(&world))
        .arg(&list)
        .stdin(Stdio::null())
        .stdout(File::create(&output)?)
        .stderr(File::create(dir.path().join("stderr.txt"))?)
        .spawn()?;
    let (makespan, peak_rss_kib, timed_out, exit_status) = watch(&mut child, timeout)?;
    if !matches!(exit_status, Some(0)) {
        let stderr = std::fs::read_to_string(dir.path().join("stderr.txt"))?;
        let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
        eprintln!(
            "bulk: {} exited with {exit_status:?}: {tail:?}",
            scenario.name
        );
    }

    let (results, checked, seen) = read_results(&output)?;
    let lost = names
        .iter()
        .filter(|(_, name)| !seen.contains(name.as_str()))
        .count();
    Ok(Figures {
        scenario: scenario.name.clone(),
        names: names.len(),
        results,
        checked,
        lost,
        requests: world.requests(),
        http_429: world.refused(),
        makespan,
        lower_bound: world.lower_bound(&names),
        peak_rss_kib,
        timed_out,
        exit_status,
    })
}

/// Result lines, how many were `checked`, and the names they are about.
fn read_results(path: &Path) -> std::io::Result<(usize, usize, HashSet<String>)> {
    let mut results = 0;
    let mut checked = 0;
    let mut seen = HashSet::new();
    for line in BufReader::new(File::open(path)?).lines() {
        let Ok(value) = serde_json::from_str::<Value>(&line?) else {
            continue;
        };
        results += 1;
        if value["outcome"] == "checked" {
            checked += 1;
        }
        if let Some(domain) = value["domain"].as_str() {
            seen.insert(domain.to_owned());
        }
    }
    Ok((results, checked, seen))
}

fn print_table(figures: &[Figures]) {
    println!(
        "\n| scenario | names | lost | checked | requests | 429s | makespan s | lower bound s | ratio | names/s | peak RSS MiB |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for run in figures {
        let ratio = run
            .ratio()
            .map_or_else(|| "-".to_owned(), |ratio| format!("{ratio:.2}"));
        println!(
            "| {}{} | {} | {} | {} | {} | {} | {:.2} | {:.2} | {} | {:.0} | {:.1} |",
            run.scenario,
            if run.timed_out { " (timed out)" } else { "" },
            run.names,
            run.lost,
            run.checked,
            run.requests,
            run.http_429,
            run.makespan.as_secs_f64(),
            run.lower_bound.as_secs_f64(),
            ratio,
            run.names_per_s(),
            run.peak_rss_kib as f64 / 1024.0,
        );
    }
}

fn main() -> ExitCode {
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with('-'))
        .collect();
    let timeout = Duration::from_secs(env_number("DOMLIFE_BENCH_TIMEOUT_S", 60) as u64);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("bulk: no async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut json_out = match std::env::var_os("DOMLIFE_BENCH_JSON") {
        Some(path) => match File::options().create(true).append(true).open(&path) {
            Ok(file) => Some(file),
            Err(error) => {
                eprintln!("bulk: cannot open {}: {error}", Path::new(&path).display());
                return ExitCode::FAILURE;
            }
        },
        None => None,
    };
    let mut figures = Vec::new();
    for scenario in scenarios() {
        if !wanted.is_empty() && !wanted.contains(&scenario.name) {
            continue;
        }
        eprintln!("bulk: {} with {} names", scenario.name, scenario.names);
        match run(&runtime, &scenario, timeout) {
            Ok(run) => {
                let line = run.json().to_string();
                println!("{line}");
                if let Some(file) = json_out.as_mut()
                    && let Err(error) = writeln!(file, "{line}")
                {
                    eprintln!("bulk: cannot write the JSON figures: {error}");
                }
                figures.push(run);
            }
            Err(error) => eprintln!("bulk: {} failed: {error}", scenario.name),
        }
    }
    print_table(&figures);
    ExitCode::SUCCESS
}
