use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::quoted;
use crate::declare_rule;
use crate::rules::{Findings, Rule, RuleContext, catalog_ref, resource_ref};

declare_rule! {
    /// ## What it does
    /// Flags a resource (group, application, SharePoint site) added to a catalog that no access
    /// package of the export grants a role of.
    ///
    /// When some package's role scopes were not exported, or name a resource that cannot be
    /// identified, the resources of that package's catalog are not judged (a package of unknown
    /// catalog makes every catalog unjudgeable): the rule cannot prove they are unused.
    ///
    /// ## Why is this risky?
    /// A resource in a catalog can be added to a package at any time by every catalog owner and
    /// access package manager of that catalog, who thereby gain a say over who gets it. A resource
    /// nobody uses is delegated control without purpose, and clutter that hides what the catalog
    /// is really for.
    ///
    /// ## Example
    /// ```json
    /// { "id": "…", "displayName": "Old Finance Share", "originSystem": "SharePointOnline",
    ///   "originId": "https://contoso.sharepoint.com/sites/old-finance" }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Catalogs →
    /// the catalog → Resources, and remove the resource (or add it to the package that needs it).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-catalog-create
    pub OrphanedCatalogResource {
        id: "GS602",
        name: "orphaned-catalog-resource",
        category: Hygiene,
        severity: Info,
        summary: "Catalog resource that no access package uses",
        remediation: "Remove the resource from the catalog (Catalogs → the catalog → Resources) or use it in an access package",
        needs: [CatalogResources, ResourceRoleScopes],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

/// Which catalogs cannot be judged because a package's grants are not fully known.
#[derive(Debug, Default)]
struct Unknown<'a> {
    /// Every catalog (a package of unknown catalog has unknown grants).
    all: bool,
    catalogs: BTreeSet<&'a str>,
}

impl Rule for OrphanedCatalogResource {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let mut used: BTreeSet<&str> = BTreeSet::new();
        let mut unknown = Unknown::default();
        let mut packages_in: BTreeMap<&str, usize> = BTreeMap::new();
        for p in s.access_packages.values() {
            if let Some(c) = p.catalog_id.as_deref() {
                *packages_in.entry(c).or_default() += 1;
            }
            let grants = ctx.graph.grants(&p.id);
            let uncertain =
                p.resource_role_scopes.is_none() || grants.iter().any(|g| g.resource_id.is_none());
            for g in grants {
                if let Some(r) = g.resource_id.as_deref() {
                    used.insert(r);
                }
            }
            if uncertain {
                match p.catalog_id.as_deref() {
                    Some(c) => {
                        unknown.catalogs.insert(c);
                    }
                    None => unknown.all = true,
                }
            }
        }
        if unknown.all {
            return;
        }
        for r in s.resources.values() {
            if used.contains(r.id.as_str()) {
                continue;
            }
            let judgeable = match r.catalog_id.as_deref() {
                Some(c) => !unknown.catalogs.contains(c),
                None => unknown.catalogs.is_empty(),
            };
            if !judgeable {
                continue;
            }
            let name = quoted(r.display_name.as_deref(), &r.id);
            let catalog = r.catalog_id.as_deref();
            let message = match catalog {
                Some(c) => {
                    let catalog_name = s.catalogs.get(c).and_then(|x| x.display_name.as_deref());
                    format!(
                        "Resource {name} in catalog {} is used by no access package",
                        quoted(catalog_name, c)
                    )
                }
                None => format!("Resource {name} is used by no access package"),
            };
            let mut d = ctx
                .finding(out, resource_ref(s, &r.id), message)
                .evidence("catalogId", catalog)
                .evidence("originSystem", r.origin_system.as_deref())
                .evidence("originId", r.origin_id.as_deref())
                .evidence(
                    "packagesInCatalog",
                    catalog
                        .and_then(|c| packages_in.get(c).copied())
                        .unwrap_or(0),
                );
            if let Some(c) = catalog {
                d = d.related(catalog_ref(s, c));
            }
            out.push(d);
        }
    }
}
