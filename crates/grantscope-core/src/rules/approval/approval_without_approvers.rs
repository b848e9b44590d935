use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{accepts_requests, policy_label, usability, usability_json};
use crate::declare_rule;
use crate::findings::Severity;
use crate::model::SubjectSet;
use crate::rules::{Findings, Rule, RuleContext, group_ref, package_ref, policy_ref, user_ref};

declare_rule! {
    /// ## What it does
    /// Flags a policy that requires approval (`isApprovalRequiredForAdd`) where a stage has no
    /// primary approvers at all, or where every primary approver resolves to nobody who can
    /// approve: single users who are deleted (absent from the export) or disabled, groups that are
    /// deleted, empty or have only disabled members, and connected-organisation sponsor lists with
    /// no usable sponsor. The requestor's manager and the requestor's sponsors count as usable
    /// (GS202 checks the manager chain). Approvers that cannot be judged from the export — a group
    /// whose membership was not exported, attribute rules, service principals — also count as
    /// usable, so they never cause a finding. Policies that accept no requests are skipped.
    ///
    /// ## Why is this risky?
    /// Requests under the policy cannot be approved: they wait until they time out and are
    /// denied. People who need the access get it some other way — a direct assignment by an
    /// administrator, a shared account — outside the approval and audit trail the package was
    /// meant to provide. Severity is high; medium when the stage's fallback approvers are usable,
    /// because requests can still reach them.
    ///
    /// ## Example
    /// ```json
    /// { "isApprovalRequiredForAdd": true, "stages": [{
    ///   "primaryApprovers": [{ "@odata.type": "#microsoft.graph.singleUser", "userId": "<a deleted user>" }]
    /// }] }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Edit → Requests, and replace the approvers
    /// of the stage with active users or a populated group (and add fallback approvers).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-troubleshoot
    /// - https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage
    pub ApprovalWithoutApprovers {
        id: "GS206",
        name: "approval-without-approvers",
        category: Approval,
        severity: High,
        summary: "A policy requires approval but a stage has no approver who can approve",
        remediation: "Replace the stage's approvers with active users or a populated group, and add fallback approvers (Entitlement management → Access packages → Policies → Requests)",
        needs: [AssignmentPolicies, Users],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for ApprovalWithoutApprovers {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        ctx.require_resolved_groups()
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        for p in s.policies.values() {
            let Some(approval) = &p.approval else {
                continue;
            };
            if !approval.required_for_add || !accepts_requests(p) {
                continue;
            }
            let mut stages: Vec<Value> = Vec::new();
            let mut first_stage = None;
            let mut every_fallback_usable = true;
            let mut dead: Vec<&SubjectSet> = Vec::new();
            for (i, stage) in approval.stages.iter().enumerate() {
                let reason = if stage.primary_approvers.is_empty() {
                    "noPrimaryApprovers"
                } else if stage
                    .primary_approvers
                    .iter()
                    .any(|set| usability(ctx, &p.id, set).may_approve())
                {
                    continue;
                } else {
                    "noUsableApprovers"
                };
                let fallback_usable = stage
                    .fallback_primary_approvers
                    .iter()
                    .any(|set| usability(ctx, &p.id, set) == super::Usability::Usable);
                every_fallback_usable &= fallback_usable;
                first_stage.get_or_insert((i + 1, reason));
                dead.extend(stage.primary_approvers.iter());
                stages.push(json!({
                    "stage": i + 1,
                    "reason": reason,
                    "primaryApprovers": usability_json(ctx, &p.id, &stage.primary_approvers),
                    "fallbackPrimaryApprovers": usability_json(ctx, &p.id, &stage.fallback_primary_approvers),
                }));
            }
            let Some((stage, reason)) = first_stage else {
                continue;
            };
            let label = super::capitalized(&policy_label(s, p));
            let message = match (stages.len(), reason) {
                (1, "noPrimaryApprovers") => {
                    format!("{label} requires approval but stage {stage} has no primary approvers")
                }
                (1, _) => format!(
                    "{label} requires approval but no primary approver of stage {stage} can approve"
                ),
                (n, _) => format!(
                    "{label} requires approval but {n} stages have no approver who can approve"
                ),
            };
            let severity = if every_fallback_usable {
                Severity::Medium
            } else {
                Severity::High
            };
            let mut draft = ctx
                .finding(out, policy_ref(s, &p.id), message)
                .severity(severity)
                .evidence("stages", &stages);
            if let Some(pkg) = &p.access_package_id {
                draft = draft.related(package_ref(s, pkg));
            }
            for set in dead {
                match set {
                    SubjectSet::SingleUser { user_id } => {
                        draft = draft.related(user_ref(s, user_id))
                    }
                    SubjectSet::GroupMembers { group_id } => {
                        draft = draft.related(group_ref(s, group_id));
                    }
                    _ => {}
                }
            }
            out.push(draft);
        }
    }
}
