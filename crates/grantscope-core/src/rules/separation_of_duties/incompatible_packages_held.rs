use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{IncompatiblePairs, package_words, user_words};
use crate::declare_rule;
use crate::rules::guest_lifecycle::holdings_resolvable;
use crate::rules::{Findings, Rule, RuleContext, package_ref, user_ref};

declare_rule! {
    /// ## What it does
    /// Flags a user who holds active assignments to two access packages that are marked as
    /// incompatible with each other: package A lists package B under "incompatible access
    /// packages", or B lists A. One finding per user and pair of packages.
    ///
    /// When the export has active assignments but none can be linked to a user (beta `targetId`
    /// without subject data, as EntraExporter writes them), the rule is reported as not evaluated.
    ///
    /// ## Why is this risky?
    /// Incompatibility is how an organisation writes down a separation-of-duties decision ("no
    /// one may both submit and approve payments"). Entitlement management only checks it when a
    /// package is *requested*: an administrator's direct assignment, an automatic assignment, an
    /// assignment that predates the incompatibility, or a one-sided configuration can still leave
    /// a user with both. Such a user defeats the control the incompatibility was meant to enforce.
    ///
    /// ## Example
    /// `incompatibleAccessPackages-<Payments-Submit id>.json` names Payments-Approve, and
    /// `assignments.json` holds delivered assignments of the same user to both packages:
    /// ```json
    /// { "value": [ { "id": "<Payments-Approve id>", "displayName": "Payments-Approve" } ] }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → one of the two packages → Assignments and remove the assignment the user should
    /// not have. Use "Separation of duties" on the package to list other users who hold both
    /// (the `additionalAccess` report).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-incompatible
    /// - https://learn.microsoft.com/graph/api/accesspackageassignment-additionalaccess
    pub IncompatiblePackagesHeld {
        id: "GS401",
        name: "incompatible-packages-held",
        category: SeparationOfDuties,
        severity: Critical,
        summary: "A user holds two access packages marked as incompatible with each other",
        remediation: "Remove one of the two assignments (Access package → Assignments) and review how the user obtained both",
        needs: [Users, AccessPackages, Assignments, IncompatibleAccessPackages],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for IncompatiblePackagesHeld {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        holdings_resolvable(ctx)
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let g = ctx.graph;
        let incompatible = IncompatiblePairs::new(s);
        for (idx, user) in (0..).zip(g.users.iter()) {
            let held = g.holdings(idx);
            if held.len() < 2 {
                continue;
            }
            // Unordered pairs (a < b) of held packages where one lists the other.
            let mut pairs: BTreeSet<(&str, &str)> = BTreeSet::new();
            for &a in held {
                let listed = s
                    .access_packages
                    .get(a)
                    .and_then(|p| p.incompatible_access_packages.as_deref())
                    .unwrap_or_default();
                for b in listed {
                    if b != a && held.binary_search(&b.as_str()).is_ok() {
                        pairs.insert(if a < b.as_str() { (a, b) } else { (b, a) });
                    }
                }
            }
            for (a, b) in pairs {
                let mut listed_by: Vec<&str> = Vec::new();
                if incompatible.lists(a, b) {
                    listed_by.push(a);
                }
                if incompatible.lists(b, a) {
                    listed_by.push(b);
                }
                let mut assignment_ids: Vec<&str> = g.active_assignments_to(idx, a);
                assignment_ids.extend(g.active_assignments_to(idx, b));
                assignment_ids.sort_unstable();
                let message = format!(
                    "User {} holds access packages {} and {}, which are marked as incompatible",
                    user_words(user),
                    package_words(s, a),
                    package_words(s, b)
                );
                let d = ctx
                    .finding(out, user_ref(s, &user.id), message)
                    .related(package_ref(s, a))
                    .related(package_ref(s, b))
                    .evidence("accessPackageIds", [a, b])
                    .evidence("listedBy", &listed_by)
                    .evidence("assignmentIds", &assignment_ids)
                    .key(a)
                    .key(b);
                out.push(d);
            }
        }
    }
}
