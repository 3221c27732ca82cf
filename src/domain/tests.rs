//! Tables of real-world spellings and the name each must normalise to, and
//! of every way a text can fail to be a domain name.

use rstest::rstest;

use super::*;

fn ok(text: &str) -> Normalized {
    match normalize(text) {
        Ok(normalized) => normalized,
        Err(error) => panic!("{text:?} should normalise, got: {error}"),
    }
}

#[rstest]
#[case::plain("example.com", "example.com", "example.com", "com")]
#[case::mixed_case("ExAmPlE.CoM", "example.com", "example.com", "com")]
#[case::trailing_dot("example.com.", "example.com", "example.com", "com")]
#[case::spaces_around("  example.org \t", "example.org", "example.org", "org")]
#[case::idn_latin("bücher.de", "xn--bcher-kva.de", "bücher.de", "de")]
#[case::idn_upper_case("BÜCHER.DE", "xn--bcher-kva.de", "bücher.de", "de")]
#[case::a_label_given("xn--bcher-kva.de", "xn--bcher-kva.de", "bücher.de", "de")]
#[case::a_label_upper("XN--BCHER-KVA.DE", "xn--bcher-kva.de", "bücher.de", "de")]
#[case::sharp_s_not_transitional("faß.de", "xn--fa-hia.de", "faß.de", "de")]
#[case::chinese_idn_tld("例子.中国", "xn--fsqu00a.xn--fiqs8s", "例子.中国", "xn--fiqs8s")]
#[case::chinese_a_labels(
    "xn--fsqu00a.xn--fiqs8s",
    "xn--fsqu00a.xn--fiqs8s",
    "例子.中国",
    "xn--fiqs8s"
)]
#[case::ideographic_full_stop("例子。中国", "xn--fsqu00a.xn--fiqs8s", "例子.中国", "xn--fiqs8s")]
#[case::cyrillic_rf("пример.рф", "xn--e1afmkfd.xn--p1ai", "пример.рф", "xn--p1ai")]
#[case::cyrillic_upper("ПРИМЕР.РФ", "xn--e1afmkfd.xn--p1ai", "пример.рф", "xn--p1ai")]
#[case::fullwidth_latin("ｅｘａｍｐｌｅ．ｃｏｍ", "example.com", "example.com", "com")]
#[case::digits_and_hyphen("a-1.example-2.com", "example-2.com", "example-2.com", "com")]
#[case::new_gtld(
    "example.photography",
    "example.photography",
    "example.photography",
    "photography"
)]
fn normalises_spellings(
    #[case] text: &str,
    #[case] ascii: &str,
    #[case] unicode: &str,
    #[case] tld: &str,
) {
    let normalized = ok(text);
    assert_eq!(normalized.name.ascii(), ascii);
    assert_eq!(normalized.name.unicode(), unicode);
    assert_eq!(normalized.name.tld(), tld);
}

#[rstest]
#[case::www("www.example.com", "example.com", "com")]
#[case::deep_co_uk("a.b.example.co.uk", "example.co.uk", "co.uk")]
#[case::com_cn("x.example.com.cn", "example.com.cn", "com.cn")]
#[case::prefecture_jp("foo.kyoto.jp", "foo.kyoto.jp", "kyoto.jp")]
#[case::city_under_prefecture("shop.example.ide.kyoto.jp", "example.ide.kyoto.jp", "ide.kyoto.jp")]
#[case::wildcard_rule("www.a.b.kawasaki.jp", "a.b.kawasaki.jp", "b.kawasaki.jp")]
#[case::exception_rule("www.city.kawasaki.jp", "city.kawasaki.jp", "kawasaki.jp")]
#[case::wildcard_tld("www.example.gov.ck", "example.gov.ck", "gov.ck")]
#[case::exception_tld("www.ck", "www.ck", "ck")]
#[case::private_github_io("alice.github.io", "github.io", "io")]
#[case::private_suffix_itself("github.io", "github.io", "io")]
#[case::private_blogspot("someone.blogspot.com", "blogspot.com", "com")]
#[case::private_under_multi_label("x.blogspot.co.uk", "blogspot.co.uk", "co.uk")]
#[case::private_wildcard("host.eu-west-1.compute.amazonaws.com", "amazonaws.com", "com")]
#[case::idn_subdomain("www.bücher.de", "xn--bcher-kva.de", "de")]
fn reduces_to_registrable_domain(#[case] text: &str, #[case] ascii: &str, #[case] suffix: &str) {
    let name = ok(text).name;
    assert_eq!(name.ascii(), ascii);
    assert_eq!(name.public_suffix(), suffix);
}

#[test]
fn reduction_is_noted_in_unicode_form() {
    assert_eq!(
        ok("www.Bücher.de").notes,
        ["www.bücher.de reduced to registrable domain bücher.de"]
    );
    assert_eq!(
        ok("www.example.co.uk").notes,
        ["www.example.co.uk reduced to registrable domain example.co.uk"]
    );
    assert!(ok("example.co.uk").notes.is_empty());
    assert!(ok("EXAMPLE.CO.UK.").notes.is_empty());
}

#[rstest]
#[case::https_path(
    "https://www.example.com/path?x",
    "example.com",
    "taken from URL https://www.example.com/path?x"
)]
#[case::user_and_port(
    "http://user@www.example.org:8080",
    "example.org",
    "taken from URL http://www.example.org:8080/"
)]
#[case::password_not_echoed(
    "ftp://user:secret@files.example.net/",
    "example.net",
    "taken from URL ftp://files.example.net/"
)]
#[case::idn_host(
    "https://Bücher.de/",
    "xn--bcher-kva.de",
    "taken from URL https://xn--bcher-kva.de/"
)]
#[case::trailing_dot_host(
    "https://example.com./",
    "example.com",
    "taken from URL https://example.com./"
)]
#[case::email(
    "someone@example.com",
    "example.com",
    "taken from e-mail address someone@example.com"
)]
#[case::email_subdomain(
    "a.b@mail.example.co.uk",
    "example.co.uk",
    "taken from e-mail address a.b@mail.example.co.uk"
)]
#[case::mailto(
    "mailto:Someone@Example.COM",
    "example.com",
    "taken from e-mail address Someone@Example.COM"
)]
#[case::idn_email(
    "info@bücher.de",
    "xn--bcher-kva.de",
    "taken from e-mail address info@bücher.de"
)]
fn takes_host_from_urls_and_addresses(#[case] text: &str, #[case] ascii: &str, #[case] note: &str) {
    let normalized = ok(text);
    assert_eq!(normalized.name.ascii(), ascii);
    assert_eq!(normalized.notes[0], note);
}

#[test]
fn url_with_subdomain_notes_both_changes() {
    assert_eq!(
        ok("https://shop.example.co.uk/cart").notes,
        [
            "taken from URL https://shop.example.co.uk/cart",
            "shop.example.co.uk reduced to registrable domain example.co.uk",
        ]
    );
}

fn error(text: &str) -> DomainError {
    match normalize(text) {
        Ok(normalized) => panic!("{text:?} should fail, got {}", normalized.name),
        Err(error) => error,
    }
}

fn ip(address: &str) -> DomainError {
    DomainError::IpAddress {
        address: address.to_owned(),
    }
}

#[rstest]
#[case::empty("", DomainError::Empty)]
#[case::blank("   \t ", DomainError::Empty)]
#[case::only_dot(".", DomainError::Empty)]
#[case::email_without_domain("someone@", DomainError::Empty)]
#[case::ipv4("192.0.2.1", ip("192.0.2.1"))]
#[case::ipv4_trailing_dot("192.0.2.1.", ip("192.0.2.1"))]
#[case::ipv4_short("10.1", ip("10.1"))]
#[case::ipv6("2001:db8::1", ip("2001:db8::1"))]
#[case::ipv6_brackets("[2001:db8::1]", ip("2001:db8::1"))]
#[case::ipv6_brackets_port("[::1]:53", ip("::1"))]
#[case::ipv4_url("http://192.0.2.1/admin", ip("192.0.2.1"))]
#[case::ipv6_url("https://[2001:DB8::1]:8443/", ip("2001:db8::1"))]
#[case::ipv4_email("root@192.0.2.1", ip("192.0.2.1"))]
#[case::leading_dot(".example.com", DomainError::EmptyLabel { name: ".example.com".into() })]
#[case::double_dot("a..b.com", DomainError::EmptyLabel { name: "a..b.com".into() })]
#[case::double_trailing_dot("example.com..", DomainError::EmptyLabel { name: "example.com.".into() })]
#[case::underscore("_dmarc.example.com", DomainError::DisallowedCharacter { character: '_' })]
#[case::space("exa mple.com", DomainError::DisallowedCharacter { character: ' ' })]
#[case::wildcard("*.example.com", DomainError::DisallowedCharacter { character: '*' })]
#[case::path_without_scheme("example.com/about", DomainError::DisallowedCharacter { character: '/' })]
#[case::port_without_scheme("example.com:8080", DomainError::DisallowedCharacter { character: ':' })]
#[case::tab_inside("exa\tmple.com", DomainError::DisallowedCharacter { character: '\t' })]
#[case::ideographic_space("例子\u{3000}.中国", DomainError::DisallowedCharacter { character: '\u{3000}' })]
#[case::leading_hyphen("-example.com", DomainError::HyphenAtLabelEdge { label: "-example".into() })]
#[case::trailing_hyphen("example-.com", DomainError::HyphenAtLabelEdge { label: "example-".into() })]
#[case::hyphen_in_subdomain("www-.example.com", DomainError::HyphenAtLabelEdge { label: "www-".into() })]
#[case::hyphen_in_u_label("-bücher.de", DomainError::HyphenAtLabelEdge { label: "-bücher".into() })]
#[case::unknown_tld("example.invalidtld", DomainError::UnknownTld { tld: "invalidtld".into() })]
#[case::single_label("localhost", DomainError::UnknownTld { tld: "localhost".into() })]
#[case::bare_tld("com", DomainError::PublicSuffixOnly { suffix: "com".into() })]
#[case::bare_multi_label_suffix("co.uk", DomainError::PublicSuffixOnly { suffix: "co.uk".into() })]
#[case::bare_suffix_upper_dot("CO.UK.", DomainError::PublicSuffixOnly { suffix: "co.uk".into() })]
#[case::bare_idn_tld("中国", DomainError::PublicSuffixOnly { suffix: "xn--fiqs8s".into() })]
#[case::bare_wildcard_suffix("b.kawasaki.jp", DomainError::PublicSuffixOnly { suffix: "b.kawasaki.jp".into() })]
#[case::bad_punycode("xn--a.com", DomainError::Idna { label: "xn--a".into() })]
#[case::bidi_mix("aא.com", DomainError::Idna { label: "aא".into() })]
#[case::fullwidth_underscore("ex＿ample.com", DomainError::Idna { label: "ex＿ample".into() })]
fn rejects(#[case] text: &str, #[case] expected: DomainError) {
    assert_eq!(error(text), expected);
}

#[test]
fn label_length_is_checked_on_the_a_label() {
    let longest = format!("{}.com", "a".repeat(63));
    assert_eq!(ok(&longest).name.ascii(), longest);
    assert_eq!(
        error(&format!("{}.com", "a".repeat(64))),
        DomainError::LabelTooLong {
            label: "a".repeat(64),
            octets: 64
        }
    );
    // 56 letters and one ü: 58 octets as UTF-8, but the A-label is longer.
    let u_label = format!("{}ü", "a".repeat(56));
    match error(&format!("{u_label}.de")) {
        DomainError::LabelTooLong { label, octets } => {
            assert!(label.starts_with("xn--"), "{label}");
            assert_eq!(octets, label.len());
            assert!(octets > 63);
        }
        other => panic!("expected LabelTooLong, got {other:?}"),
    }
}

#[test]
fn name_length_is_checked_on_the_a_label() {
    let label = "a".repeat(63);
    // Three labels of 63 octets and their dots take 192; 58 + ".de" reach 253.
    let at_limit = format!("{label}.{label}.{label}.{}.de", "a".repeat(58));
    assert_eq!(at_limit.len(), 253);
    assert_eq!(ok(&at_limit).name.ascii(), format!("{}.de", "a".repeat(58)));
    let over = format!("{label}.{label}.{label}.{}.de", "a".repeat(59));
    assert_eq!(error(&over), DomainError::NameTooLong { octets: 254 });
    // Short enough as UTF-8, too long once every label gains "xn--" and its
    // Punycode tail.
    let u_label = format!("{}ü", "a".repeat(19));
    let unicode_over = format!("{}.de", vec![u_label; 10].join("."));
    assert!(unicode_over.len() < 253, "{}", unicode_over.len());
    assert!(matches!(
        error(&unicode_over),
        DomainError::NameTooLong { octets } if octets > 253
    ));
}

#[rstest]
#[case::ip(ip("192.0.2.1"), "192.0.2.1 is an IP address, not a domain name")]
#[case::character(
    DomainError::DisallowedCharacter { character: '_' },
    "character '_' (U+005F) is not allowed in a host name"
)]
#[case::control(
    DomainError::DisallowedCharacter { character: '\u{1b}' },
    "character '\\u{1b}' (U+001B) is not allowed in a host name"
)]
#[case::suffix(
    DomainError::PublicSuffixOnly { suffix: "co.uk".into() },
    "co.uk is a public suffix; give a name registered under it, like example.co.uk"
)]
#[case::tld(
    DomainError::UnknownTld { tld: "invalidtld".into() },
    "invalidtld is not a known top-level domain"
)]
fn messages_read_well(#[case] error: DomainError, #[case] message: &str) {
    assert_eq!(error.to_string(), message);
}

#[test]
fn url_without_host_is_an_error() {
    assert!(matches!(
        error("file:///etc/hosts"),
        DomainError::Url { .. }
    ));
    assert!(matches!(error("https://"), DomainError::Url { .. }));
}

#[test]
fn serialises_as_a_label_string() {
    let name = ok("www.Bücher.de").name;
    assert_eq!(
        serde_json::to_string(&name).ok().as_deref(),
        Some("\"xn--bcher-kva.de\"")
    );
    assert_eq!(name.to_string(), "xn--bcher-kva.de");
}

#[rstest]
#[case::right_to_left_override(
    "\u{202e}moc.elpmaxe",
    '\u{202e}',
    "character '\\u{202e}' (U+202E) is not allowed in a host name"
)]
#[case::zero_width_space(
    "exam\u{200b}ple.com",
    '\u{200b}',
    "character '\\u{200b}' (U+200B) is not allowed in a host name"
)]
#[case::escape(
    "bad\u{1b}[31m.com",
    '\u{1b}',
    "character '\\u{1b}' (U+001B) is not allowed in a host name"
)]
fn invisible_characters_are_named_escaped(
    #[case] text: &str,
    #[case] character: char,
    #[case] message: &str,
) {
    let error = error(text);
    assert_eq!(error, DomainError::DisallowedCharacter { character });
    assert_eq!(error.to_string(), message);
}

#[test]
fn zero_width_non_joiner_is_left_to_idna() {
    // Persian "mi-khaham" with ZWNJ after the first letter pair: valid in
    // context, so not a disallowed character.
    let name = ok("\u{645}\u{6cc}\u{200c}\u{62e}\u{648}\u{627}\u{647}\u{645}.ir").name;
    assert!(name.ascii().starts_with("xn--"), "{}", name.ascii());
    assert!(name.unicode().contains('\u{200c}'));
}

#[rstest]
#[case::tld("CN", "cn")]
#[case::idn_tld("中国", "xn--fiqs8s")]
#[case::suffix("Co.UK.", "co.uk")]
#[case::name_server("NS1.Bücher.example", "ns1.xn--bcher-kva.example")]
#[case::unknown_tld_kept("a.b.invalidtld", "a.b.invalidtld")]
fn labels_and_hosts_convert_by_the_same_rules(#[case] text: &str, #[case] ascii: &str) {
    assert_eq!(to_a_label(text).as_deref(), Ok(ascii));
}

#[rstest]
#[case::empty("", DomainError::Empty)]
#[case::only_a_dot(".", DomainError::Empty)]
#[case::empty_label("a..b", DomainError::EmptyLabel { name: "a..b".into() })]
#[case::underscore("c_m", DomainError::DisallowedCharacter { character: '_' })]
#[case::edge_hyphen("-cn", DomainError::HyphenAtLabelEdge { label: "-cn".into() })]
fn labels_and_hosts_fail_as_names_do(#[case] text: &str, #[case] expected: DomainError) {
    assert_eq!(to_a_label(text), Err(expected));
}

#[rstest]
#[case::same("google.com", true)]
#[case::upper_case("GOOGLE.COM", true)]
#[case::trailing_dot("google.com.", true)]
#[case::spaces(" Google.Com. ", true)]
#[case::other("evil.com", false)]
#[case::subdomain("www.google.com", false)]
#[case::tld_only("com", false)]
#[case::empty("", false)]
fn names_an_answer_prints_are_compared_loosely(#[case] text: &str, #[case] same: bool) {
    assert_eq!(ok("google.com").name.is_named_by(text), same, "{text:?}");
}

#[rstest]
#[case::a_label("xn--bcher-kva.de")]
#[case::a_label_upper("XN--BCHER-KVA.DE.")]
#[case::u_label("bücher.de")]
#[case::u_label_upper("BÜCHER.DE")]
fn an_idn_is_named_by_either_form(#[case] text: &str) {
    assert!(ok("bücher.de").name.is_named_by(text), "{text:?}");
    assert!(!ok("bucher.de").name.is_named_by(text), "{text:?}");
}

// Issue #13: a name that looks like another is refused with the reason,
// never converted in silence; the A-label written out is taken as meant.
#[test]
fn a_label_mixing_cyrillic_into_latin_is_refused_naming_the_letter() {
    let error = error("\u{430}pple.com");
    assert!(
        matches!(error, DomainError::MixedScripts { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "label \u{430}pple mixes Cyrillic and Latin letters, so it looks like another name \
         ('\u{430}' U+0430 Cyrillic); write it in one script, or as its A-label xn--pple-43d \
         if this is the name you mean"
    );
    assert_eq!(ok("xn--pple-43d.com").name.ascii(), "xn--pple-43d.com");
}

#[rstest]
#[case::greek_o("g\u{3bf}\u{3bf}gle.com")]
#[case::latin_in_cyrillic("\u{43f}p\u{438}\u{432}\u{435}\u{442}.\u{440}\u{444}")]
#[case::armenian("p\u{561}ypal.com")]
fn mixed_script_labels_are_refused(#[case] text: &str) {
    assert!(
        matches!(error(text), DomainError::MixedScripts { .. }),
        "{text}: {:?}",
        normalize(text)
    );
}

#[rstest]
#[case::german("bücher.de")]
#[case::russian("\u{43f}\u{440}\u{438}\u{432}\u{435}\u{442}.\u{440}\u{444}")]
#[case::japanese_mix("\u{65e5}\u{672c}\u{8a9e}\u{30c6}\u{30ad}\u{30b9}\u{30c8}.jp")]
#[case::latin_and_kana("sony\u{30bd}\u{30cb}\u{30fc}.jp")]
#[case::korean("\u{d55c}\u{ad6d}\u{c5b4}.kr")]
#[case::hebrew("\u{5e9}\u{5dc}\u{5d5}\u{5dd}.co.il")]
#[case::digits_and_hyphen("m\u{fc}ller-24.de")]
fn one_script_labels_pass(#[case] text: &str) {
    assert!(normalize(text).is_ok(), "{text}: {:?}", normalize(text));
}

#[rstest]
#[case::zero_width_joiner_in_latin("pay\u{200d}pal.com")]
#[case::latin_and_hebrew("a\u{5e9}b.com")]
fn hidden_or_mixed_direction_characters_are_refused(#[case] text: &str) {
    assert!(normalize(text).is_err(), "{text}: {:?}", normalize(text));
}
