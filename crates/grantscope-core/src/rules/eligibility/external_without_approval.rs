use serde::{Deserialize, Serialize};

use super::{
    approval_stages, audience, package_label, package_related, policy_label, population_groups,
    privileged_grants, with_population, with_privilege,
};
use crate::declare_rule;
use crate::rules::{Findings, Rule, RuleContext, organization_ref, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a self-service policy that external users can request under without any approval.
    /// A policy is external-reaching when its scope can include users from other organisations:
    /// `allExternalUsers`, `allConfiguredConnectedOrganizationUsers`,
    /// `specificConnectedOrganizationUsers`, `allDirectoryUsers` (guests included), or specific
    /// users and groups that (transitively) contain enabled guests. "Approval" means
    /// `isApprovalRequiredForAdd` with at least one stage that has a primary approver.
    ///
    /// ## Why is this risky?
    /// Without approval, every external user in scope gets the access the moment they ask: no
    /// one inside the organisation checks who they are or why they need it. For connected
    /// organisations this includes people who have never been in the directory before.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "displayName": "Partner self-service",
    ///   "allowedTargetScope": "allConfiguredConnectedOrganizationUsers",
    ///   "requestorSettings": { "enableTargetsToSelfAddAccess": true },
    ///   "requestApprovalSettings": { "isApprovalRequiredForAdd": false, "stages": [] },
    ///   "accessPackage": { "id": "…" }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Requests, set "Require approval" to Yes
    /// and add approvers (for example the connected organisation's internal sponsors).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-external-users
    pub ExternalWithoutApproval {
        id: "GS103",
        name: "external-without-approval",
        category: Eligibility,
        severity: High,
        summary: "External users can request access without any approval",
        remediation: "Require approval for requests from external users, for example by the connected organisation's internal sponsors (Identity Governance → Entitlement management → Access packages → Policies → Requests)",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for ExternalWithoutApproval {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        ctx.require_resolved_groups()
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        for p in ctx.snapshot.policies.values() {
            if !p.is_self_service() || p.approval_required() {
                continue;
            }
            let Some(pop) = ctx.graph.population(&p.id) else {
                continue;
            };
            if !pop.is_external_reaching() {
                continue;
            }
            let message = format!(
                "{} lets {} request {} without approval",
                policy_label(p),
                audience(pop),
                package_label(ctx, p),
            );
            let mut draft = ctx
                .finding(out, policy_ref(ctx.snapshot, &p.id), message)
                .evidence("approvalRequired", false)
                .evidence(
                    "isApprovalRequiredForAdd",
                    p.approval.as_ref().is_some_and(|a| a.required_for_add),
                )
                .evidence("approvalStages", approval_stages(p));
            draft = with_population(ctx, draft, pop);
            draft = with_privilege(ctx, draft, privileged_grants(ctx, p).as_deref());
            for g in population_groups(ctx, pop) {
                draft = draft.related(g);
            }
            for org in &pop.connected_organizations {
                draft = draft.related(organization_ref(ctx.snapshot, org));
            }
            if let Some(pkg) = package_related(ctx, p) {
                draft = draft.related(pkg);
            }
            out.push(draft);
        }
    }
}
