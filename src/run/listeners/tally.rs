//! The exit status of a run, kept as results come so that a streamed run
//! need not hold them: whether a finding about a checked name reached the
//! `--fail-on` threshold, and whether a name could not be checked.

use crate::audit::Outcome;
use crate::reconcile::{Code, Severity};
use crate::run::listener::{Batch, Listener, ListenerError};

/// What the audited results say, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A finding about a checked name is at or above the threshold.
    Failing,
    /// Short of that, a name could not be checked (an invalid line, a
    /// failed lookup).
    Unchecked,
    /// Nothing to report.
    Clean,
}

/// Counts what the verdict needs.
#[derive(Debug)]
pub struct Tally {
    fail_threshold: Option<Severity>,
    failing: bool,
    unchecked: bool,
}

impl Tally {
    /// A tally failing the run on findings at or above `fail_threshold`
    /// (`None`: findings never fail it).
    pub fn new(fail_threshold: Option<Severity>) -> Tally {
        Tally {
            fail_threshold,
            failing: false,
            unchecked: false,
        }
    }

    /// The verdict of the results seen.
    pub fn verdict(&self) -> Verdict {
        if self.failing {
            Verdict::Failing
        } else if self.unchecked {
            Verdict::Unchecked
        } else {
            Verdict::Clean
        }
    }
}

impl Listener for Tally {
    fn results(&mut self, batch: &mut Batch) -> Result<(), ListenerError> {
        if !batch.audited {
            return Ok(());
        }
        for finished in &batch.results {
            let result = &finished.result;
            self.unchecked |= result.outcome != Outcome::Checked;
            // A failed lookup fails the run through `unchecked`, not as a finding.
            self.failing |= self.fail_threshold.is_some_and(|threshold| {
                result.findings.iter().any(|finding| {
                    finding.code != Code::LookupFailed && finding.severity >= threshold
                })
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditResult;
    use crate::input::{Entry, InvalidLine, Origin};
    use crate::reconcile::{Evidence, Finding};
    use crate::run::listener::Finished;

    fn invalid() -> AuditResult {
        AuditResult::not_checked(&Entry::Invalid(InvalidLine {
            origin: Origin {
                file: "list.txt".into(),
                line: 1,
            },
            raw: "not a name".to_owned(),
            reason: "a space".to_owned(),
        }))
    }

    fn with_finding(severity: Severity) -> AuditResult {
        let mut result = invalid();
        result.outcome = Outcome::Checked;
        result.findings = vec![Finding::new(
            Code::Expiring,
            severity,
            "expires soon".to_owned(),
            Evidence::default(),
        )];
        result
    }

    fn tally(threshold: Option<Severity>, results: Vec<AuditResult>, audited: bool) -> Tally {
        let mut tally = Tally::new(threshold);
        let results = results
            .into_iter()
            .enumerate()
            .map(|(index, result)| Finished { index, result })
            .collect();
        tally.results(&mut Batch { results, audited }).unwrap();
        tally
    }

    #[test]
    fn findings_at_the_threshold_fail_and_below_it_do_not() {
        let results = || vec![with_finding(Severity::Warning)];
        let verdict = |threshold| tally(threshold, results(), true).verdict();
        assert_eq!(verdict(Some(Severity::Warning)), Verdict::Failing);
        assert_eq!(verdict(Some(Severity::Notice)), Verdict::Failing);
        assert_eq!(verdict(Some(Severity::Error)), Verdict::Clean);
        assert_eq!(verdict(None), Verdict::Clean);
    }

    #[test]
    fn an_unchecked_name_counts_unless_something_worse_does() {
        let unchecked = tally(Some(Severity::Error), vec![invalid()], true);
        assert_eq!(unchecked.verdict(), Verdict::Unchecked);
        let both = tally(
            Some(Severity::Warning),
            vec![invalid(), with_finding(Severity::Error)],
            true,
        );
        assert_eq!(both.verdict(), Verdict::Failing);
    }

    #[test]
    fn results_an_interrupted_run_never_reached_do_not_count() {
        let skipped = tally(Some(Severity::Notice), vec![invalid()], false);
        assert_eq!(skipped.verdict(), Verdict::Clean);
    }
}
