//! Reads the portfolios in fixtures/input/ and checks every entry: names,
//! origins, columns, notes, and the reason for every rejected line.

use std::io::Cursor;
use std::path::PathBuf;

use domlife::input::{
    Entry, InputError, InputItem, Intent, InvalidLine, ReadOptions, Source, entries, read_all,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/input")
        .join(name)
}

fn file_of(name: &str) -> String {
    fixture(name).display().to_string()
}

fn read(names: &[&str], options: ReadOptions) -> Vec<Entry> {
    let sources = names.iter().map(|name| Source::Path(fixture(name)));
    match read_all(sources, &options) {
        Ok(entries) => entries,
        Err(error) => panic!("reading {names:?}: {error}"),
    }
}

/// One line per entry, easy to compare as a whole: `name LINES` or
/// `invalid LINE: REASON`.
fn summary(entries: &[Entry]) -> Vec<String> {
    entries
        .iter()
        .map(|entry| match entry {
            Entry::Name(item) => {
                let lines: Vec<String> = item
                    .origins
                    .iter()
                    .map(|origin| origin.line.to_string())
                    .collect();
                format!("{} {}", item.name.ascii(), lines.join(","))
            }
            Entry::Invalid(invalid) => {
                format!("invalid {}: {}", invalid.origin.line, invalid.reason)
            }
        })
        .collect()
}

fn name<'a>(entries: &'a [Entry], ascii: &str) -> &'a InputItem {
    entries
        .iter()
        .find_map(|entry| match entry {
            Entry::Name(item) if item.name.ascii() == ascii => Some(item),
            _ => None,
        })
        .unwrap_or_else(|| panic!("{ascii} not among {:?}", summary(entries)))
}

fn invalid_at(entries: &[Entry], line: usize) -> &InvalidLine {
    entries
        .iter()
        .find_map(|entry| match entry {
            Entry::Invalid(invalid) if invalid.origin.line == line => Some(invalid),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no invalid line {line} among {:?}", summary(entries)))
}

#[test]
fn text_portfolio_is_read_merged_and_every_bad_line_reported() {
    let entries = read(&["portfolio.txt"], ReadOptions::default());
    assert_eq!(
        summary(&entries),
        [
            "example.com 4,13",
            "example.org 5",
            "example.net 6",
            "example.co.uk 7,19",
            "example.de 8",
            "xn--bcher-kva.de 9,18",
            "xn--e1afmkfd.xn--p1ai 10",
            "xn--fsqu00a.xn--fiqs8s 11",
            "invalid 14: character '_' (U+005F) is not allowed in a host name",
            "invalid 15: 192.0.2.10 is an IP address, not a domain name",
            "invalid 16: co.uk is a public suffix; give a name registered under it, like example.co.uk",
            "invalid 17: invalidtld is not a known top-level domain",
        ]
    );
    let file = file_of("portfolio.txt");
    let shop = name(&entries, "example.co.uk");
    assert_eq!(shop.raw, "https://shop.example.co.uk/cart?id=7#reviews");
    assert_eq!(
        shop.notes,
        [
            "taken from URL https://shop.example.co.uk/cart?id=7#reviews",
            "shop.example.co.uk reduced to registrable domain example.co.uk",
            "a.b.example.co.uk reduced to registrable domain example.co.uk",
        ]
    );
    assert!(shop.origins.iter().all(|origin| origin.file == file));
    let russian = name(&entries, "xn--e1afmkfd.xn--p1ai");
    assert_eq!(russian.name.unicode(), "пример.рф");
    assert_eq!(russian.raw, "пример.рф");
    assert_eq!(name(&entries, "example.org").raw, "Example.ORG.");
    assert_eq!(
        name(&entries, "example.de").notes,
        ["taken from e-mail address hostmaster@example.de"]
    );
    let underscore = invalid_at(&entries, 14);
    assert_eq!(underscore.raw, "foo_bar.example.com");
    assert_eq!(underscore.origin.file, file);
}

#[test]
fn text_portfolio_streams_one_entry_per_line_without_merging() {
    let lines: Vec<usize> = match entries(
        Source::Path(fixture("portfolio.txt")),
        &ReadOptions::default(),
    ) {
        Ok(stream) => stream
            .map(|entry| match entry {
                Ok(Entry::Name(item)) => item.origins[0].line,
                Ok(Entry::Invalid(invalid)) => invalid.origin.line,
                Err(error) => panic!("{error}"),
            })
            .collect(),
        Err(error) => panic!("{error}"),
    };
    assert_eq!(
        lines,
        [4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19]
    );
}

#[test]
fn windows_file_with_bom_crlf_and_bad_bytes_keeps_going() {
    let entries = read(&["windows.txt"], ReadOptions::default());
    assert_eq!(
        summary(&entries),
        [
            "example.com 1",
            "invalid 4: not valid UTF-8 (byte 0xE9 at byte 4)",
            "example.fr 5",
            "invalid 6: character '\\u{1b}' (U+001B) is not allowed in a host name",
            "invalid 7: character '\\u{202e}' (U+202E) is not allowed in a host name",
            "example.eu 8",
        ]
    );
    assert_eq!(invalid_at(&entries, 4).raw, "caf\u{fffd}.fr");
    assert_eq!(invalid_at(&entries, 6).raw, "bad\\u{1b}[31mname.com");
    assert_eq!(invalid_at(&entries, 7).raw, "\\u{202e}moc.elpmaxe");
    assert_eq!(name(&entries, "example.com").raw, "example.com");
    assert_eq!(name(&entries, "example.fr").raw, "example.fr");
    assert_eq!(
        name(&entries, "example.eu").notes,
        ["last-line.example.eu reduced to registrable domain example.eu"]
    );
}

#[test]
fn csv_portfolio_keeps_columns_and_reports_broken_rows() {
    let entries = read(&["portfolio.csv"], ReadOptions::default());
    assert_eq!(
        summary(&entries),
        [
            "example.com 3,10",
            "example.org 4,15",
            "xn--bcher-kva.de 5",
            "invalid 7: expires 2027-13-01 is not a date (YYYY-MM-DD) or an RFC 3339 date-time",
            "invalid 8: intent sell is neither keep nor drop",
            "invalid 9: the row has 2 fields, the header has 7",
            "invalid 12: co.uk is a public suffix; give a name registered under it, like example.co.uk",
            "invalid 13: character '\\n' (U+000A) is not allowed in a host name",
        ]
    );
    let file = file_of("portfolio.csv");

    let com = name(&entries, "example.com");
    assert_eq!(com.tier.as_deref(), Some("gold"));
    assert_eq!(com.registrar.as_deref(), Some("Example Registrar Inc."));
    assert_eq!(
        com.expires.map(|time| time.to_rfc3339()).as_deref(),
        Some("2027-03-10T00:00:00+00:00")
    );
    assert_eq!(com.intent, Some(Intent::Keep));
    assert_eq!(com.tags, ["brand", "legal"]);
    assert_eq!(
        com.notes,
        [format!(
            "{file}:10 gives tier \"platinum\", kept \"gold\" from the first line that gave one"
        )]
    );

    let org = name(&entries, "example.org");
    assert_eq!(org.raw, "www.example.org");
    assert_eq!(org.tier.as_deref(), Some("silver"));
    assert_eq!(
        org.expires.map(|time| time.to_rfc3339()).as_deref(),
        Some("2026-12-01T12:00:00+00:00")
    );
    assert_eq!(org.intent, Some(Intent::Drop));
    assert_eq!(org.tags, ["old campaign"]);
    assert_eq!(
        org.notes,
        [
            "www.example.org reduced to registrable domain example.org".to_owned(),
            format!("{file}:15 gives intent keep, kept drop from the first line that gave one"),
        ]
    );

    let books = name(&entries, "xn--bcher-kva.de");
    assert_eq!(
        books.registrar.as_deref(),
        Some("Registrar, with comma GmbH")
    );
    assert_eq!(books.intent, None);
    assert_eq!(books.intent.unwrap_or_default(), Intent::Keep);
    assert_eq!(books.tags, ["shop", "books"]);

    assert_eq!(
        invalid_at(&entries, 7).raw,
        "example.net,bronze,Example Registrar Inc.,2027-13-01,keep,,ops"
    );
    assert_eq!(invalid_at(&entries, 9).raw, "example.biz,gold");
    assert_eq!(
        invalid_at(&entries, 13).raw,
        "\"multi\\nline.example\",gold,,,,,ops"
    );
}

// Issue #13: a CSV whose header has no domain column is refused whole,
// naming the columns it has, instead of one invalid row and silence.
#[test]
fn csv_without_domain_column_is_refused_naming_its_columns() {
    let sources = [Source::Path(fixture("no-domain-column.csv"))];
    let error = match read_all(sources, &ReadOptions::default()) {
        Ok(entries) => panic!("read: {}", summary(&entries).join(" | ")),
        Err(error) => error,
    };
    assert!(
        matches!(error, InputError::Header { line: 1, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.ends_with(
            "no-domain-column.csv line 1: the header has no domain column (it has: name, tier); \
             no row of this CSV file can be read"
        ),
        "{message}"
    );
}

#[test]
fn a_semicolon_separated_csv_is_read_by_its_header() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let path = directory.path().join("list.csv");
    std::fs::write(
        &path,
        "domain;tier;tags\nexample.com;gold;a,b\nexample.org;;\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let entries = match read_all([Source::Path(path)], &ReadOptions::default()) {
        Ok(entries) => entries,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(summary(&entries), ["example.com 2", "example.org 3"]);
    assert_eq!(name(&entries, "example.com").tier.as_deref(), Some("gold"));
}

#[test]
fn csv_with_bom_and_crlf_finds_its_header() {
    let entries = read(&["bom-crlf.csv"], ReadOptions::default());
    assert_eq!(summary(&entries), ["example.com 2", "example.org 3"]);
    assert_eq!(name(&entries, "example.com").tier.as_deref(), Some("gold"));
    assert_eq!(name(&entries, "example.org").tier, None);
}

#[test]
fn duplicates_merge_across_files_in_first_seen_order() {
    let entries = read(&["portfolio.txt", "portfolio.csv"], ReadOptions::default());
    let com = name(&entries, "example.com");
    let origins: Vec<String> = com.origins.iter().map(ToString::to_string).collect();
    let (text, csv) = (file_of("portfolio.txt"), file_of("portfolio.csv"));
    assert_eq!(
        origins,
        [
            format!("{text}:4"),
            format!("{text}:13"),
            format!("{csv}:3"),
            format!("{csv}:10"),
        ]
    );
    // The text lines had no columns; the first CSV row supplies them.
    assert_eq!(com.tier.as_deref(), Some("gold"));
    assert_eq!(com.raw, "example.com");
    let names = summary(&entries)
        .into_iter()
        .filter(|line| !line.starts_with("invalid"))
        .count();
    assert_eq!(names, 8, "{:?}", summary(&entries));
}

#[test]
fn stdin_is_any_reader_and_csv_can_be_forced() {
    // A byte-order mark at the start of a line (files joined with `cat`) is
    // not content.
    let input = "domain,intent\n\u{feff}example.org,keep\nexample.com,drop\n";
    let stdin = Source::Reader {
        name: "<stdin>".to_owned(),
        reader: Box::new(Cursor::new(input)),
    };
    let entries = match read_all([stdin], &ReadOptions { csv: true }) {
        Ok(entries) => entries,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(summary(&entries), ["example.org 2", "example.com 3"]);
    assert_eq!(name(&entries, "example.com").origins[0].file, "<stdin>");
    assert_eq!(name(&entries, "example.com").intent, Some(Intent::Drop));

    // The same text read as plain text: three lines, three bad names.
    let stdin = Source::Reader {
        name: "<stdin>".to_owned(),
        reader: Box::new(Cursor::new(input)),
    };
    let entries = match read_all([stdin], &ReadOptions::default()) {
        Ok(entries) => entries,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(entries.len(), 3);
    assert!(
        entries
            .iter()
            .all(|entry| matches!(entry, Entry::Invalid(_)))
    );
}

#[test]
fn a_reader_named_csv_is_read_as_csv() {
    let source = Source::Reader {
        name: "export.CSV".to_owned(),
        reader: Box::new(Cursor::new("Domain\nexample.com\n")),
    };
    let entries = match read_all([source], &ReadOptions::default()) {
        Ok(entries) => entries,
        Err(error) => panic!("{error}"),
    };
    assert_eq!(summary(&entries), ["example.com 2"]);
}

#[test]
fn a_missing_file_fails_the_whole_call_and_names_the_path() {
    let missing = fixture("no-such-file.txt");
    let sources = [
        Source::Path(fixture("portfolio.txt")),
        Source::Path(missing.clone()),
    ];
    match read_all(sources, &ReadOptions::default()) {
        Err(error @ InputError::Open { .. }) => {
            let message = error.to_string();
            assert!(
                message.starts_with(&format!("cannot open {}: ", missing.display())),
                "{message}"
            );
        }
        other => panic!("expected InputError::Open, got {other:?}"),
    }
}

#[test]
fn a_directory_fails_with_a_read_error() {
    let directory = fixture("");
    match read_all([Source::Path(directory.clone())], &ReadOptions::default()) {
        Err(error @ InputError::Read { line: 0, .. }) => {
            let message = error.to_string();
            let expected = format!("cannot read {}: ", directory.display());
            assert!(message.starts_with(&expected), "{message}");
        }
        other => panic!("expected InputError::Read, got {other:?}"),
    }
}

#[test]
fn entries_serialise_with_a_kind_tag() {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let bad = directory.path().join("bad.txt");
    std::fs::write(&bad, "-bad-.com\n").unwrap_or_else(|error| panic!("{error}"));
    let sources = [Source::Path(fixture("bom-crlf.csv")), Source::Path(bad)];
    let entries = match read_all(sources, &ReadOptions::default()) {
        Ok(entries) => entries,
        Err(error) => panic!("{error}"),
    };
    let json = match serde_json::to_value(&entries) {
        Ok(json) => json,
        Err(error) => panic!("{error}"),
    };
    let file = file_of("bom-crlf.csv");
    assert_eq!(
        json[0],
        serde_json::json!({
            "kind": "name",
            "name": "example.com",
            "origins": [{"file": file, "line": 2}],
            "raw": "example.com",
            "notes": [],
            "tier": "gold",
            "registrar": null,
            "expires": null,
            "intent": null,
            "tags": [],
        })
    );
    let invalid = json
        .as_array()
        .and_then(|entries| entries.iter().find(|entry| entry["kind"] == "invalid"))
        .unwrap_or_else(|| panic!("no invalid entry: {json}"));
    assert_eq!(invalid["origin"]["line"], 1);
    assert_eq!(invalid["raw"], "-bad-.com");
}

#[test]
fn entries_can_move_to_another_thread() {
    fn assert_send<T: Send>(_: &T) {}
    let stream = entries(
        Source::Path(fixture("portfolio.txt")),
        &ReadOptions::default(),
    );
    match stream {
        Ok(stream) => {
            assert_send(&stream);
            let count = std::thread::spawn(move || stream.count()).join().ok();
            assert_eq!(count, Some(15));
        }
        Err(error) => panic!("{error}"),
    }
}
