//! The text output of `grantscope lint`: one block per finding headed by the place of the
//! offending field (`FILE:LINE:COLUMN`, as compilers and linters print it, so editors and
//! terminals can jump there), then the warnings, the rules that could not run, and a summary.
//! The other formats of a lint report are those of `check` (it is the same [`Report`]).

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use grantscope_core::findings::{CoverageStatus, Finding, Report, Severity};
use grantscope_core::ingest::FileOutcome;
use grantscope_core::lint::LINT_RULES;

use crate::{TextOptions, sanitize_terminal};

fn severity_style(s: Severity) -> Style {
    match s {
        Severity::Critical => AnsiColor::Magenta.on_default().bold(),
        Severity::High => AnsiColor::Red.on_default().bold(),
        Severity::Medium => AnsiColor::Yellow.on_default().bold(),
        Severity::Low => AnsiColor::Cyan.on_default(),
        Severity::Info => Style::new().dimmed(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `FILE:LINE:COLUMN` of a lint finding (from `evidence.location`), else `FILE:LINE` of its
/// subject, else nothing.
#[must_use]
pub fn lint_location(f: &Finding) -> Option<String> {
    let loc = f.evidence.get("location");
    let file = loc
        .and_then(|l| l.get("file"))
        .and_then(serde_json::Value::as_str);
    let line = loc
        .and_then(|l| l.get("line"))
        .and_then(serde_json::Value::as_u64);
    let column = loc
        .and_then(|l| l.get("column"))
        .and_then(serde_json::Value::as_u64);
    match (file, line, column) {
        (Some(file), Some(line), Some(column)) => Some(format!("{file}:{line}:{column}")),
        _ => f
            .subject
            .source
            .as_ref()
            .map(|s| format!("{}:{}", s.file, s.line)),
    }
}

/// The lint report for a terminal.
#[must_use]
pub fn render_lint_text(report: &Report, options: TextOptions) -> String {
    let paint = |style: Style, text: &str| options.paint(style, text);
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let mut out = String::new();
    for f in &report.findings {
        let place = lint_location(f).unwrap_or_else(|| f.subject.id.clone());
        let _ = writeln!(
            out,
            "{}: {} {} {}",
            paint(bold, &sanitize_terminal(&place)),
            paint(severity_style(f.severity), f.severity.as_str()),
            paint(bold, &f.rule_id),
            f.rule_name
        );
        let _ = writeln!(out, "  {}", sanitize_terminal(&f.message));
        if let Some(path) = f
            .evidence
            .get("location")
            .and_then(|l| l.get("path"))
            .and_then(serde_json::Value::as_str)
        {
            let _ = writeln!(
                out,
                "  {}",
                paint(dim, &format!("at {}", sanitize_terminal(path)))
            );
        }
        let _ = writeln!(
            out,
            "  {}",
            paint(dim, &format!("fix: {}", sanitize_terminal(&f.remediation)))
        );
        out.push('\n');
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "{}", paint(bold, "Warnings"));
        for w in &report.warnings {
            let place = if w.line > 0 {
                format!("{}:{}", w.file, w.line)
            } else {
                w.file.clone()
            };
            let path = w
                .path
                .as_deref()
                .map(|p| format!(" at {p}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}{}: {}",
                sanitize_terminal(&place),
                sanitize_terminal(&path),
                sanitize_terminal(&w.message)
            );
        }
        out.push('\n');
    }
    let not_evaluated: Vec<_> = report
        .coverage
        .iter()
        .filter(|c| {
            c.status == CoverageStatus::NotEvaluated && LINT_RULES.contains(&c.rule_id.as_str())
        })
        .collect();
    if !not_evaluated.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint(bold, "Not evaluated (never counted as passed)")
        );
        for c in &not_evaluated {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                c.rule_id,
                c.rule_name,
                sanitize_terminal(c.reason.as_deref().unwrap_or(""))
            );
        }
        out.push('\n');
    }
    let (files, policies) = report
        .inputs
        .iter()
        .filter_map(|i| match &i.outcome {
            FileOutcome::Loaded {
                items,
                recognised_by,
                ..
            } if recognised_by == "policyBody" || recognised_by == "terraformPlan" => Some(*items),
            _ => None,
        })
        .fold((0, 0), |(f, p), n| (f + 1, p + n));
    let s = &report.summary;
    let mut parts = Vec::new();
    for sev in Severity::ALL {
        if let Some(n) = s.by_severity.get(&sev) {
            parts.push(paint(severity_style(sev), &format!("{n} {sev}")));
        }
    }
    let _ = writeln!(
        out,
        "{} {}{} in {} from {} · {} not evaluated · as of {}",
        paint(bold, "Found"),
        plural(s.total, "finding", "findings"),
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        },
        plural(policies, "proposed policy", "proposed policies"),
        plural(files, "file", "files"),
        plural(not_evaluated.len(), "rule", "rules"),
        report.as_of
    );
    out
}
