use chrono::TimeZone;
use serde_json::Value;

use super::*;
use crate::notify::change::ChangeKind;

fn change(domain: &str, severity: Severity, message: &str) -> Change {
    Change {
        domain: domain.to_owned(),
        code: "on-hold".to_owned(),
        severity,
        kind: ChangeKind::New,
        before: None,
        after: Some(message.to_owned()),
        message: message.to_owned(),
    }
}

fn notice(changes: &[Change]) -> Notice<'_> {
    let at = Utc.with_ymd_and_hms(2025, 1, 1, 12, 0, 0).unwrap();
    Notice {
        changes,
        counts: Counts {
            names: 120,
            checked: 119,
            failed: 1,
            ..Counts::default()
        },
        as_of: at,
        started: at,
        finished: at,
    }
}

fn json(body: &Body) -> Value {
    serde_json::from_slice(&body.bytes).unwrap()
}

#[test]
fn the_json_body_has_slack_text_structured_changes_and_counts() {
    let changes = [
        change("held.org", Severity::Error, "on-hold: not in DNS"),
        change("example.com", Severity::Warning, "expiring: in 19 days"),
    ];
    let body = body(NotifyFormat::Json, &notice(&changes));
    assert_eq!(body.content_type, "application/json");
    let value = json(&body);
    assert_eq!(
        value["text"],
        "domlife: 2 changes (1 error, 1 warning) in 120 names as of 2025-01-01\n\
         [error] held.org: on-hold: not in DNS\n\
         [warning] example.com: expiring: in 19 days"
    );
    assert_eq!(value["changes"][0]["domain"], "held.org");
    assert_eq!(value["changes"][0]["code"], "on-hold");
    assert_eq!(value["changes"][0]["severity"], "error");
    assert_eq!(value["changes"][0]["kind"], "new");
    assert_eq!(value["changes"][0]["before"], Value::Null);
    assert_eq!(value["changes"][0]["after"], "on-hold: not in DNS");
    assert_eq!(value["counts"]["names"], 120);
    assert_eq!(value["counts"]["failed"], 1);
    assert_eq!(value["omitted"], 0);
}

#[test]
fn registry_text_cannot_forge_lines_or_mention_a_channel() {
    let changes = [change(
        "evil.com",
        Severity::Error,
        "registrar <!channel> & co\n[error] forged.com: fake",
    )];
    let json_text = json(&body(NotifyFormat::Json, &notice(&changes)))["text"].clone();
    assert_eq!(
        json_text.as_str().unwrap().lines().nth(1),
        Some("[error] evil.com: registrar &lt;!channel&gt; &amp; co\\n[error] forged.com: fake")
    );
    assert_eq!(json_text.as_str().unwrap().lines().count(), 2);
    let discord = json(&body(NotifyFormat::Discord, &notice(&changes)));
    assert_eq!(
        discord["allowed_mentions"]["parse"],
        Value::Array(Vec::new())
    );
    assert_eq!(discord["content"].as_str().unwrap().lines().count(), 2);
}

#[test]
fn long_messages_are_cut_at_a_line_and_say_how_many_are_left() {
    let changes: Vec<Change> = (0..500)
        .map(|index| {
            change(
                &format!("name{index:03}.com"),
                Severity::Warning,
                "expiring: soon",
            )
        })
        .collect();
    let discord = json(&body(NotifyFormat::Discord, &notice(&changes)));
    let content = discord["content"].as_str().unwrap();
    assert!(content.chars().count() <= 2_000, "{}", content.len());
    let lines: Vec<&str> = content.lines().collect();
    let shown = lines.len() - 2;
    assert_eq!(
        lines.last().copied(),
        Some(format!("… and {} more changes", 500 - shown).as_str())
    );
    let slack = json(&body(NotifyFormat::Json, &notice(&changes)));
    assert_eq!(slack["text"].as_str().unwrap().lines().count(), 52);
    assert_eq!(slack["changes"].as_array().unwrap().len(), 500);

    let many: Vec<Change> = (0..MAX_CHANGES + 5)
        .map(|index| change(&format!("n{index}.com"), Severity::Error, "x"))
        .collect();
    let value = json(&body(NotifyFormat::Json, &notice(&many)));
    assert_eq!(value["changes"].as_array().unwrap().len(), MAX_CHANGES);
    assert_eq!(value["omitted"], 5);
}

#[test]
fn ntfy_gets_plain_text_with_a_title_and_a_priority() {
    let changes = [change("held.org", Severity::Error, "on-hold: not in DNS")];
    let body = body(NotifyFormat::Ntfy, &notice(&changes));
    assert_eq!(body.content_type, "text/plain; charset=utf-8");
    assert_eq!(
        body.headers,
        [
            (
                "Title",
                "domlife: 1 change (1 error) in 120 names as of 2025-01-01".to_owned()
            ),
            ("Priority", "high".to_owned()),
            ("Tags", "rotating_light".to_owned()),
        ]
    );
    assert_eq!(
        String::from_utf8(body.bytes).unwrap(),
        "domlife: 1 change (1 error) in 120 names as of 2025-01-01\n[error] held.org: on-hold: not in DNS"
    );
}
