//! Reading names out of jCards (RFC 7095), the `vcardArray` of RDAP entities.
//!
//! A jCard is `["vcard", [[name, params, type, value, ...], ...]]`. Servers
//! get it wrong in small ways: the `"vcard"` tag missing, a property with
//! too few members, an empty `fn` next to a useful `org`, a structured
//! (array) value. This module reads what can be read and returns `None`
//! otherwise; it never fails.

use serde_json::Value;

/// The name an entity goes by: its `fn`, or when that is missing or empty
/// its `org` (organisation name, the first component of a structured one).
pub fn display_name(vcard: &Value) -> Option<String> {
    property_text(vcard, "fn").or_else(|| property_text(vcard, "org"))
}

/// The first non-empty text value of the property `name` (case-insensitive).
pub fn property_text(vcard: &Value, name: &str) -> Option<String> {
    properties(vcard)?
        .iter()
        .filter_map(Value::as_array)
        .filter(|property| {
            property
                .first()
                .and_then(Value::as_str)
                .is_some_and(|found| found.eq_ignore_ascii_case(name))
        })
        .flat_map(|property| property.iter().skip(3))
        .find_map(text_of)
}

/// The list of properties, with or without the leading `"vcard"` tag.
fn properties(vcard: &Value) -> Option<&Vec<Value>> {
    let items = vcard.as_array()?;
    match items.first() {
        Some(Value::String(tag)) if tag.eq_ignore_ascii_case("vcard") => items.get(1)?.as_array(),
        Some(Value::Array(_)) => Some(items),
        _ => None,
    }
}

/// A value as text: a string, or the first non-empty string of a structured value.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => non_empty(text),
        Value::Array(parts) => parts.iter().find_map(text_of),
        _ => None,
    }
}

fn non_empty(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use rstest::rstest;
    use serde_json::json;

    use super::*;

    #[rstest]
    #[case::fn_wins(json!(["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "MarkMonitor Inc."], ["org", {}, "text", "Other"]]]), Some("MarkMonitor Inc."))]
    #[case::org_when_fn_missing(json!(["vcard", [["version", {}, "text", "4.0"], ["org", {"type": "work"}, "text", "MarkMonitor Inc."]]]), Some("MarkMonitor Inc."))]
    #[case::org_when_fn_empty(json!(["vcard", [["fn", {}, "text", "  "], ["org", {}, "text", "NOM-IQ Ltd"]]]), Some("NOM-IQ Ltd"))]
    #[case::structured_org(json!(["vcard", [["org", {}, "text", ["", "ACME Inc.", "Sales"]]]]), Some("ACME Inc."))]
    #[case::upper_case_name(json!(["vcard", [["FN", {}, "text", "Registrar AS"]]]), Some("Registrar AS"))]
    #[case::second_value(json!(["vcard", [["fn", {}, "text", "", "Second"]]]), Some("Second"))]
    #[case::trimmed(json!(["vcard", [["fn", {}, "text", " Registrar AS\n"]]]), Some("Registrar AS"))]
    #[case::tag_missing(json!([["fn", {}, "text", "Untagged"]]), Some("Untagged"))]
    #[case::no_name(json!(["vcard", [["version", {}, "text", "4.0"], ["email", {}, "text", "a@b.c"]]]), None)]
    #[case::empty(json!(["vcard", []]), None)]
    #[case::properties_not_a_list(json!(["vcard", {"fn": "x"}]), None)]
    #[case::short_property(json!(["vcard", [["fn", {}, "text"], ["fn"], "fn", 7]]), None)]
    #[case::number_value(json!(["vcard", [["fn", {}, "text", 42]]]), None)]
    #[case::not_a_jcard(json!({"fn": "x"}), None)]
    #[case::wrong_tag(json!(["jscard", [["fn", {}, "text", "x"]]]), None)]
    #[case::null(json!(null), None)]
    fn names(#[case] vcard: Value, #[case] expected: Option<&str>) {
        assert_eq!(display_name(&vcard).as_deref(), expected);
    }
}
