//! Bytes to clean text: charset decoding and removal of control and escape
//! sequences.
//!
//! Port 43 has no charset negotiation. Most registries answer in UTF-8; a
//! few still use a national charset (JPRS ISO-2022-JP, KISA EUC-KR, TWNIC
//! Big5). The answer is read as UTF-8 when it is valid UTF-8, as
//! ISO-2022-JP when it carries that charset's escape sequences, else in the
//! charset the registry is known to use; where that is not known, or the
//! answer is not valid in it, in the charset a detector (chardetng, the
//! one Firefox uses, hinted with the TLD) finds in its bytes, with a note
//! saying it was guessed; lossily with a note only when nothing fits. Whatever
//! the registry sent, the text that leaves this module has no control
//! characters, terminal escape sequences or bidirectional overrides: values
//! from it reach a terminal later.

use encoding_rs::{Encoding, ISO_2022_JP, WINDOWS_1252};

/// Decoded, cleaned text and what the reader should know about how it was
/// obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    pub note: Option<String>,
}

/// Decodes `body`, trying UTF-8, then ISO-2022-JP (recognised by its escape
/// sequences), then the registry's known charset, then the charset detected
/// in the bytes (`tld` is the hint), then lossy UTF-8.
pub(crate) fn decode(
    body: &[u8],
    registry_charset: Option<&'static Encoding>,
    tld: &str,
) -> Decoded {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if let Ok(text) = std::str::from_utf8(body)
        && !has_iso_2022_jp_escapes(body)
    {
        return Decoded {
            text: clean(text),
            note: None,
        };
    }
    if has_iso_2022_jp_escapes(body) {
        let (text, had_errors) = ISO_2022_JP.decode_without_bom_handling(body);
        if !had_errors {
            return Decoded {
                text: clean(&text),
                note: None,
            };
        }
    }
    if let Some(encoding) = registry_charset {
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        if !had_errors {
            return Decoded {
                text: clean(&text),
                note: None,
            };
        }
    }
    let guessed = detect(body, tld);
    let (text, had_errors) = guessed.decode_without_bom_handling(body);
    if !had_errors {
        let expected = registry_charset.map_or_else(
            || "the registry's charset is not known".to_string(),
            |encoding| format!("not valid {}", encoding.name()),
        );
        return Decoded {
            text: clean(&text),
            note: Some(format!(
                "the answer is not UTF-8 and {expected}: read as {}, the charset its bytes suggest",
                guessed.name()
            )),
        };
    }
    if let Some(encoding) = registry_charset {
        let (text, _) = encoding.decode_without_bom_handling(body);
        return Decoded {
            text: clean(&text),
            note: Some(format!(
                "the answer is not valid {}: undecodable bytes were replaced",
                encoding.name()
            )),
        };
    }
    // Every byte has a meaning in Windows-1252, the charset of the
    // registries that still answer in Latin-1 (`Actualización`, `Müller`):
    // accented keys stay readable, and any other charset's ASCII keys too.
    let (text, _, _) = WINDOWS_1252.decode(body);
    Decoded {
        text: clean(&text),
        note: Some(
            "the answer is not UTF-8 and the registry's charset is not known: \
             read as Windows-1252 (Latin-1)"
                .to_string(),
        ),
    }
}

/// The legacy charset `body` is most likely in; `tld` (the registry's)
/// weighs the guess, as a browser uses the page's TLD.
fn detect(body: &[u8], tld: &str) -> &'static Encoding {
    use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
    // ISO-2022-JP was tried before, by its escape sequences; UTF-8 too.
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(body, true);
    let hint = tld.is_ascii().then_some(tld.as_bytes());
    detector.guess(hint, Utf8Detection::Deny)
}

/// ISO-2022-JP switches character sets with `ESC $ B`, `ESC $ @` and `ESC ( B/J`.
fn has_iso_2022_jp_escapes(body: &[u8]) -> bool {
    body.windows(3)
        .any(|w| matches!(w, [0x1B, b'$', b'B' | b'@'] | [0x1B, b'(', b'B' | b'J']))
}

/// Removes terminal escape sequences, control characters (line feeds and
/// tabs excepted; tabs become two spaces) and bidirectional overrides.
/// Carriage returns go too, so CRLF answers read like LF ones.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            // Two spaces keep a tab-separated key apart from its value
            // (older columnar layouts, see `lines::split_columns`).
            '\t' => out.push_str("  "),
            '\u{1B}' => skip_escape_sequence(&mut chars),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Skips the rest of an escape sequence whose ESC was just read: a CSI
/// (`ESC [ ... final`), an OSC (`ESC ] ... BEL or ESC \`), or a two-byte one.
fn skip_escape_sequence(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            for c in chars.by_ref() {
                if ('\u{40}'..='\u{7E}').contains(&c) {
                    break;
                }
            }
        }
        Some(']') => {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '\u{7}' || (c == '\u{1B}' && chars.next_if_eq(&'\\').is_some()) {
                    break;
                }
            }
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use encoding_rs::{BIG5, EUC_KR};
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::plain_utf8("Registrar: 厦门易名科技股份有限公司".as_bytes(), None, "Registrar: 厦门易名科技股份有限公司", false, "cn")]
    #[case::bom(b"\xEF\xBB\xBFDomain: a.de", None, "Domain: a.de", false, "de")]
    #[case::crlf(b"a: 1\r\nb: 2\r\n", None, "a: 1\nb: 2\n", false, "com")]
    #[case::iso_2022_jp(
        b"[\x1B$BM-8z4|8B\x1B(B] 2014/05/31",
        None,
        "[有効期限] 2014/05/31",
        false,
        "jp"
    )]
    #[case::euc_kr(
        b"\xB5\xEE\xB7\xCF\xC0\xCF : 2007. 03. 02.",
        Some(EUC_KR),
        "등록일 : 2007. 03. 02.",
        false,
        "kr"
    )]
    #[case::big5(b"\xB5\xF9\xA5\x55", Some(BIG5), "註冊", false, "tw")]
    #[case::unknown_latin1(b"Name: M\xFCller", None, "Name: M\u{FC}ller", true, "de")]
    #[case::unknown_koi8_r(
        b"\xf0\xd2\xc9\xd7\xc5\xd4 \xcd\xc9\xd2: \xf2\xc5\xc7\xc9\xd3\xd4\xd2\xc1\xd4\xcf\xd2 \xc4\xcf\xcd\xc5\xce\xc1",
        None,
        "Привет мир: Регистратор домена",
        true,
        "ru"
    )]
    #[case::big5(b"\xB5\xF9\xA5\x55", Some(BIG5), "註冊", false, "tw")]
    #[case::unknown_latin1(b"Name: M\xFCller", None, "Name: M\u{FC}ller", true, "de")]
    #[case::latin1_key(
        b"Ultima Actualizaci\xF3n: 2005-11-17",
        None,
        "Ultima Actualización: 2005-11-17",
        true,
        "ve"
    )]
    fn decodes_known_charsets(
        #[case] body: &[u8],
        #[case] charset: Option<&'static Encoding>,
        #[case] expected: &str,
        #[case] noted: bool,
        #[case] tld: &str,
    ) {
        let decoded = decode(body, charset, tld);
        assert_eq!(decoded.text, expected);
        assert_eq!(decoded.note.is_some(), noted, "{:?}", decoded.note);
    }

    #[rstest]
    #[case::csi("Registrar: \u{1B}[31mEvil\u{1B}[0m Inc.", "Registrar: Evil Inc.")]
    #[case::osc("x\u{1B}]0;title\u{7}y", "xy")]
    #[case::bell_and_nul("a\u{7}b\u{0}c", "abc")]
    #[case::c1("a\u{9B}31mb", "a31mb")]
    #[case::bidi("name\u{202E}gpj.exe", "namegpj.exe")]
    #[case::tab("Domain Name:\tyolo.im", "Domain Name:  yolo.im")]
    fn strips_control_and_escape_sequences(#[case] input: &str, #[case] expected: &str) {
        assert_eq!(clean(input), expected);
    }
}
