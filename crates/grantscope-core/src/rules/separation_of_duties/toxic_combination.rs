use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{package_words, user_words};
use crate::config::SodRule;
use crate::declare_rule;
use crate::findings::EntityRef;
use crate::graph::Grant;
use crate::rules::guest_lifecycle::holdings_resolvable;
use crate::rules::{Findings, Rule, RuleContext, group_ref, package_ref, resource_ref, user_ref};

declare_rule! {
    /// ## What it does
    /// Checks the separation-of-duties rules defined in `grantscope.toml`
    /// (`[[separation-of-duties]]`, each with a name and two or more *sides*, every side a list of
    /// resource display names or ids, group ids, or `Resource/Role`). It flags:
    /// - a user whose effective access — the resource roles of every access package they hold
    ///   through an active assignment — covers every side of a rule;
    /// - an access package whose own resource roles already cover every side of a rule, so that
    ///   anyone who receives it holds the toxic combination.
    ///
    /// Without any `[[separation-of-duties]]` rule in the configuration, this rule is reported as
    /// not evaluated; likewise when the export has active assignments but none can be linked to a
    /// user. Resource names come from the catalog resources (`catalogResources-<catalogId>.json`)
    /// or, for groups, from `groups.json`; a grant whose resource cannot be named matches only by
    /// id.
    ///
    /// ## Why is this risky?
    /// Some combinations of access let one person complete a sensitive process alone: submitting
    /// and approving a payment, creating a vendor and paying it, developing and deploying to
    /// production. Incompatible packages only catch conflicts somebody configured package by
    /// package; this rule looks at the resources actually granted, across all the packages a user
    /// holds, and at packages that bundle both sides by design.
    ///
    /// ## Example
    /// With this rule in `grantscope.toml`:
    /// ```toml
    /// [[separation-of-duties]]
    /// name = "payments"
    /// sides = [["Payments-Submit"], ["Payments-Approve"]]
    /// ```
    /// a package granting membership of both groups is flagged, and so is every user who holds
    /// it (or holds one package per side):
    /// ```json
    /// { "id": "<package id>", "displayName": "Finance Operations",
    ///   "resourceRoleScopes": [
    ///     { "role": { "displayName": "Member", "originSystem": "AadGroup" },
    ///       "scope": { "originId": "<Payments-Submit group id>", "originSystem": "AadGroup" } },
    ///     { "role": { "displayName": "Member", "originSystem": "AadGroup" },
    ///       "scope": { "originId": "<Payments-Approve group id>", "originSystem": "AadGroup" } } ] }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages. Split a package that bundles both sides (the package → Resource roles), remove
    /// the assignment that gives a user the second side (the package → Assignments), and mark the
    /// packages of the two sides as incompatible (the package → Separation of duties) so that the
    /// combination cannot be requested again.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-incompatible
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-resources
    pub ToxicCombination {
        id: "GS403",
        name: "toxic-combination",
        category: SeparationOfDuties,
        severity: High,
        summary: "A user or a single access package covers every side of a configured separation-of-duties rule",
        remediation: "Remove the access that completes the combination, split packages that bundle both sides, and mark the packages of each side as incompatible",
        needs: [Users, Assignments, ResourceRoleScopes],
        since: "0.1.0",
    }
}

/// This rule has no options; the separation-of-duties rules themselves are the top-level
/// `[[separation-of-duties]]` tables of `grantscope.toml`.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

/// The grant of a package that matches one side of a rule, and the configured name it matched.
#[derive(Debug, Clone, Copy)]
struct SideMatch<'a> {
    grant: &'a Grant,
    name: &'a str,
}

/// For one package and one rule: the first match for each side (in the side's name order, then
/// the package's grant order).
fn match_sides<'a>(grants: &'a [Grant], rule: &'a SodRule) -> Vec<Option<SideMatch<'a>>> {
    rule.sides
        .iter()
        .map(|side| {
            side.iter().find_map(|name| {
                grants
                    .iter()
                    .find(|gr| gr.matches(name))
                    .map(|grant| SideMatch { grant, name })
            })
        })
        .collect()
}

/// The entity a grant points to: its catalog resource, else its group.
fn grant_entity(ctx: &RuleContext<'_>, grant: &Grant) -> Option<EntityRef> {
    let s = ctx.snapshot;
    grant
        .resource_id
        .as_deref()
        .map(|r| resource_ref(s, r))
        .or_else(|| grant.group_id.as_deref().map(|gid| group_ref(s, gid)))
}

/// Evidence for one matched side.
fn side_evidence(index: usize, package: &str, m: &SideMatch<'_>) -> serde_json::Value {
    json!({
        "side": index + 1,
        "matched": m.name,
        "accessPackageId": package,
        "resourceId": m.grant.resource_id,
        "resourceName": m.grant.resource_name,
        "groupId": m.grant.group_id,
        "role": m.grant.role_name,
    })
}

impl Rule for ToxicCombination {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        if ctx.config.separation_of_duties.is_empty() {
            return Err("no separation-of-duties rules are configured; add [[separation-of-duties]] to grantscope.toml".to_owned());
        }
        holdings_resolvable(ctx)
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let g = ctx.graph;
        let rules = &ctx.config.separation_of_duties;
        // Per package, per rule: which sides the package's own grants cover. Only packages
        // covering at least one side of some rule are kept.
        let mut coverage: HashMap<&str, Vec<Vec<Option<SideMatch<'_>>>>> = HashMap::new();
        for p in s.access_packages.values() {
            let grants = g.grants(&p.id);
            if grants.is_empty() {
                continue;
            }
            let per_rule: Vec<Vec<Option<SideMatch<'_>>>> =
                rules.iter().map(|r| match_sides(grants, r)).collect();
            if per_rule.iter().flatten().any(Option::is_some) {
                coverage.insert(p.id.as_str(), per_rule);
            }
        }

        // A package that bundles every side of a rule by itself (id order).
        for p in s.access_packages.values() {
            let Some(per_rule) = coverage.get(p.id.as_str()) else {
                continue;
            };
            for (rule, sides) in rules.iter().zip(per_rule) {
                let Some(matches) = sides.iter().copied().collect::<Option<Vec<_>>>() else {
                    continue;
                };
                let names: Vec<String> =
                    matches.iter().map(|m| format!("\"{}\"", m.name)).collect();
                let message = format!(
                    "Access package {} by itself grants every side of separation-of-duties rule \"{}\": {}",
                    package_words(s, &p.id),
                    rule.name,
                    names.join(" and ")
                );
                let mut d = ctx
                    .finding(out, package_ref(s, &p.id), message)
                    .evidence("rule", &rule.name)
                    .evidence(
                        "sides",
                        matches
                            .iter()
                            .enumerate()
                            .map(|(i, m)| side_evidence(i, &p.id, m))
                            .collect::<Vec<_>>(),
                    )
                    .evidence("holderCount", g.holders(&p.id).len())
                    .key(rule.name.as_str());
                for m in &matches {
                    if let Some(e) = grant_entity(ctx, m.grant) {
                        d = d.related(e);
                    }
                }
                out.push(d);
            }
        }

        // A user whose held packages together cover every side of a rule.
        for (idx, user) in (0..).zip(g.users.iter()) {
            let held: Vec<&str> = g
                .holdings(idx)
                .iter()
                .copied()
                .filter(|p| coverage.contains_key(p))
                .collect();
            if held.is_empty() {
                continue;
            }
            for (r, rule) in rules.iter().enumerate() {
                // For each side: the first held package (id order) that covers it.
                let found: Option<Vec<(&str, SideMatch<'_>)>> = (0..rule.sides.len())
                    .map(|side| {
                        held.iter().find_map(|&p| {
                            coverage
                                .get(p)
                                .and_then(|per_rule| per_rule.get(r))
                                .and_then(|sides| sides.get(side).copied().flatten())
                                .map(|m| (p, m))
                        })
                    })
                    .collect();
                let Some(found) = found else {
                    continue;
                };
                let packages: BTreeSet<&str> = found
                    .iter()
                    .map(|(p, _)| *p)
                    .fold(BTreeSet::new(), crate::order::into_set);
                let message = if let [only] = packages.iter().collect::<Vec<_>>()[..] {
                    let names: Vec<String> = found
                        .iter()
                        .map(|(_, m)| format!("\"{}\"", m.name))
                        .collect();
                    format!(
                        "User {} holds every side of separation-of-duties rule \"{}\" through access package {}: {}",
                        user_words(user),
                        rule.name,
                        package_words(s, only),
                        names.join(" and ")
                    )
                } else {
                    let parts: Vec<String> = found
                        .iter()
                        .map(|(p, m)| {
                            format!("\"{}\" (via package {})", m.name, package_words(s, p))
                        })
                        .collect();
                    format!(
                        "User {} holds every side of separation-of-duties rule \"{}\": {}",
                        user_words(user),
                        rule.name,
                        parts.join(" and ")
                    )
                };
                let mut d = ctx
                    .finding(out, user_ref(s, &user.id), message)
                    .evidence("rule", &rule.name)
                    .evidence(
                        "sides",
                        found
                            .iter()
                            .enumerate()
                            .map(|(i, (p, m))| side_evidence(i, p, m))
                            .collect::<Vec<_>>(),
                    )
                    .evidence("accessPackageIds", &packages)
                    .key(rule.name.as_str());
                for p in &packages {
                    d = d.related(package_ref(s, p)).key(*p);
                }
                for (_, m) in &found {
                    if let Some(e) = grant_entity(ctx, m.grant) {
                        d = d.related(e);
                    }
                }
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(resource: &str, role: &str) -> Grant {
        Grant {
            role_scope_id: format!("{resource}-{role}"),
            resource_id: Some(format!("id-{resource}")),
            resource_name: Some(resource.to_owned()),
            origin_system: Some("AadApplication".to_owned()),
            group_id: None,
            role_name: Some(role.to_owned()),
            privileged: false,
            privileged_reason: None,
        }
    }

    #[test]
    fn sides_match_by_name_id_or_resource_role() {
        let grants = vec![grant("Payments", "Submitter"), grant("Ledger", "Reader")];
        let rule = SodRule {
            name: "payments".into(),
            sides: vec![
                vec!["Payments/Approver".into(), "payments/submitter".into()],
                vec!["id-Ledger".into()],
                vec!["Payments/Approver".into()],
            ],
        };
        let m = match_sides(&grants, &rule);
        assert_eq!(m[0].map(|x| x.name), Some("payments/submitter"));
        assert_eq!(
            m[1].map(|x| x.grant.resource_name.as_deref()),
            Some(Some("Ledger"))
        );
        assert!(m[2].is_none());
    }
}
