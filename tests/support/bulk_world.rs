//! Several mock registry hosts answering generated records for any name:
//! RDAP hosts (one port each) and optionally a WHOIS host, each with its own
//! rate limit and a shared latency with jitter. Used by the standalone mock
//! (examples/mock_registry.rs), the bulk benchmark (examples/bulk_bench.rs) and
//! the test that keeps both honest.
//!
//! A world hands out what `domlife check` needs to reach it: a bootstrap
//! file pointing each host's TLDs at it, `--whois-server` flags, and the
//! `--rate` flags that tell the gate each host's exact limit.

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use super::mock_registry::combined_bootstrap;
use super::mock_whois::{self, MockWhois};
use super::{MockConfig, MockRegistry};

/// TLDs handed to hosts in turn, two per host; the WHOIS host gets its own.
const RDAP_TLDS: [&str; 8] = ["com", "net", "org", "info", "xyz", "app", "dev", "io"];
/// The TLD the WHOIS host answers for (absent from the bootstrap file, so
/// domlife asks port 43).
pub const WHOIS_TLD: &str = "co";

/// One host of a world.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HostPlan {
    /// The server's limit in requests a second; `None` for no limit.
    pub rate: Option<f64>,
    /// This host's share of a list's names, relative to the other hosts.
    pub weight: u32,
}

/// What to start.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldPlan {
    /// RDAP hosts (at most 4: they share out 8 TLDs two apiece).
    pub rdap: Vec<HostPlan>,
    pub whois: Option<HostPlan>,
    /// Every host's answer is delayed by `latency` plus up to `jitter`.
    pub latency: Duration,
    pub jitter: Duration,
    /// Requests a limited host accepts back to back.
    pub burst: u32,
}

/// The running hosts. They stop when this is dropped.
pub struct BulkWorld {
    plan: WorldPlan,
    pub rdap: Vec<MockRegistry>,
    pub whois: Option<MockWhois>,
}

impl BulkWorld {
    /// Starts every host of `plan` on 127.0.0.1.
    pub async fn start(plan: WorldPlan) -> std::io::Result<BulkWorld> {
        if plan.rdap.len() > RDAP_TLDS.len() / 2 {
            return Err(std::io::Error::other(format!(
                "at most {} RDAP hosts, asked for {}",
                RDAP_TLDS.len() / 2,
                plan.rdap.len()
            )));
        }
        let mut rdap = Vec::with_capacity(plan.rdap.len());
        for (index, host) in plan.rdap.iter().enumerate() {
            let mut config = MockConfig::new().generated();
            for tld in host_tlds(index) {
                config = config.tld(tld);
            }
            if let Some(rate) = host.rate {
                config = config.rate_limit(rate, plan.burst);
            }
            if !plan.latency.is_zero() || !plan.jitter.is_zero() {
                config = config.latency(plan.latency, plan.jitter);
            }
            rdap.push(MockRegistry::start(config).await?);
        }
        let whois = match plan.whois {
            Some(host) => {
                let mut builder = MockWhois::builder().otherwise(mock_whois::Reply::Generated);
                if let Some(rate) = host.rate {
                    builder = builder.rate_limit(rate, plan.burst);
                }
                if !plan.latency.is_zero() || !plan.jitter.is_zero() {
                    builder = builder.latency(plan.latency, plan.jitter);
                }
                Some(builder.start().await)
            }
            None => None,
        };
        Ok(BulkWorld { plan, rdap, whois })
    }

    /// A bootstrap file pointing each RDAP host's TLDs at it.
    pub fn bootstrap_json(&self) -> String {
        combined_bootstrap(&self.rdap)
    }

    /// Writes, in `dir`, the bootstrap file and a list of `names` (as from
    /// [`BulkWorld::names`]) one per line, and returns the arguments of a
    /// `domlife check` of that list against this world: ndjson, loopback
    /// allowed, as of 2026-01-01, the bootstrap file and WHOIS flags.
    /// Callers add their own flags after these.
    pub fn check_args(
        &self,
        dir: &Path,
        names: &[(usize, String)],
    ) -> std::io::Result<Vec<OsString>> {
        let bootstrap = dir.join("dns.json");
        std::fs::write(&bootstrap, self.bootstrap_json())?;
        let list = dir.join("names.txt");
        let mut writer = std::io::BufWriter::new(std::fs::File::create(&list)?);
        for (_, name) in names {
            writeln!(writer, "{name}")?;
        }
        writer.flush()?;
        let fixed = [
            "check",
            "--format",
            "ndjson",
            "--allow-loopback",
            "--as-of",
            "2026-01-01",
        ];
        let mut args: Vec<OsString> = fixed.iter().map(OsString::from).collect();
        args.push("--bootstrap".into());
        args.push(bootstrap.into());
        args.extend(self.whois_flags().into_iter().map(OsString::from));
        args.push(list.into());
        Ok(args)
    }

    /// `--whois-server` flags sending the WHOIS TLD to the WHOIS host.
    pub fn whois_flags(&self) -> Vec<String> {
        match &self.whois {
            Some(whois) => vec!["--whois-server".to_owned(), whois.override_for(WHOIS_TLD)],
            None => Vec::new(),
        }
    }

    /// `host:port` of every host, RDAP hosts first, each with its plan.
    pub fn hosts(&self) -> Vec<(String, HostPlan)> {
        let rdap = self.rdap.iter().zip(&self.plan.rdap).map(|(mock, plan)| {
            let host = mock
                .base_url()
                .trim_start_matches("http://")
                .trim_end_matches('/');
            (host.to_owned(), *plan)
        });
        let whois = self
            .whois
            .iter()
            .zip(self.plan.whois)
            .map(|(mock, plan)| (mock.address().to_string(), plan));
        rdap.chain(whois).collect()
    }

    /// `--rate HOST:PORT=N/s` for every host, at its server limit, or at
    /// `unlimited` for a host without one.
    pub fn rate_flags(&self, unlimited: f64) -> Vec<String> {
        self.hosts()
            .into_iter()
            .flat_map(|(host, plan)| {
                let rate = plan.rate.unwrap_or(unlimited);
                ["--rate".to_owned(), format!("{host}={rate}/s")]
            })
            .collect()
    }

    /// `count` generated names, shared out over the hosts by weight: the
    /// host of name `index` and the name.
    pub fn names(&self, count: usize) -> Vec<(usize, String)> {
        let weights: Vec<u32> = self
            .plan
            .rdap
            .iter()
            .chain(&self.plan.whois)
            .map(|host| host.weight)
            .collect();
        let total: u64 = weights.iter().map(|weight| u64::from(*weight)).sum();
        (0..count)
            .map(|index| {
                let host = host_at(&weights, index as u64 % total.max(1));
                let tld = if host < self.plan.rdap.len() {
                    host_tlds(host)[index % 2]
                } else {
                    WHOIS_TLD
                };
                (host, format!("bulk{index:07}.{tld}"))
            })
            .collect()
    }

    /// Requests every host received (RDAP paths and WHOIS query lines).
    pub fn requests(&self) -> u64 {
        let rdap: usize = self.rdap.iter().map(|mock| mock.requests().len()).sum();
        let whois = self.whois.as_ref().map_or(0, |mock| mock.received().len());
        (rdap + whois) as u64
    }

    /// For each host, RDAP hosts first: its limit, the requests it received
    /// and how many of them it refused.
    pub fn per_host(&self) -> Vec<(Option<f64>, u64, u64)> {
        let rdap = self.rdap.iter().zip(&self.plan.rdap).map(|(mock, plan)| {
            let received = mock.requests().len() as u64;
            (plan.rate, received, mock.limit_stats().refused)
        });
        let whois = self.whois.iter().zip(self.plan.whois).map(|(mock, plan)| {
            let received = mock.received().len() as u64;
            (plan.rate, received, mock.limit_stats().refused)
        });
        rdap.chain(whois).collect()
    }

    /// Requests the hosts refused for going over their limit (RDAP 429s
    /// and WHOIS hang-ups).
    pub fn refused(&self) -> u64 {
        let rdap: u64 = self
            .rdap
            .iter()
            .map(|mock| mock.limit_stats().refused)
            .sum();
        rdap + self
            .whois
            .as_ref()
            .map_or(0, |mock| mock.limit_stats().refused)
    }

    /// The least time the server limits allow for `names` (as from
    /// [`BulkWorld::names`]): the most over limited hosts of (names for
    /// the host / its rate); zero when no host is limited.
    pub fn lower_bound(&self, names: &[(usize, String)]) -> Duration {
        let plans: Vec<HostPlan> = self.hosts().into_iter().map(|(_, plan)| plan).collect();
        let mut per_host = vec![0_u64; plans.len()];
        for (host, _) in names {
            if let Some(count) = per_host.get_mut(*host) {
                *count += 1;
            }
        }
        plans
            .iter()
            .zip(per_host)
            .filter_map(|(plan, count)| plan.rate.map(|rate| count as f64 / rate))
            .fold(Duration::ZERO, |most, seconds| {
                most.max(Duration::from_secs_f64(seconds))
            })
    }
}

fn host_tlds(index: usize) -> [&'static str; 2] {
    [RDAP_TLDS[2 * index], RDAP_TLDS[2 * index + 1]]
}

/// The host whose share of `[0, total)` holds `slot`.
fn host_at(weights: &[u32], slot: u64) -> usize {
    let mut end = 0_u64;
    for (host, weight) in weights.iter().enumerate() {
        end += u64::from(*weight);
        if slot < end {
            return host;
        }
    }
    weights.len().saturating_sub(1)
}
