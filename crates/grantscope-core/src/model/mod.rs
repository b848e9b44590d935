//! The canonical, version-independent model of an Entra ID entitlement-management export.
//!
//! Graph v1.0, Graph beta, EntraExporter trees and portal CSVs all normalise into these types, so
//! that the graph and the rules never see a wire format. Every collection is a `BTreeMap` keyed by
//! the Graph object id: iteration order is the id order, never hash order.
//!
//! Tri-state data matters here: `None` means "not exported", which is different from "exported and
//! empty". Rules rely on that to report "not evaluated" instead of passing silently.

mod entities;
mod enums;
mod subject_set;

pub use entities::*;
pub use enums::*;
pub use subject_set::*;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

/// Where an entity was read from: the file name, the JSON pointer of the object and the line on
/// which it starts (1-based; 0 when unknown, e.g. for objects synthesised from a reference).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SourceRef {
    pub file: String,
    pub pointer: String,
    pub line: u32,
}

/// The kinds of data an export can contain. Rules declare which of these they need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Dataset {
    Users,
    SignInActivity,
    Managers,
    Sponsors,
    Groups,
    GroupMembers,
    ServicePrincipals,
    Catalogs,
    CatalogResources,
    AccessPackages,
    ResourceRoleScopes,
    AssignmentPolicies,
    Assignments,
    AssignmentRequests,
    Subjects,
    IncompatibleAccessPackages,
    IncompatibleGroups,
    ConnectedOrganizations,
    Settings,
    AuditEvents,
}

impl Dataset {
    /// Every dataset, in a fixed order.
    pub const ALL: [Dataset; 20] = [
        Dataset::Users,
        Dataset::SignInActivity,
        Dataset::Managers,
        Dataset::Sponsors,
        Dataset::Groups,
        Dataset::GroupMembers,
        Dataset::ServicePrincipals,
        Dataset::Catalogs,
        Dataset::CatalogResources,
        Dataset::AccessPackages,
        Dataset::ResourceRoleScopes,
        Dataset::AssignmentPolicies,
        Dataset::Assignments,
        Dataset::AssignmentRequests,
        Dataset::Subjects,
        Dataset::IncompatibleAccessPackages,
        Dataset::IncompatibleGroups,
        Dataset::ConnectedOrganizations,
        Dataset::Settings,
        Dataset::AuditEvents,
    ];

    /// The camelCase name used in reports and messages.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Dataset::Users => "users",
            Dataset::SignInActivity => "signInActivity",
            Dataset::Managers => "managers",
            Dataset::Sponsors => "sponsors",
            Dataset::Groups => "groups",
            Dataset::GroupMembers => "groupMembers",
            Dataset::ServicePrincipals => "servicePrincipals",
            Dataset::Catalogs => "catalogs",
            Dataset::CatalogResources => "catalogResources",
            Dataset::AccessPackages => "accessPackages",
            Dataset::ResourceRoleScopes => "resourceRoleScopes",
            Dataset::AssignmentPolicies => "assignmentPolicies",
            Dataset::Assignments => "assignments",
            Dataset::AssignmentRequests => "assignmentRequests",
            Dataset::Subjects => "subjects",
            Dataset::IncompatibleAccessPackages => "incompatibleAccessPackages",
            Dataset::IncompatibleGroups => "incompatibleGroups",
            Dataset::ConnectedOrganizations => "connectedOrganizations",
            Dataset::Settings => "settings",
            Dataset::AuditEvents => "auditEvents",
        }
    }
}

impl Dataset {
    /// Which request of the export recipe (docs/EXPORT-RECIPE.md) provides this dataset.
    #[must_use]
    pub fn recipe_hint(self) -> &'static str {
        match self {
            Dataset::Users => "users.json (GET /users?$select=…)",
            Dataset::SignInActivity => {
                "signInActivity.json (GET /users?$select=id,signInActivity; needs Entra ID P1)"
            }
            Dataset::Managers => {
                "managers.json (GET /users?$select=id&$expand=manager($select=id))"
            }
            Dataset::Sponsors => {
                "guestSponsors.json (GET /users?$filter=userType eq 'Guest'&$expand=sponsors)"
            }
            Dataset::Groups => "groups.json (GET /groups?$select=…)",
            Dataset::GroupMembers => {
                "groupMembers-<groupId>.json (GET /groups/<id>/transitiveMembers)"
            }
            Dataset::ServicePrincipals => "servicePrincipals.json (GET /servicePrincipals)",
            Dataset::Catalogs => "catalogs.json (GET …/entitlementManagement/catalogs)",
            Dataset::CatalogResources => {
                "catalogResources-<catalogId>.json (GET …/catalogs/<id>/resources?$expand=roles,scopes)"
            }
            Dataset::AccessPackages => {
                "accessPackages.json (GET …/entitlementManagement/accessPackages)"
            }
            Dataset::ResourceRoleScopes => {
                "accessPackages.json with $expand=resourceRoleScopes($expand=role,scope)"
            }
            Dataset::AssignmentPolicies => {
                "assignmentPolicies.json (GET …/assignmentPolicies?$expand=accessPackage)"
            }
            Dataset::Assignments => {
                "assignments.json (GET …/assignments?$expand=target,accessPackage,assignmentPolicy)"
            }
            Dataset::AssignmentRequests => {
                "assignmentRequests.json (GET …/assignmentRequests?$expand=requestor)"
            }
            Dataset::Subjects => "assignments.json with $expand=target",
            Dataset::IncompatibleAccessPackages => {
                "incompatibleAccessPackages-<packageId>.json (GET …/accessPackages/<id>/incompatibleAccessPackages)"
            }
            Dataset::IncompatibleGroups => {
                "incompatibleGroups-<packageId>.json (GET …/accessPackages/<id>/incompatibleGroups)"
            }
            Dataset::ConnectedOrganizations => {
                "connectedOrganizations.json (GET …/connectedOrganizations?$expand=internalSponsors,externalSponsors)"
            }
            Dataset::Settings => "settings.json (GET …/entitlementManagement/settings)",
            Dataset::AuditEvents => {
                "auditLogs.json (GET /auditLogs/directoryAudits?$filter=category eq 'EntitlementManagement')"
            }
        }
    }
}

impl std::fmt::Display for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One loaded export: every entity, keyed by Graph object id, plus which datasets were present.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    pub users: BTreeMap<String, User>,
    pub groups: BTreeMap<String, Group>,
    pub service_principals: BTreeMap<String, ServicePrincipal>,
    pub catalogs: BTreeMap<String, Catalog>,
    /// Catalog resources (with their roles and scopes), keyed by resource id.
    pub resources: BTreeMap<String, Resource>,
    pub access_packages: BTreeMap<String, AccessPackage>,
    pub policies: BTreeMap<String, AssignmentPolicy>,
    pub assignments: BTreeMap<String, Assignment>,
    pub requests: BTreeMap<String, AssignmentRequest>,
    /// accessPackageSubject objects (beta `targetId` points at these, not at users).
    pub subjects: BTreeMap<String, Subject>,
    pub connected_organizations: BTreeMap<String, ConnectedOrganization>,
    pub settings: Option<Settings>,
    /// Audit events keyed by their (opaque, not necessarily GUID) id.
    pub audit_events: BTreeMap<String, AuditEvent>,
    /// The datasets some file provided (even when that file was empty).
    pub datasets: BTreeSet<Dataset>,
}

impl Snapshot {
    /// Whether some file provided this dataset.
    #[must_use]
    pub fn has(&self, dataset: Dataset) -> bool {
        self.datasets.contains(&dataset)
    }

    /// Whether any user carries sign-in data; without it inactivity rules cannot run.
    #[must_use]
    pub fn has_sign_in_data(&self) -> bool {
        self.has(Dataset::SignInActivity)
            && self.users.values().any(|u| u.sign_in_activity.is_some())
    }
}
