use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{accepts_requests, quoted};
use crate::declare_rule;
use crate::rules::{Findings, Rule, RuleContext, catalog_ref, package_ref, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags an access package that nobody can obtain and nobody holds: none of its policies
    /// accepts requests (self-service or on behalf of others) or assigns automatically, and it has
    /// no active assignment. Packages with only direct-assignment (administrator) policies and no
    /// current assignment are included.
    ///
    /// ## Why is this risky?
    /// A dead package still carries its resource roles, approvers and catalog delegation. It can
    /// be revived by anyone who manages the catalog — adding a policy is enough — without the
    /// review a new package would get, and it clutters the catalog so that real problems are
    /// harder to see.
    ///
    /// ## Example
    /// ```json
    /// { "id": "…", "displayName": "Project Falcon (2023)",
    ///   "assignmentPolicies": [ { "allowedTargetScope": "notSpecified",
    ///     "requestorSettings": { "enableTargetsToSelfAddAccess": false } } ] }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package, and delete it (remove its policies first) if it is no longer
    /// needed; otherwise hide it or document why it is kept.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-edit
    pub DeadPackage {
        id: "GS603",
        name: "dead-package",
        category: Hygiene,
        severity: Info,
        summary: "Access package that accepts no requests and has no active assignment",
        remediation: "Delete the access package if it is no longer needed (Access packages → the package → Delete), or document why it is kept",
        needs: [AccessPackages, AssignmentPolicies, Assignments],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

/// Assignment counts of one package.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    active: usize,
    total: usize,
}

impl Rule for DeadPackage {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        // An active assignment that does not name its package might belong to any package.
        let unattributed = ctx
            .snapshot
            .assignments
            .values()
            .filter(|a| a.is_active() && a.access_package_id.is_none())
            .count();
        if unattributed == 0 {
            Ok(())
        } else {
            Err(format!(
                "{unattributed} active assignment(s) do not say which access package they belong to; \
                 export assignments with $expand=accessPackage"
            ))
        }
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let mut counts: BTreeMap<&str, Counts> = BTreeMap::new();
        for a in s.assignments.values() {
            let Some(pkg) = a.access_package_id.as_deref() else {
                continue;
            };
            let c = counts.entry(pkg).or_default();
            c.total += 1;
            if a.is_active() {
                c.active += 1;
            }
        }
        let mut policies: BTreeMap<&str, Vec<&crate::model::AssignmentPolicy>> = BTreeMap::new();
        for p in s.policies.values() {
            if let Some(pkg) = p.access_package_id.as_deref() {
                policies.entry(pkg).or_default().push(p);
            }
        }
        for p in s.access_packages.values() {
            let c = counts.get(p.id.as_str()).copied().unwrap_or_default();
            if c.active > 0 || !ctx.graph.holders(&p.id).is_empty() {
                continue;
            }
            let own = policies.get(p.id.as_str()).map_or(&[][..], Vec::as_slice);
            if own
                .iter()
                .any(|q| accepts_requests(q) || q.is_auto_assignment())
            {
                continue;
            }
            let why = if own.is_empty() {
                "has no policy and no active assignment"
            } else {
                "has no policy that accepts requests or assigns automatically, and no active assignment"
            };
            let message = format!(
                "Access package {} {why}",
                quoted(p.display_name.as_deref(), &p.id)
            );
            let ids: Vec<&str> = own.iter().map(|q| q.id.as_str()).collect();
            let mut d = ctx
                .finding(out, package_ref(s, &p.id), message)
                .evidence("policyIds", &ids)
                .evidence("activeAssignments", 0)
                .evidence("pastAssignments", c.total)
                .evidence("isHidden", p.is_hidden);
            for q in own {
                d = d.related(policy_ref(s, &q.id));
            }
            if let Some(cat) = p.catalog_id.as_deref() {
                d = d.related(catalog_ref(s, cat));
            }
            out.push(d);
        }
    }
}
