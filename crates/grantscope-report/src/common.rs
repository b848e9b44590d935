//! What the CI formats (SARIF, JUnit, Markdown, GitHub annotations, CSV) share: rule links, where a
//! finding points to in the export, and one-line renderings of evidence.

use std::collections::BTreeMap;

use grantscope_core::findings::{Finding, Report};
use grantscope_core::ingest::FileOutcome;
use grantscope_core::rules::{ALL_RULES, RuleMeta};

/// Where the rule documentation lives: a rule's page is this base followed by its id.
pub const RULE_DOCS_BASE: &str = "https://grantscope.dev/rules/";

/// The tool's home page (SARIF `informationUri`).
pub const TOOL_URI: &str = "https://grantscope.dev";

/// The page documenting a rule, e.g. `https://grantscope.dev/rules/GS201`.
#[must_use]
pub fn rule_docs_url(rule_id: &str) -> String {
    format!("{RULE_DOCS_BASE}{rule_id}")
}

/// The file a finding is reported against when its subject has no source (a tenant-wide
/// finding): GitHub code scanning rejects results without a file.
pub(crate) const PLACEHOLDER_FILE: &str = "export";

/// How the export's file names (relative to the folder given to `check`) become paths a CI
/// service can open, usually relative to the repository root: `prefix` + name.
///
/// ```
/// use grantscope_report::SourcePaths;
/// let paths = SourcePaths::new(r".\exports\contoso");
/// assert_eq!(paths.path("users.json"), "exports/contoso/users.json");
/// assert_eq!(SourcePaths::default().path(r"a\b.json"), "a/b.json");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourcePaths {
    prefix: String,
}

impl SourcePaths {
    /// A prefix (a folder) put in front of every file name. Backslashes become `/`, a leading
    /// `./` is dropped and a trailing `/` added; `""` and `.` mean no prefix.
    #[must_use]
    pub fn new(prefix: &str) -> Self {
        let mut p = prefix.replace('\\', "/");
        while let Some(rest) = p.strip_prefix("./") {
            p = rest.to_owned();
        }
        if p == "." {
            p.clear();
        }
        if !p.is_empty() && !p.ends_with('/') {
            p.push('/');
        }
        SourcePaths { prefix: p }
    }

    /// The path of a file named in the report, with `/` separators.
    #[must_use]
    pub fn path(&self, file: &str) -> String {
        let file = file.replace('\\', "/");
        if self.prefix.is_empty() || file.starts_with('/') {
            file
        } else {
            format!("{}{file}", self.prefix)
        }
    }
}

/// The file and line a finding points to: its subject's source, else the first loaded input file
/// (line 1), else [`PLACEHOLDER_FILE`]. Lines are at least 1.
pub(crate) fn finding_location<'a>(report: &'a Report, finding: &'a Finding) -> (&'a str, u32) {
    match &finding.subject.source {
        Some(src) if !src.file.is_empty() => (src.file.as_str(), src.line.max(1)),
        _ => (fallback_file(report), 1),
    }
}

/// The column a finding points to, or 0: `lint` findings say where the offending field is
/// written (`evidence.location.column`); findings about an export point at an object's line.
pub(crate) fn finding_column(finding: &Finding) -> u32 {
    finding
        .evidence
        .get("location")
        .and_then(|l| l.get("column"))
        .and_then(serde_json::Value::as_u64)
        .and_then(|c| u32::try_from(c).ok())
        .unwrap_or(0)
}

/// The first loaded input file, else the first input, else [`PLACEHOLDER_FILE`].
pub(crate) fn fallback_file(report: &Report) -> &str {
    report
        .inputs
        .iter()
        .find(|f| matches!(f.outcome, FileOutcome::Loaded { .. }))
        .or_else(|| report.inputs.first())
        .map_or(PLACEHOLDER_FILE, |f| f.name.as_str())
}

/// The registry's metadata by rule id.
pub(crate) fn rule_metas() -> BTreeMap<&'static str, &'static RuleMeta> {
    ALL_RULES.iter().map(|r| (r.meta().id, r.meta())).collect()
}

/// A one-line rendering of an evidence value: strings as they are, lists joined with `, `,
/// anything else as compact JSON. Longer than `width` characters, it is cut with `…`.
pub(crate) fn evidence_text(value: &serde_json::Value, width: usize) -> String {
    let text = match value {
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
    if text.chars().count() > width {
        let cut: String = text.chars().take(width).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// The subject as people name it: its display name, else its id.
pub(crate) fn subject_name(finding: &Finding) -> &str {
    finding
        .subject
        .display_name
        .as_deref()
        .unwrap_or(&finding.subject.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_normalised() {
        assert_eq!(SourcePaths::new("").path("a.json"), "a.json");
        assert_eq!(SourcePaths::new(".").path("a.json"), "a.json");
        assert_eq!(SourcePaths::new("./x/").path("a.json"), "x/a.json");
        assert_eq!(SourcePaths::new("x").path("d/a.json"), "x/d/a.json");
        assert_eq!(SourcePaths::new("x").path("/abs/a.json"), "/abs/a.json");
    }

    #[test]
    fn long_evidence_is_cut() {
        let v = serde_json::json!(["a", 1, {"k": true}]);
        assert_eq!(evidence_text(&v, 100), "a, 1, {\"k\":true}");
        assert_eq!(evidence_text(&serde_json::json!("abcdef"), 3), "abc…");
    }
}
