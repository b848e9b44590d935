use serde::{Deserialize, Serialize};

use super::{external_reaching, recurrence_words};
use crate::declare_rule;
use crate::rules::eligibility::{package_label, package_related, policy_label, with_population};
use crate::rules::{Findings, Rule, RuleContext, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a policy whose access reviews are enabled but recur less often than
    /// `max-interval-months-external` (default 3) for an external-reaching policy, or
    /// `max-interval-months` (default 12) otherwise. A review with no recurrence at all is a
    /// one-off and is flagged too. Daily and weekly recurrences count as 30-day months; a
    /// recurrence this version does not know is skipped (the load report warns about it).
    ///
    /// ## Why is this risky?
    /// Reviews only remove access when they happen. An annual review of partner access leaves a
    /// departed contractor in for up to a year; a one-off review checks the access once and
    /// never again.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "allowedTargetScope": "allConfiguredConnectedOrganizationUsers",
    ///   "reviewSettings": {
    ///     "isEnabled": true,
    ///     "schedule": { "recurrence": { "pattern": { "type": "absoluteYearly", "interval": 1 } } }
    ///   }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Lifecycle, and under access reviews set
    /// "Review frequency" to Quarterly (for external users) or at most Annually.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-reviews-create
    pub ReviewTooInfrequent {
        id: "GS312",
        name: "review-too-infrequent",
        category: Review,
        severity: Low,
        summary: "Access reviews recur too rarely, or only once",
        remediation: "Make the policy's access reviews recur at least quarterly for external users and at least annually otherwise (Identity Governance → Entitlement management → Access packages → Policies → Lifecycle → Review frequency)",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// Options of `review-too-infrequent`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Longest review interval, in months, for policies only internal users can request under.
    pub max_interval_months: u32,
    /// Longest review interval, in months, for external-reaching policies.
    pub max_interval_months_external: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_interval_months: 12,
            max_interval_months_external: 3,
        }
    }
}

impl Rule for ReviewTooInfrequent {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        ctx.require_resolved_groups()
    }

    fn check(&self, ctx: &RuleContext<'_>, options: &Options, out: &mut Findings) {
        for p in ctx.snapshot.policies.values() {
            let Some(review) = p.review.as_ref().filter(|r| r.is_enabled) else {
                continue;
            };
            let external = external_reaching(ctx, p);
            let max = if external {
                options.max_interval_months_external
            } else {
                options.max_interval_months
            };
            let recurrence = review.schedule.as_ref().and_then(|s| s.recurrence.as_ref());
            let months = match recurrence {
                None => None,
                Some(r) => match r.interval_months() {
                    // An unknown pattern: the loader warned; nothing to compare.
                    None => continue,
                    Some(m) => Some(m),
                },
            };
            if months.is_some_and(|m| m <= f64::from(max) + 1e-9) {
                continue;
            }
            let who = if external {
                " (open to external users)"
            } else {
                ""
            };
            let message = match recurrence {
                Some(r) => format!(
                    "{}{who} reviews access to {} {}, less often than every {max} months",
                    policy_label(p),
                    package_label(ctx, p),
                    recurrence_words(r),
                ),
                None => format!(
                    "{}{who} reviews access to {} only once, with no recurrence",
                    policy_label(p),
                    package_label(ctx, p),
                ),
            };
            let mut draft = ctx
                .finding(out, policy_ref(ctx.snapshot, &p.id), message)
                .evidence("externalReaching", external)
                .evidence(
                    "recurrence",
                    recurrence.map(|r| {
                        serde_json::json!({ "pattern": r.pattern.as_str(), "interval": r.interval })
                    }),
                )
                .evidence(
                    "intervalMonths",
                    months.map(|m| (m * 100.0).round() / 100.0),
                )
                .evidence("maxIntervalMonths", max);
            if let Some(pop) = ctx.graph.population(&p.id) {
                draft = with_population(ctx, draft, pop);
            }
            if let Some(pkg) = package_related(ctx, p) {
                draft = draft.related(pkg);
            }
            out.push(draft);
        }
    }
}
