//! Flags about reports shared by `check` and `merge`: `--fail-on`,
//! `--color`, and `--report FORMAT=FILE` (more reports besides the one on
//! standard output, written at the end). Report directories are checked
//! before any lookup, so that a typo in a CI job fails in a second, not
//! after an hour of auditing.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use clap::ValueEnum;

use crate::reconcile::Severity;
use crate::report::ReportFormat;

/// Which findings fail the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Notice,
    Warning,
    Error,
    /// Never fail on findings (exit 0 unless interrupted).
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Notice => Some(Severity::Notice),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Error => Some(Severity::Error),
            FailOn::Never => None,
        }
    }
}

/// When to colour the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Colour or not: `NO_COLOR` (any non-empty value) turns `auto` off,
    /// as does output that is not a terminal.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
                !no_color && io::stdout().is_terminal()
            }
        }
    }
}

/// One `--report FORMAT=FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTarget {
    pub format: ReportFormat,
    pub path: PathBuf,
}

/// The clap value parser of `--report`.
pub fn parse_report_target(text: &str) -> Result<ReportTarget, String> {
    let (format, path) = text
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE (e.g. junit=junit.xml), got {text:?}"))?;
    let format = ReportFormat::from_str(format.trim(), true).map_err(|_| {
        let known: Vec<String> = ReportFormat::value_variants()
            .iter()
            .filter_map(|format| format.to_possible_value())
            .map(|value| value.get_name().to_owned())
            .collect();
        format!("unknown format {format:?} (one of {})", known.join(", "))
    })?;
    if path.is_empty() {
        return Err(format!("no file after {format:?}="));
    }
    Ok(ReportTarget {
        format,
        path: PathBuf::from(path),
    })
}

/// Refuses, before the run, targets whose directory does not exist and two
/// targets writing the same file.
pub fn check_targets(targets: &[ReportTarget]) -> anyhow::Result<()> {
    for (index, target) in targets.iter().enumerate() {
        let directory = match target.path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        if !directory.is_dir() {
            return Err(anyhow!(
                "cannot write the report {}: the directory {} does not exist",
                target.path.display(),
                directory.display()
            ));
        }
        if target.path.is_dir() {
            return Err(anyhow!(
                "cannot write the report {}: it is a directory",
                target.path.display()
            ));
        }
        if targets[..index]
            .iter()
            .any(|other| other.path == target.path)
        {
            return Err(anyhow!("--report names {} twice", target.path.display()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("junit=out/junit.xml", ReportFormat::Junit, "out/junit.xml")]
    #[case("Markdown=/tmp/a=b.md", ReportFormat::Markdown, "/tmp/a=b.md")]
    #[case("prometheus=domlife.prom", ReportFormat::Prometheus, "domlife.prom")]
    fn targets_parse(#[case] text: &str, #[case] format: ReportFormat, #[case] path: &str) {
        assert_eq!(
            parse_report_target(text),
            Ok(ReportTarget {
                format,
                path: PathBuf::from(path)
            })
        );
    }

    #[rstest]
    #[case("junit.xml", "expected FORMAT=FILE")]
    #[case("xml=junit.xml", "unknown format \"xml\" (one of table, json")]
    #[case("ics=", "no file after")]
    fn bad_targets_say_why(#[case] text: &str, #[case] why: &str) {
        let error = parse_report_target(text).expect_err("refused");
        assert!(error.contains(why), "{error}");
    }

    #[test]
    fn a_missing_directory_or_a_repeated_file_is_refused_up_front() {
        let dir = tempfile::TempDir::new().expect("temp dir");
        let target = |name: &str| ReportTarget {
            format: ReportFormat::Json,
            path: dir.path().join(name),
        };
        assert!(check_targets(&[target("a.json"), target("b.json")]).is_ok());
        let missing = check_targets(&[target("no/such/dir/a.json")]).expect_err("refused");
        assert!(
            missing.to_string().contains("no/such/dir/a.json"),
            "{missing}"
        );
        assert!(check_targets(&[target("a.json"), target("a.json")]).is_err());
        assert!(
            check_targets(&[ReportTarget {
                format: ReportFormat::Json,
                path: dir.path().to_owned()
            }])
            .is_err()
        );
    }
}
