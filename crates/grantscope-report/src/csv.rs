//! CSV: one row per finding, in report order, for spreadsheets and ticketing imports.
//!
//! Columns: `severity, ruleId, ruleName, category, subjectKind, subjectId, subjectName, file,
//! line, message, remediation, fingerprint, waived, waiverReason, waiverOwner, waiverExpires,
//! baselined` (`waived` and `baselined` are `true` or `false`; waived and baselined findings do
//! not count for `--fail-on`). Quoting follows RFC 4180 (fields with `"`, `,` or
//! line breaks are quoted, quotes doubled; records end with CRLF). UTF-8 without a byte-order mark.
//!
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
//! formula by Excel, LibreOffice or Google Sheets (CSV injection); such cells get a leading `'`,
//! which the spreadsheet shows but does not evaluate (OWASP's recommendation). Characters that
//! control a terminal (escape sequences, bidi overrides, the line and paragraph separators U+2028
//! and U+2029) are replaced with U+FFFD; everything else
//! is kept as it is.

use grantscope_core::findings::{Report, SuppressionKind};

use crate::common::subject_name;

/// The header row.
pub const CSV_COLUMNS: [&str; 17] = [
    "severity",
    "ruleId",
    "ruleName",
    "category",
    "subjectKind",
    "subjectId",
    "subjectName",
    "file",
    "line",
    "message",
    "remediation",
    "fingerprint",
    "waived",
    "waiverReason",
    "waiverOwner",
    "waiverExpires",
    "baselined",
];

/// Replaces characters that control a terminal (C0 and C1 controls other than tab, line feed and
/// carriage return, bidi overrides and isolates, U+2028 and U+2029) with U+FFFD, so that printing
/// the file is safe.
fn without_controls(cell: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
    };
    if cell.contains(bad) {
        std::borrow::Cow::Owned(
            cell.chars()
                .map(|c| if bad(c) { '\u{fffd}' } else { c })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Prefixes a cell that a spreadsheet would evaluate with `'`.
///
/// ```
/// use grantscope_report::csv_neutralise;
/// assert_eq!(csv_neutralise("=1+1"), "'=1+1");
/// assert_eq!(csv_neutralise("Alice"), "Alice");
/// ```
#[must_use]
pub fn csv_neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The report's findings as CSV with a header row.
///
/// # Errors
/// Only if the CSV writer fails, which it does not when writing to memory.
pub fn render_csv(report: &Report) -> Result<String, ::csv::Error> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .quote_style(::csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS)?;
    let suppressions = report.suppression_index();
    for f in &report.findings {
        let suppression = suppressions.get(f.fingerprint.as_str());
        let waiver = suppression.filter(|s| s.kind == SuppressionKind::Waiver);
        let waived = if waiver.is_some() { "true" } else { "false" };
        let baselined = if suppression.is_some_and(|s| s.kind == SuppressionKind::Baseline) {
            "true"
        } else {
            "false"
        };
        let (file, line) = match &f.subject.source {
            Some(src) => (src.file.as_str(), src.line.to_string()),
            None => ("", String::new()),
        };
        let row = [
            f.severity.as_str(),
            &f.rule_id,
            &f.rule_name,
            f.category.as_str(),
            f.subject.kind.name(),
            &f.subject.id,
            subject_name(f),
            file,
            &line,
            &f.message,
            &f.remediation,
            &f.fingerprint,
            waived,
            waiver.and_then(|w| w.reason.as_deref()).unwrap_or(""),
            waiver.and_then(|w| w.owner.as_deref()).unwrap_or(""),
            waiver.and_then(|w| w.expires.as_deref()).unwrap_or(""),
            baselined,
        ];
        writer.write_record(
            row.iter()
                .map(|cell| csv_neutralise(&without_controls(cell)).into_owned()),
        )?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ::csv::Error::from(e.into_error()))?;
    // Every cell was a &str, so the output is UTF-8.
    Ok(String::from_utf8(bytes).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        for cell in ["=1", "+1", "-1", "@SUM(1)", "\tx", "\rx"] {
            assert!(csv_neutralise(cell).starts_with('\''), "{cell:?}");
        }
        for cell in ["", "a=1", " =1", "'x", "1-2"] {
            assert_eq!(csv_neutralise(cell), cell);
        }
    }
}
