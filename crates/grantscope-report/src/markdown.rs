//! Markdown for a GitHub job summary (`$GITHUB_STEP_SUMMARY`) or a pull-request comment (GitHub
//! Flavored Markdown): a title, a summary table, the findings grouped by rule, each rule in a
//! collapsible `<details>` with a table (subject, message, key evidence), and the rules that
//! could not be evaluated, with the reason. Waived and baselined findings are marked as such in
//! their row (with the waiver's reason, owner and expiry); waivers that expired or match nothing,
//! and the comparison with a baseline (new and fixed findings), have sections of their own.
//!
//! Every piece of data is escaped for where it goes ([`markdown_escape`] in Markdown, HTML
//! escaping inside the `<summary>` HTML), so a display name cannot add emphasis, links, images,
//! HTML, table cells or lines, nor mention (`@name`) anyone.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use grantscope_core::findings::{CoverageStatus, Finding, Report, Severity, Suppression};
use grantscope_core::waivers::WaiverStatus;

use crate::common::{evidence_text, finding_location, rule_docs_url, subject_name};
use crate::sanitize_terminal;

/// Evidence facts shown per finding (the JSON and SARIF have all of them).
const EVIDENCE_FACTS: usize = 3;
/// Longest evidence value shown before it is cut.
const EVIDENCE_WIDTH: usize = 80;
/// Rows per rule table: a job summary is limited to 1 MiB and a comment to 65,536 characters.
const ROWS_PER_RULE: usize = 50;

/// Escapes text for Markdown inline content, including a GFM table cell:
///
/// - terminal controls, bidi overrides and line breaks become visible escapes (`\n`, `\u{1b}`),
///   as in the text output, so a cell stays on its line;
/// - every ASCII punctuation character is backslash-escaped, which CommonMark renders literally:
///   no emphasis, code, links, images, raw HTML, entities or cell separators (`|`);
/// - a word joiner (U+2060) follows each `@`, so `@team` does not notify anybody.
///
/// ```
/// use grantscope_report::markdown_escape;
/// assert_eq!(markdown_escape("a|b*c"), r"a\|b\*c");
/// assert_eq!(markdown_escape("<b>"), r"\<b\>");
/// ```
#[must_use]
pub fn markdown_escape(text: &str) -> String {
    let text = sanitize_terminal(text);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
            out.push(c);
            if c == '@' {
                out.push('\u{2060}');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes text for HTML content (inside `<summary>`, where Markdown is not processed).
fn html_escape(text: &str) -> String {
    let text = sanitize_terminal(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '@' => out.push_str("@\u{2060}"),
            _ => out.push(c),
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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

fn subject_cell(report: &Report, f: &Finding) -> String {
    let (file, line) = finding_location(report, f);
    let location = if f.subject.source.is_some() {
        format!("<br>{}:{line}", markdown_escape(file))
    } else {
        String::new()
    };
    format!(
        "{} {}{location}",
        markdown_escape(f.subject.kind.name()),
        markdown_escape(subject_name(f)),
    )
}

fn evidence_cell(f: &Finding) -> String {
    let mut parts: Vec<String> = f
        .evidence
        .iter()
        .take(EVIDENCE_FACTS)
        .map(|(k, v)| {
            format!(
                "{}: {}",
                markdown_escape(k),
                markdown_escape(&evidence_text(v, EVIDENCE_WIDTH))
            )
        })
        .collect();
    if f.evidence.len() > EVIDENCE_FACTS {
        parts.push(format!("… {} more", f.evidence.len() - EVIDENCE_FACTS));
    }
    parts.join("<br>")
}

/// The report as GitHub Flavored Markdown, with a trailing newline.
#[must_use]
pub fn render_markdown(report: &Report) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(out, "# grantscope report\n");
    let counts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|sev| s.by_severity.get(sev).map(|n| format!("{n} {sev}")))
        .collect();
    let mut not_counted = Vec::new();
    if s.waived > 0 {
        not_counted.push(format!("{} waived", s.waived));
    }
    if s.baselined > 0 {
        not_counted.push(format!("{} baselined", s.baselined));
    }
    let _ = writeln!(
        out,
        "**{}**{}{} · {} evaluated, {} not evaluated{} · as of {} · {} {}\n",
        plural(s.total, "finding", "findings"),
        if counts.is_empty() {
            String::new()
        } else {
            format!(" ({})", counts.join(", "))
        },
        if not_counted.is_empty() {
            String::new()
        } else {
            format!(" · {} (not counted)", not_counted.join(", "))
        },
        plural(s.rules_evaluated, "rule", "rules"),
        s.rules_not_evaluated,
        if s.rules_disabled > 0 {
            format!(", {} disabled", s.rules_disabled)
        } else {
            String::new()
        },
        markdown_escape(&report.as_of),
        markdown_escape(&report.tool.name),
        markdown_escape(&report.tool.version),
    );

    out.push_str("| Severity | Findings |\n| --- | ---: |\n");
    for sev in Severity::ALL {
        let _ = writeln!(
            out,
            "| {} | {} |",
            severity_label(sev),
            s.by_severity.get(&sev).copied().unwrap_or(0)
        );
    }
    let _ = writeln!(out, "| **Total** | **{}** |", s.total);
    if s.waived > 0 {
        let _ = writeln!(out, "| Waived (not counted) | {} |", s.waived);
    }
    if s.baselined > 0 {
        let _ = writeln!(out, "| Baselined (not counted) | {} |", s.baselined);
    }
    out.push('\n');
    out.push_str("| Rules | Count |\n| --- | ---: |\n");
    let _ = writeln!(out, "| Evaluated | {} |", s.rules_evaluated);
    let _ = writeln!(
        out,
        "| Not evaluated (missing data) | {} |",
        s.rules_not_evaluated
    );
    let _ = writeln!(out, "| Disabled | {} |", s.rules_disabled);
    let failed = report
        .inputs
        .iter()
        .filter(|f| {
            matches!(
                f.outcome,
                grantscope_core::ingest::FileOutcome::Failed { .. }
            )
        })
        .count();
    if failed > 0 || !report.warnings.is_empty() {
        let _ = writeln!(
            out,
            "\n> [!WARNING]\n> {} failed to load and {} raised by the export: the results may be incomplete.",
            plural(failed, "input file", "input files"),
            plural(report.warnings.len(), "warning was", "warnings were"),
        );
    }

    let suppressions = report.suppression_index();
    // Findings grouped by rule, most severe rule first.
    let mut groups: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        groups.entry(&f.rule_id).or_default().push(f);
    }
    let mut groups: Vec<(&str, Vec<&Finding>)> = groups.into_iter().collect();
    grantscope_core::order::sort_by(&mut groups, |(a_id, a), (b_id, b)| {
        let worst = |v: &[&Finding]| v.iter().map(|f| f.severity).max();
        worst(b).cmp(&worst(a)).then_with(|| a_id.cmp(b_id))
    });
    if !groups.is_empty() {
        out.push_str("\n## Findings\n");
    }
    for (rule_id, findings) in &groups {
        let first = findings[0];
        let worst = findings
            .iter()
            .map(|f| f.severity)
            .max()
            .unwrap_or(first.severity);
        let suppressed = findings
            .iter()
            .filter(|f| suppressions.contains_key(f.fingerprint.as_str()))
            .count();
        let _ = writeln!(
            out,
            "\n<details>\n<summary><strong>{}</strong> {} · {} · {}{}</summary>\n",
            html_escape(rule_id),
            html_escape(&first.rule_name),
            worst,
            plural(findings.len(), "finding", "findings"),
            if suppressed > 0 {
                format!(" ({suppressed} not counted)")
            } else {
                String::new()
            },
        );
        let _ = writeln!(
            out,
            "{} · [rule documentation]({})\n",
            markdown_escape(first.category.as_str()),
            rule_docs_url(&url_segment(rule_id)),
        );
        out.push_str("| Severity | Subject | Message | Evidence |\n| --- | --- | --- | --- |\n");
        for f in findings.iter().take(ROWS_PER_RULE) {
            let suppression = suppressions.get(f.fingerprint.as_str()).copied();
            let _ = writeln!(
                out,
                "| {}{} | {} | {}{} | {} |",
                f.severity,
                suppression.map_or(String::new(), |s| format!("<br>*{}*", s.kind.label())),
                subject_cell(report, f),
                markdown_escape(&f.message),
                suppression.map_or(String::new(), suppression_note),
                evidence_cell(f),
            );
        }
        if findings.len() > ROWS_PER_RULE {
            let _ = writeln!(
                out,
                "\n… and {} more (every finding is in the JSON, SARIF and CSV reports).",
                findings.len() - ROWS_PER_RULE
            );
        }
        let mut remediations: Vec<&str> = findings.iter().map(|f| f.remediation.as_str()).collect();
        remediations.sort_unstable();
        remediations.dedup();
        for r in remediations.iter().filter(|r| !r.is_empty()) {
            let _ = writeln!(out, "\n**Remediation:** {}", markdown_escape(r));
        }
        out.push_str("\n</details>\n");
    }

    waiver_section(&mut out, report);
    baseline_section(&mut out, report);

    let not_run: Vec<_> = report
        .coverage
        .iter()
        .filter(|c| c.status != CoverageStatus::Evaluated)
        .collect();
    if !not_run.is_empty() {
        out.push_str(
            "\n## Not evaluated\n\nThese rules did not run, so their checks are not known to pass.\n\n\
             | Rule | Status | Reason |\n| --- | --- | --- |\n",
        );
        for c in not_run {
            let status = match c.status {
                CoverageStatus::Disabled => "disabled",
                _ => "not evaluated",
            };
            let _ = writeln!(
                out,
                "| {} {} | {status} | {} |",
                markdown_escape(&c.rule_id),
                markdown_escape(&c.rule_name),
                markdown_escape(c.reason.as_deref().unwrap_or("")),
            );
        }
    }
    out
}

/// The waiver behind a waived finding, for its message cell (nothing for baselined findings:
/// the severity cell says so).
fn suppression_note(s: &Suppression) -> String {
    match s.kind {
        grantscope_core::findings::SuppressionKind::Waiver => {
            format!("<br>*{}*", markdown_escape(&s.describe()))
        }
        grantscope_core::findings::SuppressionKind::Baseline => String::new(),
    }
}

/// Waivers that expired (their findings count again) or match nothing.
fn waiver_section(out: &mut String, report: &Report) {
    let problems: Vec<_> = report
        .waivers
        .iter()
        .filter(|w| w.status != WaiverStatus::Applied)
        .collect();
    if problems.is_empty() {
        return;
    }
    out.push_str(
        "\n## Waivers that do not apply\n\n| Status | Waiver | Owner | Expires | Findings |\n| --- | --- | --- | --- | ---: |\n",
    );
    for w in problems {
        let _ = writeln!(
            out,
            "| {} | {}<br>{} | {} | {} | {} |",
            w.status.as_str(),
            markdown_escape(&w.source.to_string()),
            markdown_escape(&w.selector()),
            markdown_escape(&w.owner),
            markdown_escape(&w.expires),
            w.findings.len(),
        );
    }
    out.push_str(
        "\nAn expired waiver no longer applies: its findings count again. A waiver that matches no finding is stale: remove it.\n",
    );
}

/// The comparison with the baseline: counts, the new findings and the fixed entries.
fn baseline_section(out: &mut String, report: &Report) {
    let Some(b) = &report.baseline else {
        return;
    };
    let _ = writeln!(
        out,
        "\n## Baseline\n\n{} in the baseline: **{} new**, {} known (not counted), {} fixed{}.",
        plural(b.entries, "entry", "entries"),
        b.new.len(),
        b.known,
        b.fixed.len(),
        if b.unchecked.is_empty() {
            String::new()
        } else {
            format!(
                ", {} not re-checked (their rule did not run)",
                b.unchecked.len()
            )
        },
    );
    let by_fingerprint: BTreeMap<&str, &Finding> = report
        .findings
        .iter()
        .map(|f| (f.fingerprint.as_str(), f))
        .fold(BTreeMap::new(), grantscope_core::order::into_map);
    let new: Vec<&Finding> = b
        .new
        .iter()
        .filter_map(|fp| by_fingerprint.get(fp.as_str()).copied())
        .collect();
    if !new.is_empty() {
        out.push_str(
            "\n### New\n\n| Severity | Rule | Subject | Message |\n| --- | --- | --- | --- |\n",
        );
        for f in new.iter().take(ROWS_PER_RULE) {
            let _ = writeln!(
                out,
                "| {} | {} {} | {} | {} |",
                f.severity,
                markdown_escape(&f.rule_id),
                markdown_escape(&f.rule_name),
                subject_cell(report, f),
                markdown_escape(&f.message),
            );
        }
        if new.len() > ROWS_PER_RULE {
            let _ = writeln!(out, "\n… and {} more.", new.len() - ROWS_PER_RULE);
        }
    }
    if !b.fixed.is_empty() {
        out.push_str(
            "\n### Fixed\n\n| Severity | Rule | Subject | Message |\n| --- | --- | --- | --- |\n",
        );
        for e in b.fixed.iter().take(ROWS_PER_RULE) {
            let _ = writeln!(
                out,
                "| {} | {} | {} {} | {} |",
                e.severity,
                markdown_escape(&e.rule_id),
                markdown_escape(e.subject.kind.name()),
                markdown_escape(e.subject.display_name.as_deref().unwrap_or(&e.subject.id)),
                markdown_escape(&e.message),
            );
        }
        if b.fixed.len() > ROWS_PER_RULE {
            let _ = writeln!(out, "\n… and {} more.", b.fixed.len() - ROWS_PER_RULE);
        }
    }
}

/// A rule id as a URL path segment: ids are `GS` + digits, but a saved report may say anything.
fn url_segment(id: &str) -> String {
    id.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_are_escaped() {
        assert_eq!(
            markdown_escape("<script>alert(1)</script>"),
            r"\<script\>alert\(1\)\<\/script\>"
        );
        assert_eq!(markdown_escape("`x` _y_ [z](u)"), r"\`x\` \_y\_ \[z\]\(u\)");
        assert_eq!(markdown_escape("a\nb"), r"a\\nb");
        assert_eq!(markdown_escape("@SUM(1)"), "\\@\u{2060}SUM\\(1\\)");
        assert_eq!(
            html_escape("<b a=\"'\">&"),
            "&lt;b a=&quot;&#39;&quot;&gt;&amp;"
        );
    }
}
