//! A minimal streaming JSON writer: compact output (as Graph sends it), keys in the order written,
//! strings escaped per RFC 8259. Entities are written into a reusable `String` and then appended
//! to a page file, so no file is ever held in memory as a whole.

use crate::ids::{K, push_id};
use crate::time::push_time;

/// Appends `v` as a JSON string literal.
pub(crate) fn push_str(out: &mut String, v: &str) {
    out.push('"');
    let bytes = v.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0..=0x1f => None,
            _ => continue,
        };
        out.push_str(&v[start..i]);
        match esc {
            Some(e) => out.push_str(e),
            None => out.push_str(&format!("\\u{b:04x}")),
        }
        start = i + 1;
    }
    out.push_str(&v[start..]);
    out.push('"');
}

/// An object being written.
pub(crate) struct Obj<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Obj<'a> {
    pub(crate) fn open(out: &'a mut String) -> Self {
        out.push('{');
        Obj { out, first: true }
    }

    pub(crate) fn close(self) {
        self.out.push('}');
    }

    fn key(&mut self, k: &str) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\":");
    }

    pub(crate) fn str(&mut self, k: &str, v: &str) -> &mut Self {
        self.key(k);
        push_str(self.out, v);
        self
    }

    pub(crate) fn opt_str(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        match v {
            Some(v) => self.str(k, v),
            None => self.null(k),
        }
    }

    pub(crate) fn null(&mut self, k: &str) -> &mut Self {
        self.key(k);
        self.out.push_str("null");
        self
    }

    pub(crate) fn bool(&mut self, k: &str, v: bool) -> &mut Self {
        self.key(k);
        self.out.push_str(if v { "true" } else { "false" });
        self
    }

    pub(crate) fn int(&mut self, k: &str, v: i64) -> &mut Self {
        self.key(k);
        self.out.push_str(&v.to_string());
        self
    }

    /// A GUID derived from the seed, written without allocating.
    pub(crate) fn id(&mut self, k: &str, seed: u64, kind: K, index: u64) -> &mut Self {
        self.key(k);
        self.out.push('"');
        push_id(self.out, seed, kind, index);
        self.out.push('"');
        self
    }

    pub(crate) fn time(&mut self, k: &str, t: i64) -> &mut Self {
        self.time_frac(k, t, 0)
    }

    /// A timestamp with Graph's seven fractional digits (`frac` in 100 ns units).
    pub(crate) fn time_frac(&mut self, k: &str, t: i64, frac: u32) -> &mut Self {
        self.key(k);
        self.out.push('"');
        push_time(self.out, t, frac);
        self.out.push('"');
        self
    }

    pub(crate) fn opt_time(&mut self, k: &str, t: Option<i64>) -> &mut Self {
        match t {
            Some(t) => self.time(k, t),
            None => self.null(k),
        }
    }

    /// Already-serialised JSON (a pre-rendered expansion).
    pub(crate) fn raw(&mut self, k: &str, json: &str) -> &mut Self {
        self.key(k);
        self.out.push_str(json);
        self
    }

    pub(crate) fn obj(&mut self, k: &str, f: impl FnOnce(&mut Obj<'_>)) -> &mut Self {
        self.key(k);
        let mut o = Obj::open(self.out);
        f(&mut o);
        o.close();
        self
    }

    pub(crate) fn arr(&mut self, k: &str, f: impl FnOnce(&mut Arr<'_>)) -> &mut Self {
        self.key(k);
        let mut a = Arr::open(self.out);
        f(&mut a);
        a.close();
        self
    }

    pub(crate) fn empty_arr(&mut self, k: &str) -> &mut Self {
        self.key(k);
        self.out.push_str("[]");
        self
    }
}

/// An array being written.
pub(crate) struct Arr<'a> {
    out: &'a mut String,
    first: bool,
}

impl<'a> Arr<'a> {
    pub(crate) fn open(out: &'a mut String) -> Self {
        out.push('[');
        Arr { out, first: true }
    }

    pub(crate) fn close(self) {
        self.out.push(']');
    }

    fn sep(&mut self) {
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
    }

    pub(crate) fn obj(&mut self, f: impl FnOnce(&mut Obj<'_>)) -> &mut Self {
        self.sep();
        let mut o = Obj::open(self.out);
        f(&mut o);
        o.close();
        self
    }

    pub(crate) fn str(&mut self, v: &str) -> &mut Self {
        self.sep();
        push_str(self.out, v);
        self
    }
}

/// Writes one object into a fresh string.
pub(crate) fn object(f: impl FnOnce(&mut Obj<'_>)) -> String {
    let mut s = String::new();
    let mut o = Obj::open(&mut s);
    f(&mut o);
    o.close();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_valid_json() {
        let s = object(|o| {
            o.str("a", "x\"y\\z\n\u{1}é<")
                .null("b")
                .bool("c", true)
                .int("d", -3)
                .arr("e", |a| {
                    a.obj(|o| {
                        o.str("f", "g");
                    })
                    .str("h");
                })
                .obj("i", |_| {});
        });
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["a"], "x\"y\\z\n\u{1}é<");
        assert_eq!(v["e"][1], "h");
        assert_eq!(
            s,
            r#"{"a":"x\"y\\z\n\u0001é<","b":null,"c":true,"d":-3,"e":[{"f":"g"},"h"],"i":{}}"#
        );
    }
}
