//! Unit tests of loading and merging tables; resolution over the built-in
//! data is tested case by case in tests/lifecycle_policies.rs.

use super::*;
use crate::lifecycle::policy::{Confidence, DayRange};

fn builtin() -> PolicyTable {
    PolicyTable::builtin().unwrap_or_else(|error| panic!("{error}"))
}

#[test]
fn the_builtin_table_loads_and_has_unique_ids() {
    let table = builtin();
    let mut ids: Vec<&str> = table.entries().map(|entry| entry.id.as_str()).collect();
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count);
    for tld in [
        "cn", "uk", "de", "eu", "fr", "nl", "jp", "au", "ca", "io", "co", "us", "ru", "se", "br",
    ] {
        assert!(
            table
                .entries()
                .any(|entry| entry.registrar.is_none() && entry.tlds.iter().any(|t| t == tld)),
            "no entry for {tld}"
        );
    }
}

#[test]
fn a_user_entry_replaces_the_builtin_one_with_its_id() {
    let mut table = builtin();
    let user = r#"
[[entry]]
id = "cn"
tlds = ["cn"]
redemption = { value = 20, source = "my registrar's contract", confidence = "V" }
"#;
    assert_eq!(table.merge(user, "mine.toml"), Ok(()));
    let cn = table.resolve("cn", None);
    assert_eq!(
        cn.redemption.value(),
        DayRange::exactly(20).unwrap_or(DayRange::NONE)
    );
    assert_eq!(cn.redemption.entry, "cn");
    // Figures the user entry leaves out come from the ccTLD fallback now.
    assert_eq!(cn.grace.entry, "cctld-unknown");
    assert_eq!(cn.grace.figure.confidence, Confidence::Unverified);
}

#[test]
fn a_user_entry_with_a_new_id_is_added() {
    let mut table = builtin();
    let user = r#"
[[entry]]
id = "my-registrar"
tlds = ["gtld"]
registrar = { label = "Example Registrar", names = ["Example Registrar"], iana_ids = [9999] }
grace = { value = [10, 12], source = "contract", confidence = "V" }
"#;
    assert_eq!(table.merge(user, "mine.toml"), Ok(()));
    let registrar = crate::record::Registrar {
        name: Some("EXAMPLE REGISTRAR, INC.".into()),
        iana_id: None,
    };
    let policy = table.resolve("com", Some(&registrar));
    assert_eq!(policy.entries, ["gtld", "my-registrar"]);
    assert_eq!(policy.grace.value().to_string(), "10-12");
}

#[test]
fn broken_files_name_the_file_and_the_problem() {
    let cases = [
        ("[[entry]\nid = 1", "is not valid"),
        ("[[entry]]\nid = \"x\"\ntlds = [\"COM\"]\n", "\"COM\""),
        ("[[entry]]\nid = \"x\"\ntlds = []\n", "lists no TLDs"),
        (
            "[[entry]]\nid = \"x\"\ntlds = [\"com\"]\ngrace = { value = [9, 3], source = \"s\", confidence = \"V\" }\n",
            "backwards",
        ),
        (
            "[[entry]]\nid = \"x\"\ntlds = [\"com\"]\ngrace = { value = 3, source = \"s\", confidence = \"sure\" }\n",
            "is not valid",
        ),
        (
            "[[entry]]\nid = \"x\"\ntlds = [\"com\"]\n[[entry]]\nid = \"x\"\ntlds = [\"net\"]\n",
            "appears twice",
        ),
        (
            "[[entry]]\nid = \"x\"\ntlds = [\"com\"]\nregistrar = { label = \"X\", names = [\"co\"] }\n",
            "too short",
        ),
        (
            "[[entry]]\nid = \"x\"\ntlds = [\"com\"]\nregistrar = { label = \"X\", names = [] }\n",
            "no names",
        ),
        (
            "[[entry]]\nid = \"gtld\"\ntlds = [\"gtld\"]\n",
            "gives no grace",
        ),
    ];
    for (text, problem) in cases {
        let mut table = builtin();
        let error = table.merge(text, "user.toml").err();
        let message = error.as_ref().map(ToString::to_string).unwrap_or_default();
        assert!(message.contains("user.toml"), "{message}");
        assert!(message.contains(problem), "{text:?}: {message}");
        assert_eq!(error.map(|e| e.is_builtin()), Some(false));
    }
}

#[test]
fn syntax_errors_give_line_and_column() {
    let mut table = builtin();
    let message = table
        .merge("[[entry]]\nid = \"x\"\ntlds = [\"com\"\n", "user.toml")
        .err()
        .map(|error| error.to_string())
        .unwrap_or_default();
    assert!(message.contains("line 3"), "{message}");
}

#[test]
fn a_failed_merge_leaves_the_table_as_it_was() {
    let mut table = builtin();
    let before = table.resolve("cn", None);
    let broken = "[[entry]]\nid = \"cn\"\ntlds = [\"cn\"]\ngrace = { value = 3, source = \"s\", confidence = \"V\" }\n[[entry]]\nid = \"gtld\"\ntlds = [\"gtld\"]\n";
    assert!(table.merge(broken, "user.toml").is_err());
    assert_eq!(table.resolve("cn", None), before);
}
