//! The notification flags of `check` and `serve` (`--notify`,
//! `--notify-on`, `--notify-format`), lowered into the notifier
//! ([`crate::run::listeners::notify`]), and the command line as a run
//! records it, with the webhook secrets taken out.

use std::sync::Arc;

use anyhow::anyhow;
use clap::{Args, ValueEnum};

use super::error::bad_input;
use crate::baseline::Baseline;
use crate::net::AddressPolicy;
use crate::notify::{NotifyFormat, Sender, SenderConfig, Target};
use crate::reconcile::Severity;
use crate::run::RunSettings;
use crate::run::listeners::Warn;
use crate::run::listeners::history::HistoryRecorder;
use crate::run::listeners::notify::{Memory, Notifier, NotifyOptions};

#[derive(Debug, Clone, Args)]
pub struct NotifyArgs {
    /// POST what changed since the last notification to this webhook URL
    /// (repeatable; or DOMLIFE_NOTIFY, URLs separated by spaces, which
    /// keeps the secret out of the process list). Nothing is sent when
    /// nothing changed. https, or http to this machine with
    /// --allow-loopback. Shown as scheme://host/… only.
    #[arg(
        long = "notify",
        value_name = "URL",
        env = "DOMLIFE_NOTIFY",
        hide_env_values = true,
        value_delimiter = ' '
    )]
    pub notify: Vec<String>,
    /// The least severe change that is sent.
    #[arg(long, value_enum, default_value = "warning", value_name = "SEVERITY")]
    pub notify_on: NotifyOn,
    /// The body: json (Slack, Mattermost, Rocket.Chat, Teams: `text`, plus
    /// `changes` and `counts`), discord or ntfy.
    #[arg(long, value_enum, default_value = "json")]
    pub notify_format: NotifyFormat,
}

/// `--notify-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NotifyOn {
    Notice,
    Warning,
    Error,
}

impl NotifyArgs {
    /// The targets and options, checked against the network rules before
    /// the run (exit 2); `None` without `--notify`.
    pub fn options(&self, policy: AddressPolicy) -> anyhow::Result<Option<NotifyOptions>> {
        let targets = self
            .notify
            .iter()
            .filter(|url| !url.trim().is_empty())
            .map(|url| Target::parse(url, policy).map_err(|error| bad_input(anyhow!(error))))
            .collect::<anyhow::Result<Vec<_>>>()?;
        if targets.is_empty() {
            return Ok(None);
        }
        Ok(Some(NotifyOptions {
            targets,
            threshold: match self.notify_on {
                NotifyOn::Notice => Severity::Notice,
                NotifyOn::Warning => Severity::Warning,
                NotifyOn::Error => Severity::Error,
            },
            format: self.notify_format,
        }))
    }
}

/// The notifier of `options`, posting with the lookups' network rules and
/// deadlines.
pub fn notifier(
    options: NotifyOptions,
    settings: &RunSettings,
    memory: Memory,
    warn: Warn,
) -> anyhow::Result<Notifier> {
    let client = settings.lookup.client;
    let sender = Sender::new(SenderConfig {
        policy: client.policy,
        connect_timeout: client.connect_timeout,
        timeout: client.timeout,
        ..SenderConfig::default()
    })?;
    Ok(Notifier::new(options, sender, memory, warn))
}

/// The notifier of a `check` run: it compares with the baseline when there
/// is one, else with what the store says each target was told, else with
/// nothing; and with a store, remembers what it delivered as the run
/// `history` records.
pub fn check_notifier(
    options: NotifyOptions,
    settings: &RunSettings,
    baseline: Option<Arc<Baseline>>,
    history: Option<&HistoryRecorder>,
    warn: Warn,
) -> anyhow::Result<Notifier> {
    let store = history.map(|history| (history.store().clone(), history.recorded_run()));
    let memory = match (baseline, &store) {
        (Some(baseline), _) => Memory::Baseline(baseline),
        (None, Some((store, _))) => Memory::Store(store.clone()),
        (None, None) => Memory::Nothing,
    };
    let mut notifier = notifier(options, settings, memory, warn)?;
    if let Some((store, run)) = store {
        notifier.remember_in(store, run);
    }
    Ok(notifier)
}

/// The command line, as a run records it in the store: the values of
/// `--notify` replaced by `scheme://host/…`.
pub fn command_summary() -> String {
    redact(std::env::args().skip(1))
}

fn redact(args: impl Iterator<Item = String>) -> String {
    let shown = |url: &str| {
        Target::parse(url, AddressPolicy::LOCAL)
            .map_or_else(|_| "…".to_owned(), |target| target.to_string())
    };
    let mut out = Vec::new();
    let mut next_is_url = false;
    for arg in args {
        if next_is_url {
            out.push(shown(&arg));
            next_is_url = false;
        } else if arg == "--notify" {
            out.push(arg);
            next_is_url = true;
        } else if let Some(url) = arg.strip_prefix("--notify=") {
            out.push(format!("--notify={}", shown(url)));
        } else {
            out.push(arg);
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_command_line_has_no_webhook_secret() {
        let args = [
            "check",
            "domains.txt",
            "--notify",
            "https://hooks.slack.com/services/T0/B0/SECRET",
            "--notify=https://ntfy.example/topic?auth=SECRET",
            "--notify",
            "not a url SECRET",
        ];
        let summary = redact(args.into_iter().map(str::to_owned));
        assert_eq!(
            summary,
            "check domains.txt --notify https://hooks.slack.com/… \
             --notify=https://ntfy.example/… --notify …"
        );
    }
}
