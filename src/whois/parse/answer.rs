//! Answers that are not a record: "no such name" and "slow down".
//!
//! Registries say both in free text. The phrases are only trusted when the
//! answer holds no registration data: terms of use often mention query
//! limits ("exceeding query rate or volume limits") and a record must not
//! be mistaken for a refusal.

/// What the free text of an answer says about the answer as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The registry has no such name.
    NotFound,
    /// The server refuses because of query volume; the line that says so.
    RateLimited(String),
}

/// Phrases (lower case) that only a refusal uses: something "exceeded".
const RATE_LIMITED: &[&str] = &[
    "limit exceeded",
    "limit reached",
    "quota exceeded",
    "exceeded the query limit",
    "exceeded your query limit",
    "exceeded the maximum",
    "exceeded the allowed",
    "exceeded allowed",
    "requests per second exceeded",
    "number of allowed queries exceeded",
    "queries exceeded",
    "query rate limit",
    "rate limit exceeded",
    "requests of this client are not permitted",
    "access is too fast",
];

/// Phrases (lower case) of refusals that terms of use also use ("excessive
/// querying will be blocked"): a refusal only when the answer does not say
/// "not found" as well.
const RATE_LIMITED_WEAK: &[&str] = &[
    "too many requests",
    "too many queries",
    "too many connections",
    "excessive querying",
    "excessive queries",
    "try again later",
    "temporarily blocked",
    "temporarily denied",
];

/// Phrases (lower case) that mean the registry has no such name. Matched
/// at the start of a line (after `%`, `#` and spaces) or as the whole line.
const NOT_FOUND_START: &[&str] = &[
    "no match",
    "not found",
    "no data found",
    "no entries found",
    "no entry found",
    "no matching record",
    "no object found",
    "no found",
    "not registered",
    "no data was found",
    "no whois information found",
    "no such domain",
    "nothing found",
    "domain not found",
    "domain name not found",
    "object not found",
    "the queried object does not exist",
    "object does not exist",
    "this domain name has not been registered",
    "the domain has not been registered",
    "no information available",
    "domain is available",
    "status: free",
    "status: available",
    "query_status: 220 available",
];

/// Phrases (lower case) that mean "not found" anywhere in a line.
const NOT_FOUND_ANYWHERE: &[&str] = &[
    "no entries found",
    "was not found",
    "is available for purchase",
    "not known in",
    "returned 0 objects",
    "no objects found",
    "do not have an entry",
    "object_not_found",
    "is available for registration",
    "has not been registered",
    "is not registered",
    "no match for",
    "not found in the database",
    "not found in database",
    "no domain records were found",
    "no se encuentra registrad",
    "no object found",
    "does not exist in database",
];

/// Phrases (lower case) that mean "not found" at the end of a line:
/// `domain "x.se" not found.`, `x.nl is free`, `x.pt no match`.
const NOT_FOUND_END: &[&str] = &[" not found", " is free", " no match", ": no existe"];

/// A refusal that says something "exceeded" wins; then "not found"; then a
/// weaker refusal phrase.
pub(crate) fn verdict(text: &str) -> Option<Verdict> {
    let refusal = |phrases: &[&str]| {
        text.lines()
            .find(|line| {
                let lower = line.to_lowercase();
                phrases.iter().any(|phrase| lower.contains(phrase))
            })
            .map(|line| Verdict::RateLimited(line.trim().to_string()))
    };
    if let Some(refused) = refusal(RATE_LIMITED) {
        return Some(refused);
    }
    if says_not_found(text) {
        return Some(Verdict::NotFound);
    }
    refusal(RATE_LIMITED_WEAK)
}

fn says_not_found(text: &str) -> bool {
    text.lines()
        .map(|line| {
            line.trim_start_matches(['%', '#', ' ', '>', '*'])
                .trim()
                .to_lowercase()
        })
        .any(|line| {
            let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
            NOT_FOUND_START
                .iter()
                .any(|phrase| collapsed.starts_with(phrase))
                || NOT_FOUND_ANYWHERE
                    .iter()
                    .any(|phrase| collapsed.contains(phrase))
                || NOT_FOUND_END
                    .iter()
                    .any(|end| collapsed.trim_end_matches(['.', '!']).ends_with(end))
        })
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case::verisign(
        "No match for \"EXAMPLE-NONE.COM\".\r\n>>> Last update of whois database: 2024-01-01T00:00:00Z <<<"
    )]
    #[case::pir("NOT FOUND")]
    #[case::cnnic("No matching record.")]
    #[case::jprs("No match!!")]
    #[case::nominet("    No match for \"example-none.co.uk\".")]
    #[case::afnic("%% NOT FOUND")]
    #[case::denic("Domain: example-none.de\nStatus: free")]
    #[case::eurid("Domain: example-none.eu\nStatus:    AVAILABLE")]
    #[case::ripn("No entries found for the selected source(s).")]
    #[case::nic_it("Domain:             example-none.it\nStatus:             AVAILABLE")]
    #[case::nz("query_status: 220 Available")]
    #[case::iis("domain \"example-none.se\" not found")]
    #[case::fred("%ERROR:101: no entries found")]
    #[case::cira("Not found: example-none.ca")]
    #[case::gtld_newer("Domain not found.")]
    #[case::sidn("example-none.nl is free")]
    #[case::dns_pt("example-none.pt no match")]
    #[case::twnic("No Found")]
    #[case::kisa("The requested domain was not found in the Registry or Registrar's WHOIS Server.")]
    #[case::no_data("No Data Found")]
    #[case::iedr(
        "% Not Registered - The domain you have requested is not a registered .ie domain name."
    )]
    #[case::isoc_il("No data was found to match the request criteria.")]
    #[case::uz("Sorry, but domain: \"example.uz\", not found in database")]
    #[case::coop("No domain records were found to match \"example.coop\"")]
    #[case::epp_style("The queried object does not exist: DOMAIN NOT FOUND")]
    fn not_found_answers(#[case] text: &str) {
        assert_eq!(verdict(text), Some(Verdict::NotFound), "{text}");
    }

    #[rstest]
    #[case::generic("WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS")]
    #[case::quota("Quota exceeded")]
    #[case::query_limit("You have exceeded the query limit for your network or IP address.")]
    #[case::connections("Your connection limit exceeded. Please slow down and try again later.")]
    #[case::denic("% Error: 55000000002 Connection refused; access control limit exceeded")]
    #[case::denic_reached("% Error: 55000000002 Connection refused; access control limit reached.")]
    #[case::allowed("Number of allowed queries exceeded.")]
    fn rate_limited_answers(#[case] text: &str) {
        assert!(
            matches!(verdict(text), Some(Verdict::RateLimited(_))),
            "{text}"
        );
    }

    #[test]
    fn terms_about_excessive_querying_do_not_hide_not_found() {
        let text =
            "% Excessive querying of this service will be blocked.\n\nNo match for \"EXAMPLE.BE\".";
        assert_eq!(verdict(text), Some(Verdict::NotFound));
    }

    #[test]
    fn a_weak_refusal_phrase_alone_is_a_refusal() {
        let text = "%% Too many requests from your address, try again later";
        assert!(matches!(verdict(text), Some(Verdict::RateLimited(_))));
    }

    #[test]
    fn a_record_is_neither() {
        let text = "Domain Name: GOOGLE.COM\nRegistrar: MarkMonitor Inc.\nDomain Status: ok";
        assert_eq!(verdict(text), None);
    }
}
