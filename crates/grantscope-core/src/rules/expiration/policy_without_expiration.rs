use serde::{Deserialize, Serialize};

use super::{external_reaching, policy_words, recurrence_words, review_recurrence};
use crate::declare_rule;
use crate::findings::Severity;
use crate::rules::{Findings, Rule, RuleContext, package_ref, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a self-service or auto-assignment policy whose assignments never expire
    /// (`expiration.type = noExpiration`; beta `durationInDays: 0` with no `expirationDateTime`).
    ///
    /// Severity is **high** when the policy reaches users from other organisations and no
    /// recurring access review re-certifies them, **low** when a recurring review exists, and
    /// **medium** otherwise.
    ///
    /// ## Why is this risky?
    /// Access that never ends accumulates: people change roles, projects finish, partners leave,
    /// and nothing takes the access back. For external users there is often nobody inside the
    /// organisation who notices that a collaboration is over. A recurring review is the only
    /// remaining control, so its absence is what raises the severity.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "displayName": "Partners",
    ///   "allowedTargetScope": "allConfiguredConnectedOrganizationUsers",
    ///   "expiration": { "type": "noExpiration", "duration": null, "endDateTime": null },
    ///   "requestorSettings": { "enableTargetsToSelfAddAccess": true }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Edit → Lifecycle, and set "Access package
    /// assignments expire" to a number of days or a date. Where access must stay open-ended, turn on
    /// recurring access reviews in the same tab.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-lifecycle-policy
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-request-policy
    pub PolicyWithoutExpiration {
        id: "GS301",
        name: "policy-without-expiration",
        category: Expiration,
        severity: Medium,
        summary: "Self-service or auto-assignment policy whose assignments never expire",
        remediation: "Set an expiration (number of days or end date) in the policy's Lifecycle settings, or at least turn on recurring access reviews",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for PolicyWithoutExpiration {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        for p in s.policies.values() {
            let Some(e) = &p.expiration else { continue };
            if !e.is_none() {
                continue;
            }
            let self_service = p.is_self_service();
            let auto = p.is_auto_assignment();
            if !self_service && !auto {
                continue;
            }
            let external = external_reaching(ctx, p);
            let recurrence = review_recurrence(p);
            let severity = match (recurrence, external) {
                (Some(_), _) => Severity::Low,
                (None, true) => Severity::High,
                (None, false) => Severity::Medium,
            };
            let how = match (self_service, auto) {
                (true, true) => "self-service and auto-assignment",
                (true, false) => "self-service",
                _ => "auto-assignment",
            };
            let mut message = format!(
                "{} grants {how} access that never expires",
                policy_words(ctx, p)
            );
            if recurrence.is_none() {
                message.push_str(" and no recurring review re-certifies it");
            }
            let mut d = ctx
                .finding(out, policy_ref(s, &p.id), message)
                .severity(severity)
                .evidence("expirationType", e.kind.as_str())
                .evidence("selfService", self_service)
                .evidence("autoAssignment", auto)
                .evidence("externalReaching", external)
                .evidence("reviewRecurrence", recurrence.map(recurrence_words))
                .evidence("reviewsEnabled", p.reviews_enabled());
            if let Some(pop) = ctx.graph.population(&p.id) {
                // A compact summary (not `Population::evidence`, whose lists GS1xx rules show).
                d = d.evidence(
                    "eligiblePopulation",
                    serde_json::json!({
                        "scope": pop.scope.as_ref().map(|x| x.as_str().to_owned()),
                        "members": pop.members,
                        "guests": pop.guests,
                        "unboundedExternal": pop.unbounded_external,
                    }),
                );
            }
            if let Some(pkg) = p.access_package_id.as_deref() {
                d = d.related(package_ref(s, pkg));
            }
            out.push(d);
        }
    }
}
