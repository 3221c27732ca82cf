//! The audit of names read from a CSV list, as `domlife check` will run it:
//! [`Audit::for_item`] takes the row's tier threshold, intent and
//! `expires` column.

use std::io::Cursor;

use domlife::input::{Entry, InputItem, ReadOptions, Source, read_all};
use domlife::reconcile::{Audit, Code, Severity, Threshold, Thresholds, reconcile};

use super::build::{at, policy, record};

const PORTFOLIO: &str = "domain,tier,expires,intent\n\
                         core.com,Core,,keep\n\
                         parked.com,,,\n\
                         old.de,,2024-07-15,drop\n";

fn items() -> Vec<InputItem> {
    let source = Source::Reader {
        name: "portfolio.csv".to_owned(),
        reader: Box::new(Cursor::new(PORTFOLIO.as_bytes())),
    };
    read_all([source], &ReadOptions::default())
        .unwrap_or_else(|error| panic!("{error}"))
        .into_iter()
        .map(|entry| match entry {
            Entry::Name(item) => item,
            Entry::Invalid(line) => panic!("{line:?}"),
        })
        .collect()
}

#[test]
fn rows_bring_their_tier_intent_and_expiry() {
    let thresholds = Thresholds::default().with_tier(
        "core",
        Threshold {
            warning_days: 60,
            error_days: 14,
        },
    );
    let as_of = at("2024-07-20");
    let mut got = Vec::new();
    for item in items() {
        let domain = item.name.ascii().to_owned();
        let policy = policy(item.name.tld(), None);
        let mut registry = record(&domain, "clientTransferProhibited");
        // Both .com names expire in 45 days; .de publishes no expiry.
        registry.expires = (item.name.tld() == "com").then(|| at("2024-09-03"));
        let audit = Audit::for_item(&item, &policy, &thresholds, as_of);
        let findings = reconcile(&registry, &audit);
        got.push((
            domain,
            findings
                .iter()
                .map(|f| (f.code, f.severity))
                .collect::<Vec<_>>(),
        ));
    }
    assert_eq!(
        got,
        [
            (
                "core.com".to_owned(),
                vec![(Code::Expiring, Severity::Warning)]
            ),
            ("parked.com".to_owned(), vec![]),
            (
                "old.de".to_owned(),
                vec![
                    (Code::Expired, Severity::Notice),
                    (Code::NoExpiryPublished, Severity::Notice)
                ]
            ),
        ]
    );
}
