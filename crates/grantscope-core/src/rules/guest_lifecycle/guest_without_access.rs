use serde::{Deserialize, Serialize};

use super::{user_words, ymd};
use crate::declare_rule;
use crate::rules::{Findings, Rule, RuleContext, user_ref};

declare_rule! {
    /// ## What it does
    /// Flags an enabled guest account that holds no active access package assignment
    /// (delivered, partially delivered or delivering). Evidence says how many past (expired or
    /// failed) assignments the guest had, which tells "access ended but the account stayed" apart
    /// from "never had access through a package".
    ///
    /// The rule runs only when assignments were exported. If some active assignment cannot be
    /// linked to a user (beta `targetId` without subject data), nobody can be said to hold
    /// nothing, and the rule is reported as not evaluated. Access granted outside entitlement
    /// management (direct group membership, app assignments) is not visible in the export.
    ///
    /// ## Why is this risky?
    /// Guests brought in through entitlement management should leave with their last assignment.
    /// An enabled guest holding nothing is an account without a purpose: it can still sign in,
    /// read what every user can read, and be granted access again without anyone re-vetting it.
    /// Often it is the trace of a lifecycle setting that keeps guests (see GS503).
    ///
    /// ## Example
    /// A guest in `users.json` for whom `assignments.json` holds only expired assignments:
    /// ```json
    /// { "id": "<user id>", "userType": "Guest", "accountEnabled": true }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Users → the guest and block sign-in or delete the account
    /// if it is no longer needed; set Identity Governance → Entitlement management → Settings →
    /// "Manage the lifecycle of external users" to block and remove guests whose last assignment
    /// ends.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-external-users
    /// - https://learn.microsoft.com/entra/id-governance/access-reviews-external-users
    pub GuestWithoutAccess {
        id: "GS504",
        name: "guest-without-access",
        category: GuestLifecycle,
        severity: Low,
        summary: "Enabled guest account with no active access package assignment",
        remediation: "Block sign-in or delete the guest if it is no longer needed, and let entitlement management remove guests when their last assignment ends",
        needs: [Users, Assignments],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for GuestWithoutAccess {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        let unresolved: Vec<&str> = ctx
            .snapshot
            .assignments
            .values()
            .filter(|a| a.is_active() && a.target_object_id.is_none())
            .map(|a| a.id.as_str())
            .collect();
        if unresolved.is_empty() {
            return Ok(());
        }
        let sample: Vec<&str> = unresolved.iter().take(3).copied().collect();
        Err(format!(
            "{} active assignment(s) cannot be linked to a user (e.g. {}), so no guest can be said to hold nothing; export assignments with $expand=target",
            unresolved.len(),
            sample.join(", ")
        ))
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let g = ctx.graph;
        for (idx, u) in (0..).zip(g.users.iter()) {
            if !u.is_guest() || !u.is_enabled() || !g.holdings(idx).is_empty() {
                continue;
            }
            let past = g.inactive_assignments(idx);
            let message = match past {
                0 => format!(
                    "Guest {} is enabled but holds no access package assignment",
                    user_words(u)
                ),
                1 => format!(
                    "Guest {} is enabled but their only access package assignment is no longer active",
                    user_words(u)
                ),
                n => format!(
                    "Guest {} is enabled but none of their {n} access package assignments is still active",
                    user_words(u)
                ),
            };
            let mut d = ctx
                .finding(out, user_ref(s, &u.id), message)
                .evidence("pastAssignmentCount", past)
                .evidence("created", u.created.map(ymd))
                .evidence(
                    "externalUserState",
                    u.external_user_state
                        .as_ref()
                        .map(|x| x.as_str().to_owned()),
                );
            if let Some(activity) = &u.sign_in_activity {
                d = d.evidence("lastSignIn", activity.last_activity().map(ymd));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::config::Config;
    use crate::graph::AccessGraph;
    use crate::model::{Assignment, AssignmentState, Snapshot};

    #[test]
    fn not_evaluated_when_an_active_assignment_has_no_user() {
        let mut s = Snapshot::default();
        s.assignments.insert(
            "a".into(),
            Assignment {
                id: "a".into(),
                state: Some(AssignmentState::Delivered),
                target_subject_id: Some("subject".into()),
                ..Assignment::default()
            },
        );
        let config = Config::default();
        let g = AccessGraph::build(&s, &config);
        let ctx = RuleContext::new(
            &s,
            &g,
            &config,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        );
        assert!(GuestWithoutAccess.applicable(&ctx).is_err());
        // An expired unresolved assignment does not matter.
        s.assignments.get_mut("a").unwrap().state = Some(AssignmentState::Expired);
        let g = AccessGraph::build(&s, &config);
        let ctx = RuleContext::new(
            &s,
            &g,
            &config,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        );
        assert!(GuestWithoutAccess.applicable(&ctx).is_ok());
    }
}
