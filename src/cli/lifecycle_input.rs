//! Input shared by the `timeline` and `policies` commands: TLD labels,
//! registrars and output formats, each turned into a one-line bad-input
//! error when wrong; and writing their output.

use std::io::Write;

use anyhow::anyhow;
use clap::ValueEnum;

use super::error::bad_input;
use super::format::Format;
use crate::record::Registrar;

/// A TLD label as typed ("cn", ".CN", "中国"), checked against the public
/// suffix list and returned as a lower-case A-label.
pub fn known_tld(text: &str) -> anyhow::Result<String> {
    let label = text.trim().trim_start_matches('.');
    let ascii = crate::domain::to_a_label(label)
        .map_err(|_| bad_input(anyhow!("{text:?} is not a valid TLD label")))?;
    if ascii.contains('.') {
        return Err(bad_input(anyhow!("{text:?} is not a single TLD label")));
    }
    let known = psl::suffix(ascii.as_bytes()).is_some_and(|suffix| suffix.is_known());
    if !known {
        return Err(bad_input(anyhow!(
            "unknown TLD {ascii:?} (not in the public suffix list)"
        )));
    }
    Ok(ascii)
}

/// `--registrar`: a name, or digits meaning an IANA registrar ID.
pub fn registrar(text: &str) -> Registrar {
    Registrar::from_input(text)
}

/// `--format`, read here rather than by clap so that a wrong value gets the
/// same one-line error as every other bad input.
pub fn format(text: &str) -> anyhow::Result<Format> {
    Format::from_str(text, true).map_err(|_| {
        bad_input(anyhow!(
            "--format: {text:?} is not a format (table or json)"
        ))
    })
}

/// Writes the command's output. A closed pipe (`domlife policies | head`)
/// is the reader's choice, not a failure, so it ends the output quietly.
pub fn emit(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("cn", "cn")]
    #[case(".CN", "cn")]
    #[case("com.", "com")]
    #[case("中国", "xn--fiqs8s")]
    fn tlds_are_normalised(#[case] text: &str, #[case] expected: &str) {
        assert_eq!(known_tld(text).ok().as_deref(), Some(expected));
    }

    #[rstest]
    #[case("notatld")]
    #[case("")]
    #[case("co.uk")]
    #[case("a b")]
    fn unknown_tlds_are_bad_input(#[case] text: &str) {
        let error = known_tld(text).err();
        assert_eq!(error.map(|e| e.is::<super::super::BadInput>()), Some(true));
    }

    #[test]
    fn digits_are_an_iana_id() {
        assert_eq!(registrar("146").iana_id.as_deref(), Some("146"));
        assert_eq!(
            registrar("GoDaddy.com, LLC").name.as_deref(),
            Some("GoDaddy.com, LLC")
        );
    }
}
