//! What a notification says, in the shapes webhook receivers accept
//! ([`NotifyFormat`]): one summary line, then one line per change, most
//! severe first.
//!
//! - `json` (the default): `{"text": ..., "changes": [...], "counts": ...}`.
//!   `text` is what Slack, Mattermost, Rocket.Chat and Teams-style incoming
//!   webhooks show (they ignore the other fields); `changes` is for
//!   programs (`domain`, `code`, `severity`, `kind`, `before`, `after`,
//!   `message`), with the run's `counts`.
//! - `discord`: `{"content": ...}` within Discord's 2,000 characters, with
//!   mentions turned off.
//! - `ntfy`: the text as a plain body, with `Title`, `Priority` and `Tags`
//!   headers.
//!
//! Text from registries and lists passes through [`printable`] (no line of
//! a message can be forged), and in `json` the three characters Slack
//! reads as markup (`&`, `<`, `>`) are escaped as Slack asks, so a
//! registrar's name cannot mention `@channel`. Long messages are cut at a
//! line, saying how many changes are left out; the `changes` list keeps the
//! first [`MAX_CHANGES`].

use chrono::{DateTime, Utc};
use clap::ValueEnum;
use serde::Serialize;
use serde_json::json;

use super::change::Change;
use crate::escape::printable;
use crate::reconcile::Severity;
use crate::report::Counts;

/// The most changes a `json` body lists.
pub const MAX_CHANGES: usize = 1_000;
/// The most lines of text a message has, besides its summary.
const MAX_LINES: usize = 50;

/// The shape of a notification's body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum NotifyFormat {
    /// JSON with `text` (Slack, Mattermost, Rocket.Chat, Teams) and the
    /// structured `changes`.
    #[default]
    Json,
    /// A Discord webhook: `content`, mentions off.
    Discord,
    /// An ntfy topic URL: the text as the body, with Title, Priority and Tags.
    Ntfy,
}

/// One notification: the changes to announce (already filtered and
/// sorted) and the run they come from.
#[derive(Debug, Clone)]
pub struct Notice<'a> {
    pub changes: &'a [Change],
    pub counts: Counts,
    pub as_of: DateTime<Utc>,
    pub started: DateTime<Utc>,
    pub finished: DateTime<Utc>,
}

/// A request body and the headers that go with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub bytes: Vec<u8>,
}

#[derive(Serialize)]
struct JsonBody<'a> {
    text: String,
    changes: &'a [Change],
    /// Changes left out of `changes` ([`MAX_CHANGES`]).
    omitted: usize,
    counts: Counts,
    as_of: DateTime<Utc>,
    started: DateTime<Utc>,
    finished: DateTime<Utc>,
}

/// The body of `notice` in `format`.
pub fn body(format: NotifyFormat, notice: &Notice<'_>) -> Body {
    match format {
        NotifyFormat::Json => {
            let listed = &notice.changes[..notice.changes.len().min(MAX_CHANGES)];
            let body = JsonBody {
                text: text(notice, 40_000, slack_escape),
                changes: listed,
                omitted: notice.changes.len() - listed.len(),
                counts: notice.counts,
                as_of: notice.as_of,
                started: notice.started,
                finished: notice.finished,
            };
            json_body(&body)
        }
        NotifyFormat::Discord => json_body(&json!({
            "content": text(notice, 2_000, str::to_owned),
            "allowed_mentions": {"parse": []},
        })),
        NotifyFormat::Ntfy => Body {
            content_type: "text/plain; charset=utf-8",
            headers: vec![
                ("Title", summary(notice)),
                ("Priority", priority(notice).to_owned()),
                ("Tags", tag(notice).to_owned()),
            ],
            bytes: text(notice, 4_000, str::to_owned).into_bytes(),
        },
    }
}

fn json_body(value: &impl Serialize) -> Body {
    Body {
        content_type: "application/json",
        headers: Vec::new(),
        // Serialising plain data with string keys cannot fail.
        bytes: serde_json::to_vec(value).unwrap_or_default(),
    }
}

/// `domlife: 3 changes (1 error, 2 warning) in 120 names as of 2025-01-01`.
fn summary(notice: &Notice<'_>) -> String {
    let count = |severity: Severity| {
        notice
            .changes
            .iter()
            .filter(|change| change.severity == severity)
            .count()
    };
    let by_severity: Vec<String> = Severity::ALL
        .into_iter()
        .rev()
        .filter(|severity| count(*severity) > 0)
        .map(|severity| format!("{} {severity}", count(severity)))
        .collect();
    let changes = notice.changes.len();
    format!(
        "domlife: {changes} change{} ({}) in {} names as of {}",
        if changes == 1 { "" } else { "s" },
        by_severity.join(", "),
        notice.counts.names,
        notice.as_of.date_naive()
    )
}

/// The summary, then a line per change while `budget` characters last.
fn text(notice: &Notice<'_>, budget: usize, escape: fn(&str) -> String) -> String {
    let mut text = escape(&summary(notice));
    let mut used = text.chars().count();
    // Room for the line saying how many are left out.
    let budget = budget.saturating_sub(60);
    for (shown, change) in notice.changes.iter().enumerate() {
        let line = escape(&format!(
            "[{}] {}: {}",
            change.severity,
            printable(&change.domain),
            printable(&change.message)
        ));
        let length = line.chars().count() + 1;
        if shown == MAX_LINES || used + length > budget {
            let left = notice.changes.len() - shown;
            text.push_str(&format!(
                "\n… and {left} more change{}",
                if left == 1 { "" } else { "s" }
            ));
            break;
        }
        used += length;
        text.push('\n');
        text.push_str(&line);
    }
    text
}

/// Slack's three control characters, as its message formatting guide asks.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn worst(notice: &Notice<'_>) -> Option<Severity> {
    notice.changes.iter().map(|change| change.severity).max()
}

fn priority(notice: &Notice<'_>) -> &'static str {
    match worst(notice) {
        Some(Severity::Error) => "high",
        _ => "default",
    }
}

fn tag(notice: &Notice<'_>) -> &'static str {
    match worst(notice) {
        Some(Severity::Error) => "rotating_light",
        Some(Severity::Warning) => "warning",
        _ => "information_source",
    }
}

#[cfg(test)]
mod tests;
