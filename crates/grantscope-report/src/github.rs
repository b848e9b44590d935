//! GitHub Actions workflow commands: one annotation per finding, shown on the run and, when the
//! export is in the repository, on the file:
//!
//! ```text
//! ::error file=exports/contoso/users.json,line=12,title=GS204 self-approved-request::Omar Haddad …
//! ```
//!
//! critical and high → `error`, medium → `warning`, low and info → `notice`. Waived findings are
//! always `notice`s, titled `(…, waived)`: they do not fail the run, so they must not look as if
//! they did. Baselined findings are not annotated at all (they are known, and a baseline can hold
//! hundreds); the closing summary counts them, and each finding the baseline lists as fixed gets a
//! `notice`. Rules that could not be evaluated, and waivers that expired or match nothing, become
//! `warning`s; a closing `notice` sums the run up.
//!
//! Escaping follows `@actions/core` (`escapeData`, `escapeProperty`): in data `%` → `%25`,
//! `\r` → `%0D`, `\n` → `%0A`; in properties also `:` → `%3A` and `,` → `%2C`. Data from the
//! export is first made safe for the log ([`sanitize_terminal`]), so a name can neither start a
//! workflow command of its own (no line break survives) nor colour or clear the log.

use std::fmt::Write as _;

use grantscope_core::findings::{CoverageStatus, Report, Severity, SuppressionKind};
use grantscope_core::waivers::WaiverStatus;

use crate::common::{SourcePaths, subject_name};
use crate::sanitize_terminal;

/// The workflow command for a severity.
#[must_use]
pub fn github_command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

/// Escapes a workflow command's message (`escapeData` of `@actions/core`).
#[must_use]
pub fn github_escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (`escapeProperty` of `@actions/core`).
#[must_use]
pub fn github_escape_property(text: &str) -> String {
    github_escape_data(text)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

/// Data from the export, safe for a log line and then escaped as command data.
fn data(text: &str) -> String {
    github_escape_data(&sanitize_terminal(text))
}

fn property(text: &str) -> String {
    github_escape_property(&sanitize_terminal(text))
}

/// The report as GitHub Actions workflow commands, one per line. File names go through `paths`
/// (a prefix that makes them relative to the repository root, so annotations land on the file).
#[must_use]
pub fn render_github(report: &Report, paths: &SourcePaths) -> String {
    let mut out = String::new();
    let suppressions = report.suppression_index();
    for f in &report.findings {
        let suppression = suppressions.get(f.fingerprint.as_str());
        if suppression.is_some_and(|s| s.kind == SuppressionKind::Baseline) {
            continue;
        }
        let mut props = Vec::new();
        if let Some(src) = f.subject.source.as_ref().filter(|s| !s.file.is_empty()) {
            props.push(format!("file={}", property(&paths.path(&src.file))));
            props.push(format!("line={}", src.line.max(1)));
            let column = crate::common::finding_column(f);
            if column > 0 {
                props.push(format!("col={column}"));
            }
        }
        props.push(format!(
            "title={}",
            property(&match suppression {
                Some(s) => format!(
                    "{} {} ({}, {})",
                    f.rule_id,
                    f.rule_name,
                    f.severity,
                    s.kind.label()
                ),
                None => format!("{} {} ({})", f.rule_id, f.rule_name, f.severity),
            })
        ));
        // Lines of the message are joined with an escaped line break (%0A), never a raw one.
        let mut lines = vec![
            data(&f.message),
            data(&format!(
                "Subject: {} {} ({})",
                f.subject.kind,
                subject_name(f),
                f.subject.id
            )),
            data(&format!("Remediation: {}", f.remediation)),
        ];
        if let Some(s) = suppression {
            lines.push(data(&format!("Not counted: {}", s.describe())));
        }
        let message = lines.join("%0A");
        let _ = writeln!(
            out,
            "::{} {}::{message}",
            if suppression.is_some() {
                "notice"
            } else {
                github_command(f.severity)
            },
            props.join(",")
        );
    }
    for c in &report.coverage {
        if c.status == CoverageStatus::NotEvaluated {
            let _ = writeln!(
                out,
                "::warning title={}::{}",
                property(&format!("{} {} not evaluated", c.rule_id, c.rule_name)),
                data(
                    c.reason
                        .as_deref()
                        .unwrap_or("the data it needs is missing")
                ),
            );
        }
    }
    for w in &report.waivers {
        if w.status != WaiverStatus::Applied {
            let _ = writeln!(
                out,
                "::warning title={}::{}",
                property(&format!("grantscope waiver {}", w.status.as_str())),
                data(&w.describe()),
            );
        }
    }
    if let Some(b) = &report.baseline {
        for e in &b.fixed {
            let _ = writeln!(
                out,
                "::notice title={}::{}",
                property(&format!("{} fixed since the baseline", e.rule_id)),
                data(&format!(
                    "{} {}: {}",
                    e.subject.kind,
                    e.subject.display_name.as_deref().unwrap_or(&e.subject.id),
                    e.message
                )),
            );
        }
    }
    let s = &report.summary;
    let mut not_counted = String::new();
    if s.waived > 0 {
        not_counted.push_str(&format!(", {} waived", s.waived));
    }
    if s.baselined > 0 {
        not_counted.push_str(&format!(", {} baselined (not annotated)", s.baselined));
    }
    if let Some(b) = &report.baseline {
        not_counted.push_str(&format!(
            "; baseline: {} new, {} fixed",
            b.new.len(),
            b.fixed.len()
        ));
    }
    let counts: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|sev| s.by_severity.get(sev).map(|n| format!("{n} {sev}")))
        .collect();
    let _ = writeln!(
        out,
        "::notice title=grantscope::{}",
        data(&format!(
            "{} {}{}{not_counted}; {} rules evaluated, {} not evaluated; as of {}",
            s.total,
            if s.total == 1 { "finding" } else { "findings" },
            if counts.is_empty() {
                String::new()
            } else {
                format!(" ({})", counts.join(", "))
            },
            s.rules_evaluated,
            s.rules_not_evaluated,
            report.as_of
        ))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_actions_core() {
        assert_eq!(github_escape_data("100%\r\nok::x,y"), "100%25%0D%0Aok::x,y");
        assert_eq!(github_escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn export_data_cannot_break_the_line() {
        assert_eq!(data("a\nb"), "a\\nb");
        assert_eq!(data("%0A"), "%250A");
        assert_eq!(data("\u{1b}[2J"), "\\u{1b}[2J");
    }
}
