//! `domlife explain [CODE]`: what a finding code means, why it matters and
//! what to do; without a code, the list of every code. The texts live in
//! [`crate::reconcile::explain`]. One topic is not a code:
//! `domlife explain whois-readers` lists which registries' WHOIS answers are
//! read with conventions of their own and which by the generic reader alone.

use std::process::ExitCode;

use anyhow::anyhow;
use clap::Parser;

use super::error::bad_input;
use super::format::Format;
use super::lifecycle_input::{emit, format};
use crate::reconcile::Code;
use crate::reconcile::explain::{Explanation, explain};
use crate::whois::{self, KnownRegistry};

/// Width the paragraphs are wrapped to.
const WIDTH: usize = 78;

#[derive(Debug, Parser)]
#[command(
    about = "Explain a finding code: what it means, why it matters, what to do",
    after_help = "Examples:\n  \
        domlife explain\n  \
        domlife explain registry-auto-renewed\n  \
        domlife explain whois-readers\n  \
        domlife explain --format json"
)]
pub struct Args {
    /// A finding code (e.g. `grace`), or `whois-readers`; without it every
    /// code is listed.
    pub code: Option<String>,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = format(&args.format)?;
    let text = match args.code.as_deref() {
        Some(WHOIS_READERS) => {
            let known = whois::known_registries();
            match format {
                Format::Json => serde_json::to_string_pretty(&whois_readers_json(&known))? + "\n",
                Format::Table => whois_readers(&known),
            }
        }
        Some(text) => {
            let code = text
                .parse::<Code>()
                .map_err(|error| bad_input(anyhow!("{error}; the codes are: {}", code_list())))?;
            let explanation = explain(code);
            match format {
                Format::Json => serde_json::to_string_pretty(&explanation)? + "\n",
                Format::Table => paragraph(&explanation),
            }
        }
        None => {
            let all: Vec<Explanation> = Code::ALL.into_iter().map(explain).collect();
            match format {
                Format::Json => serde_json::to_string_pretty(&all)? + "\n",
                Format::Table => listing(&all),
            }
        }
    };
    emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The topic that lists the WHOIS readers.
const WHOIS_READERS: &str = "whois-readers";

fn whois_readers(known: &[KnownRegistry]) -> String {
    let mut out = wrap(
        "Every WHOIS answer is read by one generic reader (key: value lines, \
         headings and indented blocks, RPSL-style objects, bracketed and \
         columnar keys, in English and the registries' own languages). The \
         registries below are read with conventions of their own on top: \
         the servers listed are recognised, all-numeric dates are read in \
         the registry's day order where it is marked, and a charset where \
         one is given. Any other \
         registry is read by the generic reader alone: its times without a \
         zone are in the zone the policy table gives its TLD (UTC when none), \
         and an all-numeric date is read only when the answer's dates show \
         their order.",
        WIDTH,
    );
    out.push_str("\n\nRegistries with conventions of their own:\n");
    let width = known.iter().map(|r| r.tld.len()).max().unwrap_or(0) + 1;
    for registry in known {
        let mut traits = Vec::new();
        if registry.day_first {
            traits.push("day first".to_string());
        }
        if let Some(charset) = &registry.charset {
            traits.push(format!("charset {charset}"));
        }
        let traits = if traits.is_empty() {
            String::new()
        } else {
            format!(" ({})", traits.join(", "))
        };
        out.push_str(&format!(
            "  .{:width$} {}{traits}\n",
            registry.tld,
            if registry.servers.is_empty() {
                "(any server)".to_string()
            } else {
                registry.servers.join(", ")
            }
        ));
    }
    out.push_str(
        "\nAll other TLDs: the generic reader. A WHOIS answer it cannot read is \
         reported with its first lines, escaped: please send them in a bug report.\n",
    );
    out
}

fn whois_readers_json(known: &[KnownRegistry]) -> serde_json::Value {
    let registries: Vec<serde_json::Value> = known
        .iter()
        .map(|registry| {
            serde_json::json!({
                "tld": registry.tld,
                "servers": registry.servers,
                "day_first": registry.day_first,
                "charset": registry.charset,
            })
        })
        .collect();
    serde_json::json!({
        "reader": "generic",
        "registries_with_conventions": registries,
        "others": "generic reader alone",
    })
}

fn code_list() -> String {
    Code::ALL
        .iter()
        .map(|code| code.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn listing(all: &[Explanation]) -> String {
    let width = all
        .iter()
        .map(|explanation| explanation.code.as_str().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for explanation in all {
        out.push_str(&format!(
            "{:width$}  {}\n",
            explanation.code.as_str(),
            explanation.summary
        ));
    }
    out.push_str("\nRun `domlife explain CODE` for what a code means and what to do.\n");
    out
}

fn paragraph(explanation: &Explanation) -> String {
    format!(
        "{}: {}\nSeverity: {}\n\n{}\n",
        explanation.code,
        explanation.summary,
        explanation.severity,
        wrap(explanation.text, WIDTH)
    )
}

/// Greedy word wrap; a word longer than the width gets a line of its own.
fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whois_readers_list_known_registries_and_the_generic_reader() {
        let text = whois_readers(&whois::known_registries());
        let lines: Vec<String> = text
            .lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        for expected in [
            ".jp whois.jprs.jp, whois.nic.ad.jp",
            ".kr whois.kr, whois.nic.or.kr (charset EUC-KR)",
            ".fr whois.nic.fr (day first)",
            ".lu (any server) (day first)",
        ] {
            assert!(
                lines.iter().any(|line| line == expected),
                "{expected}\n{text}"
            );
        }
        assert!(
            text.contains("All other TLDs: the generic reader."),
            "{text}"
        );
        let json = whois_readers_json(&whois::known_registries());
        assert_eq!(json["reader"], "generic");
        assert!(
            json["registries_with_conventions"]
                .as_array()
                .is_some_and(|all| all.len() > 40)
        );
    }

    #[test]
    fn the_readme_lists_every_registry_with_conventions() {
        let readme = include_str!("../../README.md").replace('\n', " ");
        for registry in whois::known_registries() {
            let listed = format!(" .{} ", registry.tld);
            assert!(readme.contains(&listed), "README misses .{}", registry.tld);
        }
    }

    #[test]
    fn wrap_keeps_every_word_and_the_width() {
        let text = "one two three four five six seven eight nine ten eleven";
        let wrapped = wrap(text, 14);
        assert!(wrapped.lines().all(|line| line.chars().count() <= 14));
        assert_eq!(
            wrapped.split_whitespace().collect::<Vec<_>>().join(" "),
            text
        );
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            "averyveryverylongword\nx"
        );
    }
}
