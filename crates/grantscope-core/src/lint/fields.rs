//! Which field of a proposed policy a finding is about, per rule, in each input shape: Graph
//! v1.0 bodies (`allowedTargetScope`, `requestApprovalSettings.stages`…), Graph beta bodies
//! (`requestorSettings.scopeType`, `approvalStages`, `durationInDays`…) and Terraform
//! (`requestor_settings[0].scope_type`, `approval_settings[0].approval_stage`…). The names of the
//! three shapes do not collide, so one list of candidates serves them all: the first candidate
//! written in the file is reported, else the policy object itself.

use std::collections::BTreeMap;

use serde_json::Value;

use super::locate::{Path, Step, key};

fn path(parts: &[&str]) -> Path {
    parts
        .iter()
        .map(|p| match p.parse::<usize>() {
            Ok(i) => Step::Index(i),
            Err(_) => key(p),
        })
        .collect()
}

fn paths(list: &[&[&str]]) -> Vec<Path> {
    list.iter().map(|p| path(p)).collect()
}

fn scope() -> Vec<Path> {
    paths(&[
        &["allowedTargetScope"],
        &["requestorSettings", "scopeType"],
        &["requestor_settings", "0", "scope_type"],
        &["requestorSettings"],
        &["requestor_settings"],
    ])
}

fn targets() -> Vec<Path> {
    let mut v = paths(&[
        &["specificAllowedTargets"],
        &["requestorSettings", "allowedRequestors"],
        &["requestor_settings", "0", "requestor"],
    ]);
    v.extend(scope());
    v
}

fn approval() -> Vec<Path> {
    paths(&[
        &["requestApprovalSettings", "stages"],
        &["requestApprovalSettings", "approvalStages"],
        &["approval_settings", "0", "approval_stage"],
        &["requestApprovalSettings"],
        &["approval_settings"],
    ])
}

/// The approver list `list` (v1.0 name) of stage `stage` (0-based), then the stage, then the
/// approval settings. Beta and Terraform keep fallback approvers in the primary list
/// (`isBackup`, `backup`) and call escalation approvers `escalationApprovers` /
/// `alternative_approver`.
fn approvers(stage: usize, list: &str) -> Vec<Path> {
    let s = stage.to_string();
    let (beta, tf) = match list {
        "fallbackPrimaryApprovers" => ("primaryApprovers", "primary_approver"),
        "escalationApprovers" | "fallbackEscalationApprovers" => {
            ("escalationApprovers", "alternative_approver")
        }
        _ => ("primaryApprovers", "primary_approver"),
    };
    let mut v = paths(&[
        &["requestApprovalSettings", "stages", &s, list],
        &["requestApprovalSettings", "approvalStages", &s, beta],
        &["approval_settings", "0", "approval_stage", &s, tf],
        &["requestApprovalSettings", "stages", &s],
        &["requestApprovalSettings", "approvalStages", &s],
        &["approval_settings", "0", "approval_stage", &s],
    ]);
    v.extend(approval());
    v
}

fn expiration() -> Vec<Path> {
    paths(&[
        &["expiration", "type"],
        &["expiration"],
        &["durationInDays"],
        &["expirationDateTime"],
        &["duration_in_days"],
        &["expiration_date"],
    ])
}

fn expiration_end() -> Vec<Path> {
    let mut v = paths(&[
        &["expiration", "duration"],
        &["expiration", "endDateTime"],
        &["durationInDays"],
        &["expirationDateTime"],
        &["duration_in_days"],
        &["expiration_date"],
    ]);
    v.extend(expiration());
    v
}

fn review(field: &[&[&str]]) -> Vec<Path> {
    let mut v = paths(field);
    v.extend(paths(&[
        &["reviewSettings"],
        &["accessReviewSettings"],
        &["assignment_review_settings"],
    ]));
    v
}

/// A 1-based stage number in a finding's evidence (`overlap[0].stage`, `stages[0].stage`) as
/// a 0-based index, with the approver list it names (`list`), if any.
fn stage_of(evidence: &BTreeMap<String, Value>) -> (usize, String) {
    for k in ["overlap", "stages", "onlyApprover"] {
        let first = match evidence.get(k) {
            Some(Value::Array(a)) => a.first(),
            Some(v @ Value::Object(_)) => Some(v),
            _ => None,
        };
        if let Some(stage) = first
            .and_then(|f| f.get("stage"))
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
        {
            let list = first
                .and_then(|f| f.get("list"))
                .and_then(Value::as_str)
                .unwrap_or("primaryApprovers")
                .to_owned();
            return (stage.saturating_sub(1), list);
        }
    }
    (0, "primaryApprovers".to_owned())
}

/// Candidate fields for a finding of `rule`, most specific first, relative to the policy.
pub(crate) fn candidates(rule: &str, evidence: &BTreeMap<String, Value>) -> Vec<Path> {
    match rule {
        "GS101" | "GS102" | "GS103" => scope(),
        "GS104" | "GS506" => targets(),
        "GS105" => {
            let mut v = approval();
            v.extend(scope());
            v
        }
        "GS201" | "GS202" | "GS203" | "GS206" | "GS207" => {
            let (stage, list) = stage_of(evidence);
            approvers(stage, &list)
        }
        "GS301" => expiration(),
        "GS302" | "GS604" => expiration_end(),
        "GS303" => paths(&[
            &["requestorSettings", "enableTargetsToSelfUpdateAccess"],
            &["canExtend"],
            &["extension_enabled"],
            &["can_extend"],
        ]),
        "GS311" => review(&[
            &["reviewSettings", "isEnabled"],
            &["accessReviewSettings", "isEnabled"],
            &["assignment_review_settings", "0", "enabled"],
        ]),
        "GS312" => review(&[
            &["reviewSettings", "schedule", "recurrence"],
            &["reviewSettings", "schedule"],
            &["accessReviewSettings", "recurrenceType"],
            &["assignment_review_settings", "0", "review_frequency"],
        ]),
        "GS313" => review(&[
            &["reviewSettings", "expirationBehavior"],
            &["accessReviewSettings", "accessReviewTimeoutBehavior"],
            &[
                "assignment_review_settings",
                "0",
                "access_review_timeout_behavior",
            ],
        ]),
        "GS314" => review(&[
            &["reviewSettings", "isSelfReview"],
            &["accessReviewSettings", "reviewerType"],
            &["assignment_review_settings", "0", "review_type"],
        ]),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stage_from_evidence() {
        let mut ev = BTreeMap::new();
        ev.insert(
            "overlap".to_owned(),
            json!([{"stage": 2, "list": "escalationApprovers"}]),
        );
        let c = candidates("GS201", &ev);
        assert_eq!(
            c[0],
            path(&[
                "requestApprovalSettings",
                "stages",
                "1",
                "escalationApprovers"
            ])
        );
        assert_eq!(
            c[2],
            path(&[
                "approval_settings",
                "0",
                "approval_stage",
                "1",
                "alternative_approver"
            ])
        );
        assert!(candidates("GS999", &ev).is_empty());
    }
}
