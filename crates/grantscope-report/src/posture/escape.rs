//! Escaping for the posture report. Display names, file names and evidence come from the export,
//! and any guest can choose their own name: every piece of data goes through [`html`] or
//! [`markdown`] before it reaches the output, and invisible or direction-changing characters are
//! shown as visible `\u{…}` escapes first ([`visible`]), so that `admin\u{202e}fdp.exe` cannot
//! pass for another name.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Characters shown as a visible escape instead of themselves: C0 and C1 controls, DEL, the bidi
/// embeddings, overrides, isolates and marks, the zero-width characters, the line and paragraph
/// separators and the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{061c}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// Replaces invisible and direction-changing characters with `\u{…}` (tab, newline and carriage
/// return become a space: they carry no meaning in a name).
#[must_use]
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_invisible) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c if is_invisible(c) => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes text for HTML element content and quoted attribute values (`&`, `<`, `>`, `"`, `'`),
/// after [`visible`].
///
/// ```
/// use grantscope_report::posture_html_escape as html;
/// assert_eq!(html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
/// assert_eq!(html("\"><img src=x onerror=alert(1)>"), "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
/// assert_eq!(html("abc\u{202e}fed"), "abc\\u{202e}fed");
/// ```
#[must_use]
pub fn html(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for inline Markdown (GitHub Flavored), after [`visible`]: every character that
/// could start emphasis, a link, an image, raw HTML, an entity, a table cell, a heading or list,
/// and `:`, `.` and `@`, which would otherwise turn `http://x`, `www.x` and `a@b.c` into links,
/// is backslash-escaped.
///
/// ```
/// use grantscope_report::posture_markdown_escape as md;
/// assert_eq!(md("=HYPERLINK(\"http://x\")"), "=HYPERLINK\\(\"http\\://x\"\\)");
/// assert_eq!(md("a|b"), "a\\|b");
/// ```
#[must_use]
pub fn markdown(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '<'
                | '>'
                | '('
                | ')'
                | '#'
                | '+'
                | '-'
                | '.'
                | '!'
                | '|'
                | '~'
                | ':'
                | '@'
                | '&'
                | '$'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Shortens text to at most `max` characters (an ellipsis marks the cut). Works on characters,
/// never splitting one, and before escaping, so that no entity is cut in half.
#[must_use]
pub(crate) fn truncate(text: &str, max: usize) -> Cow<'_, str> {
    if text.chars().count() <= max {
        return Cow::Borrowed(text);
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: [&str; 5] = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "=HYPERLINK(\"http://x\")",
        "admin\u{202e}gpj.exe",
        "' onmouseover='alert(1)",
    ];

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            html("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        assert_eq!(html("Liam O'Brien & co"), "Liam O&#39;Brien &amp; co");
        assert_eq!(
            html("=HYPERLINK(\"http://x\")"),
            "=HYPERLINK(&quot;http://x&quot;)"
        );
        for h in HOSTILE {
            let out = html(h);
            assert!(!out.contains(['<', '>', '"', '\'']), "{out}");
        }
    }

    #[test]
    fn bidi_and_invisible_characters_become_visible_escapes() {
        assert_eq!(html("admin\u{202e}gpj.exe"), "admin\\u{202e}gpj.exe");
        assert_eq!(markdown("a\u{202e}b"), "a\\\\u\\{202e\\}b");
        for c in [
            '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{061c}', '\u{200b}', '\u{feff}',
            '\u{1b}', '\u{0}', '\u{9b}',
        ] {
            let out = html(&format!("x{c}y"));
            assert!(!out.contains(c), "U+{:04X}", u32::from(c));
            assert!(out.contains("\\u{"), "U+{:04X}", u32::from(c));
        }
        assert_eq!(html("line\nbreak"), "line break");
        // Ordinary non-ASCII text is kept.
        assert_eq!(html("Zoë Müller 名前 שלום"), "Zoë Müller 名前 שלום");
    }

    #[test]
    fn markdown_defuses_links_html_and_tables() {
        assert_eq!(
            markdown("=HYPERLINK(\"http://x\")"),
            "=HYPERLINK\\(\"http\\://x\"\\)"
        );
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "\\<script\\>alert\\(1\\)\\</script\\>"
        );
        assert_eq!(
            markdown("\"><img src=x onerror=alert(1)>"),
            "\"\\>\\<img src=x onerror=alert\\(1\\)\\>"
        );
        assert_eq!(
            markdown("[x](javascript:alert(1))"),
            "\\[x\\]\\(javascript\\:alert\\(1\\)\\)"
        );
        assert_eq!(markdown("a | b"), "a \\| b");
        assert_eq!(markdown("www.evil.example"), "www\\.evil\\.example");
        assert_eq!(markdown("&lt;"), "\\&lt;");
        for h in HOSTILE {
            let out = markdown(h);
            // Every markup character is preceded by a backslash.
            let chars: Vec<char> = out.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if matches!(c, '<' | '>' | '(' | ')' | '[' | ']' | '|' | ':') {
                    assert_eq!(chars[i - 1], '\\', "{out}");
                }
            }
        }
    }

    #[test]
    fn truncate_counts_characters() {
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("ééééé", 3), "éé…");
    }
}
