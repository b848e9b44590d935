use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{package_words, quoted, user_words};
use crate::declare_rule;
use crate::rules::guest_lifecycle::holdings_resolvable;
use crate::rules::{Findings, Rule, RuleContext, group_ref, package_ref, user_ref};

declare_rule! {
    /// ## What it does
    /// Flags a user who holds an active assignment to access package A and is a member (directly
    /// or through nested groups) of a group that A lists under "incompatible groups". One finding
    /// per user, package and group.
    ///
    /// Membership comes from the exported group members (`groupMembers-<groupId>.json`). A listed
    /// group whose members were not exported cannot be checked: it is skipped, and findings for
    /// the same package name it under `unknownMembershipGroupIds`. When no listed group's members
    /// were exported at all, the rule is reported as not evaluated.
    /// When the export has active assignments but none can be linked to a user (beta `targetId`
    /// without subject data, as EntraExporter writes them), the rule is reported as not evaluated.
    ///
    /// ## Why is this risky?
    /// An incompatible group records a separation-of-duties decision such as "members of
    /// Payments-Approvers may not hold Payments-Submit". Entitlement management checks it only
    /// when the package is requested; a user added to the group afterwards, or assigned directly
    /// by an administrator, ends up with both sides of the conflict.
    ///
    /// ## Example
    /// `incompatibleGroups-<Payments-Submit id>.json` names Payments-Approvers, and a user who
    /// holds Payments-Submit appears in `groupMembers-<Payments-Approvers id>.json`:
    /// ```json
    /// { "value": [ { "id": "<Payments-Approvers id>", "displayName": "Payments-Approvers" } ] }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, either remove the user's assignment (Identity Governance →
    /// Entitlement management → Access packages → the package → Assignments) or remove the user
    /// from the group (Groups → the group → Members), whichever access they should not have.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-incompatible
    /// - https://learn.microsoft.com/graph/api/resources/accesspackage
    pub IncompatibleGroupHeld {
        id: "GS402",
        name: "incompatible-group-held",
        category: SeparationOfDuties,
        severity: High,
        summary: "A user holds an access package and is a member of a group it lists as incompatible",
        remediation: "Remove the user's assignment or their membership in the incompatible group, whichever they should not have",
        needs: [Users, AccessPackages, Assignments, IncompatibleGroups, GroupMembers],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for IncompatibleGroupHeld {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        holdings_resolvable(ctx)?;
        let listed: BTreeSet<&str> = ctx
            .snapshot
            .access_packages
            .values()
            .filter_map(|p| p.incompatible_groups.as_deref())
            .flatten()
            .map(String::as_str)
            .fold(BTreeSet::new(), crate::order::into_set);
        if listed.is_empty() || listed.iter().any(|g| ctx.graph.membership_known(g)) {
            return Ok(());
        }
        let sample: Vec<&str> = listed.iter().take(3).copied().collect();
        Err(format!(
            "the members of the {} group(s) listed as incompatible were not exported; add \
             groupMembers-<groupId>.json (GET /groups/<groupId>/transitiveMembers) for each, e.g. {}",
            listed.len(),
            sample.join(", ")
        ))
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let g = ctx.graph;
        for (idx, user) in (0..).zip(g.users.iter()) {
            let held = g.holdings(idx);
            for &pkg in held {
                let Some(groups) = s
                    .access_packages
                    .get(pkg)
                    .and_then(|p| p.incompatible_groups.as_deref())
                else {
                    continue;
                };
                let (known, unknown): (Vec<&String>, Vec<&String>) =
                    groups.iter().partition(|gr| g.membership_known(gr));
                for group in known {
                    if !g.is_member(idx, group) {
                        continue;
                    }
                    // Held packages that themselves make the user a member of the group.
                    let granted_by: Vec<&str> = held
                        .iter()
                        .copied()
                        .filter(|p| g.grants(p).iter().any(|gr| gr.is_membership_of(group)))
                        .collect();
                    let group_name = quoted(
                        s.groups.get(group).and_then(|x| x.display_name.as_deref()),
                        group,
                    );
                    let message = format!(
                        "User {} holds access package {} and is a member of group {}, which the package lists as incompatible",
                        user_words(user),
                        package_words(s, pkg),
                        group_name
                    );
                    let mut d = ctx
                        .finding(out, user_ref(s, &user.id), message)
                        .related(package_ref(s, pkg))
                        .related(group_ref(s, group))
                        .evidence("accessPackageId", pkg)
                        .evidence("groupId", group)
                        .evidence("assignmentIds", g.active_assignments_to(idx, pkg))
                        .key(pkg)
                        .key(group.as_str());
                    if !granted_by.is_empty() {
                        d = d.evidence("membershipGrantedByPackageIds", &granted_by);
                    }
                    if !unknown.is_empty() {
                        d = d.evidence("unknownMembershipGroupIds", &unknown);
                    }
                    out.push(d);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::config::Config;
    use crate::graph::AccessGraph;
    use crate::model::{AccessPackage, Group, ObjectKind, ObjectRef, Snapshot};

    fn applicable(s: &Snapshot) -> Result<(), String> {
        let config = Config::default();
        let g = AccessGraph::build(s, &config);
        let ctx = RuleContext::new(
            s,
            &g,
            &config,
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        );
        IncompatibleGroupHeld.applicable(&ctx)
    }

    #[test]
    fn not_evaluated_when_no_listed_group_has_members_exported() {
        let mut s = Snapshot::default();
        s.access_packages.insert(
            "p".into(),
            AccessPackage {
                id: "p".into(),
                incompatible_groups: Some(vec!["g1".into(), "g2".into()]),
                ..AccessPackage::default()
            },
        );
        for id in ["g1", "g2"] {
            s.groups.insert(
                id.into(),
                Group {
                    id: id.into(),
                    ..Group::default()
                },
            );
        }
        let err = applicable(&s).unwrap_err();
        assert!(err.contains("g1, g2"), "{err}");
        // One group with known (even empty) membership is enough to evaluate.
        s.groups.get_mut("g2").unwrap().transitive_members = Some(vec![ObjectRef {
            id: "u".into(),
            kind: ObjectKind::User,
        }]);
        assert!(applicable(&s).is_ok());
    }
}
