use serde::{Deserialize, Serialize};

use super::{assignment_finding, assignment_words, schedule_end, ymd};
use crate::declare_rule;
use crate::rules::{Findings, Rule, RuleContext};

declare_rule! {
    /// ## What it does
    /// Flags an assignment that is still active (delivered, partially delivered or delivering)
    /// although its scheduled end (`schedule.expiration.endDateTime`, or start plus duration) is
    /// before the analysis date.
    ///
    /// ## Why is this risky?
    /// Entitlement management should have removed this access when the schedule ended. An
    /// assignment still delivered after its end means the removal failed or is stuck (a
    /// resource that could not be updated, a failed custom extension), so the user keeps access
    /// everyone believes has expired.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "id": "…", "state": "delivered",
    ///   "schedule": { "expiration": { "type": "afterDateTime", "endDateTime": "2026-03-31T00:00:00Z" } }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Assignments, remove the assignment, and check the package's
    /// resources and the request history for delivery errors.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-assignments
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-troubleshoot
    pub AssignmentPastEnd {
        id: "GS305",
        name: "assignment-past-end",
        category: Expiration,
        severity: High,
        summary: "Assignment still active after its scheduled end",
        remediation: "Remove the assignment (Access package → Assignments) and investigate why the scheduled removal did not happen",
        needs: [Assignments],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for AssignmentPastEnd {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        for a in s.assignments.values().filter(|a| a.is_active()) {
            let Some(end) = a.schedule.as_ref().and_then(schedule_end) else {
                continue;
            };
            if end >= ctx.as_of_time {
                continue;
            }
            let message = format!(
                "{} is still active although it was scheduled to end on {}",
                assignment_words(ctx, a),
                ymd(end)
            );
            let d = assignment_finding(ctx, out, a, message)
                .evidence("endDate", ymd(end))
                .evidence("daysPastEnd", ctx.days_since(end))
                .evidence("status", a.status.as_deref());
            out.push(d);
        }
    }
}
