//! Rendering a check [`Report`] as text (what a person reads first) and as JSON (the versioned
//! contract in `schemas/report.schema.json`).

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use grantscope_core::baseline::BaselineEntry;
use grantscope_core::findings::{CoverageStatus, Finding, Report, Severity, SuppressionKind};
use grantscope_core::waivers::WaiverStatus;

use crate::{TextOptions, sanitize_terminal};

/// How many evidence facts the text output shows per finding (the JSON has all of them).
const EVIDENCE_LINES: usize = 4;
/// Longest evidence value shown in text before it is shortened.
const EVIDENCE_WIDTH: usize = 100;

/// The report as pretty-printed JSON with a trailing newline. Deterministic: the report's lists
/// are already sorted and its maps are ordered.
pub fn render_report_json(report: &Report) -> serde_json::Result<String> {
    let mut s = crate::json_escape_controls(serde_json::to_string_pretty(report)?);
    s.push('\n');
    Ok(s)
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

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// A one-line rendering of an evidence value: scalars as is, lists joined, objects compact.
fn evidence_value(v: &serde_json::Value) -> String {
    let text = match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| match i {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    };
    if text.chars().count() > EVIDENCE_WIDTH {
        let cut: String = text.chars().take(EVIDENCE_WIDTH).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// A finding's subject for a terminal line: kind, name (or id) and where it starts, sanitised.
pub(crate) fn subject_line(f: &Finding) -> String {
    let name = f.subject.display_name.as_deref().unwrap_or(&f.subject.id);
    let mut s = format!("{} {}", f.subject.kind, sanitize_terminal(name));
    if let Some(src) = &f.subject.source {
        let _ = write!(s, " ({}:{})", sanitize_terminal(&src.file), src.line);
    }
    s
}

/// The report for a terminal, grouped by severity (most severe first), then rule.
#[must_use]
pub fn render_report_text(report: &Report, options: TextOptions) -> String {
    let paint = |style: Style, text: &str| options.paint(style, text);
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let warn = AnsiColor::Yellow.on_default().bold();
    let mut out = String::new();
    let suppressions = report.suppression_index();

    let mut current: Option<(Severity, &str)> = None;
    for f in &report.findings {
        if current != Some((f.severity, f.rule_id.as_str())) {
            current = Some((f.severity, f.rule_id.as_str()));
            let count = report
                .findings
                .iter()
                .filter(|g| g.severity == f.severity && g.rule_id == f.rule_id)
                .count();
            let _ = writeln!(
                out,
                "\n{} {} {}{}",
                paint(
                    severity_style(f.severity),
                    &f.severity.as_str().to_ascii_uppercase()
                ),
                paint(bold, &f.rule_id),
                f.rule_name,
                if count > 1 {
                    format!(" ({count})")
                } else {
                    String::new()
                }
            );
        }
        let suppression = suppressions.get(f.fingerprint.as_str());
        let tag = suppression.map_or(String::new(), |s| {
            format!("{} ", paint(dim, &format!("[{}]", s.kind.label())))
        });
        let _ = writeln!(out, "  - {tag}{}", sanitize_terminal(&f.message));
        let _ = writeln!(out, "    {}", paint(dim, &subject_line(f)));
        if let Some(s) = suppression.filter(|s| s.kind == SuppressionKind::Waiver) {
            let at = s
                .source
                .as_ref()
                .map_or(String::new(), |src| format!(" ({src})"));
            let _ = writeln!(
                out,
                "    {}",
                paint(dim, &sanitize_terminal(&format!("{}{at}", s.describe())))
            );
        }
        for (k, v) in f.evidence.iter().take(EVIDENCE_LINES) {
            let _ = writeln!(out, "    {}: {}", k, sanitize_terminal(&evidence_value(v)));
        }
        if f.evidence.len() > EVIDENCE_LINES {
            let _ = writeln!(
                out,
                "    {}",
                paint(
                    dim,
                    &format!(
                        "… {} more {} in --format json",
                        f.evidence.len() - EVIDENCE_LINES,
                        plural(f.evidence.len() - EVIDENCE_LINES, "fact", "facts")
                    )
                )
            );
        }
    }

    let not_evaluated: Vec<_> = report
        .coverage
        .iter()
        .filter(|c| c.status == CoverageStatus::NotEvaluated)
        .collect();
    if !not_evaluated.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint(
                bold,
                "Not evaluated (missing data — never counted as passed)"
            )
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
    }

    let problems: Vec<_> = report
        .waivers
        .iter()
        .filter(|w| w.status != WaiverStatus::Applied)
        .collect();
    if !problems.is_empty() {
        let _ = writeln!(out, "\n{}", paint(bold, "Waivers that do not apply"));
        for w in problems {
            let _ = writeln!(
                out,
                "  - {}",
                paint(warn, &sanitize_terminal(&w.describe()))
            );
        }
    }

    if let Some(b) = &report.baseline {
        let _ = writeln!(
            out,
            "\n{} {} {}: {} new, {} known, {} fixed{}",
            paint(bold, "Baseline"),
            b.entries,
            plural(b.entries, "entry", "entries"),
            b.new.len(),
            b.known,
            b.fixed.len(),
            if b.unchecked.is_empty() {
                String::new()
            } else {
                format!(", {} not re-checked (rule did not run)", b.unchecked.len())
            }
        );
        let by_fingerprint: std::collections::BTreeMap<&str, &Finding> = report
            .findings
            .iter()
            .map(|f| (f.fingerprint.as_str(), f))
            .collect();
        for fp in &b.new {
            if let Some(f) = by_fingerprint.get(fp.as_str()) {
                let _ = writeln!(
                    out,
                    "  {} {} {} {}: {}",
                    paint(severity_style(f.severity), "new"),
                    f.rule_id,
                    f.rule_name,
                    sanitize_terminal(&subject_line(f)),
                    sanitize_terminal(&f.message)
                );
            }
        }
        for e in &b.fixed {
            let _ = writeln!(
                out,
                "  {} {}",
                paint(AnsiColor::Green.on_default().bold(), "fixed"),
                entry_line(e)
            );
        }
    }

    let s = &report.summary;
    let mut parts = Vec::new();
    for sev in Severity::ALL {
        if let Some(n) = s.by_severity.get(&sev) {
            parts.push(paint(severity_style(sev), &format!("{n} {sev}")));
        }
    }
    let mut not_counted = Vec::new();
    if s.waived > 0 {
        not_counted.push(format!("{} waived", s.waived));
    }
    if s.baselined > 0 {
        not_counted.push(format!("{} baselined", s.baselined));
    }
    let _ = writeln!(
        out,
        "\n{} {} {}{}{} · {} {} evaluated, {} not evaluated{} · as of {}",
        paint(bold, "Found"),
        s.total,
        plural(s.total, "finding", "findings"),
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        },
        if not_counted.is_empty() {
            String::new()
        } else {
            format!(" · {} (not counted)", not_counted.join(", "))
        },
        s.rules_evaluated,
        plural(s.rules_evaluated, "rule", "rules"),
        s.rules_not_evaluated,
        if s.rules_disabled > 0 {
            format!(", {} disabled", s.rules_disabled)
        } else {
            String::new()
        },
        report.as_of
    );
    if out.starts_with('\n') {
        out.remove(0);
    }
    out
}

/// A baseline entry on one line: `GS401 user Noah Kim: message`.
fn entry_line(e: &BaselineEntry) -> String {
    let name = e.subject.display_name.as_deref().unwrap_or(&e.subject.id);
    sanitize_terminal(&format!(
        "{} {} {}: {}",
        e.rule_id, e.subject.kind, name, e.message
    ))
    .into_owned()
}
