//! Properties that must hold for any input: normalising never panics and is
//! idempotent, and reading never drops a line or fails on content.

use std::collections::BTreeSet;
use std::io::Cursor;

use domlife::domain::{DomainError, normalize};
use domlife::input::{Entry, InputError, ReadOptions, Source, read_all};
use proptest::prelude::*;

fn read_text(input: Vec<u8>, options: ReadOptions) -> Vec<Entry> {
    let source = Source::Reader {
        name: "list".to_owned(),
        reader: Box::new(Cursor::new(input)),
    };
    match read_all([source], &options) {
        Ok(entries) => entries,
        Err(error) => panic!("content must never fail the call: {error}"),
    }
}

fn covered_lines(entries: &[Entry]) -> BTreeSet<usize> {
    entries
        .iter()
        .flat_map(|entry| match entry {
            Entry::Name(item) => item.origins.iter().map(|origin| origin.line).collect(),
            Entry::Invalid(invalid) => vec![invalid.origin.line],
        })
        .collect()
}

proptest! {
    #[test]
    fn normalising_anything_is_total_and_a_result_is_a_fixed_point(text in "\\PC{0,40}") {
        if let Ok(normalized) = normalize(&text) {
            let name = normalized.name;
            prop_assert!(name.ascii().is_ascii());
            prop_assert_eq!(name.ascii(), name.ascii().to_ascii_lowercase());
            prop_assert!(name.ascii().len() <= 253);
            prop_assert!(name.ascii().split('.').all(|label| !label.is_empty() && label.len() <= 63));
            prop_assert!(name.ascii().ends_with(name.tld()));
            let again = normalize(name.ascii()).map(|n| n.name);
            prop_assert_eq!(again.as_ref(), Ok(&name));
            // An A-label is taken as meant; its U-label may look like
            // another name, which is refused (issue #13).
            match normalize(name.unicode()) {
                Err(DomainError::MixedScripts { .. }) => prop_assert!(text.is_ascii()),
                from_unicode => {
                    let from_unicode = from_unicode.map(|n| n.name);
                    prop_assert_eq!(from_unicode.as_ref(), Ok(&name));
                }
            }
        }
    }

    #[test]
    fn domain_like_names_reduce_to_a_fixed_point(
        labels in prop::collection::vec("[a-zA-Z0-9äöüß例子]{1,12}", 1..4),
        suffix in prop::sample::select(vec!["com", "co.uk", "com.cn", "de", "kyoto.jp", "github.io", "рф", "中国"]),
    ) {
        let text = format!("{}.{suffix}", labels.join("."));
        let normalized = normalize(&text);
        prop_assert!(normalized.is_ok(), "{text}: {normalized:?}");
        if let Ok(normalized) = normalized {
            let name = normalized.name;
            let again = normalize(name.ascii()).map(|n| n.name);
            prop_assert_eq!(again.as_ref(), Ok(&name));
            prop_assert_eq!(normalized.notes.is_empty(), labels.len() == 1 && suffix != "github.io");
        }
    }

    #[test]
    fn every_text_line_with_content_gives_exactly_one_entry_position(
        lines in prop::collection::vec("[ a-zA-Z0-9.\\-_@:/\\tü]{0,20}", 0..30),
    ) {
        let entries = read_text(lines.join("\n").into_bytes(), ReadOptions::default());
        let expected: BTreeSet<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(index, _)| index + 1)
            .collect();
        prop_assert_eq!(covered_lines(&entries), expected);
    }

    #[test]
    fn any_bytes_are_read_without_failing(bytes in prop::collection::vec(any::<u8>(), 0..400), csv in any::<bool>()) {
        let line_count = bytes.split(|byte| *byte == b'\n').count();
        let source = Source::Reader {
            name: "list".to_owned(),
            reader: Box::new(Cursor::new(bytes)),
        };
        match read_all([source], &ReadOptions { csv }) {
            Ok(entries) => prop_assert!(
                covered_lines(&entries).iter().all(|line| (1..=line_count).contains(line))
            ),
            // A CSV header without a domain column refuses the file (#13).
            Err(InputError::Header { line, .. }) => {
                prop_assert!(csv && (1..=line_count).contains(&line));
            }
            Err(error) => prop_assert!(false, "content must never fail the call: {error}"),
        }
    }
}
