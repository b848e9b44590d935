//! What a rule sees ([`RuleContext`]) and how it reports ([`Findings`], [`Draft`]).

use std::cell::OnceCell;
use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};

use super::RuleMeta;
use crate::config::Config;
use crate::findings::{EntityRef, Finding, Severity, fingerprint};
use crate::graph::AccessGraph;
use crate::model::{Snapshot, Timestamp};

/// Read-only inputs of every rule.
pub struct RuleContext<'a> {
    pub snapshot: &'a Snapshot,
    pub graph: &'a AccessGraph<'a>,
    pub config: &'a Config,
    /// The analysis date, given by the caller; never the clock.
    pub as_of: NaiveDate,
    /// `as_of` at 00:00 UTC, for comparisons with timestamps.
    pub as_of_time: Timestamp,
    /// The approval decisions of the audit log, resolved once for the rules that read them.
    decisions: OnceCell<Vec<super::approval::Decision<'a>>>,
}

impl<'a> RuleContext<'a> {
    #[must_use]
    pub fn new(
        snapshot: &'a Snapshot,
        graph: &'a AccessGraph<'a>,
        config: &'a Config,
        as_of: NaiveDate,
    ) -> Self {
        RuleContext {
            snapshot,
            graph,
            config,
            as_of,
            as_of_time: as_of.and_time(NaiveTime::MIN).and_utc(),
            decisions: OnceCell::new(),
        }
    }

    /// Every successful approval and direct assignment in the audit log with its requestor
    /// resolved ([`super::approval::decisions`]), computed on first use and shared by the rules.
    pub(crate) fn decisions(&self) -> &[super::approval::Decision<'a>] {
        self.decisions
            .get_or_init(|| super::approval::decisions(self.snapshot))
    }

    /// Whole days from `t` to the as-of date (negative when `t` is later).
    #[must_use]
    pub fn days_since(&self, t: Timestamp) -> i64 {
        (self.as_of_time - t).num_days()
    }

    /// `Err(reason)` when some policy's requestors or approvers go through a group whose
    /// membership was not exported: rules that depend on who is eligible or who approves would
    /// otherwise pass silently on those policies, so they report "not evaluated" instead.
    pub fn require_resolved_groups(&self) -> Result<(), String> {
        let mut groups: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        for p in self.snapshot.policies.values() {
            if let Some(pop) = self.graph.population(&p.id) {
                groups.extend(
                    pop.unresolved
                        .iter()
                        .filter_map(|u| u.strip_prefix("groupMembers:")),
                );
            }
            for stage in self.graph.stage_approvers(&p.id) {
                for set in [
                    &stage.primary,
                    &stage.fallback_primary,
                    &stage.escalation,
                    &stage.fallback_escalation,
                ] {
                    groups.extend(set.unresolved_groups.iter().map(String::as_str));
                }
            }
        }
        if groups.is_empty() {
            return Ok(());
        }
        let sample: Vec<&str> = groups.iter().take(3).copied().collect();
        Err(format!(
            "the membership of {} group(s) that policies use for requestors or approvers was not exported (e.g. {}); add groups.json and groupMembers-<groupId>.json for each",
            groups.len(),
            sample.join(", ")
        ))
    }

    /// Starts a finding with the rule's default severity.
    #[must_use]
    pub fn finding(&self, out: &Findings, subject: EntityRef, message: impl Into<String>) -> Draft {
        Draft {
            severity: out.meta.default_severity,
            subject,
            message: message.into(),
            related: Vec::new(),
            evidence: BTreeMap::new(),
            remediation: None,
            key: Vec::new(),
        }
    }
}

/// A finding under construction.
#[derive(Debug, Clone)]
pub struct Draft {
    pub severity: Severity,
    pub subject: EntityRef,
    pub message: String,
    pub related: Vec<EntityRef>,
    pub evidence: BTreeMap<String, serde_json::Value>,
    /// Overrides the rule's default remediation.
    pub remediation: Option<String>,
    /// Object ids that, with the rule and subject, identify the problem (for the fingerprint).
    pub key: Vec<String>,
}

impl Draft {
    #[must_use]
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    #[must_use]
    pub fn related(mut self, entity: EntityRef) -> Self {
        self.related.push(entity);
        self
    }

    #[must_use]
    pub fn evidence(mut self, key: &str, value: impl serde::Serialize) -> Self {
        self.evidence.insert(
            key.to_owned(),
            serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
        );
        self
    }

    #[must_use]
    pub fn remediation(mut self, text: impl Into<String>) -> Self {
        self.remediation = Some(text.into());
        self
    }

    #[must_use]
    pub fn key(mut self, part: impl Into<String>) -> Self {
        self.key.push(part.into());
        self
    }
}

/// Collects one rule's findings and stamps them with the rule's identity.
pub struct Findings {
    meta: &'static RuleMeta,
    severity_override: Option<Severity>,
    out: Vec<Finding>,
}

impl Findings {
    #[must_use]
    pub fn new(meta: &'static RuleMeta, severity_override: Option<Severity>) -> Self {
        Findings {
            meta,
            severity_override,
            out: Vec::new(),
        }
    }

    #[must_use]
    pub fn meta(&self) -> &'static RuleMeta {
        self.meta
    }

    pub fn push(&mut self, draft: Draft) {
        let key: Vec<&str> = draft.key.iter().map(String::as_str).collect();
        let fp = fingerprint(self.meta.id, &draft.subject, &key);
        let mut related = draft.related;
        crate::order::sort(&mut related);
        related.dedup();
        self.out.push(Finding {
            rule_id: self.meta.id.to_owned(),
            rule_name: self.meta.name.to_owned(),
            category: self.meta.category,
            severity: self.severity_override.unwrap_or(draft.severity),
            message: draft.message,
            subject: draft.subject,
            related,
            evidence: draft.evidence,
            remediation: draft
                .remediation
                .unwrap_or_else(|| self.meta.remediation.to_owned()),
            fingerprint: fp,
        });
    }

    #[must_use]
    pub fn into_vec(self) -> Vec<Finding> {
        self.out
    }
}
