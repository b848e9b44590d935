use serde::{Deserialize, Serialize};

use super::{kind_words, quoted, user_words};
use crate::declare_rule;
use crate::rules::{Findings, Rule, RuleContext, package_ref, user_ref};

declare_rule! {
    /// ## What it does
    /// Flags a disabled account (`accountEnabled: false`, member or guest) that still holds
    /// active access package assignments (delivered, partially delivered or delivering). One
    /// finding per user, naming the packages and assignments. An account whose `accountEnabled`
    /// was not exported is not judged.
    ///
    /// When the export has active assignments but none can be linked to a user (beta `targetId`
    /// without subject data, as EntraExporter writes them), the rule is reported as not evaluated.
    ///
    /// ## Why is this risky?
    /// Disabling an account stops sign-in but removes nothing: group memberships, app roles and
    /// site permissions granted by the packages stay in place. If the account is re-enabled — by
    /// mistake, by a sync rule, or by an attacker with the right role — all of that access comes
    /// back at once. Assignments also keep counting against reviews and reports as if the access
    /// were in use, and guests blocked by the lifecycle settings normally lose their assignments
    /// first, so a disabled holder points at an offboarding step that was skipped.
    ///
    /// ## Example
    /// A user in `users.json`, and a delivered assignment in `assignments.json` whose
    /// `target.objectId` is that user:
    /// ```json
    /// { "id": "<user id>", "displayName": "Dylan Ortiz", "accountEnabled": false }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → each package → Assignments and remove the disabled user's assignments (or
    /// delete the account if it is gone for good). Make offboarding remove assignments before or
    /// when the account is disabled.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-assignments
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-external-users
    pub DisabledUserWithAssignments {
        id: "GS505",
        name: "disabled-user-with-assignments",
        category: GuestLifecycle,
        severity: Low,
        summary: "Disabled account that still holds active access package assignments",
        remediation: "Remove the disabled account's access package assignments (Access package → Assignments), or delete the account if it is gone for good",
        needs: [Users, Assignments],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for DisabledUserWithAssignments {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        super::holdings_resolvable(ctx)
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let g = ctx.graph;
        for (idx, u) in (0..).zip(g.users.iter()) {
            let held = g.holdings(idx);
            if u.account_enabled != Some(false) || held.is_empty() {
                continue;
            }
            let what = match held {
                [only] => format!(
                    "access package {}",
                    quoted(
                        s.access_packages
                            .get(*only)
                            .and_then(|p| p.display_name.as_deref()),
                        only
                    )
                ),
                _ => format!("{} access packages", held.len()),
            };
            let message = format!(
                "{} {} is disabled but still holds {what}",
                kind_words(u),
                user_words(u)
            );
            let mut d = ctx
                .finding(out, user_ref(s, &u.id), message)
                .evidence("accessPackageIds", held)
                .evidence("assignmentIds", g.active_assignments(idx))
                .evidence(
                    "userType",
                    u.user_type.as_ref().map(|t| t.as_str().to_owned()),
                );
            for p in held {
                d = d.related(package_ref(s, p));
            }
            out.push(d);
        }
    }
}
