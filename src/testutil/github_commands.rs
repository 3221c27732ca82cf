//! A strict reader of GitHub workflow commands, for the writer's unit tests
//! and the tests of `check --format github` (tests/support/ includes this
//! file by path):
//! it rejects what the runner would misread (an unescaped separator in a
//! property, an unknown escape, a raw line break).

/// One parsed `::command key=value,...::message` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    pub command: String,
    pub properties: Vec<(String, String)>,
    pub message: String,
}

impl Annotation {
    pub fn property(&self, key: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }
}

/// Parses one line; `Err` says what is wrong with it.
pub fn parse_line(line: &str) -> Result<Annotation, String> {
    if line.contains(['\r', '\n']) {
        return Err("raw line break".to_owned());
    }
    let rest = line.strip_prefix("::").ok_or("no leading ::")?;
    let (head, message) = rest.split_once("::").ok_or("no :: before the message")?;
    let (command, properties) = head.split_once(' ').unwrap_or((head, ""));
    if !["error", "warning", "notice"].contains(&command) {
        return Err(format!("unknown command {command:?}"));
    }
    let mut parsed = Vec::new();
    for property in properties
        .split(',')
        .filter(|property| !property.is_empty())
    {
        let (key, value) = property
            .split_once('=')
            .ok_or_else(|| format!("property without '=': {property:?}"))?;
        if !["file", "line", "endLine", "col", "endColumn", "title"].contains(&key) {
            return Err(format!("unknown property {key:?}"));
        }
        if value.contains(':') {
            return Err(format!("unescaped ':' in property {key}"));
        }
        parsed.push((key.to_owned(), unescape(value, true)?));
    }
    Ok(Annotation {
        command: command.to_owned(),
        properties: parsed,
        message: unescape(message, false)?,
    })
}

fn unescape(text: &str, property: bool) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(index) = rest.find('%') {
        out.push_str(&rest[..index]);
        let code = rest.get(index + 1..index + 3).ok_or("truncated escape")?;
        out.push(match code {
            "25" => '%',
            "0D" => '\r',
            "0A" => '\n',
            "3A" if property => ':',
            "2C" if property => ',',
            other => return Err(format!("unknown escape %{other}")),
        });
        rest = &rest[index + 3..];
    }
    out.push_str(rest);
    if property && out.is_empty() {
        return Err("empty property".to_owned());
    }
    Ok(out)
}
