//! TOML documents (`grantscope.toml`, `grantscope-waivers.toml`) read without toml's serde
//! deserializer: the text is parsed once into toml's spanned tree, converted to
//! `serde_json::Value` by one non-generic function, and the target type is deserialised from that
//! value (the same code as [`crate::config::Config::from_json`]). This keeps toml's generic serde
//! code out of the wasm module (issue 6).
//!
//! serde's error has no position, so a [`Shape`] (the field names and types of the target)
//! walks the tree in serde's visiting order to the node that failed, and the error gets that
//! node's line and column — the ones toml's deserializer reports: the key for an unknown key, the
//! table for a missing key, the value otherwise.

use std::ops::Range;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::config::{ConfigError, with_suggestion};
use crate::ingest::line_col;

/// The key toml's serde deserializer gives a date-time as a one-entry table; kept so that a
/// bare date reaches serde exactly as before (`expires = 2027-03-31` is read through it).
const DATETIME_KEY: &str = "$__toml_private_datetime";

/// A parsed document and its text (for line and column).
pub(crate) struct Document<'i> {
    text: &'i str,
    root: Spanned<DeTable<'i>>,
}

/// What a value must look like: how to check it with serde, and how to look inside it for the
/// node that failed.
pub(crate) struct Shape {
    /// Deserialises the value as its Rust type (the instance the whole document uses).
    pub(crate) check: fn(Value) -> bool,
    pub(crate) kind: Kind,
}

/// Where an error inside a value can be.
pub(crate) enum Kind {
    /// At the value itself (a string, a date, a table of anything).
    Value,
    /// At the first element that fails.
    Seq(&'static Shape),
    /// At the first unknown key or failing value, in the table's order; otherwise (a missing or
    /// repeated key) at the table. Names may list aliases: `waiver|waivers`.
    Struct(&'static [(&'static str, &'static Shape)]),
}

/// Whether `value` deserialises as `T`; for [`Shape::check`].
pub(crate) fn is<T: DeserializeOwned>(value: Value) -> bool {
    serde_json::from_value::<T>(value).is_ok()
}

impl<'i> Document<'i> {
    /// Parses TOML text; a syntax error is reported as toml reports it.
    pub(crate) fn parse(text: &'i str) -> Result<Document<'i>, ConfigError> {
        let root = DeTable::parse(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((0, 0));
            ConfigError {
                line,
                column,
                message: with_suggestion(e.message()),
            }
        })?;
        Ok(Document { text, root })
    }

    /// Deserialises the document as `T`, whose fields `fields` lists; an error gets the line and
    /// column of the node that caused it.
    pub(crate) fn deserialize<T: DeserializeOwned>(
        &self,
        fields: &[(&str, &'static Shape)],
    ) -> Result<T, ConfigError> {
        let mut overflow = None;
        let value = table_to_json(self.root.get_ref(), &mut overflow);
        let result = serde_json::from_value::<T>(value);
        if overflow.is_none()
            && let Ok(parsed) = result
        {
            return Ok(parsed);
        }
        match (
            locate_in_table(self.root.get_ref(), self.root.span(), fields),
            result,
            overflow,
        ) {
            (Failure::Number(at, message), _, _)
            | (Failure::Serde(_), Ok(_), Some((at, message))) => Err(self.error(at, message)),
            (Failure::Serde(span), Err(e), _) => Err(self.error(span, &e.to_string())),
            (Failure::Serde(_), Ok(parsed), None) => Ok(parsed),
        }
    }

    /// The line of each element of the root's array `key` (a `[[key]]` table's header).
    pub(crate) fn array_lines(&self, key: &str) -> Vec<u32> {
        match self.root.get_ref().get(key).map(Spanned::get_ref) {
            Some(DeValue::Array(items)) => items
                .iter()
                .map(|item| line_col(self.text, item.span().start).0)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the root has `key`.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.root.get_ref().get(key).is_some()
    }

    fn error(&self, span: Range<usize>, message: &str) -> ConfigError {
        let (line, column) = line_col(self.text, span.start);
        ConfigError {
            line,
            column,
            message: with_suggestion(message),
        }
    }
}

/// The first number that does not fit (in the order serde visits), with toml's message.
type Overflow = Option<(Range<usize>, &'static str)>;

/// A value as `serde_json::Value`, as toml's serde deserializer presents it. A number that does
/// not fit becomes null and is noted in `overflow`.
fn to_json(value: &Spanned<DeValue<'_>>, overflow: &mut Overflow) -> Value {
    let mut overflowed = |message| {
        overflow.get_or_insert((value.span(), message));
        Value::Null
    };
    match value.get_ref() {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => {
            if let Ok(n) = i64::from_str_radix(i.as_str(), i.radix()) {
                Value::from(n)
            } else if let Ok(n) = u64::from_str_radix(i.as_str(), i.radix()) {
                Value::from(n)
            } else {
                overflowed("integer number overflowed")
            }
        }
        DeValue::Float(f) => match f.as_str().parse::<f64>() {
            Ok(x) if !x.is_infinite() || f.as_str().contains("inf") => {
                serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
            }
            _ => overflowed("floating-point number overflowed"),
        },
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => {
            let mut map = Map::new();
            map.insert(DATETIME_KEY.to_owned(), Value::String(d.to_string()));
            Value::Object(map)
        }
        DeValue::Array(items) => Value::Array(items.iter().map(|v| to_json(v, overflow)).collect()),
        DeValue::Table(table) => table_to_json(table, overflow),
    }
}

fn table_to_json(table: &DeTable<'_>, overflow: &mut Overflow) -> Value {
    let mut map = Map::new();
    for (key, value) in table {
        map.insert(key.get_ref().to_string(), to_json(value, overflow));
    }
    Value::Object(map)
}

/// Whether a value passes its shape's check (a number that does not fit never does).
fn passes(value: &Spanned<DeValue<'_>>, shape: &Shape) -> bool {
    let mut overflow = None;
    let json = to_json(value, &mut overflow);
    overflow.is_none() && (shape.check)(json)
}

/// Where deserialising a document fails.
enum Failure {
    /// serde's error, at this node.
    Serde(Range<usize>),
    /// A number that does not fit, where toml's deserializer reached it.
    Number(Range<usize>, &'static str),
}

/// The node where deserialising `value` as `shape` fails.
fn locate(value: &Spanned<DeValue<'_>>, shape: &Shape) -> Failure {
    match (&shape.kind, value.get_ref()) {
        (Kind::Seq(item), DeValue::Array(items)) => items
            .iter()
            .find(|v| !passes(v, item))
            .map_or_else(|| Failure::Serde(value.span()), |v| locate(v, item)),
        (Kind::Struct(fields), DeValue::Table(table)) => {
            locate_in_table(table, value.span(), fields)
        }
        (_, scalar_or_whole) => {
            let mut overflow = None;
            let json = to_json(value, &mut overflow);
            let container = matches!(scalar_or_whole, DeValue::Array(_) | DeValue::Table(_));
            match overflow {
                // A scalar fails at once; a table or array taken whole (`[rules]`) is read
                // through, unless its type is wrong from the start.
                Some((at, message)) if !container || (shape.check)(json) => {
                    Failure::Number(at, message)
                }
                _ => Failure::Serde(value.span()),
            }
        }
    }
}

/// As [`locate`], for a table of `fields` spanning `span`. A field's name may list aliases
/// (`waiver|waivers`): a second key for the same field fails at the table, as serde's
/// "duplicate field" does.
fn locate_in_table(
    table: &DeTable<'_>,
    span: Range<usize>,
    fields: &[(&str, &'static Shape)],
) -> Failure {
    let mut seen = vec![false; fields.len()];
    for (key, value) in table {
        let key_name: &str = key.get_ref();
        let Some(index) = fields
            .iter()
            .position(|(name, _)| name.split('|').any(|n| n == key_name))
        else {
            return Failure::Serde(key.span());
        };
        if std::mem::replace(&mut seen[index], true) {
            return Failure::Serde(span);
        }
        let shape = fields[index].1;
        if !passes(value, shape) {
            return locate(value, shape);
        }
    }
    Failure::Serde(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    static TEXT: Shape = Shape {
        check: is::<String>,
        kind: Kind::Value,
    };
    static TEXTS: Shape = Shape {
        check: is::<Vec<String>>,
        kind: Kind::Seq(&TEXT),
    };

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Item {
        name: String,
        tags: Option<Vec<String>>,
    }
    static ITEM: Shape = Shape {
        check: is::<Item>,
        kind: Kind::Struct(&[("name", &TEXT), ("tags", &TEXTS)]),
    };
    static ITEMS: Shape = Shape {
        check: is::<Vec<Item>>,
        kind: Kind::Seq(&ITEM),
    };

    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        #[serde(default)]
        item: Vec<Item>,
        #[serde(default)]
        any: Option<Value>,
    }
    static ANY: Shape = Shape {
        check: is::<Value>,
        kind: Kind::Value,
    };
    const DOC: &[(&str, &Shape)] = &[("item", &ITEMS), ("any", &ANY)];

    fn err(text: &str) -> String {
        Document::parse(text)
            .and_then(|d| d.deserialize::<Doc>(DOC))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn reads_values_as_toml_presents_them() {
        let doc = Document::parse(
            "any = { i = 0x10, n = -3, f = 1.5, nan = nan, b = true, d = 2027-03-31, a = [1, 'x'] }\n[[item]]\nname = 'a'\n\n[[item]]\nname = \"b\"\ntags = []\n",
        )
        .unwrap();
        let parsed: Doc = doc.deserialize(DOC).unwrap();
        assert_eq!(parsed.item.len(), 2);
        assert_eq!(parsed.item[1].tags, Some(vec![]));
        assert_eq!(
            parsed.any,
            Some(serde_json::json!({
                "i": 16, "n": -3, "f": 1.5, "nan": null, "b": true,
                "d": { DATETIME_KEY: "2027-03-31" }, "a": [1, "x"]
            }))
        );
        assert_eq!(doc.array_lines("item"), [2, 5]);
        assert!(doc.array_lines("any").is_empty());
        assert!(doc.has("any") && !doc.has("other"));
    }

    #[test]
    fn errors_point_at_the_failing_node() {
        // An unknown key: the key.
        assert_eq!(
            err("[[item]]\nname = 'a'\n\n[[item]]\nname = 'b'\n  nme = 'c'\n"),
            "line 6, column 3: unknown key `nme`; did you mean `name`?"
        );
        // A wrong type deep in an array: that element.
        assert_eq!(
            err("[[item]]\nname = 'a'\ntags = ['x',\n  'y', 3]\n"),
            "line 4, column 8: invalid type: integer `3`, expected a string"
        );
        // A missing key: the table (its header).
        assert_eq!(
            err("any = 1\n\n[[item]]\ntags = []\n"),
            "line 3, column 1: missing field `name`"
        );
        // A wrong type for a whole field: the value.
        assert_eq!(
            err("item = 'x'\n"),
            "line 1, column 8: invalid type: string \"x\", expected a sequence"
        );
        // A number out of range.
        assert_eq!(
            err("any = [1, 1e400]\n"),
            "line 1, column 11: floating-point number overflowed"
        );
        // Beyond u64 (serde_json's range); toml's deserializer passed up to i128 / u128 on, for
        // a message that depended on the target type.
        assert_eq!(
            err("any = 18446744073709551616\n"),
            "line 1, column 7: integer number overflowed"
        );
        // The first error in serde's order wins over a number that does not fit.
        assert_eq!(
            err("any = 1e400\n[[item]]\nnme = 'a'\n"),
            "line 1, column 7: floating-point number overflowed"
        );
        let e = err("any = 1e400\naaa = 1\n");
        assert!(e.starts_with("line 2, column 1: unknown key `aaa`"), "{e}");
        // A syntax error, as toml reports it.
        assert!(err("item = [\n").starts_with("line 1, column 9: "));
    }

    #[test]
    fn fail_on_is_a_severity_name() {
        use crate::config::Config;
        use crate::findings::Severity;
        // serde's enum reading said "wanted string or table" (toml) or "expected string or map"
        // (JSON), and toml's took `{ high = {} }` for `"high"`.
        for (text, at) in [("3", 11), ("[]", 11), ("{ high = {} }", 11)] {
            let e = Config::from_toml(&format!("as-of = \"2026-11-01\"\nfail-on = {text}\n"))
                .unwrap_err()
                .to_string();
            assert!(
                e.starts_with(&format!("line 2, column {at}: invalid type: "))
                    && e.ends_with(", expected a severity: info, low, medium, high or critical"),
                "{e}"
            );
        }
        let e = Config::from_json(serde_json::json!({ "fail-on": { "high": null } })).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("expected a severity: info, low, medium, high or critical")
        );
        assert_eq!(
            Config::from_toml("fail-on = \"HIGH\"\n")
                .unwrap_err()
                .to_string(),
            "line 1, column 11: unknown variant `HIGH`, expected one of `info`, `low`, `medium`, `high`, `critical`"
        );
        let config = Config::from_json(serde_json::json!({ "fail-on": "high" })).unwrap();
        assert_eq!(config.fail_on, Some(Severity::High));
        assert_eq!(Config::from_toml("").unwrap().fail_on, None);
    }
}

/// The TOML readers against toml's serde deserializer (what they replaced): the same result, the
/// same message and position, for documents made of valid and broken lines.
#[cfg(test)]
mod reference {
    use proptest::prelude::*;
    use serde::Deserialize;

    use crate::config::{Config, ConfigError, with_suggestion};
    use crate::waivers::{self, Waiver, WaiverEntry};

    fn toml_error(text: &str, e: &toml::de::Error) -> ConfigError {
        let (line, column) = e
            .span()
            .map(|s| crate::ingest::line_col(text, s.start))
            .unwrap_or((0, 0));
        ConfigError {
            line,
            column,
            message: with_suggestion(e.message()),
        }
    }

    #[derive(Deserialize)]
    struct WaiverSpans {
        #[serde(default, alias = "waivers")]
        waiver: Vec<toml::Spanned<toml::Value>>,
    }

    fn entry_lines(text: &str) -> Vec<u32> {
        toml::from_str::<WaiverSpans>(text)
            .map(|s| {
                s.waiver
                    .iter()
                    .map(|w| crate::ingest::line_col(text, w.span().start).0)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn config(text: &str) -> Result<Config, ConfigError> {
        let mut config: Config = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        for (entry, line) in config.waivers.iter_mut().zip(entry_lines(text)) {
            entry.line = line;
        }
        config.validate()?;
        Ok(config)
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct WaiversFile {
        #[serde(default, alias = "waivers")]
        waiver: Vec<WaiverEntry>,
    }

    fn waivers_file(text: &str) -> Result<Vec<Waiver>, ConfigError> {
        let parsed: WaiversFile = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        let mut entries = parsed.waiver;
        for (entry, line) in entries.iter_mut().zip(entry_lines(text)) {
            entry.line = line;
        }
        waivers::from_entries(&entries, "w.toml", "[[waiver]]")
    }

    /// Lines of `grantscope.toml`, good and bad; a document is a sequence of them.
    const CONFIG_LINES: &[&str] = &[
        "as-of = \"2026-11-01\"",
        "as-of = \"2026-13-01\"",
        "as-of = 2026-11-01",
        "as-of = 3",
        "as-off = \"2026-11-01\"",
        "fail-on = \"high\"",
        "fail-on = \"hgh\"",
        "fail-on = 3",
        "fail-on = { high = {} }",
        "fail_on = \"high\"",
        "zzz = 1",
        "[rules]",
        "stale-guest = \"off\"",
        "stale-guest = { level = \"high\", options = { max-inactive-days = 60 } }",
        "stale-guest = { level = \"high\", options = { max-inactive-dayz = 60 } }",
        "stale-guest = { options = { max-inactive-days = 1.5e3, x = 2026-01-01T00:00:00Z } }",
        "stale-guest = { level = 1 }",
        "stale-guest = { options = { n = nan, i = -0x7f, m = +inf } }",
        // Beyond u64 but within i128, toml's deserializer gave serde an i128 (an error worded by
        // the target type); an integer TOML cannot even hold as an i128 or u128 is the same error.
        "stale-guest = { options = { big = 999999999999999999999999999999999999999999 } }",
        "stale-guest = { options = { big = 1e999 } }",
        "stale-guestt = \"off\"",
        "GS501 = \"high\"",
        "rules = \"all\"",
        "rules = { }",
        "[[separation-of-duties]]",
        "name = \"payments\"",
        "name = 7",
        "nme = \"payments\"",
        "sides = [[\"Pay-Submit\"], [\"Pay-Approve\"]]",
        "sides = [[\"Pay-Submit\"], [\"Pay-Approve\", 3]]",
        "sides = [\"Pay-Submit\", \"Pay-Approve\"]",
        "sides = [[\"a\"]]",
        "separation-of-duties = [{ name = \"x\", sides = [[\"a\"], [\"b\"]] }, { name = \"y\" }]",
        "separation-of-duties = \"none\"",
        "[privileged-resources]",
        "match = [\"Finance\", \"HR\"]",
        "match = [\"Finance\", true]",
        "matches = [\"Finance\"]",
        "privileged-resources = { match = \"Finance\" }",
        "privileged-resources = [[\"Finance\"]]",
        "privileged-resources = 1",
        "[[waivers]]",
        "rule = \"GS501\"",
        "subject = \"user:u1\"",
        "reason = \"r\"",
        "owner = \"o\"",
        "expires = 2027-01-01",
        "expires = \"2027-01-01\"",
        "expires = 2027-01-01T10:00:00",
        "expires = 20270101",
        "subjct = \"user:u1\"",
        "waivers = [{ fingerprint = \"00000000000000000000000000000000\", reason = \"r\", owner = \"o\", expires = 2027-01-01 }]",
        "waiver = []",
        "[table]",
        "  ",
        "# a comment",
        "x = [",
        "a = 'unterminated",
    ];

    /// Lines of `grantscope-waivers.toml`.
    const WAIVER_LINES: &[&str] = &[
        "[[waiver]]",
        "[[waivers]]",
        "[[waivr]]",
        "fingerprint = \"3ED48F00AAAABBBBCCCCDDDDEEEEFFFF\"",
        "fingerprint = 3",
        "rule = \"stale-guest\"",
        "rule = \"GS999\"",
        "rule = [\"GS501\"]",
        "subject = \"user:u1\"",
        "subject = \"usr:u1\"",
        "subjct = \"user:u1\"",
        "reason = \"r\"",
        "reason = { text = \"r\" }",
        "owner = \"o\"",
        "expires = 2027-01-01",
        "expires = \"2027-02-30\"",
        "expires = 10:00:00",
        "expires = [2027-01-01]",
        "waiver = [{ rule = \"GS501\", subject = \"u\", reason = \"r\", owner = \"o\", expires = 2027-01-01 }]",
        "waiver = 1",
        "",
        "x = 1",
        "reason = \"dup\"",
    ];

    fn document(lines: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(lines), 0..14).prop_map(|picked| {
            picked.iter().fold(String::new(), |mut text, line| {
                text.push_str(line);
                text.push('\n');
                text
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn configurations_read_as_toml_serde_read_them(text in document(CONFIG_LINES)) {
            prop_assert_eq!(Config::from_toml(&text), config(&text), "{}", text);
        }

        #[test]
        fn waiver_files_read_as_toml_serde_read_them(text in document(WAIVER_LINES)) {
            prop_assert_eq!(waivers::from_toml(&text, "w.toml"), waivers_file(&text), "{}", text);
        }
    }
}
