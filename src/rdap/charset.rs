//! An RDAP body in UTF-8, whatever charset its server named. RDAP is JSON,
//! and JSON is UTF-8 (RFC 8259), so a body labelled UTF-8 or not labelled
//! at all is kept byte for byte (the fast path); a server that names
//! another charset in `Content-Type` (`ISO-8859-1`, `windows-1252`, ...)
//! has its body decoded with encoding_rs, as the WHOIS reader decodes its
//! servers' charsets, so the reader and the store only ever see UTF-8.

use encoding_rs::{Encoding, UTF_8};

/// `body` as UTF-8, decoded from the charset `content_type` names. A
/// charset encoding_rs does not know leaves the body as it came, for the
/// JSON reader to judge.
pub(crate) fn utf8_body(body: Vec<u8>, content_type: Option<&str>) -> Vec<u8> {
    let Some(encoding) = content_type
        .and_then(charset)
        .and_then(|label| Encoding::for_label(label.as_bytes()))
    else {
        return body;
    };
    if encoding == UTF_8 {
        return body;
    }
    // A byte-order mark, if any, wins over the label (the WHATWG rule).
    let (text, _, _) = encoding.decode(&body);
    text.into_owned().into_bytes()
}

/// The `charset` parameter of a media type, without quotes.
fn charset(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const JSON: &str = r#"{"ldhName":"müller.de","entities":[{"vcard":"Société Générale"}]}"#;

    #[rstest]
    #[case(None)]
    #[case(Some("application/rdap+json"))]
    #[case(Some("application/rdap+json; charset=utf-8"))]
    #[case(Some("application/rdap+json;charset=\"UTF-8\""))]
    #[case(Some("application/json; charset=x-no-such-charset"))]
    fn utf8_and_unlabelled_bodies_are_kept_as_they_came(#[case] content_type: Option<&str>) {
        let body = JSON.as_bytes().to_vec();
        assert_eq!(utf8_body(body.clone(), content_type), body);
    }

    #[rstest]
    #[case("application/rdap+json; charset=ISO-8859-1", encoding_rs::WINDOWS_1252)]
    #[case("application/json;Charset=latin1", encoding_rs::WINDOWS_1252)]
    #[case(
        "application/rdap+json; charset=\"windows-1250\"",
        encoding_rs::WINDOWS_1250
    )]
    #[case(
        "application/rdap+json; format=x; charset=utf-16le",
        encoding_rs::UTF_16LE
    )]
    fn a_named_charset_is_decoded_to_utf8(
        #[case] content_type: &str,
        #[case] encoding: &'static Encoding,
    ) {
        let (sent, _, unmappable) = encoding.encode(JSON);
        // encoding_rs encodes to UTF-16 as UTF-8; build that body by hand.
        let sent: Vec<u8> = if encoding == encoding_rs::UTF_16LE {
            JSON.encode_utf16().flat_map(u16::to_le_bytes).collect()
        } else {
            assert!(!unmappable, "{} cannot hold the test text", encoding.name());
            sent.into_owned()
        };
        assert_ne!(sent, JSON.as_bytes());
        assert_eq!(utf8_body(sent, Some(content_type)), JSON.as_bytes());
    }

    #[test]
    fn a_byte_order_mark_wins_over_the_label() {
        let mut body = b"\xEF\xBB\xBF".to_vec();
        body.extend_from_slice(JSON.as_bytes());
        let decoded = utf8_body(body, Some("application/rdap+json; charset=iso-8859-1"));
        assert_eq!(decoded, JSON.as_bytes());
    }
}
