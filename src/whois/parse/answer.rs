//! What the free text of an answer says about the answer as a whole: "no
//! such name", "slow down", or both (a quota banner over a reduced answer).
//!
//! Registries say "no such name" in their own words, languages and layouts.
//! Two strengths are told apart:
//!
//! - a *statement*: a line that is nothing but an availability word
//!   (`Available`, `FREE`, `Not found.`), or a line that names the queried
//!   domain and says it is not found or free (`x.joburg is available for
//!   registration`, `No match for "X.COM"`). It outranks the fields the
//!   answer prints around it (a free name is often echoed as `Domain: x`);
//!   only a creation or expiry date outranks it;
//! - a *phrase* anywhere else (`no entries found`, `no existe`): trusted
//!   only when the answer holds no registration data, since terms of use
//!   and notices use the same words.
//!
//! Refusal phrases are likewise only trusted when the answer carries neither
//! a record nor a "not found": an answer that opens with a quota banner and
//! then gives the record (or the "no match" line) is read for what follows,
//! with a note.

/// How strongly the answer says the name is not registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Availability {
    /// A not-found phrase somewhere in the text.
    Phrase,
    /// A line that says so about the queried name, or says nothing else.
    Statement,
}

/// What the free text of an answer says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Said {
    pub not_found: Option<Availability>,
    /// The first line that refuses because of query volume, and whether the
    /// phrase is one only a refusal uses (something "exceeded").
    pub refusal: Option<Refusal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub line: String,
    /// Only a refusal says this (as opposed to "too many requests", which
    /// terms of use also say).
    pub strong: bool,
    /// The line opens the answer (it comes before the first line naming
    /// the domain, or among the first few when none does): a banner over
    /// what follows, not a sentence of the terms of use at its foot.
    pub opens: bool,
}

/// How many non-empty lines at the top of an answer that never names the
/// domain count as its banner.
const BANNER_LINES: usize = 5;

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
    "reduced information",
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
    "status: not registered",
    "status: libre",
    "status: disponible",
    "query_status: 220 available",
    "no records found",
    "no record found",
    "no records matching",
    "no record matching",
    "no matching objects",
    "no matches",
    "no such object",
    "nothing was found",
    "no information was found",
    "no information found",
    "unknown domain",
    "no results",
    "available for registration",
    "domain available",
    "domain name available",
    "free domain",
    // Spanish, French, Portuguese, Turkish, German, Italian.
    "no existe",
    "no hay registros",
    "no hay resultados",
    "no hay información",
    "dominio no registrado",
    "domaine non enregistré",
    "domínio não registrado",
    "no encontrado",
    "dominio no encontrado",
    "dominio disponible",
    "sin resultados",
    "aucun résultat",
    "aucune correspondance",
    "non trouvé",
    "domaine non trouvé",
    "domaine disponible",
    "não encontrado",
    "nao encontrado",
    "nenhum resultado",
    "domínio disponível",
    "kayıt bulunamadı",
    "sonuç bulunamadı",
    "keine daten gefunden",
    "kein eintrag",
    "nicht gefunden",
    "nessun risultato",
    "non trovato",
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
    "is available to register",
    "has not been registered",
    "is not registered",
    "no match for",
    "not found in the database",
    "not found in database",
    "no domain records were found",
    "does not exist in database",
    "does not exist in the database",
    "no object found",
    "no records found",
    "no matching record",
    "not a registered",
    "does not exist",
    "doesn't exist",
    "no matching object",
    "no se han encontrado",
    // Spanish.
    "no se encuentra registrad",
    "no registrado en",
    "no se encontr",
    "no está registrado",
    "no esta registrado",
    "no existe en",
    "está disponible",
    "esta disponible",
    "disponible para registro",
    // French.
    "n'existe pas",
    "n’existe pas",
    "n'est pas enregistr",
    "non enregistré",
    "aucun résultat",
    "aucune correspondance",
    "aucun enregistrement",
    "est disponible",
    "introuvable",
    // Portuguese.
    "não encontrad",
    "nao encontrad",
    "não existe",
    "nao existe",
    "não está registrado",
    "não registrad",
    "está disponível",
    "disponível para regist",
    // Turkish.
    "bulunamadı",
    "bulunamadi",
    "kayıtlı değil",
    // German, Dutch, Italian.
    "nicht gefunden",
    "nicht registriert",
    "ist frei",
    "is vrij",
    "niet gevonden",
    "non è registrato",
    "non risulta registrato",
    // Russian, Ukrainian, Polish, Indonesian.
    "не найден",
    "не знайдено",
    "nie znaleziono",
    "tidak ditemukan",
];

/// Phrases (lower case) that mean "not found" at the end of a line:
/// `domain "x.se" not found.`, `x.nl is free`, `x.pt no match`.
const NOT_FOUND_END: &[&str] = &[
    " not found",
    " is free",
    " no match",
    ": no existe",
    " no existe",
    " no registrado",
    " is available",
    " is not registered",
    " libre",
    " disponible",
    " disponível",
];

/// "Not available" in the sense "not shown" (or "taken"): never "free".
const NEGATED_AVAILABILITY: &[&str] = &[
    "not available",
    "no disponible",
    "non disponible",
    "n'est disponible",
    "indisponible",
    "não disponível",
    "nao disponivel",
    "nicht verfügbar",
];

/// Reads what the free text says; `domain` is the queried name.
pub(crate) fn read(text: &str, domain: &str) -> Said {
    let domain = domain.trim_end_matches('.').to_lowercase();
    let not_found = text
        .lines()
        .filter_map(|line| line_availability(line, &domain))
        .max();
    Said {
        not_found,
        refusal: refusal(text, &domain, usize::MAX),
    }
}

/// Only the banner that opens an answer which carries a record: a refusal
/// phrase before the first line naming the domain. The rest of the text is
/// not searched (a record's terms of use mention query limits, and this
/// keeps reading a record cheap).
pub(crate) fn banner(text: &str, domain: &str) -> Option<Refusal> {
    let domain = domain.trim_end_matches('.').to_lowercase();
    refusal(text, &domain, BANNER_LINES).filter(|refusal| refusal.strong && refusal.opens)
}

/// The first refusal line among the first `limit` non-empty lines, strong
/// phrases first.
fn refusal(text: &str, domain: &str, limit: usize) -> Option<Refusal> {
    let lines = || {
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .take(limit)
    };
    let first_naming = lines()
        .position(|line| !domain.is_empty() && line.to_lowercase().contains(domain))
        .unwrap_or(BANNER_LINES);
    let find = |phrases: &[&str], strong: bool| {
        lines()
            .enumerate()
            .find(|(_, line)| {
                let lower = line.to_lowercase();
                phrases.iter().any(|phrase| lower.contains(phrase))
            })
            .map(|(index, line)| Refusal {
                line: line.trim().to_string(),
                strong,
                opens: index < first_naming,
            })
    };
    find(RATE_LIMITED, true).or_else(|| find(RATE_LIMITED_WEAK, false))
}

fn line_availability(line: &str, domain: &str) -> Option<Availability> {
    let lower = line
        .trim_start_matches(['%', '#', ' ', '>', '*', '-'])
        .trim()
        .to_lowercase();
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let bare = collapsed.trim_end_matches(['.', '!', ' ', '*', '<']);
    if is_availability_word(bare) {
        return Some(Availability::Statement);
    }
    // "Información no disponible", "n'est disponible que": a value that is
    // not shown, not a name that is free.
    if NEGATED_AVAILABILITY
        .iter()
        .any(|negated| bare.contains(negated))
    {
        return None;
    }
    let says = NOT_FOUND_START
        .iter()
        .any(|phrase| bare.starts_with(phrase))
        || NOT_FOUND_ANYWHERE
            .iter()
            .any(|phrase| bare.contains(phrase))
        || NOT_FOUND_END.iter().any(|end| bare.ends_with(end));
    if !says {
        return None;
    }
    let names_domain = !domain.is_empty()
        && bare
            .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')' | ','))
            .any(|word| word.trim_end_matches(['.', ':']) == domain);
    let whole_phrase = NOT_FOUND_START.contains(&bare);
    Some(if names_domain || whole_phrase {
        Availability::Statement
    } else {
        Availability::Phrase
    })
}

/// A line that is nothing but an availability word: `Available`, `FREE`,
/// `Not registered`, `Libre` (see [`super::statuses::is_free_word`]).
fn is_availability_word(line: &str) -> bool {
    line.split_whitespace().count() <= 4 && super::statuses::is_free_word(line)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn not_found(text: &str) -> Option<Availability> {
        read(text, "example-none.test").not_found
    }

    /// One line per registry wording. Captured wordings carry the registry's
    /// name; "written" cases follow the wording the registry is known to
    /// print (issue 14 lists the families) and are not captures.
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
    #[case::dns_pt_newer("example-none.pt - No Match")]
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
    #[case::dns_lu("% No such domain.")]
    #[case::nic_ar("El dominio no se encuentra registrado en NIC Argentina")]
    #[case::nic_cl("example-none.cl: no entries found.")]
    #[case::trabis("** No match found for example-none.com.tr")]
    #[case::registro_br("% No match for domain \"example-none.com.br\"")]
    #[case::mynic("Domain Name example-none.my does not exist in database")]
    #[case::zacr_city("Available\nDomain: example-none.joburg")]
    #[case::written_spanish("No se encontró información para el dominio example-none.test")]
    #[case::written_spanish_status("Estado: Disponible")]
    #[case::written_spanish_sentence("El dominio example-none.test está disponible")]
    #[case::written_french("Le nom de domaine example-none.test n'existe pas")]
    #[case::written_french_none("Aucun résultat pour example-none.test")]
    #[case::written_portuguese("Domínio não encontrado")]
    #[case::written_portuguese_available(
        "O domínio example-none.test está disponível para registo"
    )]
    #[case::written_turkish("** Kayıt bulunamadı.")]
    #[case::written_spanish_short("El dominio example-none.test no existe")]
    #[case::written_spanish_none("No hay registros para example-none.test")]
    #[case::written_spanish_unregistered("Dominio no registrado")]
    #[case::written_german("Die Domain example-none.test ist frei")]
    #[case::new_gtld_back_end("The domain example-none.test is available for registration.")]
    #[case::free_alone("FREE")]
    #[case::no_records_matching("No records matching 'example-none.test' found.")]
    #[case::does_not_exist("The domain example-none.test does not exist.")]
    #[case::no_such_object("% No such object")]
    fn not_found_answers(#[case] text: &str) {
        assert!(not_found(text).is_some(), "{text}");
    }

    #[rstest]
    #[case::names_the_domain("The domain example-none.test is available for registration.")]
    #[case::quoted("No match for \"EXAMPLE-NONE.TEST\".")]
    #[case::word_alone("Available")]
    #[case::phrase_alone("% NOT FOUND")]
    #[case::status_line("Status: free")]
    fn statements_about_the_name_outrank_fields(#[case] text: &str) {
        assert_eq!(not_found(text), Some(Availability::Statement), "{text}");
    }

    #[rstest]
    #[case::terms("% If the domain is not registered, see www.example for the rules.")]
    #[case::other_name("Contact handle ABC-123 was not found")]
    fn phrases_elsewhere_are_only_phrases(#[case] text: &str) {
        assert_eq!(not_found(text), Some(Availability::Phrase), "{text}");
    }

    #[rstest]
    #[case::generic("WHOIS LIMIT EXCEEDED - SEE WWW.PIR.ORG/WHOIS FOR DETAILS")]
    #[case::quota("Quota exceeded")]
    #[case::query_limit("You have exceeded the query limit for your network or IP address.")]
    #[case::connections("Your connection limit exceeded. Please slow down and try again later.")]
    #[case::denic("% Error: 55000000002 Connection refused; access control limit exceeded")]
    #[case::denic_reached("% Error: 55000000002 Connection refused; access control limit reached.")]
    #[case::allowed("Number of allowed queries exceeded.")]
    #[case::reduced("% Query rate limit exceeded, reduced information")]
    fn rate_limited_answers(#[case] text: &str) {
        let said = read(text, "example.test");
        assert!(said.refusal.is_some_and(|r| r.strong), "{text}");
        assert_eq!(said.not_found, None, "{text}");
    }

    #[test]
    fn terms_about_excessive_querying_are_a_weak_refusal() {
        let text =
            "% Excessive querying of this service will be blocked.\n\nNo match for \"EXAMPLE.BE\".";
        let said = read(text, "example.be");
        assert_eq!(said.not_found, Some(Availability::Statement));
        assert!(said.refusal.is_some_and(|r| !r.strong));
    }

    #[test]
    fn a_record_is_neither() {
        let text = "Domain Name: GOOGLE.COM\nRegistrar: MarkMonitor Inc.\nDomain Status: ok";
        assert_eq!(read(text, "google.com"), Said::default());
    }

    #[rstest]
    #[case::spanish("Registrante: Información no disponible")]
    #[case::french("Cette information n'est disponible que sur le site web")]
    #[case::english("Registrant Email: not available")]
    fn information_not_shown_is_not_a_free_name(#[case] text: &str) {
        assert_eq!(not_found(text), None, "{text}");
    }

    #[test]
    fn not_available_for_registration_is_not_free() {
        // DNS Belgium prints "NOT AVAILABLE" for a registered name.
        assert_eq!(not_found("Status: NOT AVAILABLE"), None);
    }
}
