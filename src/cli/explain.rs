//! `domlife explain [CODE]`: what a finding code means, why it matters and
//! what to do; without a code, the list of every code. The texts live in
//! [`crate::reconcile::explain`].

use std::process::ExitCode;

use anyhow::anyhow;
use clap::Parser;

use super::error::bad_input;
use super::format::Format;
use super::lifecycle_input::{emit, format};
use crate::reconcile::Code;
use crate::reconcile::explain::{Explanation, explain};

/// Width the paragraphs are wrapped to.
const WIDTH: usize = 78;

#[derive(Debug, Parser)]
#[command(
    about = "Explain a finding code: what it means, why it matters, what to do",
    after_help = "Examples:\n  \
        domlife explain\n  \
        domlife explain registry-auto-renewed\n  \
        domlife explain --format json"
)]
pub struct Args {
    /// A finding code (e.g. `grace`); without it every code is listed.
    pub code: Option<String>,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    pub format: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let format = format(&args.format)?;
    let text = match args.code.as_deref() {
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
