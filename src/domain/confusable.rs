//! Names that look like other names: a label written in Unicode whose
//! letters come from scripts no language mixes (Cyrillic `а` among Latin
//! letters in `аpple`) is refused with the reason, never converted in
//! silence to an A-label that is not the name a person reads.
//!
//! A label passes when its characters share one script (Common and
//! Inherited ones, digits and hyphens, go with any), or when it mixes only
//! as UTS #39 "highly restrictive" allows: Latin with Han and Japanese
//! kana, with Han and Bopomofo, or with Han and Hangul. Script sets come
//! from `unicode-security` (script extensions included, so a character
//! shared by several scripts counts for each), the script names from
//! `unicode-script`. Right-to-left labels are one script too; the IDNA
//! bidi rule already refuses a label that mixes directions, and bidi
//! controls and zero-width spaces never pass as host-name characters.

use unicode_script::{Script, UnicodeScript};
use unicode_security::mixed_script::AugmentedScriptSet;

/// A label whose letters come from scripts no language mixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MixedLabel {
    /// The label as written.
    pub label: String,
    /// Its scripts, as a sentence ("Latin and Cyrillic").
    pub scripts: String,
    /// The letters of the rarest script, with their code points.
    pub odd: String,
    /// Its A-label, to write if the name is meant.
    pub a_label: String,
}

/// Refuses a name whose U-label form (`unicode`, labels aligned with
/// `ascii`) has a label of mixed scripts.
pub(super) fn check(ascii: &str, unicode: &str) -> Result<(), MixedLabel> {
    for (a_label, label) in ascii.split('.').zip(unicode.split('.')) {
        if !label.is_ascii() && !one_script(label) {
            return Err(mixed(label, a_label));
        }
    }
    Ok(())
}

/// One script, or a mix UTS #39 calls highly restrictive.
fn one_script(label: &str) -> bool {
    let mut all = AugmentedScriptSet::default();
    let mut without_latin = AugmentedScriptSet::default();
    for character in label.chars() {
        let set = AugmentedScriptSet::for_char(character);
        all.intersect_with(set);
        if !set.base.contains_script(Script::Latin) {
            without_latin.intersect_with(set);
        }
    }
    !all.is_empty() || without_latin.kore || without_latin.hanb || without_latin.jpan
}

fn mixed(label: &str, a_label: &str) -> MixedLabel {
    // Letters by script, in the order the label shows them.
    let mut scripts: Vec<(Script, Vec<char>)> = Vec::new();
    for character in label.chars() {
        let script = character.script();
        if matches!(script, Script::Common | Script::Inherited) {
            continue;
        }
        match scripts.iter_mut().find(|(known, _)| *known == script) {
            Some((_, letters)) => letters.push(character),
            None => scripts.push((script, vec![character])),
        }
    }
    let names: Vec<&str> = scripts
        .iter()
        .map(|(script, _)| script.full_name())
        .collect();
    let odd = scripts
        .iter()
        .min_by_key(|(_, letters)| letters.len())
        .map(|(script, letters)| {
            let shown: Vec<String> = letters
                .iter()
                .take(3)
                .map(|letter| format!("'{letter}' U+{:04X}", u32::from(*letter)))
                .collect();
            format!("{} {}", shown.join(", "), script.full_name())
        })
        .unwrap_or_default();
    MixedLabel {
        label: label.to_owned(),
        scripts: join_and(&names),
        odd,
        a_label: a_label.to_owned(),
    }
}

fn join_and(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
