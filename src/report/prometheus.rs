//! The Prometheus text exposition format, for node_exporter's textfile
//! collector: run `check --report prometheus=/var/lib/node_exporter/
//! textfile/domlife.prom` on a schedule and alert on the series.
//!
//! Names follow the Prometheus conventions: a `domlife_` prefix, base units
//! as suffixes (`_seconds` for the Unix time), `_days` only for the
//! human-scale count the issue asks for. Every per-name series is labelled
//! `domain=` (the A-label; for an invalid line, its text); one series per
//! phase and per status, with the value saying whether it holds, so that a
//! query needs no absent() tricks. Label values and help texts are escaped
//! as the format requires (`exposition.rs`). A name appears once: two
//! identical invalid lines would otherwise be two series with the same
//! labels, which makes a scraper refuse the whole exposition.

use std::collections::HashSet;
use std::io::{self, Write};

use super::exposition::Family;
use super::model::ReportContext;
use crate::audit::{AuditResult, Outcome};
use crate::lifecycle::Phase;
use crate::reconcile::Severity;

const PHASES: [Phase; 5] = [
    Phase::Active,
    Phase::Grace,
    Phase::Redemption,
    Phase::PendingDelete,
    Phase::Released,
];

pub(super) fn write(
    out: &mut impl Write,
    results: &[AuditResult],
    context: &ReportContext,
) -> io::Result<()> {
    let mut audit_time = Family::gauge(
        "domlife_audit_timestamp_seconds",
        "The instant the audit was made for, as a Unix time: alert when it grows old.",
    );
    audit_time.push(Vec::new(), context.as_of.timestamp());
    let mut expiry = Family::gauge(
        "domlife_domain_expiry_timestamp_seconds",
        "The expiry that decides the deadline (the registrar's when it states one, else the registry's), as a Unix time.",
    );
    let mut days = Family::gauge(
        "domlife_domain_expiry_days",
        "Days from the audit to that expiry; negative once it has passed.",
    );
    let mut phase = Family::gauge(
        "domlife_domain_phase",
        "1 for the lifecycle phase the name is in on the audit day (each possible one inside a boundary window), 0 for the others.",
    );
    let mut status = Family::gauge(
        "domlife_domain_status",
        "1 for each status the registry reports (EPP names).",
    );
    let mut registered = Family::gauge(
        "domlife_domain_registered",
        "1 when the registry has the name, 0 when it answered that it has not.",
    );
    let mut success = Family::gauge(
        "domlife_domain_lookup_success",
        "1 when the registry answered, 0 when the name could not be checked (lookup failed, invalid line, interrupted run).",
    );
    let mut findings = Family::gauge(
        "domlife_domain_findings",
        "Number of findings by severity (see domlife explain).",
    );
    let mut written = HashSet::new();
    for result in results {
        if !written.insert(result.domain.as_str()) {
            continue;
        }
        let domain = || vec![("domain", result.domain.clone())];
        let with = |key: &'static str, value: &str| {
            let mut labels = domain();
            labels.push((key, value.to_owned()));
            labels
        };
        success.push(domain(), u8::from(result.outcome == Outcome::Checked));
        for severity in Severity::ALL.into_iter().rev() {
            let count = result
                .findings
                .iter()
                .filter(|finding| finding.severity == severity)
                .count();
            findings.push(with("severity", severity.as_str()), count);
        }
        let Some(record) = &result.record else {
            continue;
        };
        registered.push(domain(), u8::from(record.registered));
        for reported in &record.statuses {
            status.push(with("status", reported.epp_name()), 1);
        }
        if let Some(expires) = record.effective_expiry() {
            expiry.push(domain(), expires.timestamp());
            let seconds = (expires - context.as_of).num_seconds();
            // Exact for any date a registry can state (far below 2^53 seconds).
            let left = seconds as f64 / 86_400.0;
            days.push(domain(), format!("{left:.3}"));
        }
        if let Some(lifecycle) = &result.timeline {
            for candidate in PHASES {
                let current = lifecycle.possible.contains(&candidate);
                phase.push(with("phase", candidate.name()), u8::from(current));
            }
        }
    }
    for family in [
        &audit_time,
        &expiry,
        &days,
        &phase,
        &status,
        &registered,
        &success,
        &findings,
    ] {
        family.write(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use prometheus_parse::{Scrape, Value};

    use super::*;
    use crate::testutil;

    fn scrape(results: &[AuditResult]) -> Scrape {
        let mut out = Vec::new();
        write(&mut out, results, &testutil::context(Some(Severity::Error)))
            .expect("writes to memory");
        let text = String::from_utf8(out).expect("UTF-8");
        Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).expect("valid exposition")
    }

    fn gauge(scrape: &Scrape, metric: &str, labels: &[(&str, &str)]) -> Option<f64> {
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
                Value::Gauge(value) | Value::Untyped(value) => Some(value),
                _ => None,
            })
    }

    #[test]
    fn every_family_is_documented_and_per_name_series_are_labelled() {
        let scrape = scrape(&testutil::results());
        for sample in &scrape.samples {
            assert!(
                scrape.docs.contains_key(&sample.metric),
                "{}",
                sample.metric
            );
            assert!(matches!(sample.value, Value::Gauge(_)), "{}", sample.metric);
            if sample.metric != "domlife_audit_timestamp_seconds" {
                assert!(sample.labels.get("domain").is_some(), "{}", sample.metric);
            }
        }
        let example = [("domain", "example.com")];
        assert_eq!(
            gauge(&scrape, "domlife_domain_expiry_timestamp_seconds", &example),
            Some(1_737_367_200.0)
        );
        // 2025-01-01T12:00Z to 2025-01-20T10:00Z.
        assert_eq!(
            gauge(&scrape, "domlife_domain_expiry_days", &example),
            Some(18.917)
        );
        assert_eq!(
            gauge(
                &scrape,
                "domlife_domain_phase",
                &[("domain", "example.com"), ("phase", "active")]
            ),
            Some(1.0)
        );
        assert_eq!(
            gauge(
                &scrape,
                "domlife_domain_phase",
                &[("domain", "example.com"), ("phase", "grace")]
            ),
            Some(0.0)
        );
        assert_eq!(
            gauge(
                &scrape,
                "domlife_domain_status",
                &[("domain", "held.org"), ("status", "serverHold")]
            ),
            Some(1.0)
        );
        assert_eq!(
            gauge(
                &scrape,
                "domlife_domain_findings",
                &[("domain", "held.org"), ("severity", "error")]
            ),
            Some(1.0)
        );
        assert_eq!(
            gauge(
                &scrape,
                "domlife_domain_lookup_success",
                &[("domain", "fail.net")]
            ),
            Some(0.0)
        );
        assert_eq!(
            gauge(
                &scrape,
                "domlife_domain_lookup_success",
                &[("domain", "held.org")]
            ),
            Some(1.0)
        );
        assert_eq!(
            gauge(
                &scrape,
                "domlife_domain_expiry_days",
                &[("domain", "fail.net")]
            ),
            None
        );
    }

    #[test]
    fn the_exposition_keeps_the_format_rules_with_a_line_listed_twice() {
        let mut results = testutil::results();
        // Two identical invalid lines are two results of one name.
        results.push(results[2].clone());
        let mut out = Vec::new();
        write(&mut out, &results, &testutil::context(None)).expect("writes to memory");
        let text = String::from_utf8(out).expect("UTF-8");
        assert_eq!(testutil::exposition::check_exposition(&text), Ok(()));
        let invalid = text
            .lines()
            .filter(|line| line.starts_with("domlife_domain_lookup_success{domain=\"not a name\"}"))
            .count();
        assert_eq!(invalid, 1);
        // The checker does catch what it is for.
        let doubled = format!("{text}{}", text.lines().last().unwrap_or_default());
        let twice = testutil::exposition::check_exposition(&(doubled + "\n")).unwrap_err();
        assert!(twice.contains("duplicate series"), "{twice}");
        let broken = text.replacen("# TYPE domlife_domain_status gauge\n", "", 1);
        let untyped = testutil::exposition::check_exposition(&broken).unwrap_err();
        assert!(
            untyped.contains("domlife_domain_status has samples before its TYPE"),
            "{untyped}"
        );
        let split = format!("{text}domlife_audit_timestamp_seconds{{x=\"1\"}} 1\n");
        let pieces = testutil::exposition::check_exposition(&split).unwrap_err();
        assert!(pieces.contains("not in one piece"), "{pieces}");
    }

    #[test]
    fn a_past_expiry_gives_negative_days() {
        let mut results = testutil::results();
        results.truncate(1);
        if let Some(record) = results[0].record.as_mut() {
            record.expires = record
                .expires
                .map(|expires| expires - chrono::Days::new(40));
        }
        let scrape = scrape(&results);
        let days = gauge(
            &scrape,
            "domlife_domain_expiry_days",
            &[("domain", "example.com")],
        );
        assert_eq!(days, Some(-21.083));
    }

    #[test]
    fn label_values_are_escaped() {
        let mut results = testutil::results();
        results.truncate(3);
        let hostile = "a \"quoted\", \\ line\nbreak} 1";
        results[2].domain = hostile.to_owned();
        let mut out = Vec::new();
        write(&mut out, &results, &testutil::context(None)).expect("writes to memory");
        let text = String::from_utf8(out).expect("UTF-8");
        let samples: Vec<crate::testutil::exposition::Sample> = text
            .lines()
            .filter(|line| !line.starts_with('#'))
            .map(|line| crate::testutil::exposition::parse_sample(line).expect("a valid sample"))
            .collect();
        let success = samples
            .iter()
            .find(|sample| {
                sample.name == "domlife_domain_lookup_success"
                    && sample.labels
                        == [(
                            "domain".to_owned(),
                            "a \"quoted\", \\ line\\nbreak} 1".to_owned(),
                        )]
            })
            .map(|sample| sample.value);
        assert_eq!(success, Some(0.0));
    }
}
