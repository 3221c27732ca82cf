//! The Prometheus text exposition format (0.0.4), one [`Family`] at a time:
//! `# HELP` and `# TYPE` once, then its samples, label values and help text
//! escaped as the format requires. The `prometheus` report writes its
//! families through it, and so does `domlife serve` for its own.

use std::io::{self, Write};

/// The type a family declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Gauge,
    /// Only goes up; its name ends in `_total`.
    Counter,
}

/// One metric family: its name, help, type and samples (labels, value).
#[derive(Debug, Clone)]
pub struct Family {
    name: &'static str,
    help: &'static str,
    kind: Kind,
    samples: Vec<(Vec<(&'static str, String)>, String)>,
}

impl Family {
    pub fn gauge(name: &'static str, help: &'static str) -> Family {
        Family::new(name, help, Kind::Gauge)
    }

    pub fn counter(name: &'static str, help: &'static str) -> Family {
        Family::new(name, help, Kind::Counter)
    }

    fn new(name: &'static str, help: &'static str, kind: Kind) -> Family {
        Family {
            name,
            help,
            kind,
            samples: Vec::new(),
        }
    }

    /// Adds a sample; its labels are escaped when written.
    pub fn push(&mut self, labels: Vec<(&'static str, String)>, value: impl ToString) {
        self.samples.push((labels, value.to_string()));
    }

    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        let kind = match self.kind {
            Kind::Gauge => "gauge",
            Kind::Counter => "counter",
        };
        writeln!(out, "# HELP {} {}", self.name, escape_help(self.help))?;
        writeln!(out, "# TYPE {} {kind}", self.name)?;
        for (labels, value) in &self.samples {
            let labels: Vec<String> = labels
                .iter()
                .map(|(key, value)| format!("{key}=\"{}\"", escape_label(value)))
                .collect();
            if labels.is_empty() {
                writeln!(out, "{} {value}", self.name)?;
            } else {
                writeln!(out, "{}{{{}}} {value}", self.name, labels.join(","))?;
            }
        }
        Ok(())
    }
}

/// A label value: printable, then `\` and `"` escaped (a line break is
/// already the two characters `\n`).
fn escape_label(value: &str) -> String {
    crate::escape::printable(value)
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

fn escape_help(text: &str) -> String {
    text.replace('\\', "\\\\").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_declares_itself_once_and_escapes_its_labels() {
        let mut family = Family::counter("domlife_x_total", "Things.\nCounted \\ here.");
        family.push(vec![("domain", "a\"b\\c\nd".to_owned())], 3);
        family.push(Vec::new(), 4);
        let mut out = Vec::new();
        family.write(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "# HELP domlife_x_total Things.\\nCounted \\\\ here.\n\
             # TYPE domlife_x_total counter\n\
             domlife_x_total{domain=\"a\\\"b\\\\c\\\\nd\"} 3\n\
             domlife_x_total 4\n"
        );
    }
}
