//! Finding where a JSON path is written in a file, so that a lint finding can name the line and
//! column of the offending field. A small scanner over the text: it descends along the path and
//! skips everything else without building a tree (iteratively, so deep nesting cannot overflow
//! the stack), and never panics on malformed text (it gives up with `None`).

use std::fmt::Write as _;

use crate::ingest::line_col;

/// One step of a path into a JSON document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// A path as a list of steps.
pub(crate) type Path = Vec<Step>;

/// `Step::Key` from a string.
pub(crate) fn key(k: &str) -> Step {
    Step::Key(k.to_owned())
}

/// The path in JSONPath notation (`$.a.b[0]`), for messages.
pub(crate) fn jsonpath(path: &[Step]) -> String {
    let mut out = String::from("$");
    for step in path {
        match step {
            Step::Key(k) if is_plain(k) => {
                let _ = write!(out, ".{k}");
            }
            Step::Key(k) => {
                let _ = write!(out, "[{}]", serde_json::Value::String(k.clone()));
            }
            Step::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

/// The path as a JSON pointer (`/a/b/0`, RFC 6901).
pub(crate) fn pointer(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        out.push('/');
        match step {
            Step::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => {
                let _ = write!(out, "{i}");
            }
        }
    }
    out
}

fn is_plain(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@')
        && !k.starts_with(|c: char| c.is_ascii_digit())
}

/// Where a path is written: the byte offsets of its member name (for object members; the value
/// itself otherwise) and of its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spot {
    pub(crate) name: usize,
    pub(crate) value: usize,
}

/// A 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Position {
    pub(crate) line: u32,
    pub(crate) column: u32,
}

/// The position of a byte offset.
pub(crate) fn position(text: &str, offset: usize) -> Position {
    let (line, column) = line_col(text, offset);
    Position { line, column }
}

/// Where the value at `path` is written in `text`, or `None` when the path is not in the
/// document (or the text is not well-formed JSON on the way there).
pub(crate) fn locate(text: &str, path: &[Step]) -> Option<Spot> {
    let mut s = Scanner {
        b: text.as_bytes(),
        pos: 0,
    };
    if text.starts_with('\u{feff}') {
        s.pos = '\u{feff}'.len_utf8();
    }
    s.ws();
    let mut spot = Spot {
        name: s.pos,
        value: s.pos,
    };
    for step in path {
        match step {
            Step::Key(k) => {
                s.expect(b'{')?;
                loop {
                    s.ws();
                    if s.peek()? == b'}' {
                        return None;
                    }
                    let name = s.pos;
                    let found = s.string_is(text, k)?;
                    s.ws();
                    s.expect(b':')?;
                    s.ws();
                    if found {
                        spot = Spot { name, value: s.pos };
                        break;
                    }
                    s.skip_value()?;
                    s.ws();
                    s.expect(b',')?;
                }
            }
            Step::Index(i) => {
                s.expect(b'[')?;
                let mut n = 0;
                loop {
                    s.ws();
                    if s.peek()? == b']' {
                        return None;
                    }
                    if n == *i {
                        spot = Spot {
                            name: s.pos,
                            value: s.pos,
                        };
                        break;
                    }
                    s.skip_value()?;
                    s.ws();
                    s.expect(b',')?;
                    n += 1;
                }
            }
        }
    }
    Some(spot)
}

/// The byte range of the value that starts at `value` (from [`Spot::value`]).
pub(crate) fn value_end(text: &str, value: usize) -> Option<usize> {
    let mut s = Scanner {
        b: text.as_bytes(),
        pos: value,
    };
    s.skip_value()?;
    Some(s.pos)
}

struct Scanner<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.pos += 1)
    }

    /// Skips a string starting at the cursor (which must be on its opening quote).
    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Reads the string at the cursor and tells whether it equals `want` (escapes decoded).
    fn string_is(&mut self, text: &str, want: &str) -> Option<bool> {
        let start = self.pos;
        self.skip_string()?;
        let raw = text.get(start..self.pos)?;
        let inner = raw.get(1..raw.len().saturating_sub(1))?;
        if inner.contains('\\') {
            Some(serde_json::from_str::<String>(raw).ok()? == want)
        } else {
            Some(inner == want)
        }
    }

    /// Skips one value of any kind.
    fn skip_value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => self.skip_string()?,
                        b'{' | b'[' => {
                            depth += 1;
                            self.pos += 1;
                        }
                        b'}' | b']' => {
                            depth = depth.checked_sub(1)?;
                            self.pos += 1;
                            if depth == 0 {
                                return Some(());
                            }
                        }
                        _ => self.pos += 1,
                    }
                }
            }
            _ => {
                let start = self.pos;
                while !matches!(
                    self.peek(),
                    None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                ) {
                    self.pos += 1;
                }
                (self.pos > start).then_some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, path: &[Step]) -> Option<(u32, u32)> {
        locate(text, path).map(|s| {
            let p = position(text, s.name);
            (p.line, p.column)
        })
    }

    #[test]
    fn finds_members_and_elements() {
        let text = "{\n  \"a\": {\"x\": [1, {\"b\\u0022\": 2}, \"s,]\"],\n  \"y\": true},\n  \"c\": null\n}";
        assert_eq!(at(text, &[key("a"), key("y")]), Some((3, 3)));
        assert_eq!(at(text, &[key("c")]), Some((4, 3)));
        assert_eq!(
            at(text, &[key("a"), key("x"), Step::Index(1), key("b\"")]),
            Some((2, 19))
        );
        assert_eq!(
            at(text, &[key("a"), key("x"), Step::Index(2)]),
            Some((2, 34))
        );
        assert_eq!(at(text, &[key("a"), key("x"), Step::Index(3)]), None);
        assert_eq!(at(text, &[key("missing")]), None);
        assert_eq!(at(text, &[]), Some((1, 1)));
    }

    #[test]
    fn survives_garbage_and_depth() {
        assert_eq!(at("{\"a\": ", &[key("a"), key("b")]), None);
        assert_eq!(at("[[[[", &[Step::Index(0), Step::Index(1)]), None);
        let deep = "[".repeat(100_000);
        assert_eq!(at(&deep, &[Step::Index(1)]), None);
        assert_eq!(at("\"x", &[key("a")]), None);
    }

    #[test]
    fn value_end_and_paths() {
        let text = "{\"a\": {\"b\": [1, 2]}, \"c\": 1}";
        let spot = locate(text, &[key("a")]).unwrap();
        let end = value_end(text, spot.value).unwrap();
        assert_eq!(&text[spot.value..end], "{\"b\": [1, 2]}");
        let path = [key("a"), Step::Index(3), key("x/y")];
        assert_eq!(jsonpath(&path), "$.a[3][\"x/y\"]");
        assert_eq!(pointer(&path), "/a/3/x~1y");
    }
}
