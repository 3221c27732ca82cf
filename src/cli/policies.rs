//! `domlife policies`: the policy table, or the policy resolved for one TLD
//! (and registrar), with the source and confidence of every figure.

use std::process::ExitCode;

use anyhow::anyhow;
use clap::Parser;
use comfy_table::{Table, presets};
use serde::Serialize;

use super::error::bad_input;
use super::format::Format;
use super::lifecycle_input;
use super::render::{figure_table, policy_line, yes_no};
use super::settings_args::ConfigArgs;
use crate::escape::printable_lines;
use crate::lifecycle::policy::Figure;
use crate::lifecycle::{PolicyEntry, ResolvedPolicy};

#[derive(Debug, Parser)]
#[command(
    about = "Show the lifecycle policy table, or the policy for one TLD and registrar",
    after_help = "Examples:\n  \
        domlife policies\n  \
        domlife policies cn\n  \
        domlife policies com --registrar 'NameCheap, Inc.' --format json\n  \
        domlife policies com --registrar 146 --policy-file my-policies.toml\n\n\
        Confidence: V = read in the cited source, 2nd = from a secondary copy, ? = unverified."
)]
pub struct Args {
    /// A TLD ("cn", ".uk", "中国"); without it the whole table is shown.
    pub tld: Option<String>,
    /// Sponsoring registrar: a name as the registry prints it, or an IANA registrar ID.
    #[arg(long)]
    pub registrar: Option<String>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

#[derive(Serialize)]
struct AllEntries<'a> {
    entries: Vec<&'a PolicyEntry>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = lifecycle_input::format(&args.format)?;
    let table = args.config.lifecycle(None)?.policies;
    let Some(tld) = args.tld.as_deref() else {
        if args.registrar.is_some() {
            return Err(bad_input(anyhow!(
                "--registrar needs a TLD (e.g. `domlife policies com --registrar ...`)"
            )));
        }
        let entries: Vec<&PolicyEntry> = table.entries().collect();
        match format {
            Format::Json => lifecycle_input::emit(
                &(serde_json::to_string_pretty(&AllEntries { entries })? + "\n"),
            )?,
            Format::Table => {
                lifecycle_input::emit(&printable_lines(&format!("{}\n", entries_table(&entries))))?
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    let tld = lifecycle_input::known_tld(tld)?;
    let registrar = args.registrar.as_deref().map(lifecycle_input::registrar);
    let policy = table.resolve(&tld, registrar.as_ref());
    match format {
        Format::Json => lifecycle_input::emit(&(serde_json::to_string_pretty(&policy)? + "\n"))?,
        Format::Table => lifecycle_input::emit(&printable_lines(&resolved_text(&policy)))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn resolved_text(policy: &ResolvedPolicy) -> String {
    let mut out = format!(
        "TLD {} ({})\nPolicy: {}\n",
        policy.tld,
        policy.class.selector(),
        policy_line(policy)
    );
    if let Some(matcher) = policy.registrar.as_ref() {
        out.push_str(&format!("Registrar: {}\n", matcher.label));
    }
    out.push_str(&format!(
        "Confidence of the dates: {}\n",
        policy.date_confidence()
    ));
    out.push_str(&figure_table(policy).to_string());
    out.push('\n');
    for text in &policy.explanations {
        out.push_str(&format!("Why ({}): {}\n", text.entry, text.text));
    }
    for text in &policy.notes {
        out.push_str(&format!("Note ({}): {}\n", text.entry, text.text));
    }
    out
}

fn entries_table(entries: &[&PolicyEntry]) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    table.set_header(["Entry", "Applies to", "Figure", "Value", "Conf.", "Source"]);
    for entry in entries {
        let mut applies = entry.tlds.join(", ");
        if let Some(matcher) = &entry.registrar {
            applies.push_str(&format!("; registrar {}", matcher.label));
            if !matcher.iana_ids.is_empty() {
                let ids: Vec<String> = matcher.iana_ids.iter().map(u32::to_string).collect();
                applies.push_str(&format!(" (IANA {})", ids.join(", ")));
            }
        }
        let mut rows: Vec<[String; 4]> = Vec::new();
        let mut add = |name: &str, value: Option<(String, &str, String)>| {
            if let Some((value, source, confidence)) = value {
                rows.push([name.to_owned(), value, confidence, source.to_owned()]);
            }
        };
        add("grace", shown(&entry.grace, |v| v.to_string()));
        add(
            "resolves in grace",
            shown(&entry.resolves_in_grace, |v| v.label().to_owned()),
        );
        add("redemption", shown(&entry.redemption, |v| v.to_string()));
        add(
            "pending delete",
            shown(&entry.pending_delete, |v| v.to_string()),
        );
        add(
            "release",
            shown(&entry.release, |v| v.describe().to_owned()),
        );
        add(
            "publishes expiry",
            shown(&entry.publishes_expiry, |v| yes_no(*v)),
        );
        add(
            "registry auto-renews",
            shown(&entry.auto_renews, |v| yes_no(*v)),
        );
        add(
            "auto-renew period",
            shown(&entry.auto_renew_period, |v| v.to_string()),
        );
        add(
            "WHOIS time zone",
            shown(&entry.time_zone, |v| v.to_string()),
        );
        for (index, [figure, value, confidence, source]) in rows.into_iter().enumerate() {
            let (id, applies) = if index == 0 {
                (entry.id.clone(), applies.clone())
            } else {
                (String::new(), String::new())
            };
            table.add_row([id, applies, figure, value, confidence, source]);
        }
    }
    table
}

fn shown<T>(
    figure: &Option<Figure<T>>,
    value: impl Fn(&T) -> String,
) -> Option<(String, &str, String)> {
    figure.as_ref().map(|figure| {
        (
            value(&figure.value),
            figure.source.as_str(),
            figure.confidence.to_string(),
        )
    })
}
