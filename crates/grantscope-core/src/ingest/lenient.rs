//! Lenient scalar parsing for wire types. Graph documentation examples (reference §17) write
//! booleans and numbers as strings, `"null"` for null, timestamps with 0–7 fractional digits and
//! durations in ISO 8601; real exports are stricter. We accept all of those and reject anything
//! else with a message that says what was expected.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use crate::dates;
use crate::model::{DurationSecs, Timestamp};

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = Option<bool>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a boolean (true or false)")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match v.trim() {
            t if t.eq_ignore_ascii_case("true") => Ok(Some(true)),
            t if t.eq_ignore_ascii_case("false") => Ok(Some(false)),
            t if t.eq_ignore_ascii_case("null") || t.is_empty() => Ok(None),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// `true`, `"true"`, `"True"`, `null` → `Option<bool>`.
pub(crate) fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    d.deserialize_any(BoolVisitor)
}

struct IntVisitor;

impl Visitor<'_> for IntVisitor {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an integer")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v)
            .map(Some)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &"an integer within i64"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            #[allow(clippy::cast_possible_truncation)]
            Ok(Some(v as i64))
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let t = v.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("null") {
            return Ok(None);
        }
        t.parse::<i64>()
            .map(Some)
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// `3`, `"3"`, `null` → `Option<i64>`.
pub(crate) fn opt_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    d.deserialize_any(IntVisitor)
}

/// Parses an ISO 8601 date-time; `None` for the `0001-01-01T00:00:00Z` "never" sentinel is
/// decided by the caller, not here.
pub(crate) fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let t = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&Utc));
    }
    // Without an offset: Graph always means UTC.
    if let Some(n) = dates::parse_naive(t, dates::Seconds::Required) {
        return Some(n.and_utc());
    }
    dates::parse_date(t)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|n| n.and_utc())
}

const TIMESTAMP_EXPECTED: &str =
    "an ISO 8601 date-time in UTC such as \"2026-11-01T09:30:00Z\" (or null)";

/// Timestamps: ISO 8601 strings, `null` or the string `"null"` (a documentation quirk).
pub(crate) fn opt_timestamp<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Timestamp>, D::Error> {
    d.deserialize_option(TextVisitor {
        parse: parse_timestamp,
        expected: TIMESTAMP_EXPECTED,
    })
}

/// A string parsed by `parse`, `null` or `"null"`. The string is judged inside the visitor, so
/// serde_json places an error right after the string: the error's JSON path is found from that
/// position (see `json::parse_item`).
struct TextVisitor<T> {
    parse: fn(&str) -> Option<T>,
    expected: &'static str,
}

impl<'de, T> Visitor<'de> for TextVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        let t = s.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("null") {
            return Ok(None);
        }
        (self.parse)(s)
            .map(Some)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(s), &self.expected))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Parses an ISO 8601 duration (`P365D`, `PT0S`, `P1DT12H`, `P2W`) into seconds. Years and
/// months count as 365 and 30 days: Graph writes days, and this is only used for comparisons.
pub(crate) fn parse_duration(s: &str) -> Option<DurationSecs> {
    let t = s.trim();
    let (negative, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    let rest = t.strip_prefix('P').or_else(|| t.strip_prefix('p'))?;
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    let mut in_time = false;
    let mut number = String::new();
    let mut saw_unit = false;
    for c in rest.chars() {
        match c {
            'T' | 't' if number.is_empty() && !in_time => in_time = true,
            '0'..='9' | '.' | ',' => number.push(if c == ',' { '.' } else { c }),
            _ => {
                let n: f64 = number.parse().ok()?;
                number.clear();
                let unit = match (in_time, c.to_ascii_uppercase()) {
                    (false, 'Y') => 365.0 * 86_400.0,
                    (false, 'M') => 30.0 * 86_400.0,
                    (false, 'W') => 7.0 * 86_400.0,
                    (false, 'D') => 86_400.0,
                    (true, 'H') => 3_600.0,
                    (true, 'M') => 60.0,
                    (true, 'S') => 1.0,
                    _ => return None,
                };
                total += n * unit;
                saw_unit = true;
            }
        }
    }
    if !number.is_empty() || !saw_unit || !total.is_finite() || total > 1.0e15 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    let secs = total.round() as i64;
    Some(DurationSecs(if negative { -secs } else { secs }))
}

/// Durations: ISO 8601 strings or null.
pub(crate) fn opt_duration<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DurationSecs>, D::Error> {
    d.deserialize_option(TextVisitor {
        parse: parse_duration,
        expected: "an ISO 8601 duration such as \"P365D\" or \"PT0S\"",
    })
}

/// Serialises a duration back to ISO 8601 (`P14D`, `PT90M`), used in evidence.
#[must_use]
pub fn format_duration(d: DurationSecs) -> String {
    let s = d.0;
    if s % 86_400 == 0 {
        format!("P{}D", s / 86_400)
    } else if s % 3_600 == 0 {
        format!("PT{}H", s / 3_600)
    } else if s % 60 == 0 {
        format!("PT{}M", s / 60)
    } else {
        format!("PT{s}S")
    }
}

/// Distinguishes "key absent" (`None`) from "key present with null" (`Some(None)`), which serde's
/// plain `Option<Option<T>>` does not.
pub(crate) fn double_opt<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("P365D"), Some(DurationSecs::from_days(365)));
        assert_eq!(parse_duration("PT0S"), Some(DurationSecs(0)));
        assert_eq!(parse_duration("PT11520M"), Some(DurationSecs::from_days(8)));
        assert_eq!(parse_duration("P1DT12H"), Some(DurationSecs(129_600)));
        assert_eq!(parse_duration("P"), None);
        assert_eq!(parse_duration("P5"), None);
        assert_eq!(parse_duration("365"), None);
        assert_eq!(format_duration(DurationSecs::from_days(14)), "P14D");
    }

    #[test]
    fn timestamps_with_any_precision() {
        for s in [
            "2021-06-17T16:41:33Z",
            "2019-01-27T18:19:50.74Z",
            "2022-09-30T20:32:07.1949218Z",
            "2026-08-27T13:36:36.512743Z",
            "0001-01-01T00:00:00Z",
        ] {
            assert!(parse_timestamp(s).is_some(), "{s}");
        }
        assert!(parse_timestamp("String (timestamp)").is_none());
    }
}
