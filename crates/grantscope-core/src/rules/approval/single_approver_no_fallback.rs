use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{accepts_requests, policy_label, user_name};
use crate::declare_rule;
use crate::model::{Dataset, SubjectSet};
use crate::rules::{Findings, Rule, RuleContext, package_ref, policy_ref, user_ref};

declare_rule! {
    /// ## What it does
    /// Flags a policy that requires approval where a stage's primary approvers are exactly one
    /// single user (`singleUser`) and the stage has no fallback primary, escalation or fallback
    /// escalation approvers. Policies that accept no requests are skipped.
    ///
    /// ## Why is this risky?
    /// One person is a single point of failure: while they are on leave, ill or gone, every
    /// request waits until it is denied by timeout, and people find other ways in. When that
    /// person leaves the company the stage silently stops working (GS206). A group of approvers,
    /// or a fallback, keeps requests moving.
    ///
    /// ## Example
    /// ```json
    /// { "stages": [{
    ///   "primaryApprovers": [{ "@odata.type": "#microsoft.graph.singleUser", "userId": "<sofia>" }],
    ///   "fallbackPrimaryApprovers": [], "escalationApprovers": [], "fallbackEscalationApprovers": []
    /// }] }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Edit → Requests, and add a second
    /// approver, a group of approvers, or fallback approvers to the stage (or enable escalation
    /// with alternate approvers).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy
    /// - https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage
    pub SingleApproverNoFallback {
        id: "GS207",
        name: "single-approver-no-fallback",
        category: Approval,
        severity: Low,
        summary: "An approval stage depends on one user with no fallback or escalation approver",
        remediation: "Add further approvers, an approver group or fallback approvers to the stage (Entitlement management → Access packages → Policies → Requests)",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for SingleApproverNoFallback {
    type Options = Options;

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
            let mut approvers: Vec<&str> = Vec::new();
            for (i, st) in approval.stages.iter().enumerate() {
                let [SubjectSet::SingleUser { user_id }] = st.primary_approvers.as_slice() else {
                    continue;
                };
                if !st.fallback_primary_approvers.is_empty()
                    || !st.escalation_approvers.is_empty()
                    || !st.fallback_escalation_approvers.is_empty()
                {
                    continue;
                }
                let user = s.users.get(user_id);
                let status = match user {
                    Some(u) if !u.is_enabled() => "disabled",
                    Some(_) => "enabled",
                    None if s.has(Dataset::Users) => "deleted",
                    None => "unknown",
                };
                stages.push(json!({
                    "stage": i + 1,
                    "approver": {
                        "id": user_id,
                        "displayName": user.and_then(|u| u.display_name.clone()),
                        "status": status,
                    },
                }));
                approvers.push(user_id);
            }
            let Some(first) = approvers.first() else {
                continue;
            };
            let label = policy_label(s, p);
            let message = if stages.len() == 1 {
                let who = s
                    .users
                    .get(*first)
                    .map_or_else(|| format!("user {first}"), |u| user_name(u).to_owned());
                let stage = stages
                    .first()
                    .and_then(|v| v.get("stage"))
                    .and_then(Value::as_u64)
                    .unwrap_or(1);
                format!(
                    "Stage {stage} of {label} has one approver, {who}, and no fallback or escalation approver"
                )
            } else {
                format!(
                    "{} stages of {label} each have one approver and no fallback or escalation approver",
                    stages.len()
                )
            };
            let mut draft = ctx
                .finding(out, policy_ref(s, &p.id), message)
                .evidence("stages", &stages);
            if let Some(pkg) = &p.access_package_id {
                draft = draft.related(package_ref(s, pkg));
            }
            for a in approvers {
                draft = draft.related(user_ref(s, a));
            }
            out.push(draft);
        }
    }
}
