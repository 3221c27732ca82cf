//! Flags that pace a bulk run (`--rate`, `--concurrency`, `--retries`...),
//! for `check` and `show` to flatten; lowered once into a [`GateConfig`]
//! whose rates [`crate::run::settings`] merges with `domlife.toml`'s.

use std::time::Duration;

use clap::Args;

use crate::fetch::{DEFAULT_CONCURRENCY, GateConfig, Rate, RateOverride, RateTable};

/// How fast and how persistently registries are asked.
#[derive(Debug, Clone, Args)]
pub struct FetchArgs {
    /// Ask HOST at RATE instead of its built-in or default rate (repeatable):
    /// `N/s`, `N/m` or `N/h`, decimals allowed, e.g. `--rate whois.denic.de=30/m`,
    /// `--rate 127.0.0.1:8080=50/s`. A host given without a port matches every
    /// port. Defaults: 5/s for RDAP servers, 1/s for WHOIS servers, slower for
    /// a built-in list of strict ones; a host that answers 429 is slowed down.
    #[arg(long = "rate", value_name = "HOST=RATE")]
    pub rate: Vec<RateOverride>,
    /// Requests in flight at once, all hosts together (bounds sockets and memory).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY as u32,
          value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub concurrency: u32,
    /// The most requests in flight at once to any one host. Without it, each
    /// host has as many as its rate times its answer time needs, up to 128.
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub host_concurrency: Option<u32>,
    /// Retries of a request that failed (5xx, timeout, reset); "too many
    /// requests" answers are waited out instead, within --patience.
    #[arg(long, value_name = "N", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(0..=20))]
    pub retries: u32,
    /// Seconds a request may wait on a server's Retry-After or rate limiting
    /// before it is reported as given up.
    #[arg(long, value_name = "SECONDS", default_value_t = 300,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub patience: u64,
    /// Let hosts with no known rate climb from the default up to RATE,
    /// doubling while requests hold and settling just under the rate where
    /// they answer 429 (to find unpublished limits).
    #[arg(long, value_name = "RATE")]
    pub discover_rate: Option<Rate>,
}

impl FetchArgs {
    /// The gate configuration these flags describe, their `--rate`s alone
    /// in its rate table.
    pub fn gate_config(&self) -> GateConfig {
        GateConfig {
            rates: RateTable::with_overrides(&self.rate),
            concurrency: usize::try_from(self.concurrency).unwrap_or(usize::MAX),
            per_host_concurrency: self
                .host_concurrency
                .map(|cap| usize::try_from(cap).unwrap_or(usize::MAX)),
            retries: self.retries,
            patience: Duration::from_secs(self.patience),
            discover: self.discover_rate,
            ..GateConfig::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fetch::HostKey;
    use crate::record::Protocol;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Harness {
        #[command(flatten)]
        fetch: FetchArgs,
    }

    fn parse(args: &[&str]) -> Result<GateConfig, clap::Error> {
        let argv = std::iter::once("domlife").chain(args.iter().copied());
        Harness::try_parse_from(argv).map(|harness| harness.fetch.gate_config())
    }

    #[test]
    fn defaults_match_the_library() {
        let config = parse(&[]).expect("no flags parse");
        let library = GateConfig::default();
        assert_eq!(
            (
                config.concurrency,
                config.per_host_concurrency,
                config.retries,
                config.patience
            ),
            (
                library.concurrency,
                library.per_host_concurrency,
                library.retries,
                library.patience
            )
        );
        assert_eq!(config.discover, None);
    }

    #[test]
    fn flags_lower_into_the_gate_config() {
        let config = parse(&[
            "--rate",
            "whois.denic.de=30/m",
            "--rate",
            "127.0.0.1:8080=0.5/s",
            "--concurrency",
            "100",
            "--host-concurrency",
            "2",
            "--retries",
            "0",
            "--patience",
            "60",
            "--discover-rate",
            "50/s",
        ])
        .expect("valid flags");
        assert_eq!(
            (config.concurrency, config.per_host_concurrency),
            (100, Some(2))
        );
        assert_eq!(
            (config.retries, config.patience),
            (0, Duration::from_secs(60))
        );
        assert_eq!(
            config.discover.map(|rate| rate.interval()),
            Some(Duration::from_millis(20))
        );
        let (denic, _) = config
            .rates
            .rate_for(&HostKey::new(Protocol::Whois, "whois.denic.de"));
        assert_eq!(denic.interval(), Duration::from_secs(2));
        let (mock, _) = config
            .rates
            .rate_for(&HostKey::new(Protocol::Rdap, "127.0.0.1:8080"));
        assert_eq!(mock.interval(), Duration::from_secs(2));
    }

    #[test]
    fn bad_values_are_refused() {
        for args in [
            &["--rate", "whois.denic.de"][..],
            &["--rate", "whois.denic.de=0/s"],
            &["--concurrency", "0"],
            &["--discover-rate", "fast"],
        ] {
            assert!(parse(args).is_err(), "{args:?}");
        }
    }
}
