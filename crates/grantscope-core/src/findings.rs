//! Findings and the report: what the rules produce, as data (never as errors). The JSON shape is
//! the contract of ARCHITECTURE.md → Contracts; `schemaVersion` changes when it does.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::baseline::BaselineOutcome;
use crate::ingest::{FileReport, LoadWarning};
use crate::model::{EntityKind, SourceRef};
use crate::waivers::WaiverOutcome;

/// Version of the JSON report format (see `schemas/report.schema.json`).
pub const SCHEMA_VERSION: &str = "1";

/// How serious a finding is. Ordered: `Info` < `Low` < … < `Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Parses a severity name (case-insensitive).
    #[must_use]
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fixed rule categories of RULES.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Eligibility,
    Approval,
    Expiration,
    Review,
    SeparationOfDuties,
    GuestLifecycle,
    Hygiene,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Eligibility,
        Category::Approval,
        Category::Expiration,
        Category::Review,
        Category::SeparationOfDuties,
        Category::GuestLifecycle,
        Category::Hygiene,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Eligibility => "eligibility",
            Category::Approval => "approval",
            Category::Expiration => "expiration",
            Category::Review => "review",
            Category::SeparationOfDuties => "separation-of-duties",
            Category::GuestLifecycle => "guest-lifecycle",
            Category::Hygiene => "hygiene",
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An entity a finding is about or points to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EntityRef {
    pub kind: EntityKind,
    /// Graph object id (users by object id, never by accessPackageSubject id).
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
}

impl EntityRef {
    #[must_use]
    pub fn new(kind: EntityKind, id: impl Into<String>) -> Self {
        EntityRef {
            kind,
            id: id.into(),
            display_name: None,
            source: None,
        }
    }

    #[must_use]
    pub fn named(mut self, name: Option<&str>) -> Self {
        self.display_name = name.map(str::to_owned);
        self
    }

    #[must_use]
    pub fn at(mut self, source: &SourceRef) -> Self {
        if !source.file.is_empty() {
            self.source = Some(source.clone());
        }
        self
    }
}

/// One problem, with everything needed to understand, prove and fix it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    pub rule_id: String,
    pub rule_name: String,
    pub category: Category,
    pub severity: Severity,
    /// One line, no trailing period.
    pub message: String,
    pub subject: EntityRef,
    /// The entities that prove the finding (the path through the graph).
    pub related: Vec<EntityRef>,
    /// The facts behind the finding, in a deterministic order.
    pub evidence: BTreeMap<String, serde_json::Value>,
    pub remediation: String,
    /// Stable across file renames, file order, display-name changes and unrelated additions.
    pub fingerprint: String,
}

/// A stable fingerprint: SHA-256 over the rule id, the subject and the rule's key parts (object
/// ids only, never names, messages or positions), truncated to 128 bits.
#[must_use]
pub fn fingerprint(rule_id: &str, subject: &EntityRef, key: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(rule_id.as_bytes());
    h.update([0]);
    h.update(subject.kind.name().as_bytes());
    h.update([0]);
    h.update(subject.id.as_bytes());
    for k in key {
        h.update([0]);
        h.update(k.as_bytes());
    }
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a rule ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CoverageStatus {
    Evaluated,
    NotEvaluated,
    /// Turned off in the configuration.
    Disabled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleCoverage {
    pub rule_id: String,
    pub rule_name: String,
    pub category: Category,
    pub status: CoverageStatus,
    /// Why a rule was not evaluated (which data is missing and how to export it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub findings: usize,
}

/// Counts for the summary line and the report header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub total: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    pub by_category: BTreeMap<Category, usize>,
    pub rules_evaluated: usize,
    pub rules_not_evaluated: usize,
    pub rules_disabled: usize,
    /// Findings accepted by a waiver (still in `findings`, not counted for `--fail-on`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub waived: usize,
    /// Findings already in the baseline (still in `findings`, not counted for `--fail-on`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub baselined: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The tool that produced a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

/// The whole result of `check`, shared by the CLI, the renderers and the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub schema_version: String,
    pub tool: ToolInfo,
    /// The analysis date (`YYYY-MM-DD`).
    pub as_of: String,
    pub inputs: Vec<FileReport>,
    pub warnings: Vec<LoadWarning>,
    /// Sorted by severity (desc), rule id, subject id, fingerprint.
    pub findings: Vec<Finding>,
    /// One entry per registered rule, in rule-id order.
    pub coverage: Vec<RuleCoverage>,
    pub summary: Summary,
    /// The findings that stay in `findings` but do not count for `--fail-on`, by fingerprint:
    /// waived (see `waivers`) or known from the baseline. In report order; absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Suppression>,
    /// Every waiver that was given, with what became of it: applied, expired (the finding
    /// counts again) or stale (it matches no finding). Absent when no waiver was given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<WaiverOutcome>,
    /// The comparison with a baseline (`check --baseline`): new, known and fixed findings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineOutcome>,
}

/// Why a finding does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SuppressionKind {
    /// Accepted by a waiver, with a reason, an owner and an expiry date.
    Waiver,
    /// Recorded in the baseline: known before, not new.
    Baseline,
}

impl SuppressionKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            SuppressionKind::Waiver => "waiver",
            SuppressionKind::Baseline => "baseline",
        }
    }

    /// The adjective for a finding: `waived` or `baselined`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            SuppressionKind::Waiver => "waived",
            SuppressionKind::Baseline => "baselined",
        }
    }
}

/// Where a waiver is written: the file and the line of its `[[waiver]]` header (0 if unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiverSource {
    pub file: String,
    pub line: u32,
}

impl std::fmt::Display for WaiverSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}", self.file, self.line)
        } else {
            f.write_str(&self.file)
        }
    }
}

/// A finding that is shown but not counted. A finding has at most one: a waiver wins over the
/// baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Suppression {
    pub fingerprint: String,
    pub kind: SuppressionKind,
    /// Waivers: why the finding is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Waivers: who answers for the decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Waivers: the last day the waiver applies (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// Waivers: where the waiver is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<WaiverSource>,
}

impl Suppression {
    /// A one-line description: `waived until 2027-03-31 by it-security@…: reason` or
    /// `baselined`.
    #[must_use]
    pub fn describe(&self) -> String {
        match self.kind {
            SuppressionKind::Baseline => "baselined (known before)".to_owned(),
            SuppressionKind::Waiver => {
                let mut s = "waived".to_owned();
                if let Some(expires) = &self.expires {
                    s.push_str(" until ");
                    s.push_str(expires);
                }
                if let Some(owner) = &self.owner {
                    s.push_str(" by ");
                    s.push_str(owner);
                }
                if let Some(reason) = &self.reason {
                    s.push_str(": ");
                    s.push_str(reason);
                }
                s
            }
        }
    }
}

impl Report {
    /// The suppressions by fingerprint.
    #[must_use]
    pub fn suppression_index(&self) -> BTreeMap<&str, &Suppression> {
        self.suppressions
            .iter()
            .map(|s| (s.fingerprint.as_str(), s))
            .fold(BTreeMap::new(), crate::order::into_map)
    }

    /// The suppression of one finding, if it is waived or baselined.
    #[must_use]
    pub fn suppression(&self, finding: &Finding) -> Option<&Suppression> {
        self.suppressions
            .iter()
            .find(|s| s.fingerprint == finding.fingerprint)
    }

    /// The findings that count (for `--fail-on`): neither waived nor baselined.
    #[must_use]
    pub fn counted_findings(&self) -> Vec<&Finding> {
        let index = self.suppression_index();
        self.findings
            .iter()
            .filter(|f| !index.contains_key(f.fingerprint.as_str()))
            .collect()
    }

    /// Recomputes the summary from the findings, the coverage and the suppressions.
    pub fn refresh_summary(&mut self) {
        let mut summary = Summary::of(&self.findings, &self.coverage);
        let index = self.suppression_index();
        for f in &self.findings {
            match index.get(f.fingerprint.as_str()).map(|s| s.kind) {
                Some(SuppressionKind::Waiver) => summary.waived += 1,
                Some(SuppressionKind::Baseline) => summary.baselined += 1,
                None => {}
            }
        }
        self.summary = summary;
    }
}

/// Sorts findings into report order.
pub fn sort_findings(findings: &mut [Finding]) {
    crate::order::sort_by(findings, |a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| a.subject.id.cmp(&b.subject.id))
            .then_with(|| a.fingerprint.cmp(&b.fingerprint))
    });
}

impl Summary {
    #[must_use]
    pub fn of(findings: &[Finding], coverage: &[RuleCoverage]) -> Summary {
        let mut s = Summary {
            total: findings.len(),
            ..Summary::default()
        };
        for f in findings {
            *s.by_severity.entry(f.severity).or_default() += 1;
            *s.by_category.entry(f.category).or_default() += 1;
        }
        for c in coverage {
            match c.status {
                CoverageStatus::Evaluated => s.rules_evaluated += 1,
                CoverageStatus::NotEvaluated => s.rules_not_evaluated += 1,
                CoverageStatus::Disabled => s.rules_disabled += 1,
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_names_and_sources() {
        let a = EntityRef::new(EntityKind::User, "u1").named(Some("Alice"));
        let b = EntityRef::new(EntityKind::User, "u1")
            .named(Some("Mallory"))
            .at(&SourceRef {
                file: "x.json".into(),
                pointer: "/value/0".into(),
                line: 3,
            });
        assert_eq!(fingerprint("GS501", &a, &[]), fingerprint("GS501", &b, &[]));
        assert_ne!(fingerprint("GS501", &a, &[]), fingerprint("GS502", &a, &[]));
        assert_ne!(
            fingerprint("GS401", &a, &["p1", "p2"]),
            fingerprint("GS401", &a, &["p1", "p3"])
        );
        assert_eq!(fingerprint("GS501", &a, &[]).len(), 32);
    }

    #[test]
    fn severities_order_and_parse() {
        assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Info);
        assert_eq!(Severity::parse("HIGH"), Some(Severity::High));
        assert_eq!(Severity::parse("severe"), None);
    }
}
