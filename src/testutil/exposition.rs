//! A strict reader of one Prometheus text-format sample line, with the
//! label-value escapes (`\\`, `\"`, `\n`) that `prometheus-parse` does not
//! undo, and a check of a whole exposition against the format's rules
//! ([`check_exposition`]: one HELP and TYPE per family, no duplicate
//! series). Used beside that crate by the `prometheus` report tests and the
//! `serve` tests.

/// One sample: metric name, labels in written order, value.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: Vec<(String, String)>,
    pub value: f64,
}

/// Parses a sample line; `Err` says what is wrong with it.
pub fn parse_sample(line: &str) -> Result<Sample, String> {
    let name_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(line.len());
    let name = &line[..name_end];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("bad metric name in {line:?}"));
    }
    let mut rest = &line[name_end..];
    let mut labels = Vec::new();
    if let Some(mut inner) = rest.strip_prefix('{') {
        loop {
            if let Some(after) = inner.strip_prefix('}') {
                rest = after;
                break;
            }
            let (key, after) = inner.split_once("=\"").ok_or("label without =\"")?;
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("bad label name {key:?}"));
            }
            let mut value = String::new();
            let mut chars = after.char_indices();
            let end = loop {
                match chars.next() {
                    Some((index, '"')) => break index,
                    Some((_, '\\')) => match chars.next() {
                        Some((_, '\\')) => value.push('\\'),
                        Some((_, '"')) => value.push('"'),
                        Some((_, 'n')) => value.push('\n'),
                        other => return Err(format!("bad escape {other:?}")),
                    },
                    Some((_, '\n')) => return Err("raw line break in a label".to_owned()),
                    Some((_, c)) => value.push(c),
                    None => return Err("unterminated label value".to_owned()),
                }
            };
            labels.push((key.to_owned(), value));
            inner = &after[end + 1..];
            inner = inner.strip_prefix(',').unwrap_or(inner);
        }
    }
    let value = rest
        .trim()
        .parse::<f64>()
        .map_err(|error| format!("bad value in {line:?}: {error}"))?;
    Ok(Sample {
        name: name.to_owned(),
        labels,
        value,
    })
}

/// Checks a whole exposition against the rules of the text format that a
/// scraper enforces: every line a comment or a sample; `# HELP` and
/// `# TYPE` at most once per family, before its samples, with a known
/// type; a family's samples together; counters named `_total`; no label
/// named twice in a sample; no series (name and label set) twice; and a
/// final line break. `Err` lists what is wrong.
pub fn check_exposition(text: &str) -> Result<(), String> {
    use std::collections::{BTreeMap, HashSet};

    let mut problems = Vec::new();
    let mut helped = HashSet::new();
    let mut typed: BTreeMap<String, String> = BTreeMap::new();
    let mut finished_families = HashSet::new();
    let mut current: Option<String> = None;
    let mut series = HashSet::new();
    if !text.is_empty() && !text.ends_with('\n') {
        problems.push("no line break at the end".to_owned());
    }
    for line in text.lines() {
        let family_of_comment = |rest: &str| rest.split(' ').next().unwrap_or("").to_owned();
        let family = if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = family_of_comment(rest);
            if !helped.insert(name.clone()) {
                problems.push(format!("HELP twice for {name}"));
            }
            name
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let name = family_of_comment(rest);
            let kind = rest[name.len()..].trim().to_owned();
            if !["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind.as_str()) {
                problems.push(format!("unknown type {kind:?} for {name}"));
            }
            if kind == "counter" && !name.ends_with("_total") {
                problems.push(format!("counter {name} is not named _total"));
            }
            if typed.insert(name.clone(), kind).is_some() {
                problems.push(format!("TYPE twice for {name}"));
            }
            name
        } else if line.starts_with('#') {
            continue;
        } else {
            let sample = match parse_sample(line) {
                Ok(sample) => sample,
                Err(error) => {
                    problems.push(error);
                    continue;
                }
            };
            if !typed.contains_key(&sample.name) {
                problems.push(format!("{} has samples before its TYPE", sample.name));
            }
            let mut labels = sample.labels.clone();
            labels.sort();
            let before = labels.len();
            labels.dedup_by(|a, b| a.0 == b.0);
            if labels.len() != before {
                problems.push(format!("a label named twice in {line:?}"));
            }
            if !series.insert((sample.name.clone(), labels)) {
                problems.push(format!("duplicate series {line:?}"));
            }
            sample.name
        };
        if current.as_deref() != Some(family.as_str()) {
            if finished_families.contains(&family) {
                problems.push(format!("{family} is not in one piece"));
            }
            if let Some(previous) = current.replace(family) {
                finished_families.insert(previous);
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}
