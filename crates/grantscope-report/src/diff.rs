//! Rendering a [`GovernanceDiff`] (`grantscope diff OLD NEW`) as text, Markdown and JSON.
//!
//! Messages and labels come from the exports (display names are attacker-controlled): text goes
//! through [`sanitize_terminal`], Markdown through [`markdown_escape`].

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use grantscope_core::diff::{Area, Change, Direction, GovernanceDiff};
use grantscope_core::findings::Severity;

use crate::{TextOptions, markdown_escape, sanitize_terminal};

/// The diff as pretty-printed JSON with a trailing newline (`schemaVersion` "1").
///
/// # Errors
/// Only if serialisation fails, which `serde_json` does not do for these values.
pub fn render_diff_json(diff: &GovernanceDiff) -> serde_json::Result<String> {
    let mut s = crate::json_escape_controls(serde_json::to_string_pretty(diff)?);
    s.push('\n');
    Ok(s)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn direction_style(d: Direction) -> Style {
    match d {
        Direction::Riskier => AnsiColor::Red.on_default().bold(),
        Direction::Safer => AnsiColor::Green.on_default().bold(),
        Direction::Neutral => Style::new().dimmed(),
    }
}

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Critical => AnsiColor::Magenta.on_default().bold(),
        Severity::High => AnsiColor::Red.on_default().bold(),
        Severity::Medium => AnsiColor::Yellow.on_default().bold(),
        Severity::Low => AnsiColor::Cyan.on_default(),
        Severity::Info => Style::new().dimmed(),
    }
}

/// `+` riskier, `-` safer, `~` neutral: the marker in front of each change.
fn marker(d: Direction) -> &'static str {
    match d {
        Direction::Riskier => "+",
        Direction::Safer => "-",
        Direction::Neutral => "~",
    }
}

/// The one-line headline shared by text and Markdown.
fn headline(diff: &GovernanceDiff) -> String {
    let s = &diff.summary;
    let mut out = plural(s.changes, "change", "changes");
    if s.changes > 0 {
        let _ = write!(
            out,
            " ({} riskier, {} safer, {} neutral)",
            s.riskier, s.safer, s.neutral
        );
    }
    let _ = write!(
        out,
        "; {} new {}, {} fixed",
        s.new_findings,
        if s.new_findings == 1 {
            "finding"
        } else {
            "findings"
        },
        s.fixed_findings
    );
    if s.guest_assignments_added > 0 {
        let _ = write!(
            out,
            "; {} gained access",
            plural(s.guest_assignments_added, "guest", "guests")
        );
    }
    out
}

fn location(change: &Change) -> String {
    match &change.subject.source {
        Some(src) => format!(" ({}:{})", src.file, src.line),
        None => String::new(),
    }
}

/// The diff for a terminal: a headline, the two sides, the changes by area (`+` riskier, `-`
/// safer, `~` neutral, each with its kind and subject), then the new and fixed findings.
#[must_use]
pub fn render_diff_text(diff: &GovernanceDiff, options: TextOptions) -> String {
    let paint = |style: Style, text: &str| options.paint(style, text);
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}",
        paint(bold, "grantscope diff:"),
        headline(diff)
    );
    for (name, side) in [("old", &diff.old), ("new", &diff.new)] {
        let _ = writeln!(
            out,
            "  {name}: {} (as of {}, {}, {})",
            sanitize_terminal(if side.label.is_empty() {
                "-"
            } else {
                &side.label
            }),
            side.as_of,
            plural(side.files, "file", "files"),
            plural(side.findings, "finding", "findings"),
        );
    }
    for note in &diff.not_compared {
        let _ = writeln!(out, "  not compared: {}", sanitize_terminal(note));
    }
    if diff.changes.is_empty() {
        let _ = writeln!(out, "\nNo governance changes.");
    }
    for area in Area::ALL {
        let changes: Vec<&Change> = diff.changes.iter().filter(|c| c.area == area).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", paint(bold, area.title()));
        for c in changes {
            let _ = writeln!(
                out,
                "  {} {}",
                paint(direction_style(c.direction), marker(c.direction)),
                sanitize_terminal(&c.message)
            );
            let _ = writeln!(
                out,
                "    {}",
                paint(
                    dim,
                    &format!(
                        "{} · {} · {} {}{}",
                        c.direction.as_str(),
                        c.kind,
                        c.subject.kind,
                        sanitize_terminal(&c.subject.id),
                        sanitize_terminal(&location(c))
                    )
                )
            );
        }
    }
    for (title, list) in [
        ("New findings", &diff.findings.new),
        ("Fixed findings", &diff.findings.fixed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n{}",
            paint(bold, &format!("{title} ({})", list.len()))
        );
        for f in list {
            let _ = writeln!(
                out,
                "  {} {} {}: {}",
                paint(
                    severity_style(f.severity),
                    &f.severity.as_str().to_ascii_uppercase()
                ),
                paint(bold, &f.rule_id),
                f.rule_name,
                sanitize_terminal(&f.message)
            );
            let _ = writeln!(out, "    {}", paint(dim, &crate::check::subject_line(f)));
        }
    }
    out
}

fn direction_cell(d: Direction) -> &'static str {
    match d {
        Direction::Riskier => "🔺 riskier",
        Direction::Safer => "🟢 safer",
        Direction::Neutral => "➖ neutral",
    }
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Info",
    }
}

/// The diff as GitHub Flavored Markdown (a job summary or pull-request comment), with a
/// trailing newline: a headline, a table of the two sides, a table of changes per area and
/// tables of the new and fixed findings.
#[must_use]
pub fn render_diff_markdown(diff: &GovernanceDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# grantscope diff\n");
    let _ = writeln!(out, "**{}**\n", headline(diff));
    let _ = writeln!(out, "| | old | new |\n|---|---|---|");
    let label = |l: &str| {
        if l.is_empty() {
            "—".to_owned()
        } else {
            markdown_escape(l)
        }
    };
    let _ = writeln!(
        out,
        "| export | {} | {} |",
        label(&diff.old.label),
        label(&diff.new.label)
    );
    let _ = writeln!(out, "| as of | {} | {} |", diff.old.as_of, diff.new.as_of);
    let _ = writeln!(out, "| files | {} | {} |", diff.old.files, diff.new.files);
    let _ = writeln!(
        out,
        "| findings | {} | {} |",
        diff.old.findings, diff.new.findings
    );
    if !diff.not_compared.is_empty() {
        let notes: Vec<String> = diff
            .not_compared
            .iter()
            .map(|n| markdown_escape(n))
            .collect();
        let _ = writeln!(out, "\nNot compared: {}.", notes.join("; "));
    }
    if diff.changes.is_empty() {
        let _ = writeln!(out, "\nNo governance changes.");
    }
    for area in Area::ALL {
        let changes: Vec<&Change> = diff.changes.iter().filter(|c| c.area == area).collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {}\n", area.title());
        let _ = writeln!(out, "| | change | kind | subject |\n|---|---|---|---|");
        for c in changes {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} {} |",
                direction_cell(c.direction),
                markdown_escape(&c.message),
                c.kind,
                c.subject.kind,
                markdown_escape(&c.subject.id)
            );
        }
    }
    for (title, list) in [
        ("New findings", &diff.findings.new),
        ("Fixed findings", &diff.findings.fixed),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {title} ({})\n", list.len());
        let _ = writeln!(
            out,
            "| severity | rule | finding | subject |\n|---|---|---|---|"
        );
        for f in list {
            let _ = writeln!(
                out,
                "| {} | {} {} | {} | {} {} |",
                severity_label(f.severity),
                f.rule_id,
                f.rule_name,
                markdown_escape(&f.message),
                f.subject.kind,
                markdown_escape(f.subject.display_name.as_deref().unwrap_or(&f.subject.id))
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use grantscope_core::diff::{
        ChangeKind, DiffSide, DiffSummary, FindingChanges, GovernanceDiff,
    };
    use grantscope_core::findings::{EntityRef, ToolInfo};
    use grantscope_core::model::EntityKind;

    use super::*;

    fn hostile() -> GovernanceDiff {
        let kind = ChangeKind::AssignmentAdded;
        let change = Change {
            kind,
            area: kind.area(),
            direction: kind.direction(),
            message: "Guest \"\u{1b}[31m<b>@evil|x</b>\" was assigned access package \"P\""
                .to_owned(),
            subject: EntityRef::new(EntityKind::Assignment, "a1"),
            related: Vec::new(),
            before: None,
            after: None,
            details: BTreeMap::new(),
        };
        GovernanceDiff {
            schema_version: "1".to_owned(),
            tool: ToolInfo {
                name: "grantscope".to_owned(),
                version: "0".to_owned(),
            },
            old: DiffSide::default(),
            new: DiffSide {
                label: "new\u{202e}dir".to_owned(),
                ..DiffSide::default()
            },
            changes: vec![change],
            findings: FindingChanges::default(),
            summary: DiffSummary {
                changes: 1,
                riskier: 1,
                guest_assignments_added: 1,
                ..DiffSummary::default()
            },
            not_compared: vec!["assignments: only in the old export".to_owned()],
        }
    }

    #[test]
    fn text_escapes_terminal_controls() {
        let text = render_diff_text(&hostile(), TextOptions::default());
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{202e}'),
            "{text}"
        );
        assert!(text.contains("  + Guest"), "{text}");
        assert!(
            text.contains("riskier · assignmentAdded · assignment a1"),
            "{text}"
        );
        assert!(text.contains("1 guest gained access"), "{text}");
        assert!(
            text.contains("  not compared: assignments: only in the old export\n"),
            "{text}"
        );
    }

    #[test]
    fn markdown_escapes_html_cells_and_mentions() {
        let md = render_diff_markdown(&hostile());
        assert!(!md.contains("<b>") && !md.contains("@evil"), "{md}");
        assert!(md.contains(r"\|x"), "{md}");
        assert!(md.contains("## Assignments"), "{md}");
    }
}
