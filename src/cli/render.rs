//! How a resolved policy and a timeline read: the figure table and the
//! one-line policy summary (`policies`, `timeline`, `show`), and the
//! table of a timeline's [`Report`] (`timeline`, `show`).
//!
//! It lives in `cli/` and not in `report/` because it renders the commands
//! that print one object, not the results of a `check` run; it is a leaf of
//! its own so that `policies.rs` and `timeline.rs`, which both use it, do
//! not import each other, and `show.rs` takes the timeline from here too.

use chrono::SecondsFormat;
use comfy_table::{Table, presets};

pub(crate) use crate::lifecycle::TimelineReport as Report;
use crate::lifecycle::resolved::Resolved;
use crate::lifecycle::{Expiry, PhaseAt, ResolvedPolicy};

pub(crate) fn render_table(report: &Report<'_>, phase_at: &PhaseAt) -> String {
    let timeline = report.timeline();
    let policy = report.policy();
    let mut out = String::new();
    let expires = match timeline.expiry() {
        Expiry::Day(day) => day.to_string(),
        Expiry::Instant(instant) => format!(
            "{} ({} in the registry's zone {})",
            instant.to_rfc3339_opts(SecondsFormat::Secs, true),
            timeline.expiry_day(),
            timeline.zone()
        ),
    };
    out.push_str(&format!("{} expires {expires}\n", report.domain()));

    let mut phases = Table::new();
    phases.load_preset(presets::UTF8_FULL_CONDENSED);
    phases.set_header(["Phase", "From", "To", "Days"]);
    for span in timeline.phases() {
        let days = span.days.map_or(String::new(), |days| {
            if span.may_be_skipped {
                format!("{days} (may be skipped)")
            } else {
                days.to_string()
            }
        });
        phases.add_row([
            span.phase.name().to_owned(),
            span.start
                .map_or(String::new(), |window| window.to_string()),
            span.end.map_or(String::new(), |window| window.to_string()),
            days,
        ]);
    }
    out.push_str(&format!("{phases}\n"));
    out.push_str(&format!("Released: {}\n", timeline.release()));
    let state = match phase_at.certain() {
        Some(phase) => phase.name().to_owned(),
        None => format!("{} (inside a boundary window)", phase_at.describe()),
    };
    out.push_str(&format!("As of {}: {state}\n", phase_at.day));
    out.push_str(&format!(
        "Confidence: {} (weakest figure behind the dates)\n",
        report.confidence()
    ));
    out.push_str(&format!("Policy: {}\n", policy_line(policy)));
    if !policy.overridden.is_empty() {
        let names: Vec<&str> = policy.overridden.iter().map(|stage| stage.name()).collect();
        out.push_str(&format!(
            "Overridden on the command line: {}\n",
            names.join(", ")
        ));
    }
    out.push_str(&figure_table(policy).to_string());
    out.push('\n');
    // With overrides, the entry texts describe dates that were not used.
    let prefix = if policy.overridden.is_empty() {
        ""
    } else {
        "policy default, "
    };
    for text in &policy.explanations {
        out.push_str(&format!("Why ({prefix}{}): {}\n", text.entry, text.text));
    }
    for text in &policy.notes {
        out.push_str(&format!("Note ({prefix}{}): {}\n", text.entry, text.text));
    }
    out
}

/// "cn (tld) + aliyun-cn (registrar Alibaba Cloud, matched by name "阿里云")".
pub(crate) fn policy_line(policy: &ResolvedPolicy) -> String {
    let mut parts: Vec<String> = policy.entries.clone();
    if let Some(registrar) = &policy.registrar
        && let Some(last) = parts.iter_mut().find(|id| **id == registrar.entry)
    {
        let how = match &registrar.matched_by {
            crate::lifecycle::resolved::MatchedBy::IanaId(id) => format!("IANA ID {id}"),
            crate::lifecycle::resolved::MatchedBy::Name(alias) => format!("name {alias:?}"),
        };
        *last = format!("{last} (registrar {}, matched by {how})", registrar.label);
    }
    parts.join(" + ")
}

/// One row per figure of a resolved policy: value, confidence, source, entry.
pub(crate) fn figure_table(policy: &ResolvedPolicy) -> Table {
    fn row<T>(name: &str, resolved: &Resolved<T>, value: String) -> [String; 5] {
        [
            name.to_owned(),
            value,
            resolved.figure.confidence.to_string(),
            resolved.figure.source.clone(),
            resolved.entry.clone(),
        ]
    }
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(["Figure", "Value", "Conf.", "Source", "Entry"]);
    table.add_row(row(
        "grace (days)",
        &policy.grace,
        policy.grace.value().to_string(),
    ));
    table.add_row(row(
        "resolves in grace",
        &policy.resolves_in_grace,
        policy.resolves_in_grace.figure.value.label().to_owned(),
    ));
    table.add_row(row(
        "redemption (days)",
        &policy.redemption,
        policy.redemption.value().to_string(),
    ));
    table.add_row(row(
        "pending delete (days)",
        &policy.pending_delete,
        policy.pending_delete.value().to_string(),
    ));
    table.add_row(row(
        "release",
        &policy.release,
        policy.release.figure.value.describe().to_owned(),
    ));
    table.add_row(row(
        "publishes expiry",
        &policy.publishes_expiry,
        yes_no(policy.publishes_expiry.figure.value),
    ));
    table.add_row(row(
        "registry auto-renews",
        &policy.auto_renews,
        yes_no(policy.auto_renews.figure.value),
    ));
    table.add_row(row(
        "auto-renew (days)",
        &policy.auto_renew_period,
        policy.auto_renew_period.value().to_string(),
    ));
    table.add_row(row(
        "WHOIS time zone",
        &policy.time_zone,
        policy.time_zone.figure.value.to_string(),
    ));
    table
}

pub(crate) fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}
