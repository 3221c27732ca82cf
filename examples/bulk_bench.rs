//! The bulk engine benchmark: the real `domlife check` binary on a list of
//! generated names against mock registry hosts started in-process, each
//! with its own rate limit. A plain driver (no criterion): one run per
//! scenario, since a run is seconds long and its figures are counts.
//!
//! ```text
//! cargo run --release --example bulk_bench                      # all but memory
//! cargo run --release --example bulk_bench -- --names 2000 --scenario known,unlimited --json out.ndjson
//! cargo run --release --example bulk_bench -- --names 50000 --scenario memory
//! ```
//!
//! Scenarios (`--scenario`, repeatable or a comma list):
//! - `known`: 4 RDAP hosts limited to 50, 20, 10 and 5 req/s and a WHOIS
//!   host at 2 req/s, names shared out in proportion; domlife is told each
//!   limit (`--rate`). Expect no 429 and a makespan near the lower bound.
//! - `known-dns`: `known` with `--dns`, asked of a mock resolver on
//!   127.0.0.1 answering every question in 20 ms: what asking DNS adds to
//!   a run's wall time (the figure to compare with `known`).
//! - `unknown`: the same hosts, domlife told nothing but `--discover-rate`:
//!   it must find the limits from 429s and still finish every name.
//! - `known-slow`: the `known` hosts answering in 300 to 800 ms, each
//!   limit given with `--rate`, no concurrency flags: the requests in
//!   flight must grow to rate x latency by themselves. Its lower bound
//!   adds the slowest answer once (the last one).
//! - `latency`: 2 RDAP hosts without limit answering in 100 ms, only
//!   `--rate 127.0.0.1=10000/s` given: what the default concurrency allows.
//! - `unlimited`: 2 RDAP hosts, no limit, no latency, high concurrency: the
//!   engine's own ceiling in names/s, with the store (cache and history) as
//!   a run uses it by default.
//! - `unlimited-no-store`: the same with `--no-store`: the lookups,
//!   parsing, audit and report alone.
//! - `memory`: the `unlimited` world, run on its own (not by default) for
//!   the child's peak RSS at a large `--names`: on the ndjson path it must
//!   not grow with the results.
//!
//! Each scenario prints one JSON object on stdout, and `--json OUT` writes
//! the same objects to OUT, one per line (created or truncated, written as
//! each run ends), followed on stdout by a Markdown table of every run. A
//! run is stopped after `--timeout` seconds; its unfinished names count as
//! lost.
//!
//! `ratio` is makespan / lower bound, where the lower bound is the time the
//! server limits allow (the most over hosts of names for the host / its
//! rate, plus for `known-slow` the slowest answer); `peak_rss_kib` is the
//! child's VmHWM, sampled every 10 ms.
//!
//! The binary measured is `--bin PATH`, or else `domlife` beside this
//! example (target/<profile>/domlife): examples get no `CARGO_BIN_EXE_*`.
//! Under `cargo run` (which sets `CARGO`) that binary is built first, in
//! the example's profile, so one command works on a fresh checkout and
//! never measures a stale binary.

#[path = "../tests/support/mod.rs"]
pub mod support;

use std::collections::HashSet;
use std::ffi::OsString;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use clap::{Parser, ValueEnum};
use serde_json::{Value, json};
use support::bulk_world::{BulkWorld, HostPlan, WorldPlan};
use support::mock_dns::{MockDns, MockDnsConfig};

/// The gate's rate for hosts without a server limit: the most `--rate`
/// takes, so the gate barely paces them.
const UNPACED: f64 = 10_000.0;

/// Runs `domlife check` on generated names against rate-limited mock hosts.
#[derive(Debug, Parser)]
struct Args {
    /// Names in each run's list.
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..))]
    names: u32,
    /// Scenarios to run, in order (repeatable, or a comma list).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_values_t = [
            ScenarioName::Known,
            ScenarioName::KnownDns,
            ScenarioName::Unknown,
            ScenarioName::KnownSlow,
            ScenarioName::Latency,
            ScenarioName::Unlimited,
            ScenarioName::UnlimitedNoStore
        ]
    )]
    scenario: Vec<ScenarioName>,
    /// Also write each run's JSON object to this file, one per line.
    #[arg(long, value_name = "OUT")]
    json: Option<PathBuf>,
    /// Stop a run after this many seconds; its unfinished names count as lost.
    #[arg(long, value_name = "SECONDS", default_value_t = 120)]
    timeout: u64,
    /// The domlife binary to run (default: the one beside this example,
    /// built first under `cargo run`).
    #[arg(long, value_name = "PATH")]
    bin: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ScenarioName {
    Known,
    KnownDns,
    Unknown,
    KnownSlow,
    Latency,
    Unlimited,
    UnlimitedNoStore,
    Memory,
}

impl fmt::Display for ScenarioName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            ScenarioName::Known => "known",
            ScenarioName::KnownDns => "known-dns",
            ScenarioName::Unknown => "unknown",
            ScenarioName::KnownSlow => "known-slow",
            ScenarioName::Latency => "latency",
            ScenarioName::Unlimited => "unlimited",
            ScenarioName::UnlimitedNoStore => "unlimited-no-store",
            ScenarioName::Memory => "memory",
        };
        formatter.write_str(name)
    }
}

/// One scenario: the hosts to start and the flags that tell domlife about them.
struct Scenario {
    name: String,
    names: usize,
    plan: WorldPlan,
    flags: fn(&BulkWorld) -> Vec<String>,
    /// Whether the lower bound counts the slowest answer once.
    last_answer: bool,
    /// `--dns`, asked of a mock resolver answering after this long.
    dns_latency: Option<Duration>,
}

/// What one run measured.
struct Figures {
    scenario: String,
    names: usize,
    results: usize,
    checked: usize,
    /// Results with DNS answers (`dns.answered_by` set).
    dns_answered: usize,
    lost: usize,
    requests: u64,
    http_429: u64,
    /// Per host: its limit, requests received, requests refused.
    hosts: Vec<(Option<f64>, u64, u64)>,
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
            "dns_answered": self.dns_answered,
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
            "hosts": self.hosts.iter().map(|(limit, requests, refused)| json!({
                "limit_per_s": limit, "requests": requests, "http_429": refused,
            })).collect::<Vec<Value>>(),
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

/// The `known` hosts answering in 300 to 800 ms: a 50/s host needs 15 to
/// 40 requests in flight.
fn slow_plan() -> WorldPlan {
    WorldPlan {
        latency: Duration::from_millis(300),
        jitter: Duration::from_millis(500),
        ..limited_plan()
    }
}

/// Two hosts without limit answering in 100 ms.
fn latency_plan() -> WorldPlan {
    WorldPlan {
        latency: Duration::from_millis(100),
        ..unlimited_plan()
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

fn latency_flags(_: &BulkWorld) -> Vec<String> {
    vec!["--rate".to_owned(), format!("127.0.0.1={UNPACED}/s")]
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

fn unlimited_no_store_flags(world: &BulkWorld) -> Vec<String> {
    let mut flags = unlimited_flags(world);
    flags.push("--no-store".to_owned());
    flags
}

fn scenario(name: ScenarioName, names: usize) -> Scenario {
    let (plan, flags): (WorldPlan, fn(&BulkWorld) -> Vec<String>) = match name {
        ScenarioName::Known | ScenarioName::KnownDns => (limited_plan(), known_flags),
        ScenarioName::Unknown => (limited_plan(), unknown_flags),
        ScenarioName::KnownSlow => (slow_plan(), known_flags),
        ScenarioName::Latency => (latency_plan(), latency_flags),
        ScenarioName::Unlimited | ScenarioName::Memory => (unlimited_plan(), unlimited_flags),
        ScenarioName::UnlimitedNoStore => (unlimited_plan(), unlimited_no_store_flags),
    };
    Scenario {
        name: name.to_string(),
        names,
        last_answer: name == ScenarioName::KnownSlow,
        dns_latency: (name == ScenarioName::KnownDns).then_some(Duration::from_millis(20)),
        plan,
        flags,
    }
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
    binary: &Path,
    scenario: &Scenario,
    timeout: Duration,
) -> std::io::Result<Figures> {
    let world = runtime.block_on(BulkWorld::start(scenario.plan.clone()))?;
    let names = world.names(scenario.names);
    let dir = tempfile::TempDir::new()?;
    let check = world.check_args(dir.path(), &names)?;
    let output = dir.path().join("results.ndjson");
    let dns = match scenario.dns_latency {
        Some(latency) => Some(runtime.block_on(MockDns::start(
            MockDnsConfig::new().generated().latency(latency),
        ))?),
        None => None,
    };
    let dns_flags: Vec<String> = dns
        .as_ref()
        .map(|dns| vec!["--dns".to_owned(), "--dns-server".to_owned(), dns.server()])
        .unwrap_or_default();

    let mut child = Command::new(binary)
        .env("DOMLIFE_CACHE_DIR", dir.path())
        .args(check)
        .args(["--fail-on", "never"])
        .args((scenario.flags)(&world))
        .args(dns_flags)
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

    let (results, checked, dns_answered, seen) = read_results(&output)?;
    let lost = names
        .iter()
        .filter(|(_, name)| !seen.contains(name.as_str()))
        .count();
    Ok(Figures {
        scenario: scenario.name.clone(),
        names: names.len(),
        results,
        checked,
        dns_answered,
        lost,
        requests: world.requests(),
        http_429: world.refused(),
        hosts: world.per_host(),
        makespan,
        lower_bound: world.lower_bound(&names)
            + if scenario.last_answer {
                scenario.plan.latency + scenario.plan.jitter
            } else {
                Duration::ZERO
            },
        peak_rss_kib,
        timed_out,
        exit_status,
    })
}

/// Result lines, how many were `checked`, how many have DNS answers, and
/// the names they are about.
fn read_results(path: &Path) -> std::io::Result<(usize, usize, usize, HashSet<String>)> {
    let mut results = 0;
    let mut checked = 0;
    let mut dns_answered = 0;
    let mut seen = HashSet::new();
    for line in BufReader::new(File::open(path)?).lines() {
        let Ok(value) = serde_json::from_str::<Value>(&line?) else {
            continue;
        };
        results += 1;
        if value["outcome"] == "checked" {
            checked += 1;
        }
        if value["dns"]["answered_by"].is_string() {
            dns_answered += 1;
        }
        if let Some(domain) = value["domain"].as_str() {
            seen.insert(domain.to_owned());
        }
    }
    Ok((results, checked, dns_answered, seen))
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

/// The binary to measure: `explicit`, or `domlife` in the example's own
/// target/<profile>/ directory, built first when run by cargo.
fn domlife_binary(explicit: Option<PathBuf>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!("--bin {}: no such file", path.display()))
        };
    }
    let exe = std::env::current_exe().map_err(|error| format!("cannot find myself: {error}"))?;
    // target/<profile>/examples/bulk_bench -> target/<profile>
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .ok_or_else(|| format!("{} is not in a cargo target directory", exe.display()))?;
    if let Some(cargo) = std::env::var_os("CARGO") {
        build_domlife(&cargo, profile_dir)?;
    }
    let binary = profile_dir.join(format!("domlife{}", std::env::consts::EXE_SUFFIX));
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "no domlife binary at {}: build it with `cargo build --release --bin domlife` \
             (in the profile this example was built with), or pass --bin PATH",
            binary.display()
        ))
    }
}

/// `cargo build --bin domlife` in the profile whose directory is
/// `profile_dir`, so the example never measures a stale binary.
fn build_domlife(cargo: &OsString, profile_dir: &Path) -> Result<(), String> {
    let profile = match profile_dir.file_name().and_then(|name| name.to_str()) {
        // The dev profile is the one whose directory is not named after it.
        Some("debug") => "dev",
        Some(name) => name,
        None => return Err(format!("no profile in {}", profile_dir.display())),
    };
    let manifest_dir = env!("CARGO_MANIFEST_DIR");
    eprintln!("bulk: building domlife ({profile} profile)");
    // Cargo's own output goes to stderr: stdout is kept for the figures.
    let status = Command::new(cargo)
        .current_dir(manifest_dir)
        .args(["build", "--quiet", "--bin", "domlife", "--profile", profile])
        .stdout(std::io::stderr())
        .status()
        .map_err(|error| format!("cannot run cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("building domlife failed ({status})"))
    }
}

/// Creates (or truncates) the `--json` file.
fn json_file(path: Option<&Path>) -> Result<Option<File>, String> {
    path.map(|path| {
        File::create(path).map_err(|error| format!("cannot create {}: {error}", path.display()))
    })
    .transpose()
}

fn main() -> ExitCode {
    let args = Args::parse();
    let binary = match domlife_binary(args.bin) {
        Ok(binary) => binary,
        Err(error) => {
            eprintln!("bulk: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut json_out = match json_file(args.json.as_deref()) {
        Ok(file) => file,
        Err(error) => {
            eprintln!("bulk: {error}");
            return ExitCode::FAILURE;
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("bulk: no async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let timeout = Duration::from_secs(args.timeout);
    let mut figures = Vec::new();
    let mut failed = false;
    for name in args.scenario {
        let scenario = scenario(name, args.names as usize);
        eprintln!("bulk: {} with {} names", scenario.name, scenario.names);
        match run(&runtime, &binary, &scenario, timeout) {
            Ok(run) => {
                let line = run.json().to_string();
                println!("{line}");
                if let Some(file) = json_out.as_mut()
                    && let Err(error) = writeln!(file, "{line}").and_then(|()| file.flush())
                {
                    eprintln!("bulk: cannot write the JSON figures: {error}");
                    failed = true;
                }
                figures.push(run);
            }
            Err(error) => {
                eprintln!("bulk: {} failed: {error}", scenario.name);
                failed = true;
            }
        }
    }
    print_table(&figures);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
