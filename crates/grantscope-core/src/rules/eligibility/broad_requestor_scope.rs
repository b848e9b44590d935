use serde::{Deserialize, Serialize};

use super::{
    approval_stages, audience, package_label, package_related, policy_label, privileged_grants,
    with_population, with_privilege,
};
use crate::declare_rule;
use crate::findings::Severity;
use crate::rules::{Findings, Rule, RuleContext, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a self-service policy whose requestor scope is "everyone of a kind":
    /// `allMemberUsers`, `allDirectoryUsers` (members and guests), `allExternalUsers` or
    /// `allConfiguredConnectedOrganizationUsers` (beta `AllExistingDirectoryMemberUsers`,
    /// `AllExistingDirectorySubjects`, `AllExternalSubjects`,
    /// `AllConfiguredConnectedOrganizationSubjects`).
    ///
    /// Severity is medium when requests need approval, high when they do not, and critical when
    /// they do not and the package holds a privileged resource (a role-assignable group, an
    /// `Owner` role, or a `privileged-resources` entry).
    ///
    /// ## Why is this risky?
    /// A broad scope turns the access package into something anyone can ask for. With approval,
    /// every request lands on approvers who may rubber-stamp them; without approval, the access
    /// is effectively granted to the whole population, guests and partner users included for
    /// the wider scopes.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "displayName": "Anyone may request",
    ///   "allowedTargetScope": "allDirectoryUsers",
    ///   "requestorSettings": { "enableTargetsToSelfAddAccess": true },
    ///   "requestApprovalSettings": { "isApprovalRequiredForAdd": false, "stages": [] },
    ///   "accessPackage": { "id": "…" }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy, and under Requests choose "For users in
    /// your directory" → "Specific users and groups"; require approval (two stages for
    /// privileged resources).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-request-policy
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy
    pub BroadRequestorScope {
        id: "GS101",
        name: "broad-requestor-scope",
        category: Eligibility,
        severity: Medium,
        summary: "Self-service policy open to all members, all users or all external users",
        remediation: "Restrict who can request to specific users and groups (or specific connected organisations) and require approval (Identity Governance → Entitlement management → Access packages → Policies → Requests)",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for BroadRequestorScope {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        for p in ctx.snapshot.policies.values() {
            let Some(scope) = p.allowed_target_scope.as_ref() else {
                continue;
            };
            if !p.is_self_service() || !scope.is_broad() {
                continue;
            }
            let Some(pop) = ctx.graph.population(&p.id) else {
                continue;
            };
            let approval = p.approval_required();
            let privileged = privileged_grants(ctx, p);
            let severity = match (&privileged, approval) {
                (_, true) => Severity::Medium,
                (Some(g), false) if !g.is_empty() => Severity::Critical,
                (_, false) => Severity::High,
            };
            let how = if approval {
                "with approval"
            } else {
                "without approval"
            };
            let message = format!(
                "{} lets {} request {} {how}",
                policy_label(p),
                audience(pop),
                package_label(ctx, p),
            );
            let mut draft = ctx
                .finding(out, policy_ref(ctx.snapshot, &p.id), message)
                .severity(severity)
                .evidence("scope", scope.as_str())
                .evidence("approvalRequired", approval)
                .evidence("approvalStages", approval_stages(p));
            draft = with_population(ctx, draft, pop);
            draft = with_privilege(ctx, draft, privileged.as_deref());
            if let Some(pkg) = package_related(ctx, p) {
                draft = draft.related(pkg);
            }
            out.push(draft);
        }
    }
}
