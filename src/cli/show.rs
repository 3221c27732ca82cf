//! `domlife show DOMAIN`: a live lookup of one name, printed with the servers
//! that answered and the lifecycle timeline its expiry and policy give.
//!
//! The command is for a person checking one name before a renewal, transfer
//! or deletion; `check` does the same for lists. A failed registry lookup
//! exits 1 with the reason; a registrar that fails is only a note.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::anyhow;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::error::bad_input;
use super::fetch_args::FetchArgs;
use super::format::Format;
use super::lifecycle_input;
use super::lookup_args::LookupArgs;
use super::render::{Report, render_table};
use super::settings_args::{self, ConfigArgs};
use super::store_args::StoreArgs;
use crate::audit::{AsOf, Auditor, Judged};
use crate::dns::{DnsAnswer, DnsReport};
use crate::domain::{self, DomainName};
use crate::escape::{printable, printable_lines};
use crate::input::InputItem;
use crate::lifecycle::PhaseAt;
use crate::lookup::{Answer, Exchange};
use crate::reconcile::Finding;

#[derive(Debug, clap::Args)]
#[command(
    about = "Look one name up live (RDAP, or WHOIS where the TLD has no RDAP) and show its record and timeline",
    after_help = "Examples:\n  \
        domlife show example.com\n  \
        domlife show bücher.de --format json\n  \
        domlife show example.cn --as-of 2026-12-01\n  \
        domlife show example.com --rdap-server com=http://127.0.0.1:8080/ --allow-loopback\n  \
        domlife show example.com --dns --dns-server 9.9.9.9\n\n\
        Exit status: 0 when the registry answered (registered or not), 1 when the lookup \
        failed, 2 for bad input."
)]
pub struct Args {
    /// The domain name (IDN, URL or e-mail forms are accepted; a subdomain is
    /// reduced to its registrable domain).
    pub domain: String,
    #[command(flatten)]
    pub lookup: LookupArgs,
    #[command(flatten)]
    pub fetch: FetchArgs,
    #[command(flatten)]
    pub store: StoreArgs,
    /// Which phase the name is in on this date or date-time [default: now].
    #[arg(long = "as-of")]
    pub as_of: Option<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// The JSON form of the command's answer.
#[derive(Debug, Serialize)]
struct Shown<'a> {
    #[serde(flatten)]
    answer: &'a Answer,
    /// How the input was normalised (URL, e-mail, subdomain).
    input_notes: &'a [String],
    /// What needs attention, worst first (`domlife explain CODE`).
    findings: &'a [Finding],
    /// The lifecycle, when the record has an expiry.
    timeline: Option<Report<'a>>,
    /// Why there is no timeline, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    timeline_missing: Option<String>,
    /// What DNS answered (`--dns`).
    #[serde(skip_serializing_if = "Option::is_none")]
    dns: Option<&'a DnsReport>,
    /// Why DNS could not be asked, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    dns_note: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let normalized =
        domain::normalize(&args.domain).map_err(|error| bad_input(anyhow!("{error}")))?;
    let settings = settings_args::run_settings(
        &args.config,
        &args.lookup,
        &args.fetch,
        &args.store,
        args.as_of.as_deref(),
    )?;
    let resources = settings_args::open(&settings)?;
    let lifecycle = &settings.lifecycle;
    let auditor = Auditor::new(
        resources.lookup,
        lifecycle.policies.clone(),
        lifecycle.thresholds.clone(),
        lifecycle.as_of,
    )
    .with_dns(resources.dns);
    let item = InputItem::named(normalized, &args.domain);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let judged = runtime
        .block_on(auditor.judge(&item))
        .map_err(|error| anyhow!("{}: {error}", item.name.ascii()))?;
    let output = match args.format {
        Format::Json => render_json(&item, &judged, lifecycle.as_of)?,
        Format::Table => render_text(&item, &judged, lifecycle.as_of),
    };
    lifecycle_input::emit(&output)?;
    Ok(ExitCode::SUCCESS)
}

/// The timeline report, from the dates alone, and where the name stands on
/// it as of the audit date; or why there is none.
fn timeline_of<'a>(
    item: &'a InputItem,
    judged: &'a Judged,
    as_of: AsOf,
) -> Result<(Report<'a>, PhaseAt), String> {
    match (&judged.assessment.timeline, judged.answer.record.registered) {
        (Some(timeline), _) => {
            let at = as_of.phase_on(timeline);
            let name = &item.name;
            let report = Report::new(
                name.ascii().to_owned(),
                name.tld(),
                timeline,
                &at,
                &judged.policy,
            );
            Ok((report, at))
        }
        (None, true) => Err("the registry publishes no expiry date for this name".to_owned()),
        (None, false) => Err("the registry has no such name".to_owned()),
    }
}

fn render_json(item: &InputItem, judged: &Judged, as_of: AsOf) -> anyhow::Result<String> {
    let (timeline, timeline_missing) = match timeline_of(item, judged, as_of) {
        Ok((report, _)) => (Some(report), None),
        Err(why) => (None, Some(why)),
    };
    let shown = Shown {
        answer: &judged.answer,
        input_notes: &item.notes,
        findings: &judged.assessment.findings,
        timeline,
        timeline_missing,
        dns: judged.dns.as_ref().and_then(|dns| dns.as_ref().ok()),
        dns_note: judged.dns_note(),
    };
    Ok(serde_json::to_string_pretty(&shown)? + "\n")
}

fn render_text(item: &InputItem, judged: &Judged, as_of: AsOf) -> String {
    let findings = &judged.assessment.findings;
    let mut out = render_record(&item.name, &judged.answer, &item.notes);
    out.push_str(&render_dns(judged));
    let _ = writeln!(out, "Findings:");
    if findings.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for finding in findings {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            finding.severity,
            finding.code,
            printable(&finding.message)
        );
    }
    match timeline_of(item, judged, as_of) {
        Ok((report, at)) => {
            out.push('\n');
            out.push_str(&render_table(&report, &at));
        }
        Err(why) => {
            let _ = writeln!(out, "\nTimeline: {why}");
        }
    }
    printable_lines(&out)
}

fn render_record(name: &DomainName, answer: &Answer, input_notes: &[String]) -> String {
    let record = &answer.record;
    let mut out = String::new();
    let title = if name.unicode() == name.ascii() {
        name.ascii().to_owned()
    } else {
        format!("{} ({})", name.unicode(), name.ascii())
    };
    let _ = writeln!(out, "{title}");
    for note in input_notes {
        let _ = writeln!(out, "  input: {}", printable(note));
    }
    let mut field = |label: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(out, "  {label:<17} {}", printable(&value));
        }
    };
    field(
        "registered",
        if record.registered { "yes" } else { "no" }.to_owned(),
    );
    field("expires", instant(record.expires));
    field("registrar expires", instant(record.registrar_expires));
    field("created", instant(record.created));
    field("updated", instant(record.updated));
    field("statuses", join(&record.statuses));
    if let Some(view) = &record.registrar_view {
        field("registrar says", join(&view.statuses));
    }
    if let Some(registrar) = &record.registrar {
        let id = registrar
            .iana_id
            .as_deref()
            .map_or(String::new(), |id| format!(" (IANA {id})"));
        field(
            "registrar",
            format!("{}{id}", registrar.name.as_deref().unwrap_or("?")),
        );
    }
    field("nameservers", record.nameservers.join(" "));
    field(
        "dnssec",
        match record.dnssec {
            Some(true) => "signed",
            Some(false) => "unsigned",
            None => "",
        }
        .to_owned(),
    );
    field("deletion", instant(record.registry_dates.deletion));
    field("release", instant(record.registry_dates.release));
    for note in &record.notes {
        let _ = writeln!(out, "  note: {}", printable(note));
    }
    let _ = writeln!(out, "Asked:");
    for exchange in &answer.asked {
        let _ = writeln!(out, "  {}", printable(&exchange_line(exchange)));
    }
    out
}

/// The DNS section: every question with its records and TTLs, or its
/// outcome; nothing when DNS was not asked. Every value from DNS is
/// escaped here, before the page's own line breaks are added.
fn render_dns(judged: &Judged) -> String {
    let mut out = String::new();
    let report = match &judged.dns {
        None => return out,
        Some(Ok(report)) => report,
        Some(Err(_)) => {
            let note = judged.dns_note().unwrap_or_default();
            let _ = writeln!(out, "DNS:\n  note: {}", printable(&note));
            return out;
        }
    };
    let resolvers = if report.resolvers.is_empty() {
        "the system's resolver".to_owned()
    } else {
        report.resolvers.join(", ")
    };
    let by = report
        .answered_by
        .as_deref()
        .map_or(String::new(), |server| format!(", answered by {server}"));
    let _ = writeln!(
        out,
        "DNS (asked {}{}):",
        printable(&resolvers),
        printable(&by)
    );
    for answer in &report.answers {
        for line in answer_lines(answer) {
            let _ = writeln!(out, "  {line}");
        }
    }
    for note in report.notes.iter().cloned().chain(judged.dns_note()) {
        let _ = writeln!(out, "  note: {}", printable(&note));
    }
    out
}

/// `A     192.0.2.1 (ttl 300)`, one line a record, or the outcome.
fn answer_lines(answer: &DnsAnswer) -> Vec<String> {
    let kind = answer.kind.as_str();
    if answer.records.is_empty() {
        let error = answer
            .error
            .as_deref()
            .map_or(String::new(), |error| format!(": {}", printable(error)));
        return vec![format!("{kind:<5} {}{error}", answer.outcome.as_str())];
    }
    let mut lines: Vec<String> = answer
        .records
        .iter()
        .enumerate()
        .map(|(index, record)| {
            let label = if index == 0 { kind } else { "" };
            format!(
                "{label:<5} {} (ttl {})",
                printable(&record.data),
                record.ttl
            )
        })
        .collect();
    if answer.omitted > 0 {
        lines.push(format!("{:<5} ... {} more not kept", "", answer.omitted));
    }
    lines
}

fn exchange_line(exchange: &Exchange) -> String {
    let target = exchange.url.as_deref().unwrap_or(&exchange.server);
    format!(
        "{} {:<9} {target}: {}",
        exchange.protocol, exchange.role, exchange.outcome
    )
}

fn instant(value: Option<DateTime<Utc>>) -> String {
    value.map_or(String::new(), |value| {
        value.to_rfc3339_opts(SecondsFormat::Secs, true)
    })
}

fn join(statuses: &[crate::status::Status]) -> String {
    statuses
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
