use std::sync::Arc;

use chrono::TimeZone;
use prometheus_parse::{Scrape, Value};

use super::*;
use crate::fetch::{HostKey, Rate};
use crate::record::Protocol;
use crate::report::{self, Counts, ReportFormat};
use crate::run::listeners::exporter::Completed;
use crate::testutil::{self, exposition::check_exposition};

fn host(name: &str, sent: u64, rate_limited: u64) -> HostSnapshot {
    let rate = Rate::per_second(5.0).expect("valid rate");
    HostSnapshot {
        host: HostKey::new(Protocol::Rdap, name),
        in_flight: 0,
        in_flight_limit: 4,
        waiting: 0,
        backing_off: 0,
        paused_for: None,
        rate,
        ceiling: rate,
        latency: None,
        bound: None,
        sent,
        rate_limited,
    }
}

fn audited() -> Snapshot {
    let mut exposition = Vec::new();
    report::write_all(
        ReportFormat::Prometheus,
        &mut exposition,
        &testutil::report(),
        &testutil::context(None),
    )
    .unwrap();
    let started = chrono::Utc.with_ymd_and_hms(2025, 1, 1, 6, 0, 0).unwrap();
    let mut snapshot = Snapshot {
        last: Some(Completed {
            exposition: Arc::new(String::from_utf8(exposition).unwrap()),
            started,
            finished: started + chrono::Duration::milliseconds(12_500),
            counts: Counts::of(&testutil::results()),
        }),
        ..Snapshot::default()
    };
    snapshot.audits.insert("complete", 3);
    snapshot.lookups.insert(("rdap", "answered"), 7);
    snapshot.lookups.insert(("whois", "rate_limited"), 1);
    snapshot.notifications.insert("delivered", 2);
    snapshot
}

fn value(scrape: &Scrape, metric: &str, labels: &[(&str, &str)]) -> Option<f64> {
    scrape
        .samples
        .iter()
        .find(|sample| {
            sample.metric == metric
                && labels
                    .iter()
                    .all(|(key, value)| sample.labels.get(key) == Some(*value))
        })
        .and_then(|sample| match sample.value {
            Value::Gauge(value) | Value::Counter(value) | Value::Untyped(value) => Some(value),
            _ => None,
        })
}

fn parse(text: &str) -> Scrape {
    Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).expect("valid exposition")
}

#[test]
fn metrics_are_the_last_audit_then_the_exporter_families_each_declared_once() {
    let hosts = [
        host("rdap.example", 40, 2),
        host("whois.example:4343", 3, 0),
    ];
    let text = metrics(&audited(), &hosts);
    assert_eq!(check_exposition(&text), Ok(()));
    let scrape = parse(&text);
    let example = [("domain", "example.com")];
    assert_eq!(
        value(&scrape, "domlife_domain_expiry_days", &example),
        Some(18.917)
    );
    assert_eq!(
        value(&scrape, "domlife_audit_last_success_timestamp_seconds", &[]),
        Some(1_735_711_212.0)
    );
    assert_eq!(
        value(&scrape, "domlife_audit_duration_seconds", &[]),
        Some(12.5)
    );
    assert_eq!(
        value(&scrape, "domlife_audit_names", &[("outcome", "invalid")]),
        Some(1.0)
    );
    assert_eq!(
        value(&scrape, "domlife_audits_total", &[("result", "complete")]),
        Some(3.0)
    );
    assert_eq!(
        value(
            &scrape,
            "domlife_audits_total",
            &[("result", "interrupted")]
        ),
        Some(0.0)
    );
    assert_eq!(
        value(
            &scrape,
            "domlife_lookups_total",
            &[("protocol", "whois"), ("result", "rate_limited")]
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &scrape,
            "domlife_rate_limited_responses_total",
            &[("protocol", "rdap"), ("host", "rdap.example")]
        ),
        Some(2.0)
    );
    assert_eq!(
        value(
            &scrape,
            "domlife_requests_sent_total",
            &[("host", "whois.example:4343")]
        ),
        Some(3.0)
    );
    assert_eq!(
        value(
            &scrape,
            "domlife_notifications_total",
            &[("result", "delivered")]
        ),
        Some(2.0)
    );
    assert!(matches!(
        scrape
            .samples
            .iter()
            .find(|sample| sample.metric == "domlife_audits_total")
            .map(|sample| &sample.value),
        Some(Value::Counter(_))
    ));
}

#[test]
fn before_the_first_audit_there_is_no_success_to_report() {
    let text = metrics(&Snapshot::default(), &[]);
    assert_eq!(check_exposition(&text), Ok(()));
    let scrape = parse(&text);
    assert_eq!(value(&scrape, "domlife_audit_running", &[]), Some(0.0));
    assert_eq!(
        value(&scrape, "domlife_audit_last_success_timestamp_seconds", &[]),
        None
    );
    assert!(
        scrape
            .samples
            .iter()
            .all(|sample| !sample.metric.starts_with("domlife_domain_"))
    );
}

#[test]
fn a_probe_adds_its_success_and_duration() {
    let text = probe("", false, std::time::Duration::from_millis(1_234));
    assert_eq!(check_exposition(&text), Ok(()));
    let scrape = parse(&text);
    assert_eq!(value(&scrape, "domlife_probe_success", &[]), Some(0.0));
    assert_eq!(
        value(&scrape, "domlife_probe_duration_seconds", &[]),
        Some(1.234)
    );
}
