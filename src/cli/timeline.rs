//! `domlife timeline`: the lifecycle dates of one name from its expiry, the
//! policy of its TLD (and registrar) or durations given on the command line.

use std::process::ExitCode;

use anyhow::anyhow;
use chrono::{NaiveDate, SecondsFormat};
use clap::Parser;
use comfy_table::{Table, presets};
use serde::Serialize;

use super::lifecycle_input;
use super::settings_args::ConfigArgs;
use super::{Format, bad_input};
use crate::escape::printable_lines;
use crate::lifecycle::{DayRange, Expiry, Phase, PhaseAt, ResolvedPolicy, Stage, Timeline};
use crate::run::date_input::{self, DateInput};

#[derive(Debug, Parser)]
#[command(
    about = "Compute a name's expiry lifecycle: grace, redemption, pending delete, release",
    after_help = "Examples:\n  \
        domlife timeline example.com --expires 2024-06-30 --grace 30 --redemption 30 --pending-delete 5\n  \
        domlife timeline example.cn --expires 2025-03-10T11:05:05+08:00 --registrar 阿里云 --as-of 2025-04-20\n  \
        domlife timeline example.com --expires 2024-06-30 --registrar 'GoDaddy.com, LLC' --format json\n\n\
        Days are whole days of the registry's zone; the expiry day is the last active day and each \
        stage has exactly its number of days. A range (--grace 0-45) makes later dates windows."
)]
pub struct Args {
    /// The domain name (its TLD selects the policy).
    pub domain: String,
    /// Expiry: a date (YYYY-MM-DD) or an RFC 3339 date-time.
    #[arg(long)]
    pub expires: String,
    /// Sponsoring registrar: a name as the registry prints it, or an IANA registrar ID.
    #[arg(long)]
    pub registrar: Option<String>,
    /// Days renewable after expiry, N or MIN-MAX (overrides the policy).
    #[arg(long, allow_hyphen_values = true)]
    pub grace: Option<String>,
    /// Days of redemption (overrides the policy).
    #[arg(long, allow_hyphen_values = true)]
    pub redemption: Option<String>,
    /// Days of pending delete (overrides the policy).
    #[arg(long = "pending-delete", allow_hyphen_values = true)]
    pub pending_delete: Option<String>,
    /// Which phase the name is in on this date or date-time [default: now].
    #[arg(long = "as-of")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

/// The JSON form of a timeline with its policy (also part of `show`).
#[derive(Debug, Serialize)]
pub(super) struct Report<'a> {
    domain: String,
    tld: &'a str,
    #[serde(flatten)]
    timeline: &'a Timeline,
    as_of: AsOf,
    policy: &'a ResolvedPolicy,
    /// The weakest confidence among the figures the dates depend on.
    confidence: crate::lifecycle::Confidence,
}

#[derive(Debug, Serialize)]
struct AsOf {
    day: NaiveDate,
    /// The phase, or null when the day lies inside a boundary window.
    phase: Option<Phase>,
    /// Every phase the name can be in on that day.
    possible: Vec<Phase>,
}

impl<'a> Report<'a> {
    pub(super) fn new(
        domain: String,
        tld: &'a str,
        timeline: &'a Timeline,
        phase_at: &PhaseAt,
        policy: &'a ResolvedPolicy,
    ) -> Report<'a> {
        Report {
            domain,
            tld,
            timeline,
            as_of: AsOf::from(phase_at),
            policy,
            confidence: policy.date_confidence(),
        }
    }
}

impl From<&PhaseAt> for AsOf {
    fn from(at: &PhaseAt) -> AsOf {
        AsOf {
            day: at.day,
            phase: at.certain(),
            possible: at.phases.clone(),
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = lifecycle_input::format(&args.format)?;
    let tld = tld_of_domain(&args.domain)?;
    let expiry = match date_input::parse_date("expires", &args.expires).map_err(bad_input)? {
        DateInput::Day(day) => Expiry::Day(day),
        DateInput::Instant(instant) => Expiry::Instant(instant),
    };
    let lifecycle = args.config.lifecycle(args.as_of.as_deref())?;
    let registrar = args.registrar.as_deref().map(lifecycle_input::registrar);
    let mut policy = lifecycle.policies.resolve(&tld, registrar.as_ref());
    for (stage, flag, text) in [
        (Stage::Grace, "--grace", &args.grace),
        (Stage::Redemption, "--redemption", &args.redemption),
        (
            Stage::PendingDelete,
            "--pending-delete",
            &args.pending_delete,
        ),
    ] {
        if let Some(text) = text {
            let days =
                DayRange::parse(text).map_err(|error| bad_input(anyhow!("{flag}: {error}")))?;
            policy.override_stage(stage, days, flag);
        }
    }
    let timeline = Timeline::for_policy(expiry, &policy)
        .map_err(|error| bad_input(anyhow!("--expires: {error}")))?;
    let phase_at = lifecycle.as_of.phase_on(&timeline);
    let domain = args.domain.trim().trim_end_matches('.').to_lowercase();
    let report = Report::new(domain, &tld, &timeline, &phase_at, &policy);
    match format {
        Format::Json => lifecycle_input::emit(&(serde_json::to_string_pretty(&report)? + "\n"))?,
        Format::Table => {
            lifecycle_input::emit(&printable_lines(&render_table(&report, &phase_at)))?
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The TLD of a name as typed, through the same normalisation as every
/// other input (IDNA, URL and e-mail forms, registrable domain).
fn tld_of_domain(domain: &str) -> anyhow::Result<String> {
    let normalized = crate::domain::normalize(domain)
        .map_err(|error| bad_input(anyhow!("{domain:?}: {error}")))?;
    Ok(normalized.name.tld().to_owned())
}

pub(super) fn render_table(report: &Report<'_>, phase_at: &PhaseAt) -> String {
    let timeline = report.timeline;
    let policy = report.policy;
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
    out.push_str(&format!("{} expires {expires}\n", report.domain));

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
        report.confidence
    ));
    out.push_str(&format!("Policy: {}\n", policy_line(policy)));
    if !policy.overridden.is_empty() {
        let names: Vec<&str> = policy.overridden.iter().map(|stage| stage.name()).collect();
        out.push_str(&format!(
            "Overridden on the command line: {}\n",
            names.join(", ")
        ));
    }
    out.push_str(&super::policies::figure_table(policy).to_string());
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
pub(super) fn policy_line(policy: &ResolvedPolicy) -> String {
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
