//! The consultant's posture report (PRODUCT.md journey 4): one self-contained HTML file, or the
//! same report as Markdown, with a cover, an executive summary generated from the data, a score
//! and grade per area ([`grantscope_core::score`]), the top risks in business terms, charts, a
//! remediation plan grouped by fix, every finding with its evidence, the limitations of the
//! analysis, an inventory appendix and the scoring method.
//!
//! Pure: no I/O, no clock. The same report, snapshot and options give byte-identical output.

mod advice;
pub(crate) mod escape;
mod html;
mod markdown;
mod model;
mod svg;
mod text;

use grantscope_core::config::Config;
use grantscope_core::findings::Report;
use grantscope_core::model::Snapshot;

/// What the cover says beyond the data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PostureOptions<'a> {
    /// The client's name (cover, running header).
    pub client: Option<&'a str>,
    /// Who prepared the report.
    pub prepared_by: Option<&'a str>,
}

/// The posture report as one self-contained HTML document (inline CSS and SVG, no script, no
/// external reference). `report` must come from `snapshot` (`rules::run`), with the same
/// `config`.
#[must_use]
pub fn render_posture_html(
    report: &Report,
    snapshot: &Snapshot,
    config: &Config,
    options: &PostureOptions<'_>,
) -> String {
    let m = model::Model::build(
        report,
        snapshot,
        config,
        options.client,
        options.prepared_by,
    );
    html::render(&m)
}

/// The same report as GitHub Flavored Markdown (charts as tables).
#[must_use]
pub fn render_posture_markdown(
    report: &Report,
    snapshot: &Snapshot,
    config: &Config,
    options: &PostureOptions<'_>,
) -> String {
    let m = model::Model::build(
        report,
        snapshot,
        config,
        options.client,
        options.prepared_by,
    );
    markdown::render(&m)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use chrono::NaiveDate;
    use grantscope_core::ingest::{InputFile, Limits, Loaded, load};
    use grantscope_core::rules::run;

    use super::*;

    /// Names an attacker can give themselves, and what must never come out raw.
    const HOSTILE: [&str; 10] = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "=HYPERLINK(\"http://x\")",
        "admin\u{202e}fdp.exe",
        "[click](javascript:alert(1))",
        "' onmouseover='alert(1)",
        "</style><script>alert(2)</script>",
        "\u{1b}[31mred\u{1b}[0m",
        "line\nbreak # heading | cell",
        "https://evil.example/x.png",
    ];

    fn contoso() -> (Loaded, Config) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/tenants/contoso");
        let mut files: Vec<InputFile> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| {
                InputFile::new(
                    p.file_name().unwrap().to_string_lossy(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        let config =
            Config::from_toml(&std::fs::read_to_string(dir.join("grantscope.toml")).unwrap())
                .unwrap();
        (load(files, &Limits::default()), config)
    }

    /// Every display name in the tenant replaced by a hostile one.
    fn hostile() -> (Loaded, Config) {
        let (mut loaded, config) = contoso();
        let s = &mut loaded.snapshot;
        let mut i = 0;
        let mut next = || {
            i += 1;
            Some(HOSTILE[i % HOSTILE.len()].to_owned())
        };
        for u in s.users.values_mut() {
            u.display_name = next();
            u.mail = next();
        }
        for g in s.groups.values_mut() {
            g.display_name = next();
        }
        for c in s.catalogs.values_mut() {
            c.display_name = next();
        }
        for r in s.resources.values_mut() {
            r.display_name = next();
        }
        for p in s.access_packages.values_mut() {
            p.display_name = next();
        }
        for p in s.policies.values_mut() {
            p.display_name = next();
        }
        for o in s.connected_organizations.values_mut() {
            o.display_name = next();
        }
        (loaded, config)
    }

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
    }

    /// What a self-contained, script-free HTML file must not contain; returns the violations.
    fn html_violations(html: &str) -> Vec<String> {
        let mut bad = Vec::new();
        let lower = html.to_ascii_lowercase();
        for needle in [
            "<script", "<img", "<iframe", "<object", "<embed", "<link", "url(",
        ] {
            if lower.contains(needle) {
                bad.push(format!("contains {needle}"));
            }
        }
        for c in [
            '\u{202e}', '\u{202d}', '\u{2066}', '\u{2067}', '\u{2069}', '\u{1b}',
        ] {
            if html.contains(c) {
                bad.push(format!("contains raw U+{:04X}", u32::from(c)));
            }
        }
        // Every tag: no event handler, no src, only in-document links.
        let mut rest = lower.as_str();
        while let Some(start) = rest.find('<') {
            let end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
            let tag = &rest[start..end];
            let words: Vec<&str> = tag.split(|c: char| c.is_whitespace()).collect();
            for w in &words[1..] {
                if w.starts_with("on") && w.contains('=') {
                    bad.push(format!("event handler in {tag}"));
                }
                if w.starts_with("src=") {
                    bad.push(format!("src in {tag}"));
                }
                if let Some(v) = w.strip_prefix("href=")
                    && !v.starts_with("\"#")
                {
                    bad.push(format!("external href in {tag}"));
                }
            }
            rest = &rest[end..];
        }
        bad
    }

    #[test]
    fn hostile_names_render_as_text_in_html() {
        let (loaded, config) = hostile();
        let report = run(&loaded, &config, as_of());
        let options = PostureOptions {
            client: Some("</style><script>alert(3)</script>\u{202e}"),
            prepared_by: Some("\"><img src=x onerror=alert(4)>"),
        };
        let html = render_posture_html(&report, &loaded.snapshot, &config, &options);
        assert_eq!(html_violations(&html), Vec::<String>::new());
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("=HYPERLINK(&quot;http://x&quot;)"));
        assert!(html.contains("admin\\u{202e}fdp.exe"));
        // The client's name reaches the page header as a CSS string that cannot close the style.
        let style = &html[html.find("<style>").unwrap() + 7..html.find("</style>").unwrap()];
        assert!(!style.contains('<'));
        assert_eq!(html.to_ascii_lowercase().matches("</style").count(), 1);
    }

    #[test]
    fn hostile_names_are_escaped_in_markdown() {
        let (loaded, config) = hostile();
        let report = run(&loaded, &config, as_of());
        let options = PostureOptions {
            client: Some("[x](https://evil.example)"),
            prepared_by: Some("<b>me</b>"),
        };
        let md = render_posture_markdown(&report, &loaded.snapshot, &config, &options);
        // Markup characters from the data are always backslash-escaped; the only raw `<` is
        // the report's own `<br>` in table cells.
        let chars: Vec<char> = md.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if matches!(c, '<' | '>' | '[' | ']' | '(' | ')' | '|' | '`' | '*' | '_')
                && i > 0
                && chars[i - 1] != '\\'
            {
                let around: String = chars[i.saturating_sub(60)..(i + 20).min(chars.len())]
                    .iter()
                    .collect();
                let ok = match c {
                    '<' | '>' => around.contains("<br>"),
                    // Table syntax, emphasis and list markup of the report itself.
                    '|' | '*' | '_' | '(' | ')' | '[' | ']' | '`' => true,
                    _ => false,
                };
                assert!(ok, "unescaped {c:?} near {around:?}");
            }
        }
        for raw in [
            "http://",
            "https://",
            "javascript:",
            "\u{202e}",
            "\u{1b}",
            "<script",
            "<img",
            "<b>",
        ] {
            let escaped = md
                .match_indices(raw)
                .all(|(i, _)| i > 0 && md.as_bytes()[i - 1] == b'\\');
            assert!(escaped || !md.contains(raw), "raw {raw:?} in the Markdown");
        }
        assert!(md.contains("\\<script\\>alert\\(1\\)\\</script\\>"));
        assert!(md.contains("=HYPERLINK\\(\"http\\://x\"\\)"));
        // A newline in a name cannot start a heading or break a table row.
        assert!(!md.lines().any(|l| l.starts_with("break # heading")));
    }

    #[test]
    fn contoso_html_is_self_contained_and_deterministic() {
        let (loaded, config) = contoso();
        let report = run(&loaded, &config, as_of());
        let options = PostureOptions {
            client: Some("Contoso Ltd"),
            prepared_by: Some("grantscope"),
        };
        let a = render_posture_html(&report, &loaded.snapshot, &config, &options);
        let b = render_posture_html(&report, &loaded.snapshot, &config, &options);
        assert_eq!(a, b);
        assert_eq!(html_violations(&a), Vec::<String>::new());
        for section in [
            "id=\"summary\"",
            "id=\"score\"",
            "id=\"risks\"",
            "id=\"charts\"",
            "id=\"plan\"",
            "id=\"details\"",
            "id=\"limitations\"",
            "id=\"inventory\"",
            "id=\"method\"",
        ] {
            assert!(a.contains(section), "{section}");
        }
        // Every finding is in the details.
        for f in &report.findings {
            assert!(
                a.contains(&format!("id=\"f-{}\"", f.fingerprint)),
                "{}",
                f.rule_id
            );
        }
        // Four charts plus the score bars and the gauge, all inline SVG.
        assert_eq!(a.matches("<svg ").count(), 6);
        let md = render_posture_markdown(&report, &loaded.snapshot, &config, &options);
        for heading in [
            "## Executive summary",
            "## Posture score by area",
            "## Top risks",
            "## The tenant at a glance",
            "## Remediation plan",
            "## Findings in detail",
            "## Limitations",
            "## Appendix A",
            "## Appendix B",
        ] {
            assert!(md.contains(heading), "{heading}");
        }
    }

    #[test]
    fn missing_data_is_reported_as_limitations() {
        let (mut loaded, config) = contoso();
        // As if sign-in activity and the audit log had not been exported.
        loaded
            .snapshot
            .datasets
            .remove(&grantscope_core::model::Dataset::SignInActivity);
        loaded
            .snapshot
            .datasets
            .remove(&grantscope_core::model::Dataset::AuditEvents);
        let report = run(&loaded, &config, as_of());
        let html = render_posture_html(
            &report,
            &loaded.snapshot,
            &config,
            &PostureOptions::default(),
        );
        assert!(html.contains("<td>signInActivity</td>"));
        assert!(html.contains("<td>auditEvents</td>"));
        assert!(html.contains("GS501 stale-guest</td><td>not evaluated</td>"));
        assert!(html.contains("incomplete"));
        assert!(html.contains("Client not named"));
        // The first thing to do is to complete the export, and the grade says why it is capped.
        let todo = &html[html.find("The first three things to do").unwrap()..];
        assert!(
            todo.contains("<li><strong>Complete the export so that the "),
            "{todo}"
        );
        assert!(html.contains("Part of this score reflects missing data"));
    }
}
