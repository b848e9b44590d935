//! Splits a JSON document into its items without building a generic tree: a Graph `value`
//! envelope, a bare array or a single object. Each item stays a borrowed [`RawValue`] slice of the
//! file's text, so we know the line it starts on (for SARIF and error messages) and pay for one
//! typed parse per item, not two.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::report::LoadError;
use super::text::{line_col, to_u32};

/// One object of a document, still unparsed.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    pub(crate) raw: &'a RawValue,
    /// 1-based line on which the item starts.
    pub(crate) line: u32,
    pub(crate) column: u32,
    /// JSON pointer of the item (`/value/3`, `/3` or the empty string).
    pub(crate) pointer: String,
    /// JSONPath prefix used in error messages (`$.value[3]`).
    pub(crate) path: String,
}

/// A parsed document: the `@odata.context` of its envelope (if any) plus its items, whether it
/// was a `value` envelope, a bare array or a single object.
#[derive(Debug)]
pub(crate) struct Document<'a> {
    pub(crate) context: Option<String>,
    pub(crate) items: Vec<Item<'a>>,
}

type TopObject<'a> = BTreeMap<Cow<'a, str>, &'a RawValue>;

/// Splits `text` into items. Syntax errors name the line, column and JSON path.
pub(crate) fn split<'a>(file: &str, text: &'a str) -> Result<Document<'a>, LoadError> {
    let trimmed = text.trim_start();
    match trimmed.as_bytes().first() {
        None => Err(LoadError::new(
            file,
            "the file is empty: expected a JSON object or array",
        )),
        Some(b'[') => {
            let raws: Vec<&RawValue> =
                serde_json::from_str(text).map_err(|e| syntax_error(file, text, &e))?;
            let items = locate(text, &raws, "", "$");
            Ok(Document {
                context: None,
                items,
            })
        }
        Some(b'{') => {
            let top: TopObject<'a> =
                serde_json::from_str(text).map_err(|e| syntax_error(file, text, &e))?;
            let context = top
                .get("@odata.context")
                .and_then(|v| serde_json::from_str::<String>(v.get()).ok());
            match top.get("value") {
                Some(value) if value.get().trim_start().starts_with('[') => {
                    let raws: Vec<&RawValue> = serde_json::from_str(value.get())
                        .map_err(|e| syntax_error(file, text, &e))?;
                    let items = locate(text, &raws, "/value", "$.value");
                    Ok(Document { context, items })
                }
                _ => {
                    let raw: &RawValue =
                        serde_json::from_str(text).map_err(|e| syntax_error(file, text, &e))?;
                    let offset = offset_in(text, raw.get());
                    let (line, column) = line_col(text, offset);
                    Ok(Document {
                        context,
                        items: vec![Item {
                            raw,
                            line,
                            column,
                            pointer: String::new(),
                            path: "$".to_owned(),
                        }],
                    })
                }
            }
        }
        Some(_) => {
            let (line, column) = line_col(text, text.len() - trimmed.len());
            Err(LoadError::new(
                file,
                "not JSON: expected a JSON object (a Graph response) or array",
            )
            .at(line, column))
        }
    }
}

/// Computes line numbers for items in one forward pass over the text (linear, not quadratic).
fn locate<'a>(text: &str, raws: &[&'a RawValue], pointer: &str, path: &str) -> Vec<Item<'a>> {
    let bytes = text.as_bytes();
    let mut items = Vec::with_capacity(raws.len());
    let (mut pos, mut line, mut line_start) = (0usize, 1u32, 0usize);
    for (i, raw) in raws.iter().enumerate() {
        let offset = offset_in(text, raw.get());
        for (k, b) in bytes[pos..offset].iter().enumerate() {
            if *b == b'\n' {
                line = line.saturating_add(1);
                line_start = pos + k + 1;
            }
        }
        pos = offset;
        let column = to_u32(text[line_start..offset].chars().count() + 1);
        items.push(Item {
            raw,
            line,
            column,
            pointer: format!("{pointer}/{i}"),
            path: format!("{path}[{i}]"),
        });
    }
    items
}

/// Where `inner` (a slice of `outer`) starts in `outer`.
fn offset_in(outer: &str, inner: &str) -> usize {
    (inner.as_ptr() as usize)
        .saturating_sub(outer.as_ptr() as usize)
        .min(outer.len())
}

/// Turns a serde_json syntax error into a LoadError with the JSON path of the failing place,
/// found by re-reading the document (only on this error path) with a path-tracking parser.
fn syntax_error(file: &str, text: &str, err: &serde_json::Error) -> LoadError {
    let mut message = describe(err);
    if message == "key must be a string" && before_error(text, err) == Some(',') {
        message = "trailing comma: JSON does not allow a `,` before `}` (remove it)".to_owned();
    }
    let mut out = LoadError::new(file, message).at(to_u32(err.line()), to_u32(err.column()));
    let mut de = serde_json::Deserializer::from_str(text);
    if let Err(e) = serde_path_to_error::deserialize::<_, serde_json::Value>(&mut de) {
        let path = e.path().to_string();
        if path != "." {
            out = out.with_path(jsonpath("$", &path));
        }
    }
    out
}

/// The last non-blank character before the error position.
fn before_error(text: &str, err: &serde_json::Error) -> Option<char> {
    let line = text.lines().nth(err.line().checked_sub(1)?)?;
    let upto: String = line.chars().take(err.column().saturating_sub(1)).collect();
    upto.trim_end().chars().last().or_else(|| {
        text.lines()
            .take(err.line().saturating_sub(1))
            .last()
            .and_then(|l| l.trim_end().chars().last())
    })
}

/// serde_json's message without its trailing " at line X column Y" (we print those ourselves).
pub(crate) fn describe(err: &serde_json::Error) -> String {
    let msg = err.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    }
}

/// Joins a JSONPath prefix and a serde_path_to_error path (`a.b[2].c`).
pub(crate) fn jsonpath(prefix: &str, path: &str) -> String {
    // serde_path_to_error writes `?` for a key it could not read yet.
    let path = path
        .strip_suffix(".?")
        .or_else(|| (path == "?").then_some(""))
        .unwrap_or(path);
    if path.is_empty() || path == "." {
        prefix.to_owned()
    } else if path.starts_with('[') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}.{path}")
    }
}

/// Parses one item into a typed wire struct; errors carry the absolute line/column and the
/// JSON path of the failing field.
pub(crate) fn parse_item<T: DeserializeOwned>(file: &str, item: &Item<'_>) -> Result<T, LoadError> {
    let mut de = serde_json::Deserializer::from_str(item.raw.get());
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = jsonpath(&item.path, &e.path().to_string());
        let inner = e.into_inner();
        // Translate the item-relative position into a file position.
        let (line, column) = if inner.line() == 0 {
            (item.line, item.column)
        } else {
            let line = item.line + to_u32(inner.line()) - 1;
            let column = if inner.line() == 1 {
                item.column + to_u32(inner.column()) - 1
            } else {
                to_u32(inner.column())
            };
            (line, column)
        };
        LoadError::new(file, describe(&inner))
            .at(line, column)
            .with_path(path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_items_know_their_lines() {
        let text = "{\n \"@odata.context\": \"x\",\n \"value\": [\n  {\"id\": \"a\"},\n\n  {\"id\": \"b\"}\n ]\n}";
        let doc = split("f.json", text).unwrap();
        assert_eq!(doc.context.as_deref(), Some("x"));
        let lines: Vec<_> = doc
            .items
            .iter()
            .map(|i| (i.line, i.pointer.as_str()))
            .collect();
        assert_eq!(lines, [(4, "/value/0"), (6, "/value/1")]);
    }

    #[test]
    fn truncated_json_names_line_and_path() {
        let text = "{\"value\": [\n {\"id\": \"a\"},\n {\"id\": ";
        let err = split("t.json", text).unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.path.as_deref(), Some("$.value[1].id"));
        assert!(err.message.contains("EOF"), "{err}");
    }

    #[test]
    fn type_error_has_absolute_position() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct W {
            flag: bool,
        }
        let text = "[\n {\"flag\": true},\n {\n  \"flag\": 3\n }\n]";
        let doc = split("w.json", text).unwrap();
        let err = parse_item::<W>("w.json", &doc.items[1]).unwrap_err();
        assert_eq!((err.line, err.path.as_deref()), (4, Some("$[1].flag")));
        assert!(err.message.contains("expected a boolean"), "{err}");
    }
}
