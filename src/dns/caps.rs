//! How much of a DNS answer is kept. A resolver can hand back thousands of
//! records or kilobytes of TXT for one name (a hostile zone, or just a
//! large SPF include list); every later step (the findings, the reports, a
//! store of results) would pay for each. The caps are far above what a
//! healthy zone publishes, and whatever they drop is counted and noted.

use super::answer::{DnsAnswer, DnsRecord};

/// The most records kept per type (a zone has a handful of NS, A or MX).
pub const MAX_RECORDS: usize = 32;
/// The most characters kept of one record's data (a TXT record with a DKIM
/// key or a long SPF policy fits).
pub const MAX_DATA_CHARS: usize = 1024;
/// The most characters kept of an error message.
pub const MAX_ERROR_CHARS: usize = 300;

/// `text` cut to `limit` characters, and whether it was cut.
pub fn cap_text(text: &str, limit: usize) -> (String, bool) {
    match text.char_indices().nth(limit) {
        Some((end, _)) => (text[..end].to_owned(), true),
        None => (text.to_owned(), false),
    }
}

/// An answer with `records` kept up to [`MAX_RECORDS`], each cut to
/// [`MAX_DATA_CHARS`]; the notes say what was dropped.
pub fn capped_records(answer: &mut DnsAnswer, records: Vec<DnsRecord>, notes: &mut Vec<String>) {
    let total = records.len();
    let mut cut = 0;
    answer.records = records
        .into_iter()
        .take(MAX_RECORDS)
        .map(|record| {
            let (data, was_cut) = cap_text(&record.data, MAX_DATA_CHARS);
            cut += usize::from(was_cut);
            DnsRecord { data, ..record }
        })
        .collect();
    answer.omitted = total.saturating_sub(MAX_RECORDS);
    let kind = answer.kind.as_str();
    if answer.omitted > 0 {
        notes.push(format!(
            "{total} {kind} records answered; only the first {MAX_RECORDS} are kept"
        ));
    }
    if cut > 0 {
        notes.push(format!(
            "{cut} {kind} record(s) longer than {MAX_DATA_CHARS} characters were cut short"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::answer::{Outcome, RecordKind};

    #[test]
    fn text_is_cut_on_a_character_boundary() {
        assert_eq!(cap_text("abc", 3), ("abc".to_owned(), false));
        assert_eq!(cap_text("ééé", 2), ("éé".to_owned(), true));
    }

    #[test]
    fn records_beyond_the_cap_are_counted_and_noted() {
        let mut answer = DnsAnswer {
            kind: RecordKind::Txt,
            outcome: Outcome::Answered,
            records: Vec::new(),
            omitted: 0,
            error: None,
        };
        let long = "v".repeat(MAX_DATA_CHARS + 10);
        let records: Vec<DnsRecord> = (0..MAX_RECORDS + 8)
            .map(|index| DnsRecord {
                ttl: 60,
                data: if index == 0 {
                    long.clone()
                } else {
                    index.to_string()
                },
            })
            .collect();
        let mut notes = Vec::new();
        capped_records(&mut answer, records, &mut notes);
        assert_eq!(answer.records.len(), MAX_RECORDS);
        assert_eq!(answer.omitted, 8);
        assert_eq!(answer.records[0].data.chars().count(), MAX_DATA_CHARS);
        assert_eq!(
            notes,
            [
                format!("40 TXT records answered; only the first {MAX_RECORDS} are kept"),
                format!("1 TXT record(s) longer than {MAX_DATA_CHARS} characters were cut short"),
            ]
        );
    }
}
