//! Recognising what a JSON file holds: from `@odata.context` first, then the EntraExporter path,
//! then the object shape, then the file name (the order PRODUCT.md asks for; the path comes before
//! the shape because EntraExporter strips `@odata.context` but its folders name the collection and
//! the parent object).

use serde_json::value::RawValue;

use super::report::ApiVersion;

/// What a file holds, with the owning object's id for per-parent collections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    Users,
    /// `/users/{id}/sponsors`
    UserSponsors(String),
    Groups,
    /// `/groups/{id}/transitiveMembers` (true) or `/members` (false).
    GroupMembers {
        group: String,
        transitive: bool,
    },
    ServicePrincipals,
    Catalogs,
    /// `/catalogs/{id}/resources`; the catalog id when known.
    CatalogResources(Option<String>),
    AccessPackages,
    /// `/accessPackages/{id}/resourceRoleScopes`
    RoleScopes(String),
    /// Incompatible packages of a package; `None` when nothing names the owning package.
    IncompatibleAccessPackages(Option<String>),
    IncompatibleGroups(Option<String>),
    /// Policies; the owning package id when the path or context names it.
    Policies(Option<String>),
    Assignments,
    Requests,
    Subjects,
    ConnectedOrganizations,
    /// `/connectedOrganizations/{id}/internalSponsors` (true) or `externalSponsors` (false).
    OrganizationSponsors {
        organization: String,
        internal: bool,
    },
    Settings,
    AuditEvents,
}

/// How a file was recognised, for the load report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecognisedBy {
    Context,
    ExporterPath,
    Shape,
    FileName,
}

impl RecognisedBy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RecognisedBy::Context => "@odata.context",
            RecognisedBy::ExporterPath => "path",
            RecognisedBy::Shape => "shape",
            RecognisedBy::FileName => "fileName",
        }
    }
}

/// The API version named by an `@odata.context` URL.
pub(crate) fn api_version_of_context(context: &str) -> Option<ApiVersion> {
    if context.contains("/beta/") {
        Some(ApiVersion::Beta)
    } else if context.contains("/v1.0/") {
        Some(ApiVersion::V1)
    } else {
        None
    }
}

/// Splits `a('x')/b/c('y')` into `[("a", Some("x")), ("b", None), ("c", Some("y"))]`, dropping
/// `$select` lists (`users(id,displayName)`) and `/$entity`.
fn segments(path: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        // A parenthesised select list can contain '/' in nested expands: cut at balanced parens.
        let mut depth = 0usize;
        let mut cut = rest.len();
        for (i, c) in rest.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                '/' if depth == 0 => {
                    cut = i;
                    break;
                }
                _ => {}
            }
        }
        let seg = &rest[..cut];
        rest = rest.get(cut + 1..).unwrap_or("");
        if seg.is_empty() || seg.starts_with('$') {
            continue;
        }
        let (name, arg) = match seg.find('(') {
            Some(i) => {
                let inner = seg[i + 1..].trim_end_matches(')');
                let key = inner
                    .strip_prefix('\'')
                    .and_then(|s| s.strip_suffix('\''))
                    .map(str::to_owned);
                (&seg[..i], key)
            }
            None => (seg, None),
        };
        out.push((name.to_owned(), arg));
    }
    out
}

/// Recognises a dataset from `@odata.context`.
pub(crate) fn from_context(context: &str) -> Option<Kind> {
    let fragment = context.split_once("$metadata#")?.1;
    if let Some(inner) = fragment
        .strip_prefix("Collection(")
        .and_then(|s| s.strip_suffix(')'))
    {
        return from_type_name(inner);
    }
    let segs = segments(fragment);
    let names: Vec<&str> = segs.iter().map(|(n, _)| n.as_str()).collect();
    let arg = |i: usize| segs.get(i).and_then(|(_, a)| a.clone());
    let last = *names.last()?;
    let em = names.len() >= 2
        && names[0].eq_ignore_ascii_case("identityGovernance")
        && names[1].eq_ignore_ascii_case("entitlementManagement");
    let lower = last.to_ascii_lowercase();
    if em {
        let parent = names.get(2).map(|s| s.to_ascii_lowercase());
        let parent_id = arg(2);
        return match (parent.as_deref(), names.len(), lower.as_str()) {
            (_, 3, "catalogs" | "accesspackagecatalogs") => Some(Kind::Catalogs),
            (_, 3, "accesspackages") => Some(Kind::AccessPackages),
            (_, 3, "assignmentpolicies" | "accesspackageassignmentpolicies") => {
                Some(Kind::Policies(None))
            }
            (_, 3, "assignments" | "accesspackageassignments") => Some(Kind::Assignments),
            (_, 3, "assignmentrequests" | "accesspackageassignmentrequests") => {
                Some(Kind::Requests)
            }
            (_, 3, "connectedorganizations") => Some(Kind::ConnectedOrganizations),
            (_, 3, "settings") => Some(Kind::Settings),
            (_, 3, "subjects" | "accesspackagesubjects") => Some(Kind::Subjects),
            (_, 3, "resources" | "accesspackageresources") => Some(Kind::CatalogResources(None)),
            (
                Some("catalogs" | "accesspackagecatalogs"),
                4,
                "resources" | "accesspackageresources",
            ) => Some(Kind::CatalogResources(parent_id)),
            (Some("accesspackages"), 4, "incompatibleaccesspackages") => {
                Some(Kind::IncompatibleAccessPackages(parent_id))
            }
            (Some("accesspackages"), 4, "incompatiblegroups") => {
                Some(Kind::IncompatibleGroups(parent_id))
            }
            (
                Some("accesspackages"),
                4,
                "resourcerolescopes" | "accesspackageresourcerolescopes",
            ) => parent_id.map(Kind::RoleScopes),
            (
                Some("accesspackages"),
                4,
                "assignmentpolicies" | "accesspackageassignmentpolicies",
            ) => Some(Kind::Policies(parent_id)),
            (Some("connectedorganizations"), 4, "internalsponsors") => {
                parent_id.map(|organization| Kind::OrganizationSponsors {
                    organization,
                    internal: true,
                })
            }
            (Some("connectedorganizations"), 4, "externalsponsors") => {
                parent_id.map(|organization| Kind::OrganizationSponsors {
                    organization,
                    internal: false,
                })
            }
            _ => None,
        };
    }
    match (names.as_slice(), lower.as_str()) {
        ([_], "users") => Some(Kind::Users),
        ([_], "groups") => Some(Kind::Groups),
        ([_], "serviceprincipals") => Some(Kind::ServicePrincipals),
        ([_, _], "sponsors") if names[0].eq_ignore_ascii_case("users") => {
            arg(0).map(Kind::UserSponsors)
        }
        ([_, _], "transitivemembers" | "members") if names[0].eq_ignore_ascii_case("groups") => {
            arg(0).map(|group| Kind::GroupMembers {
                group,
                transitive: lower == "transitivemembers",
            })
        }
        ([a, b], "directoryaudits")
            if a.eq_ignore_ascii_case("auditLogs") && b.eq_ignore_ascii_case("directoryAudits") =>
        {
            Some(Kind::AuditEvents)
        }
        _ => None,
    }
}

/// Recognises a dataset from an OData type name (`#microsoft.graph.accessPackage`).
pub(crate) fn from_type_name(name: &str) -> Option<Kind> {
    let t = name
        .trim_start_matches('#')
        .trim_start_matches("microsoft.graph.")
        .to_ascii_lowercase();
    Some(match t.as_str() {
        "user" => Kind::Users,
        "group" => Kind::Groups,
        "serviceprincipal" => Kind::ServicePrincipals,
        "accesspackagecatalog" => Kind::Catalogs,
        "accesspackageresource" => Kind::CatalogResources(None),
        "accesspackage" => Kind::AccessPackages,
        "accesspackageassignmentpolicy" => Kind::Policies(None),
        "accesspackageassignment" => Kind::Assignments,
        "accesspackageassignmentrequest" => Kind::Requests,
        "accesspackagesubject" => Kind::Subjects,
        "connectedorganization" => Kind::ConnectedOrganizations,
        "entitlementmanagementsettings" => Kind::Settings,
        "directoryaudit" => Kind::AuditEvents,
        _ => return None,
    })
}

/// Recognises an EntraExporter path (`IdentityGovernance/EntitlementManagement/AccessPackages/<id>/…`).
/// Returns `Err(reason)` for exporter files grantscope deliberately does not read.
pub(crate) fn from_exporter_path(name: &str) -> Option<Result<Kind, &'static str>> {
    let parts: Vec<&str> = name.split(['/', '\\']).filter(|p| !p.is_empty()).collect();
    let lower: Vec<String> = parts.iter().map(|p| p.to_ascii_lowercase()).collect();
    let anchor = lower.iter().position(|p| {
        p == "identitygovernance" || p == "users" || p == "groups" || p == "rolemanagement"
    })?;
    let l = &lower[anchor..];
    let p = &parts[anchor..];
    let len = l.len();
    let file_stem = l.last()?.trim_end_matches(".json");
    match l.first().map(String::as_str)? {
        "users" if len == 3 && l[1] == file_stem => Some(Ok(Kind::Users)),
        "groups" if len == 3 && l[1] == file_stem => Some(Ok(Kind::Groups)),
        "groups" if len == 5 && (l[2] == "members" || l[2] == "transitivemembers") => {
            Some(Ok(Kind::GroupMembers {
                group: p[1].to_owned(),
                transitive: l[2] == "transitivemembers",
            }))
        }
        "rolemanagement" => Some(Err(
            "entitlement-management role definitions and assignments are not analysed",
        )),
        "identitygovernance" if len >= 3 && l[1] == "entitlementmanagement" => {
            match (l[2].as_str(), len) {
                ("accesspackages", 5) => Some(Ok(Kind::AccessPackages)),
                ("accesspackages", 7) if l[4] == "assignmentpolicies" => {
                    Some(Ok(Kind::Policies(Some(p[3].to_owned()))))
                }
                ("accesspackages", 7) if l[4] == "assignments" => Some(Ok(Kind::Assignments)),
                ("accesspackages", 7) if l[4] == "resourcescopes" => Some(Ok(Kind::AccessPackages)),
                ("connectedorganizations", 5) => Some(Ok(Kind::ConnectedOrganizations)),
                ("connectedorganizations", 7)
                    if l[4] == "internalsponsors" || l[4] == "externalsponsors" =>
                {
                    Some(Ok(Kind::OrganizationSponsors {
                        organization: p[3].to_owned(),
                        internal: l[4] == "internalsponsors",
                    }))
                }
                ("settings", _) => Some(Ok(Kind::Settings)),
                ("catalogs" | "accesspackagecatalogs", 5) => Some(Ok(Kind::Catalogs)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Recognises a dataset from the keys of the first object.
pub(crate) fn from_shape(first: &RawValue) -> Option<Kind> {
    let keys: std::collections::BTreeMap<String, &RawValue> =
        serde_json::from_str(first.get()).ok()?;
    let has = |k: &str| keys.contains_key(k);
    if let Some(t) = keys
        .get("@odata.type")
        .and_then(|v| serde_json::from_str::<String>(v.get()).ok())
        && let Some(kind) = from_type_name(&t)
    {
        return Some(kind);
    }
    let kind = if has("activityDisplayName") {
        Kind::AuditEvents
    } else if has("allowedTargetScope")
        || has("requestApprovalSettings")
        || has("requestorSettings")
        || has("accessReviewSettings")
        || has("canExtend")
        || has("durationInDays")
        || has("questions")
        || has("customExtensionStageSettings")
        || has("customExtensionHandlers")
    {
        Kind::Policies(None)
    } else if has("requestType") || has("requestState") {
        Kind::Requests
    } else if has("assignmentState")
        || has("targetId")
        || (has("state") && (has("target") || has("assignmentPolicy") || has("expiredDateTime")))
    {
        Kind::Assignments
    } else if has("externalUserLifecycleAction") {
        Kind::Settings
    } else if has("identitySources") {
        Kind::ConnectedOrganizations
    } else if has("groupTypes") || has("isAssignableToRole") || has("membershipRule") {
        Kind::Groups
    } else if has("userPrincipalName")
        || has("userType")
        || has("signInActivity")
        || has("externalUserState")
        || has("manager")
    {
        Kind::Users
    } else if has("catalogType") || has("catalogStatus") || has("isExternallyVisible") {
        Kind::Catalogs
    } else if has("resourceRoleScopes")
        || has("accessPackageResourceRoleScopes")
        || has("isHidden")
        || has("isRoleScopesVisible")
    {
        Kind::AccessPackages
    } else if has("originSystem")
        && (has("roles") || has("scopes") || has("resourceType") || has("attributes"))
    {
        Kind::CatalogResources(None)
    } else if has("objectId") && (has("subjectType") || has("principalName") || has("email")) {
        Kind::Subjects
    } else if has("appId") || has("servicePrincipalType") {
        Kind::ServicePrincipals
    } else if has("accessPackageId") {
        // Beta assignments and requests were recognised above; what remains is a policy.
        Kind::Policies(None)
    } else {
        return None;
    };
    Some(kind)
}

/// Recognises a dataset from the recipe's file names (`groupMembers-<id>.json`, `users.2.json`).
pub(crate) fn from_file_name(name: &str) -> Option<Kind> {
    let base = name.rsplit(['/', '\\']).next()?;
    let stem = base
        .strip_suffix(".json")
        .or_else(|| base.strip_suffix(".JSON"))
        .unwrap_or(base);
    let with_id = |prefix: &str| -> Option<String> {
        let rest = stem.get(prefix.len()..)?;
        if !stem[..prefix.len()].eq_ignore_ascii_case(prefix) {
            return None;
        }
        let id = rest.strip_prefix('-')?;
        // Strip a page suffix: `groupMembers-<id>.2`.
        let id = id.split('.').next()?;
        (!id.is_empty()).then(|| id.to_owned())
    };
    if let Some(id) = with_id("groupMembers") {
        return Some(Kind::GroupMembers {
            group: id,
            transitive: true,
        });
    }
    if let Some(id) = with_id("groupDirectMembers") {
        return Some(Kind::GroupMembers {
            group: id,
            transitive: false,
        });
    }
    if let Some(id) = with_id("incompatibleAccessPackages") {
        return Some(Kind::IncompatibleAccessPackages(Some(id)));
    }
    if let Some(id) = with_id("incompatibleGroups") {
        return Some(Kind::IncompatibleGroups(Some(id)));
    }
    // Any other name that says what the list is, without saying whose it is.
    let lower = stem.to_ascii_lowercase();
    if lower.contains("incompatibleaccesspackages") {
        return Some(Kind::IncompatibleAccessPackages(None));
    }
    if lower.contains("incompatiblegroups") {
        return Some(Kind::IncompatibleGroups(None));
    }
    if let Some(id) = with_id("catalogResources") {
        return Some(Kind::CatalogResources(Some(id)));
    }
    if let Some(id) = with_id("sponsors") {
        return Some(Kind::UserSponsors(id));
    }
    let head = stem.split(['.', '-', '_']).next()?.to_ascii_lowercase();
    Some(match head.as_str() {
        "users" | "signinactivity" | "managers" | "guestsponsors" => Kind::Users,
        "groups" => Kind::Groups,
        "serviceprincipals" => Kind::ServicePrincipals,
        "catalogs" | "accesspackagecatalogs" => Kind::Catalogs,
        "accesspackages" => Kind::AccessPackages,
        "assignmentpolicies" | "accesspackageassignmentpolicies" => Kind::Policies(None),
        "assignments" | "accesspackageassignments" => Kind::Assignments,
        "assignmentrequests" | "accesspackageassignmentrequests" => Kind::Requests,
        "connectedorganizations" => Kind::ConnectedOrganizations,
        "settings" => Kind::Settings,
        "auditlogs" | "directoryaudits" | "audit" => Kind::AuditEvents,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts() {
        let c = |s: &str| from_context(&format!("https://graph.microsoft.com/v1.0/$metadata#{s}"));
        assert_eq!(c("users(id,displayName,signInActivity)"), Some(Kind::Users));
        assert_eq!(
            c(
                "identityGovernance/entitlementManagement/assignmentPolicies(accessPackage(),catalog())"
            ),
            Some(Kind::Policies(None))
        );
        assert_eq!(
            c(
                "identityGovernance/entitlementManagement/accessPackages('p1')/incompatibleAccessPackages"
            ),
            Some(Kind::IncompatibleAccessPackages(Some("p1".into())))
        );
        assert_eq!(
            c("identityGovernance/entitlementManagement/assignmentRequests/$entity"),
            Some(Kind::Requests)
        );
        assert_eq!(c("auditLogs/directoryAudits"), Some(Kind::AuditEvents));
        assert_eq!(
            c("Collection(microsoft.graph.accessPackage)"),
            Some(Kind::AccessPackages)
        );
        assert_eq!(c("directoryObjects(id,userType)"), None);
    }

    #[test]
    fn exporter_paths() {
        let p = "export/IdentityGovernance/EntitlementManagement/AccessPackages/a1/AssignmentPolicies/p1/p1.json";
        assert_eq!(
            from_exporter_path(p),
            Some(Ok(Kind::Policies(Some("a1".into()))))
        );
        assert_eq!(
            from_exporter_path("Users/u1/u1.json"),
            Some(Ok(Kind::Users))
        );
        assert_eq!(from_exporter_path("catalogs.json"), None);
    }

    #[test]
    fn file_names() {
        assert_eq!(
            from_file_name("x/groupMembers-g1.json"),
            Some(Kind::GroupMembers {
                group: "g1".into(),
                transitive: true
            })
        );
        assert_eq!(from_file_name("users.2.json"), Some(Kind::Users));
        assert_eq!(from_file_name("notes.json"), None);
    }
}
