//! Field readers that accept the spellings real exports use.
//!
//! Graph sends numbers as numbers, Log Analytics as text (`"50126"`); arrays may be `null`;
//! booleans may arrive as `"true"`. These readers accept each form but still reject values
//! that mean something else, so a wrong value becomes a warning rather than a silent guess.

use chrono::{DateTime, Utc};
use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

/// `null` → `None`; a number or numeric text → the number; empty text → `None`.
pub(crate) fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("expected a whole number, found {n}"))),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| de::Error::custom(format!("expected a whole number, found \"{s}\""))),
        other => Err(de::Error::custom(format!(
            "expected a whole number, found {other}"
        ))),
    }
}

/// `null` → `None`; `true`/`false` or their text (any case) → the value.
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b)),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" => Ok(Some(true)),
            "false" | "no" => Ok(Some(false)),
            _ => Err(de::Error::custom(format!(
                "expected true or false, found \"{s}\""
            ))),
        },
        other => Err(de::Error::custom(format!(
            "expected true or false, found {other}"
        ))),
    }
}

/// Text fields: text as is; a number or boolean becomes its text (exports disagree on types).
pub(crate) fn opt_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        other => Err(de::Error::custom(format!("expected text, found {other}"))),
    }
}

/// A list that may be `null` or missing (both mean empty).
pub(crate) fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// A required timestamp.
pub(crate) fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    opt_timestamp(d)?.ok_or_else(|| de::Error::custom("the time is empty"))
}

/// An optional timestamp; text we cannot read as a time is an error, not `None`.
pub(crate) fn opt_timestamp<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(s) if s.trim().is_empty() => Ok(None),
        Some(s) => crate::time::parse_timestamp(&s)
            .map(Some)
            .ok_or_else(|| de::Error::custom(format!("\"{s}\" is not a time"))),
    }
}
