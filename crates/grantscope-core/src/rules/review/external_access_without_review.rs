use serde::{Deserialize, Serialize};

use crate::declare_rule;
use crate::rules::eligibility::{
    audience, package_label, package_related, policy_label, population_groups, with_population,
};
use crate::rules::{Findings, Rule, RuleContext, organization_ref, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags an external-reaching policy with access reviews turned off (v1.0
    /// `reviewSettings.isEnabled: false`, beta `accessReviewSettings: null`). A policy is
    /// external-reaching when its scope can include users from other organisations:
    /// `allExternalUsers`, `allConfiguredConnectedOrganizationUsers`,
    /// `specificConnectedOrganizationUsers`, `allDirectoryUsers` (guests included), or specific
    /// users and groups that (transitively) contain enabled guests.
    ///
    /// ## Why is this risky?
    /// Nobody ever asks whether partners and guests still need what they were given. Their
    /// projects end and their employers change, but without a review (or an expiration) the
    /// assignment — and the guest account that comes with it — stays.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "displayName": "Partner access",
    ///   "allowedTargetScope": "allConfiguredConnectedOrganizationUsers",
    ///   "requestorSettings": { "enableTargetsToSelfAddAccess": true },
    ///   "reviewSettings": { "isEnabled": false },
    ///   "accessPackage": { "id": "…" }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Lifecycle, set "Require access reviews"
    /// to Yes with a quarterly recurrence, and choose reviewers other than the users themselves
    /// (for example the connected organisation's internal sponsors).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-reviews-create
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-external-users
    pub ExternalAccessWithoutReview {
        id: "GS311",
        name: "external-access-without-review",
        category: Review,
        severity: Medium,
        summary: "External users get access that is never reviewed",
        remediation: "Require recurring access reviews on policies external users can request under (Identity Governance → Entitlement management → Access packages → Policies → Lifecycle → Access reviews)",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for ExternalAccessWithoutReview {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        ctx.require_resolved_groups()
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        for p in ctx.snapshot.policies.values() {
            if p.reviews_enabled() {
                continue;
            }
            let Some(pop) = ctx.graph.population(&p.id) else {
                continue;
            };
            if !pop.is_external_reaching() {
                continue;
            }
            let message = format!(
                "{} lets {} get {} without any access review",
                policy_label(p),
                audience(pop),
                package_label(ctx, p),
            );
            let mut draft = ctx
                .finding(out, policy_ref(ctx.snapshot, &p.id), message)
                .evidence("reviewsEnabled", false)
                .evidence("selfService", p.is_self_service())
                .evidence("autoAssignment", p.is_auto_assignment())
                .evidence(
                    "expiration",
                    p.expiration.as_ref().map(|e| e.kind.as_str().to_owned()),
                );
            draft = with_population(ctx, draft, pop);
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
