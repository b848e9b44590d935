//! Making attacker-controlled text safe to print on a terminal.
//!
//! Display names, file names (zip members included) and even error messages that quote input come
//! from the export, and any guest can name themselves. Printed raw, an `ESC [` sequence can recolour
//! or clear the screen, rewrite the window title or forge lines; a bidi override can make text read
//! differently from what it is ("Trojan Source", CVE-2021-42574).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Replaces every character that could control a terminal with a visible escape:
///
/// - C0 controls U+0000–U+001F (ESC included, which defuses every escape sequence) and DEL U+007F;
/// - C1 controls U+0080–U+009F (U+009B is a one-character CSI on some terminals);
/// - the bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069;
/// - the line and paragraph separators U+2028 and U+2029.
///
/// Tab, line feed and carriage return become `\t`, `\n` and `\r`; everything else becomes
/// `\u{…}` in lowercase hex, as Rust writes it. Text with nothing to escape is returned borrowed.
///
/// ```
/// use grantscope_report::sanitize_terminal;
/// assert_eq!(sanitize_terminal("Alice"), "Alice");
/// assert_eq!(sanitize_terminal("\u{1b}[31mred"), "\\u{1b}[31mred");
/// assert_eq!(sanitize_terminal("abc\u{202e}fed"), "abc\\u{202e}fed");
/// ```
#[must_use]
pub fn sanitize_terminal(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(needs_escape) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        if needs_escape(c) {
            match c {
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                _ => {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
                }
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Rewrites the characters [`sanitize_terminal`] escapes, wherever they are raw in serialised JSON,
/// as `\uXXXX` escapes: the JSON means exactly the same (every consumer decodes the same
/// strings), but the file is plain ASCII where it matters, so printing it on a terminal, or
/// showing it in a viewer, cannot act on an escape sequence, a C1 control or a bidi override.
///
/// serde_json already escapes U+0000–U+001F; this adds DEL and the C1 controls, the bidi
/// embeddings, overrides and isolates, and U+2028/U+2029. Only for serialised JSON: outside
/// strings, JSON is ASCII, so every such character is inside a string.
///
/// ```
/// use grantscope_report::json_escape_controls;
/// let json = serde_json::to_string("admin\u{202e}gpj.exe\u{85}").unwrap();
/// assert_eq!(json_escape_controls(json), r#""admin\u202egpj.exe\u0085""#);
/// ```
#[must_use]
pub fn json_escape_controls(json: String) -> String {
    // Not C0: serde_json escapes those in strings, and outside strings `\n` is layout.
    let raw = |c: char| needs_escape(c) && c >= '\u{7f}';
    if !json.contains(raw) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            // Every such character is in the Basic Multilingual Plane: one \u escape.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed() {
        for text in ["", "Alice Smith", "Ünïcödé 名前 🙂", "C:\\path\\file.json"] {
            assert!(matches!(sanitize_terminal(text), Cow::Borrowed(t) if t == text));
        }
    }

    #[test]
    fn escape_sequences_are_defused() {
        assert_eq!(
            sanitize_terminal("\u{1b}[2J\u{1b}]0;pwned\u{7}Mallory"),
            "\\u{1b}[2J\\u{1b}]0;pwned\\u{7}Mallory"
        );
        // The output contains no control character at all.
        let out = sanitize_terminal("a\u{1b}b\u{0}c\u{7f}d\u{9b}e");
        assert_eq!(out, "a\\u{1b}b\\u{0}c\\u{7f}d\\u{9b}e");
        assert!(!out.chars().any(char::is_control));
    }

    #[test]
    fn whitespace_controls_get_short_escapes() {
        assert_eq!(
            sanitize_terminal("line1\nline2\r\tend"),
            "line1\\nline2\\r\\tend"
        );
    }

    #[test]
    fn bidi_controls_are_escaped() {
        for c in ('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}') {
            let text = format!("admin{c}txt.exe");
            let expected = format!("admin\\u{{{:x}}}txt.exe", u32::from(c));
            assert_eq!(sanitize_terminal(&text), expected);
        }
        // Neighbours that are harmless stay as they are.
        for c in ['\u{2029}', '\u{2065}', '\u{206a}', '\u{202f}'] {
            let text = c.to_string();
            let escaped = matches!(sanitize_terminal(&text), Cow::Owned(_));
            assert_eq!(escaped, c == '\u{2029}', "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn json_keeps_its_meaning_without_raw_controls() {
        let text = "a\u{1b}[2J\u{7f}\u{85}\u{9b}\u{202e}\u{2066}\u{2028}\u{2029}é名🙂\"\\";
        let json =
            serde_json::to_string_pretty(&serde_json::json!({ "k\u{202e}": [text] })).unwrap();
        let escaped = json_escape_controls(json);
        assert!(
            !escaped.chars().any(|c| c.is_control() && c != '\n'),
            "{escaped}"
        );
        assert!(!escaped.contains(|c| needs_escape(c) && c != '\n'));
        assert!(
            escaped.contains("\\u0085") && escaped.contains("\\u202e") && escaped.contains("é名🙂")
        );
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, serde_json::json!({ "k\u{202e}": [text] }));
        let plain = "{\"a\": \"b\"}".to_owned();
        assert_eq!(json_escape_controls(plain.clone()), plain);
    }

    #[test]
    fn every_c0_and_c1_control_is_escaped() {
        for code in (0u32..0x20).chain(0x7f..0xa0) {
            let c = char::from_u32(code).unwrap();
            let out = sanitize_terminal(&c.to_string()).into_owned();
            assert!(out.starts_with('\\'), "U+{code:04X} gave {out:?}");
            assert!(out.is_ascii());
        }
    }
}
