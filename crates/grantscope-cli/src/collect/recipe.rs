//! The export recipe (docs/EXPORT-RECIPE.md) as data: which Graph v1.0 request fills which file,
//! what each per-object request needs first, and the national clouds' endpoints.

use clap::ValueEnum;

/// `EM` in the recipe.
const EM: &str = "/identityGovernance/entitlementManagement";

/// One dataset of the recipe, named as its files are (`--include`/`--exclude` take these names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ValueEnum)]
#[value(rename_all = "camelCase")]
pub(crate) enum Dataset {
    /// `catalogs.json`
    Catalogs,
    /// `catalogResources-<catalogId>.json`, one per catalog
    CatalogResources,
    /// `accessPackages.json`
    AccessPackages,
    /// `assignmentPolicies.json`
    AssignmentPolicies,
    /// `assignments.json`
    Assignments,
    /// `assignmentRequests.json`
    AssignmentRequests,
    /// `connectedOrganizations.json`
    ConnectedOrganizations,
    /// `settings.json`
    Settings,
    /// `incompatibleAccessPackages-<packageId>.json`, one per package
    IncompatibleAccessPackages,
    /// `incompatibleGroups-<packageId>.json`, one per package
    IncompatibleGroups,
    /// `users.json`
    Users,
    /// `signInActivity.json` (needs Entra ID P1 or P2)
    SignInActivity,
    /// `managers.json`
    Managers,
    /// `guestSponsors.json`
    GuestSponsors,
    /// `groups.json`
    Groups,
    /// `groupMembers-<groupId>.json`, one per group that a policy, an approver list, a
    /// sponsor list, an incompatibility or a catalog resource names
    GroupMembers,
    /// `groupDirectMembers-<groupId>.json`, one per such group that nests groups (shows the
    /// nesting path)
    GroupDirectMembers,
    /// `servicePrincipals.json`
    ServicePrincipals,
    /// `auditLogs.json`
    AuditLogs,
}

impl Dataset {
    /// Every dataset, in the recipe's order (the order of collection and of the manifest).
    pub(crate) const ALL: [Dataset; 19] = [
        Dataset::Catalogs,
        Dataset::AccessPackages,
        Dataset::AssignmentPolicies,
        Dataset::Assignments,
        Dataset::AssignmentRequests,
        Dataset::ConnectedOrganizations,
        Dataset::Settings,
        Dataset::Users,
        Dataset::SignInActivity,
        Dataset::Managers,
        Dataset::GuestSponsors,
        Dataset::Groups,
        Dataset::ServicePrincipals,
        Dataset::AuditLogs,
        Dataset::CatalogResources,
        Dataset::IncompatibleAccessPackages,
        Dataset::IncompatibleGroups,
        Dataset::GroupMembers,
        Dataset::GroupDirectMembers,
    ];

    /// The name of its files (`catalogResources` for `catalogResources-<id>.json`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Dataset::Catalogs => "catalogs",
            Dataset::CatalogResources => "catalogResources",
            Dataset::AccessPackages => "accessPackages",
            Dataset::AssignmentPolicies => "assignmentPolicies",
            Dataset::Assignments => "assignments",
            Dataset::AssignmentRequests => "assignmentRequests",
            Dataset::ConnectedOrganizations => "connectedOrganizations",
            Dataset::Settings => "settings",
            Dataset::IncompatibleAccessPackages => "incompatibleAccessPackages",
            Dataset::IncompatibleGroups => "incompatibleGroups",
            Dataset::Users => "users",
            Dataset::SignInActivity => "signInActivity",
            Dataset::Managers => "managers",
            Dataset::GuestSponsors => "guestSponsors",
            Dataset::Groups => "groups",
            Dataset::GroupMembers => "groupMembers",
            Dataset::GroupDirectMembers => "groupDirectMembers",
            Dataset::ServicePrincipals => "servicePrincipals",
            Dataset::AuditLogs => "auditLogs",
        }
    }

    /// Whether there is one request per catalog, package or group (batched with `$batch`).
    pub(crate) fn is_per_object(self) -> bool {
        matches!(
            self,
            Dataset::CatalogResources
                | Dataset::IncompatibleAccessPackages
                | Dataset::IncompatibleGroups
                | Dataset::GroupMembers
                | Dataset::GroupDirectMembers
        )
    }

    /// The datasets whose content says which objects this per-object dataset is requested for.
    pub(crate) fn prerequisites(self) -> &'static [Dataset] {
        match self {
            Dataset::CatalogResources => &[Dataset::Catalogs],
            Dataset::IncompatibleAccessPackages | Dataset::IncompatibleGroups => {
                &[Dataset::AccessPackages]
            }
            Dataset::GroupMembers => &[
                Dataset::AssignmentPolicies,
                Dataset::ConnectedOrganizations,
                Dataset::GuestSponsors,
                Dataset::IncompatibleGroups,
                Dataset::CatalogResources,
            ],
            Dataset::GroupDirectMembers => &[Dataset::GroupMembers],
            _ => &[],
        }
    }

    /// The request of a collection-wide dataset, relative to the version root
    /// (`/users?$select=…`); `None` for the per-object datasets.
    pub(crate) fn request(self, audit_since: Option<&str>) -> Option<String> {
        let em = |path: &str| format!("{EM}/{path}");
        Some(match self {
            Dataset::Catalogs => em("catalogs"),
            Dataset::AccessPackages => {
                em("accessPackages?$expand=catalog,resourceRoleScopes($expand=role,scope)")
            }
            Dataset::AssignmentPolicies => em("assignmentPolicies?$expand=accessPackage,catalog"),
            Dataset::Assignments => em("assignments?$expand=target,accessPackage,assignmentPolicy"),
            Dataset::AssignmentRequests => {
                em("assignmentRequests?$expand=requestor,accessPackage,assignment")
            }
            Dataset::ConnectedOrganizations => {
                em("connectedOrganizations?$expand=internalSponsors,externalSponsors")
            }
            Dataset::Settings => em("settings"),
            Dataset::Users => "/users?$select=id,displayName,userPrincipalName,mail,userType,\
                accountEnabled,createdDateTime,creationType,externalUserState,\
                externalUserStateChangeDateTime,department,jobTitle"
                .to_owned(),
            Dataset::SignInActivity => "/users?$select=id,signInActivity".to_owned(),
            Dataset::Managers => "/users?$select=id&$expand=manager($select=id)".to_owned(),
            Dataset::GuestSponsors => {
                "/users?$filter=userType eq 'Guest'&$select=id&$expand=sponsors($select=id)"
                    .to_owned()
            }
            Dataset::Groups => "/groups?$select=id,displayName,description,groupTypes,\
                isAssignableToRole,membershipRule,securityEnabled,mailEnabled"
                .to_owned(),
            Dataset::ServicePrincipals => {
                "/servicePrincipals?$select=id,appId,displayName,servicePrincipalType".to_owned()
            }
            Dataset::AuditLogs => {
                let mut request = "/auditLogs/directoryAudits?$filter=category eq \
                                   'EntitlementManagement'"
                    .to_owned();
                if let Some(since) = audit_since {
                    request.push_str(" and activityDateTime ge ");
                    request.push_str(since);
                }
                request
            }
            Dataset::CatalogResources
            | Dataset::IncompatibleAccessPackages
            | Dataset::IncompatibleGroups
            | Dataset::GroupMembers
            | Dataset::GroupDirectMembers => return None,
        })
    }

    /// The request for one object of a per-object dataset (catalog, package or group id).
    pub(crate) fn object_request(self, id: &str) -> Option<String> {
        Some(match self {
            Dataset::CatalogResources => {
                format!("{EM}/catalogs/{id}/resources?$expand=roles,scopes")
            }
            Dataset::IncompatibleAccessPackages => {
                format!("{EM}/accessPackages/{id}/incompatibleAccessPackages")
            }
            Dataset::IncompatibleGroups => format!("{EM}/accessPackages/{id}/incompatibleGroups"),
            Dataset::GroupMembers => format!("/groups/{id}/transitiveMembers?$select=id,userType"),
            Dataset::GroupDirectMembers => format!("/groups/{id}/members"),
            _ => return None,
        })
    }

    /// The file name stem (without `.json` and page number) of one object's file, or of the
    /// dataset's file.
    pub(crate) fn stem(self, id: Option<&str>) -> String {
        match id {
            Some(id) => format!("{}-{id}", self.name()),
            None => self.name().to_owned(),
        }
    }
}

/// The national clouds (`--cloud`): where to sign in and which Graph to ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Cloud {
    /// graph.microsoft.com, login.microsoftonline.com
    Global,
    /// US Government L4: graph.microsoft.us, login.microsoftonline.us
    Usgov,
    /// US Government L5 (DoD): dod-graph.microsoft.us, login.microsoftonline.us
    UsgovDod,
    /// China (21Vianet): microsoftgraph.chinacloudapi.cn, login.chinacloudapi.cn
    China,
}

impl Cloud {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::Usgov => "usgov",
            Cloud::UsgovDod => "usgov-dod",
            Cloud::China => "china",
        }
    }

    /// The Graph root (also the resource that tokens are requested for).
    pub(crate) fn graph_url(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::Usgov => "https://graph.microsoft.us",
            Cloud::UsgovDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The Microsoft identity platform's root.
    pub(crate) fn login_url(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::Usgov | Cloud::UsgovDod => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }

    /// The OAuth scope for Graph with the app's configured (read-only) permissions.
    pub(crate) fn scope(self) -> String {
        format!("{}/.default", self.graph_url())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_is_listed_once_and_named_as_clap_names_it() {
        let mut seen = std::collections::BTreeSet::new();
        for dataset in Dataset::ALL {
            assert!(seen.insert(dataset));
            let value = dataset.to_possible_value().unwrap();
            assert_eq!(value.get_name(), dataset.name());
            assert_eq!(
                dataset.is_per_object(),
                dataset.request(None).is_none(),
                "{dataset:?}"
            );
            assert_eq!(
                dataset.is_per_object(),
                dataset.object_request("x").is_some()
            );
        }
        assert_eq!(seen.len(), Dataset::value_variants().len());
    }

    #[test]
    fn requests_are_the_recipes() {
        assert_eq!(
            Dataset::Users.request(None).unwrap(),
            "/users?$select=id,displayName,userPrincipalName,mail,userType,accountEnabled,\
             createdDateTime,creationType,externalUserState,externalUserStateChangeDateTime,\
             department,jobTitle"
        );
        assert_eq!(
            Dataset::Groups.request(None).unwrap(),
            "/groups?$select=id,displayName,description,groupTypes,isAssignableToRole,\
             membershipRule,securityEnabled,mailEnabled"
        );
        assert_eq!(
            Dataset::AuditLogs
                .request(Some("2026-08-01T00:00:00Z"))
                .unwrap(),
            "/auditLogs/directoryAudits?$filter=category eq 'EntitlementManagement' and \
             activityDateTime ge 2026-08-01T00:00:00Z"
        );
        assert_eq!(
            Dataset::GroupMembers.object_request("g1").unwrap(),
            "/groups/g1/transitiveMembers?$select=id,userType"
        );
        assert_eq!(Dataset::GroupMembers.stem(Some("g1")), "groupMembers-g1");
    }

    #[test]
    fn prerequisites_come_earlier_in_the_order() {
        let position = |d: Dataset| Dataset::ALL.iter().position(|x| *x == d).unwrap();
        for dataset in Dataset::ALL {
            for prerequisite in dataset.prerequisites() {
                assert!(position(*prerequisite) < position(dataset), "{dataset:?}");
            }
        }
    }
}
