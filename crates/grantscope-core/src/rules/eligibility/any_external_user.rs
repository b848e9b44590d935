use serde::{Deserialize, Serialize};

use super::{
    approval_stages, package_label, package_related, policy_label, privileged_grants,
    with_population, with_privilege,
};
use crate::declare_rule;
use crate::model::TargetScope;
use crate::rules::{Findings, Rule, RuleContext, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a policy that accepts requests with the scope `allExternalUsers` (beta
    /// `AllExternalSubjects`, "All users (all connected organizations + any new external users)"
    /// in the admin center): anyone with a Microsoft Entra or Microsoft account, from any
    /// organisation, connected or not, can request the package.
    ///
    /// A policy that does not accept requests (`enableTargetsToSelfAddAccess: false`) is not
    /// flagged: nobody can use its scope.
    ///
    /// ## Why is this risky?
    /// The population is unbounded: people you have never heard of can request access, and
    /// when a request is approved they are invited as guests, and their organisation is added
    /// as a *proposed* connected organisation. One careless approval is enough to let a
    /// stranger in.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "displayName": "Partners",
    ///   "allowedTargetScope": "allExternalUsers",
    ///   "requestorSettings": { "enableTargetsToSelfAddAccess": true },
    ///   "accessPackage": { "id": "…" }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy, and under Requests choose "For users not
    /// in your directory" → "Specific connected organizations" (add the partner organisations
    /// as connected organisations first).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-request-policy
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-organization
    pub AnyExternalUser {
        id: "GS102",
        name: "any-external-user",
        category: Eligibility,
        severity: High,
        summary: "Policy lets anyone from any organisation, connected or not, request access",
        remediation: "Limit external requestors to specific connected organisations (Identity Governance → Entitlement management → Access packages → Policies → Requests → For users not in your directory)",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for AnyExternalUser {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        for p in ctx.snapshot.policies.values() {
            if p.allowed_target_scope != Some(TargetScope::AllExternalUsers) || !p.is_self_service()
            {
                continue;
            }
            let Some(pop) = ctx.graph.population(&p.id) else {
                continue;
            };
            let approval = p.approval_required();
            let message = format!(
                "{} lets anyone from any organisation, connected or not, request {}{}",
                policy_label(p),
                package_label(ctx, p),
                if approval { "" } else { " without approval" },
            );
            let mut draft = ctx
                .finding(out, policy_ref(ctx.snapshot, &p.id), message)
                .evidence("approvalRequired", approval)
                .evidence("approvalStages", approval_stages(p));
            draft = with_population(ctx, draft, pop);
            draft = with_privilege(ctx, draft, privileged_grants(ctx, p).as_deref());
            if let Some(pkg) = package_related(ctx, p) {
                draft = draft.related(pkg);
            }
            out.push(draft);
        }
    }
}
