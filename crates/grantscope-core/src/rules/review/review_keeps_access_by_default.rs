use serde::{Deserialize, Serialize};

use super::external_reaching;
use crate::declare_rule;
use crate::model::ReviewExpirationBehavior;
use crate::rules::eligibility::{package_label, package_related, policy_label};
use crate::rules::{Findings, Rule, RuleContext, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a policy whose access reviews are enabled with `expirationBehavior = keepAccess`
    /// (beta `accessReviewTimeoutBehavior`; "If reviewers don't respond: No change" in the admin
    /// center). A policy that does not say what happens (the field was not exported) is not
    /// flagged.
    ///
    /// ## Why is this risky?
    /// Reviewers are busy; many reviews end unanswered. With "keep access", an unanswered review
    /// changes nothing, so the review only removes access someone actively denies — the
    /// forgotten assignments it exists to catch survive it.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "reviewSettings": {
    ///     "isEnabled": true,
    ///     "expirationBehavior": "keepAccess",
    ///     "schedule": { "recurrence": { "pattern": { "type": "absoluteMonthly", "interval": 3 } } }
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Lifecycle, and under the access review
    /// settings set "If reviewers don't respond" to "Remove access" (or "Take recommendations").
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-reviews-create
    pub ReviewKeepsAccessByDefault {
        id: "GS313",
        name: "review-keeps-access-by-default",
        category: Review,
        severity: Low,
        summary: "Unanswered access reviews keep access",
        remediation: "Set \"If reviewers don't respond\" to Remove access or Take recommendations (Identity Governance → Entitlement management → Access packages → Policies → Lifecycle → Access reviews)",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for ReviewKeepsAccessByDefault {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        for p in ctx.snapshot.policies.values() {
            let Some(review) = p.review.as_ref().filter(|r| r.is_enabled) else {
                continue;
            };
            if review.expiration_behavior != Some(ReviewExpirationBehavior::KeepAccess) {
                continue;
            }
            let message = format!(
                "{} keeps access to {} when reviewers do not respond to a review",
                policy_label(p),
                package_label(ctx, p),
            );
            let mut draft = ctx
                .finding(out, policy_ref(ctx.snapshot, &p.id), message)
                .evidence("expirationBehavior", "keepAccess")
                .evidence("isRecommendationEnabled", review.is_recommendation_enabled)
                .evidence("externalReaching", external_reaching(ctx, p));
            if let Some(pkg) = package_related(ctx, p) {
                draft = draft.related(pkg);
            }
            out.push(draft);
        }
    }
}
