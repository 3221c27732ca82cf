//! The second pass: when a repeated name comes out, with which index, and
//! that names sharing a hash are never merged; and whole files read twice
//! give what one merge in memory gives; how a later line's columns fold
//! into the first.

use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write;
use std::path::PathBuf;

use chrono::TimeZone;

use super::*;
use crate::domain::normalize;
use crate::input::{InvalidLine, Origin};

fn name(text: &str, file: &str, line: usize) -> Entry {
    match normalize(text) {
        Ok(normalized) => Entry::Name(InputItem::new(
            normalized,
            Origin {
                file: file.to_owned(),
                line,
            },
            text,
        )),
        Err(error) => panic!("{text}: {error}"),
    }
}

fn invalid(file: &str, line: usize) -> Entry {
    Entry::Invalid(InvalidLine {
        origin: Origin {
            file: file.to_owned(),
            line,
        },
        raw: "co.uk".to_owned(),
        reason: "co.uk is a public suffix".to_owned(),
    })
}

/// `index name origins` (or `index invalid origin`) per entry, in the
/// order they came out.
fn outline(indexed: &[(usize, Entry)]) -> Vec<String> {
    indexed
        .iter()
        .map(|(index, entry)| match entry {
            Entry::Name(item) => {
                let origins: Vec<String> = item.origins.iter().map(Origin::to_string).collect();
                format!("{index} {} {}", item.name.ascii(), origins.join(","))
            }
            Entry::Invalid(line) => format!("{index} invalid {}", line.origin),
        })
        .collect()
}

/// A hasher that gives every name the same hash.
#[derive(Default)]
struct Colliding;

impl Hasher for Colliding {
    fn finish(&self) -> u64 {
        7
    }

    fn write(&mut self, _bytes: &[u8]) {}
}

#[test]
fn a_repeated_name_waits_for_its_last_line_and_keeps_its_first_place() {
    let entries = vec![
        name("example.org", "a.txt", 1),
        invalid("a.txt", 2),
        name("example.net", "a.txt", 3),
        name("www.example.org", "b.txt", 1),
        name("example.com", "b.txt", 2),
        name("EXAMPLE.ORG.", "b.txt", 3),
        name("example.info", "b.txt", 4),
    ];
    let indexed = dedupe_in_memory(entries, RandomState::new());
    assert_eq!(
        outline(&indexed),
        [
            "1 invalid a.txt:2",
            "2 example.net a.txt:3",
            "3 example.com b.txt:2",
            "0 example.org a.txt:1,b.txt:1,b.txt:3",
            "4 example.info b.txt:4",
        ]
    );
}

#[test]
fn names_sharing_a_hash_are_not_merged_and_come_out_at_the_end() {
    let entries = vec![
        name("example.org", "a.txt", 1),
        name("example.net", "a.txt", 2),
        invalid("a.txt", 3),
        name("example.org", "a.txt", 4),
    ];
    let colliding = BuildHasherDefault::<Colliding>::default();
    let indexed = dedupe_in_memory(entries.clone(), colliding);
    assert_eq!(
        outline(&indexed),
        [
            "2 invalid a.txt:3",
            "0 example.org a.txt:1,a.txt:4",
            "1 example.net a.txt:2",
        ]
    );
    let mut sorted = indexed;
    sorted.sort_unstable_by_key(|(index, _)| *index);
    let mut expected = dedupe_in_memory(entries, RandomState::new());
    expected.sort_unstable_by_key(|(index, _)| *index);
    assert_eq!(sorted, expected);
}

/// The merge as it was done holding the whole list: each name at the
/// place it was first seen.
fn merged_in_memory(entries: impl Iterator<Item = Entry>) -> Vec<Entry> {
    let mut merged: Vec<Entry> = Vec::new();
    let mut position_of_name = HashMap::new();
    for entry in entries {
        let Entry::Name(item) = entry else {
            merged.push(entry);
            continue;
        };
        match position_of_name.get(item.name.ascii()).copied() {
            Some(position) => match merged.get_mut(position) {
                Some(Entry::Name(first)) => merge_into(first, item),
                other => panic!("position {position} holds {other:?}"),
            },
            None => {
                position_of_name.insert(item.name.ascii().to_owned(), merged.len());
                merged.push(Entry::Name(item));
            }
        }
    }
    merged
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/input")
        .join(name)
}

#[test]
fn files_and_a_reader_read_twice_give_the_merge_in_memory() {
    let stdin_text = "example.com\nexample.org\n# comment\nexample.com\n";
    let sources = || {
        vec![
            Source::Path(fixture("portfolio.txt")),
            Source::Path(fixture("portfolio.txt")),
            Source::Reader {
                name: STDIN_NAME.to_owned(),
                reader: Box::new(io::Cursor::new(stdin_text)),
            },
        ]
    };
    let options = ReadOptions::default();
    let streamed = match MergedEntries::open(sources(), &options) {
        Ok(streamed) => streamed,
        Err(error) => panic!("{error}"),
    };
    let total = streamed.total();
    let mut indexed = match streamed.collect::<Result<Vec<_>, _>>() {
        Ok(indexed) => indexed,
        Err(error) => panic!("{error}"),
    };
    indexed.sort_unstable_by_key(|(index, _)| *index);
    let indices: Vec<usize> = indexed.iter().map(|(index, _)| *index).collect();
    assert_eq!(indices, (0..total).collect::<Vec<_>>());

    let unmerged = sources()
        .into_iter()
        .flat_map(|source| match entries(source, &options) {
            Ok(entries) => entries.map(|entry| match entry {
                Ok(entry) => entry,
                Err(error) => panic!("{error}"),
            }),
            Err(error) => panic!("{error}"),
        });
    let expected = merged_in_memory(unmerged);
    let streamed: Vec<Entry> = indexed.into_iter().map(|(_, entry)| entry).collect();
    assert_eq!(streamed, expected);
    // The list read twice over: every name has at least two origins.
    assert!(streamed.iter().any(|entry| matches!(
        entry,
        Entry::Name(item) if item.origins.iter().any(|origin| origin.file == STDIN_NAME)
            && item.origins.len() >= 3
    )));
}

#[test]
fn a_list_removed_between_the_passes_is_an_error_not_a_silent_loss() {
    let directory = match tempfile::tempdir() {
        Ok(directory) => directory,
        Err(error) => panic!("{error}"),
    };
    let list = directory.path().join("list.txt");
    let written = std::fs::File::create(&list)
        .and_then(|mut file| file.write_all(b"example.com\nwww.example.com\n"));
    if let Err(error) = written {
        panic!("{error}");
    }
    let streamed = match MergedEntries::open([Source::Path(list.clone())], &ReadOptions::default())
    {
        Ok(streamed) => streamed,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(streamed.total(), 1);
    // The list goes away between the passes: its reopening fails, named.
    if let Err(error) = std::fs::remove_file(&list) {
        panic!("{error}");
    }
    let results: Vec<_> = streamed.collect();
    assert!(
        matches!(results.as_slice(), [Err(InputError::Open { path, .. })] if *path == list),
        "{results:?}"
    );
}

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
fn first_seen(entries: Vec<Entry>) -> Vec<Entry> {
    let mut indexed = dedupe_in_memory(entries, std::hash::RandomState::new());
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
    let entries = first_seen(vec![
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
    let entries = first_seen(vec![Entry::Name(first), Entry::Name(second)]);
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
    let entries = first_seen(vec![
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
