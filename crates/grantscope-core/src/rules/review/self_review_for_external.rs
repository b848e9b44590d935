use serde::{Deserialize, Serialize};

use crate::declare_rule;
use crate::rules::eligibility::{
    package_label, package_related, policy_label, privileged_grants, with_population,
    with_privilege,
};
use crate::rules::{Findings, Rule, RuleContext, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a policy whose access reviews are enabled with self-review (v1.0 `isSelfReview`,
    /// beta `reviewerType: Self`) when the policy is external-reaching (its scope can include
    /// users from other organisations, see GS103) or its package holds a privileged resource (a
    /// role-assignable group, an `Owner` role, or a `[privileged-resources]` entry).
    ///
    /// ## Why is this risky?
    /// A self-review asks each user whether they still need their access. Almost everyone says
    /// yes; nobody who is responsible for the resource looks. For partners and for admin
    /// rights, the review then certifies exactly the access it should question.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "allowedTargetScope": "allConfiguredConnectedOrganizationUsers",
    ///   "reviewSettings": { "isEnabled": true, "isSelfReview": true }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Lifecycle, and set the reviewers to
    /// "Specific reviewer(s)" or "Manager" (with a fallback) instead of "Self-review"; for
    /// connected organisations, the internal sponsors.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-reviews-create
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-reviews-review-access
    pub SelfReviewForExternal {
        id: "GS314",
        name: "self-review-for-external",
        category: Review,
        severity: Medium,
        summary: "External or privileged access is reviewed by the users themselves",
        remediation: "Have specific reviewers, managers or sponsors review this access instead of the users themselves (Identity Governance → Entitlement management → Access packages → Policies → Lifecycle → Reviewers)",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for SelfReviewForExternal {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        ctx.require_resolved_groups()
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        for p in ctx.snapshot.policies.values() {
            if !p
                .review
                .as_ref()
                .is_some_and(|r| r.is_enabled && r.is_self_review)
            {
                continue;
            }
            let pop = ctx.graph.population(&p.id);
            let external = pop.is_some_and(crate::graph::Population::is_external_reaching);
            let privileged = privileged_grants(ctx, p);
            let is_privileged = privileged.as_ref().is_some_and(|g| !g.is_empty());
            if !external && !is_privileged {
                continue;
            }
            let message = match (external, is_privileged) {
                (true, false) => format!(
                    "{} lets external users review their own access to {}",
                    policy_label(p),
                    package_label(ctx, p),
                ),
                (true, true) => format!(
                    "{} lets external users review their own access to privileged {}",
                    policy_label(p),
                    package_label(ctx, p),
                ),
                _ => format!(
                    "{} lets users review their own access to privileged {}",
                    policy_label(p),
                    package_label(ctx, p),
                ),
            };
            let mut draft = ctx
                .finding(out, policy_ref(ctx.snapshot, &p.id), message)
                .evidence("isSelfReview", true)
                .evidence("externalReaching", external);
            if let Some(pop) = pop {
                draft = with_population(ctx, draft, pop);
            }
            draft = with_privilege(ctx, draft, privileged.as_deref());
            if let Some(pkg) = package_related(ctx, p) {
                draft = draft.related(pkg);
            }
            out.push(draft);
        }
    }
}
