use serde::{Deserialize, Serialize};

use super::{external_reaching, policy_words, ymd};
use crate::declare_rule;
use crate::model::ExpirationType;
use crate::rules::{Findings, Rule, RuleContext, package_ref, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a policy whose assignments last longer than `max-days` (default 365), or longer than
    /// `max-days-external` (default 180) when the policy reaches users from other organisations:
    /// an `afterDuration` expiration above the limit, or an `afterDateTime` expiration whose end
    /// date is further than the limit from the analysis date.
    ///
    /// ## Why is this risky?
    /// An expiration only limits access if it comes before the need for the access is gone. A
    /// multi-year duration behaves almost like no expiration: people who changed role or left a
    /// partner organisation keep their access for a long time, and nobody is asked to confirm it.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "displayName": "Contractors",
    ///   "allowedTargetScope": "specificConnectedOrganizationUsers",
    ///   "expiration": { "type": "afterDuration", "duration": "P730D" }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Edit → Lifecycle, and shorten "Assignments
    /// expire after (number of days)" or move the end date closer. Let users request an extension
    /// when they still need the access.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-lifecycle-policy
    pub ExpirationTooLong {
        id: "GS302",
        name: "expiration-too-long",
        category: Expiration,
        severity: Low,
        summary: "Policy whose assignments last longer than the configured maximum",
        remediation: "Shorten the policy's assignment duration or end date (Lifecycle settings) and let users request extensions",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// Options of `expiration-too-long`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Longest acceptable assignment lifetime in days.
    pub max_days: i64,
    /// Longest acceptable assignment lifetime in days for policies that reach external users.
    pub max_days_external: i64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_days: 365,
            max_days_external: 180,
        }
    }
}

impl Rule for ExpirationTooLong {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        ctx.require_resolved_groups()
    }

    fn check(&self, ctx: &RuleContext<'_>, options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        for p in s.policies.values() {
            let Some(e) = &p.expiration else { continue };
            let external = external_reaching(ctx, p);
            let limit = if external {
                options.max_days_external
            } else {
                options.max_days
            };
            let option = if external {
                "max-days-external"
            } else {
                "max-days"
            };
            let (days, detail, end) = match e.kind {
                ExpirationType::AfterDuration => {
                    let Some(d) = e.duration else { continue };
                    (d.days(), format!("for {} days", d.days()), None)
                }
                ExpirationType::AfterDateTime => {
                    let Some(end) = e.end else { continue };
                    let days = -ctx.days_since(end);
                    (
                        days,
                        format!("until {} ({days} days away)", ymd(end)),
                        Some(end),
                    )
                }
                _ => continue,
            };
            if days <= limit {
                continue;
            }
            let audience = if external { " to external users" } else { "" };
            let message = format!(
                "{} grants access{audience} {detail}, more than the {limit}-day maximum",
                policy_words(ctx, p)
            );
            let mut d = ctx
                .finding(out, policy_ref(s, &p.id), message)
                .evidence("expirationType", e.kind.as_str())
                .evidence("durationDays", days)
                .evidence("maxDays", limit)
                .evidence("option", option)
                .evidence("externalReaching", external);
            if let Some(end) = end {
                d = d.evidence("endDate", ymd(end));
            }
            if let Some(pkg) = p.access_package_id.as_deref() {
                d = d.related(package_ref(s, pkg));
            }
            out.push(d);
        }
    }
}
