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
    let scan = walk(
        text.as_bytes(),
        &Walk {
            max_depth: max,
            keep: PATH_LEVELS,
            until: usize::MAX,
            strict: false,
        },
    );
    if scan.stop != Stop::Deep {
        return Ok(());
    }
    let (line, column) = line_col(text, scan.offset);
    let mut err = LoadError::new(
        file,
        format!(
            "the JSON is nested more than {max} levels deep, the limit: a Graph response \
             nests no more than about ten, so this is not an export (or it is damaged)"
        ),
    )
    .at(line, column);
    if let Some(path) = jsonpath_of(text, &scan.frames, false) {
        err = err.with_path(path);
    }
    Err(err)
}

/// How many outer levels [`check_depth`] remembers to name the place.
const PATH_LEVELS: usize = 3;

/// One open container met by [`walk`]: an array's current index or an object's current key (its
/// byte range in the text, quotes excluded), and how far its current member has got.
#[derive(Debug, Clone, Copy)]
struct Frame {
    kind: Kind,
    step: Step,
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Array(usize),
    Object(Option<(usize, usize)>),
}

/// Where a container's current member stands; a path names the member only from `Value` on,
/// as serde_path_to_error did (a key whose `:` is unread, or an element after a `,` not yet
/// begun, is not the place of the error: the container is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Just opened: a first member or the closing bracket comes next.
    Open,
    /// After a `,`: a member comes next.
    Comma,
    /// An object's key is read, its `:` is not.
    Key,
    /// The member's value is being read: an object's `:` is read, or an array element began.
    Value,
    /// The member's value is complete: a `,` or the closing bracket comes next.
    After,
}

/// Why [`walk`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// At a bracket opening a level deeper than allowed.
    Deep,
    /// At the `until` offset.
    Until,
    /// At the end of the text.
    End,
    /// At text that breaks JSON's grammar (strict walks only): the parser fails there.
    Malformed,
    /// After the top-level value (strict walks only): what follows is no member of it.
    Done,
}

struct Walk {
    max_depth: u32,
    /// How many outer levels to keep frames for (deeper ones are only counted).
    keep: usize,
    until: usize,
    /// Follow JSON's grammar token by token and stop at the first break (to find where a parser
    /// stands at an error); otherwise only brackets, strings, keys and commas are followed, as
    /// well as malformed text allows (the depth check, which runs before any parse).
    strict: bool,
}

struct Scan {
    offset: usize,
    frames: Vec<Frame>,
    stop: Stop,
}

/// One linear pass over `bytes` (strings skipped with memchr, no recursion) that tracks the open
/// containers up to `w.until`, the first bracket deeper than `w.max_depth`, or (strict) the first
/// break of the grammar, with the token rules of serde_json so that a strict walk stops where
/// serde_json does.
fn walk(bytes: &[u8], w: &Walk) -> Scan {
    let mut depth: u32 = 0;
    let mut frames: Vec<Frame> = Vec::new();
    let mut root_done = false;
    let mut i = 0;
    let stop = loop {
        let Some(&b) = bytes.get(i) else {
            break Stop::End;
        };
        if i >= w.until {
            break Stop::Until;
        }
        let skip = if w.strict {
            matches!(b, b' ' | b'\t' | b'\n' | b'\r')
        } else {
            // The lenient walk runs on every file: only structure matters to it.
            !matches!(b, b'"' | b'[' | b']' | b'{' | b'}' | b',' | b':')
        };
        if skip {
            i += 1;
            continue;
        }
        let tracked = depth as usize == frames.len();
        let top = if tracked { frames.last_mut() } else { None };
        // Whether the next token is a value (strict walks only).
        let wants_value = w.strict
            && match top.as_ref().map(|f| (f.kind, f.step)) {
                Some(
                    (Kind::Array(_), Step::Open | Step::Comma) | (Kind::Object(_), Step::Value),
                ) => true,
                Some(_) => false,
                None => !root_done,
            };
        if w.strict && root_done {
            break Stop::Done;
        }
        match b {
            b'"' => {
                // Jump over the string (most of a Graph file) to its closing quote with memchr,
                // stepping over escapes.
                let start = i + 1;
                let mut j = start;
                let close = loop {
                    match memchr::memchr2(b'"', b'\\', bytes.get(j..).unwrap_or_default()) {
                        Some(k) if bytes.get(j + k) == Some(&b'\\') => j += k + 2,
                        Some(k) => break Some(j + k),
                        None => break None,
                    }
                };
                let close = match close {
                    Some(c) if !w.strict || c < w.until => c,
                    // The parser stopped inside the string: a key is not read yet, a value is.
                    _ if !w.strict => break Stop::End,
                    _ if wants_value => {
                        if let Some(f) = top {
                            f.step = Step::Value;
                        }
                        break Stop::Until;
                    }
                    _ => break broken(top),
                };
                match top {
                    Some(f)
                        if matches!(f.step, Step::Open | Step::Comma)
                            && matches!(f.kind, Kind::Object(_)) =>
                    {
                        f.kind = Kind::Object(Some((start, close)));
                        f.step = Step::Key;
                    }
                    Some(f) if wants_value || !w.strict => f.step = Step::After,
                    None if wants_value => root_done = true,
                    _ if w.strict => break broken(frames.last_mut()),
                    _ => {}
                }
                i = close;
            }
            b'[' | b'{' => {
                if w.strict && !wants_value {
                    break broken(top);
                }
                if let Some(f) = top {
                    f.step = Step::Value;
                }
                if depth >= w.max_depth {
                    break Stop::Deep;
                }
                depth += 1;
                if tracked && frames.len() < w.keep {
                    frames.push(Frame {
                        kind: if b == b'[' {
                            Kind::Array(0)
                        } else {
                            Kind::Object(None)
                        },
                        step: Step::Open,
                    });
                }
            }
            b']' | b'}' => {
                if w.strict {
                    let closes = match top.as_ref().map(|f| (f.kind, f.step)) {
                        Some((Kind::Array(_), Step::Open | Step::After)) => b == b']',
                        Some((Kind::Object(_), Step::Open | Step::After)) => b == b'}',
                        _ => false,
                    };
                    if !closes {
                        // A bracket where an array element may begin is that element (serde_json
                        // reads it as a value and fails), except a `]` after a `,` (a trailing
                        // comma); after a complete member it is the container's error.
                        if let Some(f) = top.filter(|f| {
                            matches!(f.kind, Kind::Array(_))
                                && (f.step == Step::Open || (f.step == Step::Comma && b == b'}'))
                        }) {
                            f.step = Step::Value;
                            break Stop::Malformed;
                        }
                        break broken(frames.last_mut());
                    }
                }
                if tracked {
                    frames.pop();
                }
                depth = depth.saturating_sub(1);
                if depth as usize == frames.len() {
                    match frames.last_mut() {
                        Some(f) => f.step = Step::After,
                        None => root_done = true,
                    }
                }
            }
            b',' if !wants_value || !w.strict => {
                if let Some(f) = top {
                    match (&mut f.kind, f.step) {
                        (Kind::Array(n), Step::After) => {
                            *n += 1;
                            f.step = Step::Comma;
                        }
                        (Kind::Object(_), Step::After) => f.step = Step::Comma,
                        (Kind::Array(n), _) if !w.strict => {
                            *n += 1;
                            f.step = Step::Comma;
                        }
                        (Kind::Object(_), _) if !w.strict => f.step = Step::Comma,
                        _ => break broken(Some(f)),
                    }
                }
            }
            b':' if !wants_value || !w.strict => {
                if let Some(f) = top.filter(|f| f.step == Step::Key) {
                    f.step = Step::Value;
                } else if w.strict {
                    break broken(frames.last_mut());
                }
            }
            _ if w.strict => {
                // A scalar, with serde_json's token rules; anything else fails as a value.
                if !wants_value {
                    break broken(top);
                }
                let end = scalar_end(bytes, i);
                match top {
                    Some(f) => {
                        f.step = if end.is_some() {
                            Step::After
                        } else {
                            Step::Value
                        }
                    }
                    None => root_done = true,
                }
                match end {
                    Some(e) => i = e.saturating_sub(1),
                    None => break Stop::Malformed,
                }
            }
            _ => {}
        }
        i += 1;
    };
    if stop == Stop::End
        && let Some(f) = frames.last_mut()
        && f.step == Step::After
    {
        // The parser looked for a `,` or the closing bracket and found the end of the text.
        f.step = Step::Comma;
    }
    Scan {
        offset: i,
        frames,
        stop,
    }
}

/// A token where none may stand: after a complete member (a missing `,`) the error belongs to
/// the container, not to that member.
fn broken(top: Option<&mut Frame>) -> Stop {
    if let Some(f) = top
        && f.step == Step::After
    {
        f.step = Step::Comma;
    }
    Stop::Malformed
}

/// Where a scalar starting at `i` ends, by serde_json's rules (`true`/`false`/`null` spelt out;
/// numbers without leading zeros, with digits after `.` and in the exponent); `None` where
/// serde_json fails inside it.
fn scalar_end(bytes: &[u8], i: usize) -> Option<usize> {
    let word = |w: &[u8]| {
        bytes
            .get(i..i + w.len())
            .filter(|s| *s == w)
            .map(|_| i + w.len())
    };
    let digits = |mut j: usize| {
        while matches!(bytes.get(j), Some(b'0'..=b'9')) {
            j += 1;
        }
        j
    };
    match bytes.get(i)? {
        b't' => word(b"true"),
        b'f' => word(b"false"),
        b'n' => word(b"null"),
        b'-' | b'0'..=b'9' => {
            let mut j = i + usize::from(bytes.get(i) == Some(&b'-'));
            match bytes.get(j)? {
                b'0' if matches!(bytes.get(j + 1), Some(b'0'..=b'9')) => return None,
                b'0' => j += 1,
                b'1'..=b'9' => j = digits(j + 1),
                _ => return None,
            }
            if bytes.get(j) == Some(&b'.') {
                let k = digits(j + 1);
                if k == j + 1 {
                    return None;
                }
                j = k;
            }
            if matches!(bytes.get(j), Some(b'e' | b'E')) {
                j += 1;
                if matches!(bytes.get(j), Some(b'+' | b'-')) {
                    j += 1;
                }
                let k = digits(j);
                if k == j {
                    return None;
                }
                j = k;
            }
            Some(j)
        }
        _ => None,
    }
}

/// The members that lead to the place where a walk stopped, as JSONPath after `$` (`.a[2]`,
/// `["@odata.type"]` for keys that are not plain words). `key_read` also names a key whose `:`
/// is not read (serde fails on an unknown field right after its key). `None` if a key cannot
/// be decoded.
fn jsonpath_of(text: &str, frames: &[Frame], key_read: bool) -> Option<String> {
    let mut path = String::from("$");
    for seg in segments(text, frames, key_read) {
        match seg? {
            Segment::Index(i) => {
                let _ = write!(path, "[{i}]");
            }
            Segment::Key(key) => {
                if !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    path.push('.');
                    path.push_str(&key);
                } else {
                    let _ = write!(path, "[{}]", serde_json::to_string(&key).ok()?);
                }
            }
        }
    }
    Some(path)
}

/// One step of a path: an array index or an object key (unescaped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Index(usize),
    Key(String),
}

fn segments<'t>(
    text: &'t str,
    frames: &'t [Frame],
    key_read: bool,
) -> impl Iterator<Item = Option<Segment>> + 't {
    frames.iter().map_while(move |f| match (f.kind, f.step) {
        (Kind::Array(i), Step::Value | Step::After) => Some(Some(Segment::Index(i))),
        (Kind::Object(Some((a, b))), step)
            if matches!(step, Step::Value | Step::After) || (key_read && step == Step::Key) =>
        {
            let raw = text.get(a.saturating_sub(1)..b.saturating_add(1));
            Some(
                raw.and_then(|r| serde_json::from_str(r).ok())
                    .map(Segment::Key),
            )
        }
        _ => None,
    })
}

/// The byte offset in `text` of serde_json's error position (its column counts bytes from the
/// start of its line; its line counts `\n`s).
fn error_offset(text: &str, err: &serde_json::Error) -> usize {
    let bytes = text.as_bytes();
    let line_start = match err.line().checked_sub(2) {
        None => 0,
        Some(n) => memchr::memchr_iter(b'\n', bytes)
            .nth(n)
            .map_or(bytes.len(), |p| p + 1),
    };
    line_start.saturating_add(err.column()).min(bytes.len())
}

/// Where in `text` the error `err` of a parse of `text` happened, found from its position by a
/// strict [`walk`] (on an error path only; it never re-parses): the open members at that place,
/// or `None` if the error lies after the top-level value (trailing text belongs to no member).
fn error_frames(text: &str, err: &serde_json::Error) -> Option<Vec<Frame>> {
    let mut until = error_offset(text, err);
    let message = err.to_string();
    // serde_json reports a value of the wrong type at its end, except an array or object, whose
    // type it sees at its bracket without reading it: the error belongs to that value.
    let bracket = text.as_bytes().get(until);
    if (message.starts_with("invalid type: sequence") && bracket == Some(&b'['))
        || (message.starts_with("invalid type: map") && bracket == Some(&b'{'))
    {
        until += 1;
    }
    let scan = walk(
        text.as_bytes(),
        &Walk {
            max_depth: u32::MAX,
            keep: usize::MAX,
            until,
            strict: true,
        },
    );
    (scan.stop != Stop::Done).then_some(scan.frames)
}

/// The path of the error `err` of a typed parse of `text`, in serde_path_to_error's notation
/// (`findings[0].severity`, `.` for the top level), for messages that have always used it.
pub(crate) fn error_path_plain(text: &str, err: &serde_json::Error) -> String {
    let frames = error_frames(text, err).unwrap_or_default();
    let key_read = err.to_string().starts_with("unknown field");
    let mut path = String::new();
    for seg in segments(text, &frames, key_read).map_while(|s| s) {
        match seg {
            Segment::Index(i) => {
                let _ = write!(path, "[{i}]");
            }
            Segment::Key(k) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(&k);
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The JSONPath (from `$`) of the error `err` of a parse of `text`; `None` after the top-level
/// value, and at the top-level container itself except where a key is due (as before: the
/// path-tracking re-read named no place at the top level, but `?` for a key not yet read,
/// which reads as the object).
fn error_jsonpath(text: &str, err: &serde_json::Error) -> Option<String> {
    let frames = error_frames(text, err)?;
    let key_read = err.to_string().starts_with("unknown field");
    if let Some(Frame { kind, step }) = frames.first() {
        let top_level = match kind {
            Kind::Array(_) => matches!(step, Step::Open | Step::Comma),
            Kind::Object(_) => *step == Step::Key && !key_read,
        };
        if top_level {
            return None;
        }
    }
    jsonpath_of(text, &frames, key_read)
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
/// found from the error's position (no re-read of the document).
fn syntax_error(file: &str, text: &str, err: &serde_json::Error) -> LoadError {
    let mut message = describe(err);
    if message == "key must be a string" && before_error(text, err) == Some(',') {
        message = "trailing comma: JSON does not allow a `,` before `}` (remove it)".to_owned();
    }
    let out = LoadError::new(file, message).at(to_u32(err.line()), to_u32(err.column()));
    match error_jsonpath(text, err) {
        Some(path) => out.with_path(path),
        None => out,
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
/// JSON path of the failing field, found from serde_json's error position by a walk over the
/// item's text. (Re-reading through a path-tracking deserialiser compiled every wire struct's
/// deserialiser twice: about 86 KB of the browser's gzipped module.)
pub(crate) fn parse_item<'a, T: de::Deserialize<'a>>(
    file: &str,
    item: &Item<'a>,
) -> Result<T, LoadError> {
    let text = item.raw.get();
    let mut de = serde_json::Deserializer::from_str(text);
    T::deserialize(&mut de).map_err(|e| {
        let inner = error_jsonpath(text, &e).unwrap_or_default();
        let path = format!(
            "{}{}",
            item.path(),
            inner.strip_prefix('$').unwrap_or(&inner)
        );
        // Translate the item-relative position into a file position.
        let (line, column) = shift(item.line, item.column(), &e);
        LoadError::new(file, describe(&e))
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

    /// The path the position-based finder gives for a typed parse of `text` into `T`.
    fn typed_path<T: serde::de::DeserializeOwned>(text: &str) -> (String, String) {
        let err = serde_json::from_str::<T>(text).map(|_| ()).unwrap_err();
        (error_path_plain(text, &err), err.to_string())
    }

    /// What serde_path_to_error (the path-tracking re-read this finder replaces) gives.
    fn tracked_path<T: serde::de::DeserializeOwned>(text: &str) -> Option<String> {
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize::<_, T>(&mut de)
            .err()
            .map(|e| e.path().to_string())
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Outer {
        id: String,
        #[serde(default, deserialize_with = "super::super::lenient::opt_bool")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "super::super::lenient::opt_int")]
        count: Option<i64>,
        #[serde(default, deserialize_with = "super::super::lenient::opt_timestamp")]
        when: Option<crate::model::Timestamp>,
        tags: Option<Vec<String>>,
        inner: Option<Inner>,
        #[serde(alias = "items")]
        list: Option<Vec<Inner>>,
        grid: Option<Vec<Vec<u32>>>,
        kind: Option<Choice>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        name: String,
        n: Option<u32>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    enum Choice {
        A,
        B,
    }

    const OUTER: &str = r#"{"id": "x", "flag": true, "count": 3, "when": "2026-01-01T00:00:00Z",
        "tags": ["a", "b"], "inner": {"name": "n", "n": 1},
        "list": [{"name": "a"}, {"name": "b", "n": 2}], "grid": [[1, 2], [3]], "kind": "A"}"#;

    /// Every JSON pointer of `v`.
    fn pointers(v: &serde_json::Value, at: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    pointers(x, format!("{at}/{i}"), out);
                }
            }
            serde_json::Value::Object(o) => {
                for (k, x) in o {
                    pointers(x, format!("{at}/{k}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }

    #[test]
    fn type_errors_are_placed_as_a_path_tracking_reread_placed_them() {
        let base: serde_json::Value = serde_json::from_str(OUTER).unwrap();
        let mut ptrs = Vec::new();
        pointers(&base, String::new(), &mut ptrs);
        let replacements = [
            "1",
            "-2.5",
            "\"s\"",
            "\"2026\"",
            "true",
            "null",
            "[]",
            "[1]",
            "[[1]]",
            "[{\"a\": 1}]",
            "{}",
            "{\"name\": 1}",
            "{\"zz\": 1}",
            "[\"x\", {}]",
            "{\"name\": \"q\", \"n\": []}",
        ];
        let (mut checked, mut ambiguous) = (0, 0);
        for ptr in ptrs.iter().filter(|p| !p.is_empty()) {
            for rep in replacements {
                let mut doc = base.clone();
                *doc.pointer_mut(ptr).unwrap() = serde_json::from_str(rep).unwrap();
                for text in [
                    serde_json::to_string(&doc).unwrap(),
                    serde_json::to_string_pretty(&doc).unwrap(),
                ] {
                    let Some(expected) = tracked_path::<Outer>(&text) else {
                        continue;
                    };
                    let (got, message) = typed_path::<Outer>(&text);
                    checked += 1;
                    if got != expected {
                        // The one case a position cannot tell: a lenient scalar given an array
                        // whose first element is an array. serde_json stops at that inner `[`
                        // both when it rejects the outer array and when it rejects the inner
                        // one; the finder names the inner one.
                        assert!(
                            rep == "[[1]]"
                                && ["/flag", "/count"].contains(&ptr.as_str())
                                && got == format!("{expected}[0]"),
                            "{text}\n{message}: got {got}, re-read gave {expected}"
                        );
                        ambiguous += 1;
                    }
                }
            }
            // Without the member: a required one is missing, at its object's path.
            let mut doc = base.clone();
            let (parent, key) = ptr.rsplit_once('/').unwrap();
            if let Some(o) = doc.pointer_mut(parent).and_then(|v| v.as_object_mut()) {
                o.remove(key);
                let text = serde_json::to_string(&doc).unwrap();
                if let Some(expected) = tracked_path::<Outer>(&text) {
                    assert_eq!(typed_path::<Outer>(&text).0, expected, "{text}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 400, "{checked}");
        assert_eq!(ambiguous, 4);
    }

    #[test]
    fn each_kind_of_type_error_has_its_path() {
        let cases = [
            // A field's value of the wrong type: serde_json stops after it.
            (
                r#"{"id": "x", "flag": 7}"#,
                "flag",
                "invalid type: integer `7`",
            ),
            (r#"{"id": "x", "when": "soon"}"#, "when", "invalid value"),
            // An array or object where a scalar belongs: stopped at its bracket, or just inside.
            (r#"{"id": {"a": 1}}"#, "id", "invalid type: map"),
            (
                r#"{"id": "x", "flag": {"a": 1}}"#,
                "flag",
                "invalid type: map",
            ),
            (
                r#"{"id": "x", "flag": []}"#,
                "flag",
                "invalid type: sequence",
            ),
            (
                r#"{"id": "x", "tags": ["a", ["b"]]}"#,
                "tags[1]",
                "invalid type: sequence",
            ),
            (
                r#"{"id": "x", "tags": ["a", {"b": 1}]}"#,
                "tags[1]",
                "invalid type: map",
            ),
            // Errors inside nested arrays.
            (
                r#"{"id": "x", "grid": [[1], [2, -3]]}"#,
                "grid[1][1]",
                "invalid value",
            ),
            (
                r#"{"id": "x", "list": [{"name": "a"}, {"name": 5}]}"#,
                "list[1].name",
                "invalid type",
            ),
            // A missing field: at the closing `}` of its object, whose path it is.
            (
                r#"{"id": "x", "list": [{"name": "a"}, {"n": 5}]}"#,
                "list[1]",
                "missing field `name`",
            ),
            (r#"{"flag": true}"#, ".", "missing field `id`"),
            // A duplicate (here through an alias): right after the key, at its object.
            (
                r#"{"id": "x", "list": [], "items": []}"#,
                ".",
                "duplicate field `list`",
            ),
            // An unknown field (`deny_unknown_fields`): right after the key, at the key.
            (
                r#"{"id": "x", "inner": {"name": "a", "zz": 1}}"#,
                "inner.zz",
                "unknown field `zz`",
            ),
            // An unknown enum variant.
            (r#"{"id": "x", "kind": "C"}"#, "kind", "unknown variant `C`"),
        ];
        for (text, path, message) in cases {
            let (got, got_message) = typed_path::<Outer>(text);
            assert_eq!(
                (got.as_str(), tracked_path::<Outer>(text).as_deref()),
                (path, Some(path)),
                "{text}"
            );
            assert!(got_message.starts_with(message), "{got_message}");
        }
    }

    #[test]
    fn parse_item_paths_use_bracket_notation_for_odd_keys() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct W {
            #[serde(rename = "@odata.type")]
            odata_type: Option<String>,
            #[serde(rename = "a b")]
            spaced: Option<Vec<u32>>,
        }
        let text = "{\"value\": [{}, {\"@odata.type\": 1}, {\"a b\": [1, \"2\"]}]}";
        let doc = split("w.json", text, &Limits::default()).unwrap();
        assert!(parse_item::<W>("w.json", &doc.items[0]).is_ok());
        let err = parse_item::<W>("w.json", &doc.items[1]).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("$.value[1][\"@odata.type\"]"));
        let err = parse_item::<W>("w.json", &doc.items[2]).unwrap_err();
        assert_eq!(err.path.as_deref(), Some("$.value[2][\"a b\"][1]"));
        assert_eq!((err.line, err.column), (1, 50));
    }

    /// Any JSON value, read and thrown away (what the old path-tracking re-read parsed into).
    struct Skip;

    impl<'de> serde::Deserialize<'de> for Skip {
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

    /// The path the old code gave a syntax error in `text`.
    fn reread_syntax_path(text: &str) -> Option<String> {
        let mut de = serde_json::Deserializer::from_str(text);
        let path = serde_path_to_error::deserialize::<_, Skip>(&mut de)
            .err()?
            .path()
            .to_string();
        // The one key here that is no plain word is now written in bracket notation.
        (path != ".")
            .then(|| jsonpath("$", &path).replace(".@odata.context", "[\"@odata.context\"]"))
    }

    #[test]
    fn syntax_errors_are_placed_as_a_path_tracking_reread_placed_them() {
        let docs = [
            r#"{"@odata.context": "c", "value": [{"id": "a", "n": -1.5e3, "t": true, "z": null}, {"id": "b", "x": [[], [1, {"q": "\"]"}], {}]}, 7, "s"]}"#,
            "[\n  {\"id\": \"a\",\n   \"flags\": [false, 0, 10.25, \"x\\\\\"]},\n  []\n]",
        ];
        let junk = [
            ",", ":", "}", "]", "{", "[", "\"", "x", "1", "0", "-", ".", "e", "t", " ",
        ];
        let mut mutants: Vec<String> = Vec::new();
        for doc in docs {
            for (k, _) in doc.char_indices() {
                mutants.push(doc[..k].to_owned());
                let next = doc[k..].chars().next().map_or(0, char::len_utf8);
                mutants.push(format!("{}{}", &doc[..k], &doc[k + next..]));
                for j in junk {
                    mutants.push(format!("{}{j}{}", &doc[..k], &doc[k..]));
                }
            }
        }
        let mut checked = 0;
        for text in &mutants {
            let Err(err) = split("m.json", text, &Limits::default()) else {
                continue;
            };
            if !matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'[')) {
                continue;
            }
            checked += 1;
            assert_eq!(
                err.path,
                reread_syntax_path(text),
                "{text:?}: {}",
                err.message
            );
        }
        assert!(checked > 2_000, "{checked}");
    }
}
