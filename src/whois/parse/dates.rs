//! Dates as WHOIS servers write them, to UTC.
//!
//! Each registry has its habits: ISO 8601 with or without a zone,
//! `2020-10-31 12:00:00`, `31-Oct-2020`, `2020/10/31`, `31.10.2020`,
//! `2020. 03. 02.`, `20190523`, `21.6.2013`, `Tue Mar 21 2023`,
//! `Mon Apr 26 07:50:40 GMT 2010`, `2021-03-17 12:48:36 (UTC+8)`,
//! `4/29/2026 12:00:00 AM`, month names in Spanish, French, Portuguese,
//! Italian and German (`7 de marzo de 2020`). Two facts never come from
//! one string itself but from the registry ([`DateRules`]) or from all the
//! answer's dates together ([`answer_day_order`]): whether an all-numeric
//! `01/03/2014` is day first, and the zone of a time written without one. A
//! string that cannot be read (`before Aug-1996`, a `CST` that could be
//! China or Chicago) gives `None`; the caller keeps a note.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};

/// Order of day and month in an all-numeric date separated by `/` or `-`
/// with the year last. Dotted dates (`31.10.2020`) are day first everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DayOrder {
    DayFirst,
    MonthFirst,
    /// Neither the registry's habit nor the answer's other dates tell:
    /// only a date that can be read one way (a number above 12, or day and
    /// month equal) is read.
    Unknown,
}

/// What the registry decides about its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateRules {
    pub day_order: DayOrder,
    /// Zone of a time (or a bare date, read as its midnight) written without one.
    pub zone: FixedOffset,
}

/// Reads one date value. `key_hint` is the field name as written, which
/// sometimes states the order (`Expiration Date (dd/mm/yyyy)`).
pub(crate) fn parse_date(text: &str, key_hint: &str, rules: &DateRules) -> Option<DateTime<Utc>> {
    // registro.br appends a ticket number: `19990518 #162310`.
    let text = text.split_once(" #").map_or(text, |(date, _)| date);
    let (body, bracketed) = split_brackets(text);
    let mut rules = *rules;
    // The order may be stated in the key (`Expiration Date (dd/mm/yyyy)`)
    // or beside the value (`05-06-2026 (dd-mm-yyyy)`).
    let hint = format!("{key_hint} {}", bracketed.join(" ")).to_ascii_lowercase();
    if hint.contains("dd/mm") || hint.contains("dd.mm") || hint.contains("dd-mm") {
        rules.day_order = DayOrder::DayFirst;
    } else if hint.contains("mm/dd") || hint.contains("mm-dd") {
        rules.day_order = DayOrder::MonthFirst;
    }
    let bracket_zone = bracketed.iter().find_map(|part| zone_of(part));
    let body = expand_compact_timestamp(&collapse_spaced_dots(&body));
    let tokens: Vec<&str> = body
        .split([' ', ','])
        .filter(|token| !token.is_empty())
        .collect();
    let first = tokens.first()?;
    let (date, rest): (NaiveDate, Vec<&str>) =
        if let Some((date, tail)) = numeric_date(first, &rules) {
            let mut rest: Vec<&str> = Vec::new();
            if !tail.is_empty() {
                rest.push(tail);
            }
            rest.extend(tokens.iter().skip(1));
            (date, rest)
        } else {
            worded_date(&tokens)?
        };
    let (time, zone) = time_and_zone(&rest)?;
    let zone = zone.or(bracket_zone).unwrap_or(rules.zone);
    let local = date.and_time(time);
    zone.from_local_datetime(&local)
        .single()
        .map(|instant| instant.with_timezone(&Utc))
}

/// Separates `(...)` and `[...]` groups from the rest: `2023/04/01 01:05:57
/// (JST)` -> (`2023/04/01 01:05:57`, [`JST`]).
fn split_brackets(text: &str) -> (String, Vec<String>) {
    let mut body = String::new();
    let mut groups = Vec::new();
    let mut current: Option<String> = None;
    for c in text.chars() {
        match (c, current.as_mut()) {
            ('(' | '[', None) => current = Some(String::new()),
            (')' | ']', Some(group)) => {
                groups.push(std::mem::take(group));
                current = None;
                body.push(' ');
            }
            (c, Some(group)) => group.push(c),
            (c, None) => body.push(c),
        }
    }
    (body.trim().to_string(), groups)
}

/// `2020. 03. 02.` (KISA) -> `2020.03.02`.
fn collapse_spaced_dots(text: &str) -> String {
    let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if text.contains(". ") && squeezed.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return squeezed.trim_end_matches('.').to_string();
    }
    text.trim().to_string()
}

/// `20131211000000` (YYYYMMDDhhmmss, old .ua) -> `2013-12-11 00:00:00`.
fn expand_compact_timestamp(text: &str) -> String {
    let (first, rest) = text.split_once(' ').unwrap_or((text, ""));
    if first.len() != 14 || !first.chars().all(|c| c.is_ascii_digit()) {
        return text.to_string();
    }
    let (y, m, d) = (&first[..4], &first[4..6], &first[6..8]);
    let (h, min, s) = (&first[8..10], &first[10..12], &first[12..]);
    format!("{y}-{m}-{d} {h}:{min}:{s} {rest}")
        .trim_end()
        .to_string()
}

/// An all-numeric date at the start of `token`; returns the date and what
/// follows it in the token (a `T12:00:00Z` time, usually).
fn numeric_date<'a>(token: &'a str, rules: &DateRules) -> Option<(NaiveDate, &'a str)> {
    let end = token
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '/' | '.')))
        .unwrap_or(token.len());
    let (date, tail) = token.split_at(end);
    let tail = tail.strip_prefix(['T', 't']).unwrap_or(tail);
    let date = date.trim_end_matches(['.', '-', '/']);
    if date.len() == 8 && date.chars().all(|c| c.is_ascii_digit()) {
        let (y, md) = date.split_at(4);
        let (m, d) = md.split_at(2);
        return ymd(y, m, d).map(|date| (date, tail));
    }
    let separator = date.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let parts: Vec<&str> = date.split(separator).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    if a.len() == 4 {
        return ymd(a, b, c).map(|date| (date, tail));
    }
    if c.len() != 4 {
        return None;
    }
    let day_first = match (separator, rules.day_order) {
        ('.', _) | (_, DayOrder::DayFirst) => true,
        (_, DayOrder::MonthFirst) => false,
        (_, DayOrder::Unknown) => {
            let first: u32 = a.parse().ok()?;
            let second: u32 = b.parse().ok()?;
            match (first > 12, second > 12) {
                (true, false) => true,
                (false, true) => false,
                _ if first == second => true,
                _ => return None,
            }
        }
    };
    let date = if day_first {
        ymd(c, b, a)
    } else {
        ymd(c, a, b)
    };
    date.map(|date| (date, tail))
}

/// The day order an answer's own dates show when the registry's is not
/// known: one date with a first number above 12 (`25/06/2026`) shows the
/// registry writes day first, and then every date of the answer is read so
/// (`05/06/1999` beside it is 5 June); one with a second number above 12,
/// month first. No such date, or dates that disagree, leave it unknown:
/// the ambiguous dates are then not read at all rather than guessed.
pub(crate) fn answer_day_order<'a>(values: impl IntoIterator<Item = &'a str>) -> DayOrder {
    let (mut day_first, mut month_first) = (false, false);
    for value in values {
        let token = value.split_whitespace().next().unwrap_or_default();
        let Some(separator) = token.chars().find(|c| matches!(c, '/' | '-')) else {
            continue;
        };
        let parts: Vec<&str> = token.split(separator).collect();
        let [a, b, year] = parts.as_slice() else {
            continue;
        };
        let year_digits = year.chars().take_while(char::is_ascii_digit).count();
        let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) else {
            continue;
        };
        if year_digits != 4 {
            continue;
        }
        day_first |= a > 12 && b <= 12;
        month_first |= b > 12 && a <= 12;
    }
    match (day_first, month_first) {
        (true, false) => DayOrder::DayFirst,
        (false, true) => DayOrder::MonthFirst,
        _ => DayOrder::Unknown,
    }
}

fn ymd(year: &str, month: &str, day: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// Dates with a month name: `31-Oct-2020`, `Tue Mar 21 2023`, `Mon Apr 26
/// 07:50:40 GMT 2010`, `Tue, 07 May 2013 14:08:58 UTC`, `March 21, 2023`.
/// Returns the date and the tokens that are not part of it (time, zone).
fn worded_date<'a>(tokens: &[&'a str]) -> Option<(NaiveDate, Vec<&'a str>)> {
    let split: Vec<&str> = tokens
        .iter()
        .flat_map(|token| {
            if token.contains(|c: char| c.is_ascii_alphabetic()) && token.contains('-') {
                token.split('-').collect::<Vec<_>>()
            } else {
                vec![*token]
            }
        })
        .filter(|token| !token.is_empty())
        .collect();
    let mut month = None;
    let mut year = None;
    let mut day = None;
    let mut rest = Vec::new();
    for token in split {
        let trimmed = strip_ordinal(token.trim_end_matches('.'));
        // `Registered on 30th April 2003 at 00:00:00.000` (.gg, .je).
        if is_weekday(trimmed)
            || matches!(
                trimmed.to_lowercase().as_str(),
                "at" | "of" | "the" | "de" | "del" | "le" | "du" | "à" | "às" | "um"
            )
        {
            continue;
        }
        if month.is_none()
            && let Some(number) = month_number(trimmed)
        {
            month = Some(number);
        } else if year.is_none()
            && trimmed.len() == 4
            && trimmed.chars().all(|c| c.is_ascii_digit())
        {
            year = trimmed.parse::<i32>().ok();
        } else if day.is_none()
            && (1..=2).contains(&trimmed.len())
            && trimmed.chars().all(|c| c.is_ascii_digit())
        {
            day = trimmed.parse::<u32>().ok();
        } else {
            rest.push(token);
        }
    }
    let date = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    Some((date, rest))
}

/// `30th` -> `30`, `1st` -> `1`; other words unchanged.
fn strip_ordinal(word: &str) -> &str {
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(number) = word.strip_suffix(suffix)
            && !number.is_empty()
            && number.len() <= 2
            && number.chars().all(|c| c.is_ascii_digit())
        {
            return number;
        }
    }
    word
}

/// Month names and abbreviations in the languages registries write dates
/// in besides English: Spanish, French, Portuguese, Italian, German.
const FOREIGN_MONTHS: [&[&str]; 12] = [
    &[
        "enero", "ene", "janvier", "janv", "janeiro", "gennaio", "gen", "januar", "jän",
    ],
    &[
        "febrero",
        "février",
        "fevrier",
        "févr",
        "fév",
        "fevereiro",
        "fev",
        "febbraio",
        "februar",
    ],
    &["marzo", "mars", "março", "marco", "märz", "mär", "maerz"],
    &["abril", "abr", "avril", "avr", "aprile"],
    &["mayo", "mai", "maio", "maggio", "mag"],
    &["junio", "juin", "junho", "giugno", "giu", "juni"],
    &["julio", "juillet", "juil", "julho", "luglio", "lug", "juli"],
    &["agosto", "ago", "août", "aout"],
    &[
        "septiembre",
        "setiembre",
        "septembre",
        "setembro",
        "settembre",
        "set",
    ],
    &[
        "octubre", "octobre", "outubro", "out", "ottobre", "ott", "oktober", "okt",
    ],
    &["noviembre", "novembre", "novembro"],
    &[
        "diciembre",
        "dic",
        "décembre",
        "decembre",
        "déc",
        "dezembro",
        "dez",
        "dicembre",
        "dezember",
    ],
];

fn month_number(word: &str) -> Option<u32> {
    let lower = word.to_lowercase();
    if let Some(index) = FOREIGN_MONTHS
        .iter()
        .position(|names| names.contains(&lower.as_str()))
    {
        return u32::try_from(index + 1).ok();
    }
    english_month(word)
}

fn english_month(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = word.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|month| {
            *month == lower
                || month.get(..3) == Some(lower.as_str())
                || (lower == "sept" && *month == "september")
        })
        .and_then(|index| u32::try_from(index + 1).ok())
}

fn is_weekday(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .any(|day| lower.starts_with(day) && lower.chars().all(|c| c.is_ascii_alphabetic()))
        && month_number(&lower).is_none()
}

/// The time of day and an explicit zone among the tokens after the date.
/// No time means midnight. Any token that is neither makes the value
/// unreadable, so that free text after a date is not silently accepted.
fn time_and_zone(tokens: &[&str]) -> Option<(NaiveTime, Option<FixedOffset>)> {
    let mut time = None;
    let mut zone = None;
    let mut afternoon = None;
    for token in tokens {
        // `4/29/2026 12:00:00 AM` (registries on Windows-made software).
        match token.to_ascii_uppercase().as_str() {
            "AM" | "A.M." => {
                afternoon = Some(false);
                continue;
            }
            "PM" | "P.M." => {
                afternoon = Some(true);
                continue;
            }
            _ => {}
        }
        if time.is_none() && token.contains(':') && token.starts_with(|c: char| c.is_ascii_digit())
        {
            let split = token[1..]
                .find(['Z', 'z', '+', '-'])
                .map_or(token.len(), |index| index + 1);
            let (clock, suffix) = token.split_at(split);
            time = Some(parse_clock(clock)?);
            if !suffix.is_empty() {
                zone = Some(zone_of(suffix)?);
            }
        } else if let Some(offset) = zone_of(token) {
            zone = Some(offset);
        } else {
            return None;
        }
    }
    let time = time.unwrap_or(NaiveTime::MIN);
    let time = match afternoon {
        None => time,
        Some(pm) => {
            let hour = time.hour();
            if !(1..=12).contains(&hour) {
                return None;
            }
            let hour = (hour % 12) + if pm { 12 } else { 0 };
            time.with_hour(hour)?
        }
    };
    Some((time, zone))
}

fn parse_clock(clock: &str) -> Option<NaiveTime> {
    let mut parts = clock.split(':');
    let hour: u32 = parts.next()?.parse().ok()?;
    let minute: u32 = parts.next()?.parse().ok()?;
    let seconds = parts.next().unwrap_or("0");
    if parts.next().is_some() {
        return None;
    }
    let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
    let second: u32 = whole.parse().ok()?;
    let nanos = if fraction.is_empty() {
        0
    } else {
        let digits: String = fraction.chars().take(9).collect();
        let padded = format!("{digits:0<9}");
        padded.parse().ok()?
    };
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
}

/// A zone written as an offset (`Z`, `+03`, `+0300`, `-03:00`, `UTC+8`) or
/// one of the abbreviations registries print. Abbreviations with two
/// meanings (`CST`: China or US Central; `IST`: India, Ireland or Israel)
/// are not guessed: the value stays unread and the caller keeps a note.
fn zone_of(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    let upper = text.to_ascii_uppercase();
    let named = match upper.as_str() {
        "Z" | "UTC" | "GMT" | "UT" => Some(0),
        "JST" | "KST" => Some(9 * 3600),
        "MSK" => Some(3 * 3600),
        "EET" => Some(2 * 3600),
        "EEST" => Some(3 * 3600),
        "CET" => Some(3600),
        "CEST" => Some(2 * 3600),
        "BRT" => Some(-3 * 3600),
        "CLT" => Some(-4 * 3600),
        "CLST" => Some(-3 * 3600),
        "BRST" => Some(-2 * 3600),
        "WET" => Some(0),
        "WEST" => Some(3600),
        "MSD" => Some(4 * 3600),
        "TRT" => Some(3 * 3600),
        "ICT" | "WIB" => Some(7 * 3600),
        "HKT" | "SGT" | "MYT" | "PHT" | "AWST" | "WITA" => Some(8 * 3600),
        "WIT" => Some(9 * 3600),
        "AEST" => Some(10 * 3600),
        "AEDT" => Some(11 * 3600),
        "NZST" => Some(12 * 3600),
        "NZDT" => Some(13 * 3600),
        "ART" => Some(-3 * 3600),
        "EST" => Some(-5 * 3600),
        "EDT" => Some(-4 * 3600),
        "CDT" => Some(-5 * 3600),
        "MST" => Some(-7 * 3600),
        "MDT" => Some(-6 * 3600),
        "PST" => Some(-8 * 3600),
        "PDT" => Some(-7 * 3600),
        _ => None,
    };
    if let Some(seconds) = named {
        return FixedOffset::east_opt(seconds);
    }
    // `BRST -02:00`: an abbreviation followed by the offset it stands for.
    if let Some((_, offset)) = text.split_once(' ') {
        return zone_of(offset);
    }
    let numeric = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper);
    let (sign, digits) = match numeric.split_at_checked(1)? {
        ("+", digits) => (1, digits),
        ("-", digits) => (-1, digits),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once(':') {
        Some((hours, minutes)) => (hours, minutes),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    if hours.is_empty()
        || hours.len() > 2
        || !hours.chars().all(|c| c.is_ascii_digit())
        || !minutes.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use chrono::Offset;
    use rstest::rstest;

    use super::*;

    fn rules(day_order: DayOrder, hours: i32) -> DateRules {
        DateRules {
            day_order,
            zone: FixedOffset::east_opt(hours * 3600).unwrap_or(Utc.fix()),
        }
    }

    #[rstest]
    #[case::iso_z("2018-12-21T17:35:22Z", "2018-12-21T17:35:22Z")]
    #[case::iso_fraction("2018-12-21T17:35:22.123Z", "2018-12-21T17:35:22.123Z")]
    #[case::iso_offset_no_colon("2019-09-09T08:39:04-0700", "2019-09-09T15:39:04Z")]
    #[case::iso_offset("2018-03-12T21:44:25+01:00", "2018-03-12T20:44:25Z")]
    #[case::iso_no_zone("2020-09-27T13:26:20", "2020-09-27T13:26:20Z")]
    #[case::space_time("2020-10-31 12:00:00", "2020-10-31T12:00:00Z")]
    #[case::hour_offset("2007-10-04 13:40:19+03", "2007-10-04T10:40:19Z")]
    #[case::spaced_offset("2014-11-01 20:38:55 +02:00", "2014-11-01T18:38:55Z")]
    #[case::bracketed_utc_plus("2021-03-17 12:48:36 (UTC+8)", "2021-03-17T04:48:36Z")]
    #[case::bracketed_jst("2013/06/01 01:05:07 (JST)", "2013-05-31T16:05:07Z")]
    #[case::bracketed_abbreviation_and_offset(
        "2017-11-18 19:11:28 (BRST -02:00)",
        "2017-11-18T21:11:28Z"
    )]
    #[case::date_only("2020-10-31", "2020-10-31T00:00:00Z")]
    #[case::slashes_year_first("2020/10/31", "2020-10-31T00:00:00Z")]
    #[case::dots_year_first("2002.09.19 13:00:00", "2002-09-19T13:00:00Z")]
    #[case::kisa("2020. 03. 02.", "2020-03-02T00:00:00Z")]
    #[case::compact("20190523", "2019-05-23T00:00:00Z")]
    #[case::compact_with_ticket("19990518 #162310", "1999-05-18T00:00:00Z")]
    #[case::dotted_day_first("31.10.2020", "2020-10-31T00:00:00Z")]
    #[case::dotted_short("21.6.2013", "2013-06-21T00:00:00Z")]
    #[case::dotted_time("2.1.2019 0:01:22", "2019-01-02T00:01:22Z")]
    #[case::month_name("31-Oct-2020", "2020-10-31T00:00:00Z")]
    #[case::month_name_lower("05-may-2013", "2013-05-05T00:00:00Z")]
    #[case::weekday_first("Tue Mar 21 2023", "2023-03-21T00:00:00Z")]
    #[case::ctime_with_zone("Mon Apr 26 07:50:40 GMT 2010", "2010-04-26T07:50:40Z")]
    #[case::rfc2822("Tue, 07 May 2013 14:08:58 UTC", "2013-05-07T14:08:58Z")]
    #[case::long_month("March 21, 2023", "2023-03-21T00:00:00Z")]
    #[case::format_hint_in_brackets("2020-10-31 (YYYY-MM-DD)", "2020-10-31T00:00:00Z")]
    #[case::unambiguous_slashes("31/12/2017", "2017-12-31T00:00:00Z")]
    #[case::compact_timestamp("20131211093000", "2013-12-11T09:30:00Z")]
    #[case::ordinal_sentence("30th April 2003 at 00:00:00.000", "2003-04-30T00:00:00Z")]
    #[case::year_first_month_name("2001-Aug-23.", "2001-08-23T00:00:00Z")]
    #[case::gmt_offset("18-05-2009 13:06:05 GMT+1", "2009-05-18T12:06:05Z")]
    #[case::gmt_short_offset("1999-06-07 20:00:00 (GMT+0:00)", "1999-06-07T20:00:00Z")]
    #[case::chile("2002-10-22 17:48:23 CLST", "2002-10-22T20:48:23Z")]
    #[case::info_style("31-Jul-2001 23:57:50 UTC", "2001-07-31T23:57:50Z")]
    #[case::us_eastern("2019-04-29 10:15:00 EST", "2019-04-29T15:15:00Z")]
    #[case::afternoon("2019-04-29 1:15:00 PM", "2019-04-29T13:15:00Z")]
    #[case::midnight_am("2019-04-29 12:00:00 AM", "2019-04-29T00:00:00Z")]
    #[case::noon_pm("2019-04-29 12:30 PM", "2019-04-29T12:30:00Z")]
    #[case::spanish_month("7 de marzo de 2020", "2020-03-07T00:00:00Z")]
    #[case::french_month("07-mars-2020", "2020-03-07T00:00:00Z")]
    #[case::french_accented("1 décembre 2021", "2021-12-01T00:00:00Z")]
    #[case::portuguese_month("15 de outubro de 2019", "2019-10-15T00:00:00Z")]
    #[case::german_month("3. März 2022", "2022-03-03T00:00:00Z")]
    #[case::worded_midnight_am("April 29, 2019 12:05 AM", "2019-04-29T00:05:00Z")]
    #[case::hong_kong("2020-03-07 00:00:00 HKT", "2020-03-06T16:00:00Z")]
    #[case::australia_bracketed("2024-01-01 09:00:00 (AEDT)", "2023-12-31T22:00:00Z")]
    fn reads_every_date_form(#[case] text: &str, #[case] expected: &str) {
        let parsed = parse_date(text, "", &rules(DayOrder::Unknown, 0));
        assert_eq!(
            parsed
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                .as_deref(),
            Some(expected),
            "{text}"
        );
    }

    #[rstest]
    #[case::before("before Aug-1996")]
    #[case::empty("")]
    #[case::words("not available")]
    #[case::no_day("Aug-1996")]
    #[case::invalid_day("2020-02-30")]
    #[case::ambiguous_order_unknown("01/03/2014")]
    #[case::trailing_text("2020-10-31 see notes")]
    #[case::ambiguous_zone("2020-10-31 12:00:00 CST")]
    #[case::hour_beyond_twelve_with_pm("2020-10-31 13:00:00 PM")]
    #[case::zeroes("0000-00-00")]
    #[case::before_other_month("before Jan-1990")]
    fn refuses_what_it_cannot_read(#[case] text: &str) {
        assert_eq!(
            parse_date(text, "", &rules(DayOrder::Unknown, 0)),
            None,
            "{text}"
        );
    }

    #[rstest]
    #[case::day_first(DayOrder::DayFirst, "", "01/03/2014", "2014-03-01")]
    #[case::month_first(DayOrder::MonthFirst, "", "01/03/2014", "2014-01-03")]
    #[case::key_states_order(
        DayOrder::Unknown,
        "Expiration Date (dd/mm/yyyy)",
        "01/03/2014",
        "2014-03-01"
    )]
    #[case::dots_always_day_first(DayOrder::MonthFirst, "", "01.03.2014", "2014-03-01")]
    #[case::order_beside_the_value(DayOrder::Unknown, "", "01-03-2014 (dd-mm-yyyy)", "2014-03-01")]
    #[case::month_first_beside(DayOrder::Unknown, "", "01/03/2014 (mm/dd/yyyy)", "2014-01-03")]
    #[case::hyphen_day_first(DayOrder::DayFirst, "", "01-03-2014", "2014-03-01")]
    fn day_order_comes_from_the_registry(
        #[case] order: DayOrder,
        #[case] key: &str,
        #[case] text: &str,
        #[case] expected: &str,
    ) {
        let parsed = parse_date(text, key, &rules(order, 0));
        assert_eq!(
            parsed.map(|d| d.date_naive().to_string()).as_deref(),
            Some(expected)
        );
    }

    #[rstest]
    #[case::one_date_shows_day_first(&["05-06-1999", "25-06-2026"], DayOrder::DayFirst)]
    #[case::one_date_shows_month_first(&["04/05/2003 10:00:00", "04/29/2026"], DayOrder::MonthFirst)]
    #[case::nothing_shows(&["04/05/2003", "04/05/2026"], DayOrder::Unknown)]
    #[case::dates_disagree(&["13/05/2003", "04/29/2026"], DayOrder::Unknown)]
    #[case::year_first_says_nothing(&["2003-04-29", "05/06/2026"], DayOrder::Unknown)]
    fn the_answers_dates_decide_the_order_together(
        #[case] values: &[&str],
        #[case] expected: DayOrder,
    ) {
        assert_eq!(answer_day_order(values.iter().copied()), expected);
    }

    #[rstest]
    #[case::cnnic_local("2021-03-17 12:48:36", 8, "2021-03-17T04:48:36Z")]
    #[case::jprs_bare_date("2014/05/31", 9, "2014-05-30T15:00:00Z")]
    #[case::explicit_zone_wins("2018-03-04T21:00:00Z", 3, "2018-03-04T21:00:00Z")]
    fn a_time_without_zone_is_in_the_registry_zone(
        #[case] text: &str,
        #[case] hours: i32,
        #[case] expected: &str,
    ) {
        let parsed = parse_date(text, "", &rules(DayOrder::Unknown, hours));
        assert_eq!(
            parsed
                .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .as_deref(),
            Some(expected)
        );
    }
}
