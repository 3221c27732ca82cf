//! Golden files (insta) of every whole-report format for the shared sample
//! results, so that a reviewer sees what a change does to each output.
//! Correctness is asserted by each writer's own tests through a parser;
//! these catch unintended changes. Update with `INSTA_UPDATE=always`
//! after reviewing the diff.

use super::{ReportFormat, write_all};
use crate::reconcile::Severity;
use crate::testutil;

fn render(format: ReportFormat) -> String {
    let mut out = Vec::new();
    write_all(
        format,
        &mut out,
        &testutil::report(),
        &testutil::context(Some(Severity::Error)),
    )
    .expect("writes to memory");
    String::from_utf8(out).expect("UTF-8")
}

#[rstest::rstest]
#[case::junit(ReportFormat::Junit, "junit")]
#[case::github(ReportFormat::Github, "github")]
#[case::markdown(ReportFormat::Markdown, "markdown")]
#[case::ics(ReportFormat::Ics, "ics")]
#[case::prometheus(ReportFormat::Prometheus, "prometheus")]
fn report_formats_match_their_golden_files(#[case] format: ReportFormat, #[case] name: &str) {
    // CRLF line ends (iCalendar) would not show in a diff.
    let text = render(format).replace("\r\n", "␍\n");
    insta::assert_snapshot!(name, text);
}
