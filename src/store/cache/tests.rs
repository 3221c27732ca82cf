//! Cache hits, misses and expiry with explicit times, and the policy's
//! `--refresh` / `--offline` decisions.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use rstest::rstest;

use super::*;

fn at(hour: u32, minute: u32, second: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, hour, minute, second)
        .single()
        .unwrap()
}

fn key(domain: &str) -> CacheKey {
    CacheKey {
        protocol: Protocol::Rdap,
        role: Role::Registry,
        server: "https://rdap.example/domain/".to_owned() + domain,
        domain: crate::domain::normalize(domain).unwrap().name,
    }
}

fn found(body: &str) -> Response {
    Response {
        outcome: Outcome::Found,
        http_status: Some(200),
        body: body.as_bytes().to_vec(),
    }
}

fn failed(kind: &str) -> Response {
    Response {
        outcome: Outcome::Failed {
            kind: kind.to_owned(),
        },
        http_status: Some(503),
        body: Vec::new(),
    }
}

fn store_with(domain: &str, response: &Response, fetched_at: DateTime<Utc>) -> Store {
    let store = Store::in_memory().unwrap();
    store.put(&key(domain), response, fetched_at).unwrap();
    store
}

#[test]
fn a_query_never_stored_is_a_miss() {
    let store = Store::in_memory().unwrap();
    assert_eq!(store.get(&key("example.com")).unwrap(), None);
}

#[rstest]
#[case::found(found(r#"{"objectClassName":"domain"}"#))]
#[case::not_found(Response { outcome: Outcome::NotFound, http_status: Some(404), body: b"{\"errorCode\":404}".to_vec() })]
#[case::failed(failed("status 503"))]
#[case::whois_bytes_not_utf8(Response { outcome: Outcome::Found, http_status: None, body: vec![0x44, 0x6f, 0xe9, 0x00, 0xff, b'\n'] })]
fn a_response_reads_back_as_stored(#[case] response: Response) {
    let store = store_with("example.com", &response, at(10, 0, 0));
    assert_eq!(
        store.get(&key("example.com")).unwrap(),
        Some(Cached {
            response,
            fetched_at: at(10, 0, 0)
        })
    );
}

#[rstest]
#[case::same_instant(at(10, 0, 0), true)]
#[case::within(at(10, 59, 59), true)]
#[case::exactly_max_age(at(11, 0, 0), true)]
#[case::one_second_past(at(11, 0, 1), false)]
#[case::next_day(at(23, 0, 0), false)]
#[case::fetched_in_the_future(at(9, 59, 59), false)]
fn freshness_is_age_at_most_max_age(#[case] now: DateTime<Utc>, #[case] fresh: bool) {
    let store = store_with("example.com", &found("{}"), at(10, 0, 0));
    let got = store
        .get_fresh(&key("example.com"), Duration::from_secs(3600), now)
        .unwrap();
    assert_eq!(got.is_some(), fresh);
}

#[test]
fn a_max_age_beyond_time_delta_means_forever() {
    let cached = Cached {
        response: found("{}"),
        fetched_at: at(10, 0, 0),
    };
    assert!(cached.is_fresh(Duration::MAX, at(10, 0, 0) + TimeDelta::days(365 * 100)));
}

#[test]
fn keys_differ_by_every_part() {
    let store = store_with("example.com", &found("registry"), at(10, 0, 0));
    let registry = key("example.com");
    let others = [
        CacheKey {
            role: Role::Registrar,
            ..registry.clone()
        },
        CacheKey {
            protocol: Protocol::Whois,
            ..registry.clone()
        },
        CacheKey {
            server: "https://other.example/domain/example.com".to_owned(),
            ..registry.clone()
        },
        CacheKey {
            domain: crate::domain::normalize("example.net").unwrap().name,
            ..registry.clone()
        },
    ];
    for other in &others {
        assert_eq!(store.get(other).unwrap(), None, "{other:?}");
    }
    assert!(store.get(&registry).unwrap().is_some());
}

#[test]
fn a_newer_answer_replaces_the_stored_one() {
    let store = store_with("example.com", &found("old"), at(10, 0, 0));
    store
        .put(&key("example.com"), &found("new"), at(11, 0, 0))
        .unwrap();
    let cached = store.get(&key("example.com")).unwrap().unwrap();
    assert_eq!(cached.response.body, b"new");
    assert_eq!(cached.fetched_at, at(11, 0, 0));
}

#[test]
fn an_older_answer_arriving_late_does_not_replace_a_newer_one() {
    let store = store_with("example.com", &found("new"), at(11, 0, 0));
    store
        .put(&key("example.com"), &found("old"), at(10, 0, 0))
        .unwrap();
    let cached = store.get(&key("example.com")).unwrap().unwrap();
    assert_eq!(cached.response.body, b"new");
}

fn policy(max_age_secs: u64, refresh: bool, offline: bool) -> CachePolicy {
    CachePolicy {
        max_age: Duration::from_secs(max_age_secs),
        refresh,
        offline,
    }
}

#[test]
fn the_default_policy_reuses_answers_up_to_an_hour_old() {
    assert_eq!(CachePolicy::default(), policy(3600, false, false));
}

#[rstest]
#[case::fresh_is_used(policy(3600, false, false), at(10, 30, 0), true)]
#[case::stale_is_fetched(policy(3600, false, false), at(11, 30, 0), false)]
#[case::shorter_max_age(policy(60, false, false), at(10, 1, 1), false)]
#[case::refresh_ignores_a_fresh_answer(policy(3600, true, false), at(10, 0, 1), false)]
#[case::offline_uses_any_age(policy(60, false, true), at(23, 0, 0), true)]
#[case::offline_wins_over_refresh(policy(3600, true, true), at(10, 0, 1), true)]
fn the_policy_decides_on_a_stored_answer(
    #[case] policy: CachePolicy,
    #[case] now: DateTime<Utc>,
    #[case] used: bool,
) {
    let response = found("{}");
    let store = store_with("example.com", &response, at(10, 0, 0));
    let decision = policy.consult(&store, &key("example.com"), now).unwrap();
    let expected = if used {
        CacheDecision::Use(Cached {
            response,
            fetched_at: at(10, 0, 0),
        })
    } else {
        CacheDecision::Fetch
    };
    assert_eq!(decision, expected);
}

#[test]
fn online_a_stored_failure_is_fetched_again_even_when_fresh() {
    let store = store_with("example.com", &failed("timeout"), at(10, 0, 0));
    let decision = CachePolicy::default()
        .consult(&store, &key("example.com"), at(10, 0, 1))
        .unwrap();
    assert_eq!(decision, CacheDecision::Fetch);
}

#[test]
fn offline_a_stored_failure_is_what_the_store_has() {
    let store = store_with("example.com", &failed("timeout"), at(10, 0, 0));
    let decision = policy(3600, false, true)
        .consult(&store, &key("example.com"), at(12, 0, 0))
        .unwrap();
    assert_eq!(
        decision,
        CacheDecision::Use(Cached {
            response: failed("timeout"),
            fetched_at: at(10, 0, 0)
        })
    );
}

#[test]
fn online_a_miss_is_fetched() {
    let store = Store::in_memory().unwrap();
    let decision = CachePolicy::default()
        .consult(&store, &key("example.com"), at(10, 0, 0))
        .unwrap();
    assert_eq!(decision, CacheDecision::Fetch);
}

#[test]
fn offline_a_miss_is_an_error_saying_not_in_the_store() {
    let store = Store::in_memory().unwrap();
    let error = policy(3600, false, true)
        .consult(&store, &key("example.com"), at(10, 0, 0))
        .unwrap_err();
    assert!(error.is_not_in_store());
    assert_eq!(
        error.to_string(),
        "the RDAP registry answer from https://rdap.example/domain/example.com for example.com \
         is not in the store (offline)"
    );
}

#[test]
fn a_damaged_row_is_a_typed_error_not_a_panic() {
    let store = store_with("example.com", &found("{}"), at(10, 0, 0));
    store
        .lock()
        .execute(
            "UPDATE responses SET outcome = 'maybe', http_status = -1",
            [],
        )
        .unwrap();
    let error = store.get(&key("example.com")).unwrap_err();
    assert!(
        matches!(error, StoreError::BadStoredValue { .. }),
        "{error}"
    );
}
