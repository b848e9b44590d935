use serde::{Deserialize, Serialize};

use super::accepts_requests;
use crate::declare_rule;
use crate::model::ExpirationType;
use crate::rules::expiration::{policy_words, ymd};
use crate::rules::{Findings, Rule, RuleContext, package_ref, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a policy that still accepts requests (self-service, or on behalf of others) although
    /// its own fixed end date — beta `expirationDateTime`, or an `afterDateTime` expiration — is
    /// before the analysis date.
    ///
    /// ## Why is this risky?
    /// The date shows the policy was meant to stop at some point, yet requests are still open:
    /// either the end date no longer does what its author intended (requests keep coming in
    /// with an already-past end date and fail or expire at once), or the policy outlived its
    /// purpose and should have been closed. Either way the configuration no longer says what the
    /// tenant actually does.
    ///
    /// ## Example
    /// ```json
    /// { "displayName": "Summer interns 2025", "expirationDateTime": "2025-09-30T00:00:00Z",
    ///   "requestorSettings": { "scopeType": "AllExistingDirectoryMemberUsers", "acceptRequests": true } }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies, and either delete the policy or turn off "Enable new
    /// requests"; if it is still needed, set a new end date or a duration in its Lifecycle tab.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-lifecycle-policy
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-request-policy
    pub PolicyPastEndDate {
        id: "GS604",
        name: "policy-past-end-date",
        category: Hygiene,
        severity: Low,
        summary: "Policy past its fixed end date that still accepts requests",
        remediation: "Delete the policy or stop it from accepting new requests; if it is still needed, give it a new end date or a duration",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for PolicyPastEndDate {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        for p in s.policies.values() {
            let Some(e) = &p.expiration else { continue };
            if e.kind != ExpirationType::AfterDateTime {
                continue;
            }
            let Some(end) = e.end else { continue };
            if end >= ctx.as_of_time || !accepts_requests(p) {
                continue;
            }
            let message = format!(
                "{} still accepts requests although its end date {} has passed",
                policy_words(ctx, p),
                ymd(end)
            );
            let mut d = ctx
                .finding(out, policy_ref(s, &p.id), message)
                .evidence("endDate", ymd(end))
                .evidence("daysPastEnd", ctx.days_since(end))
                .evidence("selfService", p.is_self_service())
                .evidence(
                    "onBehalfAdd",
                    p.requestor_settings
                        .as_ref()
                        .is_some_and(|r| r.on_behalf_add),
                );
            if let Some(pkg) = p.access_package_id.as_deref() {
                d = d.related(package_ref(s, pkg));
            }
            out.push(d);
        }
    }
}
