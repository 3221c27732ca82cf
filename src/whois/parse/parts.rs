//! Answers that hold several servers' answers one after the other.
//!
//! A client that follows referrals (IANA, then the registry, then the
//! registrar) and saves everything it received writes each server's answer
//! under a `# whois.example.net` line (`domlife whois` under a `%
//! whois.example.net (...) at ..., N bytes` line); the first one, IANA's,
//! may have no such line but ends with `source: IANA`. Each part is about the same name but
//! says different things (IANA's is about the TLD, the registrar's has its
//! own name servers and expiry), so one part is read, never a mix:
//!
//! - the part of the server that answered, where the query names it and a
//!   header does too;
//! - else the first part that is not IANA's: the registry's, which is
//!   authoritative for the dates and the name servers.

/// The part of `text` to read, and a note when the text held several.
pub(crate) fn select<'a>(text: &'a str, server: Option<&str>) -> (&'a str, Option<String>) {
    let parts = split(text);
    if parts.len() < 2 {
        return (text, None);
    }
    let servers: Vec<&str> = parts
        .iter()
        .map(|part| part.server.unwrap_or("IANA"))
        .collect();
    let answering = server.map(|server| server.trim_end_matches('.').to_ascii_lowercase());
    let chosen = answering
        .as_deref()
        .and_then(|server| {
            parts.iter().find(|part| {
                part.server
                    .is_some_and(|name| name.eq_ignore_ascii_case(server))
            })
        })
        .or_else(|| parts.iter().find(|part| !part.is_iana))
        .unwrap_or(&parts[0]);
    let note = format!(
        "the answer holds the answers of {} servers ({}); read the one from {}",
        servers.len(),
        servers.join(", "),
        chosen.server.unwrap_or("the first server")
    );
    (chosen.text, Some(note))
}

struct Part<'a> {
    /// The server named by the part's header line.
    server: Option<&'a str>,
    text: &'a str,
    /// IANA's answer about the TLD, not about the domain.
    is_iana: bool,
}

fn split(text: &str) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut server = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(host) = header_host(line) {
            push_part(&mut parts, server, &text[start..offset]);
            server = Some(host);
            start = offset + line.len();
        }
        offset += line.len();
    }
    push_part(&mut parts, server, &text[start..]);
    parts
}

fn push_part<'a>(parts: &mut Vec<Part<'a>>, server: Option<&'a str>, text: &'a str) {
    if text.trim().is_empty() {
        return;
    }
    let is_iana = text.lines().any(|line| {
        let line = line.trim();
        line.starts_with("% IANA WHOIS server")
            || line
                .strip_prefix("source:")
                .is_some_and(|source| source.trim() == "IANA")
    });
    parts.push(Part {
        server,
        text,
        is_iana,
    });
}

/// `# whois.nic.live`: a `#` and a host name alone on the line; or the
/// header `domlife whois` prints above each answer (`% whois.example.net
/// (built-in table) at 192.0.2.1:43, 1234 bytes`).
fn header_host(line: &str) -> Option<&str> {
    let line = line.trim();
    let host = match line.strip_prefix("% ") {
        Some(rest) if rest.ends_with(" bytes") && rest.contains(" (") => {
            rest.split_once(' ').map(|(host, _)| host)?
        }
        Some(_) => return None,
        None => line.strip_prefix('#')?.trim(),
    };
    let shaped = host.contains('.')
        && !host.starts_with('.')
        && !host.ends_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    shaped.then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of a saved referral chain (IANA, then the registry), as in
    /// richardpenman/whois test/samples/whois/nic.live.
    const IANA_THEN_REGISTRY: &str = "% IANA WHOIS server\nrefer:        whois.nic.example\ndomain:       EXAMPLE\ncreated:      2015-06-25\nsource:       IANA\n\n# whois.nic.example\nDomain Name: nic.example\nCreation Date: 2015-04-27T22:04:24Z\n";

    #[test]
    fn the_registry_part_is_read_not_the_iana_part() {
        let (part, note) = select(IANA_THEN_REGISTRY, None);
        assert!(part.starts_with("Domain Name: nic.example"), "{part}");
        assert_eq!(
            note.as_deref(),
            Some(
                "the answer holds the answers of 2 servers (IANA, whois.nic.example); \
                 read the one from whois.nic.example"
            )
        );
    }

    #[test]
    fn the_answering_server_part_wins() {
        let text = "# whois.registry.example\nDomain Name: a.example\nName Server: ns1.registry-side.example\n\n# whois.registrar.example\nDomain Name: a.example\nName Server: ns1.registrar-side.example\n";
        let (part, _) = select(text, Some("whois.registrar.example"));
        assert!(part.contains("registrar-side") && !part.contains("registry-side"));
        let (part, _) = select(text, None);
        assert!(part.contains("registry-side") && !part.contains("registrar-side"));
    }

    #[test]
    fn domlife_whois_output_is_split_at_its_headers() {
        let text = "% whois.verisign-grs.com (built-in table) at 192.0.2.1:43, 80 bytes\nDomain Name: EXAMPLE.COM\nRegistrar WHOIS Server: whois.registrar.example\n\n% whois.registrar.example (registry referral) at 192.0.2.2:43, 60 bytes\nDomain Name: EXAMPLE.COM\nRegistrar: Example Registrar\n";
        let (part, note) = select(text, Some("whois.registrar.example"));
        assert!(part.contains("Registrar: Example Registrar") && !part.contains("WHOIS Server"));
        assert!(
            note.is_some_and(|n| n.contains("whois.verisign-grs.com, whois.registrar.example"))
        );
    }

    #[test]
    fn one_answer_is_read_whole() {
        let text = "# comment about the service\nDomain Name: a.example\n";
        assert_eq!(select(text, None), (text, None));
    }
}
