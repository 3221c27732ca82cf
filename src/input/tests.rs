//! Unit tests for merging, escaping and source selection; whole files are
//! read in tests/input.rs.

use chrono::TimeZone;
use rstest::rstest;

use super::*;
use crate::domain::normalize;

fn item(text: &str, line: usize) -> InputItem {
    match normalize(text) {
        Ok(normalized) => InputItem::new(
            normalized,
            Origin {
                file: "list.csv".to_owned(),
                line,
            },
            text,
        ),
        Err(error) => panic!("{text}: {error}"),
    }
}

/// `entries` merged, in first-seen order.
fn merged(entries: Vec<Entry>) -> Vec<Entry> {
    let mut indexed = merged::dedupe_in_memory(entries, std::hash::RandomState::new());
    indexed.sort_unstable_by_key(|(index, _)| *index);
    indexed.into_iter().map(|(_, entry)| entry).collect()
}

fn only_name(entries: &[Entry]) -> &InputItem {
    match entries {
        [Entry::Name(item)] => item,
        other => panic!("expected one name, got {other:?}"),
    }
}

#[test]
fn first_non_empty_value_wins_and_conflicts_are_noted() {
    let first = item("example.com", 2);
    let mut second = item("www.example.com", 5);
    second.tier = Some("gold".to_owned());
    second.tags = vec!["brand".to_owned()];
    second.expires = Utc.with_ymd_and_hms(2027, 3, 10, 0, 0, 0).single();
    let mut third = item("EXAMPLE.COM", 9);
    third.tier = Some("silver".to_owned());
    third.tags = vec!["legal".to_owned(), "brand".to_owned()];
    third.expires = Utc.with_ymd_and_hms(2027, 3, 11, 0, 0, 0).single();
    third.intent = Some(Intent::Drop);
    let entries = merged(vec![
        Entry::Name(first),
        Entry::Name(second),
        Entry::Name(third),
    ]);
    let item = only_name(&entries);
    let lines: Vec<usize> = item.origins.iter().map(|origin| origin.line).collect();
    assert_eq!(lines, [2, 5, 9]);
    assert_eq!(item.raw, "example.com");
    assert_eq!(item.tier.as_deref(), Some("gold"));
    assert_eq!(item.tags, ["brand"]);
    assert_eq!(item.intent, Some(Intent::Drop));
    assert_eq!(
        item.notes,
        [
            "www.example.com reduced to registrable domain example.com",
            "list.csv:9 gives tier \"silver\", kept \"gold\" from the first line that gave one",
            "list.csv:9 gives expires 2027-03-11T00:00:00+00:00, kept 2027-03-10T00:00:00+00:00 from the first line that gave one",
            "list.csv:9 gives tags \"legal;brand\", kept \"brand\" from the first line that gave one",
        ]
    );
}

#[test]
fn equal_values_and_repeated_notes_add_nothing() {
    let mut first = item("www.example.com", 1);
    first.tier = Some("gold".to_owned());
    let mut second = item("www.example.com", 2);
    second.tier = Some("gold".to_owned());
    let entries = merged(vec![Entry::Name(first), Entry::Name(second)]);
    assert_eq!(
        only_name(&entries).notes,
        ["www.example.com reduced to registrable domain example.com"]
    );
}

#[test]
fn invalid_lines_keep_their_place_between_names() {
    let invalid = Entry::Invalid(InvalidLine {
        origin: Origin {
            file: "list.txt".to_owned(),
            line: 2,
        },
        raw: "co.uk".to_owned(),
        reason: "co.uk is a public suffix".to_owned(),
    });
    let entries = merged(vec![
        Entry::Name(item("example.org", 1)),
        invalid.clone(),
        Entry::Name(item("example.net", 3)),
        Entry::Name(item("example.org", 4)),
    ]);
    assert_eq!(entries.len(), 3);
    assert!(matches!(&entries[0], Entry::Name(item) if item.origins.len() == 2));
    assert_eq!(entries[1], invalid);
    assert!(matches!(&entries[2], Entry::Name(item) if item.name.ascii() == "example.net"));
}

#[rstest]
#[case::plain("example.com", "example.com")]
#[case::unicode_kept("bücher.de 例子", "bücher.de 例子")]
#[case::tab_and_newline("a\tb\r\n", "a\\tb\\r\\n")]
#[case::terminal_escape("\u{1b}[2Jx", "\\u{1b}[2Jx")]
#[case::bidi_override("\u{202e}moc", "\\u{202e}moc")]
#[case::zero_width("a\u{200b}b", "a\\u{200b}b")]
#[case::quotes_left_alone("\"a\",'b'", "\"a\",'b'")]
fn printable_escapes_what_a_terminal_would_act_on(#[case] text: &str, #[case] expected: &str) {
    assert_eq!(printable(text), expected);
}

#[test]
fn printable_cuts_long_text() {
    let long = "é".repeat(MAX_RAW_CHARS + 50);
    let shown = printable(&long);
    assert_eq!(shown.chars().count(), MAX_RAW_CHARS + 1);
    assert!(shown.ends_with("é…"));
    assert_eq!(
        printable(&"a".repeat(MAX_RAW_CHARS)),
        "a".repeat(MAX_RAW_CHARS)
    );
}

#[test]
fn dash_means_stdin() {
    assert!(matches!(Source::from_arg("-"), Source::Stdin));
    assert!(
        matches!(Source::from_arg("./-"), Source::Path(path) if path == std::path::Path::new("./-"))
    );
    assert!(matches!(Source::from_arg("list.txt"), Source::Path(_)));
}

#[rstest]
#[case("portfolio.csv", true)]
#[case("EXPORT.CSV", true)]
#[case("dir.csv/list.txt", false)]
#[case("csv", false)]
#[case("<stdin>", false)]
fn csv_is_chosen_by_extension(#[case] file: &str, #[case] expected: bool) {
    assert_eq!(has_csv_extension(file), expected);
}
