//! JUnit XML, for the test tabs of Azure DevOps, GitLab, Jenkins and the like.
//!
//! One `<testsuite name="grantscope.<category>">` per rule category (in category order), one
//! `<testcase classname="grantscope.<category>" name="<ID> <name>">` per rule (in id order):
//!
//! - a rule with findings fails: one `<failure message="N findings" type="<highest severity>">`
//!   whose text lists every finding (severity, subject, file:line, message, fingerprint);
//! - waived and baselined findings do not fail their rule: they are listed in the test case's
//!   `<system-out>`, each with its waiver (reason, owner, expiry) or as baselined;
//! - a rule that could not be evaluated, or is disabled, is `<skipped message="reason"/>`: a rule
//!   that did not run has not passed;
//! - any other rule passes.
//!
//! Everything from the export is XML-escaped after control characters and line breaks are made
//! visible (`\u{1b}`, `\n`, as in the text output), and [`xml_escape`] replaces any character XML
//! 1.0 does not allow with U+FFFD, so a hostile display name can neither break the document, forge
//! elements, nor add lines to a failure's list.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use grantscope_core::findings::{Category, CoverageStatus, Finding, Report, Severity, Suppression};

use crate::common::subject_name;
use crate::sanitize_terminal;

/// A rule as a test case.
struct Case<'a> {
    id: &'a str,
    name: &'a str,
    category: Category,
    status: Option<&'a CoverageStatus>,
    reason: Option<&'a str>,
    /// The findings that count.
    findings: Vec<&'a Finding>,
    /// Waived or baselined findings: listed, not failing.
    suppressed: Vec<(&'a Finding, &'a Suppression)>,
}

/// Escapes text for XML 1.0 content and attribute values (`&`, `<`, `>`, `"`, `'`), replacing
/// characters XML 1.0 forbids with U+FFFD. Tab, line feed and carriage return are kept in
/// content and written as character references in attributes (where a parser would otherwise
/// normalise them to spaces).
#[must_use]
pub fn xml_escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' if attribute => {
                let _ = write!(out, "&#x{:X};", u32::from(c));
            }
            // XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
            // Rust chars are never surrogates, so only these are left to exclude.
            '\t' | '\n' | '\r' => out.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            // Allowed in XML 1.0 but "discouraged"; C1 controls (U+0080–U+009F) also drive
            // terminals when a CI log prints the file. Replace them too.
            '\u{7f}'..='\u{9f}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

/// An attribute value from data: terminal controls and line breaks made visible, then escaped.
fn attr(text: &str) -> String {
    xml_escape(&sanitize_terminal(text), true)
}

fn content(text: &str) -> String {
    xml_escape(text, false)
}

fn cases(report: &Report) -> Vec<Case<'_>> {
    let suppressions = report.suppression_index();
    let mut cases: BTreeMap<&str, Case<'_>> = BTreeMap::new();
    for c in &report.coverage {
        cases.insert(
            &c.rule_id,
            Case {
                id: &c.rule_id,
                name: &c.rule_name,
                category: c.category,
                status: Some(&c.status),
                reason: c.reason.as_deref(),
                findings: Vec::new(),
                suppressed: Vec::new(),
            },
        );
    }
    for f in &report.findings {
        let case = cases.entry(&f.rule_id).or_insert_with(|| Case {
            id: &f.rule_id,
            name: &f.rule_name,
            category: f.category,
            status: None,
            reason: None,
            findings: Vec::new(),
            suppressed: Vec::new(),
        });
        match suppressions.get(f.fingerprint.as_str()) {
            Some(s) => case.suppressed.push((f, s)),
            None => case.findings.push(f),
        }
    }
    cases.into_values().collect()
}

/// The text of a rule's `<failure>`: one block per finding. Data from the export goes through
/// [`sanitize_terminal`], so a line break in a name cannot forge a line of this list.
fn failure_text(findings: &[&Finding]) -> String {
    let mut text = String::new();
    for f in findings {
        finding_lines(&mut text, f);
    }
    let mut remediations: Vec<&str> = findings.iter().map(|f| f.remediation.as_str()).collect();
    remediations.sort_unstable();
    remediations.dedup();
    for r in remediations.iter().filter(|r| !r.is_empty()) {
        let _ = writeln!(text, "Remediation: {}", sanitize_terminal(r));
    }
    text
}

/// One finding: `[severity] kind name (file:line): message`, then its id and fingerprint.
fn finding_lines(text: &mut String, f: &Finding) {
    let location = match &f.subject.source {
        Some(src) if !src.file.is_empty() => {
            format!(" ({}:{})", sanitize_terminal(&src.file), src.line)
        }
        _ => String::new(),
    };
    let _ = writeln!(
        text,
        "[{}] {} {}{location}: {}",
        f.severity,
        f.subject.kind,
        sanitize_terminal(subject_name(f)),
        sanitize_terminal(&f.message)
    );
    let _ = writeln!(text, "    id: {}", sanitize_terminal(&f.subject.id));
    let _ = writeln!(
        text,
        "    fingerprint: {}",
        sanitize_terminal(&f.fingerprint)
    );
}

/// The `<system-out>` of a rule with waived or baselined findings: each finding, then why it
/// does not count.
fn suppressed_text(suppressed: &[(&Finding, &Suppression)]) -> String {
    let mut text = String::new();
    for (f, s) in suppressed {
        let _ = write!(text, "{}: ", s.kind.label().to_ascii_uppercase());
        finding_lines(&mut text, f);
        let mut why = s.describe();
        if let Some(src) = &s.source {
            let _ = write!(why, " ({src})");
        }
        let _ = writeln!(text, "    {}", sanitize_terminal(&why));
    }
    text
}

/// The report as a JUnit XML document (`<testsuites>`), with a trailing newline.
#[must_use]
pub fn render_junit(report: &Report) -> String {
    let cases = cases(report);
    let mut by_category: BTreeMap<Category, Vec<&Case<'_>>> = BTreeMap::new();
    for case in &cases {
        by_category.entry(case.category).or_default().push(case);
    }

    let count = |cases: &[&Case<'_>]| {
        let failures = cases.iter().filter(|c| !c.findings.is_empty()).count();
        let skipped = cases
            .iter()
            .filter(|c| {
                c.findings.is_empty()
                    && matches!(
                        c.status,
                        Some(CoverageStatus::NotEvaluated | CoverageStatus::Disabled)
                    )
            })
            .count();
        (cases.len(), failures, skipped)
    };
    let all: Vec<&Case<'_>> = cases.iter().collect();
    let (tests, failures, skipped) = count(&all);

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\">",
        attr(&format!(
            "{} {} (as of {})",
            report.tool.name, report.tool.version, report.as_of
        )),
    );
    for (category, cases) in &by_category {
        let (tests, failures, skipped) = count(cases);
        let _ = writeln!(
            out,
            "  <testsuite name=\"grantscope.{category}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\">"
        );
        for case in cases {
            let _ = write!(
                out,
                "    <testcase classname=\"grantscope.{category}\" name=\"{}\" time=\"0\"",
                attr(&format!("{} {}", case.id, case.name))
            );
            let system_out = if case.suppressed.is_empty() {
                String::new()
            } else {
                format!(
                    "      <system-out>{}</system-out>\n",
                    content(&suppressed_text(&case.suppressed))
                )
            };
            if let Some(worst) = case.findings.iter().map(|f| f.severity).max() {
                let n = case.findings.len();
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\" type=\"{worst}\">{}</failure>\n{system_out}    </testcase>",
                    attr(&format!(
                        "{n} {} ({}){}",
                        if n == 1 { "finding" } else { "findings" },
                        severity_counts(&case.findings),
                        not_counted(&case.suppressed)
                    )),
                    content(&failure_text(&case.findings)),
                );
            } else if !system_out.is_empty() {
                let _ = writeln!(out, ">\n{system_out}    </testcase>");
            } else {
                match case.status {
                    Some(CoverageStatus::NotEvaluated) => {
                        let _ = writeln!(
                            out,
                            ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                            attr(&format!(
                                "not evaluated: {}",
                                case.reason.unwrap_or("the data it needs is missing")
                            ))
                        );
                    }
                    Some(CoverageStatus::Disabled) => {
                        let _ = writeln!(
                            out,
                            ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                            attr(&format!(
                                "disabled: {}",
                                case.reason.unwrap_or("turned off in the configuration")
                            ))
                        );
                    }
                    _ => out.push_str("/>\n"),
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// `; 2 waived, 1 baselined not counted` (empty when nothing is suppressed).
fn not_counted(suppressed: &[(&Finding, &Suppression)]) -> String {
    let parts: Vec<String> = [
        grantscope_core::findings::SuppressionKind::Waiver,
        grantscope_core::findings::SuppressionKind::Baseline,
    ]
    .iter()
    .filter_map(|kind| {
        let n = suppressed.iter().filter(|(_, s)| s.kind == *kind).count();
        (n > 0).then(|| format!("{n} {}", kind.label()))
    })
    .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("; {} not counted", parts.join(", "))
    }
}

fn severity_counts(findings: &[&Finding]) -> String {
    Severity::ALL
        .iter()
        .filter_map(|s| {
            let n = findings.iter().filter(|f| f.severity == *s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_removes_invalid_characters() {
        assert_eq!(
            xml_escape("<a href=\"x\">&'</a>", false),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"
        );
        assert_eq!(
            xml_escape("a\u{1b}[2J\u{0}b", false),
            "a\u{fffd}[2J\u{fffd}b"
        );
        assert_eq!(xml_escape("a\nb\tc", false), "a\nb\tc");
        assert_eq!(xml_escape("a\nb\tc", true), "a&#xA;b&#x9;c");
        assert_eq!(xml_escape("\u{fffe}\u{9b}", false), "\u{fffd}\u{fffd}");
    }
}
