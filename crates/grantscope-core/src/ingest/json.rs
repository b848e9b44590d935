//! Splits a JSON document into its items without building a generic tree: a Graph `value`
//! envelope, a bare array or a single object. Each item stays a borrowed [`RawValue`] slice of the
//! file's text, so we know the line it starts on (for SARIF and error messages) and pay for one
//! typed parse per item, not two.
//!
//! Hostile documents are refused before anything is built from them: nesting deeper than
//! [`Limits::max_json_depth`] (one linear scan, no recursion), more items than
//! [`Limits::max_items_per_file`] (counted while the array is read). Skipping a value never
//! recurses (serde_json ignores values iteratively), and an item costs a fixed few dozen bytes
//! besides its text: its JSON pointer and path are written only when asked for.

use std::borrow::Cow;
use std::fmt::{self, Write as _};

use serde::de::{
    self, DeserializeSeed, Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::value::RawValue;

use super::Limits;
use super::report::LoadError;
use super::text::{line_col, to_u32};

/// One object of a document, still unparsed.
#[derive(Debug, Clone)]
pub(crate) struct Item<'a> {
    pub(crate) raw: &'a RawValue,
    /// 1-based line on which the item starts.
    pub(crate) line: u32,
    /// The text between the start of that line and the item: its column is counted from this
    /// only when an error needs it (counting characters for every item cost a pass over the file).
    line_prefix: &'a str,
    /// Where the item sits: `value[i]` of an envelope, `[i]` of a bare array, or the document.
    place: Place,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Envelope(usize),
    Array(usize),
    Document,
}

impl Item<'_> {
    /// 1-based column (in characters) at which the item starts.
    pub(crate) fn column(&self) -> u32 {
        to_u32(self.line_prefix.chars().count() + 1)
    }

    /// JSON pointer of the item (`/value/3`, `/3` or the empty string).
    pub(crate) fn pointer(&self) -> String {
        match self.place {
            Place::Envelope(i) => format!("/value/{i}"),
            Place::Array(i) => format!("/{i}"),
            Place::Document => String::new(),
        }
    }

    /// JSONPath prefix used in error messages (`$.value[3]`, `$[3]` or `$`).
    pub(crate) fn path(&self) -> String {
        match self.place {
            Place::Envelope(i) => format!("$.value[{i}]"),
            Place::Array(i) => format!("$[{i}]"),
            Place::Document => "$".to_owned(),
        }
    }
}

/// A parsed document: the `@odata.context` of its envelope (if any) plus its items, whether it
/// was a `value` envelope, a bare array or a single object.
#[derive(Debug)]
pub(crate) struct Document<'a> {
    pub(crate) context: Option<String>,
    pub(crate) items: Vec<Item<'a>>,
}

/// Splits `text` into items. Syntax errors name the line, column and JSON path; documents
/// nested deeper than `limits.max_json_depth`, or with more than `limits.max_items_per_file`
/// items, are refused with an error that says so.
pub(crate) fn split<'a>(
    file: &str,
    text: &'a str,
    limits: &Limits,
) -> Result<Document<'a>, LoadError> {
    let trimmed = text.trim_start();
    let first = trimmed.as_bytes().first().copied();
    if matches!(first, Some(b'[' | b'{')) {
        check_depth(file, text, limits.max_json_depth)?;
    }
    match first {
        None => Err(LoadError::new(
            file,
            "the file is empty: expected a JSON object or array",
        )),
        Some(b'[') => {
            let raws = bounded_array(file, text, limits.max_items_per_file)?;
            let items = locate(text, &raws, Place::Array);
            Ok(Document {
                context: None,
                items,
            })
        }
        Some(b'{') => {
            // One pass over the document: the envelope's `value` array is split into its raw
            // items while the envelope is read.
            let mut de = serde_json::Deserializer::from_str(text);
            let top = (&mut de)
                .deserialize_map(TopVisitor {
                    max: limits.max_items_per_file,
                })
                .and_then(|top| de.end().map(|()| top))
                .map_err(|e| {
                    if e.is_data() {
                        // Only the item count can fail this way.
                        LoadError::new(file, describe(&e))
                            .at(to_u32(e.line()), to_u32(e.column()))
                            .with_path("$.value".to_owned())
                    } else {
                        syntax_error(file, text, &e)
                    }
                })?;
            let context = top
                .context
                .and_then(|v| serde_json::from_str::<String>(v.get()).ok());
            match top.value {
                Some(TopValue::Array(raws)) => {
                    let items = locate(text, &raws, Place::Envelope);
                    Ok(Document { context, items })
                }
                _ => {
                    let raw: &RawValue =
                        serde_json::from_str(text).map_err(|e| syntax_error(file, text, &e))?;
                    let items = locate(text, &[raw], |_| Place::Document);
                    Ok(Document { context, items })
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

/// The two members of a top-level object that ingestion reads; every other member is skipped
/// without being kept (a document with millions of keys costs no memory). A repeated key keeps
/// its last value, as a map would.
struct Top<'a> {
    context: Option<&'a RawValue>,
    value: Option<TopValue<'a>>,
}

/// The `value` member: the raw items of an array, or something else (then the document is read
/// as one object).
enum TopValue<'a> {
    Array(Vec<&'a RawValue>),
    Other,
}

struct TopVisitor {
    max: usize,
}

impl<'de> Visitor<'de> for TopVisitor {
    type Value = Top<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top<'de>, A::Error> {
        let mut top = Top {
            context: None,
            value: None,
        };
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "@odata.context" => top.context = Some(map.next_value()?),
                "value" => top.value = Some(map.next_value_seed(ValueSeed { max: self.max })?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(top)
    }
}

/// Reads the `value` member: an array into its raw items (at most `max`), anything else skipped.
struct ValueSeed {
    max: usize,
}

impl<'de> DeserializeSeed<'de> for ValueSeed {
    type Value = TopValue<'de>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed {
    type Value = TopValue<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Bounded { max: self.max }
            .visit_seq(seq)
            .map(TopValue::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_map(map).map(|_| TopValue::Other)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(TopValue::Other)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(TopValue::Other)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(TopValue::Other)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(TopValue::Other)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(TopValue::Other)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(TopValue::Other)
    }
}

/// Reads the bare JSON array `text` into its raw elements, refusing more than `max` of them
/// before they are all held in memory.
fn bounded_array<'a>(
    file: &str,
    text: &'a str,
    max: usize,
) -> Result<Vec<&'a RawValue>, LoadError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let result = (&mut de)
        .deserialize_seq(Bounded { max })
        .and_then(|raws| de.end().map(|()| raws));
    result.map_err(|e| {
        if e.is_data() {
            // Only the count can fail this way.
            LoadError::new(file, describe(&e))
                .at(to_u32(e.line()), to_u32(e.column()))
                .with_path("$".to_owned())
        } else {
            syntax_error(file, text, &e)
        }
    })
}

/// Collects the elements of a sequence, up to `max`.
struct Bounded {
    max: usize,
}

impl<'de> Visitor<'de> for Bounded {
    type Value = Vec<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut raws = Vec::new();
        while let Some(raw) = seq.next_element::<&'de RawValue>()? {
            if raws.len() == self.max {
                return Err(de::Error::custom(format!(
                    "the file holds more than {} items, the limit per file; Graph returns at \
                     most 999 per response page: save one file per page",
                    self.max
                )));
            }
            raws.push(raw);
        }
        Ok(raws)
    }
}

/// Moves an error position inside a slice that starts at (`line`, `column`) of the file to a
/// file position.
fn shift(line: u32, column: u32, err: &serde_json::Error) -> (u32, u32) {
    if err.line() == 0 {
        (line, column)
    } else if err.line() == 1 {
        (
            line,
            column
                .saturating_add(to_u32(err.column()))
                .saturating_sub(1),
        )
    } else {
        (
            line.saturating_add(to_u32(err.line())).saturating_sub(1),
            to_u32(err.column()),
        )
    }
}

/// Refuses a document whose brackets nest deeper than `max`, naming the line, column and the
/// path of the place (its first levels), in one pass over the bytes that never recurses. Runs
/// before any parse, so nothing deeper is ever handed to serde_json (whose own limit is 128).
fn check_depth(file: &str, text: &str, max: u32) -> Result<(), LoadError> {
    let Some(at) = too_deep(text.as_bytes(), max) else {
        return Ok(());
    };
    let (line, column) = line_col(text, at.offset);
    let mut err = LoadError::new(
        file,
        format!(
            "the JSON is nested more than {max} levels deep, the limit: a Graph response \
             nests no more than about ten, so this is not an export (or it is damaged)"
        ),
    )
    .at(line, column);
    if let Some(path) = at.path(text) {
        err = err.with_path(path);
    }
    Err(err)
}

/// How many outer levels [`too_deep`] remembers to name the place.
const PATH_LEVELS: usize = 3;

/// Where nesting went too deep: the byte offset of the bracket, and the outer levels around it.
#[derive(Debug)]
struct DeepAt {
    offset: usize,
    frames: Vec<Frame>,
}

/// One open container among the outer levels: an array's current index, or an object's current
/// key (its byte range in the text, quotes excluded).
#[derive(Debug, Clone)]
enum Frame {
    Array(usize),
    Object {
        key: Option<(usize, usize)>,
        expect_key: bool,
    },
}

impl DeepAt {
    fn path(&self, text: &str) -> Option<String> {
        let mut path = String::from("$");
        for frame in &self.frames {
            match frame {
                Frame::Array(i) => {
                    let _ = write!(path, "[{i}]");
                }
                Frame::Object {
                    key: Some((a, b)), ..
                } => {
                    let raw = text.get(a.saturating_sub(1)..b.saturating_add(1))?;
                    let key: String = serde_json::from_str(raw).ok()?;
                    if !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_') {
                        path.push('.');
                        path.push_str(&key);
                    } else {
                        let _ = write!(path, "[{}]", serde_json::to_string(&key).ok()?);
                    }
                }
                Frame::Object { key: None, .. } => break,
            }
        }
        Some(path)
    }
}

/// The first `[` or `{` that opens level `max + 1`, ignoring brackets inside strings. Malformed
/// text is scanned as well as it can be (the parser reports its errors afterwards).
fn too_deep(bytes: &[u8], max: u32) -> Option<DeepAt> {
    let mut depth: u32 = 0;
    let mut frames: Vec<Frame> = Vec::with_capacity(PATH_LEVELS);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                // Jump over the string (most of a Graph file) to its closing quote with memchr,
                // stepping over escapes.
                let string_start = i + 1;
                let mut j = string_start;
                let end = loop {
                    match memchr::memchr2(b'"', b'\\', bytes.get(j..).unwrap_or_default()) {
                        Some(k) if bytes.get(j + k) == Some(&b'\\') => j += k + 2,
                        Some(k) => break Some(j + k),
                        None => break None,
                    }
                };
                let end = end?;
                if depth as usize == frames.len()
                    && let Some(Frame::Object { key, expect_key }) = frames.last_mut()
                    && *expect_key
                {
                    *key = Some((string_start, end));
                    *expect_key = false;
                }
                i = end;
            }
            b'[' | b'{' => {
                if depth >= max {
                    return Some(DeepAt { offset: i, frames });
                }
                depth += 1;
                if frames.len() < PATH_LEVELS && depth as usize == frames.len() + 1 {
                    frames.push(if b == b'[' {
                        Frame::Array(0)
                    } else {
                        Frame::Object {
                            key: None,
                            expect_key: true,
                        }
                    });
                }
            }
            b']' | b'}' => {
                if depth as usize == frames.len() {
                    frames.pop();
                }
                depth = depth.saturating_sub(1);
            }
            b',' if depth as usize == frames.len() => match frames.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    None
}

/// Finds the line of each item in one forward pass over the text (newlines found with memchr):
/// linear, however many items share a line (Graph writes a whole page on one line). Columns are
/// counted later, only for an item that needs one.
fn locate<'a>(text: &'a str, raws: &[&'a RawValue], place: fn(usize) -> Place) -> Vec<Item<'a>> {
    let bytes = text.as_bytes();
    let mut items = Vec::with_capacity(raws.len());
    // `line_start` is the byte offset of the start of line `line`, which holds byte `pos`.
    let (mut pos, mut line, mut line_start) = (0usize, 1u32, 0usize);
    for (i, raw) in raws.iter().enumerate() {
        let offset = offset_in(text, raw.get()).max(pos);
        let skipped = bytes.get(pos..offset).unwrap_or_default();
        for nl in memchr::memchr_iter(b'\n', skipped) {
            line = line.saturating_add(1);
            line_start = pos + nl + 1;
        }
        pos = offset;
        items.push(Item {
            raw,
            line,
            line_prefix: text.get(line_start..offset).unwrap_or_default(),
            place: place(i),
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
    if let Err(e) = serde_path_to_error::deserialize::<_, Skip>(&mut de) {
        let path = e.path().to_string();
        if path != "." {
            out = out.with_path(jsonpath("$", &path));
        }
    }
    out
}

/// Any JSON value, read and thrown away: what the path-tracking re-read of a document with a
/// syntax error parses into, so that it keeps nothing in memory, however large the document.
struct Skip;

impl<'de> de::Deserialize<'de> for Skip {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SkipVisitor)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Skip, A::Error> {
        while map.next_key::<Skip>()?.is_some() {
            map.next_value::<Skip>()?;
        }
        Ok(Skip)
    }
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
/// JSON path of the failing field. The path is tracked only on a second read after an error:
/// tracking it on every read allocated a string per key.
pub(crate) fn parse_item<'a, T: de::Deserialize<'a>>(
    file: &str,
    item: &Item<'a>,
) -> Result<T, LoadError> {
    let mut de = serde_json::Deserializer::from_str(item.raw.get());
    if let Ok(value) = T::deserialize(&mut de) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(item.raw.get());
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(value) => Ok(value),
        Err(e) => {
            let path = jsonpath(&item.path(), &e.path().to_string());
            let inner = e.into_inner();
            // Translate the item-relative position into a file position.
            let (line, column) = shift(item.line, item.column(), &inner);
            Err(LoadError::new(file, describe(&inner))
                .at(line, column)
                .with_path(path))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_items_know_their_lines() {
        let text = "{\n \"@odata.context\": \"x\",\n \"value\": [\n  {\"id\": \"a\"},\n\n  {\"id\": \"b\"}\n ]\n}";
        let doc = split("f.json", text, &Limits::default()).unwrap();
        assert_eq!(doc.context.as_deref(), Some("x"));
        let lines: Vec<_> = doc.items.iter().map(|i| (i.line, i.pointer())).collect();
        assert_eq!(
            lines,
            [(4, "/value/0".to_owned()), (6, "/value/1".to_owned())]
        );
    }

    #[test]
    fn truncated_json_names_line_and_path() {
        let text = "{\"value\": [\n {\"id\": \"a\"},\n {\"id\": ";
        let err = split("t.json", text, &Limits::default()).unwrap_err();
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
        let doc = split("w.json", text, &Limits::default()).unwrap();
        let err = parse_item::<W>("w.json", &doc.items[1]).unwrap_err();
        assert_eq!((err.line, err.path.as_deref()), (4, Some("$[1].flag")));
        assert!(err.message.contains("expected a boolean"), "{err}");
    }

    fn limits(depth: u32, items: usize) -> Limits {
        Limits {
            max_json_depth: depth,
            max_items_per_file: items,
            ..Limits::default()
        }
    }

    #[test]
    fn items_on_one_line_have_their_columns() {
        // Graph writes a page on one line; columns count characters, not bytes.
        let text = "{\"value\":[{\"n\":\"é\"},{\"n\":\"名前\"},\n  {\"n\":1},{}]}";
        let doc = split("f.json", text, &Limits::default()).unwrap();
        let places: Vec<_> = doc
            .items
            .iter()
            .map(|i| (i.line, i.column(), i.path()))
            .collect();
        assert_eq!(
            places,
            [
                (1, 11, "$.value[0]".to_owned()),
                (1, 21, "$.value[1]".to_owned()),
                (2, 3, "$.value[2]".to_owned()),
                (2, 11, "$.value[3]".to_owned()),
            ]
        );
        let bare = split("b.json", "[{}, {}]", &Limits::default()).unwrap();
        assert_eq!(
            (bare.items[1].pointer(), bare.items[1].path()),
            ("/1".to_owned(), "$[1]".to_owned())
        );
        let single = split("s.json", " {\"id\": 1}", &Limits::default()).unwrap();
        assert_eq!(
            (single.items[0].pointer(), single.items[0].path()),
            (String::new(), "$".to_owned())
        );
    }

    #[test]
    fn many_items_on_one_line_are_located_in_linear_time() {
        // 200,000 items on one line: quadratic column counting would take minutes.
        let text = format!("[{}{{}}]", "{},".repeat(199_999));
        let doc = split("big.json", &text, &Limits::default()).unwrap();
        assert_eq!(doc.items.len(), 200_000);
        assert_eq!(doc.items[199_999].column(), 599_999);
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused_with_its_place() {
        let deep = |n: usize| {
            format!(
                "{{\"value\": [{{\"id\": \"a\", \"x\": {}1{}}}]}}",
                "[".repeat(n),
                "]".repeat(n)
            )
        };
        // The document, the envelope's array and the item take three levels.
        assert!(split("ok.json", &deep(125), &Limits::default()).is_ok());
        let err = split("deep.json", &deep(126), &Limits::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "deep.json:1:154: at $.value[0].x: the JSON is nested more than 128 levels deep, \
             the limit: a Graph response nests no more than about ten, so this is not an export \
             (or it is damaged)"
        );
        // 100,000 levels: refused in one pass, no recursion.
        let err = split("d.json", &deep(100_000), &Limits::default()).unwrap_err();
        assert!(err.message.contains("more than 128 levels"), "{err}");
        let err = split("d.json", &"[".repeat(100_000), &Limits::default()).unwrap_err();
        assert_eq!(
            (err.line, err.column, err.path.as_deref()),
            (1, 129, Some("$[0][0][0]"))
        );
        // Brackets in strings and escaped quotes do not count; odd keys are quoted in the path.
        let text = "{\"a \\\"b\": [[[\"[[[[\\\"[[\"]]]}";
        assert!(split("s.json", text, &limits(4, 10)).is_ok());
        let err = split("s.json", text, &limits(3, 10)).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("$[\"a \\\"b\"][0][0]"));
        // A bare array with a deep second item.
        let err = split("a.json", "[{}, [[[1]]]]", &limits(3, 10)).unwrap_err();
        assert_eq!((err.column, err.path.as_deref()), (8, Some("$[1][0][0]")));
    }

    #[test]
    fn more_items_than_the_limit_are_refused() {
        let err = split("u.json", "{\"value\": [\n{}, {}, {}, {}]}", &limits(128, 3)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "u.json:2:15: at $.value: the file holds more than 3 items, the limit per file; Graph \
             returns at most 999 per response page: save one file per page"
        );
        let err = split("a.json", "[1, 2, 3, 4]", &limits(128, 3)).unwrap_err();
        assert_eq!(
            (err.line, err.column, err.path.as_deref()),
            (1, 12, Some("$"))
        );
        assert_eq!(
            split("a.json", "[1, 2, 3]", &limits(128, 3))
                .unwrap()
                .items
                .len(),
            3
        );
    }

    #[test]
    fn top_level_members_other_than_value_are_not_kept() {
        let text = "{\"a\": [[[]]], \"@odata.context\": 1, \"value\": [{}], \"b\": {\"c\": 2}, \"@odata.context\": \"ctx\"}";
        let doc = split("t.json", text, &Limits::default()).unwrap();
        assert_eq!((doc.context.as_deref(), doc.items.len()), (Some("ctx"), 1));
        // A syntax error after a large prefix still gets its path, from a re-read that keeps nothing.
        let text = format!(
            "{{\"value\": [{}{{\"id\": tru}}]}}",
            "{\"id\": 1},".repeat(50_000)
        );
        let err = split("t.json", &text, &Limits::default()).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("$.value[50000].id"));
    }
}
