//! `domlife serve LIST... --listen ADDR`: the lists audited on a schedule
//! and served as Prometheus metrics ([`crate::serve`]). This file only
//! wires: it checks the flags and the lists, resolves the settings as
//! `check` does, builds the auditor and the notifier, binds the address
//! and hands over.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow};

use super::error::bad_input;
use super::fetch_args::FetchArgs;
use super::lookup_args::LookupArgs;
use super::notify_args::{self, NotifyArgs};
use super::settings_args::{self, ConfigArgs};
use super::store_args::{StoreArgs, parse_age};
use crate::audit::Auditor;
use crate::escape::printable;
use crate::input::{MergedEntries, ReadOptions, Source};
use crate::run::RunSettings;
use crate::run::listeners::Warn;
use crate::run::listeners::notify::{Memory, Notifier};
use crate::serve::Service;
use crate::store::Store;

#[derive(Debug, clap::Args)]
#[command(
    about = "Audit lists on a schedule and serve the results as Prometheus metrics",
    after_help = "Examples:\n  \
        domlife serve domains.txt --listen 127.0.0.1:9223\n  \
        domlife serve portfolio.csv --listen 0.0.0.0:9223 --every 12h --notify https://hooks.slack.com/services/...\n\n\
        Endpoints: /metrics (the last complete audit, as --report prometheus writes it, and the \
        exporter's own metrics), /probe?target=NAME (one name looked up now, the store first), \
        /healthz, and / listing them. The lists are audited at start and then every --every, \
        read again each time; answers younger than --max-age come from the store. --notify \
        posts what changed after each complete audit. SIGTERM or Ctrl-C stops the server \
        (exit status 0); an audit going on is recorded as interrupted. Exit status 2 for bad \
        arguments or an unreadable list at start, 1 when the address cannot be bound."
)]
pub struct Args {
    /// Files to audit, read again at each audit (standard input cannot be).
    #[arg(required = true, value_name = "LIST")]
    pub inputs: Vec<PathBuf>,
    /// Read the lists as CSV whatever their extension.
    #[arg(long)]
    pub csv: bool,
    /// The address to listen on: 127.0.0.1:9223, [::1]:9223, or
    /// 0.0.0.0:9223 for every interface (port 0 picks a free port).
    #[arg(long, value_name = "ADDR")]
    pub listen: SocketAddr,
    /// How often to audit the lists: `30m`, `6h`, `1d`, or seconds.
    #[arg(long, value_name = "DURATION", default_value = "6h", value_parser = parse_every)]
    pub every: Duration,
    #[command(flatten)]
    pub lookup: LookupArgs,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Audit as of this date or date-time [default: the time of each audit].
    #[arg(long = "as-of")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
    #[command(flatten)]
    pub notify: NotifyArgs,
}

fn parse_every(text: &str) -> Result<Duration, String> {
    let every = parse_age(text)?;
    if every.is_zero() {
        return Err("the interval must be at least a second".to_owned());
    }
    Ok(every)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let read = ReadOptions { csv: args.csv };
    check_lists(&args.inputs, &read)?;
    let settings = settings_args::run_settings(
        &args.config,
        &args.lookup,
        &args.fetch,
        &args.store,
        args.as_of.as_deref(),
    )?;
    let notify = args.notify.options(settings.lookup.client.policy)?;
    let resources = settings_args::open(&settings)?;
    let lifecycle = &settings.lifecycle;
    let auditor = Auditor::new(
        resources.lookup,
        lifecycle.policies.clone(),
        lifecycle.thresholds.clone(),
        lifecycle.as_of,
    )
    .with_dns(resources.dns);
    let log: Warn = Arc::new(|message: &str| {
        eprintln!("domlife serve: {}", printable(message));
    });
    let notifier = notify
        .map(|options| {
            let memory = match &resources.history {
                Some(store) => Memory::Store(store.clone()),
                None => Memory::Process(HashMap::new()),
            };
            notify_args::notifier(options, &settings, memory, Arc::clone(&log))
        })
        .transpose()?;
    let service = service(&args, &settings, auditor, resources.history, notifier, log);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(listen_and_serve(args.listen, service))?;
    Ok(ExitCode::SUCCESS)
}

/// The lists must be readable now, and must be files: standard input
/// cannot be read again at the next audit.
fn check_lists(inputs: &[PathBuf], read: &ReadOptions) -> anyhow::Result<()> {
    if inputs.iter().any(|input| input.as_os_str() == "-") {
        return Err(bad_input(anyhow!(
            "serve reads its lists again at each audit: give files, not standard input"
        )));
    }
    MergedEntries::open(inputs.iter().map(Source::from_arg), read).map_err(bad_input)?;
    Ok(())
}

fn service(
    args: &Args,
    settings: &RunSettings,
    auditor: Auditor,
    store: Option<Store>,
    notifier: Option<Notifier>,
    log: Warn,
) -> Service {
    Service {
        auditor,
        as_of: args.as_of.is_some().then_some(settings.lifecycle.as_of),
        lists: args.inputs.clone(),
        read: ReadOptions { csv: args.csv },
        every: args.every,
        window: settings.pacing.lookups_in_flight(),
        store,
        notifier,
        summary: notify_args::command_summary(),
        log,
    }
}

async fn listen_and_serve(address: SocketAddr, service: Service) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address}"))?;
    let bound = listener.local_addr().unwrap_or(address);
    let reach = if bound.ip().is_loopback() {
        "this machine only"
    } else {
        "not loopback: other machines can reach it, and /probe looks names up for whoever asks"
    };
    (service.log)(&format!(
        "listening on http://{bound}/ ({reach}); auditing {} list{} every {}",
        service.lists.len(),
        if service.lists.len() == 1 { "" } else { "s" },
        every_text(service.every)
    ));
    service.run(listener).await.context("the server failed")
}

/// `6h`, `30m`, `90s`.
fn every_text(every: Duration) -> String {
    let seconds = every.as_secs();
    match seconds {
        _ if seconds.is_multiple_of(86_400) => format!("{}d", seconds / 86_400),
        _ if seconds.is_multiple_of(3_600) => format!("{}h", seconds / 3_600),
        _ if seconds.is_multiple_of(60) => format!("{}m", seconds / 60),
        _ => format!("{seconds}s"),
    }
}
