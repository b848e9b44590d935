use serde::{Deserialize, Serialize};

use super::{assignment_finding, assignment_words, expiration_kind, missing_end, ymd};
use crate::declare_rule;
use crate::rules::{Findings, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Flags an active assignment (delivered, partially delivered or delivering) whose schedule
    /// has no end: the schedule or its expiration is missing, or its type is `noExpiration` (or
    /// `notSpecified` without an end date). This is typical of assignments granted before the
    /// policy got an expiration, or added directly by an administrator without an end date.
    ///
    /// ## Why is this risky?
    /// Changing a policy's expiration only affects new assignments. The access granted before
    /// stays open-ended: it is never removed automatically and the user is never asked whether
    /// they still need it.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "id": "…", "state": "delivered",
    ///   "schedule": { "startDateTime": "2023-01-10T00:00:00Z",
    ///                 "expiration": { "type": "noExpiration", "endDateTime": null, "duration": null } },
    ///   "target": { "objectId": "…", "displayName": "Adele Vance" }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Assignments, and remove the assignment or re-assign it with an
    /// end date; make sure the policy itself sets an expiration.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-assignments
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-lifecycle-policy
    pub AssignmentWithoutEnd {
        id: "GS304",
        name: "assignment-without-end",
        category: Expiration,
        severity: Medium,
        summary: "Active assignment with no end date",
        remediation: "Remove the assignment or re-assign it with an end date (Access package → Assignments), and set an expiration on its policy",
        needs: [Assignments],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for AssignmentWithoutEnd {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        for a in s.assignments.values().filter(|a| a.is_active()) {
            let Some(reason) = missing_end(a.schedule.as_ref()) else {
                continue;
            };
            let message = format!("{} has no end date", assignment_words(ctx, a));
            let start = a.schedule.as_ref().and_then(|sch| sch.start);
            let policy_expiration = a
                .policy_id
                .as_deref()
                .and_then(|p| s.policies.get(p))
                .map(|p| expiration_kind(p.expiration.as_ref()));
            let mut d = assignment_finding(ctx, out, a, message)
                .evidence("reason", reason)
                .evidence("startDate", start.map(ymd))
                .evidence("daysSinceStart", start.map(|t| ctx.days_since(t)));
            if let Some(kind) = policy_expiration {
                d = d.evidence("policyExpirationType", kind);
            }
            out.push(d);
        }
    }
}
