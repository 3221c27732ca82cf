//! JUnit XML, for CI test reports (GitLab `artifacts:reports:junit`, the
//! GitHub test-report actions, Jenkins): a test suite per tier, or per TLD
//! when no result has a tier, and a test case per name.
//!
//! A name fails when it has a finding at or above `--fail-on`; the JUnit
//! schema allows one `<failure>` per test case, so the failure's message is
//! the worst such finding and its text lists every one of them with its
//! evidence. Findings below the threshold go to `<system-out>`, where they
//! are seen without failing the build. An invalid line or a failed lookup
//! is always a failure (nothing was checked), whatever `--fail-on` says; a
//! name the interrupted run never reached is skipped.

use std::collections::BTreeMap;
use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::model::ReportContext;
use crate::audit::{AuditResult, Outcome};
use crate::escape::printable;
use crate::reconcile::Finding;

/// The suite of names without a tier when others have one.
const NO_TIER: &str = "(no tier)";
/// The suite of input lines that are not names.
const INVALID: &str = "(invalid input)";

pub(super) fn write(
    out: &mut impl Write,
    results: &[AuditResult],
    context: &ReportContext,
) -> io::Result<()> {
    let by_tier = results.iter().any(|result| result.input.tier.is_some());
    let mut suites: BTreeMap<String, TestSuite> = BTreeMap::new();
    for result in results {
        let suite_name = suite_of(result, by_tier);
        let case = test_case(result, &suite_name, context);
        suites
            .entry(suite_name.clone())
            .or_insert_with(|| TestSuite::new(suite_name))
            .add_test_case(case);
    }
    let mut report = Report::new("domlife");
    report.set_timestamp(context.generated);
    report.add_test_suites(suites.into_values());
    // Built in memory first, so that a failing writer (a full disk) is
    // reported with its own error, not as a serialisation failure.
    let xml = report.to_string().map_err(io::Error::other)?;
    out.write_all(xml.as_bytes())
}

fn suite_of(result: &AuditResult, by_tier: bool) -> String {
    if result.outcome == Outcome::Invalid {
        return INVALID.to_owned();
    }
    if by_tier {
        return result
            .input
            .tier
            .clone()
            .unwrap_or_else(|| NO_TIER.to_owned());
    }
    let tld = result.domain.rsplit('.').next().unwrap_or_default();
    format!(".{tld}")
}

fn test_case(result: &AuditResult, suite: &str, context: &ReportContext) -> TestCase {
    let unchecked = matches!(result.outcome, Outcome::Failed | Outcome::Invalid);
    let (failing, passing): (Vec<&Finding>, Vec<&Finding>) = result
        .findings
        .iter()
        .partition(|finding| unchecked || context.fails(finding.severity));
    let status = if result.outcome == Outcome::NotChecked {
        let mut status = TestCaseStatus::skipped();
        status.set_message(result.error.as_ref().map_or(String::new(), |error| {
            printable(&error.message).into_owned()
        }));
        status
    } else if let Some(worst) = failing.first() {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status
            .set_message(format!(
                "{} {}: {}",
                worst.severity,
                worst.code,
                printable(&worst.message)
            ))
            .set_type(worst.code.as_str())
            .set_description(describe(&failing));
        status
    } else {
        TestCaseStatus::success()
    };
    let name = match &result.unicode {
        Some(unicode) => format!("{} ({unicode})", result.domain),
        None => result.domain.clone(),
    };
    let mut case = TestCase::new(name, status);
    case.set_classname(suite);
    let mut out = describe(&passing);
    for note in &result.notes {
        out.push_str(&format!("note: {}\n", printable(note)));
    }
    if !out.is_empty() {
        case.set_system_out(out);
    }
    case
}

/// One paragraph per finding: the line a person reads, then the evidence
/// as compact JSON for whoever needs to check it.
fn describe(findings: &[&Finding]) -> String {
    findings
        .iter()
        .map(|finding| {
            let evidence = serde_json::to_string(&finding.evidence).unwrap_or_default();
            format!(
                "{} {}: {}\n  evidence: {}\n",
                finding.severity,
                finding.code,
                printable(&finding.message),
                printable(&evidence)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reconcile::Severity;
    use crate::testutil;

    fn xml(results: &[AuditResult], fail: Option<Severity>) -> String {
        let mut out = Vec::new();
        write(&mut out, results, &testutil::context(fail)).expect("writes to memory");
        String::from_utf8(out).expect("UTF-8")
    }

    /// (suite, case, failure message or "", system-out) for every test case.
    fn cases(xml: &str) -> Vec<(String, String, String, String)> {
        let document = roxmltree::Document::parse(xml).expect("well-formed XML");
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        root.children()
            .filter(|node| node.has_tag_name("testsuite"))
            .flat_map(|suite| {
                let suite_name = suite.attribute("name").unwrap_or_default().to_owned();
                suite
                    .children()
                    .filter(|node| node.has_tag_name("testcase"))
                    .map(move |case| {
                        let child_text = |tag: &str, attribute: Option<&str>| {
                            case.children()
                                .find(|node| node.has_tag_name(tag))
                                .map(|node| match attribute {
                                    Some(attribute) => {
                                        node.attribute(attribute).unwrap_or_default().to_owned()
                                    }
                                    None => node.text().unwrap_or_default().to_owned(),
                                })
                                .unwrap_or_default()
                        };
                        (
                            suite_name.clone(),
                            case.attribute("name").unwrap_or_default().to_owned(),
                            child_text("failure", Some("message")),
                            child_text("system-out", None),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn suites_follow_tiers_and_failures_follow_the_threshold() {
        let cases = cases(&xml(&testutil::results(), Some(Severity::Error)));
        let summary: Vec<(&str, &str, &str)> = cases
            .iter()
            .map(|(suite, name, failure, _)| (suite.as_str(), name.as_str(), failure.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "(invalid input)",
                    "not a name",
                    "error lookup-failed: could not be checked: not a domain name: contains a space"
                ),
                (
                    "(no tier)",
                    "held.org",
                    "error on-hold: not in DNS: serverHold, set by the registry"
                ),
                (
                    "(no tier)",
                    "fail.net",
                    "error lookup-failed: could not be checked: rdap.example: HTTP 503"
                ),
                ("core", "example.com", ""),
            ]
        );
        // Below the threshold: in system-out, not a failure.
        assert!(
            cases[3]
                .3
                .starts_with("warning expiring: expires on 2025-01-20")
        );
        assert!(cases[1].3.contains("notice registry-locked"));
    }

    #[test]
    fn a_lower_threshold_fails_more_and_the_evidence_is_in_the_failure_text() {
        let xml = xml(&testutil::results(), Some(Severity::Warning));
        let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let failure = document
            .descendants()
            .find(|node| {
                node.has_tag_name("testcase") && node.attribute("name") == Some("example.com")
            })
            .and_then(|case| case.children().find(|node| node.has_tag_name("failure")))
            .expect("example.com fails at warning");
        assert_eq!(failure.attribute("type"), Some("expiring"));
        let text = failure.text().unwrap_or_default();
        let evidence = text
            .lines()
            .find_map(|line| line.trim().strip_prefix("evidence: "))
            .expect("an evidence line");
        let evidence: serde_json::Value = serde_json::from_str(evidence).expect("JSON evidence");
        assert_eq!(evidence["dates"][0]["role"], "registry_expiry");
        assert_eq!(evidence["dates"][0]["when"], "2025-01-20T10:00:00Z");
    }

    #[test]
    fn never_failing_still_fails_names_that_were_not_checked() {
        let cases = cases(&xml(&testutil::results(), None));
        let failed: Vec<&str> = cases
            .iter()
            .filter(|case| !case.2.is_empty())
            .map(|case| case.1.as_str())
            .collect();
        assert_eq!(failed, ["not a name", "fail.net"]);
    }

    #[test]
    fn a_name_the_interrupted_run_did_not_reach_is_skipped() {
        let mut results = testutil::results();
        results.truncate(1);
        results[0].outcome = Outcome::NotChecked;
        results[0].error = Some(crate::audit::ResultError {
            kind: crate::audit::ErrorKind::NotChecked,
            message: "not checked: the run was interrupted".to_owned(),
        });
        let xml = xml(&results, Some(Severity::Notice));
        let document = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let skipped = document
            .descendants()
            .find(|node| node.has_tag_name("skipped"))
            .and_then(|node| node.attribute("message"));
        assert_eq!(skipped, Some("not checked: the run was interrupted"));
        assert!(
            !document
                .descendants()
                .any(|node| node.has_tag_name("failure"))
        );
    }

    #[test]
    fn without_tiers_suites_are_tlds() {
        let mut results = testutil::results();
        for result in &mut results {
            result.input.tier = None;
        }
        let suites: Vec<String> = cases(&xml(&results, Some(Severity::Error)))
            .into_iter()
            .map(|case| case.0)
            .collect();
        assert_eq!(suites, ["(invalid input)", ".com", ".net", ".org"]);
    }
}
