//! The baseline: the findings an export had when it was recorded, so that CI fails only on new
//! ones while the known ones are worked off.
//!
//! `grantscope baseline --output grantscope-baseline.json PATH…` writes [`Baseline::from_report`]
//! as JSON ([`Baseline::to_json`]): one entry per finding (rule id, fingerprint, subject, severity,
//! message), sorted by rule id and fingerprint so that a re-recorded baseline diffs cleanly in
//! review. `grantscope check --baseline FILE` compares a run with it ([`Baseline::apply`]), by
//! fingerprint only — fingerprints survive renames, file order and unrelated changes:
//!
//! - **new**: in the run, not in the baseline — these count for `--fail-on`;
//! - **known**: in both — shown as baselined, not counted;
//! - **fixed**: in the baseline, not in the run, and the rule ran — the problem is gone (the
//!   entry is stale: `--strict-baseline` fails until the baseline is recorded again);
//! - **unchecked**: in the baseline, but its rule did not run this time (data missing or rule
//!   off), so whether it is fixed is not known — never reported as fixed.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::findings::{
    CoverageStatus, EntityRef, Finding, Report, Severity, Suppression, SuppressionKind, ToolInfo,
};

/// Version of the baseline file format (see `schemas/baseline.schema.json`).
pub const BASELINE_SCHEMA_VERSION: &str = "1";

/// The file name the documentation suggests.
pub const BASELINE_FILE: &str = "grantscope-baseline.json";

/// One recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BaselineEntry {
    pub rule_id: String,
    pub fingerprint: String,
    /// Kind, id and display name (no source: line numbers are not part of a finding's identity).
    pub subject: EntityRef,
    pub severity: Severity,
    pub message: String,
}

impl BaselineEntry {
    fn of(finding: &Finding) -> Self {
        let mut subject = finding.subject.clone();
        subject.source = None;
        BaselineEntry {
            rule_id: finding.rule_id.clone(),
            fingerprint: finding.fingerprint.clone(),
            subject,
            severity: finding.severity,
            message: finding.message.clone(),
        }
    }
}

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Baseline {
    pub schema_version: String,
    pub tool: ToolInfo,
    /// The analysis date of the run it was recorded from.
    pub as_of: String,
    /// Sorted by rule id, then fingerprint; one entry per fingerprint.
    pub findings: Vec<BaselineEntry>,
}

/// Why a baseline file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct BaselineError {
    /// 1-based; 0 when unknown.
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl BaselineError {
    fn render(&self) -> String {
        if self.line > 0 {
            format!(
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        } else {
            self.message.clone()
        }
    }
}

/// A run compared with a baseline. Findings are in report order, entries in baseline order.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition<'a> {
    pub new: Vec<&'a Finding>,
    pub known: Vec<&'a Finding>,
    pub fixed: Vec<&'a BaselineEntry>,
    pub unchecked: Vec<&'a BaselineEntry>,
}

/// The comparison with a baseline, as recorded in the report (`report.baseline`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BaselineOutcome {
    /// Entries in the baseline file.
    pub entries: usize,
    /// Fingerprints of the findings that are not in the baseline, in report order.
    pub new: Vec<String>,
    /// How many findings are in the baseline (shown as baselined, not counted).
    pub known: usize,
    /// Baseline entries whose finding is gone (its rule ran and did not find it).
    pub fixed: Vec<BaselineEntry>,
    /// Baseline entries whose rule did not run this time: not known to be fixed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unchecked: Vec<BaselineEntry>,
}

impl Baseline {
    /// Records every finding of a report (waived ones too: a waiver can expire).
    #[must_use]
    pub fn from_report(report: &Report) -> Baseline {
        let mut by_fingerprint: BTreeMap<&str, BaselineEntry> = BTreeMap::new();
        for f in &report.findings {
            by_fingerprint
                .entry(f.fingerprint.as_str())
                .or_insert_with(|| BaselineEntry::of(f));
        }
        let mut findings: Vec<BaselineEntry> = by_fingerprint.into_values().collect();
        crate::order::sort(&mut findings);
        Baseline {
            schema_version: BASELINE_SCHEMA_VERSION.to_owned(),
            tool: report.tool.clone(),
            as_of: report.as_of.clone(),
            findings,
        }
    }

    /// The baseline as pretty-printed JSON with a trailing newline.
    ///
    /// # Errors
    /// Only if serialisation fails, which `serde_json` does not do for these values.
    pub fn to_json(&self) -> serde_json::Result<String> {
        let mut s = serde_json::to_string_pretty(self)?;
        s.push('\n');
        Ok(s)
    }

    /// Reads a baseline file.
    ///
    /// # Errors
    /// Text that is not JSON, not a baseline (the error gives the line, column and JSON path),
    /// or of a schema version this build does not read.
    pub fn from_json(text: &str) -> Result<Baseline, BaselineError> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| BaselineError {
            line: u32::try_from(e.line()).unwrap_or(u32::MAX),
            column: u32::try_from(e.column()).unwrap_or(u32::MAX),
            message: format!("not JSON: {}", strip_position(&e)),
        })?;
        match value.get("schemaVersion") {
            Some(serde_json::Value::String(v)) if v == BASELINE_SCHEMA_VERSION => {}
            Some(serde_json::Value::String(v)) => {
                return Err(BaselineError {
                    line: 0,
                    column: 0,
                    message: format!(
                        "baseline schemaVersion \"{v}\" is not supported: this grantscope reads \"{BASELINE_SCHEMA_VERSION}\" (record it again with `grantscope baseline`)"
                    ),
                });
            }
            _ => {
                return Err(BaselineError {
                    line: 0,
                    column: 0,
                    message: "not a grantscope baseline: no \"schemaVersion\" (write one with `grantscope baseline --output FILE PATH…`)".to_owned(),
                });
            }
        }
        serde_json::from_str(text).map_err(|e| {
            // The path comes from the error's position (no second, path-tracking parse).
            let path = crate::ingest::json::error_path_plain(text, &e);
            BaselineError {
                line: u32::try_from(e.line()).unwrap_or(u32::MAX),
                column: u32::try_from(e.column()).unwrap_or(u32::MAX),
                message: format!(
                    "not a grantscope baseline: at {path}: {}",
                    strip_position(&e)
                ),
            }
        })
    }

    /// Compares a run with the baseline (by fingerprint). Pure.
    #[must_use]
    pub fn apply<'a>(&'a self, report: &'a Report) -> Partition<'a> {
        let recorded: BTreeSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let current: BTreeSet<&str> = report
            .findings
            .iter()
            .map(|f| f.fingerprint.as_str())
            .collect();
        let not_run: BTreeSet<&str> = report
            .coverage
            .iter()
            .filter(|c| c.status != CoverageStatus::Evaluated)
            .map(|c| c.rule_id.as_str())
            .collect();
        let (known, new) = report
            .findings
            .iter()
            .partition(|f| recorded.contains(f.fingerprint.as_str()));
        let (unchecked, fixed) = self
            .findings
            .iter()
            .filter(|e| !current.contains(e.fingerprint.as_str()))
            .partition(|e| not_run.contains(e.rule_id.as_str()));
        Partition {
            new,
            known,
            fixed,
            unchecked,
        }
    }

    /// Records the comparison in a report: known findings get a baseline [`Suppression`] (unless
    /// a waiver already covers them), `report.baseline` lists the new and fixed ones, and the
    /// summary is recomputed.
    pub fn annotate(&self, report: &mut Report) {
        let partition = self.apply(report);
        let outcome = BaselineOutcome {
            entries: self.findings.len(),
            new: partition
                .new
                .iter()
                .map(|f| f.fingerprint.clone())
                .collect(),
            known: partition.known.len(),
            fixed: partition.fixed.into_iter().cloned().collect(),
            unchecked: partition.unchecked.into_iter().cloned().collect(),
        };
        let known: Vec<String> = partition
            .known
            .iter()
            .map(|f| f.fingerprint.clone())
            .collect();
        let already: BTreeSet<String> = report
            .suppressions
            .iter()
            .map(|s| s.fingerprint.clone())
            .collect();
        for fp in known {
            if !already.contains(&fp) {
                report.suppressions.push(Suppression {
                    fingerprint: fp,
                    kind: SuppressionKind::Baseline,
                    reason: None,
                    owner: None,
                    expires: None,
                    source: None,
                });
            }
        }
        report.baseline = Some(outcome);
        crate::waivers::sort_suppressions(report);
        report.refresh_summary();
    }
}

/// serde_json's message without its " at line L column C" suffix.
fn strip_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Category, RuleCoverage, Summary};
    use crate::model::EntityKind;

    fn finding(rule: &str, id: &str) -> Finding {
        let subject = EntityRef::new(EntityKind::User, id).named(Some("Name"));
        Finding {
            rule_id: rule.into(),
            rule_name: "stale-guest".into(),
            category: Category::GuestLifecycle,
            severity: Severity::Medium,
            message: format!("{id} is stale"),
            fingerprint: crate::findings::fingerprint(rule, &subject, &[]),
            subject,
            related: vec![],
            evidence: BTreeMap::new(),
            remediation: String::new(),
        }
    }

    fn report(findings: Vec<Finding>, not_run: &[&str]) -> Report {
        let coverage: Vec<RuleCoverage> = ["GS501", "GS502"]
            .iter()
            .map(|id| RuleCoverage {
                rule_id: (*id).into(),
                rule_name: "x".into(),
                category: Category::GuestLifecycle,
                status: if not_run.contains(id) {
                    CoverageStatus::NotEvaluated
                } else {
                    CoverageStatus::Evaluated
                },
                reason: None,
                findings: 0,
            })
            .collect();
        Report {
            schema_version: "1".into(),
            tool: ToolInfo {
                name: "grantscope".into(),
                version: "0".into(),
            },
            as_of: "2026-11-01".into(),
            inputs: vec![],
            warnings: vec![],
            summary: Summary::of(&findings, &coverage),
            findings,
            coverage,
            suppressions: vec![],
            waivers: vec![],
            baseline: None,
        }
    }

    #[test]
    fn partitions_by_fingerprint() {
        let old = report(
            vec![
                finding("GS501", "b"),
                finding("GS501", "a"),
                finding("GS502", "c"),
                finding("GS501", "gone"),
            ],
            &[],
        );
        let baseline = Baseline::from_report(&old);
        let ids: Vec<&str> = baseline
            .findings
            .iter()
            .map(|e| e.subject.id.as_str())
            .collect();
        assert_eq!(baseline.findings.len(), 4);
        assert!(
            baseline
                .findings
                .windows(2)
                .all(|w| (&w[0].rule_id, &w[0].fingerprint) < (&w[1].rule_id, &w[1].fingerprint)),
            "{ids:?}"
        );

        // GS502 did not run this time: its entry is unchecked, not fixed.
        let mut new = report(
            vec![
                finding("GS501", "a"),
                finding("GS501", "new"),
                finding("GS501", "b"),
            ],
            &["GS502"],
        );
        let p = baseline.apply(&new);
        let ids = |v: &[&Finding]| v.iter().map(|f| f.subject.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&p.new), ["new"]);
        assert_eq!(ids(&p.known), ["a", "b"]);
        assert_eq!(
            p.fixed
                .iter()
                .map(|e| e.subject.id.as_str())
                .collect::<Vec<_>>(),
            ["gone"]
        );
        assert_eq!(
            p.unchecked
                .iter()
                .map(|e| e.subject.id.as_str())
                .collect::<Vec<_>>(),
            ["c"]
        );

        baseline.annotate(&mut new);
        assert_eq!(new.summary.baselined, 2);
        assert_eq!(new.counted_findings().len(), 1);
        let outcome = new.baseline.as_ref().unwrap();
        assert_eq!(outcome.new, [new.findings[1].fingerprint.clone()]);
        assert_eq!((outcome.entries, outcome.known), (4, 2));
    }

    #[test]
    fn round_trips_and_rejects_other_files() {
        let baseline = Baseline::from_report(&report(vec![finding("GS501", "a")], &[]));
        let json = baseline.to_json().unwrap();
        assert!(!json.contains("source"));
        assert_eq!(Baseline::from_json(&json).unwrap(), baseline);
        assert!(
            Baseline::from_json("{\"schemaVersion\": \"9\"}")
                .unwrap_err()
                .to_string()
                .contains("schemaVersion \"9\" is not supported")
        );
        assert!(
            Baseline::from_json("[1,")
                .unwrap_err()
                .to_string()
                .starts_with("line 1, column 3: not JSON")
        );
        let err = Baseline::from_json(
            "{\"schemaVersion\": \"1\", \"tool\": {\"name\": \"g\", \"version\": \"0\"},\n \"asOf\": \"x\", \"findings\": [{\"ruleId\": 5}]}",
        )
        .unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("at findings[0].ruleId"), "{err}");
    }
}
