//! Lenient serde readers for the RDAP model.
//!
//! Real RDAP servers drift from RFC 9083 in small ways: `status` as one
//! string instead of an array, `delegationSigned` as the string `"true"`, a
//! public ID's `identifier` as a number, `null` where an array belongs, one
//! malformed element in an otherwise good list. A strict model would reject
//! the whole response over one such field and lose the expiry date with it,
//! so every field of [`super::model`] goes through one of these readers:
//! each accepts what the field plainly means and otherwise yields "absent",
//! never an error.

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

/// Reads a text field; a number or boolean becomes its JSON text, anything
/// else (`null`, an object, an array) is absent.
pub fn opt_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(scalar_text(Value::deserialize(deserializer)?))
}

/// Reads a list of texts; a single text counts as a list of one, non-text
/// elements are skipped.
pub fn strings<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(items) => items.into_iter().filter_map(scalar_text).collect(),
        other => scalar_text(other).into_iter().collect(),
    })
}

/// Reads a list of objects; a single object counts as a list of one and an
/// element that does not fit `T` is skipped rather than failing the list.
pub fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Value::deserialize(deserializer)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|item| T::deserialize(item).ok())
            .collect(),
        single @ Value::Object(_) => T::deserialize(single).ok().into_iter().collect(),
        _ => Vec::new(),
    })
}

/// Reads an optional object; one that does not fit `T` is absent.
pub fn opt_object<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    Ok(match Value::deserialize(deserializer)? {
        object @ Value::Object(_) => T::deserialize(object).ok(),
        _ => None,
    })
}

/// Reads a yes/no flag written as a boolean, `"true"`/`"false"`,
/// `"yes"`/`"no"`, `"1"`/`"0"` or the numbers 1/0; anything else is absent.
pub fn opt_bool<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Bool(flag) => Some(flag),
        Value::Number(number) => match number.as_u64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        Value::String(text) => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// Reads a small status code written as a number or a numeric string.
pub fn opt_u16<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u16>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Number(number) => number.as_u64().and_then(|code| u16::try_from(code).ok()),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    })
}

fn scalar_text(value: Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Default, Deserialize)]
    struct Probe {
        #[serde(default, deserialize_with = "super::opt_string")]
        text: Option<String>,
        #[serde(default, deserialize_with = "super::strings")]
        words: Vec<String>,
        #[serde(default, deserialize_with = "super::list")]
        items: Vec<Item>,
        #[serde(default, deserialize_with = "super::opt_bool")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "super::opt_u16")]
        code: Option<u16>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        name: String,
    }

    /// Lenient fields never fail the whole object: an error here is a bug.
    fn probe(value: serde_json::Value) -> Probe {
        serde_json::from_value(value.clone()).unwrap_or_else(|error| panic!("{value}: {error}"))
    }

    #[rstest]
    #[case(json!({"text": "a"}), Some("a"))]
    #[case(json!({"text": 292}), Some("292"))]
    #[case(json!({"text": true}), Some("true"))]
    #[case(json!({"text": null}), None)]
    #[case(json!({"text": ["a"]}), None)]
    #[case(json!({}), None)]
    fn text_fields(#[case] input: serde_json::Value, #[case] expected: Option<&str>) {
        assert_eq!(probe(input).text.as_deref(), expected);
    }

    #[rstest]
    #[case(json!({"words": ["a", "b"]}), &["a", "b"])]
    #[case(json!({"words": "active"}), &["active"])]
    #[case(json!({"words": ["a", null, {"x": 1}, 7]}), &["a", "7"])]
    #[case(json!({"words": null}), &[])]
    #[case(json!({"words": {"x": "y"}}), &[])]
    fn text_lists(#[case] input: serde_json::Value, #[case] expected: &[&str]) {
        assert_eq!(probe(input).words, expected);
    }

    #[test]
    fn a_bad_element_does_not_sink_the_list() {
        let items =
            probe(json!({"items": [{"name": "a"}, {"name": 5}, "junk", {"name": "b"}]})).items;
        let names: Vec<&str> = items.iter().map(|item| item.name.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
    }

    #[rstest]
    #[case(json!({"items": {"name": "only"}}), 1)]
    #[case(json!({"items": "only"}), 0)]
    #[case(json!({"items": null}), 0)]
    fn list_shapes(#[case] input: serde_json::Value, #[case] count: usize) {
        assert_eq!(probe(input).items.len(), count);
    }

    #[rstest]
    #[case(json!(true), Some(true))]
    #[case(json!(false), Some(false))]
    #[case(json!("true"), Some(true))]
    #[case(json!(" FALSE "), Some(false))]
    #[case(json!("yes"), Some(true))]
    #[case(json!(1), Some(true))]
    #[case(json!(0), Some(false))]
    #[case(json!(2), None)]
    #[case(json!("signed"), None)]
    #[case(json!(null), None)]
    fn flags(#[case] flag: serde_json::Value, #[case] expected: Option<bool>) {
        assert_eq!(probe(json!({ "flag": flag })).flag, expected);
    }

    #[rstest]
    #[case(json!(404), Some(404))]
    #[case(json!("404"), Some(404))]
    #[case(json!(70000), None)]
    #[case(json!(-1), None)]
    #[case(json!("not found"), None)]
    fn codes(#[case] code: serde_json::Value, #[case] expected: Option<u16>) {
        assert_eq!(probe(json!({ "code": code })).code, expected);
    }
}
