use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{MAX_LISTED, accepts_requests, approver_lists, policy_label, user_name, users_json};
use crate::declare_rule;
use crate::findings::Severity;
use crate::graph::UserIdx;
use crate::rules::{Findings, Rule, RuleContext, package_ref, policy_ref, user_ref};

declare_rule! {
    /// ## What it does
    /// Flags an assignment policy that requires approval when one of its approvers — a primary,
    /// fallback, escalation or fallback escalation approver, resolved to users through single
    /// users, (nested) group members and connected-organisation sponsors — is also in the
    /// policy's eligible population, i.e. may request the package under the same policy. The
    /// evidence lists the overlap per stage and approver list. Disabled accounts are ignored;
    /// the requestor's manager is not counted (a manager approving a report's request is the
    /// point of manager approval).
    ///
    /// ## Why is this risky?
    /// Approval is a second pair of eyes. An approver who can also request has the package one
    /// click away: where they are the only approver of a stage, the stage no longer checks
    /// anything for their own request, and with several approvers a small group can approve
    /// each other's requests. Severity is high when the overlapping approver is the only primary
    /// approver of a stage.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "allowedTargetScope": "allMemberUsers",
    ///   "requestApprovalSettings": {
    ///     "isApprovalRequiredForAdd": true,
    ///     "stages": [{ "primaryApprovers": [
    ///       { "@odata.type": "#microsoft.graph.singleUser", "userId": "<a member user>" }
    ///     ] }]
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Edit → Requests, and choose approvers
    /// outside the population that may request (for example a dedicated approver group that is
    /// not eligible), or narrow "Who can request access" so that it excludes the approvers.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-request-policy
    /// - https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage
    pub ApproverInRequestorPopulation {
        id: "GS201",
        name: "approver-in-requestor-population",
        category: Approval,
        severity: Medium,
        summary: "An approver of a policy can also request access under it",
        remediation: "Pick approvers who are not eligible to request under the policy, or exclude them from its requestor scope (Entitlement management → Access packages → Policies → Requests)",
        needs: [AssignmentPolicies, Users],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for ApproverInRequestorPopulation {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        ctx.require_resolved_groups()
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let g = ctx.graph;
        for p in s.policies.values() {
            if !p.approval_required() || !accepts_requests(p) {
                continue;
            }
            let Some(pop) = g.population(&p.id) else {
                continue;
            };
            let mut overlaps = Vec::new();
            let mut everyone: BTreeSet<UserIdx> = BTreeSet::new();
            let mut unresolved: BTreeSet<&str> = BTreeSet::new();
            // (stage, user) of a stage whose only primary approver is in the population.
            let mut sole: Option<(usize, UserIdx)> = None;
            for (i, st) in g.stage_approvers(&p.id).iter().enumerate() {
                let stage = i + 1;
                for (list, set) in approver_lists(st) {
                    unresolved.extend(set.unresolved_groups.iter().map(String::as_str));
                    let overlap: Vec<UserIdx> = set
                        .users
                        .iter()
                        .copied()
                        .filter(|&u| g.user(u).is_enabled() && pop.contains(g, u))
                        .collect();
                    if overlap.is_empty() {
                        continue;
                    }
                    let only_approver = list == "primaryApprovers"
                        && set.sets.len() == 1
                        && set.users.len() == 1
                        && set.requestor_manager.is_none()
                        && !set.requestor_sponsors
                        && set.unresolved_groups.is_empty();
                    if only_approver && sole.is_none() {
                        sole = Some((stage, overlap[0]));
                    }
                    overlaps.push(json!({
                        "stage": stage,
                        "list": list,
                        "total": overlap.len(),
                        "users": users_json(g, &overlap),
                    }));
                    everyone.extend(overlap);
                }
            }
            if everyone.is_empty() {
                continue;
            }
            let label = policy_label(s, p);
            let all: Vec<UserIdx> = everyone.into_iter().collect();
            let (message, severity) = match sole {
                Some((stage, u)) => (
                    format!(
                        "{}, the only primary approver of stage {stage} of {label}, can request access under the same policy",
                        user_name(g.user(u))
                    ),
                    Severity::High,
                ),
                None if all.len() == 1 => (
                    format!(
                        "{}, an approver of {label}, can request access under the same policy",
                        all.first().map_or("", |&u| user_name(g.user(u)))
                    ),
                    Severity::Medium,
                ),
                None => (
                    format!(
                        "{} approvers of {label} can request access under the same policy",
                        all.len()
                    ),
                    Severity::Medium,
                ),
            };
            let mut draft = ctx
                .finding(out, policy_ref(s, &p.id), message)
                .severity(severity)
                .evidence("overlap", &overlaps)
                .evidence("approversInPopulation", all.len())
                .evidence("eligiblePopulation", pop.evidence());
            if let Some((stage, u)) = sole {
                draft = draft.evidence(
                    "onlyApprover",
                    json!({ "stage": stage, "user": super::user_json(g, u) }),
                );
            }
            if !unresolved.is_empty() {
                draft = draft.evidence(
                    "unresolvedApproverGroups",
                    json!({
                        "groups": unresolved,
                        "note": "membership not exported: more approvers may overlap",
                    }),
                );
            }
            if let Some(pkg) = &p.access_package_id {
                draft = draft.related(package_ref(s, pkg));
            }
            for &u in all.iter().take(MAX_LISTED) {
                draft = draft.related(user_ref(s, &g.user(u).id));
            }
            out.push(draft);
        }
    }
}
